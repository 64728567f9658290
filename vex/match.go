package vex

import (
	"slices"
	"strings"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/dhisdk/dhisdk/internal/purl"
)

// Query is what an [Index] is asked about: a vulnerability in a package,
// and the image the package is in. It is usually made from a scanner's
// finding (package dhi/vuln), but carries only what VEX matching reads.
type Query struct {
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
	// ImageAliases are other names of the same image, in the forms Image
	// takes: the reference it was opened with (a tag), its digest, its
	// repository, the name its vendor gives it. A product that names any of
	// them meets the query. Optional; values that are not image references
	// or image purls are ignored.
	ImageAliases []string
}

// Reading says how a statement's product was read when it met a query.
type Reading string

// The readings of a product.
const (
	// ReadingAsWritten is the product as the statement writes it: an image,
	// a package within an image, another product, or a bare package in a
	// document that names no image, which applies in any image.
	ReadingAsWritten Reading = "as-written"
	// ReadingImageScoped is a bare package product in a document whose
	// statements name images, applied only in those images: the images its
	// own statement names, or else those the document names. It is the
	// default reading of such products.
	ReadingImageScoped Reading = "image-scoped"
	// ReadingLiteral is a bare package product in a document whose
	// statements name images, applied in any image because the caller asked
	// for [WithLiteralProducts].
	ReadingLiteral Reading = "literal"
)

// Readings returns every [Reading].
func Readings() []Reading {
	return []Reading{ReadingAsWritten, ReadingImageScoped, ReadingLiteral}
}

// Valid reports whether r is one of [Readings].
func (r Reading) Valid() bool {
	switch r {
	case ReadingAsWritten, ReadingImageScoped, ReadingLiteral:
		return true
	}
	return false
}

// Match is one statement that meets a query, and how.
type Match struct {
	// Document is the document the statement comes from.
	Document *Document
	// Statement is the statement.
	Statement *Statement
	// Product is the identifier of the statement's product through which
	// the statement met the query.
	Product string
	// Subcomponent is the identifier of the product's subcomponent that met
	// the query's package, or "" when the product itself met it.
	Subcomponent string
	// Via is what met the product or subcomponent: the query's package,
	// a source package of it (see [WithSourceMapping]), or the query's
	// image.
	Via string
	// Reading says how the product was read: as written, or, for a bare
	// package product in a document whose statements name images, limited
	// to those images (the default) or applied in any image
	// ([WithLiteralProducts]).
	Reading Reading

	level       int
	specificity int
	viaSource   bool
	docIndex    int
}

// Status returns the statement's status.
func (m *Match) Status() Status { return m.Statement.Status }

// Decision is the outcome of matching a query against an index.
type Decision struct {
	// Status is the prevailing statement's status, or "" when no statement
	// meets the query.
	Status Status
	// Justification is the prevailing statement's justification, if any.
	Justification Justification
	// Match is the prevailing statement, nil when none meets the query.
	Match *Match
	// Others are the other statements that meet the query, in order of
	// precedence, one match per statement.
	Others []*Match
	// Conflict is true when another statement of a different status meets
	// the query at the same level and with the same time as the
	// prevailing one, so that only the tie-breaking rules chose between
	// them.
	Conflict bool
}

// Exploitable reports whether the query still needs attention: see
// [Status.Exploitable].
func (d Decision) Exploitable() bool { return d.Status.Exploitable() }

