package sbom

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx/v2/v2_2"
	example22 "github.com/spdx/tools-golang/spdx/v2/v2_2/example"
	spdx "github.com/spdx/tools-golang/spdx/v2/v2_3"
	example23 "github.com/spdx/tools-golang/spdx/v2/v2_3/example"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

// spdxDocCmp compares what readSPDX reads with what spdxDocOf takes from
// tools-golang's decoding.
var spdxDocCmp = cmp.Options{
	cmp.AllowUnexported(spdxDoc{}, spdxLicense{}, spdxPackage{}, spdxExtRef{}, spdxFileEntry{}, spdxRelEntry{}, spdxRef{}),
	cmpopts.EquateEmpty(),
}

// checkReadSPDX checks, for a valid JSON document b with the given
// spdxVersion, that when readSPDX takes it tools-golang decodes it without
// error (or fails on its null package) and gives the same values. It
// reports whether readSPDX took it, and returns tools-golang's decoding.
func checkReadSPDX(t *testing.T, b []byte, version string) (ok bool, raw *spdx.Document, err error) {
	t.Helper()
	sd, ok := readSPDX(b, string(b), version == v2_2.Version)
	raw, err = decodeSPDX(b, version)
	if !ok {
		return false, raw, err
	}
	if sd.nullPackage >= 0 {
		if err == nil {
			t.Fatalf("readSPDX found null package %d, tools-golang decodes the document", sd.nullPackage)
		}
		return true, raw, err
	}
	if err != nil {
		t.Fatalf("readSPDX took the document, tools-golang fails: %v", err)
	}
	want := spdxDocOf(raw)
	want.version = version // tools-golang converts SPDX 2.2 to 2.3
	if diff := cmp.Diff(want, sd, spdxDocCmp); diff != "" {
		t.Fatalf("readSPDX differs from tools-golang (-tools-golang +readSPDX):\n%s", diff)
	}
	return true, raw, err
}

// spdx23 and spdx22 make documents of the given top-level members.
func spdx23(members string) string { return `{"spdxVersion": "SPDX-2.3", ` + members + `}` }
func spdx22(members string) string { return `{"spdxVersion": "SPDX-2.2", ` + members + `}` }

// examplesJSON writes tools-golang's example documents, which set every
// field the types have.
func examplesJSON(tb testing.TB) []string {
	tb.Helper()
	var out []string
	for _, doc := range []any{example23.Copy(), example22.Copy()} {
		var buf bytes.Buffer
		var err error
		switch d := doc.(type) {
		case spdx.Document:
			err = spdxjson.Write(&d, &buf)
		case v2_2.Document:
			err = spdxjson.Write(&d, &buf)
		}
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, buf.String())
	}
	return out
}

