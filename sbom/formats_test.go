package sbom_test

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/sbom"
)

// pkgView is what the formats must agree on for one package.
type pkgView struct {
	Name, Version, PURL string
	// Licenses are the names of the licences in the declared and concluded
	// licences, sorted.
	Licenses []string
	Source   string
	CPEs     []string
}

func viewKey(p *sbom.Package) string {
	if u := p.PURL(); u != "" {
		return u
	}
	return "name:" + p.Name
}

func view(d *sbom.Document, p *sbom.Package) pkgView {
	v := pkgView{Name: p.Name, Version: p.Version, PURL: p.PURL()}
	for _, id := range p.Licenses() {
		v.Licenses = append(v.Licenses, d.LicenseName(id))
	}
	sort.Strings(v.Licenses)
	v.Licenses = slices.Compact(v.Licenses)
	if p.Source != nil {
		v.Source = p.Source.Name + "@" + p.Source.Version + " " + p.Source.PURL.ToString()
	}
	v.CPEs = slices.Sorted(slices.Values(p.CPEs))
	return v
}

func views(d *sbom.Document) map[string]pkgView {
	m := map[string]pkgView{}
	for _, p := range d.Packages() {
		m[viewKey(p)] = view(d, p)
	}
	return m
}

// edges renders the relationships of type t between packages as
// "from -> to" by package key, sorted.
func edges(d *sbom.Document, t sbom.RelationshipType) []string {
	var out []string
	for _, r := range d.Relationships() {
		if r.Type != t {
			continue
		}
		from, _ := d.Element(r.From)
		to, _ := d.Element(r.To)
		if from == nil || to == nil {
			continue
		}
		out = append(out, viewKey(from)+" -> "+viewKey(to))
	}
	sort.Strings(out)
	return out
}

// fileView is what the formats must agree on for one file.
type fileView struct {
	Name      string
	Checksums []sbom.Checksum
}

