package dhi

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dhisdk/dhisdk/dhi/predicate"
	"github.com/dhisdk/dhisdk/dhi/vuln"
	"github.com/dhisdk/dhisdk/internal/imageref"
	"github.com/dhisdk/dhisdk/internal/purl"
	"github.com/dhisdk/dhisdk/provenance"
	"github.com/dhisdk/dhisdk/vex"
)

// Used returns the attestations the platform's queries use (those that
// verified, unless [WithUnverifiedUnsafe]) of the given kinds, or of every
// kind when none is given, in discovery order.
func (p *Platform) Used(kinds ...Kind) []*Attestation {
	var out []*Attestation
	for _, a := range p.Attestations {
		if a.Used && (len(kinds) == 0 || slices.Contains(kinds, a.Kind)) {
			out = append(out, a)
		}
	}
	return out
}

// Unverified returns the attestations that did not verify, with their
// reasons in Reason and Err.
func (p *Platform) Unverified() []*Attestation {
	var out []*Attestation
	for _, a := range p.Attestations {
		if !a.Verified {
			out = append(out, a)
		}
	}
	return out
}

// noAttestation returns ErrNoAttestation naming the kind, and how many
// attestations of that kind were found but not used.
func (p *Platform) noAttestation(k Kind) error {
	var rejected int
	for _, a := range p.Attestations {
		if a.Kind == k && !a.Used {
			rejected++
		}
	}
	if rejected > 0 {
		return fmt.Errorf("%w: %s for %s (%d found, none verified)", ErrNoAttestation, k, p, rejected)
	}
	return fmt.Errorf("%w: %s for %s", ErrNoAttestation, k, p)
}

