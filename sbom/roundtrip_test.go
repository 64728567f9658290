package sbom_test

import (
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/dhisdk/dhisdk/sbom"
)

// model is every field the model holds, keyed so that documents in
// different formats can be compared: packages by package URL (or name),
// relationships by the keys of their ends.
type model struct {
	Name, Namespace string
	Created         time.Time
	Tools           []sbom.Tool
	Subject         modelPackage
	Packages        map[string]modelPackage
	Files           []fileView
	Relationships   []string
}

type modelPackage struct {
	ID, Name, Version, Ecosystem, Purpose, Supplier string
	PURLs                                           []string
	Declared, Concluded                             string // canonical, LicenseRef- by name
	CPEs                                            []string
	Checksums                                       []sbom.Checksum
	Source                                          string
}

// license renders an expression with LicenseRef- identifiers replaced by
// their names, so that documents can be compared.
func license(d *sbom.Document, expr string) string {
	words := strings.Fields(strings.NewReplacer("(", " ( ", ")", " ) ").Replace(expr))
	for i, w := range words {
		if strings.HasPrefix(w, "LicenseRef-") {
			words[i] = "[" + d.LicenseName(w) + "]"
		}
	}
	return strings.Join(words, " ")
}

func packageModel(d *sbom.Document, p *sbom.Package) modelPackage {
	if p == nil {
		return modelPackage{}
	}
	m := modelPackage{
		ID: p.ID, Name: p.Name, Version: p.Version, Ecosystem: p.Ecosystem, Purpose: p.Purpose,
		Supplier: p.Supplier, CPEs: p.CPEs, Checksums: p.Checksums,
		Declared: license(d, p.DeclaredLicense), Concluded: license(d, p.ConcludedLicense),
	}
	for _, u := range p.PURLs {
		m.PURLs = append(m.PURLs, u.ToString())
	}
	if p.Source != nil {
		m.Source = p.Source.Name + "@" + p.Source.Version + " " + p.Source.PURL.ToString()
	}
	return m
}

func elementKey(d *sbom.Document, id string) string {
	if p, f := d.Element(id); p != nil {
		return viewKey(p)
	} else if f != nil {
		return "file:" + strings.TrimPrefix(f.Name, "/")
	}
	return "missing:" + id
}

func modelOf(d *sbom.Document) model {
	m := model{
		Name: d.Name(), Namespace: d.Namespace(), Created: d.Created(), Tools: d.Tools(),
		Subject:  packageModel(d, d.Subject()),
		Packages: map[string]modelPackage{},
		Files:    fileViews(d),
	}
	for _, p := range d.Packages() {
		m.Packages[viewKey(p)] = packageModel(d, p)
	}
	for _, r := range d.Relationships() {
		if r.Type == sbom.RelationshipDescribes {
			continue // SPDX only; the subject says it
		}
		m.Relationships = append(m.Relationships, string(r.Type)+" "+elementKey(d, r.From)+" -> "+elementKey(d, r.To))
	}
	sort.Strings(m.Relationships)
	return m
}

var allFixtures = []string{syftSPDX, syftCDX15, syftCDX16, trivyCDX16, cosignLegacyCDX14, cosignCDX14}

// roundTripInput returns the document of a fixture: parsed once, or, for a
// cosign envelope, parsed from its statement.
func roundTripInput(t *testing.T, name string) *sbom.Document {
	t.Helper()
	if strings.HasPrefix(name, "cosign-dsse/") {
		return mustParse(t, dssePayload(t, name))
	}
	return parseFixture(t, name)
}

