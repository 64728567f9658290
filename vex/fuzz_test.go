package vex

import (
	"errors"
	"testing"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

// FuzzParse feeds Parse the small real documents, statements around them,
// truncated copies and the hand-made invalid document; whatever parses must
// index and answer lookups without panicking, and every error must be one of
// the package's.
func FuzzParse(f *testing.F) {
	for _, name := range []string{
		"dhi/advisories/vex/dhi-busybox.vex.json",
		"dhi/advisories/vex/dhi-alpine-base.vex.json",
		"dhi/advisories/vex/dhi-trivy.vex.json",
		"openvex/go-vex_v0.2.0.json",
		"openvex/trivy-project.openvex.json",
	} {
		b := fixture.Bytes(f, name)
		f.Add(b)
		f.Add(b[:len(b)/2])
		f.Add(statementAround(f, "https://in-toto.io/Statement/v1", ContextV020, b))
	}
	f.Add(dssePayload(f, "cosign-generated/legacy-att.openvex.dsse.json")[:4096])
	f.Add(mustRead(f, "testdata/invalid-statements.openvex.json"))
	f.Add([]byte(`{"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"vulnerability":{"name":"CVE-1","aliases":["GHSA-1"]},"products":[{"@id":"dhi.io/x@sha256:0000000000000000000000000000000000000000000000000000000000000000","subcomponents":[{"@id":"pkg:npm/a@1?distro=x-1"}]}],"status":"affected","action_statement":"x"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := Parse(b, WithDocumentName("fuzz"))
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		ix := NewIndex(doc)
		_ = ix.Conflicts()
		for _, s := range doc.Statements {
			for _, p := range s.Products {
				f := Query{Vulnerability: s.Vulnerability.Name, Package: p.ID, Image: p.ID}
				if len(p.Subcomponents) > 0 {
					f.Package = p.Subcomponents[0].ID
				}
				d, err := ix.Decide(f)
				if err != nil {
					t.Fatal(err)
				}
				if d.Match != nil && d.Status != d.Match.Statement.Status {
					t.Fatalf("decision status %q, statement status %q", d.Status, d.Match.Statement.Status)
				}
			}
		}
	})
}