func fileViews(d *sbom.Document) []fileView {
	var out []fileView
	for _, f := range d.Files() {
		// syft writes SPDX file names relative ("usr/share/...") and
		// CycloneDX file names absolute ("/usr/share/...").
		out = append(out, fileView{Name: strings.TrimPrefix(f.Name, "/"), Checksums: f.Checksums})
	}
	slices.SortFunc(out, func(a, b fileView) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// TestSyftFormatsAgree checks that the SPDX 2.3, CycloneDX 1.5 and CycloneDX
// 1.6 SBOMs syft made of one image yield the same packages. Where the
// formats truly disagree, the test says so and checks the disagreement
// itself:
//
//   - syft's CycloneDX lists the distribution as a component of type
//     operating-system ("debian" "12", no package URL); its SPDX does not
//     list it at all.
//   - The subject: SPDX gives the image a package URL (pkg:oci/...),
//     CycloneDX's metadata.component has none.
//   - Licences: SPDX splits them between licenseDeclared (SPDX list
//     identifiers) and licenseConcluded (licences syft only has a text hash
//     for); syft's CycloneDX has no acknowledgement, so all of them are
//     declared. LicenseRef- identifiers are local to a document
//     (LicenseRef-52cc... in SPDX, a licence named "sha256:52cc..." in
//     CycloneDX), so licences are compared by name.
//   - SPDX has "OTHER" relationships from each package to the files that
//     evidence it ("evident-by"); CycloneDX has no such relationship (syft
//     writes syft:location properties instead).
//   - File names are relative in SPDX and absolute in CycloneDX.
//   - syft writes a Debian package's maintainer as the SPDX supplier (and
//     originator), but only when the maintainer is a person (222 of 704
//     packages; the others are NOASSERTION), and as the CycloneDX publisher,
//     not the supplier, for all of them. Publisher is not supplier, so
//     [sbom.Package.Supplier] is set for those 222 packages from SPDX only;
//     the test checks that the CycloneDX publisher names the same person.
//   - CycloneDX 1.6 adds a source-distribution external reference that 1.5
//     lacks; the source package read from it is the same.
func TestSyftFormatsAgree(t *testing.T) {
	t.Parallel()
	spdxDoc := parseFixture(t, syftSPDX)
	cdx := map[string]*sbom.Document{
		"1.5": parseFixture(t, syftCDX15),
		"1.6": parseFixture(t, syftCDX16),
	}
	want := views(spdxDoc)
	if len(want) != 704 {
		t.Fatalf("SPDX: %d packages, want 704", len(want))
	}
	wantDeps := edges(spdxDoc, sbom.RelationshipDependsOn)
	if len(wantDeps) == 0 {
		t.Fatal("SPDX: no depends-on relationships")
	}
	wantContains := edges(spdxDoc, sbom.RelationshipContains)
	wantFiles := fileViews(spdxDoc)

	for version, d := range cdx {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			got := views(d)
			// The operating-system component only CycloneDX has.
			osv, ok := got["name:debian"]
			if !ok {
				t.Fatal("CycloneDX: no operating-system component")
			}
			if osp := d.ByName("debian"); len(osp) != 1 || osp[0].Purpose != "operating-system" || osv.Version != "12" {
				t.Errorf("CycloneDX operating-system component: %+v", osv)
			}
			delete(got, "name:debian")
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("packages differ from SPDX (-spdx +cyclonedx):\n%s", diff)
			}
			suppliers := 0
			for _, sp := range spdxDoc.Packages() {
				if sp.Supplier == "" {
					continue
				}
				suppliers++
				cps, err := d.ByPURL(sp.PURL(), sbom.PrecisionQualifiers)
				if err != nil || len(cps) != 1 {
					t.Fatalf("ByPURL(%s) = %v, %v", sp.PURL(), cps, err)
				}
				// SPDX "Name (email)", CycloneDX "Name <email>".
				pub := strings.NewReplacer("<", "(", ">", ")").Replace(cps[0].CycloneDX().Publisher)
				if cps[0].Supplier != "" || pub != sp.Supplier {
					t.Errorf("%s: SPDX supplier %q, CycloneDX supplier %q publisher %q", sp.Name, sp.Supplier, cps[0].Supplier, pub)
				}
			}
			if suppliers != 222 {
				t.Errorf("SPDX: %d packages with a supplier, want 222", suppliers)
			}

			// Subject: same image; only SPDX gives it a package URL.
			ss, cs := spdxDoc.Subject(), d.Subject()
			if ss.Name != cs.Name || ss.Version != cs.Version {
				t.Errorf("subject: SPDX %s %s, CycloneDX %s %s", ss.Name, ss.Version, cs.Name, cs.Version)
			}
			if !strings.HasPrefix(ss.PURL(), "pkg:oci/") || cs.PURL() != "" {
				t.Errorf("subject purls: SPDX %q, CycloneDX %q", ss.PURL(), cs.PURL())
			}

			if diff := cmp.Diff(wantDeps, edges(d, sbom.RelationshipDependsOn)); diff != "" {
				t.Errorf("depends-on differ (-spdx +cyclonedx):\n%s", diff)
			}
			// Contains: the subject contains every package; in CycloneDX
			// also the operating system, and the subjects' keys differ.
			var gotContains []string
			for _, e := range edges(d, sbom.RelationshipContains) {
				if strings.HasSuffix(e, " -> name:debian") {
					continue
				}
				gotContains = append(gotContains, strings.Replace(e, viewKey(cs), viewKey(ss), 1))
			}
			if diff := cmp.Diff(wantContains, gotContains); diff != "" {
				t.Errorf("contains differ (-spdx +cyclonedx):\n%s", diff)
			}
			if diff := cmp.Diff(wantFiles, fileViews(d)); diff != "" {
				t.Errorf("files differ (-spdx +cyclonedx):\n%s", diff)
			}
			if n := len(edges(d, sbom.RelationshipOther)); n != 0 {
				t.Errorf("CycloneDX: %d other relationships, want 0", n)
			}
		})
	}
	var evident int
	for _, r := range spdxDoc.Relationships() {
		if r.Type == sbom.RelationshipOther && r.Original == "OTHER" && strings.HasPrefix(r.Comment, "evident-by") {
			evident++
		}
	}
	if evident != 1408 {
		t.Errorf("SPDX: %d evident-by relationships, want 1408", evident)
	}
}
