package dhi

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/dhisdk/dhisdk/dhi/scanreport"
	"github.com/dhisdk/dhisdk/dhi/vuln"
	"github.com/dhisdk/dhisdk/internal/purl"
	"github.com/dhisdk/dhisdk/vex"
)

// ErrTriage is returned, wrapped, by [Platform.Triage] and [Image.Triage]
// when a report cannot be triaged against the image: it is about another
// image (the error then also wraps a [*scanreport.SubjectError]), or it
// names only the index and the image has several platforms.
var ErrTriage = errors.New("dhi: report not triaged")

// TriageOption configures [Platform.Triage] and [Image.Triage].
type TriageOption func(*triageOptions) error

// triageOptions are the settings of a triage.
type triageOptions struct {
	feed     []*vex.Document
	noDigest bool
	platform string
}

// WithFeed adds VEX documents to decide findings with, besides the
// platform's verified VEX attestations and the documents given to [Open]
// with [WithAdvisories]: OpenVEX documents read by [vex.Parse] or CSAF VEX
// documents read by package vex/csaf. Their statements apply by the rules
// of package vex (a feed document's bare products apply only in the images
// it names). The default is no feed document.
func WithFeed(docs ...*vex.Document) TriageOption {
	return func(o *triageOptions) error {
		for _, d := range docs {
			if d == nil {
				return errors.New("dhi: WithFeed: nil document")
			}
		}
		o.feed = append(o.feed, docs...)
		return nil
	}
}

// WithReportWithoutDigestUnsafe accepts a report that names no digest at
// all (a scan of a tar file or a directory, or Grype's SARIF, which names
// only what the scanner was given), which then cannot be shown to be about
// the image. A report that names digests, none of them the image's, is
// refused even with this option.
//
// Do not use this option unless you know the report is about this image:
// the image's VEX would otherwise decide the findings of another one. The
// default is to refuse such reports with an error wrapping
// [scanreport.ErrSubjectUnknown].
func WithReportWithoutDigestUnsafe() TriageOption {
	return func(o *triageOptions) error {
		o.noDigest = true
		return nil
	}
}

// WithReportPlatform names the platform ("linux/amd64", as
// [Platform.String] writes it) that [Image.Triage] triages a report
// against when the report names only the image's index digest, as Trivy
// and Grype do for a multi-platform image scanned by tag (they scan the
// platform of the host they run on). A report that names a platform
// manifest digest is triaged against that platform, whatever this option
// says. The default is none: such a report of an image with several
// platforms gives an error.
func WithReportPlatform(platform string) TriageOption {
	return func(o *triageOptions) error {
		if strings.TrimSpace(platform) == "" {
			return errors.New("dhi: WithReportPlatform: empty platform")
		}
		o.platform = platform
		return nil
	}
}

// makeTriageOptions applies opts over the defaults.
func makeTriageOptions(opts []TriageOption) (triageOptions, error) {
	var o triageOptions
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return o, err
		}
	}
	return o, nil
}

// Triage is a scanner report decided against one platform of an image.
type Triage struct {
	// Report is the report that was triaged.
	Report *scanreport.Report
	// Platform is the platform whose VEX decided the findings.
	Platform *Platform
	// Findings holds one entry per finding of Report.Findings, in the
	// report's order.
	Findings []TriagedFinding
	// Unbound is true when the report named no digest and was accepted
	// with [WithReportWithoutDigestUnsafe].
	Unbound bool
	// Encoded is the report written back in its own format with the
	// decisions recorded (see [scanreport.Report.Encode]).
	Encoded []byte
}

// TriagedFinding is one finding of a report with what was decided for it.
type TriagedFinding struct {
	// Finding is the finding as the report gives it.
	Finding vuln.Finding
	// PURL is the package URL the finding was matched by: its own, or, for
	// a finding without one (Trivy's SARIF names none), the purl of the
	// package of the image's SBOM with the finding's package name and
	// installed version; "" when neither is known.
	PURL string
	// Decision is the decision written back into the report. Its Statement
	// references the deciding statement (document @id and statement @id),
	// and its Source names the document and the reading that decided.
	Decision scanreport.Decision
	// Match is the VEX statement that decided, with its document, product
	// and reading ([vex.Match.Reading]); nil when no statement applies.
	Match *vex.Match
	// Conflict is true when statements of another status applied too and
	// only the tie-breaking rules of package vex chose between them.
	Conflict bool
	// Inconsistent is true when the finding's installed version is at or
	// above the scanner's own fixed version (see [scanreport.Inconsistent]).
	Inconsistent bool
	// VersionErr says why consistency could not be checked (a purl type
	// without a known version order, a version that order cannot read);
	// nil otherwise.
	VersionErr error
}

