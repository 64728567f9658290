package sbom_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/dhisdk/dhisdk/internal/fixture"
	"github.com/dhisdk/dhisdk/sbom"
)

// FuzzParse checks that Parse never panics, and that whatever it accepts can
// be queried and written in both formats, and read back. It is seeded with
// the SBOM fixtures up to 512 KB (the 2 MB syft documents make mutation
// slow and add no structure the others lack), the statements of the cosign
// fixtures, and the hand-made documents of the other tests.
func FuzzParse(f *testing.F) {
	for _, pattern := range []string{"spdx/*.json", "cyclonedx/*.json"} {
		names, err := fixture.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, n := range names {
			if b := fixture.Bytes(f, n); len(b) <= 512<<10 {
				f.Add(b)
			}
		}
	}
	f.Add(dssePayload(f, cosignLegacyCDX14))
	f.Add(dssePayload(f, cosignCDX14))
	for _, s := range []string{minimalCycloneDX, spdxWith(""), dhiCycloneDX, `{"Data": "{}"}`, `{"_type": "https://in-toto.io/Statement/v1", "predicate": {}}`, `[]`, `{`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := sbom.Parse(b)
		if err != nil {
			return
		}
		for _, p := range append(d.Packages(), d.Subject()) {
			if p == nil {
				continue
			}
			d.Path(p)
			d.ByName(p.Name)
			d.ByEcosystem(p.Ecosystem)
			for _, id := range p.Licenses() {
				d.ByLicense(id)
			}
			if u := p.PURL(); u != "" {
				for _, prec := range sbom.Precisions() {
					if got, err := d.ByPURL(u, prec); err != nil || len(got) == 0 {
						t.Fatalf("ByPURL(%q, %s) = %d packages, %v", u, prec, len(got), err)
					}
				}
				d.SourcePURLs(u)
			}
		}
		sbom.Compare(d, d)
		for _, write := range []func(io.Writer) error{d.WriteSPDX, d.WriteCycloneDX} {
			var buf bytes.Buffer
			if err := write(&buf); err != nil {
				t.Fatalf("write: %v", err)
			}
			if _, err := sbom.Parse(buf.Bytes()); err != nil {
				t.Fatalf("reading back what was written: %v\n%s", err, buf.Bytes())
			}
		}
	})
}
