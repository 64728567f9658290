package attest_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/internal/registrytest"
)

// withMechanism returns s with every location's mechanism replaced, as a
// layout lists referrers.
func withMechanism(s []found, m attest.Mechanism) []found {
	out := make([]found, len(s))
	for i, f := range s {
		f.Mechanisms = []attest.Mechanism{m}
		out[i] = f
	}
	return out
}

func TestExportThenDiscoverOffline(t *testing.T) {
	t.Parallel()
	for _, api := range []bool{true, false} {
		var opts []registrytest.Option
		if !api {
			opts = append(opts, registrytest.WithoutReferrersAPI())
		}
		reg := registrytest.New(t, opts...)
		img := push(t, reg.Host+"/dhi/export:1", "", dhitest.Spec{Docs: smallDocs(t), Signer: newKey(t), Labels: map[string]string{"a": "b"}})
		src := registrySource(t)
		ctx := context.Background()
		d, err := attest.Discover(ctx, src, img.Ref)
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(t.TempDir(), "export")
		if err := attest.Export(ctx, src, d, dir, "1"); err != nil {
			t.Fatalf("Export() error = %v", err)
		}
		// Exporting again into the same layout adds nothing and keeps one
		// name for the tag.
		if err := attest.Export(ctx, src, d, dir, "1"); err != nil {
			t.Fatalf("second Export() error = %v", err)
		}
		l, err := attest.Layout(dir)
		if err != nil {
			t.Fatal(err)
		}
		got, err := attest.Discover(ctx, l, "1")
		if err != nil {
			t.Fatalf("Discover(exported layout) error = %v", err)
		}
		if diff := cmp.Diff(withMechanism(summarize(d), attest.MechanismLayoutSubject), summarize(got)); diff != "" {
			t.Errorf("api=%v: exported layout gives other attestations (-registry +layout):\n%s", api, diff)
		}
		checkStatements(t, got)
		// The platform configs are there, for the image's labels.
		for _, p := range got.Platforms {
			if _, _, err := attest.ReadManifestByDigest(ctx, l, "", p.Digest); err != nil {
				t.Errorf("platform manifest %s not exported: %v", p.Digest, err)
			}
		}
	}
}

func TestExportErrors(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	img := push(t, reg.Host+"/dhi/export-err:1", "", dhitest.Spec{Docs: smallDocs(t)[:2], Signer: newKey(t)})
	src := registrySource(t)
	ctx := context.Background()
	d, err := attest.Discover(ctx, src, img.Ref, attest.WithMaxBlobSize(100<<10))
	if !errors.Is(err, attest.ErrTooLarge) {
		t.Fatalf("Discover() error = %v, want ErrTooLarge for the CycloneDX layer", err)
	}
	dir := t.TempDir()
	err = attest.Export(ctx, src, d, dir, "1")
	if !errors.Is(err, attest.ErrTooLarge) {
		t.Errorf("Export() error = %v, want the unreadable attestations reported", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "index.json")); err != nil {
		t.Errorf("Export() wrote no layout: %v", err)
	}
	if err := attest.Export(ctx, src, d, dir, ""); err == nil {
		t.Errorf("Export() with an empty tag succeeded")
	}
}
