package sbom_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/sbom"
)

// Small hand-made documents for bad input.
const (
	// minimalSPDX is a valid SPDX 2.3 document with two packages, the first
	// described by the document; %s is replaced by extra members of its
	// second package.
	minimalSPDX = `{
  "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
  "name": "test", "documentNamespace": "https://example.com/test",
  "creationInfo": {"created": "2025-01-02T03:04:05Z", "creators": ["Tool: test-1.0"]},
  "packages": [
    {"name": "root", "SPDXID": "SPDXRef-root", "downloadLocation": "NOASSERTION"},
    {"name": "a", "SPDXID": "SPDXRef-a", "downloadLocation": "NOASSERTION", "versionInfo": "1"%s}
  ],
  "relationships": [
    {"spdxElementId": "SPDXRef-DOCUMENT", "relatedSpdxElement": "SPDXRef-root", "relationshipType": "DESCRIBES"},
    {"spdxElementId": "SPDXRef-root", "relatedSpdxElement": "SPDXRef-a", "relationshipType": "CONTAINS"}
  ]
}`
	// minimalCycloneDX is a valid CycloneDX 1.5 BOM with one component.
	minimalCycloneDX = `{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
  "metadata": {"timestamp": "2025-01-02T03:04:05Z", "component": {"bom-ref": "root", "type": "container", "name": "root"}},
  "components": [{"bom-ref": "a", "type": "library", "name": "a", "version": "1", "purl": "pkg:npm/a@1"}]}`
)

func spdxWith(extra string) string {
	return strings.Replace(minimalSPDX, "%s", extra, 1)
}

