package vex

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/dhisdk/dhisdk/internal/imageref"
	"github.com/dhisdk/dhisdk/internal/purl"
)

// Index merges any number of documents into one structure that answers, for
// a vulnerability, a package and an image, which statement prevails. It is
// immutable once built and safe for concurrent use.
//
// See the package documentation for how products match and which statement
// prevails.
type Index struct {
	docs []*Document
	// classes maps a normalized vulnerability identifier (name or alias) to
	// its alias class.
	classes map[string]int32
	// byKey holds the entries of each alias class under the lookup key of
	// their component: a purl's NameOnly key, a raw identifier, or an image
	// key (imageDigestKey, imageRepoKey).
	byKey     map[lookupKey][]*entry
	problems  []*ValidationError
	conflicts []Conflict
	entries   int
}

type lookupKey struct {
	class int32
	key   string
}

// Lookup keys of image products start with a NUL byte, which no purl or IRI
// contains.
const (
	imageDigestKey = "\x00digest:"
	imageRepoKey   = "\x00repo:"
)

// entry is one way in which one statement can meet a finding: a product, or
// a subcomponent within a product.
type entry struct {
	doc      *Document
	docIndex int
	st       *Statement
	product  *Product
	// id is the identifier that matched: the product's or subcomponent's.
	id string
	// sub is true when id is a subcomponent of product.
	sub bool
	// pat is the component pattern the finding's package (or, for a
	// product without subcomponents, the finding's image) must meet; nil for
	// image products.
	pat *pattern
	// img is the image an image product without subcomponents names.
	img *image
	// scope is the product a subcomponent belongs to; the query's image
	// must meet it. nil for products without subcomponents.
	scope *scope
	// within are the images that a bare package product applies in under
	// the image-scoped reading (see [ReadingImageScoped]); nil when its
	// document names no image, or for other entries.
	within *imageSet
}

// imageSet is a set of images, shared by the entries of the statements that
// name the same images.
type imageSet struct {
	images []*image
}

// pattern is a compiled product or subcomponent identifier.
type pattern struct {
	raw     string
	isPURL  bool
	purl    packageurl.PackageURL
	nameKey string
	version string
	quals   packageurl.Qualifiers
	// key identifies the pattern for grouping statements into conflicts.
	key string
	// err is why an identifier starting with "pkg:" is not a valid purl.
	err error
	// img is the image the identifier names, when isImage; computed once.
	img     image
	isImage bool
}

// scope is the product that a subcomponent belongs to: an image or another
// product.
type scope struct {
	img *image
	pat *pattern
	// id is the scope's key, computed once.
	id string
}

// specificity ranks how narrowly a pattern names packages: a version counts
// more than qualifiers.
func (p *pattern) specificity() int {
	n := 0
	if p.version != "" {
		n += 2
	}
	if len(p.quals) > 0 {
		n++
	}
	return n
}

