package policy_test

import (
	"context"
	"testing"
	"time"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/dhi/policy"
)

// BenchmarkEvaluateBesideOpen measures, in the same run, opening the
// sample image (discovery and verification of its 30 attestations over
// loopback) and evaluating the eight test policies on one of its opened
// platforms, and reports both and their ratio:
//
//	go test ./dhi/policy -run '^$' -bench EvaluateBesideOpen -benchtime 10x
func BenchmarkEvaluateBesideOpen(b *testing.B) {
	ctx := context.Background()
	s, err := dhitest.ServeSample(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ref, key := s.Ref, s.Key
	e, err := policy.New(testPolicies(b), policy.WithKey(sampleKeyRef, key), policy.WithConfig(sampleConfig(b, "")),
		policy.WithClock(fixedClock(time.Date(2025, 10, 3, 0, 0, 0, 0, time.UTC))))
	if err != nil {
		b.Fatal(err)
	}
	if n := len(e.Policies()); n != 8 {
		b.Fatalf("%d policies, want 8", n)
	}
	var open, eval time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		img, err := dhi.Open(ctx, ref, dhi.WithKeys(key))
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		ev, err := e.Evaluate(ctx, img.Platforms[0])
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if len(ev.Results) != 8 || len(ev.Inputs) != 8 {
			b.Fatalf("%d results, %d inputs; want 8 and 8", len(ev.Results), len(ev.Inputs))
		}
		open += t1.Sub(t0)
		eval += t2.Sub(t1)
	}
	b.ReportMetric(float64(open.Milliseconds())/float64(b.N), "open-ms/op")
	b.ReportMetric(float64(eval.Milliseconds())/float64(b.N), "eval8-ms/op")
	b.ReportMetric(float64(eval)/float64(open), "eval/open")
}
