package dhi_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
)

// A platform filter that matches nothing is an error naming the platforms
// the image has, never an image with no platform.
func TestOpenPlatformFilterMatchesNothing(t *testing.T) {
	t.Parallel()
	pushed, key := sharedSample(t)
	img, err := dhi.Open(context.Background(), pushed.Ref, dhi.WithKeys(key),
		dhi.WithPlatforms(v1.Platform{OS: "windows", Architecture: "amd64"}))
	if err == nil {
		img.Close()
		t.Fatalf("Open with an unmatched platform = %d platforms, want an error", len(img.Platforms))
	}
	var perr *attest.PlatformError
	if !errors.As(err, &perr) || !errors.Is(err, attest.ErrNoPlatform) {
		t.Fatalf("error = %v, want a *attest.PlatformError", err)
	}
	if len(perr.Available) != 2 || !strings.Contains(err.Error(), "linux/amd64, linux/arm64") {
		t.Errorf("error = %v, want it to list linux/amd64, linux/arm64", err)
	}
}

// Export refuses a directory that is not empty unless told to merge, and
// WithLayout opens what it wrote; OpenReference opens a parsed reference.
func TestExportRefusesNonEmptyAndWithLayout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pushed, key := sharedSample(t)
	ref, err := name.ParseReference(pushed.Ref)
	if err != nil {
		t.Fatal(err)
	}
	img, err := dhi.OpenReference(ctx, ref, dhi.WithKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "other"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := img.Export(ctx, dir, "3.13"); !errors.Is(err, dhi.ErrNotEmpty) {
		t.Fatalf("Export to a non-empty directory = %v, want ErrNotEmpty", err)
	}
	if err := img.Export(ctx, dir, "3.13", dhi.WithMerge()); err != nil {
		t.Fatalf("Export WithMerge = %v", err)
	}
	off, err := dhi.Open(ctx, "3.13", dhi.WithLayout(dir), dhi.WithKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	defer off.Close()
	if len(off.Platforms) != 2 || len(off.Platforms[0].Used()) != 15 {
		t.Errorf("offline open: %d platforms, want 2 with 15 used attestations", len(off.Platforms))
	}
	if _, err := dhi.Open(ctx, "3.13", dhi.WithLayout(dir), dhi.WithRegistry(attest.WithPlainHTTP())); err == nil {
		t.Error("WithLayout with WithRegistry: no error")
	}
}

// A verification summary about another resource than the image fails;
// the sample's names its platform and passes.
func TestVSAMustNameTheImage(t *testing.T) {
	t.Parallel()
	pushed, key := sharedSample(t)
	img := open(t, pushed.Ref, dhi.WithKeys(key))
	if _, err := img.Platforms[0].VSA(); err != nil {
		t.Fatalf("sample VSA: %v", err)
	}

	reg, err := dhitest.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	priv, pub, err := dhitest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	other, err := attest.ParseKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	vsa := `{"verifier":{"id":"https://example.com/verifier"},"resourceUri":"pkg:docker/gke/node@1?digest=sha256:` + strings.Repeat("ab", 32) + `","verificationResult":"PASSED","verifiedLevels":["SLSA_BUILD_LEVEL_2"]}`
	foreign, err := dhitest.Push(context.Background(), reg.Host+"/dhi/python:3.13", "", dhitest.Spec{Signer: priv,
		Docs: []dhitest.Doc{{PredicateType: "https://slsa.dev/verification_summary/v1", Predicate: []byte(vsa)}}})
	if err != nil {
		t.Fatal(err)
	}
	img = open(t, foreign.Ref, dhi.WithKeys(other))
	_, err = img.Platforms[0].VSA()
	var re *dhi.ResourceError
	if !errors.As(err, &re) || !errors.Is(err, dhi.ErrIncoherent) {
		t.Fatalf("VSA about another resource: %v, want a *dhi.ResourceError", err)
	}
	if !strings.Contains(err.Error(), "gke/node") {
		t.Errorf("error = %v, want it to name the resource", err)
	}
	if r := img.Report(); r.Platforms[0].Errors["vsa"] == "" || r.Platforms[0].Build != nil {
		t.Errorf("report: errors %v, build %+v; want the vsa named in errors and no build section", r.Platforms[0].Errors, r.Platforms[0].Build)
	}
}

// Licence queries understand families, and packages keep their licence
// expressions.
func TestFindPackagesLicenseFamilies(t *testing.T) {
	t.Parallel()
	pushed, key := sharedSample(t)
	p := open(t, pushed.Ref, dhi.WithKeys(key)).Platforms[0]
	count := func(license string) int {
		t.Helper()
		got, err := p.FindPackages(dhi.PackageQuery{License: license})
		if err != nil {
			t.Fatal(err)
		}
		return len(got)
	}
	only, later, family, all := count("GPL-3.0-only"), count("GPL-3.0-or-later"), count("GPL-3.0"), count("GPL")
	if only == 0 || later == 0 || family < only || family < later || all < family || count("LGPL") == 0 || count("gpl-3.0-only") != only {
		t.Errorf("GPL-3.0-only %d, GPL-3.0-or-later %d, GPL-3.0 %d, GPL %d", only, later, family, all)
	}
	tar, err := p.FindPackages(dhi.PackageQuery{Name: "tar"})
	if err != nil || len(tar) != 1 || len(tar[0].LicenseExpressions) == 0 {
		t.Fatalf("tar: %+v, %v", tar, err)
	}
}