// readSPDXCases are hand-made documents, each with whether readSPDX takes
// it: it leaves the others to tools-golang, which decodes them or fails.
var readSPDXCases = []struct {
	name string
	doc  string
	ok   bool
}{
	{"minimal", spdx23(`"SPDXID": "SPDXRef-DOCUMENT", "name": "n", "documentNamespace": "https://x", "creationInfo": {"created": "2025-01-01T00:00:00Z", "creators": ["Tool: t-1"]}, "packages": [{"name": "a", "SPDXID": "SPDXRef-a"}]`), true},
	{"escapes and bytes that are not UTF-8", spdx23(`"name": "a\u0026b\n\"q\" \/ \ud83d\ude00 \ud800x \udc00 \u00e9 é` + "\xff\xfe" + `", "packages": [{"name": "\t", "SPDXID": "SPDXRef-a", "versionInfo": "1\\2", "externalRefs": [{"referenceType": "purl", "referenceLocator": "pkg:deb/debian/a@1?arch=amd64\u0026distro=debian-12"}]}]`), true},
	{"documentDescribes and hasFiles", spdx23(`"SPDXID": "SPDXRef-DOCUMENT", "documentDescribes": ["SPDXRef-a", "SPDXRef-b", "SPDXRef-a"],
	  "packages": [{"SPDXID": "SPDXRef-a", "hasFiles": ["SPDXRef-f1", "SPDXRef-f2"]}, {"SPDXID": "SPDXRef-b", "hasFiles": ["SPDXRef-f1"]}, {"name": "no id", "hasFiles": ["SPDXRef-f2"]}],
	  "files": [{"SPDXID": "SPDXRef-f1", "fileName": "f1", "checksums": [{"algorithm": "SHA1", "checksumValue": "AB"}]}, {"SPDXID": "SPDXRef-f2"}],
	  "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relatedSpdxElement": "SPDXRef-a", "relationshipType": "DESCRIBES"},
	    {"spdxElementId": "SPDXRef-f2", "relatedSpdxElement": "SPDXRef-a", "relationshipType": "CONTAINED_BY"},
	    {"spdxElementId": "SPDXRef-b", "relatedSpdxElement": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBED_BY"}]`), true},
	{"documentDescribes without document SPDXID", spdx23(`"documentDescribes": ["SPDXRef-a"], "packages": [{"SPDXID": "SPDXRef-a"}]`), true},
	{"references", spdx23(`"relationships": [{"spdxElementId": "DocumentRef-x:SPDXRef-y", "relatedSpdxElement": "DocumentRef-x", "relationshipType": "OTHER", "comment": "c"},
	    {"spdxElementId": "SPDXRef-a", "relatedSpdxElement": "NONE", "relationshipType": "depends_on"},
	    {"spdxElementId": "SPDXRef-a", "relatedSpdxElement": "NOASSERTION"},
	    {"spdxElementId": "SPDXRef-a"}, {}, {"relatedSpdxElement": "SPDXRef-q\""}]`), true},
	{"suppliers and creators", spdx23(`"creationInfo": {"creators": ["Tool: syft-1.0", "Organization:x", "Person: ", "tool:  a : b "], "created": "x", "comment": "c", "licenseListVersion": "3"},
	  "packages": [{"SPDXID": "SPDXRef-a", "supplier": "NOASSERTION", "originator": "NOASSERTION"}, {"SPDXID": "SPDXRef-b", "supplier": "Organization: NOASSERTION", "originator": "Person:y"},
	    {"SPDXID": "SPDXRef-c", "supplier": " Person :  x (y) "}, {"SPDXID": "SPDXRef-d", "supplier": {"a": 1}, "originator": [":"]}]`), true},
	{"values in tools-golang's raw form", spdx23(`"SPDXID": "SPDXRef-\u0041", "packages": [{"SPDXID": "SPDXRef-a\"", "supplier": "Organization: \u0041"}], "relationships": [{"spdxElementId": "SPDXRef-a\\", "relatedSpdxElement": "DocumentRef-\u00e9:SPDXRef-x:y", "relationshipType": "CONTAINS"}]`), true},
	{"licences", spdx23(`"hasExtractedLicensingInfos": [{"licenseId": "LicenseRef-a", "name": "A", "extractedText": "t", "seeAlsos": ["u", null], "comment": "c"}, null, {"licenseId": "LicenseRef-b"}],
	  "packages": [{"SPDXID": "SPDXRef-a", "licenseDeclared": "MIT AND LicenseRef-a", "licenseConcluded": "NOASSERTION", "licenseInfoFromFiles": ["MIT"]}]`), true},
	{"nulls", spdx23(`"name": null, "creationInfo": null, "externalDocumentRefs": null, "annotations": [null], "snippets": [null], "hasExtractedLicensingInfos": [null],
	  "packages": [{"SPDXID": "SPDXRef-a", "name": null, "supplier": null, "originator": null, "externalRefs": [null, {"referenceType": null}], "checksums": [null, {"algorithm": null}], "filesAnalyzed": null, "packageVerificationCode": null, "files": [null], "annotations": [null], "hasFiles": null}],
	  "files": [null, {"fileName": null, "checksums": null, "fileTypes": null}], "relationships": [null, {"comment": null}, null], "documentDescribes": null`), true},
	{"empty arrays and objects", spdx23(`"packages": [], "files": [], "relationships": [], "creationInfo": {}, "externalDocumentRefs": [{}], "snippets": [{}], "annotations": [{"annotator": "Tool: x"}]`), true},
	{"unknown members", spdx23(`"x": {"packages": [1, {"a": "}"}]}, "packages": [{"SPDXID": "SPDXRef-a", "y": [true, false, null, -1.5e3], "z": "\""}], "files": [{"w": {}}]`), true},
	{"SPDX 2.2", spdx22(`"SPDXID": "SPDXRef-DOCUMENT", "packages": [{"SPDXID": "SPDXRef-a", "primaryPackagePurpose": "LIBRARY", "releaseDate": 5, "externalRefs": [{"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl", "referenceLocator": "pkg:npm/a@1"}]}],
	  "files": [{}, {"fileName": ""}, {"checksums": []}, {"fileName": "f"}, {"comment": ""}, {"fileTypes": []}, {"artifactOfs": 5, "fileDependencies": 5}, {"annotations": []}, {"noticeText": "n"}],
	  "relationships": [{}, {"comment": ""}, {"relationshipType": "X"}, {"spdxElementId": "SPDXRef-a", "relatedSpdxElement": "SPDXRef-a", "relationshipType": "CONTAINS"}]`), true},
	{"null package", spdx23(`"packages": [{"SPDXID": "SPDXRef-a"}, null]`), true},
	{"null package in SPDX 2.2", spdx22(`"packages": [null]`), true},

	// Left to tools-golang, which decodes them.
	{"member twice", spdx23(`"packages": [{"name": "a", "versionInfo": "1"}], "packages": [{"name": "b"}]`), false},
	{"member twice in a package", spdx23(`"packages": [{"name": "a", "externalRefs": [{"referenceType": "purl", "referenceLocator": "pkg:npm/a"}], "externalRefs": [{"referenceLocator": "pkg:npm/b"}]}]`), false},
	{"member name in another case", spdx23(`"Packages": [{"name": "a"}]`), false},
	{"member name with escapes", spdx23(`"packages": [{"n\u0061me": "a"}]`), false},
	{"member name folding to a field's", spdx23(`"pac` + "\u212a" + `ages": [{"name": "a"}]`), false},
	{"SPDX 2.3 member of a 2.2 document in another case", spdx22(`"packages": [{"PrimaryPackagePurpose": "LIBRARY"}]`), false},

	// Left to tools-golang, which fails on them.
	{"number for a string", spdx23(`"packages": [{"name": 5}]`), false},
	{"number for an unused string", spdx23(`"packages": [{"copyrightText": 5}]`), false},
	{"string for a list", spdx23(`"packages": [{"licenseInfoFromFiles": "MIT"}]`), false},
	{"string for a bool", spdx23(`"packages": [{"filesAnalyzed": "yes"}]`), false},
	{"object for a list", spdx23(`"packages": {}`), false},
	{"array for an object", spdx23(`"creationInfo": []`), false},
	{"fraction for an int", spdx23(`"snippets": [{"ranges": [{"startPointer": {"offset": 1.5}}]}]`), false},
	{"string for an int", spdx23(`"snippets": [{"ranges": [{"endPointer": {"lineNumber": "1"}}]}]`), false},
	{"SPDXID without prefix", spdx23(`"packages": [{"SPDXID": "a"}]`), false},
	{"empty SPDXID", spdx23(`"files": [{"SPDXID": "SPDXRef-"}]`), false},
	{"null SPDXID", spdx23(`"SPDXID": null`), false},
	{"relationship end quoted twice", spdx23(`"relationships": [{"relatedSpdxElement": "\"SPDXRef-q\""}]`), false},
	{"null relationship end", spdx23(`"relationships": [{"spdxElementId": null}]`), false},
	{"bad document reference", spdx23(`"relationships": [{"relatedSpdxElement": "DocumentRef-:SPDXRef-a"}]`), false},
	{"bad element in a document reference", spdx23(`"relationships": [{"relatedSpdxElement": "DocumentRef-x:a"}]`), false},
	{"null in documentDescribes", spdx23(`"documentDescribes": [null]`), false},
	{"bad hasFiles", spdx23(`"packages": [{"hasFiles": ["f"]}]`), false},
	{"creator without type", spdx23(`"creationInfo": {"creators": ["syft"]}`), false},
	{"null creator", spdx23(`"creationInfo": {"creators": [null]}`), false},
	{"supplier without type", spdx23(`"packages": [{"supplier": "x"}]`), false},
	{"originator without type", spdx23(`"packages": [{"originator": 5}]`), false},
	{"annotator without type", spdx23(`"annotations": [{"annotator": "x"}]`), false},
	{"bad external document", spdx23(`"externalDocumentRefs": [{"externalDocumentId": "x"}]`), false},
	{"bad snippet file", spdx23(`"snippets": [{"snippetFromFile": "x"}]`), false},
	{"bad nested file", spdx23(`"packages": [{"files": [{"SPDXID": 1}]}]`), false},
	{"bad annotation date", spdx23(`"files": [{"annotations": [{"annotationDate": 1}]}]`), false},
	{"bad checksum", spdx23(`"files": [{"checksums": [{"checksumValue": 1}]}]`), false},
	{"bad verification code", spdx23(`"packages": [{"packageVerificationCode": {"packageVerificationCodeExcludedFiles": [1]}}]`), false},
	{"bad artifactOf", spdx23(`"files": [{"artifactOfs": [{"URI": 1}]}]`), false},
}

