package vex

import (
	"slices"
	"strings"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/dhisdk/dhisdk/internal/purl"
)

// Finding is a vulnerability that a scanner reported in a package.
type Finding struct {
	// Vulnerability is the vulnerability's identifier (CVE, GHSA, GO, ...);
	// it is compared without regard to case, with the names and aliases of
	// statements.
	Vulnerability string
	// Package is the package's purl, as the scanner or the SBOM wrote it;
	// a value that is not a purl matches identical identifiers only.
	Package string
	// Image is the image the package was found in, or "" when unknown: an
	// image reference (dhi.io/python:3.13, dhi.io/python@sha256:...), a
	// pkg:docker or pkg:oci purl, or the purl of another product that
	// contains the package (such as the Go binary a module is linked into).
	Image string
}

// Match is one statement that meets a finding, and how.
type Match struct {
	// Document is the document the statement comes from.
	Document *Document
	// Statement is the statement.
	Statement *Statement
	// Product is the identifier of the statement's product through which
	// the statement met the finding.
	Product string
	// Subcomponent is the identifier of the product's subcomponent that met
	// the finding's package, or "" when the product itself met it.
	Subcomponent string
	// Via is what met the product or subcomponent: the finding's package,
	// a source package of it (see [WithSourceMapping]), or the finding's
	// image.
	Via string

	level       int
	specificity int
	viaSource   bool
	docIndex    int
}

// Status returns the statement's status.
func (m *Match) Status() Status { return m.Statement.Status }

// Decision is the outcome of matching a finding against an index.
type Decision struct {
	// Status is the prevailing statement's status, or "" when no statement
	// meets the finding.
	Status Status
	// Justification is the prevailing statement's justification, if any.
	Justification Justification
	// Match is the prevailing statement, nil when none meets the finding.
	Match *Match
	// Others are the other statements that meet the finding, in order of
	// precedence, one match per statement.
	Others []*Match
	// Conflict is true when another statement of a different status meets
	// the finding at the same level and with the same time as the
	// prevailing one, so that only the tie-breaking rules chose between
	// them.
	Conflict bool
}

// Exploitable reports whether the finding still needs attention: see
// [Status.Exploitable].
func (d Decision) Exploitable() bool { return d.Status.Exploitable() }

// Result is a finding with its decision.
type Result struct {
	// Finding is the finding as given.
	Finding
	// Decision is its decision.
	Decision
}

// Exploitable returns the results that still need attention: those whose
// status is affected, under investigation, or that no statement meets. It
// keeps their order.
func Exploitable(results []Result) []Result {
	var out []Result
	for _, r := range results {
		if r.Decision.Exploitable() {
			out = append(out, r)
		}
	}
	return out
}

// Decide returns the decision for one finding. It returns an error only for
// invalid options.
func (ix *Index) Decide(f Finding, opts ...MatchOption) (Decision, error) {
	o, err := makeMatchOptions(opts)
	if err != nil {
		return Decision{}, err
	}
	m := matcher{ix: ix, o: o}
	return m.decide(f), nil
}

// Apply returns the decision for each finding, in the order of findings. It
// returns an error only for invalid options.
func (ix *Index) Apply(findings []Finding, opts ...MatchOption) ([]Result, error) {
	o, err := makeMatchOptions(opts)
	if err != nil {
		return nil, err
	}
	m := matcher{ix: ix, o: o, pkgs: map[string][]*candidate{}, images: map[string]*findingScope{}}
	out := make([]Result, len(findings))
	for i, f := range findings {
		out[i] = Result{Finding: f, Decision: m.decide(f)}
	}
	return out, nil
}

// candidate is a parsed package of a finding: the package itself or one of
// its source packages.
type candidate struct {
	raw       string
	isPURL    bool
	purl      packageurl.PackageURL
	nameKey   string
	version   string
	quals     packageurl.Qualifiers
	viaSource bool
}

// findingScope is the parsed image of a finding.
type findingScope struct {
	img    image
	hasImg bool
	// prod is the image as a package candidate (a purl or raw identifier),
	// to meet products named without subcomponents.
	prod *candidate
}

// matcher decides findings; its caches live for one Apply call.
type matcher struct {
	ix     *Index
	o      matchOptions
	pkgs   map[string][]*candidate
	images map[string]*findingScope
}

func (m *matcher) decide(f Finding) Decision {
	class, ok := m.ix.classes[normalizeVuln(f.Vulnerability)]
	if !ok {
		return Decision{}
	}
	fs := m.scopeOf(f.Image)
	var buf [16]Match
	found := buf[:0]
	for _, c := range m.candidatesOf(f.Package) {
		for _, e := range m.ix.byKey[lookupKey{class: class, key: c.nameKey}] {
			if e.img != nil || !e.pat.matches(c) {
				continue
			}
			level := levelPackage
			if e.scope != nil {
				if !fs.meets(e.scope) {
					continue
				}
				level = levelInProduct
			}
			mt := e.match(level, c.raw)
			mt.viaSource = c.viaSource
			found = append(found, mt)
		}
	}
	if fs != nil {
		// Statements whose product is the finding's image (or containing
		// product) itself, without subcomponents.
		if fs.hasImg {
			keys := [2]string{imageRepoKey + fs.img.repo}
			if fs.img.digest != "" {
				keys[1] = imageDigestKey + fs.img.digest
			}
			for _, k := range keys {
				if k == "" {
					continue
				}
				for _, e := range m.ix.byKey[lookupKey{class: class, key: k}] {
					if e.img != nil && e.img.matches(fs.img) {
						found = append(found, e.match(levelProduct, fs.prod.raw))
					}
				}
			}
		}
		for _, e := range m.ix.byKey[lookupKey{class: class, key: fs.prod.nameKey}] {
			if e.pat != nil && e.scope == nil && e.pat.matches(fs.prod) {
				found = append(found, e.match(levelProduct, fs.prod.raw))
			}
		}
	}
	return decision(found)
}

