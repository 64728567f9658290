package provenance

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

const (
	generatorBuilder = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml"
	exampleRepo      = "https://github.com/slsa-framework/example-package"
)

func TestProvenanceCheck(t *testing.T) {
	t.Parallel()
	generator := mustParse(t, bundleStatement(t, fxGeneratorV02)).Provenance
	buildkit := mustParse(t, fixture.Bytes(t, fxBuildKitV1)).Provenance
	// A BuildKit provenance whose source is only the client's vcs hint.
	hinted := mustParse(t, []byte(`{"buildDefinition":{"buildType":"`+BuildTypeBuildKitSLSA1+`"},
		"runDetails":{"metadata":{"buildkit_metadata":{"vcs":{"source":"https://github.com/org/app.git#refs/heads/main","revision":"0123456789abcdef0123456789abcdef01234567"}}}}}`)).Provenance

	tests := []struct {
		name   string
		p      *Provenance
		policy BuildPolicy
		want   []Mismatch // nil: the policy is met
	}{
		{
			name:   "exact builder and repository in another form",
			p:      generator,
			policy: BuildPolicy{BuilderIDs: []string{generatorBuilder + "@refs/tags/v2.1.0"}, SourceRepository: "github.com/slsa-framework/example-package"},
		},
		{
			name:   "builder without version accepts any tag",
			p:      generator,
			policy: builderPolicy(generatorBuilder),
		},
		{
			name:   "one of several builders, repository and ref",
			p:      generator,
			policy: BuildPolicy{BuilderIDs: []string{"https://other", generatorBuilder}, SourceRepository: "git+https://GitHub.com/slsa-framework/example-package.git", SourceRef: "refs/tags/v14"},
		},
		{
			name:   "builder with another version",
			p:      generator,
			policy: builderPolicy(generatorBuilder + "@refs/tags/v2.0.0"),
			want: []Mismatch{{Expectation: ExpectBuilderID, Want: `"` + generatorBuilder + `@refs/tags/v2.0.0"`,
				Got: generatorBuilder + "@refs/tags/v2.1.0"}},
		},
		{
			name: "every mismatch is listed",
			p:    generator,
			policy: BuildPolicy{
				BuilderIDs:       []string{"https://a", "https://b"},
				SourceRepository: "https://github.com/slsa-framework/other",
				SourceRef:        "refs/heads/main",
			},
			want: []Mismatch{
				{Expectation: ExpectBuilderID, Want: `one of "https://a", "https://b"`, Got: generatorBuilder + "@refs/tags/v2.1.0"},
				{Expectation: ExpectSourceRepository, Want: `"https://github.com/slsa-framework/other"`, Got: exampleRepo},
				{Expectation: ExpectSourceRef, Want: `"refs/heads/main"`, Got: "refs/tags/v14"},
			},
		},
		{
			name:   "repository path differs only in case",
			p:      generator,
			policy: BuildPolicy{SourceRepository: "https://github.com/SLSA-framework/example-package"},
			want:   []Mismatch{{Expectation: ExpectSourceRepository, Want: `"https://github.com/SLSA-framework/example-package"`, Got: exampleRepo}},
		},
		{
			name:   "a repository prefix is not the repository",
			p:      generator,
			policy: BuildPolicy{SourceRepository: "https://github.com/slsa-framework"},
			want:   []Mismatch{{Expectation: ExpectSourceRepository, Want: `"https://github.com/slsa-framework"`, Got: exampleRepo}},
		},
		{
			name:   "buildkit builder and git context",
			p:      buildkit,
			policy: BuildPolicy{BuilderIDs: []string{"https://github.com/docker/github-builder-test/actions/runs/18937328894/attempts/1"}, SourceRepository: "https://github.com/docker/github-builder-test.git", SourceRef: "refs/heads/main"},
		},
		{
			name:   "unverified vcs hint is refused",
			p:      hinted,
			policy: BuildPolicy{SourceRepository: "https://github.com/org/app", SourceRef: "refs/heads/main"},
			want: []Mismatch{
				{Expectation: ExpectSourceRepository, Want: `"https://github.com/org/app"`, Got: "https://github.com/org/app (unverified vcs hint)"},
				{Expectation: ExpectSourceRef, Want: `"refs/heads/main"`, Got: "refs/heads/main (unverified vcs hint)"},
			},
		},
		{
			name:   "unverified vcs hint accepted on request",
			p:      hinted,
			policy: BuildPolicy{SourceRepository: "https://github.com/org/app", SourceRef: "refs/heads/main", AllowUnverifiedSourceUnsafe: true},
		},
		{
			name:   "no builder id",
			p:      hinted,
			policy: builderPolicy("https://github.com/org/app"),
			want:   []Mismatch{{Expectation: ExpectBuilderID, Want: `"https://github.com/org/app"`}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.p.CheckPolicy(tc.policy)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Check() = %v, want nil", err)
				}
				return
			}
			var pe *PolicyError
			if !errors.As(err, &pe) || !errors.Is(err, ErrPolicy) {
				t.Fatalf("Check() = %v, want a *PolicyError wrapping ErrPolicy", err)
			}
			if diff := cmp.Diff(tc.want, pe.Mismatches); diff != "" {
				t.Errorf("mismatches (-want +got):\n%s", diff)
			}
			for _, m := range tc.want {
				if !strings.Contains(err.Error(), string(m.Expectation)+": ") {
					t.Errorf("Error() = %q does not name %s", err, m.Expectation)
				}
			}
		})
	}
}

