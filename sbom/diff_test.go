package sbom_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/sbom"
)

// cdxWith makes a CycloneDX 1.6 BOM of the given components (JSON objects
// without bom-ref, type and braces).
func cdxWith(components ...string) []byte {
	var cs []string
	for i, c := range components {
		cs = append(cs, fmt.Sprintf(`{"bom-ref": "c%d", "type": "library", %s}`, i, c))
	}
	return []byte(`{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [` + strings.Join(cs, ",") + `]}`)
}

func changes(cs []sbom.Change) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s %s %s -> %s %s", c.Old.Name, c.Old.Version, c.Old.ConcludedLicense+c.Old.DeclaredLicense, c.New.Version, c.New.ConcludedLicense+c.New.DeclaredLicense))
	}
	return out
}

func TestCompare(t *testing.T) {
	t.Parallel()
	before := mustParse(t, cdxWith(
		`"name": "a", "version": "1", "purl": "pkg:npm/a@1", "licenses": [{"license": {"id": "MIT"}}]`,
		`"name": "b", "version": "2", "purl": "pkg:npm/b@2"`,
		`"name": "c", "version": "1", "purl": "pkg:npm/c@1"`,
		`"name": "libfoo", "version": "1", "purl": "pkg:deb/debian/libfoo@1?arch=amd64"`,
		`"name": "libfoo", "version": "1", "purl": "pkg:deb/debian/libfoo@1?arch=i386"`,
		`"name": "e", "version": "1", "purl": "pkg:npm/e@1"`,
		`"name": "e", "version": "2", "purl": "pkg:npm/e@2"`,
		`"name": "nopurl", "version": "1", "licenses": [{"expression": "MIT AND (BSD-2-Clause OR ISC)"}]`,
	))
	after := mustParse(t, cdxWith(
		`"name": "a", "version": "1", "purl": "pkg:npm/a@1", "licenses": [{"license": {"id": "Apache-2.0"}}]`,
		`"name": "b", "version": "3", "purl": "pkg:npm/b@3"`,
		`"name": "d", "version": "1", "purl": "pkg:npm/d@1"`,
		`"name": "libfoo", "version": "2", "purl": "pkg:deb/debian/libfoo@2?arch=amd64"`,
		`"name": "libfoo", "version": "1", "purl": "pkg:deb/debian/libfoo@1?arch=i386"`,
		`"name": "e", "version": "2", "purl": "pkg:npm/e@2"`,
		`"name": "e", "version": "3", "purl": "pkg:npm/e@3"`,
		`"name": "NoPurl", "version": "1", "licenses": [{"expression": "(ISC OR BSD-2-Clause) AND MIT"}]`,
	))
	df := sbom.Compare(before, after)
	if diff := cmp.Diff([]string{"d"}, names(df.Added)); diff != "" {
		t.Errorf("added (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"c"}, names(df.Removed)); diff != "" {
		t.Errorf("removed (-want +got):\n%s", diff)
	}
	wantVersions := []string{"libfoo 1  -> 2 ", "b 2  -> 3 ", "e 1  -> 3 "}
	if diff := cmp.Diff(wantVersions, changes(df.VersionChanged)); diff != "" {
		t.Errorf("version changes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a 1 MIT -> 1 Apache-2.0"}, changes(df.LicenseChanged)); diff != "" {
		t.Errorf("licence changes (-want +got):\n%s", diff)
	}
	if df.Empty() || !sbom.Compare(after, after).Empty() {
		t.Error("Empty is wrong")
	}
	back := sbom.Compare(after, before)
	if len(back.Added) != 1 || back.Added[0].Name != "c" || len(back.Removed) != 1 || back.Removed[0].Name != "d" {
		t.Errorf("reverse diff: added %v removed %v", names(back.Added), names(back.Removed))
	}
}

// TestCompareAcrossFormats diffs the SPDX and CycloneDX SBOMs syft made of
// one image: the only difference is the operating-system component only
// CycloneDX lists (see TestSyftFormatsAgree).
func TestCompareAcrossFormats(t *testing.T) {
	t.Parallel()
	df := sbom.Compare(parseFixture(t, syftSPDX), parseFixture(t, syftCDX16))
	if got := names(df.Added); !cmp.Equal(got, []string{"debian"}) {
		t.Errorf("added = %v, want [debian]", got)
	}
	if len(df.Removed)+len(df.VersionChanged)+len(df.LicenseChanged) != 0 {
		t.Errorf("removed %v, version changes %v, licence changes %v", names(df.Removed), changes(df.VersionChanged), changes(df.LicenseChanged))
	}
}