// decision orders the matches by precedence, keeps the best match of each
// statement, and decides.
func decision(found []Match) Decision {
	if len(found) == 0 {
		return Decision{}
	}
	slices.SortFunc(found, func(a, b Match) int { return compareMatches(&a, &b) })
	// Keep the first (best) match of each statement, in place.
	n := 0
	for i := range found {
		dup := false
		for j := 0; j < n; j++ {
			if found[j].Statement == found[i].Statement {
				dup = true
				break
			}
		}
		if !dup {
			found[n] = found[i]
			n++
		}
	}
	out := make([]Match, n)
	copy(out, found[:n])
	best := &out[0]
	d := Decision{
		Status:        best.Status(),
		Justification: best.Statement.Justification,
		Match:         best,
	}
	if n > 1 {
		d.Others = make([]*Match, n-1)
		for i := 1; i < n; i++ {
			o := &out[i]
			d.Others[i-1] = o
			if o.level == best.level && o.Statement.Time.Equal(best.Statement.Time) && o.Status() != best.Status() {
				d.Conflict = true
			}
		}
	}
	return d
}

// meets reports whether the finding's image (fs, possibly nil) meets the
// product scope of a subcomponent.
func (fs *findingScope) meets(s *scope) bool {
	if fs == nil {
		return false
	}
	if s.img != nil {
		return fs.hasImg && s.img.matches(fs.img)
	}
	return fs.prod != nil && s.pat.nameKey == fs.prod.nameKey && s.pat.matches(fs.prod)
}

// candidatesOf returns the finding's package and its source packages.
func (m *matcher) candidatesOf(pkg string) []*candidate {
	if pkg == "" {
		return nil
	}
	if m.pkgs != nil {
		if cs, ok := m.pkgs[pkg]; ok {
			return cs
		}
	}
	direct := newCandidate(pkg)
	cs := []*candidate{direct}
	addSource := func(c *candidate) {
		for _, o := range cs {
			if o.raw == c.raw {
				return
			}
		}
		c.viaSource = true
		cs = append(cs, c)
	}
	if m.o.upstream && direct.isPURL {
		if src, ok := upstreamSource(direct.purl); ok {
			addSource(newCandidate(src))
		}
	}
	if m.o.sources != nil {
		for _, s := range m.o.sources(pkg) {
			if s != "" {
				addSource(newCandidate(s))
			}
		}
	}
	if m.pkgs != nil {
		m.pkgs[pkg] = cs
	}
	return cs
}

// scopeOf parses the finding's image; nil for "".
func (m *matcher) scopeOf(s string) *findingScope {
	if s == "" {
		return nil
	}
	if m.images != nil {
		if fs, ok := m.images[s]; ok {
			return fs
		}
	}
	fs := &findingScope{prod: newCandidate(s)}
	if fs.prod.isPURL {
		fs.img, fs.hasImg = imageFromPURL(fs.prod.purl)
	} else {
		fs.img, fs.hasImg = imageFromReference(s)
	}
	if m.images != nil {
		m.images[s] = fs
	}
	return fs
}

// newCandidate parses a package identifier.
func newCandidate(s string) *candidate {
	c := &candidate{raw: s, nameKey: s}
	if !hasPURLScheme(s) {
		return c
	}
	p, err := purl.Parse(s)
	if err != nil {
		return c
	}
	c.isPURL = true
	c.purl = p
	c.nameKey = purl.Key(p, purl.NameOnly)
	c.version = purl.Version(p)
	c.quals = purl.KeyQualifiers(p)
	return c
}

// upstreamSource returns the purl of the source package that the upstream
// qualifier of a binary package purl names, and true; false when there is
// none or it names the package itself. The version is the one in the
// qualifier ("name@version") or else the binary's; the identifying
// qualifiers other than arch are kept.
func upstreamSource(p packageurl.PackageURL) (string, bool) {
	var up string
	for _, q := range p.Qualifiers {
		if q.Key == "upstream" {
			up = q.Value
		}
	}
	if up == "" {
		return "", false
	}
	name, version, _ := strings.Cut(up, "@")
	if version == "" {
		version = p.Version
	}
	if name == "" || (name == p.Name && version == p.Version) {
		return "", false
	}
	src := packageurl.PackageURL{Type: p.Type, Namespace: p.Namespace, Name: name, Version: version}
	for _, q := range purl.KeyQualifiers(p) {
		if q.Key != "arch" {
			src.Qualifiers = append(src.Qualifiers, q)
		}
	}
	return src.ToString(), true
}