// TestReadSPDX checks readSPDX against tools-golang on the hand-made
// documents, tools-golang's examples and the real SPDX documents, and that
// Parse reads the documents readSPDX leaves to tools-golang as
// tools-golang does.
func TestReadSPDX(t *testing.T) {
	t.Parallel()
	type tc struct {
		name, doc string
		ok        bool
	}
	tests := []tc{}
	for _, c := range readSPDXCases {
		tests = append(tests, tc{c.name, c.doc, c.ok})
	}
	for i, doc := range examplesJSON(t) {
		tests = append(tests, tc{[]string{"tools-golang example 2.3", "tools-golang example 2.2"}[i], doc, true})
	}
	names, err := fixture.Glob("spdx/*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		tests = append(tests, tc{n, string(fixture.Bytes(t, n)), true})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := []byte(tc.doc)
			tl, _ := sniff(b)
			if !json.Valid(b) {
				t.Fatal("not JSON")
			}
			got, raw, rawErr := checkReadSPDX(t, b, tl.spdxVersion)
			if got != tc.ok {
				t.Fatalf("readSPDX took the document: %v, want %v", got, tc.ok)
			}
			// Parse gives what tools-golang gives, through readSPDX or not.
			d, err := Parse(b)
			if (err == nil) != (rawErr == nil) {
				t.Fatalf("Parse: %v; tools-golang: %v", err, rawErr)
			}
			if err != nil {
				if !tc.ok && err.Error() != rawErr.Error() {
					t.Errorf("Parse error %q, tools-golang's %q", err, rawErr)
				}
				return
			}
			if tc.ok && d.rawSPDX.doc != nil {
				t.Error("Parse decoded the document with tools-golang")
			}
			want := fromSPDX(spdxDocOf(raw), &spdxRaw{doc: raw}, strings.TrimPrefix(tl.spdxVersion, "SPDX-"))
			if diff := cmp.Diff(want.Warnings(), d.Warnings()); diff != "" {
				t.Errorf("warnings (-tools-golang +Parse):\n%s", diff)
			}
			if diff := cmp.Diff(modelView(want), modelView(d), modelViewOpts); diff != "" {
				t.Errorf("model (-tools-golang +Parse):\n%s", diff)
			}
			if diff := cmp.Diff(raw, d.SPDX(), cmpopts.IgnoreUnexported(spdx.Package{})); diff != "" {
				t.Errorf("SPDX() (-tools-golang +Parse):\n%s", diff)
			}
		})
	}
}

