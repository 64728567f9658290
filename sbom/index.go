package sbom

import (
	"strconv"
	"strings"
	"sync"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/dhisdk/dhisdk/internal/purl"
)

// index holds the identifier tables of a Document, built by Parse.
type index struct {
	byID     map[string]*Package
	fileByID map[string]*File
	// where records the location of the first element with each
	// identifier, for duplicate warnings; dropped when parsing is done.
	where map[string]loc
}

// queryIndex holds the tables of the lookups, each family built on its
// first lookup: most of their cost is normalizing package URLs into keys,
// which a caller that only reads the packages, or only looks them up by
// name, does not need.
type queryIndex struct {
	purlOnce, sourceOnce, attrOnce sync.Once

	byPURL      [3]map[string][]*Package // by precision rank
	bySource    [3]map[string][]*Package
	byName      map[string][]*Package
	byEcosystem map[string][]*Package
	byLicense   map[string][]*Package
}

// precisionRank maps a Precision to its index in the key tables.
func precisionRank(p Precision) (int, bool) {
	switch p {
	case PrecisionName:
		return 0, true
	case PrecisionVersion:
		return 1, true
	case PrecisionQualifiers:
		return 2, true
	}
	return 0, false
}

// purlPrecisions are the internal/purl precisions in rank order.
var purlPrecisions = [3]purl.Precision{purl.NameOnly, purl.WithVersion, purl.WithQualifiers}

// builder fills a Document's index while the format readers walk it.
type builder struct {
	d   *Document
	idx *index
}

func newBuilder(d *Document, packages, files int) *builder {
	d.idx = index{
		byID:     make(map[string]*Package, packages),
		fileByID: make(map[string]*File, files),
		where:    make(map[string]loc, packages+files),
	}
	return &builder{d: d, idx: &d.idx}
}

// claim registers id as used at l, recording a warning when it already is.
// It reports whether id was new.
func (b *builder) claim(id string, l loc) bool {
	if id == "" {
		return false
	}
	if first, dup := b.idx.where[id]; dup {
		b.d.warn(l.String(), "duplicate identifier %q, first used at %s", id, first)
		return false
	}
	b.idx.where[id] = l
	return true
}

func (b *builder) addPackage(p *Package, l loc) {
	if b.claim(p.ID, l) {
		b.idx.byID[p.ID] = p
	}
}

func (b *builder) addFile(f *File, l loc) {
	b.d.files = append(b.d.files, f)
	if b.claim(f.ID, l) {
		b.idx.fileByID[f.ID] = f
	}
}

// has reports whether id names a package or file.
func (b *builder) has(id string) bool {
	_, ok := b.idx.where[id]
	return ok
}

// finish ends the building.
func (b *builder) finish() {
	b.idx.where = nil
}

// each calls f with the subject, if any, and each package.
func (d *Document) each(f func(*Package)) {
	if d.subject != nil {
		f(d.subject)
	}
	for _, p := range d.packages {
		f(p)
	}
}

// purlTables returns the tables of package URL keys, building them on first
// use.
func (d *Document) purlTables() *[3]map[string][]*Package {
	q := &d.query
	q.purlOnce.Do(func() {
		for r := range q.byPURL {
			q.byPURL[r] = make(map[string][]*Package, len(d.packages)+1)
		}
		d.each(func(p *Package) {
			for _, u := range p.PURLs {
				addKeys(&q.byPURL, u, p)
			}
		})
	})
	return &q.byPURL
}

// sourceTables returns the tables of source package URL keys, building them
// on first use.
func (d *Document) sourceTables() *[3]map[string][]*Package {
	q := &d.query
	q.sourceOnce.Do(func() {
		for r := range q.bySource {
			q.bySource[r] = make(map[string][]*Package)
		}
		d.each(func(p *Package) {
			if p.Source != nil && p.Source.PURL.Type != "" {
				addKeys(&q.bySource, p.Source.PURL, p)
			}
		})
	})
	return &q.bySource
}

// attrTables returns the tables by name, ecosystem and licence, building
// them on first use.
func (d *Document) attrTables() *queryIndex {
	q := &d.query
	q.attrOnce.Do(func() {
		q.byName = make(map[string][]*Package, len(d.packages)+1)
		q.byEcosystem = make(map[string][]*Package)
		q.byLicense = make(map[string][]*Package)
		d.each(func(p *Package) {
			name := strings.ToLower(p.Name)
			q.byName[name] = append(q.byName[name], p)
			q.byEcosystem[p.Ecosystem] = append(q.byEcosystem[p.Ecosystem], p)
			for _, id := range p.Licenses() {
				k := strings.ToLower(id)
				q.byLicense[k] = append(q.byLicense[k], p)
			}
		})
	})
	return q
}

// addKeys adds p under the keys of u at every precision, once per key.
func addKeys(tables *[3]map[string][]*Package, u packageurl.PackageURL, p *Package) {
	for r, prec := range purlPrecisions {
		k := purl.Key(u, prec)
		list := tables[r][k]
		if n := len(list); n > 0 && list[n-1] == p {
			continue
		}
		tables[r][k] = append(list, p)
	}
}

// loc is a JSON location: the array element base[i], or base itself when i
// is negative. It is formatted only when a warning needs it.
type loc struct {
	base string
	i    int
}

// at is the location of the member or path base.
func at(base string) loc { return loc{base: base, i: -1} }

// String renders the location, e.g. "packages[3]".
func (l loc) String() string {
	if l.i < 0 {
		return l.base
	}
	return l.base + "[" + strconv.Itoa(l.i) + "]"
}

// sub renders the location followed by path, e.g. ".purl".
func (l loc) sub(path string) string { return l.String() + path }
