package sbom

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dhisdk/dhisdk/internal/purl"
)

// ByPURL returns the packages (the subject included) with a package URL that
// matches u at precision prec, in document order. Package URLs are compared
// after normalization: type, namespace and name in the case the purl
// specification gives their type, qualifier keys lowercased, and the
// distribution qualifiers reduced to one form (see [PrecisionQualifiers]).
// It fails with an error wrapping [ErrInvalidQuery] when u does not parse or
// prec is not valid. The lookup is a map access; it does not scan the
// packages (see [Document] for when the tables are built).
func (d *Document) ByPURL(u string, prec Precision) ([]*Package, error) {
	return d.lookupPURL(d.purlTables(), u, prec)
}

// BySourcePURL returns the packages (the subject included) whose [Source]
// package URL matches u at precision prec: the binary packages built from a
// source package, such as libc6 and libc-bin for
// pkg:deb/debian/glibc@2.36-9. Errors as for [Document.ByPURL].
func (d *Document) BySourcePURL(u string, prec Precision) ([]*Package, error) {
	return d.lookupPURL(d.sourceTables(), u, prec)
}

func (d *Document) lookupPURL(tables *[3]map[string][]*Package, u string, prec Precision) ([]*Package, error) {
	r, ok := precisionRank(prec)
	if !ok {
		return nil, fmt.Errorf("%w: unknown precision %q", ErrInvalidQuery, prec)
	}
	p, err := purl.Parse(u)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidQuery, err)
	}
	return slices.Clone(tables[r][purl.Key(p, purlPrecisions[r])]), nil
}

// SourcePURLs returns the package URLs of the source packages of the
// packages that u names, as the SBOM gives them (see [Source]): for
// pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12 with syft's
// upstream=glibc, "pkg:deb/debian/glibc@2.36-9?distro=debian-12". It
// returns nil when u does not parse, names no package of the document, or
// names packages whose source the SBOM does not give (for Debian, syft
// gives none when the source package has the binary's name and version).
//
// The packages u names are those that match it at [PrecisionQualifiers];
// when none do, those that match at [PrecisionVersion]; and when u has no
// version, those that match at [PrecisionName]. The result has no
// duplicates and is in document order. It does not scan the packages.
func (d *Document) SourcePURLs(u string) []string {
	p, err := purl.Parse(u)
	if err != nil {
		return nil
	}
	tables := d.purlTables()
	var pkgs []*Package
	for r := 2; r >= 0; r-- {
		if r == 0 && p.Version != "" {
			break
		}
		if pkgs = tables[r][purl.Key(p, purlPrecisions[r])]; len(pkgs) > 0 {
			break
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, pkg := range pkgs {
		if pkg.Source == nil || pkg.Source.PURL.Type == "" {
			continue
		}
		s := pkg.Source.PURL.ToString()
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// ByName returns the packages (the subject included) with the given name,
// compared without regard to case, in document order.
func (d *Document) ByName(name string) []*Package {
	return slices.Clone(d.attrTables().byName[strings.ToLower(name)])
}

// ByEcosystem returns the packages (the subject included) whose primary
// package URL has the given type ("deb", "apk", "npm", ...; compared without
// regard to case), in document order. ByEcosystem("") returns the packages
// without a package URL.
func (d *Document) ByEcosystem(ecosystem string) []*Package {
	return slices.Clone(d.attrTables().byEcosystem[strings.ToLower(ecosystem)])
}

// ByLicense returns the packages (the subject included) whose declared or
// concluded licence names the licence identifier id ("MIT",
// "GPL-2.0-or-later", "LicenseRef-Expat"; compared without regard to case,
// as SPDX specifies), in document order. It matches identifiers, not
// expressions: a package under "MIT OR Apache-2.0" is found by "MIT" and by
// "Apache-2.0".
func (d *Document) ByLicense(id string) []*Package {
	return slices.Clone(d.attrTables().byLicense[strings.ToLower(strings.TrimSpace(id))])
}

// Path returns how the subject leads to p, both ends included:
// [subject, ..., p]. It prefers a chain of depends-on relationships (the
// shortest one) and, when there is none, gives the shortest chain of
// contains and depends-on relationships; in CycloneDX every top-level
// component is contained by the subject. It returns [subject] when p is the
// subject, and nil when the document has no subject or p cannot be reached
// from it (or is not one of its packages).
func (d *Document) Path(p *Package) []*Package {
	if d.subject == nil || p == nil || p.ID == "" {
		return nil
	}
	if q, ok := d.idx.byID[p.ID]; !ok || q != p {
		return nil
	}
	d.path.once.Do(d.buildPath)
	if path := d.walkBack(d.path.deps, p.ID); path != nil {
		return path
	}
	return d.walkBack(d.path.all, p.ID)
}

// walkBack follows parent links from id to the subject and returns the
// packages on the way, subject first; nil when id is not linked.
func (d *Document) walkBack(parent map[string]string, id string) []*Package {
	var rev []*Package
	for steps := 0; steps <= len(parent); steps++ {
		q := d.idx.byID[id]
		if q == nil {
			return nil
		}
		rev = append(rev, q)
		if id == d.subject.ID {
			slices.Reverse(rev)
			return rev
		}
		next, ok := parent[id]
		if !ok {
			return nil
		}
		id = next
	}
	return nil
}

// buildPath runs two breadth-first searches from the subject over the
// relationships between packages: one over depends-on only, one over
// depends-on and contains; each records every reached package's parent.
func (d *Document) buildPath() {
	deps := make(map[string][]string)
	all := make(map[string][]string)
	for _, r := range d.rels {
		if r.Type != RelationshipContains && r.Type != RelationshipDependsOn {
			continue
		}
		if _, ok := d.idx.byID[r.To]; !ok {
			continue
		}
		all[r.From] = append(all[r.From], r.To)
		if r.Type == RelationshipDependsOn {
			deps[r.From] = append(deps[r.From], r.To)
		}
	}
	d.path.deps = bfs(deps, d.subject.ID)
	d.path.all = bfs(all, d.subject.ID)
}

// bfs returns the breadth-first parent of every node reachable from root.
func bfs(adj map[string][]string, root string) map[string]string {
	parent := make(map[string]string)
	seen := map[string]bool{root: true}
	queue := []string{root}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, next := range adj[id] {
			if !seen[next] {
				seen[next] = true
				parent[next] = id
				queue = append(queue, next)
			}
		}
	}
	return parent
}
