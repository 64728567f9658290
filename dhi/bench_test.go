package dhi_test

import (
	"context"
	"testing"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/internal/registrytest"
)

// BenchmarkOpen measures the whole job on the DHI-shaped sample image (2
// platforms x 15 signed attestations of real documents, 12 MB) served over
// HTTP by the in-process registry, beside its parts in the same run:
//
//   - discover: attest.Discover alone (find and read everything);
//   - open: dhi.Open (discover, verify every attestation, read the configs);
//   - open+model: dhi.Open and the full model (every predicate parsed, the
//     SBOMs joined, VEX applied), as img.Report builds it.
func BenchmarkOpen(b *testing.B) {
	docs, err := dhitest.SampleDocs()
	if err != nil {
		b.Fatal(err)
	}
	priv, pub, err := dhitest.NewKey()
	if err != nil {
		b.Fatal(err)
	}
	key, err := attest.ParseKey(pub)
	if err != nil {
		b.Fatal(err)
	}
	reg := registrytest.New(b)
	pushed, err := dhitest.Push(context.Background(), reg.Host+"/dhi/python:3.13", "", dhitest.Spec{Docs: docs, Signer: priv, Labels: dhitest.SampleLabels()})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.Run("discover", func(b *testing.B) {
		for b.Loop() {
			src, err := attest.Registry()
			if err != nil {
				b.Fatal(err)
			}
			if _, err := attest.Discover(ctx, src, pushed.Ref); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("open", func(b *testing.B) {
		for b.Loop() {
			img, err := dhi.Open(ctx, pushed.Ref, dhi.WithKeys(key))
			if err != nil || len(img.Platforms[0].Used()) != 15 {
				b.Fatal(err)
			}
		}
	})
	b.Run("open+model", func(b *testing.B) {
		for b.Loop() {
			img, err := dhi.Open(ctx, pushed.Ref, dhi.WithKeys(key))
			if err != nil {
				b.Fatal(err)
			}
			r := img.Report()
			if r.Platforms[0].Packages == nil || r.Platforms[0].Vulnerabilities == nil {
				b.Fatalf("model incomplete: %v", r.Platforms[0].Errors)
			}
		}
	})
}