// matches reports whether candidate c meets the pattern. The NameOnly keys
// are equal already (the index is keyed by them). An unversioned pattern
// matches every version, a versioned one only that version; every
// identifying qualifier of the pattern must be present in c with the same
// value.
func (p *pattern) matches(c *candidate) bool {
	if !p.isPURL {
		return c.raw == p.raw
	}
	if !c.isPURL {
		return false
	}
	if p.version != "" && p.version != c.version {
		return false
	}
	for _, q := range p.quals {
		found := false
		for _, cq := range c.quals {
			if cq.Key == q.Key {
				found = cq.Value == q.Value
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// key returns a string that identifies the scope for grouping.
func (s *scope) key() string {
	if s == nil {
		return ""
	}
	return s.id
}

// Conflict reports statements from the merged documents that give different
// statuses for the same vulnerability (with its aliases), product and
// component, where the product and component are identified the same way
// after normalization. Statements that differ only in how broadly they name a
// package (with or without a version) are reported in each [Decision]
// instead.
type Conflict struct {
	// Vulnerability is a name of the vulnerability (the first one, in
	// lexical order, of its names and aliases).
	Vulnerability string
	// Product identifies the product: "" for packages named directly as
	// products in a document that names no image, the images such a
	// product is limited to under the image-scoped reading (see
	// [ReadingImageScoped]; image references joined by ", "), an image as
	// a normalized reference (dhi/python, dhi.io/python,
	// library/alpine@sha256:...), or another product as a normalized purl.
	Product string
	// Component identifies the component, as a normalized key.
	Component string
	// Statements are the statements, the prevailing one first, then in
	// order of precedence.
	Statements []*Match
	// Tie is true when the prevailing statement has the same time as a
	// statement of another status, so that only the tie-breaking rules
	// chose between them.
	Tie bool
}

// NewIndex merges docs into an index. Nil documents are skipped. The order of
// docs matters only as the last tie-breaker (see the package
// documentation). The index refers to the documents and their statements;
// they must not be modified afterwards.
//
// Statements with an invalid status or without a vulnerability name take no
// part in decisions; product identifiers that start with "pkg:" but are not
// valid purls are matched as exact strings. Both are listed by
// [Index.Problems], together with the problems of each document.
func NewIndex(docs ...*Document) *Index {
	ix := &Index{
		classes: make(map[string]int32),
		byKey:   make(map[lookupKey][]*entry),
	}
	for _, d := range docs {
		if d != nil {
			ix.docs = append(ix.docs, d)
		}
	}
	b := builder{ix: ix, patterns: make(map[string]*pattern), images: make(map[image]*image), singles: make(map[*image]*imageSet), reported: make(map[reported]bool)}
	b.buildClasses()
	for di, d := range ix.docs {
		ix.problems = append(ix.problems, d.Problems...)
		perStatement, all := b.statementImages(d)
		for si := range d.Statements {
			st := &d.Statements[si]
			if !usable(st) {
				continue
			}
			within := perStatement[si]
			if within == nil {
				within = all
			}
			b.add(di, d, st, within)
		}
	}
	ix.conflicts = b.conflicts()
	return ix
}

// usable reports whether a statement can take part in decisions.
func usable(st *Statement) bool {
	return st.Status.Valid() && normalizeVuln(st.Vulnerability.Name) != ""
}

// Documents returns the documents in the index, in the order given.
func (ix *Index) Documents() []*Document { return slices.Clone(ix.docs) }

// Problems returns the problems of the indexed documents, and the product
// identifiers that could not be parsed, in document order.
func (ix *Index) Problems() []*ValidationError { return slices.Clone(ix.problems) }

// Conflicts returns the conflicts between statements, ordered by
// vulnerability, product and component.
func (ix *Index) Conflicts() []Conflict { return slices.Clone(ix.conflicts) }

// Len returns the number of ways (product and subcomponent identifiers of
// usable statements) in which the index can match a finding.
func (ix *Index) Len() int { return ix.entries }

// normalizeVuln returns the form in which vulnerability identifiers are
// compared: trimmed and in upper case (CVE-2025-9086, GHSA-..., GO-...).
func normalizeVuln(id string) string {
	return strings.ToUpper(strings.TrimSpace(id))
}

type builder struct {
	ix       *Index
	patterns map[string]*pattern
	images   map[image]*image
	singles  map[*image]*imageSet
	scratch  []*image
	reported map[reported]bool
	slab     []entry
	// names of each class, for Conflict.Vulnerability.
	names [][]string
}

// reported identifies an invalid product identifier of a statement that
// has been reported.
type reported struct {
	st *Statement
	id string
}

// buildClasses groups the names and aliases of every usable statement into
// alias classes (union-find), so that a statement on GO-2024-2575 with alias
// CVE-2024-26147 and a statement on CVE-2024-26147 are about the same
// vulnerability.
func (b *builder) buildClasses() {
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		p, ok := parent[x]
		if !ok {
			parent[x] = x
			return x
		}
		if p == x {
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	union := func(a, c string) {
		ra, rc := find(a), find(c)
		if ra != rc {
			if ra < rc {
				parent[rc] = ra
			} else {
				parent[ra] = rc
			}
		}
	}
	for _, d := range b.ix.docs {
		for si := range d.Statements {
			st := &d.Statements[si]
			if !usable(st) {
				continue
			}
			name := normalizeVuln(st.Vulnerability.Name)
			find(name)
			for _, a := range st.Vulnerability.Aliases {
				if a := normalizeVuln(a); a != "" {
					union(name, a)
				}
			}
		}
	}
	// Number the classes in lexical order of their roots, for determinism.
	keys := make([]string, 0, len(parent))
	for k := range parent {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	roots := map[string]int32{}
	for _, k := range keys {
		r := find(k)
		c, ok := roots[r]
		if !ok {
			c = int32(len(b.names))
			roots[r] = c
			b.names = append(b.names, nil)
		}
		b.ix.classes[k] = c
		b.names[c] = append(b.names[c], k)
	}
}

// statementImages returns the images that the products of each usable
// statement of d name (nil for a statement that names none), and all of
// them together (nil when d names none): the scopes of the image-scoped
// reading. Statements that name the same images share one set.
func (b *builder) statementImages(d *Document) (perStatement []*imageSet, all *imageSet) {
	perStatement = make([]*imageSet, len(d.Statements))
	var every []*image
	for si := range d.Statements {
		st := &d.Statements[si]
		if !usable(st) {
			continue
		}
		b.scratch = b.scratch[:0]
		for pi := range st.Products {
			im, ok := b.productImage(d, st, &st.Products[pi].Component)
			if !ok {
				continue
			}
			p := b.internImage(im)
			if !slices.Contains(b.scratch, p) {
				b.scratch = append(b.scratch, p)
			}
			if !slices.Contains(every, p) {
				every = append(every, p)
			}
		}
		perStatement[si] = b.internSet(b.scratch)
	}
	if len(every) > 0 {
		all = &imageSet{images: every}
	}
	return perStatement, all
}

// internImage returns the index's one value equal to im.
func (b *builder) internImage(im image) *image {
	p, ok := b.images[im]
	if !ok {
		p = &im
		b.images[im] = p
	}
	return p
}

// internSet returns a set of the images, shared with earlier statements
// that name the same one image; nil for none.
func (b *builder) internSet(images []*image) *imageSet {
	switch len(images) {
	case 0:
		return nil
	case 1:
		set, ok := b.singles[images[0]]
		if !ok {
			set = &imageSet{images: []*image{images[0]}}
			b.singles[images[0]] = set
		}
		return set
	}
	return &imageSet{images: slices.Clone(images)}
}

// add indexes the products of one statement; within are the images the
// statement's bare package products apply in under the image-scoped reading.
func (b *builder) add(di int, d *Document, st *Statement, within *imageSet) {
	class := b.ix.classes[normalizeVuln(st.Vulnerability.Name)]
	for pi := range st.Products {
		p := &st.Products[pi]
		im, isImage := b.productImage(d, st, &p.Component)
		if len(p.Subcomponents) == 0 {
			if isImage {
				e := b.newEntry(entry{doc: d, docIndex: di, st: st, product: p, id: primaryID(&p.Component), img: &im})
				if im.digest != "" {
					b.put(class, imageDigestKey+im.digest, e)
				} else {
					b.put(class, imageRepoKey+im.repo, e)
				}
				continue
			}
			if len(p.Identifiers) == 0 {
				if p.ID != "" {
					pat := b.pattern(d, st, p.ID)
					b.put(class, pat.nameKey, b.newEntry(entry{doc: d, docIndex: di, st: st, product: p, id: p.ID, pat: pat, within: within}))
				}
				continue
			}
			for _, id := range identifiers(&p.Component) {
				pat := b.pattern(d, st, id)
				b.put(class, pat.nameKey, b.newEntry(entry{doc: d, docIndex: di, st: st, product: p, id: id, pat: pat, within: within}))
			}
			continue
		}
		if isImage && b.sameAsEarlier(d, st, pi, im) {
			// DHI names each image twice (pkg:docker/dhi/x and
			// pkg:oci/dhi%2Fx) with the same subcomponents: the second
			// product would add entries that meet exactly the same queries
			// for the same statement, and lose to the first. They still
			// count as ways to match (see Len).
			for si := range p.Subcomponents {
				b.ix.entries += countIdentifiers(&p.Subcomponents[si])
			}
			continue
		}
		sc := &scope{}
		if isImage {
			sc.img = b.internImage(im)
			sc.id = im.key()
		} else {
			id := primaryID(&p.Component)
			if id == "" {
				// A product known only by hashes that are not an image
				// digest cannot be met by a query.
				continue
			}
			sc.pat = b.pattern(d, st, id)
			sc.id = sc.pat.key
		}
		for si := range p.Subcomponents {
			c := &p.Subcomponents[si]
			if len(c.Identifiers) == 0 {
				if c.ID != "" {
					pat := b.pattern(d, st, c.ID)
					b.put(class, pat.nameKey, b.newEntry(entry{doc: d, docIndex: di, st: st, product: p, id: c.ID, sub: true, pat: pat, scope: sc}))
				}
				continue
			}
			for _, id := range identifiers(c) {
				pat := b.pattern(d, st, id)
				b.put(class, pat.nameKey, b.newEntry(entry{doc: d, docIndex: di, st: st, product: p, id: id, sub: true, pat: pat, scope: sc}))
			}
		}
	}
}

// sameAsEarlier reports whether an earlier product of st names the same
// image im with the same subcomponents as product pi.
func (b *builder) sameAsEarlier(d *Document, st *Statement, pi int, im image) bool {
	p := &st.Products[pi]
	for qi := 0; qi < pi; qi++ {
		q := &st.Products[qi]
		if len(q.Subcomponents) != len(p.Subcomponents) {
			continue
		}
		qim, ok := b.productImage(d, st, &q.Component)
		if !ok || qim != im {
			continue
		}
		same := true
		for k := range p.Subcomponents {
			if !sameComponent(&p.Subcomponents[k], &q.Subcomponents[k]) {
				same = false
				break
			}
		}
		if same {
			return true
		}
	}
	return false
}

// countIdentifiers returns the number of identifiers of c.
func countIdentifiers(c *Component) int {
	if len(c.Identifiers) == 0 {
		if c.ID == "" {
			return 0
		}
		return 1
	}
	return len(identifiers(c))
}

// sameComponent reports whether two components have the same identifiers.
func sameComponent(a, c *Component) bool {
	if a.ID != c.ID || len(a.Identifiers) != len(c.Identifiers) || len(a.Hashes) != len(c.Hashes) {
		return false
	}
	for k, v := range a.Identifiers {
		if c.Identifiers[k] != v {
			return false
		}
	}
	for k, v := range a.Hashes {
		if c.Hashes[k] != v {
			return false
		}
	}
	return true
}

// newEntry stores e in the builder's current block of entries, so that
// entries are allocated in blocks rather than one by one.
func (b *builder) newEntry(e entry) *entry {
	if len(b.slab) == cap(b.slab) {
		b.slab = make([]entry, 0, 1024)
	}
	b.slab = append(b.slab, e)
	return &b.slab[len(b.slab)-1]
}

func (b *builder) put(class int32, key string, e *entry) {
	k := lookupKey{class: class, key: key}
	es := b.ix.byKey[k]
	if es == nil {
		// A feed statement names each package three times (bare, and in
		// two forms of its image): start with room for them.
		es = make([]*entry, 0, 4)
	}
	b.ix.byKey[k] = append(es, e)
	b.ix.entries++
}

// identifiers returns the identifiers of a component: its @id, then the
// values of its identifiers map in the order of their types, without
// repeats.
func identifiers(c *Component) []string {
	if len(c.Identifiers) == 0 {
		if c.ID == "" {
			return nil
		}
		return []string{c.ID}
	}
	var out []string
	if c.ID != "" {
		out = append(out, c.ID)
	}
	if len(c.Identifiers) > 0 {
		types := make([]string, 0, len(c.Identifiers))
		for t := range c.Identifiers {
			types = append(types, t)
		}
		slices.Sort(types)
		for _, t := range types {
			if v := c.Identifiers[t]; v != "" && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

// primaryID returns the first identifier of a component, "" when it has
// none.
func primaryID(c *Component) string {
	if c.ID != "" {
		return c.ID
	}
	if ids := identifiers(c); len(ids) > 0 {
		return ids[0]
	}
	return ""
}

// productImage returns the image a product names, if it names one: a
// pkg:docker or pkg:oci purl, an image reference with a digest, or a sha-256
// hash.
func (b *builder) productImage(d *Document, st *Statement, c *Component) (image, bool) {
	if len(c.Identifiers) == 0 {
		if c.ID != "" {
			if pat := b.pattern(d, st, c.ID); pat.isImage {
				return pat.img, true
			}
		}
	} else {
		for _, id := range identifiers(c) {
			if pat := b.pattern(d, st, id); pat.isImage {
				return pat.img, true
			}
		}
	}
	for _, algo := range []string{"sha-256", "sha256"} {
		if h := c.Hashes[algo]; h != "" {
			if d, ok := imageref.ParseDigest("sha256:" + h); ok {
				return image{digest: d}, true
			}
		}
	}
	for _, algo := range []string{"sha-512", "sha512"} {
		if h := c.Hashes[algo]; h != "" {
			if d, ok := imageref.ParseDigest("sha512:" + h); ok {
				return image{digest: d}, true
			}
		}
	}
	return image{}, false
}

// pattern compiles an identifier, once per index. An identifier that starts
// with "pkg:" but does not parse is a problem of the statement and matches as
// an exact string.
func (b *builder) pattern(d *Document, st *Statement, id string) *pattern {
	if p, ok := b.patterns[id]; ok {
		if p.err != nil {
			b.invalidProduct(d, st, id, p.err)
		}
		return p
	}
	p := &pattern{raw: id, nameKey: id, key: id}
	if !hasPURLScheme(id) {
		if im, ok := imageFromReference(id); ok && im.digest != "" {
			p.img, p.isImage = im, true
		}
	} else {
		parsed, err := purl.Parse(id)
		if err != nil {
			p.err = err
			b.invalidProduct(d, st, id, err)
		} else {
			p.img, p.isImage = imageFromPURL(parsed)
			p.isPURL = true
			p.purl = parsed
			p.nameKey = purl.Key(parsed, purl.NameOnly)
			p.version = versionOf(parsed)
			p.quals = purl.KeyQualifiers(parsed)
			keyed := parsed
			keyed.Version = p.version
			p.key = purl.Key(keyed, purl.WithQualifiers)
		}
	}
	b.patterns[id] = p
	return p
}

func (b *builder) invalidProduct(d *Document, st *Statement, id string, err error) {
	k := reported{st: st, id: id}
	if b.reported[k] {
		return
	}
	b.reported[k] = true
	detail := fmt.Sprintf("%q (%v)", id, err)
	b.ix.problems = append(b.ix.problems, &ValidationError{
		DocumentName:  d.Name,
		Statement:     st.Index,
		StatementID:   st.ID,
		Vulnerability: st.Vulnerability.Name,
		Detail:        detail,
		Err:           ErrInvalidProduct,
	})
}

func hasPURLScheme(s string) bool {
	return len(s) >= 4 && strings.EqualFold(s[:4], "pkg:")
}

// conflicts groups entries by vulnerability class, product and component,
// and reports the groups whose statements give more than one status. The
// entries of one group share a lookup key, so each bucket is grouped on its
// own, and a bucket whose entries all give one status is skipped.
func (b *builder) conflicts() []Conflict {
	var out []Conflict
	for k, es := range b.ix.byKey {
		if len(es) < 2 {
			continue
		}
		mixed := false
		for _, e := range es[1:] {
			if e.st.Status != es[0].st.Status {
				mixed = true
				break
			}
		}
		if !mixed {
			continue
		}
		type group struct {
			product, component string
			ms                 []*Match
		}
		var groups []*group
		for _, e := range es {
			product, component := e.scope.key(), ""
			switch {
			case e.pat != nil:
				component = e.pat.key
				if e.scope == nil && e.within != nil {
					// Under the default, image-scoped reading, a bare
					// product is about the images of its statement.
					product = imagesKey(e.within.images)
				}
			case e.img != nil:
				product = e.img.key()
			}
			var g *group
			for _, o := range groups {
				if o.product == product && o.component == component {
					g = o
					break
				}
			}
			if g == nil {
				g = &group{product: product, component: component}
				groups = append(groups, g)
			}
			dup := false
			for _, o := range g.ms {
				if o.Statement == e.st {
					dup = true
					break
				}
			}
			if !dup {
				m := e.match(levelOf(e), e.id)
				g.ms = append(g.ms, &m)
			}
		}
		for _, g := range groups {
			ms := g.ms
			if len(ms) < 2 {
				continue
			}
			statuses := false
			for _, m := range ms[1:] {
				if m.Status() != ms[0].Status() {
					statuses = true
					break
				}
			}
			if !statuses {
				continue
			}
			slices.SortFunc(ms, compareMatches)
			c := Conflict{
				Vulnerability: b.names[k.class][0],
				Product:       g.product,
				Component:     g.component,
				Statements:    ms,
			}
			for _, m := range ms[1:] {
				if m.Statement.Time.Equal(ms[0].Statement.Time) && m.Status() != ms[0].Status() {
					c.Tie = true
					break
				}
			}
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, c Conflict) int {
		return cmp.Or(
			strings.Compare(a.Vulnerability, c.Vulnerability),
			strings.Compare(a.Product, c.Product),
			strings.Compare(a.Component, c.Component),
		)
	})
	return out
}

// imagesKey returns the keys of images joined by ", ".
func imagesKey(images []*image) string {
	keys := make([]string, len(images))
	for i, im := range images {
		keys[i] = im.key()
	}
	slices.Sort(keys)
	return strings.Join(slices.Compact(keys), ", ")
}

// levelOf returns the level at which an entry meets a finding when it
// matches: see [Match].
func levelOf(e *entry) int {
	switch {
	case e.scope != nil:
		return levelInProduct
	case e.img != nil:
		return levelProduct
	}
	return levelPackage
}

// Levels of a match, from the broadest to the narrowest.
const (
	// levelPackage: the statement names the finding's package as its
	// product, whatever image it is in.
	levelPackage = iota
	// levelProduct: the statement names the finding's image (or containing
	// product) as its product, without subcomponents.
	levelProduct
	// levelInProduct: the statement names the finding's image as its product
	// and the package as one of its subcomponents.
	levelInProduct
)

// match makes a Match for an entry met through via.
func (e *entry) match(level int, via string) Match {
	m := Match{
		Document:  e.doc,
		Statement: e.st,
		Product:   primaryID(&e.product.Component),
		Via:       via,
		Reading:   ReadingAsWritten,
		level:     level,
		docIndex:  e.docIndex,
	}
	if e.scope == nil && e.pat != nil && e.within != nil {
		m.Reading = ReadingImageScoped
	}
	if e.sub {
		m.Subcomponent = e.id
	} else if e.pat != nil {
		m.Product = e.id
	}
	switch {
	case e.pat != nil:
		m.specificity = e.pat.specificity()
	case e.img != nil:
		if e.img.digest != "" {
			m.specificity = 2
		} else if e.img.tag != "" {
			m.specificity = 1
		}
	}
	return m
}

// compareMatches orders matches by precedence: the prevailing one first.
func compareMatches(a, b *Match) int {
	if a.level != b.level {
		return cmp.Compare(b.level, a.level)
	}
	if c := b.Statement.Time.Compare(a.Statement.Time); c != 0 {
		return c
	}
	if a.specificity != b.specificity {
		return cmp.Compare(b.specificity, a.specificity)
	}
	if a.viaSource != b.viaSource {
		if a.viaSource {
			return 1
		}
		return -1
	}
	if ca, cb := a.Status().caution(), b.Status().caution(); ca != cb {
		return cmp.Compare(cb, ca)
	}
	return cmp.Or(
		cmp.Compare(a.docIndex, b.docIndex),
		cmp.Compare(a.Statement.Index, b.Statement.Index),
		strings.Compare(a.Product, b.Product),
		strings.Compare(a.Subcomponent, b.Subcomponent),
	)
}
