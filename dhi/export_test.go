package dhi_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
)

// comparable returns the report without its Source, the one part that
// depends on where the image was read from.
func comparable(t *testing.T, img *dhi.Image) map[string]any {
	t.Helper()
	r := img.Report()
	r.Source = dhi.SourceReport{}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestExportGivesTheSameModelOffline(t *testing.T) {
	t.Parallel()
	pushed, key := sharedSample(t)
	ctx := context.Background()
	img := open(t, pushed.Ref, dhi.WithKeys(key))
	dir := filepath.Join(t.TempDir(), "python")
	if err := img.Export(ctx, dir, "3.13"); err != nil {
		t.Fatalf("Export() error = %v", err)
	}
	layout, err := attest.Layout(dir)
	if err != nil {
		t.Fatal(err)
	}
	offline := open(t, "3.13", dhi.WithStorage(layout), dhi.WithKeys(key))
	if diff := cmp.Diff(comparable(t, img), comparable(t, offline)); diff != "" {
		t.Errorf("model from the exported layout differs (-registry +layout):\n%s", diff)
	}
	if got := len(offline.Platforms[0].Used()); got != 15 {
		t.Errorf("offline: %d verified attestations, want 15", got)
	}
}

// Raw predicates are in the report only when asked for.
func TestReportRawPredicatesOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	pushed, key := sharedSample(t)
	img := open(t, pushed.Ref, dhi.WithKeys(key))
	if p := img.Report().Platforms[0].Attestations[0].Predicate; p != nil {
		t.Errorf("default report has a raw predicate of %d bytes", len(p))
	}
	if p := img.Report(dhi.WithRawPredicates()).Platforms[0].Attestations[0].Predicate; len(p) == 0 {
		t.Error("WithRawPredicates: no raw predicate")
	}
}
