package dhi_test

import (
	"context"
	"syscall"
	"testing"
	"time"

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
//     SBOMs joined, VEX applied), as img.Report builds it;
//   - model: img.Report alone, on an image opened with the timer stopped.
//
// Beside the wall time, each reports the CPU time (user and system) of the
// whole test process per iteration, the registry's included: on a loaded
// machine it varies less than the wall time.
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
		defer reportCPU(b)()
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
		defer reportCPU(b)()
		for b.Loop() {
			img, err := dhi.Open(ctx, pushed.Ref, dhi.WithKeys(key))
			if err != nil || len(img.Platforms[0].Used()) != 15 {
				b.Fatal(err)
			}
		}
	})
	b.Run("open+model", func(b *testing.B) {
		defer reportCPU(b)()
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
	b.Run("model", func(b *testing.B) {
		var cpu time.Duration
		for b.Loop() {
			b.StopTimer()
			img, err := dhi.Open(ctx, pushed.Ref, dhi.WithKeys(key))
			if err != nil {
				b.Fatal(err)
			}
			start := processCPU(b)
			b.StartTimer()
			r := img.Report()
			b.StopTimer()
			cpu += processCPU(b) - start
			if r.Platforms[0].Packages == nil || r.Platforms[0].Vulnerabilities == nil {
				b.Fatalf("model incomplete: %v", r.Platforms[0].Errors)
			}
			img.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	})
}

// processCPU returns the CPU time (user and system) the process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU starts counting the process's CPU time; the function it
// returns reports it per iteration.
func reportCPU(b *testing.B) func() {
	start := processCPU(b)
	return func() {
		b.ReportMetric(float64((processCPU(b)-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
