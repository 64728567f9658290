package vex

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	govex "github.com/openvex/go-vex/pkg/vex"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

// fromGoVEX converts a document decoded by go-vex into this package's
// types, field by field: the oracle for the package's own decoder.
func fromGoVEX(v *govex.VEX) *wireDocument {
	tm := func(t *time.Time) time.Time {
		if t == nil {
			return time.Time{}
		}
		return *t
	}
	comp := func(c *govex.Component) Component {
		out := Component{ID: c.ID}
		if len(c.Identifiers) > 0 {
			out.Identifiers = map[string]string{}
			for k, v := range c.Identifiers {
				out.Identifiers[string(k)] = v
			}
		}
		if len(c.Hashes) > 0 {
			out.Hashes = map[string]string{}
			for k, v := range c.Hashes {
				out.Hashes[string(k)] = string(v)
			}
		}
		return out
	}
	w := &wireDocument{
		Context: v.Context, ID: v.ID, Author: v.Author, AuthorRole: v.AuthorRole,
		Timestamp: tm(v.Timestamp), LastUpdated: tm(v.LastUpdated), Version: v.Version,
		Tooling: v.Tooling, Supplier: v.Supplier,
	}
	for _, gs := range v.Statements {
		s := Statement{
			ID: gs.ID,
			Vulnerability: Vulnerability{
				ID: gs.Vulnerability.ID, Name: string(gs.Vulnerability.Name), Description: gs.Vulnerability.Description,
			},
			Timestamp: tm(gs.Timestamp), LastUpdated: tm(gs.LastUpdated), Status: Status(gs.Status),
			StatusNotes: gs.StatusNotes, Justification: Justification(gs.Justification),
			ImpactStatement: gs.ImpactStatement, ActionStatement: gs.ActionStatement,
			ActionStatementTimestamp: tm(gs.ActionStatementTimestamp),
		}
		for _, a := range gs.Vulnerability.Aliases {
			s.Vulnerability.Aliases = append(s.Vulnerability.Aliases, string(a))
		}
		for i := range gs.Products {
			p := Product{Component: comp(&gs.Products[i].Component)}
			for j := range gs.Products[i].Subcomponents {
				p.Subcomponents = append(p.Subcomponents, comp(&gs.Products[i].Subcomponents[j].Component))
			}
			s.Products = append(s.Products, p)
		}
		w.Statements = append(w.Statements, s)
	}
	return w
}

// TestDecodeAgreesWithGoVEX decodes every OpenVEX fixture, and the 15 MB
// aggregate, with the package's decoder and with go-vex's, and compares
// every field.
func TestDecodeAgreesWithGoVEX(t *testing.T) {
	t.Parallel()
	names := dhiDocuments(t)
	names = append(names, "openvex/trivy-project.openvex.json", "openvex/go-vex_v0.2.0.json")
	inputs := map[string][]byte{}
	for _, n := range names {
		b := fixture.Bytes(t, n)
		if _, err := govex.Parse(b); err != nil {
			continue // the truncated feed document: both reject it (TestParseBadInput)
		}
		inputs[n] = b
	}
	if !testing.Short() {
		inputs["aggregate"] = aggregateDocument(t)
	}
	for name, b := range inputs {
		gv, err := govex.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		ours, err := decode(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(fromGoVEX(gv), ours, cmp.AllowUnexported(wireDocument{})); diff != "" {
			t.Errorf("%s: (-go-vex +ours):\n%s", name, diff)
		}
	}
	if len(inputs) < 12 {
		t.Errorf("compared %d documents", len(inputs))
	}
}

// FuzzDecodeAgreesWithGoVEX checks that whatever go-vex decodes, the
// package's decoder decodes too, to the same values.
func FuzzDecodeAgreesWithGoVEX(f *testing.F) {
	for _, n := range []string{curlDoc, busyboxDoc, goVexDoc, "openvex/trivy-project.openvex.json"} {
		f.Add(fixture.Bytes(f, n))
	}
	f.Add([]byte(`{"statements":[{"products":[{"@id":"a","subcomponents":[{"hashes":{"sha-256":"x"}}]}],"timestamp":null}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		gv, err := govex.Parse(b)
		if err != nil {
			return
		}
		ours, err := decode(b)
		if err != nil {
			t.Fatalf("go-vex decodes, ours fails: %v", err)
		}
		if diff := cmp.Diff(fromGoVEX(gv), ours); diff != "" {
			t.Fatalf("(-go-vex +ours):\n%s", diff)
		}
	})
}