// builderPolicy is a policy on the builder only.
func builderPolicy(ids ...string) BuildPolicy { return BuildPolicy{BuilderIDs: ids} }

func TestProvenanceCheckEmptyPolicy(t *testing.T) {
	t.Parallel()
	p := mustParse(t, fixture.Bytes(t, fxBuildKitV1)).Provenance
	if err := p.CheckPolicy(BuildPolicy{AllowUnverifiedSourceUnsafe: true}); !errors.Is(err, ErrInvalidPolicy) {
		t.Errorf("Check(empty) = %v, want ErrInvalidPolicy", err)
	}
}

func TestVSACheck(t *testing.T) {
	t.Parallel()
	google := mustParse(t, dssePayload(t, fixture.Bytes(t, fxGoogleVSA))).VSA
	const (
		verifier = "https://bcid.corp.google.com/verifier/bcid_package_enforcer/v0.1"
		digest   = "sha256:9e9a6ee5a3b5fd3fd8bb8ac2bc3e9ad3a0e9c9adf4c1c1f8e5a5e0d1f0b7e6c1"
	)
	// A VSA shaped like docker/attest's, naming the image by a purl with a
	// digest qualifier, that records a failure.
	failed := mustParse(t, []byte(`{"verifier":{"id":"https://docker.com/verifier"},"timeVerified":"2026-01-01T00:00:00Z",
		"resourceUri":"pkg:docker/dhi/python@3.13?digest=`+digest+`&platform=linux%2Famd64",
		"policy":{"uri":"https://docker.com/dhi/policies","digest":{"sha256":"ab"}},
		"verificationResult":"FAILED","verifiedLevels":["SLSA_BUILD_LEVEL_1","SLSA_SOURCE_LEVEL_3"]}`)).VSA

	tests := []struct {
		name   string
		v      *VerificationSummary
		policy VSAPolicy
		want   []Mismatch
	}{
		{name: "passed, no other expectation", v: google},
		{
			name:   "verifier, policy and level met",
			v:      google,
			policy: VSAPolicy{VerifierIDs: []string{verifier}, PolicyURI: google.Policy.URI, MinLevels: []TrackLevel{{TrackBuild, 2}, {"build", 1}}},
		},
		{
			name:   "verifier without version",
			v:      google,
			policy: VSAPolicy{VerifierIDs: []string{"https://bcid.corp.google.com/verifier/bcid_package_enforcer/v0.2"}},
			want:   []Mismatch{{Expectation: ExpectVerifierID, Want: `"https://bcid.corp.google.com/verifier/bcid_package_enforcer/v0.2"`, Got: verifier}},
		},
		{
			name:   "level too low and track missing",
			v:      google,
			policy: VSAPolicy{MinLevels: []TrackLevel{{TrackBuild, 3}, {TrackSource, 1}}},
			want: []Mismatch{
				{Expectation: ExpectVerifiedLevel, Want: "SLSA_BUILD_LEVEL_3 or higher", Got: "BCID_L1,SLSA_BUILD_LEVEL_2"},
				{Expectation: ExpectVerifiedLevel, Want: "SLSA_SOURCE_LEVEL_1 or higher", Got: "BCID_L1,SLSA_BUILD_LEVEL_2"},
			},
		},
		{
			name:   "resource uri names no image digest",
			v:      google,
			policy: VSAPolicy{ResourceDigest: digest},
			want:   []Mismatch{{Expectation: ExpectResourceURI, Want: "a URI naming " + digest, Got: google.ResourceURI}},
		},
		{
			name:   "purl digest qualifier matches in any case",
			v:      failed,
			policy: VSAPolicy{ResourceDigest: strings.ToUpper(digest[:7]) + digest[7:], MinLevels: []TrackLevel{{TrackSource, 3}}},
			want:   []Mismatch{{Expectation: ExpectVerificationResult, Want: `"PASSED"`, Got: "FAILED"}},
		},
		{
			name: "every mismatch is listed",
			v:    failed,
			policy: VSAPolicy{
				VerifierIDs:    []string{verifier},
				ResourceDigest: "sha256:" + strings.Repeat("0", 64),
				PolicyURI:      "https://docker.com/other",
				MinLevels:      []TrackLevel{{TrackBuild, 3}},
			},
			want: []Mismatch{
				{Expectation: ExpectVerificationResult, Want: `"PASSED"`, Got: "FAILED"},
				{Expectation: ExpectVerifierID, Want: `"` + verifier + `"`, Got: "https://docker.com/verifier"},
				{Expectation: ExpectResourceURI, Want: "a URI naming sha256:" + strings.Repeat("0", 64), Got: failed.ResourceURI},
				{Expectation: ExpectPolicyURI, Want: `"https://docker.com/other"`, Got: "https://docker.com/dhi/policies"},
				{Expectation: ExpectVerifiedLevel, Want: "SLSA_BUILD_LEVEL_3 or higher", Got: "SLSA_BUILD_LEVEL_1,SLSA_SOURCE_LEVEL_3"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.v.CheckPolicy(tc.policy)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Check() = %v, want nil", err)
				}
				return
			}
			var pe *PolicyError
			if !errors.As(err, &pe) || !errors.Is(err, ErrPolicy) {
				t.Fatalf("Check() = %v, want a *PolicyError wrapping ErrPolicy", err)
			}
			if diff := cmp.Diff(tc.want, pe.Mismatches); diff != "" {
				t.Errorf("mismatches (-want +got):\n%s", diff)
			}
		})
	}
}