// TestParseErrors checks that input Parse cannot read fails with the right
// sentinel and a message that says what and where.
func TestParseErrors(t *testing.T) {
	t.Parallel()
	big := fixtureBytes(t, trivyCDX16)
	tests := []struct {
		name  string
		input []byte
		opts  []sbom.Option
		is    error
		msg   string
	}{
		{"empty", nil, nil, sbom.ErrInvalid, "unexpected end of JSON input"},
		{"invalid JSON", []byte("{\n  \"spdxVersion\": \"SPDX-2.3\",\n  \"packages\": [}\n"), nil, sbom.ErrInvalid, "line 3, column 16"},
		{"truncated document", big[:5000], nil, sbom.ErrInvalid, "unexpected end of JSON input"},
		{"JSON error deep inside", []byte(strings.Replace(minimalCycloneDX, `"version": "1"`, `"version": 1x`, 1)), nil, sbom.ErrInvalid, "line 3"},
		{"wrong JSON type", []byte(`{"bomFormat": "CycloneDX", "specVersion": "1.6",` + "\n" + `"components": "none"}`), nil, sbom.ErrInvalid, "components at line 2"},
		{"not an object", []byte(`[1, 2]`), nil, sbom.ErrUnknownFormat, "not a JSON object"},
		{"unknown document", []byte(`{"hello": "world"}`), nil, sbom.ErrUnknownFormat, "not an SPDX or CycloneDX document"},
		{"SPDX 3.0", []byte(`{"spdxVersion": "SPDX-3.0"}`), nil, sbom.ErrUnsupportedVersion, `SPDX "SPDX-3.0"`},
		{"SPDX 2.1", []byte(`{"spdxVersion": "SPDX-2.1"}`), nil, sbom.ErrUnsupportedVersion, `SPDX "SPDX-2.1"`},
		{"CycloneDX 1.3", []byte(`{"bomFormat": "CycloneDX", "specVersion": "1.3"}`), nil, sbom.ErrUnsupportedVersion, `CycloneDX "1.3"`},
		{"CycloneDX 1.8", []byte(`{"bomFormat": "CycloneDX", "specVersion": "1.8"}`), nil, sbom.ErrUnsupportedVersion, `CycloneDX "1.8"`},
		{"CycloneDX without specVersion", []byte(`{"bomFormat": "CycloneDX"}`), nil, sbom.ErrUnsupportedVersion, `CycloneDX ""`},
		{"not CycloneDX", []byte(`{"bomFormat": "SWID", "specVersion": "1.6"}`), nil, sbom.ErrUnknownFormat, `bomFormat "SWID"`},
		{"spdxVersion twice", []byte(strings.Replace(spdxWith(""), `"dataLicense"`, `"SPDXVERSION": "SPDX-2.2", "dataLicense"`, 1)), nil, sbom.ErrInvalid, `spdxVersion is both "SPDX-2.3" and "SPDX-2.2"`},
		{"specVersion twice", []byte(strings.Replace(minimalCycloneDX, `"version": 1,`, `"version": 1, "specVersion": "1.6",`, 1)), nil, sbom.ErrInvalid, `specVersion "1.5" decode as "CycloneDX" and "1.6"`},
		{"bad SPDX identifier", []byte(strings.Replace(spdxWith(""), `"SPDXRef-a"`, `"a"`, 1)), nil, sbom.ErrInvalid, "failed to parse ElementID: a"},
		{"over the size limit", big, []sbom.Option{sbom.WithMaxSize(1000)}, sbom.ErrTooLarge, "263520 bytes, limit 1000"},
		{"bad size limit", big, []sbom.Option{sbom.WithMaxSize(0)}, nil, "max size must be positive"},
		{"statement without predicate", []byte(`{"_type": "https://in-toto.io/Statement/v1", "predicateType": "https://spdx.dev/Document", "subject": []}`), nil, sbom.ErrInvalid, "has no predicate"},
		{"statement of another predicate", []byte(`{"_type": "https://in-toto.io/Statement/v1", "predicateType": "https://slsa.dev/provenance/v1", "subject": [], "predicate": {"buildDefinition": {}}}`), nil, sbom.ErrUnknownFormat, `the statement's predicate (type "https://slsa.dev/provenance/v1")`},
		{"statement holding bad JSON", []byte(`{"_type": "https://in-toto.io/Statement/v1", "predicateType": "https://spdx.dev/Document", "predicate": {"Data": "{\"spdxVersion\": "}}`), nil, sbom.ErrInvalid, "statement predicate: JSON syntax error at line 1, column 16"},
		{"strict with warnings", []byte(spdxWith(`, "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "nopurl"}]`)), []sbom.Option{sbom.WithStrict()}, sbom.ErrInvalid, "packages[1].externalRefs[0]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := sbom.Parse(tc.input, tc.opts...)
			if err == nil {
				t.Fatalf("Parse succeeded: %d packages", len(d.Packages()))
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q is not %q", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not say %q", err, tc.msg)
			}
			if !strings.HasPrefix(err.Error(), "sbom: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

// TestParseReader checks the reader variant and its size limit.
func TestParseReader(t *testing.T) {
	t.Parallel()
	b := fixtureBytes(t, trivyCDX16)
	d, err := sbom.ParseReader(bytes.NewReader(b))
	if err != nil || len(d.Packages()) != 161 {
		t.Fatalf("ParseReader = %v packages, %v", d, err)
	}
	if _, err := sbom.ParseReader(bytes.NewReader(b), sbom.WithMaxSize(int64(len(b)-1))); !errors.Is(err, sbom.ErrTooLarge) {
		t.Errorf("one byte over the limit: %v, want ErrTooLarge", err)
	}
	if _, err := sbom.ParseReader(bytes.NewReader(b), sbom.WithMaxSize(int64(len(b)))); err != nil {
		t.Errorf("at the limit: %v", err)
	}
	if _, err := sbom.ParseReader(errReader{}); err == nil || !strings.Contains(err.Error(), "sbom: reading: broken") {
		t.Errorf("failing reader: %v", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("broken") }

// TestWarnings checks the flaws Parse records without failing, each with
// its location.
func TestWarnings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		input string
		want  []sbom.Warning
	}{
		{"clean SPDX", spdxWith(""), nil},
		{"clean CycloneDX", minimalCycloneDX, nil},
		{
			"duplicate SPDX identifier",
			strings.Replace(spdxWith(""), `"SPDXRef-a"`, `"SPDXRef-root"`, 1),
			[]sbom.Warning{
				{Where: "packages[1]", Message: `duplicate identifier "SPDXRef-root", first used at packages[0]`},
				{Where: "relationships[1].relatedSpdxElement", Message: `"SPDXRef-a" names no package or file in the document`},
			},
		},
		{
			"duplicate bom-ref",
			strings.Replace(minimalCycloneDX, `"bom-ref": "a"`, `"bom-ref": "root"`, 1),
			[]sbom.Warning{{Where: "components[0]", Message: `duplicate identifier "root", first used at metadata.component`}},
		},
		{
			"SPDX relationship to a missing element",
			strings.Replace(spdxWith(""), `"relatedSpdxElement": "SPDXRef-a"`, `"relatedSpdxElement": "SPDXRef-gone"`, 1),
			[]sbom.Warning{{Where: "relationships[1].relatedSpdxElement", Message: `"SPDXRef-gone" names no package or file in the document`}},
		},
		{
			"SPDX relationship to another document and to NONE",
			strings.Replace(strings.Replace(spdxWith(""), `"relatedSpdxElement": "SPDXRef-a"`, `"relatedSpdxElement": "DocumentRef-other:SPDXRef-x"`, 1),
				`"relationshipType": "CONTAINS"`, `"relationshipType": "CONTAINS"}, {"spdxElementId": "SPDXRef-a", "relatedSpdxElement": "NONE", "relationshipType": "DEPENDS_ON"`, 1),
			nil,
		},
		{
			"CycloneDX dependency on a missing component",
			strings.Replace(minimalCycloneDX, `}]}`, `}], "dependencies": [{"ref": "a", "dependsOn": ["gone"]}, {"ref": "ghost"}]}`, 1),
			[]sbom.Warning{
				{Where: "dependencies[0].dependsOn[0]", Message: `"gone" names no component in the document`},
				{Where: "dependencies[1].ref", Message: `"ghost" names no component in the document`},
			},
		},
		{
			// Found by FuzzParse: tools-golang decodes {} as a relationship
			// between empty identifiers, which it cannot write back.
			"SPDX relationship without ends",
			`{"spdxVersion": "SPDX-2.3", "relationships": [{}]}`,
			[]sbom.Warning{{Where: "relationships[0]", Message: "relationship without spdxElementId or relatedSpdxElement left out"}},
		},
		{
			"invalid purl",
			spdxWith(`, "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:/nope"}]`),
			[]sbom.Warning{{Where: "packages[1].externalRefs[0]", Message: `purl: invalid package url "pkg:/nope": purl is missing type or name`}},
		},
		{
			"invalid created time",
			strings.Replace(minimalCycloneDX, `2025-01-02T03:04:05Z`, `yesterday`, 1),
			[]sbom.Warning{{Where: "metadata.timestamp", Message: `"yesterday" is not an RFC 3339 time`}},
		},
		{
			"invalid licence expression",
			spdxWith(`, "licenseDeclared": "MIT AND (Apache-2.0"`),
			[]sbom.Warning{{Where: "packages[1].licenseDeclared", Message: `"MIT AND (Apache-2.0" is not a valid SPDX license expression`}},
		},
		{
			"CycloneDX licence without id, name or expression",
			strings.Replace(minimalCycloneDX, `"purl": "pkg:npm/a@1"`, `"purl": "pkg:npm/a@1", "licenses": [{"license": {"url": "https://example.com/l"}}]`, 1),
			[]sbom.Warning{{Where: "components[0].licenses[0]", Message: "licence has no id, name or expression"}},
		},
		{
			"statement whose predicate type names the other format",
			`{"_type": "https://in-toto.io/Statement/v0.1", "predicateType": "https://spdx.dev/Document", "subject": [], "predicate": ` + minimalCycloneDX + `}`,
			[]sbom.Warning{{Where: "predicateType", Message: `statement predicate type "https://spdx.dev/Document" does not name the cyclonedx document it carries`}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := mustParse(t, []byte(tc.input))
			if diff := cmp.Diff(tc.want, d.Warnings()); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			if len(tc.want) > 0 {
				if _, err := sbom.Parse([]byte(tc.input), sbom.WithStrict()); !errors.Is(err, sbom.ErrInvalid) || !strings.Contains(err.Error(), tc.want[0].String()) {
					t.Errorf("strict: %v", err)
				}
			}
			// A flawed document can still be written in both formats.
			mustParse(t, writeSPDX(t, d))
			mustParse(t, writeCycloneDX(t, d))
		})
	}
}

// TestWrappers checks every way an SBOM can be wrapped.
func TestWrappers(t *testing.T) {
	t.Parallel()
	stmt := func(pred string) string {
		return `{"_type": "https://in-toto.io/Statement/v1", "predicateType": "https://cyclonedx.org/bom/v1.5",
		  "subject": [{"name": "x", "digest": {"sha256": "abc"}}], "predicate": ` + pred + `}`
	}
	quoted := strings.NewReplacer(`"`, `\"`, "\n", `\n`).Replace(minimalCycloneDX)
	tests := []struct {
		name      string
		input     string
		statement bool
	}{
		{"bare", minimalCycloneDX, false},
		{"legacy wrapper", `{"Data": ` + minimalCycloneDX + `, "Timestamp": "2025-01-01T00:00:00Z"}`, false},
		{"legacy wrapper, Data as a string", `{"Data": "` + quoted + `", "Timestamp": "2025-01-01T00:00:00Z"}`, false},
		{"statement", stmt(minimalCycloneDX), true},
		{"statement with legacy wrapper", stmt(`{"Data": ` + minimalCycloneDX + `, "Timestamp": "x"}`), true},
		{"statement with legacy wrapper, Data as a string", stmt(`{"Data": "` + quoted + `"}`), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := mustParse(t, []byte(tc.input))
			if got := names(d.Packages()); !cmp.Equal(got, []string{"a"}) {
				t.Errorf("packages = %v", got)
			}
			if (d.Statement() != nil) != tc.statement {
				t.Errorf("statement = %+v, want one: %v", d.Statement(), tc.statement)
			}
			if len(d.Warnings()) != 0 {
				t.Errorf("warnings: %v", d.Warnings())
			}
		})
	}
}

// TestSPDX22 checks that SPDX 2.2 documents are read (converted to 2.3 by
// tools-golang).
func TestSPDX22(t *testing.T) {
	t.Parallel()
	in := strings.Replace(spdxWith(`, "licenseConcluded": "MIT", "externalRefs": [{"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl", "referenceLocator": "pkg:npm/a@1"}]`), "SPDX-2.3", "SPDX-2.2", 1)
	d := mustParse(t, []byte(in))
	if d.SpecVersion() != "2.2" || d.SPDX().SPDXVersion != "SPDX-2.3" {
		t.Errorf("spec version %q, decoded as %q", d.SpecVersion(), d.SPDX().SPDXVersion)
	}
	a := d.ByName("a")
	if len(a) != 1 || a[0].PURL() != "pkg:npm/a@1" || a[0].ConcludedLicense != "MIT" || d.Subject().Name != "root" {
		t.Errorf("packages: %+v", a)
	}
}

// TestWriteFlawed checks that documents with values the format libraries
// read but cannot write back are still written, without those values.
// FuzzParse found the first two.
func TestWriteFlawed(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, input string }{
		{"CycloneDX tool without name", `{"bomFormat": "CycloneDX", "specVersion": "1.4", "metadata": {"tools": [{}]}}`},
		{"SPDX creator without name", `{"spdxVersion": "SPDX-2.2", "creationInfo": {"creators": [":", "Tool: "]}}`},
		{"SPDX supplier and originator without name", spdxWith(`, "supplier": "Organization: ", "originator": "Person: "`)},
		{"CycloneDX licence without id or name", strings.Replace(minimalCycloneDX, `"purl": "pkg:npm/a@1"`, `"purl": "pkg:npm/a@1", "licenses": [{"license": {"id": "MIT"}}, {"license": {"url": "https://example.com/l"}}]`, 1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := mustParse(t, []byte(tc.input))
			for _, back := range []*sbom.Document{mustParse(t, writeSPDX(t, d)), mustParse(t, writeCycloneDX(t, d))} {
				if got, want := names(back.Packages()), names(d.Packages()); !cmp.Equal(got, want) {
					t.Errorf("%s: packages %v, want %v", back.Format(), got, want)
				}
			}
		})
	}
}
