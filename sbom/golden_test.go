package sbom_test

import (
	"bytes"
	"flag"
	"testing"

	"github.com/dhisdk/dhisdk/internal/fixture"
	"github.com/dhisdk/dhisdk/internal/goldentest"
	"github.com/dhisdk/dhisdk/sbom"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// TestWritersGolden pins what WriteSPDX and WriteCycloneDX write for a real
// CycloneDX SBOM and a real SPDX one.
func TestWritersGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fixture string
	}{
		{"trivy-fluentd-cdx-1.6", "cyclonedx/trivy_fluentd-container.cdx-1.6.json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc, err := sbom.Parse(fixture.Bytes(t, tc.fixture))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range []struct {
				suffix string
				write  func(*bytes.Buffer) error
			}{
				{"spdx", func(b *bytes.Buffer) error { return doc.WriteSPDX(b) }},
				{"cyclonedx", func(b *bytes.Buffer) error { return doc.WriteCycloneDX(b) }},
			} {
				var b bytes.Buffer
				if err := w.write(&b); err != nil {
					t.Fatalf("%s: %v", w.suffix, err)
				}
				goldentest.Check(t, "testdata/"+tc.name+"."+w.suffix+".golden", b.Bytes(), *update)
			}
		})
	}
}
