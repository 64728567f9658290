package dhi_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/internal/faultproxy"
)

// TestOpenUnderDeadlineGivesPartialImage stalls one attestation layer
// behind a fault-injecting proxy: Open must return by its deadline with
// every other attestation verified and used, and say that discovery was
// cut short and which request did not finish.
func TestOpenUnderDeadlineGivesPartialImage(t *testing.T) {
	t.Parallel()
	pushed, key := sharedSample(t)
	host, path, _ := strings.Cut(pushed.Ref, "/")
	p := faultproxy.New(t, host)
	stalled := pushed.Attestations[0].Layer.Digest
	p.Inject(faultproxy.OnPath(faultproxy.ClassBlob, stalled.Hex), faultproxy.Stall())

	// The deadline leaves the other reads time to finish on a loaded machine
	// (the race detector, every package's tests at once); the stalled one
	// never does.
	const deadline = 8 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	start := time.Now()
	img, err := dhi.Open(ctx, p.Host+"/"+path, dhi.WithKeys(key))
	if err != nil {
		t.Fatalf("Open() error = %v; want a partial image", err)
	}
	defer img.Close()
	if d := time.Since(start); d > deadline+4*time.Second {
		t.Errorf("Open() took %v; want it to end with its deadline", d)
	}
	var cutShort, named bool
	for _, e := range img.Problems {
		cutShort = cutShort || errors.Is(e, attest.ErrIncomplete)
		var fe *attest.FetchError
		named = named || errors.As(e, &fe) && fe.Ref == stalled.String() && errors.Is(e, context.DeadlineExceeded)
	}
	if !cutShort || !named {
		t.Errorf("Problems = %v; want discovery cut short and the stalled layer %s named", img.Problems, stalled)
	}
	verified := 0
	for _, pl := range img.Platforms {
		for _, a := range pl.Attestations {
			if a.Verified {
				verified++
			}
			if a.Discovered.Layer.Digest == stalled && (a.Verified || a.Used) {
				t.Errorf("the stalled attestation is verified %v, used %v; want neither", a.Verified, a.Used)
			}
		}
	}
	if verified == 0 {
		t.Errorf("no attestation verified; want all but the stalled one")
	}
	if r := img.Report(); len(r.Source.Lookups) == 0 || len(r.Problems) == 0 {
		t.Errorf("Report() has %d lookups and %d problems; want both", len(r.Source.Lookups), len(r.Problems))
	}
}

// TestOpenReportsMissingReferrersAPI hides the referrers API: the image has
// no attestation, and its report says why instead of staying silent.
func TestOpenReportsMissingReferrersAPI(t *testing.T) {
	t.Parallel()
	pushed, key := sharedSample(t)
	host, path, _ := strings.Cut(pushed.Ref, "/")
	p := faultproxy.New(t, host)
	p.Inject(faultproxy.On(faultproxy.ClassReferrers), faultproxy.Status(404, ""))
	img, err := dhi.Open(context.Background(), p.Host+"/"+path, dhi.WithKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	unavailable := 0
	for _, l := range img.Report().Source.Lookups {
		if l.Mechanism == attest.MechanismReferrersAPI && l.Outcome == attest.OutcomeUnavailable && strings.Contains(l.Answer, "404") {
			unavailable++
		}
	}
	if unavailable != 1+len(img.Platforms) {
		t.Errorf("Report().Source.Lookups = %+v; want the referrers API unavailable for the index and each platform", img.Report().Source.Lookups)
	}
}