// parseEach parses the document of every used attestation of kind k, and
// fails with ErrNoAttestation when there is none.
func parseEach[T any](p *Platform, k Kind, parse func(a *Attestation, doc []byte) (T, error)) ([]T, error) {
	used := p.Used(k)
	if len(used) == 0 {
		return nil, p.noAttestation(k)
	}
	out := make([]T, 0, len(used))
	for _, a := range used {
		v, err := parse(a, a.statement.Document())
		if err != nil {
			return nil, fmt.Errorf("dhi: %s attestation %s of %s: %w", k, a.Discovered.Manifest.Digest, p, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// memoFirst caches the first parsed value of kind k.
func memoFirst[T any](p *Platform, k Kind, parse func([]byte) (T, error)) (T, error) {
	v, err := p.memo(string(k), func() (any, error) {
		all, err := parseEach(p, k, func(_ *Attestation, doc []byte) (T, error) { return parse(doc) })
		if err != nil {
			return nil, err
		}
		return all[0], nil
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}

// FIPS returns the FIPS 140 modules of the platform's FIPS attestation
// (FIPS variants only), or an error wrapping [ErrNoAttestation].
func (p *Platform) FIPS() (predicate.FIPS, error) { return memoFirst(p, KindFIPS, predicate.ParseFIPS) }

// STIG returns the STIG scan of the platform's STIG attestation (STIG
// variants only), or an error wrapping [ErrNoAttestation].
func (p *Platform) STIG() (predicate.STIG, error) { return memoFirst(p, KindSTIG, predicate.ParseSTIG) }

// Tests returns the results of the platform's test attestation.
func (p *Platform) Tests() (predicate.Tests, error) {
	return memoFirst(p, KindTests, predicate.ParseTests)
}

// Secrets returns the findings of the platform's secrets scan.
func (p *Platform) Secrets() (predicate.Secrets, error) {
	return memoFirst(p, KindSecrets, predicate.ParseSecrets)
}

// VirusScan returns the platform's virus scan.
func (p *Platform) VirusScan() (predicate.VirusScan, error) {
	return memoFirst(p, KindVirusScan, predicate.ParseVirusScan)
}

// ImageSource returns the image of source materials the platform's image
// source attestation names.
func (p *Platform) ImageSource() (predicate.ImageSource, error) {
	return memoFirst(p, KindImageSource, predicate.ParseImageSource)
}

// ScoutProvenance returns the platform's Scout provenance (its base image).
func (p *Platform) ScoutProvenance() (predicate.ScoutProvenance, error) {
	return memoFirst(p, KindScoutProvenance, predicate.ParseScoutProvenance)
}

// Provenance returns the platform's SLSA build provenance, normalized
// across SLSA versions. When the platform carries several (DHI images may
// carry v0.2 and v1), the newest SLSA version is returned; [Platform.Used]
// lists them all.
func (p *Platform) Provenance() (*provenance.Provenance, error) {
	v, err := p.memo("provenance", func() (any, error) {
		all, err := parseEach(p, KindProvenance, func(a *Attestation, doc []byte) (*provenance.Statement, error) {
			return provenance.ParsePredicate(a.PredicateType, doc)
		})
		if err != nil {
			return nil, err
		}
		best := slices.MaxFunc(all, func(a, b *provenance.Statement) int {
			return cmp.Compare(provenanceRank(a.PredicateType), provenanceRank(b.PredicateType))
		})
		return best.Provenance, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*provenance.Provenance), nil
}

func provenanceRank(pt string) int {
	switch pt {
	case provenance.PredicateTypeV1:
		return 3
	case provenance.PredicateTypeV02:
		return 2
	}
	return 1
}

// VSA returns the platform's SLSA verification summary. A summary whose
// resourceUri names neither the platform digest nor the index digest is
// about another resource: VSA returns a [*ResourceError] (wrapping
// [ErrIncoherent]) instead.
func (p *Platform) VSA() (*provenance.VerificationSummary, error) {
	v, err := p.memo("vsa", func() (any, error) {
		all, err := parseEach(p, KindVSA, func(a *Attestation, doc []byte) (*provenance.Statement, error) {
			return provenance.ParsePredicate(a.PredicateType, doc)
		})
		if err != nil {
			return nil, err
		}
		vsa := all[0].VSA
		if !vsa.NamesDigest(p.Descriptor.Digest.String()) && !vsa.NamesDigest(p.img.Root.Digest.String()) {
			return nil, &ResourceError{Kind: KindVSA, ResourceURI: vsa.ResourceURI, Digest: p.Descriptor.Digest.String()}
		}
		return vsa, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*provenance.VerificationSummary), nil
}

// ErrIncoherent reports attestations of an image that contradict it or
// each other, such as a verification summary about another resource; see
// [ResourceError].
var ErrIncoherent = errors.New("dhi: attestation contradicts the image")

// ResourceError reports an attestation whose content names another
// resource than the image it is attached to and whose statement subject
// names: a verification summary whose resourceUri does not name the
// platform (or index) digest.
type ResourceError struct {
	// Kind is the attestation's kind, such as [KindVSA].
	Kind Kind
	// ResourceURI is the resource the attestation names.
	ResourceURI string
	// Digest is the platform manifest digest it should name.
	Digest string
}

// Error implements error.
func (e *ResourceError) Error() string {
	return fmt.Sprintf("dhi: the %s is about %q, which does not name the image %s", e.Kind, e.ResourceURI, e.Digest)
}

// Unwrap returns [ErrIncoherent].
func (e *ResourceError) Unwrap() error { return ErrIncoherent }

// Findings returns every vulnerability finding of the platform's scan
// attestations (Scout and in-toto formats), before VEX is applied. Findings
// of the same vulnerability and package from several scans are merged into
// one whose Sources lists every scan (see [mergeFindings]).
func (p *Platform) Findings() ([]vuln.Finding, error) {
	v, err := p.memo("findings", func() (any, error) {
		all, err := parseEach(p, KindVulnerabilityScan, func(a *Attestation, doc []byte) ([]vuln.Finding, error) {
			return predicate.ParseFindings(a.PredicateType, doc)
		})
		if err != nil {
			return nil, err
		}
		return mergeFindings(all), nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]vuln.Finding), nil
}

// VEX returns one index of every VEX statement that applies to the
// platform: those of its VEX attestations (an image may carry several) and
// the documents given with [WithAdvisories]. It fails with
// [ErrNoAttestation] only when there is neither.
func (p *Platform) VEX() (*vex.Index, error) {
	v, err := p.memo("vex", func() (any, error) {
		var docs []*vex.Document
		for _, a := range p.Used(KindVEX) {
			// Platforms usually carry the same VEX document: parse it once.
			doc := a.statement.Document()
			source := "attestation " + a.Discovered.Manifest.Digest.String()
			v, err := p.img.sharedParse(KindVEX, doc, func() (any, error) {
				return vex.Parse(doc, vex.WithDocumentName(source))
			})
			if err != nil {
				return nil, fmt.Errorf("dhi: VEX attestation %s of %s: %w", a.Discovered.Manifest.Digest, p, err)
			}
			// A shallow copy names this platform's attestation as the source
			// of the decisions it makes; the statements are shared.
			d := *v.(*vex.Document)
			d.Name = source
			docs = append(docs, &d)
		}
		docs = append(docs, p.img.opts.advisories...)
		if len(docs) == 0 {
			return nil, p.noAttestation(KindVEX)
		}
		return vex.NewIndex(docs...), nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*vex.Index), nil
}

// Vulnerability is a finding of the platform's scans with the VEX status
// decided for it over every VEX statement that applies.
type Vulnerability struct {
	vuln.Finding
	// Status is the VEX status; empty when no statement applies.
	Status vex.Status `json:"status,omitempty"`
	// Justification is the justification of a not_affected status.
	Justification vex.Justification `json:"justification,omitempty"`
	// Statement is the VEX statement that decided the status; nil when
	// none applies.
	Statement *vex.Match `json:"-"`
	// Conflict is true when statements of another status applied too and
	// only the tie-breaking rules chose between them.
	Conflict bool `json:"conflict,omitempty"`
	// FixInstalled flags a finding whose installed version is at or above
	// the version that fixes it, in the package ecosystem's version order
	// ([osv.OrderForPURL]): the scan contradicts itself, or is older than
	// the package. The finding is kept, with its VEX status; a gate may
	// choose to ignore it or to distrust the scan.
	FixInstalled bool `json:"fixInstalled,omitempty"`
}

// Exploitable reports whether the vulnerability still needs attention: it
// is affected, under investigation, or no statement covers it.
func (v Vulnerability) Exploitable() bool { return v.Status.Exploitable() }

// Vulnerabilities returns the platform's findings, each with its VEX status
// decided over the platform's VEX attestations and the advisories given
// with [WithAdvisories], sorted by severity (highest first), then ID and
// package. Binary packages meet statements about their source package
// through the platform's SBOMs when it has any. The image is known to VEX by
// every name it has: the DHI name with the platform digest, the reference it
// was opened with (a tag), its repository, and the names DHI gives that
// repository ([RepositoryAliases]). A statement of a feed document applies
// only in the images it names (see package vex). With no VEX at all, every
// finding comes back without a status.
func (p *Platform) Vulnerabilities() ([]Vulnerability, error) {
	v, err := p.memo("vulnerabilities", func() (any, error) {
		findings, err := p.Findings()
		if err != nil {
			return nil, err
		}
		idx, err := p.VEX()
		if err != nil && !errors.Is(err, ErrNoAttestation) {
			return nil, err
		}
		out := make([]Vulnerability, len(findings))
		image, aliases := p.vexImage(), p.vexImageAliases()
		mopts := []vex.MatchOption{vex.WithRepositoryAliases(RepositoryAliases)}
		if m := p.sourceMapping(); m != nil {
			mopts = append(mopts, vex.WithSourceMapping(m))
		}
		for i, f := range findings {
			out[i] = Vulnerability{Finding: f, FixInstalled: fixInstalled(f)}
			if idx == nil {
				continue
			}
			ids := append([]string{f.ID}, f.Aliases...)
			for _, id := range ids {
				d, err := idx.Decide(vex.Query{Vulnerability: id, Package: f.PURL, Image: image, ImageAliases: aliases}, mopts...)
				if err != nil {
					return nil, err
				}
				if d.Match != nil {
					out[i].Status, out[i].Justification, out[i].Statement, out[i].Conflict = d.Status, d.Justification, d.Match, d.Conflict
					break
				}
			}
		}
		slices.SortStableFunc(out, func(a, b Vulnerability) int {
			return cmp.Or(cmp.Compare(b.Severity.Rank(), a.Severity.Rank()), strings.Compare(a.ID, b.ID), strings.Compare(a.PURL, b.PURL))
		})
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]Vulnerability), nil
}

// Exploitable returns the platform's vulnerabilities that still need
// attention after VEX (see [Vulnerability.Exploitable]).
func (p *Platform) Exploitable() ([]Vulnerability, error) {
	all, err := p.Vulnerabilities()
	if err != nil {
		return nil, err
	}
	var out []Vulnerability
	for _, v := range all {
		if v.Exploitable() {
			out = append(out, v)
		}
	}
	return out, nil
}

// vexImage names the platform's image as VEX products name DHI images: the
// DHI name from the labels (or the repository), with the platform digest.
func (p *Platform) vexImage() string {
	n := p.Labels[LabelName]
	if n == "" {
		n = p.img.Repository
	}
	return n + "@" + p.Descriptor.Digest.String()
}

// vexImageAliases returns the other names of the platform's image for VEX
// matching: the reference it was opened with (which may carry a tag), and
// its repository with the platform digest. Names that are not image
// references (such as the path of an OCI layout) are left out.
func (p *Platform) vexImageAliases() []string {
	var out []string
	for _, s := range []string{p.img.Reference, p.img.Repository + "@" + p.Descriptor.Digest.String()} {
		if r, err := imageref.Parse(s); err == nil && strings.Contains(s, "/") {
			out = append(out, r.String())
		}
	}
	return out
}

// BaseImage returns the image the platform was built from, as its
// provenance names it (an image with the base role, for BuildKit
// provenance) or, failing that, as its Scout provenance does.
func (p *Platform) BaseImage() (string, error) {
	prov, perr := p.Provenance()
	if perr == nil {
		for _, im := range prov.Images {
			if im.Role == provenance.ImageRoleBase {
				return im.Reference(), nil
			}
		}
	}
	sp, err := p.ScoutProvenance()
	if err == nil && sp.BaseImage != "" {
		return sp.BaseImage, nil
	}
	if perr != nil && !errors.Is(perr, ErrNoAttestation) {
		return "", perr
	}
	if err != nil && !errors.Is(err, ErrNoAttestation) {
		return "", err
	}
	return "", fmt.Errorf("%w: no base image named for %s", ErrNoAttestation, p)
}

// VulnerabilityQuery selects vulnerabilities; empty fields select
// everything.
type VulnerabilityQuery struct {
	// MinSeverity selects vulnerabilities at least this severe. A finding
	// of unknown severity ([vuln.SeverityUnspecified]: the scanner gave
	// none, or one the SDK does not know) ranks below low, so MinSeverity
	// high leaves it out, unless UnknownAs says otherwise.
	MinSeverity vuln.Severity
	// UnknownAs is the severity a finding of unknown severity counts as
	// for MinSeverity; gates that fail closed set it to
	// [vuln.SeverityHigh] or [vuln.SeverityCritical]. The default ("") is
	// [vuln.SeverityUnspecified], below low. The finding's Severity is
	// left as reported.
	UnknownAs vuln.Severity
	// Statuses selects vulnerabilities with one of these VEX statuses; the
	// empty status selects those no statement covers.
	Statuses []vex.Status
	// PURL selects vulnerabilities of a package: by type, namespace and
	// name, and by version when the query gives one.
	PURL string
	// ID selects a vulnerability by ID or alias.
	ID string
	// Exploitable selects only what still needs attention after VEX.
	Exploitable bool
}

// rank is the rank of s under the query's rule for unknown severity.
func (q VulnerabilityQuery) rank(s vuln.Severity) int {
	if (s == vuln.SeverityUnspecified || !s.Valid()) && q.UnknownAs != "" {
		return q.UnknownAs.Rank()
	}
	return s.Rank()
}

// FindVulnerabilities returns the platform's vulnerabilities that q
// selects, in the order of [Platform.Vulnerabilities].
func (p *Platform) FindVulnerabilities(q VulnerabilityQuery) ([]Vulnerability, error) {
	all, err := p.Vulnerabilities()
	if err != nil {
		return nil, err
	}
	var wantKey string
	prec := purl.NameOnly
	if q.PURL != "" {
		u, err := purl.Parse(q.PURL)
		if err != nil {
			return nil, fmt.Errorf("dhi: FindVulnerabilities: %w", err)
		}
		if u.Version != "" {
			prec = purl.WithVersion
		}
		wantKey = purl.Key(u, prec)
	}
	var out []Vulnerability
	for _, v := range all {
		switch {
		case q.MinSeverity != "" && q.rank(v.Severity) < q.MinSeverity.Rank(),
			q.Statuses != nil && !slices.Contains(q.Statuses, v.Status),
			q.ID != "" && v.ID != q.ID && !slices.Contains(v.Aliases, q.ID),
			q.Exploitable && !v.Exploitable():
			continue
		}
		if wantKey != "" {
			u, err := purl.Parse(v.PURL)
			if err != nil || purl.Key(u, prec) != wantKey {
				continue
			}
		}
		out = append(out, v)
	}
	return out, nil
}
