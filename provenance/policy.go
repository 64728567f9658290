package provenance

import (
	"fmt"
	"regexp"
	"strings"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/dhisdk/dhisdk/internal/imageref"
)

// BuildPolicy is what a caller expects of a provenance. Each set field is one
// expectation; a zero field is not checked. At least one must be set.
type BuildPolicy struct {
	// BuilderIDs lists the accepted builder IDs; the provenance's must be
	// one of them. An ID without "@" also accepts a builder ID that adds an
	// "@<version>" suffix to it, so
	// "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml"
	// accepts that workflow at any tag.
	BuilderIDs []string
	// BuilderIDPrefixes lists accepted prefixes of the builder ID, such as
	// "https://github.com/docker/github-builder/" for every workflow of that
	// repository. The ID must start with one of them; end a prefix at a
	// path boundary ("/" or "@"), or "https://github.com/docker" also
	// accepts "https://github.com/dockerx/...".
	BuilderIDPrefixes []string
	// BuilderIDPatterns lists accepted regular expressions (Go syntax) for
	// the builder ID; each must match the whole ID (it is anchored at both
	// ends). A pattern that does not compile makes the policy invalid.
	//
	// A builder ID matching any of BuilderIDs, BuilderIDPrefixes or
	// BuilderIDPatterns is accepted.
	BuilderIDPatterns []string
	// SourceRepository is the repository the build must come from. It is
	// compared by host (in any case) and path, so "github.com/org/repo",
	// "https://github.com/org/repo" and "git+https://github.com/org/repo.git"
	// name the same repository.
	SourceRepository string
	// SourceRef is the git ref the build must come from, such as
	// "refs/heads/main", compared exactly.
	SourceRef string
	// AllowUnverifiedSourceUnsafe accepts a source that BuildKit took from
	// the vcs:source and vcs:revision hints of its client (Source.Hint).
	// The client chooses these values freely, so a check that accepts them
	// proves nothing about where the source came from. Do not set it
	// unless you trust every client of the builder.
	AllowUnverifiedSourceUnsafe bool
}

// Check returns nil when p meets every expectation of policy, and otherwise a
// [*PolicyError] that lists each one it does not meet. It returns an error
// wrapping [ErrInvalidPolicy] when policy expects nothing.
//
// Check compares the provenance's claims only. Callers must first verify the
// attestation's signature and that its subject names the artifact; the
// claims mean no more than the trust placed in the key that signed them.
func (p *Provenance) CheckPolicy(policy BuildPolicy) error {
	builders := len(policy.BuilderIDs) + len(policy.BuilderIDPrefixes) + len(policy.BuilderIDPatterns)
	if builders == 0 && policy.SourceRepository == "" && policy.SourceRef == "" {
		return fmt.Errorf("%w: build policy sets no expectation", ErrInvalidPolicy)
	}
	patterns := make([]*regexp.Regexp, len(policy.BuilderIDPatterns))
	for i, pat := range policy.BuilderIDPatterns {
		re, err := regexp.Compile(`^(?:` + pat + `)$`)
		if err != nil {
			return fmt.Errorf("%w: builder ID pattern %q: %v", ErrInvalidPolicy, pat, err)
		}
		patterns[i] = re
	}
	for _, pre := range policy.BuilderIDPrefixes {
		if pre == "" {
			return fmt.Errorf("%w: empty builder ID prefix", ErrInvalidPolicy)
		}
	}
	var mm []Mismatch
	if builders > 0 && !matchBuilder(p.Builder.ID, policy.BuilderIDs, policy.BuilderIDPrefixes, patterns) {
		mm = append(mm, Mismatch{Expectation: ExpectBuilderID, Want: builderWant(policy), Got: p.Builder.ID})
	}
	src := p.Source
	unverified := src.Hint && !policy.AllowUnverifiedSourceUnsafe
	if policy.SourceRepository != "" {
		got := src.Repository
		if unverified && got != "" {
			got += " (unverified vcs hint)"
		}
		if unverified || src.Repository == "" || repositoryKey(src.Repository) != repositoryKey(policy.SourceRepository) {
			mm = append(mm, Mismatch{Expectation: ExpectSourceRepository, Want: fmt.Sprintf("%q", policy.SourceRepository), Got: got})
		}
	}
	if policy.SourceRef != "" && (unverified || src.Ref != policy.SourceRef) {
		got := src.Ref
		if unverified && got != "" {
			got += " (unverified vcs hint)"
		}
		mm = append(mm, Mismatch{Expectation: ExpectSourceRef, Want: fmt.Sprintf("%q", policy.SourceRef), Got: got})
	}
	if len(mm) > 0 {
		return &PolicyError{Mismatches: mm}
	}
	return nil
}

// VSAPolicy is what a caller expects of a verification summary. The result
// must always be PASSED; each set field adds an expectation, and a zero field
// is not checked.
type VSAPolicy struct {
	// VerifierIDs lists the accepted verifier IDs, matched like
	// BuildPolicy.BuilderIDs.
	VerifierIDs []string
	// ResourceDigest is the digest, "sha256:<hex>", that resourceUri must
	// name: as the digest qualifier or version of a package URL
	// (pkg:docker/dhi/python@3.13?digest=sha256:...), or after the last "@"
	// of an image reference (dhi.io/python@sha256:...).
	ResourceDigest string
	// PolicyURI is the URI the VSA's policy must have, compared exactly.
	PolicyURI string
	// MinLevels lists the least level verified for each track, such as
	// {Track: TrackBuild, Level: 3}: verifiedLevels must record that level
	// or a higher one on the track.
	MinLevels []TrackLevel
}