// Suppressed reports whether the decision removes the finding from the
// report: the VEX status is not_affected or fixed.
func (f TriagedFinding) Suppressed() bool { return f.Decision.Suppresses() }

// Decisions returns the decisions of t, one per finding of the report, as
// [scanreport.Report.Encode] takes them.
func (t *Triage) Decisions() []scanreport.Decision {
	out := make([]scanreport.Decision, len(t.Findings))
	for i, f := range t.Findings {
		out[i] = f.Decision
	}
	return out
}

// Suppressed returns how many findings the decisions remove from the
// report.
func (t *Triage) Suppressed() int {
	n := 0
	for _, f := range t.Findings {
		if f.Suppressed() {
			n++
		}
	}
	return n
}

// Triage decides each finding of a scanner report with the platform's
// VEX, and writes the report back with the decisions.
//
// The report must be about the image: [scanreport.Report.CheckSubject] is
// given the image's index digest and the platform's manifest digest. A
// report naming other digests fails with an error wrapping [ErrTriage] and
// a [*scanreport.SubjectError] that names the report's artifact and both
// sets of digests; a report naming none fails the same way unless
// [WithReportWithoutDigestUnsafe].
//
// Each finding is decided as [Platform.Vulnerabilities] decides the image's
// own: over the index of the platform's verified VEX attestations, the
// documents of [WithAdvisories] and those of [WithFeed]; with the image
// known by all its names (DHI name and digest, the reference it was opened
// with, its repository and [RepositoryAliases]); by the finding's ID, then
// its aliases; with the binary-to-source mapping of the platform's SBOMs and
// the source packages the scanner gives ([vuln.Finding.Upstreams], Grype's
// artifact.upstreams). A finding without a purl is matched by the purl of
// the SBOM package with its name and installed version. Each finding whose
// installed version is at or above the scanner's own fixed version is
// flagged Inconsistent in its decision, whatever VEX says.
//
// A platform without any VEX gives findings without decisions (but for
// inconsistencies); a platform without SBOM is triaged without the source
// mapping.
//
// A report that names another platform's manifest digest of the same image
// is refused too. A report that names only the index digest is taken to be
// about this platform: callers must triage it against the platform that was
// scanned (Trivy and Grype scan their host's, see [WithReportPlatform]).
func (p *Platform) Triage(r *scanreport.Report, opts ...TriageOption) (*Triage, error) {
	o, err := makeTriageOptions(opts)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, fmt.Errorf("%w: nil report", ErrTriage)
	}
	t := &Triage{Report: r, Platform: p}
	if err := r.CheckSubject(p.digests()...); err != nil {
		if !o.noDigest || !errors.Is(err, scanreport.ErrSubjectUnknown) {
			return nil, fmt.Errorf("%w against %s %s: %w", ErrTriage, p.img.Reference, p, err)
		}
		t.Unbound = true
	}
	if q := p.otherPlatformOf(r); q != nil {
		return nil, fmt.Errorf("%w against %s %s: the report on %q is about its platform %s (%s)",
			ErrTriage, p.img.Reference, p, r.Artifact.Name, q, q.Descriptor.Digest)
	}
	d, err := p.newDecider(r.Findings, o.feed)
	if err != nil {
		return nil, err
	}
	t.Findings = make([]TriagedFinding, len(r.Findings))
	for i, f := range r.Findings {
		if t.Findings[i], err = d.decide(f); err != nil {
			return nil, err
		}
	}
	if t.Encoded, err = r.Encode(t.Decisions()); err != nil {
		return nil, fmt.Errorf("dhi: writing the triaged report: %w", err)
	}
	return t, nil
}

