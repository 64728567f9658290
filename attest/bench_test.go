package attest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/internal/registrytest"
)

// BenchmarkDiscoverDHIImage discovers and reads every attestation and
// signature of a DHI-shaped image (2 platforms x 15 signed attestations of
// real documents, 12 MB in all) from the in-process conformant registry over
// HTTP, at the default concurrency and one request at a time. It reports the
// requests made and the bytes read per discovery.
func BenchmarkDiscoverDHIImage(b *testing.B) {
	docs, err := dhitest.SampleDocs()
	if err != nil {
		b.Fatal(err)
	}
	key, _, err := dhitest.NewKey()
	if err != nil {
		b.Fatal(err)
	}
	for _, api := range []bool{true, false} {
		var opts []registrytest.Option
		name := "referrers-api"
		if !api {
			opts = append(opts, registrytest.WithoutReferrersAPI())
			name = "referrers-tag"
		}
		reg := registrytest.New(b, opts...)
		img, err := dhitest.Push(context.Background(), reg.Host+"/dhi/python:3.13", "", dhitest.Spec{Docs: docs, Signer: key})
		if err != nil {
			b.Fatal(err)
		}
		for _, conc := range []int{attest.DefaultConcurrency, 1} {
			b.Run(fmt.Sprintf("%s/concurrency=%d", name, conc), func(b *testing.B) {
				ctx := context.Background()
				var requests, bytes int64
				for b.Loop() {
					// A new Source per discovery: each pays the registry
					// handshake, as a new process would.
					src, err := attest.Registry()
					if err != nil {
						b.Fatal(err)
					}
					reg.ResetCounters()
					d, err := attest.Discover(ctx, src, img.Ref, attest.WithConcurrency(conc))
					if err != nil {
						b.Fatal(err)
					}
					if len(d.Attestations) != 30 {
						b.Fatalf("found %d attestations, want 30", len(d.Attestations))
					}
					requests, bytes = reg.Requests(), reg.BytesSent()
				}
				b.ReportMetric(float64(requests), "requests/op")
				b.ReportMetric(float64(bytes)/1e6, "MB-read/op")
			})
		}
	}
}