// modelView renders what the model holds of a document.
func modelView(d *Document) []any {
	out := []any{d.format, d.specVersion, d.name, d.namespace, d.created, d.tools, d.licenseNames, d.rels}
	for _, p := range d.allPackages() {
		out = append(out, *p)
	}
	for _, f := range d.files {
		out = append(out, *f)
	}
	return out
}

// modelViewOpts compares the values modelView returns.
var modelViewOpts = cmp.Options{cmpopts.IgnoreUnexported(Package{}, File{})}

// smallSyft returns the syft SPDX document cut to its first few packages,
// files and relationships, a seed small enough to mutate.
func smallSyft(tb testing.TB) []byte {
	tb.Helper()
	var doc map[string]any
	if err := json.Unmarshal(fixture.Bytes(tb, "spdx/syft-1.57.1_debian-pkgs-image.spdx-2.3.json"), &doc); err != nil {
		tb.Fatal(err)
	}
	for _, k := range []string{"packages", "files", "relationships", "hasExtractedLicensingInfos"} {
		if l, ok := doc[k].([]any); ok && len(l) > 3 {
			doc[k] = l[:3]
		}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// FuzzReadSPDX checks readSPDX against tools-golang on any SPDX document:
// what readSPDX takes, tools-golang decodes without error, to the same
// values.
func FuzzReadSPDX(f *testing.F) {
	for _, c := range readSPDXCases {
		f.Add([]byte(c.doc))
	}
	for _, doc := range examplesJSON(f) {
		f.Add([]byte(doc))
	}
	f.Add(smallSyft(f))
	f.Fuzz(func(t *testing.T, b []byte) {
		tl, ok := sniff(b)
		if !ok || tl.spdxVersion != spdx.Version && tl.spdxVersion != v2_2.Version || !json.Valid(b) {
			return
		}
		checkReadSPDX(t, b, tl.spdxVersion)
	})
}

// FuzzUnquote checks that unquote decodes the contents of JSON strings as
// encoding/json does.
func FuzzUnquote(f *testing.F) {
	for _, s := range []string{`a`, `\u0026`, `\ud83d\ude00`, `\ud800x`, `\udc00\ud800`, "\xff\xfe", `\"\\\/\b\f\n\r\t`, "é", "\xed\xa0\x80"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, s []byte) {
		var want string
		if json.Unmarshal(append(append([]byte{'"'}, s...), '"'), &want) != nil {
			return
		}
		if got, ok := unquote(s); !ok || got != want {
			t.Fatalf("unquote(%q) = %q, %v; encoding/json: %q", s, got, ok, want)
		}
	})
}

// TestSPDXFields checks that the members of each type have distinct bits.
func TestSPDXFields(t *testing.T) {
	t.Parallel()
	for i, fields := range []spdxFields{
		spdxDocumentFields, spdxCreationInfoFields, spdxPackageFields, spdxVerificationCodeFields,
		spdxExternalRefFields, spdxChecksumFields, spdxFileFields, spdxArtifactOfFields,
		spdxOtherLicenseFields, spdxRelationshipFields, spdxAnnotationFields, spdxSnippetFields,
		spdxSnippetRangeFields, spdxSnippetPointerFields, spdxExternalDocumentRefFields, spdxChecksumFieldsChecked,
	} {
		var seen members
		for name, f := range fields {
			if f.bit >= 64 || seen&(1<<f.bit) != 0 {
				t.Errorf("table %d: member %s has bit %d, taken or too large", i, name, f.bit)
			}
			seen |= 1 << f.bit
		}
	}
}

// mutationValues are the values mutateJSON puts in place of others: every
// JSON type, and strings of the forms tools-golang's types parse.
var mutationValues = []string{
	`null`, `5`, `1.5`, `-0`, `1e2`, `true`, `false`,
	`""`, `"x"`, `"SPDXRef-x"`, `"SPDXRef-"`, `"DocumentRef-d:SPDXRef-x"`, `"DocumentRef-d"`, `"NONE"`, `"NOASSERTION"`,
	`"Person: p"`, `"Organization:"`, `"a:b"`, `"\u00e9\u0000<&>\ud800"`, `[]`, `[null]`, `["a", null]`, `[1]`,
	`[{}]`, `{}`, `{"a": 1}`,
}

// decodeJSON decodes b keeping numbers as they are written.
func decodeJSON(tb testing.TB, b []byte) any {
	tb.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		tb.Fatal(err)
	}
	return v
}