// Triage triages a report against the platform it is about: the platform
// whose manifest digest the report names or, when it names only the index
// digest (or no digest, with [WithReportWithoutDigestUnsafe]), the image's
// only platform, or the one [WithReportPlatform] names. A report that
// names only the index (or nothing) of an image with several platforms,
// without that option, gives an error wrapping [ErrTriage]: call
// [Platform.Triage] on the platform that was scanned. A report about
// another image gives an error wrapping [ErrTriage] and a
// [*scanreport.SubjectError]. See [Platform.Triage].
func (img *Image) Triage(r *scanreport.Report, opts ...TriageOption) (*Triage, error) {
	if r == nil {
		return nil, fmt.Errorf("%w: nil report", ErrTriage)
	}
	o, err := makeTriageOptions(opts)
	if err != nil {
		return nil, err
	}
	if len(img.Platforms) == 0 {
		return nil, fmt.Errorf("%w: %s has no platform", ErrTriage, img.Reference)
	}
	for _, p := range img.Platforms {
		if r.CheckSubject(p.Descriptor.Digest.String()) == nil {
			return p.Triage(r, opts...)
		}
	}
	if len(img.Platforms) == 1 {
		return img.Platforms[0].Triage(r, opts...)
	}
	all := []string{img.Root.Digest.String()}
	for _, p := range img.Platforms {
		all = append(all, p.Descriptor.Digest.String())
	}
	if err := r.CheckSubject(all...); err != nil && !errors.Is(err, scanreport.ErrSubjectUnknown) {
		return nil, fmt.Errorf("%w against %s: %w", ErrTriage, img.Reference, err)
	}
	names := make([]string, len(img.Platforms))
	for i, p := range img.Platforms {
		if o.platform != "" && p.String() == o.platform {
			return p.Triage(r, opts...)
		}
		names[i] = p.String()
	}
	if o.platform != "" {
		return nil, fmt.Errorf("%w: %s has no platform %s (it has %s)", ErrTriage, img.Reference, o.platform, strings.Join(names, ", "))
	}
	return nil, fmt.Errorf("%w: the report on %q does not say which of the platforms %s of %s it is about; triage it against the platform that was scanned",
		ErrTriage, r.Artifact.Name, strings.Join(names, ", "), img.Reference)
}

// otherPlatformOf returns the platform of p's image, other than p, whose
// manifest digest the report names when it does not name p's; nil when
// there is none.
func (p *Platform) otherPlatformOf(r *scanreport.Report) *Platform {
	if r.CheckSubject(p.Descriptor.Digest.String()) == nil {
		return nil
	}
	for _, q := range p.img.Platforms {
		if q != p && q.Descriptor.Digest != p.Descriptor.Digest && r.CheckSubject(q.Descriptor.Digest.String()) == nil {
			return q
		}
	}
	return nil
}

// digests returns the image's index digest and the platform's manifest
// digest, once each.
func (p *Platform) digests() []string {
	out := []string{p.Descriptor.Digest.String()}
	if root := p.img.Root.Digest.String(); root != out[0] && p.img.Root.Digest.Hex != "" {
		out = append([]string{root}, out...)
	}
	return out
}

// decider decides findings against one platform.
type decider struct {
	idx     *vex.Index
	image   string
	aliases []string
	mopts   []vex.MatchOption
	byName  map[string]string // "name@version" -> SBOM purl
}

