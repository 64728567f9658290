package sbom

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLicenseExpressions(t *testing.T) {
	t.Parallel()
	upper := func(s string) string { return strings.ToUpper(s) }
	tests := []struct {
		expr      string
		valid     bool
		ids       []string
		canonical string // with ids upper-cased, to show the name function is applied
		operands  []string
	}{
		{"MIT", true, []string{"MIT"}, "MIT", []string{"MIT"}},
		{"GPL-2.0-only AND GPL-2.0-or-later", true, []string{"GPL-2.0-only", "GPL-2.0-or-later"}, "GPL-2.0-ONLY AND GPL-2.0-OR-LATER", []string{"GPL-2.0-only", "GPL-2.0-or-later"}},
		{"b and (c or a)", true, []string{"b", "c", "a"}, "(A OR C) AND B", []string{"b", "c OR a"}},
		{"(MIT AND (Apache-2.0 AND ISC))", true, []string{"MIT", "Apache-2.0", "ISC"}, "APACHE-2.0 AND ISC AND MIT", []string{"MIT", "Apache-2.0 AND ISC"}},
		{"GPL-2.0+ WITH Classpath-exception-2.0 OR MIT", true, []string{"GPL-2.0+", "MIT"}, "GPL-2.0+ WITH Classpath-exception-2.0 OR MIT", []string{"GPL-2.0+ WITH Classpath-exception-2.0 OR MIT"}},
		{"DocumentRef-x:LicenseRef-y", true, []string{"DocumentRef-x:LicenseRef-y"}, "DOCUMENTREF-X:LICENSEREF-Y", []string{"DocumentRef-x:LicenseRef-y"}},
		{"NONE", true, nil, "NONE", []string{"NONE"}},
		{"MIT AND", false, []string{"MIT"}, "MIT AND", []string{"MIT AND"}},
		{"(MIT", false, []string{"MIT"}, "(MIT", []string{"(MIT"}},
		{"MIT WITH", false, []string{"MIT"}, "MIT WITH", []string{"MIT WITH"}},
		{"GPL v2", false, []string{"GPL", "v2"}, "GPL v2", []string{"GPL v2"}},
		{"Apache-2.0,", false, nil, "Apache-2.0,", []string{"Apache-2.0,"}},
		{"", false, nil, "", []string{""}},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			_, err := parseLicense(tc.expr)
			if (err == nil) != tc.valid {
				t.Errorf("parseLicense(%q) error = %v, want valid %v", tc.expr, err, tc.valid)
			}
			if diff := cmp.Diff(tc.ids, licenseIDs(tc.expr)); diff != "" {
				t.Errorf("licenseIDs (-want +got):\n%s", diff)
			}
			if got := canonicalLicense(tc.expr, upper); got != tc.canonical {
				t.Errorf("canonicalLicense = %q, want %q", got, tc.canonical)
			}
			if diff := cmp.Diff(tc.operands, andOperands(tc.expr)); diff != "" {
				t.Errorf("andOperands (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLicenseHelpers(t *testing.T) {
	t.Parallel()
	if got := joinLicenses([]string{"MIT", "A OR B", "C"}); got != "MIT AND (A OR B) AND C" {
		t.Errorf("joinLicenses = %q", got)
	}
	for name, want := range map[string]string{
		"Expat":          "LicenseRef-Expat",
		"sha256:52cc":    "LicenseRef-sha256-52cc",
		"Apache-2.0,":    "LicenseRef-Apache-2.0-",
		"GPL 2 or later": "LicenseRef-GPL-2-or-later",
		"":               "LicenseRef-unnamed",
	} {
		if got := licenseRefID(name); got != want {
			t.Errorf("licenseRefID(%q) = %q, want %q", name, got, want)
		}
	}
	d := &Document{}
	a, b, c := d.licenseRef("GPL v2"), d.licenseRef("GPL-v2"), d.licenseRef("GPL v2")
	if a != "LicenseRef-GPL-v2" || b != "LicenseRef-GPL-v2-2" || c != a {
		t.Errorf("licenseRef: %q %q %q", a, b, c)
	}
	if d.LicenseName(b) != "GPL-v2" || d.LicenseName("LicenseRef-other") != "other" || d.LicenseName("MIT") != "MIT" {
		t.Error("LicenseName")
	}
	for _, tc := range []struct {
		id   string
		want bool
	}{{"MIT", true}, {"GPL-2.0+", false}, {"LicenseRef-x", false}, {"licenseref-x", false}, {"NONE", false}, {"A B", false}, {"DocumentRef-a:LicenseRef-b", false}} {
		if got := isSimpleLicenseID(tc.id); got != tc.want {
			t.Errorf("isSimpleLicenseID(%q) = %v", tc.id, got)
		}
	}
}

func TestNormalizeAlgorithm(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"SHA-256": "sha256", "SHA256": "sha256", "SHA-1": "sha1", "SHA1": "sha1", "MD5": "md5",
		"SHA3-256": "sha3-256", "BLAKE2b-256": "blake2b-256", "BLAKE3": "blake3", "Streebog-256": "streebog256", "ADLER32": "adler32",
	} {
		got := normalizeAlgorithm(in)
		if got != want {
			t.Errorf("normalizeAlgorithm(%q) = %q, want %q", in, got, want)
		}
		if _, ok := spdxAlgorithms[got]; !ok {
			if _, ok := cdxAlgorithms[got]; !ok {
				t.Errorf("%q maps to neither format", got)
			}
		}
	}
}