// mutateJSON decodes doc and changes it as ops say, three bytes an
// operation: which value (in a walk of the document, members in name
// order), what to do (replace it with one of mutationValues, or remove it),
// and with which value.
func mutateJSON(tb testing.TB, doc []byte, ops []byte) []byte {
	tb.Helper()
	root := decodeJSON(tb, doc)
	for ; len(ops) >= 3; ops = ops[3:] {
		type slot struct {
			set    func(any)
			remove func()
		}
		var slots []slot
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				keys := make([]string, 0, len(v))
				for k := range v {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				for _, k := range keys {
					slots = append(slots, slot{set: func(x any) { v[k] = x }, remove: func() { delete(v, k) }})
					walk(v[k])
				}
			case []any:
				for i := range v {
					slots = append(slots, slot{set: func(x any) { v[i] = x }})
					walk(v[i])
				}
			}
		}
		walk(root)
		if len(slots) == 0 {
			break
		}
		s := slots[int(ops[0])%len(slots)]
		if ops[1]%8 == 0 && s.remove != nil {
			s.remove()
			continue
		}
		s.set(decodeJSON(tb, []byte(mutationValues[int(ops[2])%len(mutationValues)])))
	}
	b, err := json.Marshal(root)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// mutationSeeds are the documents mutateJSON starts from.