// newDecider builds the VEX index, the image identity and the source
// mapping (SBOM and the findings' upstreams) for a triage.
func (p *Platform) newDecider(findings []vuln.Finding, feed []*vex.Document) (*decider, error) {
	idx, err := p.VEX()
	if err != nil && !errors.Is(err, ErrNoAttestation) {
		return nil, err
	}
	if len(feed) > 0 {
		var docs []*vex.Document
		if idx != nil {
			docs = idx.Documents()
		}
		idx = vex.NewIndex(append(docs, feed...)...)
	}
	d := &decider{idx: idx, image: p.vexImage(), aliases: p.vexImageAliases()}
	d.mopts = []vex.MatchOption{vex.WithRepositoryAliases(RepositoryAliases)}
	sbomSources := p.sourceMapping()
	upstreams := upstreamSources(findings)
	if sbomSources != nil || len(upstreams) > 0 {
		d.mopts = append(d.mopts, vex.WithSourceMapping(func(u string) []string {
			var out []string
			if sbomSources != nil {
				out = sbomSources(u)
			}
			for _, s := range upstreams[u] {
				if !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
			return out
		}))
	}
	if slices.ContainsFunc(findings, func(f vuln.Finding) bool { return f.PURL == "" && f.Package != "" }) {
		if pkgs, err := p.Packages(); err == nil {
			d.byName = map[string]string{}
			for _, pk := range pkgs {
				k := pk.Name + "@" + pk.Version
				if _, ok := d.byName[k]; !ok && pk.PURL != "" {
					d.byName[k] = pk.PURL
				}
			}
		}
	}
	return d, nil
}

// upstreamSources maps the purl of each finding that names source packages
// (Grype's artifact.upstreams) to the purls of those sources: the binary's
// type, namespace and identifying qualifiers but arch, the source's name,
// and its version or else the binary's.
func upstreamSources(findings []vuln.Finding) map[string][]string {
	out := map[string][]string{}
	for _, f := range findings {
		if len(f.Upstreams) == 0 || f.PURL == "" {
			continue
		}
		if _, done := out[f.PURL]; done {
			continue
		}
		b, err := purl.Parse(f.PURL)
		if err != nil {
			continue
		}
		var srcs []string
		for _, up := range f.Upstreams {
			if up.Name == "" {
				continue
			}
			v := up.Version
			if v == "" {
				v = b.Version
			}
			src := packageurl.PackageURL{Type: b.Type, Namespace: b.Namespace, Name: up.Name, Version: v}
			for _, q := range purl.KeyQualifiers(b) {
				if q.Key != "arch" {
					src.Qualifiers = append(src.Qualifiers, q)
				}
			}
			if s := src.ToString(); !slices.Contains(srcs, s) {
				srcs = append(srcs, s)
			}
		}
		out[f.PURL] = srcs
	}
	return out
}

// decide decides one finding.
func (d *decider) decide(f vuln.Finding) (TriagedFinding, error) {
	t := TriagedFinding{Finding: f, PURL: f.PURL}
	if t.PURL == "" && d.byName != nil {
		t.PURL = d.byName[f.Package+"@"+f.InstalledVersion]
	}
	if t.PURL != "" && f.FixedIn != "" {
		g := f
		g.PURL = t.PURL
		t.Inconsistent, t.VersionErr = scanreport.Inconsistent(g)
	}
	if d.idx != nil && t.PURL != "" {
		for _, id := range append([]string{f.ID}, f.Aliases...) {
			if id == "" {
				continue
			}
			dec, err := d.idx.Decide(vex.Query{Vulnerability: id, Package: t.PURL, Image: d.image, ImageAliases: d.aliases}, d.mopts...)
			if err != nil {
				return t, err
			}
			if dec.Match != nil {
				t.Match, t.Conflict = dec.Match, dec.Conflict
				t.Decision = decisionOf(dec)
				break
			}
		}
	}
	t.Decision.Inconsistent = t.Inconsistent
	return t, nil
}

// decisionOf writes a VEX decision in the terms of a scanner report.
func decisionOf(dec vex.Decision) scanreport.Decision {
	m := dec.Match
	st := m.Statement
	out := scanreport.Decision{
		Status:    scanreport.Status(dec.Status),
		Statement: statementRef(m),
		Source:    fmt.Sprintf("VEX %s (%s reading of %s)", docName(m.Document), m.Reading, m.Product),
	}
	if !out.Status.Valid() {
		out.Status = ""
	}
	if j := scanreport.Justification(dec.Justification); j.Valid() && out.Status == scanreport.StatusNotAffected {
		out.Justification = j
	}
	out.Impact = cmp.Or(st.ImpactStatement, st.StatusNotes, st.ActionStatement)
	return out
}

// statementRef names a statement: its document's @id (or name) and its
// own @id, or its position when it has none.
func statementRef(m *vex.Match) string {
	doc := m.Document.ID
	if doc == "" {
		doc = m.Document.Name
	}
	if m.Statement.ID != "" {
		return doc + "#" + m.Statement.ID
	}
	return fmt.Sprintf("%s#statements[%d]", doc, m.Statement.Index)
}

// docName names a document for people: its name, else its @id.
func docName(d *vex.Document) string {
	if d.Name != "" {
		return d.Name
	}
	return d.ID
}