// TestRoundTripSameFormat writes each document back in its own format and
// checks that every field of the model, and every field of the library's
// own package and component values, comes back unchanged.
func TestRoundTripSameFormat(t *testing.T) {
	t.Parallel()
	for _, name := range allFixtures {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := roundTripInput(t, name)
			var back *sbom.Document
			if d.Format() == sbom.FormatSPDX {
				back = mustParse(t, writeSPDX(t, d))
			} else {
				back = mustParse(t, writeCycloneDX(t, d))
			}
			if diff := cmp.Diff(modelOf(d), modelOf(back)); diff != "" {
				t.Fatalf("model changed (-before +after):\n%s", diff)
			}
			if len(back.Warnings()) != 0 {
				t.Errorf("warnings after round trip: %v", back.Warnings())
			}
			// Nothing the format says is dropped: the decoded library
			// values of every package are equal, fields the model does not
			// type included.
			for _, p := range append([]*sbom.Package{d.Subject()}, d.Packages()...) {
				q, _ := back.Element(p.ID)
				if q == nil {
					t.Fatalf("%s: missing after round trip", p.ID)
				}
				if d.Format() == sbom.FormatSPDX {
					if diff := cmp.Diff(p.SPDX(), q.SPDX(), cmpopts.IgnoreUnexported(*p.SPDX())); diff != "" {
						t.Fatalf("%s: SPDX package changed (-before +after):\n%s", p.ID, diff)
					}
					continue
				}
				before, after := *p.CycloneDX(), *q.CycloneDX()
				before.Components, after.Components = nil, nil
				if diff := cmp.Diff(before, after); diff != "" {
					t.Fatalf("%s: component changed (-before +after):\n%s", p.ID, diff)
				}
			}
			if d.Format() == sbom.FormatSPDX {
				rawBefore, rawAfter := d.SPDX(), back.SPDX()
				if diff := cmp.Diff(rawBefore.OtherLicenses, rawAfter.OtherLicenses); diff != "" {
					t.Errorf("hasExtractedLicensingInfos changed:\n%s", diff)
				}
				if diff := cmp.Diff(rawBefore.CreationInfo, rawAfter.CreationInfo); diff != "" {
					t.Errorf("creationInfo changed:\n%s", diff)
				}
				if diff := cmp.Diff(rawBefore.Relationships, rawAfter.Relationships); diff != "" {
					t.Errorf("relationships changed:\n%s", diff)
				}
			}
		})
	}
}

// TestRoundTripOtherFormat writes each document in the other format and
// checks that the model comes back, except for what the other format cannot
// say:
//
//   - Identifiers: SPDXIDs become bom-refs unchanged, but bom-refs become
//     SPDXIDs only after the characters an SPDX idstring cannot hold are
//     replaced.
//   - SPDX to CycloneDX: the document name and namespace (CycloneDX has a
//     serial number, a urn:uuid, instead); "OTHER" relationships (CycloneDX
//     has none); packages without a purpose become "library", because
//     CycloneDX requires a component type.
//   - CycloneDX to SPDX: tool vendors (SPDX does not name them); tool
//     versions that do not start with a digit (SPDX writes a tool as
//     "name-version", so trivy's version "dev" comes back as the name
//     "trivy-dev"); fractions of a second of the creation time (SPDX times
//     have none). The serial number becomes the namespace and comes back.
func TestRoundTripOtherFormat(t *testing.T) {
	t.Parallel()
	for _, name := range allFixtures {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := roundTripInput(t, name)
			want := modelOf(d)
			var back *sbom.Document
			if d.Format() == sbom.FormatSPDX {
				back = mustParse(t, writeCycloneDX(t, d))
				if back.Format() != sbom.FormatCycloneDX || back.SpecVersion() != "1.6" {
					t.Fatalf("written as %s %s", back.Format(), back.SpecVersion())
				}
				want.Name, want.Namespace = "", ""
				var rels []string
				for _, r := range want.Relationships {
					if !strings.HasPrefix(r, string(sbom.RelationshipOther)+" ") {
						rels = append(rels, r)
					}
				}
				want.Relationships = rels
				for k, p := range want.Packages {
					if p.Purpose == "" {
						p.Purpose = "library"
						want.Packages[k] = p
					}
				}
			} else {
				back = mustParse(t, writeSPDX(t, d))
				if back.Format() != sbom.FormatSPDX || back.SpecVersion() != "2.3" {
					t.Fatalf("written as %s %s", back.Format(), back.SpecVersion())
				}
				want.Tools = slices.Clone(want.Tools)
				for i, tool := range want.Tools {
					want.Tools[i].Vendor = ""
					if v := tool.Version; v != "" && (v[0] < '0' || v[0] > '9') {
						want.Tools[i].Name, want.Tools[i].Version = tool.Name+"-"+v, ""
					}
				}
				want.Created = want.Created.Truncate(time.Second)
				if back.Name() != d.Subject().Name {
					t.Errorf("SPDX name = %q, want the subject's %q", back.Name(), d.Subject().Name)
				}
				want.Name = back.Name()
			}
			got := modelOf(back)
			ignoreIDs := cmpopts.IgnoreFields(modelPackage{}, "ID")
			if diff := cmp.Diff(want, got, ignoreIDs); diff != "" {
				t.Fatalf("model changed (-before +after):\n%s", diff)
			}
			if len(back.Warnings()) != 0 {
				t.Errorf("warnings after round trip: %v", back.Warnings()[:min(5, len(back.Warnings()))])
			}
		})
	}
}