func mutationSeeds(tb testing.TB) [][]byte {
	seeds := [][]byte{smallSyft(tb)}
	for _, doc := range examplesJSON(tb) {
		seeds = append(seeds, []byte(doc))
	}
	for _, c := range readSPDXCases {
		if c.ok {
			seeds = append(seeds, []byte(c.doc))
		}
	}
	return seeds
}

// TestReadSPDXMutations checks readSPDX against tools-golang on documents
// with values changed at random.
func TestReadSPDXMutations(t *testing.T) {
	t.Parallel()
	seeds := mutationSeeds(t)
	rnd := rand.New(rand.NewPCG(1, 2))
	took := 0
	for i := range 600 {
		ops := make([]byte, 3*(1+rnd.IntN(3)))
		for j := range ops {
			ops[j] = byte(rnd.Uint32())
		}
		b := mutateJSON(t, seeds[i%len(seeds)], ops)
		tl, _ := sniff(b)
		if tl.spdxVersion != spdx.Version && tl.spdxVersion != v2_2.Version {
			continue
		}
		if ok, _, _ := checkReadSPDX(t, b, tl.spdxVersion); ok {
			took++
		}
	}
	if took < 100 {
		t.Errorf("readSPDX took only %d of the changed documents", took)
	}
}

// FuzzReadSPDXMutations is TestReadSPDXMutations driven by the fuzzer.
func FuzzReadSPDXMutations(f *testing.F) {
	seeds := mutationSeeds(f)
	for i := range seeds {
		f.Add(uint8(i), []byte{0, 1, 0})
	}
	f.Fuzz(func(t *testing.T, seed uint8, ops []byte) {
		b := mutateJSON(t, seeds[int(seed)%len(seeds)], ops)
		tl, _ := sniff(b)
		if tl.spdxVersion != spdx.Version && tl.spdxVersion != v2_2.Version {
			return
		}
		checkReadSPDX(t, b, tl.spdxVersion)
	})
}