// Check returns nil when v meets every expectation of policy and its result
// is PASSED, and otherwise a [*PolicyError] that lists each expectation it
// does not meet. It returns an error wrapping [ErrInvalidPolicy] when the
// policy is malformed.
//
// Check compares the VSA's claims only. Callers must first verify the VSA's
// signature and that its subject names the artifact, and must accept only
// verifiers they trust (VerifierIDs): a VSA from anyone else proves nothing.
func (v *VerificationSummary) CheckPolicy(policy VSAPolicy) error {
	want := strings.ToLower(policy.ResourceDigest)
	if want != "" && !imageref.IsDigest(want) {
		return fmt.Errorf("%w: resource digest %q is not sha256:<64 hex> or sha512:<128 hex>", ErrInvalidPolicy, policy.ResourceDigest)
	}
	for _, l := range policy.MinLevels {
		if l.Track == "" || l.Level < 0 {
			return fmt.Errorf("%w: minimum level %+v needs a track and a level of 0 or more", ErrInvalidPolicy, l)
		}
	}
	var mm []Mismatch
	if v.Result != ResultPassed {
		mm = append(mm, Mismatch{Expectation: ExpectVerificationResult, Want: fmt.Sprintf("%q", ResultPassed), Got: string(v.Result)})
	}
	if len(policy.VerifierIDs) > 0 && !matchID(v.Verifier.ID, policy.VerifierIDs) {
		mm = append(mm, Mismatch{Expectation: ExpectVerifierID, Want: oneOf(policy.VerifierIDs), Got: v.Verifier.ID})
	}
	if want != "" && !namesDigest(v.ResourceURI, want) {
		mm = append(mm, Mismatch{Expectation: ExpectResourceURI, Want: "a URI naming " + want, Got: v.ResourceURI})
	}
	if policy.PolicyURI != "" && v.Policy.URI != policy.PolicyURI {
		mm = append(mm, Mismatch{Expectation: ExpectPolicyURI, Want: fmt.Sprintf("%q", policy.PolicyURI), Got: v.Policy.URI})
	}
	for _, l := range policy.MinLevels {
		if got, ok := v.Level(l.Track); !ok || got < l.Level {
			mm = append(mm, Mismatch{
				Expectation: ExpectVerifiedLevel,
				Want:        TrackLevel{Track: l.Track, Level: l.Level}.String() + " or higher",
				Got:         strings.Join(v.VerifiedLevels, ","),
			})
		}
	}
	if len(mm) > 0 {
		return &PolicyError{Mismatches: mm}
	}
	return nil
}

// matchBuilder reports whether a builder ID is accepted by one of ids (see
// [matchID]), prefixes or patterns.
func matchBuilder(id string, ids, prefixes []string, patterns []*regexp.Regexp) bool {
	if id == "" {
		return false
	}
	if len(ids) > 0 && matchID(id, ids) {
		return true
	}
	for _, pre := range prefixes {
		if strings.HasPrefix(id, pre) {
			return true
		}
	}
	for _, re := range patterns {
		if re.MatchString(id) {
			return true
		}
	}
	return false
}

// builderWant describes the builder IDs a policy accepts.
func builderWant(policy BuildPolicy) string {
	var parts []string
	if len(policy.BuilderIDs) > 0 {
		parts = append(parts, oneOf(policy.BuilderIDs))
	}
	for _, pre := range policy.BuilderIDPrefixes {
		parts = append(parts, fmt.Sprintf("an ID starting %q", pre))
	}
	for _, pat := range policy.BuilderIDPatterns {
		parts = append(parts, fmt.Sprintf("an ID matching %q", pat))
	}
	return strings.Join(parts, " or ")
}

// matchID reports whether id is one of want, or adds an "@<version>" suffix
// to one of want that has no "@".
func matchID(id string, want []string) bool {
	if id == "" {
		return false
	}
	for _, w := range want {
		if id == w {
			return true
		}
		if !strings.Contains(w, "@") {
			if i := strings.LastIndexByte(id, '@'); i > 0 && id[:i] == w {
				return true
			}
		}
	}
	return false
}

// namesDigest reports whether a resource URI names digest (lower case).
func namesDigest(uri, digest string) bool {
	if strings.HasPrefix(uri, "pkg:") {
		p, err := packageurl.FromString(uri)
		if err != nil {
			return false
		}
		return strings.EqualFold(p.Qualifiers.Map()["digest"], digest) || strings.EqualFold(p.Version, digest)
	}
	i := strings.LastIndexByte(uri, '@')
	if i < 0 {
		return false
	}
	rest := uri[i+1:]
	if j := strings.IndexAny(rest, "?#"); j >= 0 {
		rest = rest[:j]
	}
	return strings.EqualFold(rest, digest)
}

func oneOf(ids []string) string {
	if len(ids) == 1 {
		return fmt.Sprintf("%q", ids[0])
	}
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = fmt.Sprintf("%q", id)
	}
	return "one of " + strings.Join(q, ", ")
}