func TestVSACheckInvalidPolicy(t *testing.T) {
	t.Parallel()
	v := mustParse(t, dssePayload(t, fixture.Bytes(t, fxGoogleVSA))).VSA
	for _, p := range []VSAPolicy{
		{ResourceDigest: "sha256:abc"},
		{ResourceDigest: "md5:" + strings.Repeat("0", 32)},
		{MinLevels: []TrackLevel{{Level: 2}}},
		{MinLevels: []TrackLevel{{Track: TrackBuild, Level: -1}}},
	} {
		if err := v.CheckPolicy(p); !errors.Is(err, ErrInvalidPolicy) {
			t.Errorf("Check(%+v) = %v, want ErrInvalidPolicy", p, err)
		}
	}
}

func TestNamesDigest(t *testing.T) {
	t.Parallel()
	d := "sha256:" + strings.Repeat("ab", 32)
	tests := []struct {
		uri  string
		want bool
	}{
		{"pkg:docker/dhi/python@3.13?digest=" + d + "&platform=linux%2Famd64", true},
		{"pkg:docker/dhi/python@" + d, true},
		{"pkg:docker/dhi/python@3.13", false},
		{"pkg:docker/dhi/python@3.13?digest=" + d + "0", false},
		{"dhi.io/python@" + d, true},
		{"https://dhi.io/python@" + d + "?x=1", true},
		{"dhi.io/python:3.13", false},
		{"dhi.io/python@" + d + "/other", false},
		{"pkg:%zz", false},
	}
	for _, tc := range tests {
		if got := namesDigest(tc.uri, d); got != tc.want {
			t.Errorf("namesDigest(%q) = %v, want %v", tc.uri, got, tc.want)
		}
	}
}

func mustParse(tb testing.TB, b []byte) *Statement {
	tb.Helper()
	st, err := Parse(b)
	if err != nil {
		tb.Fatal(err)
	}
	return st
}
