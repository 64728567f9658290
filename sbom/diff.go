package sbom

import (
	"cmp"
	"slices"
	"strings"

	"github.com/dhisdk/dhisdk/internal/purl"
)

// Diff is what changed in the packages from one document to another.
type Diff struct {
	// Added are the packages of the new document that the old one does not
	// have.
	Added []*Package
	// Removed are the packages of the old document that the new one does
	// not have.
	Removed []*Package
	// VersionChanged pairs a package of the old document with the same
	// package at another version in the new one.
	VersionChanged []Change
	// LicenseChanged pairs a package of the old document with the same
	// package in the new one (at the same or another version) when their
	// licences differ.
	LicenseChanged []Change
}

// Change pairs the old and new form of a package.
type Change struct {
	// Old is the package in the old document.
	Old *Package
	// New is the package in the new document.
	New *Package
}

// Empty reports whether the diff records no change.
func (df *Diff) Empty() bool {
	return len(df.Added) == 0 && len(df.Removed) == 0 && len(df.VersionChanged) == 0 && len(df.LicenseChanged) == 0
}

// Compare reports the package changes from the document before to the
// document after. The documents may be
// in different formats.
//
// A package is the same package in both documents when its primary package
// URL has the same type, namespace, name and arch qualifier (compared as
// [PrecisionName] plus arch), or, for packages without a package URL, the
// same name (without regard to case). When a document holds that package
// more than once, equal versions are paired first, then the rest in version
// order; what is left over is added or removed. The subjects are not
// compared.
//
// Licences are compared on the concluded licence, or the declared one when
// there is no concluded one, with operands of AND and OR in any order and
// LicenseRef- identifiers compared by [Document.LicenseName] (they are local
// to each document).
//
// Each list is sorted by package identity, then version.
func Compare(before, after *Document) *Diff {
	df := &Diff{}
	oldPkgs := groupByIdentity(before.packages)
	newPkgs := groupByIdentity(after.packages)
	keys := make([]string, 0, len(oldPkgs)+len(newPkgs))
	for k := range oldPkgs {
		keys = append(keys, k)
	}
	for k := range newPkgs {
		if _, ok := oldPkgs[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		a := slices.Clone(oldPkgs[k])
		b := slices.Clone(newPkgs[k])
		slices.SortStableFunc(a, byVersion)
		slices.SortStableFunc(b, byVersion)
		var pairs []Change
		// Equal versions first.
		for i := 0; i < len(a); i++ {
			if j := slices.IndexFunc(b, func(q *Package) bool { return q.Version == a[i].Version }); j >= 0 {
				pairs = append(pairs, Change{Old: a[i], New: b[j]})
				a = slices.Delete(a, i, i+1)
				b = slices.Delete(b, j, j+1)
				i--
			}
		}
		n := min(len(a), len(b))
		for i := range n {
			pairs = append(pairs, Change{Old: a[i], New: b[i]})
			df.VersionChanged = append(df.VersionChanged, Change{Old: a[i], New: b[i]})
		}
		df.Removed = append(df.Removed, a[n:]...)
		df.Added = append(df.Added, b[n:]...)
		for _, c := range pairs {
			if effectiveLicense(before, c.Old) != effectiveLicense(after, c.New) {
				df.LicenseChanged = append(df.LicenseChanged, c)
			}
		}
	}
	return df
}

func byVersion(a, b *Package) int { return cmp.Compare(a.Version, b.Version) }

// groupByIdentity groups packages by identity.
func groupByIdentity(pkgs []*Package) map[string][]*Package {
	m := make(map[string][]*Package, len(pkgs))
	for _, p := range pkgs {
		k := identity(p)
		m[k] = append(m[k], p)
	}
	return m
}

// identity is what makes two packages the same package across documents.
func identity(p *Package) string {
	if len(p.PURLs) == 0 {
		return "name:" + strings.ToLower(p.Name)
	}
	u := p.PURLs[0]
	k := purl.Key(u, purl.NameOnly)
	if arch := qualifier(u.Qualifiers, "arch"); arch != "" {
		k += "?arch=" + strings.ToLower(arch)
	}
	return k
}

// effectiveLicense is the licence Compare compares.
func effectiveLicense(d *Document, p *Package) string {
	expr := p.ConcludedLicense
	if expr == "" {
		expr = p.DeclaredLicense
	}
	return canonicalLicense(expr, d.LicenseName)
}
