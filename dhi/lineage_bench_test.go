package dhi_test

import (
	"context"
	"testing"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/dhi/vuln"
	"github.com/dhisdk/dhisdk/internal/registrytest"
)

// BenchmarkLineage measures an image built FROM the DHI-shaped sample base
// (linux/amd64: 15 signed attestations of real documents, two layers) in
// the in-process registry, beside the base alone in the same run:
//
//   - base: dhi.Open of the base by digest (discover, verify, configs);
//   - base+model: the same and the base's whole model (img.Report);
//   - derived: dhi.Open of the derived image by digest (unsigned BuildKit
//     attestations, bound by digest), its lineage (the base opened and
//     verified, the layers proven) and its join with the base (both SBOMs
//     parsed, the base's VEX applied to three findings, the base tag
//     checked for an update).
//
// Each reports the registry requests per operation.
//
//	go test ./dhi -run '^$' -bench BenchmarkLineage -benchtime 10x
func BenchmarkLineage(b *testing.B) {
	reg := registrytest.New(b)
	priv, pub, err := dhitest.NewKey()
	if err != nil {
		b.Fatal(err)
	}
	key, err := attest.ParseKey(pub)
	if err != nil {
		b.Fatal(err)
	}
	base := pushBase(b, reg.Host, "dhi/python", priv)
	derived := pushDerived(b, reg.Host, "myorg/app", base.Ref, "", nil)
	ctx := context.Background()
	baseRef := reg.Host + "/dhi/python@" + base.Index.Digest.String()
	findings := []vuln.Finding{{ID: "CVE-2005-2541", PURL: purlTar}, {ID: "CVE-2019-9192", PURL: purlLibc6New}, {ID: "CVE-2025-38099", PURL: purlLinux}}

	b.Run("base", func(b *testing.B) {
		reg.ResetCounters()
		for b.Loop() {
			img, err := dhi.Open(ctx, baseRef, dhi.WithKeys(key))
			if err != nil || len(img.Platforms[0].Used()) != 15 {
				b.Fatal(err)
			}
			img.Close()
		}
		b.ReportMetric(float64(reg.Requests())/float64(b.N), "requests/op")
	})
	b.Run("base+model", func(b *testing.B) {
		reg.ResetCounters()
		for b.Loop() {
			img, err := dhi.Open(ctx, baseRef, dhi.WithKeys(key))
			if err != nil {
				b.Fatal(err)
			}
			if r := img.Report(); r.Platforms[0].Packages == nil {
				b.Fatal(r.Platforms[0].Errors)
			}
			img.Close()
		}
		b.ReportMetric(float64(reg.Requests())/float64(b.N), "requests/op")
	})
	b.Run("derived", func(b *testing.B) {
		reg.ResetCounters()
		for b.Loop() {
			img, err := dhi.Open(ctx, pinned(derived), dhi.WithBoundByDigest(), dhi.WithBaseKeys(key))
			if err != nil {
				b.Fatal(err)
			}
			j, err := img.Platforms[0].BaseJoin(ctx, findings)
			if err != nil || j.Vulnerabilities[0].Statement == nil && j.Vulnerabilities[1].Statement == nil && j.Vulnerabilities[2].Statement == nil {
				b.Fatalf("BaseJoin: %v", err)
			}
			img.Close()
		}
		b.ReportMetric(float64(reg.Requests())/float64(b.N), "requests/op")
	})
}