// Result is a query with its decision.
type Result struct {
	// Query is the query as given.
	Query
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

// Decide returns the decision for one query. It returns an error only for
// invalid options.
func (ix *Index) Decide(q Query, opts ...MatchOption) (Decision, error) {
	o, err := makeMatchOptions(opts)
	if err != nil {
		return Decision{}, err
	}
	m := matcher{ix: ix, o: o}
	return m.decide(q), nil
}

// Apply returns the decision for each query, in the order of queries. It
// returns an error only for invalid options.
func (ix *Index) Apply(queries []Query, opts ...MatchOption) ([]Result, error) {
	o, err := makeMatchOptions(opts)
	if err != nil {
		return nil, err
	}
	m := matcher{ix: ix, o: o, pkgs: map[string][]*candidate{}, images: map[string]*queryScope{}}
	out := make([]Result, len(queries))
	for i, q := range queries {
		out[i] = Result{Query: q, Decision: m.decide(q)}
	}
	return out, nil
}

// candidate is a parsed package of a query: the package itself or one of
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

// queryScope is the parsed image of a query.
type queryScope struct {
	// id is every name of the image; empty when the query's image is not
	// an image.
	id identity
	// prod is the query's Image as a package candidate (a purl or raw
	// identifier), to meet products named without subcomponents.
	prod *candidate
}

// matcher decides queries; its caches live for one Apply call.
type matcher struct {
	ix     *Index
	o      matchOptions
	pkgs   map[string][]*candidate
	images map[string]*queryScope
}

func (m *matcher) decide(q Query) Decision {
	class, ok := m.ix.classes[normalizeVuln(q.Vulnerability)]
	if !ok {
		return Decision{}
	}
	qs := m.scopeOf(q)
	var buf [16]Match
	found := buf[:0]
	for _, c := range m.candidatesOf(q.Package) {
		for _, e := range m.ix.byKey[lookupKey{class: class, key: c.nameKey}] {
			if e.img != nil || !e.pat.matches(c) {
				continue
			}
			level, reading := levelPackage, ReadingAsWritten
			switch {
			case e.scope != nil:
				if !qs.meets(e.scope) {
					continue
				}
				level = levelInProduct
			case e.within != nil && m.o.literal:
				reading = ReadingLiteral
			case e.within != nil:
				if !qs.within(e.within.images) {
					continue
				}
				reading = ReadingImageScoped
			}
			mt := e.match(level, c.raw)
			mt.Reading = reading
			mt.viaSource = c.viaSource
			found = append(found, mt)
		}
	}
	if qs != nil {
		// Statements whose product is the query's image (or containing
		// product) itself, without subcomponents.
		for _, repo := range qs.id.repos() {
			for _, e := range m.ix.byKey[lookupKey{class: class, key: imageRepoKey + repo}] {
				if e.img != nil && qs.id.meets(*e.img) {
					found = append(found, e.match(levelProduct, qs.prod.raw))
				}
			}
		}
		for _, d := range qs.id.digests {
			for _, e := range m.ix.byKey[lookupKey{class: class, key: imageDigestKey + d}] {
				if e.img != nil && qs.id.meets(*e.img) {
					found = append(found, e.match(levelProduct, qs.prod.raw))
				}
			}
		}
		for _, e := range m.ix.byKey[lookupKey{class: class, key: qs.prod.nameKey}] {
			if e.pat != nil && e.scope == nil && e.pat.matches(qs.prod) {
				mt := e.match(levelProduct, qs.prod.raw)
				mt.Reading = ReadingAsWritten
				found = append(found, mt)
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

// meets reports whether the query's image (qs, possibly nil) meets the
// product scope of a subcomponent.
func (qs *queryScope) meets(s *scope) bool {
	if qs == nil {
		return false
	}
	if s.img != nil {
		return qs.id.meets(*s.img)
	}
	return qs.prod != nil && s.pat.nameKey == qs.prod.nameKey && s.pat.matches(qs.prod)
}

// within reports whether the query's image (qs, possibly nil) is one of
// images.
func (qs *queryScope) within(images []*image) bool {
	if qs == nil {
		return false
	}
	for _, im := range images {
		if qs.id.meets(*im) {
			return true
		}
	}
	return false
}

// candidatesOf returns the query's package and its source packages.
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

// scopeOf parses the query's image and its aliases; nil when the query
// names no image.
func (m *matcher) scopeOf(q Query) *queryScope {
	if q.Image == "" && len(q.ImageAliases) == 0 {
		return nil
	}
	key := q.Image
	if len(q.ImageAliases) > 0 {
		key += "\x00" + strings.Join(q.ImageAliases, "\x00")
	}
	if m.images != nil {
		if qs, ok := m.images[key]; ok {
			return qs
		}
	}
	primary := q.Image
	if primary == "" {
		primary = q.ImageAliases[0]
	}
	qs := &queryScope{prod: newCandidate(primary)}
	for _, s := range append([]string{q.Image}, q.ImageAliases...) {
		if im, ok := imageOf(s); ok {
			qs.id.add(im)
		}
	}
	qs.id.alias(m.o.aliases)
	if m.images != nil {
		m.images[key] = qs
	}
	return qs
}

// imageOf parses an image reference or a pkg:docker or pkg:oci purl.
func imageOf(s string) (image, bool) {
	if s == "" {
		return image{}, false
	}
	if hasPURLScheme(s) {
		p, err := purl.Parse(s)
		if err != nil {
			return image{}, false
		}
		return imageFromPURL(p)
	}
	return imageFromReference(s)
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
	c.version = versionOf(p)
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
