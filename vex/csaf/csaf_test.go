package csaf

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	gocsaf "github.com/gocsaf/csaf/v3/csaf"
	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/internal/fixture"
	"github.com/dhisdk/dhisdk/vex"
)

const openssl = "testdata/csaf-2.0-vex-openssl.json"

func readTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func parseOpenSSL(tb testing.TB) *vex.Document {
	tb.Helper()
	d, err := Parse(readTestdata(tb, openssl), WithDocumentName("openssl.json"))
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// statement is the part of a statement the tests check.
type statement struct {
	Vulnerability string
	Aliases       []string
	Status        vex.Status
	Justification vex.Justification
	Impact        string
	Action        string
	Products      []string
}

func TestParseStatements(t *testing.T) {
	t.Parallel()
	d := parseOpenSSL(t)
	var got []statement
	for _, s := range d.Statements {
		st := statement{Vulnerability: s.Vulnerability.Name, Aliases: s.Vulnerability.Aliases, Status: s.Status,
			Justification: s.Justification, Impact: s.ImpactStatement, Action: s.ActionStatement}
		for _, p := range s.Products {
			id := p.ID
			if id == "" {
				id = p.Identifiers["cpe22"]
			}
			for _, sc := range p.Subcomponents {
				id += " > " + sc.ID
			}
			st.Products = append(st.Products, id)
		}
		got = append(got, st)
	}
	image := "pkg:oci/ubi9@sha256%3A" + strings.Repeat("b1", 32) + "?repository_url=registry.example.com/ubi9&tag=9.2-755"
	openssl := "pkg:rpm/example/openssl@3.0.7-27.el9?arch=x86_64&epoch=1"
	libs := "pkg:rpm/example/openssl-libs@3.0.7-27.el9?arch=x86_64&epoch=1"
	nodejs := "pkg:rpm/example/nodejs@16.20.2-1.el9?arch=x86_64&epoch=1"
	appstream := "cpe:/a:example:linux:9::appstream"
	want := []statement{
		{Vulnerability: "CVE-2023-0464", Aliases: []string{"EXBZ-2181082"}, Status: vex.StatusNotAffected, Justification: vex.VulnerableCodeNotInExecutePath, Products: []string{image + " > " + libs}},
		{Vulnerability: "CVE-2023-0464", Aliases: []string{"EXBZ-2181082"}, Status: vex.StatusFixed, Products: []string{appstream + " > " + openssl}},
		{Vulnerability: "CVE-2024-0727", Status: vex.StatusAffected, Action: "none_available: Affected, a fix is not yet available.", Products: []string{appstream + " > " + openssl}},
		{Vulnerability: "CVE-2024-0727", Status: vex.StatusUnderInvestigation, Products: []string{nodejs}},
		{Vulnerability: "CVE-2023-5678", Status: vex.StatusNotAffected, Justification: vex.ComponentNotPresent, Products: []string{appstream + " > " + nodejs, image + " > " + libs}},
		{Vulnerability: "CVE-2023-5678", Status: vex.StatusNotAffected, Impact: "The DH code is not reachable from the installed tools."},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statements (-want +got):\n%s", diff)
	}
	// The installed_on product is left out, and its statement is reported
	// as having no product.
	var problems []string
	for _, p := range d.Problems {
		problems = append(problems, p.Error())
	}
	if diff := cmp.Diff([]string{"vex: openssl.json: statement 5 on CVE-2023-5678: no products"}, problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if d.ID != "EXVEX-2024-0001" || d.Author != "Example Vendor" || d.AuthorRole != "vendor" || d.Version != 3 || d.Context != Context || d.Tooling != "handwritten 1" {
		t.Errorf("document = %q %q %q %d %q %q", d.ID, d.Author, d.AuthorRole, d.Version, d.Context, d.Tooling)
	}
	if got := d.Statements[0].Time.Format("2006-01-02T15:04:05Z07:00"); got != "2024-03-02T09:30:00Z" {
		t.Errorf("statement time %s, want the current release date", got)
	}
	if !strings.HasPrefix(d.Statements[0].Vulnerability.Description, "A security vulnerability has been identified") {
		t.Errorf("description %q", d.Statements[0].Vulnerability.Description)
	}
}

// TestIndexWithOpenVEX merges the CSAF document with a real DHI OpenVEX
// document and queries both, as scanners report packages.
func TestIndexWithOpenVEX(t *testing.T) {
	t.Parallel()
	curl, err := vex.Parse(fixture.Bytes(t, "dhi/advisories/vex/dhi-curl.vex.json"))
	if err != nil {
		t.Fatal(err)
	}
	ix := vex.NewIndex(parseOpenSSL(t), curl)
	ubi := "registry.example.com/ubi9@sha256:" + strings.Repeat("b1", 32)
	libs := "pkg:rpm/example/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=example-9.2&epoch=1"
	tests := []struct {
		name string
		q    vex.Query
		want vex.Status
		just vex.Justification
	}{
		{"package in the image", vex.Query{Vulnerability: "CVE-2023-0464", Package: libs, Image: ubi}, vex.StatusNotAffected, vex.VulnerableCodeNotInExecutePath},
		{"tag alone: the product names a digest, tags are not resolved", vex.Query{Vulnerability: "CVE-2023-0464", Package: libs, Image: "registry.example.com/ubi9:9.2-755"}, "", ""},
		{"tag with the digest as an alias", vex.Query{Vulnerability: "CVE-2023-0464", Package: libs, Image: "registry.example.com/ubi9:9.2-755", ImageAliases: []string{ubi}}, vex.StatusNotAffected, vex.VulnerableCodeNotInExecutePath},
		{"alias", vex.Query{Vulnerability: "exbz-2181082", Package: libs, Image: ubi}, vex.StatusNotAffected, vex.VulnerableCodeNotInExecutePath},
		{"same package in another image", vex.Query{Vulnerability: "CVE-2023-0464", Package: libs, Image: "registry.example.com/other@sha256:" + strings.Repeat("c2", 32)}, "", ""},
		{"package in the product named by CPE", vex.Query{Vulnerability: "CVE-2024-0727", Package: "pkg:rpm/example/openssl@1:3.0.7-27.el9?arch=x86_64", Image: "cpe:/a:example:linux:9::appstream"}, vex.StatusAffected, ""},
		{"another version", vex.Query{Vulnerability: "CVE-2024-0727", Package: "pkg:rpm/example/openssl@1:3.0.7-28.el9?arch=x86_64", Image: "cpe:/a:example:linux:9::appstream"}, "", ""},
		{"bare product in a document that names no image as such", vex.Query{Vulnerability: "CVE-2024-0727", Package: "pkg:rpm/example/nodejs@16.20.2-1.el9?arch=x86_64&epoch=1", Image: ubi}, vex.StatusUnderInvestigation, ""},
		{"the OpenVEX document still decides", vex.Query{Vulnerability: "CVE-2025-9086", Package: "pkg:deb/debian/curl@8.14.1-2?distro=debian-13", Image: "docker.io/dhi/curl:8"}, vex.StatusNotAffected, vex.VulnerableCodeCannotBeControlledByAdversary},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := ix.Decide(tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if d.Status != tc.want || d.Justification != tc.just {
				t.Errorf("decision %q %q, want %q %q", d.Status, d.Justification, tc.want, tc.just)
			}
		})
	}
}

func TestParseBadInput(t *testing.T) {
	t.Parallel()
	good := readTestdata(t, openssl)
	advisory := strings.Replace(string(good), `"category": "csaf_vex"`, `"category": "csaf_security_advisory"`, 1)
	noTitle := strings.Replace(string(good), `"title": "openssl: vulnerabilities in Example Linux 9 and its base image",`, "", 1)
	tests := []struct {
		name    string
		in      []byte
		opts    []Option
		want    error
		message string
	}{
		{"another category", []byte(advisory), nil, ErrUnsupported, `csaf: invalid document: not a csaf vex document: document has document.category "csaf_security_advisory", not "csaf_vex"`},
		{"openvex", fixture.Bytes(t, "dhi/advisories/vex/dhi-curl.vex.json"), []Option{WithDocumentName("curl")}, ErrUnsupported, "csaf: invalid document: not a csaf vex document: curl is not a CSAF document (no document.csaf_version)"},
		{"truncated", good[:len(good)/2], nil, ErrInvalid, "csaf: invalid document: document: unexpected end of JSON input"},
		{"required field missing", []byte(noTitle), nil, ErrInvalid, "csaf: invalid document: document: 'document' is invalid: 'title' is missing"},
		{"too large", good, []Option{WithMaxSize(100)}, ErrTooLarge, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tc.in, tc.opts...)
			if !errors.Is(err, tc.want) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			if tc.message != "" && err.Error() != tc.message {
				t.Errorf("message %q, want %q", err, tc.message)
			}
		})
	}
	if _, err := ParseReader(strings.NewReader(string(good)), WithMaxSize(int64(len(good)-1))); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ParseReader over the limit: %v", err)
	}
	if _, err := ParseReader(strings.NewReader(string(good))); err != nil {
		t.Errorf("ParseReader: %v", err)
	}
	if _, err := Parse(good, WithMaxSize(0)); err == nil {
		t.Error("WithMaxSize(0) accepted")
	}
	// vex.Parse points CSAF documents here.
	if _, err := vex.Parse(good); !errors.Is(err, vex.ErrUnsupported) || !strings.Contains(err.Error(), "vex/csaf") {
		t.Errorf("vex.Parse of CSAF: %v", err)
	}
	if !IsVEX(good) || IsVEX([]byte(advisory)) || IsVEX(fixture.Bytes(t, "dhi/advisories/vex/dhi-curl.vex.json")) {
		t.Error("IsVEX")
	}
}

func FuzzParse(f *testing.F) {
	f.Add(readTestdata(f, openssl))
	f.Add([]byte(`{"document":{"category":"csaf_vex","csaf_version":"2.0"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Parse(b)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		vex.NewIndex(d)
	})
}

// TestGroupsOutsideGocsaf documents why product groups are decoded apart:
// gocsaf's types do not take CSAF 2.0's product_groups and group_ids
// arrays.
func TestGroupsOutsideGocsaf(t *testing.T) {
	t.Parallel()
	var adv gocsaf.Advisory
	if err := json.Unmarshal(readTestdata(t, openssl), &adv); err == nil {
		t.Skip("gocsaf now decodes product groups: splitGroups can go")
	}
}
