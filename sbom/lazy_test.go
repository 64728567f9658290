package sbom_test

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	spdxjson "github.com/spdx/tools-golang/json"
	spdx "github.com/spdx/tools-golang/spdx/v2/v2_3"

	"github.com/dhisdk/dhisdk/internal/fixture"
	"github.com/dhisdk/dhisdk/sbom"
)

// spdxDocuments returns SPDX documents to test with: the SPDX fixtures,
// the CycloneDX fixtures written as SPDX, and hand-made documents, SPDX 2.2
// included.
func spdxDocuments(t *testing.T) map[string][]byte {
	t.Helper()
	docs := map[string][]byte{}
	names, err := fixture.Glob("spdx/*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		docs[n] = fixture.Bytes(t, n)
	}
	// The syft CycloneDX 1.5 BOM and SPDX document, written as SPDX, would
	// add nothing the 1.6 BOM does not.
	for _, n := range []string{syftCDX16, trivyCDX16, cosignLegacyCDX14, cosignCDX14} {
		docs[n+" written as SPDX"] = writeSPDX(t, roundTripInput(t, n))
	}
	docs["minimal"] = []byte(spdxWith(`, "supplier": "Organization: x", "checksums": [{"algorithm": "SHA256", "checksumValue": "AB"}]`))
	docs["minimal SPDX 2.2"] = []byte(strings.Replace(spdxWith(`, "externalRefs": [{"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl", "referenceLocator": "pkg:npm/a@1"}]`), "SPDX-2.3", "SPDX-2.2", 1))
	return docs
}

// TestSPDXLazy checks that the tools-golang values a document gives on
// demand are those tools-golang's own reader gives for the same bytes, and
// that each package and file gives its own.
func TestSPDXLazy(t *testing.T) {
	t.Parallel()
	for name, b := range spdxDocuments(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := mustParse(t, b)
			want, err := spdxjson.Read(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("tools-golang: %v", err)
			}
			got := d.SPDX()
			if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(spdx.Package{})); diff != "" {
				t.Fatalf("SPDX() differs from tools-golang's json.Read (-json.Read +SPDX()):\n%s", diff)
			}
			if d.SPDX() != got {
				t.Error("a second call of SPDX() decoded again")
			}
			for _, p := range append(d.Packages(), d.Subject()) {
				if p == nil {
					continue
				}
				sp := p.SPDX()
				if sp == nil || "SPDXRef-"+string(sp.PackageSPDXIdentifier) != p.ID || sp.PackageName != p.Name || !containsPtr(got.Packages, sp) {
					t.Fatalf("package %s: SPDX() = %+v", p.ID, sp)
				}
			}
			for _, f := range d.Files() {
				sf := f.SPDX()
				if sf == nil || "SPDXRef-"+string(sf.FileSPDXIdentifier) != f.ID || sf.FileName != f.Name || !containsPtr(got.Files, sf) {
					t.Fatalf("file %s: SPDX() = %+v", f.ID, sf)
				}
			}
		})
	}
}

func containsPtr[T any](list []*T, p *T) bool {
	for _, q := range list {
		if q == p {
			return true
		}
	}
	return false
}

// TestSPDXConcurrent checks that concurrent readers can ask for the
// tools-golang values, and write the document, while it is decoded.
func TestSPDXConcurrent(t *testing.T) {
	t.Parallel()
	d := mustParse(t, []byte(spdxWith("")))
	var wg sync.WaitGroup
	docs := make([]*spdx.Document, 8)
	for i := range docs {
		wg.Go(func() {
			switch i % 4 {
			case 0:
				docs[i] = d.SPDX()
			case 1:
				d.Packages()[0].SPDX()
				docs[i] = d.SPDX()
			case 2:
				d.WriteSPDX(&bytes.Buffer{})
				docs[i] = d.SPDX()
			default:
				d.WriteCycloneDX(&bytes.Buffer{})
				docs[i] = d.SPDX()
			}
		})
	}
	wg.Wait()
	for _, doc := range docs {
		if doc == nil || doc != docs[0] {
			t.Fatalf("SPDX() gave different documents: %p, %p", doc, docs[0])
		}
	}
}

// TestSPDXNullPackage checks that a null package, on which tools-golang
// fails with a panic, fails Parse.
func TestSPDXNullPackage(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, input, msg string }{
		{"SPDX 2.3", `{"spdxVersion": "SPDX-2.3", "packages": [{"SPDXID": "SPDXRef-a"}, null]}`, "packages[1] is null"},
		{"SPDX 2.2", `{"spdxVersion": "SPDX-2.2", "packages": [null]}`, "packages[0] is null"},
		// A repeated member leaves the document to tools-golang.
		{"decoded by tools-golang", `{"spdxVersion": "SPDX-2.3", "packages": [], "packages": [null]}`, "tools-golang cannot decode the document"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := sbom.Parse([]byte(tc.input))
			if !errors.Is(err, sbom.ErrInvalid) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("Parse: %v, want an error saying %q", err, tc.msg)
			}
		})
	}
}

// TestSPDXToolsGolangErrors checks that a document tools-golang rejects
// fails Parse with tools-golang's error, even where the model does not use
// the value in error.
func TestSPDXToolsGolangErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, extra, msg string }{
		{"number for a string the model does not use", `, "copyrightText": 5`, "copyrightText"},
		{"string for a list", `, "licenseInfoFromFiles": "MIT"`, "licenseInfoFromFiles"},
		{"originator without type", `, "originator": "nobody"`, "failed to parse Originator 'nobody'"},
		{"file without prefix", `, "hasFiles": ["f"]`, "failed to parse ElementID: f"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := sbom.Parse([]byte(spdxWith(tc.extra)))
			if !errors.Is(err, sbom.ErrInvalid) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("Parse: %v, want an error saying %q", err, tc.msg)
			}
		})
	}
}
