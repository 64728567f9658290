package sbom_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	cyclonedx "github.com/CycloneDX/cyclonedx-go"
	spdxjson "github.com/spdx/tools-golang/json"
	spdx "github.com/spdx/tools-golang/spdx/v2/v2_3"

	"github.com/dhisdk/dhisdk/sbom"
)

// BenchmarkParse measures Parse on the 2.5 MB SPDX and 1.8 MB CycloneDX
// documents beside the bare decode by the format library, in the same run:
// for SPDX, tools-golang's json.Read, and encoding/json into tools-golang's
// v2_3.Document (json.Read without its first pass into map[string]any,
// which is the decode Document.SPDX does on first use); for CycloneDX,
// cyclonedx-go's BOMDecoder. Parse+SPDX is Parse followed by that decode.
func BenchmarkParse(b *testing.B) {
	spdxDoc := fixtureBytes(b, syftSPDX)
	cdxDoc := fixtureBytes(b, syftCDX16)
	run := func(name string, doc []byte, f func([]byte) error) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			for b.Loop() {
				if err := f(doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	run("spdx/sbom.Parse", spdxDoc, func(doc []byte) error {
		_, err := sbom.Parse(doc)
		return err
	})
	run("spdx/sbom.Parse+lookup", spdxDoc, parseAndLookUp)
	run("spdx/sbom.Parse+SPDX", spdxDoc, func(doc []byte) error {
		d, err := sbom.Parse(doc)
		if err == nil && d.SPDX() == nil {
			err = errors.New("no SPDX document")
		}
		return err
	})
	run("spdx/tools-golang.json.Read", spdxDoc, func(doc []byte) error {
		_, err := spdxjson.Read(bytes.NewReader(doc))
		return err
	})
	run("spdx/json.Unmarshal.v2_3", spdxDoc, func(doc []byte) error {
		var d spdx.Document
		return json.Unmarshal(doc, &d)
	})
	run("cyclonedx/sbom.Parse", cdxDoc, func(doc []byte) error {
		_, err := sbom.Parse(doc)
		return err
	})
	run("cyclonedx/sbom.Parse+lookup", cdxDoc, parseAndLookUp)
	run("cyclonedx/cyclonedx-go.Decode", cdxDoc, func(doc []byte) error {
		var bom cyclonedx.BOM
		return cyclonedx.NewBOMDecoder(bytes.NewReader(doc), cyclonedx.BOMFileFormatJSON).Decode(&bom)
	})
}

// parseAndLookUp parses doc and runs one lookup, which builds the lookup
// tables.
func parseAndLookUp(doc []byte) error {
	d, err := sbom.Parse(doc)
	if err != nil {
		return err
	}
	if got, err := d.ByPURL("pkg:deb/debian/libc6", sbom.PrecisionName); err != nil || len(got) != 1 {
		return fmt.Errorf("ByPURL(libc6) = %d packages, %v", len(got), err)
	}
	return nil
}

// syntheticCycloneDX makes a CycloneDX 1.6 BOM of n Debian-like packages,
// each with a package URL (with an upstream qualifier on every other one),
// a licence, a CPE and a dependency on the previous package.
func syntheticCycloneDX(n int) []byte {
	var sb strings.Builder
	sb.WriteString(`{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"metadata":{"timestamp":"2025-01-01T00:00:00Z","component":{"bom-ref":"root","type":"container","name":"image"}},"components":[`)
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		up := ""
		if i%2 == 1 {
			up = fmt.Sprintf("&upstream=src%d", i-1)
		}
		fmt.Fprintf(&sb, `{"bom-ref":"p%d","type":"library","name":"pkg%d","version":"1.%d-1","licenses":[{"license":{"id":"MIT"}},{"license":{"name":"Custom %d"}}],"cpe":"cpe:2.3:a:pkg%d:pkg%d:1.%d-1:*:*:*:*:*:*:*","purl":"pkg:deb/debian/pkg%d@1.%d-1?arch=amd64&distro=debian-12%s"}`, i, i, i, i%50, i, i, i, i, i, up)
	}
	sb.WriteString(`],"dependencies":[`)
	for i := 1; i < n; i++ {
		if i > 1 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"ref":"p%d","dependsOn":["p%d"]}`, i, i-1)
	}
	sb.WriteString(`]}`)
	return []byte(sb.String())
}

// syntheticSPDX makes the SPDX 2.3 equivalent of syntheticCycloneDX.
func syntheticSPDX(n int) []byte {
	var sb strings.Builder
	sb.WriteString(`{"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","SPDXID":"SPDXRef-DOCUMENT","name":"image","documentNamespace":"https://example.com/image","creationInfo":{"created":"2025-01-01T00:00:00Z","creators":["Tool: bench-1"]},"packages":[{"name":"image","SPDXID":"SPDXRef-root","downloadLocation":"NOASSERTION","primaryPackagePurpose":"CONTAINER"}`)
	for i := range n {
		up := ""
		if i%2 == 1 {
			up = fmt.Sprintf("&upstream=src%d", i-1)
		}
		fmt.Fprintf(&sb, `,{"name":"pkg%d","SPDXID":"SPDXRef-p%d","versionInfo":"1.%d-1","downloadLocation":"NOASSERTION","filesAnalyzed":false,"licenseConcluded":"NOASSERTION","licenseDeclared":"MIT AND LicenseRef-Custom-%d","copyrightText":"NOASSERTION","externalRefs":[{"referenceCategory":"SECURITY","referenceType":"cpe23Type","referenceLocator":"cpe:2.3:a:pkg%d:pkg%d:1.%d-1:*:*:*:*:*:*:*"},{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl","referenceLocator":"pkg:deb/debian/pkg%d@1.%d-1?arch=amd64&distro=debian-12%s"}]}`, i, i, i, i%50, i, i, i, i, i, up)
	}
	sb.WriteString(`],"relationships":[{"spdxElementId":"SPDXRef-DOCUMENT","relatedSpdxElement":"SPDXRef-root","relationshipType":"DESCRIBES"}`)
	for i := range n {
		fmt.Fprintf(&sb, `,{"spdxElementId":"SPDXRef-root","relatedSpdxElement":"SPDXRef-p%d","relationshipType":"CONTAINS"}`, i)
		if i > 0 {
			fmt.Fprintf(&sb, `,{"spdxElementId":"SPDXRef-p%d","relatedSpdxElement":"SPDXRef-p%d","relationshipType":"DEPENDS_ON"}`, i, i-1)
		}
	}
	sb.WriteString(`]}`)
	return []byte(sb.String())
}

// BenchmarkParseSynthetic measures Parse on synthetic SBOMs of 10k, 50k and
// 100k packages; ns/pkg and B/pkg show whether time and memory grow
// linearly.
func BenchmarkParseSynthetic(b *testing.B) {
	for _, format := range []struct {
		name string
		gen  func(int) []byte
	}{{"cyclonedx", syntheticCycloneDX}, {"spdx", syntheticSPDX}} {
		for _, n := range []int{10_000, 50_000, 100_000} {
			doc := format.gen(n)
			b.Run(fmt.Sprintf("%s/%dk", format.name, n/1000), func(b *testing.B) {
				b.SetBytes(int64(len(doc)))
				b.ReportAllocs()
				var d *sbom.Document
				for b.Loop() {
					var err error
					if d, err = sbom.Parse(doc, sbom.WithMaxSize(1<<30)); err != nil {
						b.Fatal(err)
					}
				}
				if len(d.Packages()) != n || len(d.Warnings()) != 0 {
					b.Fatalf("%d packages, %d warnings", len(d.Packages()), len(d.Warnings()))
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/pkg")
			})
		}
	}
}

// BenchmarkLookup measures lookups in synthetic SBOMs of 10k and 100k
// packages: a lookup costs the same at both sizes, as it does not scan the
// packages.
func BenchmarkLookup(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		d, err := sbom.Parse(syntheticCycloneDX(n), sbom.WithMaxSize(1<<30))
		if err != nil {
			b.Fatal(err)
		}
		last := fmt.Sprintf("pkg:deb/debian/pkg%d@1.%d-1?arch=amd64&distro=debian-12", n-1, n-1)
		// Build the lookup tables outside the timed loops.
		if _, err := d.ByPURL(last, sbom.PrecisionName); err != nil {
			b.Fatal(err)
		}
		d.ByName("pkg0")
		b.Run(fmt.Sprintf("ByPURL/%dk", n/1000), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if got, err := d.ByPURL(last, sbom.PrecisionQualifiers); err != nil || len(got) != 1 {
					b.Fatalf("%v, %v", got, err)
				}
			}
		})
		b.Run(fmt.Sprintf("SourcePURLs/%dk", n/1000), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if got := d.SourcePURLs(last); len(got) != 1 {
					b.Fatalf("%v", got)
				}
			}
		})
		b.Run(fmt.Sprintf("ByName/%dk", n/1000), func(b *testing.B) {
			for b.Loop() {
				if got := d.ByName("pkg7"); len(got) != 1 {
					b.Fatalf("%v", got)
				}
			}
		})
	}
}
