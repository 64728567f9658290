package attest_test

import (
	"archive/tar"
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/internal/fixture"
	"github.com/dhisdk/dhisdk/internal/registrytest"
)

// Predicate types of the documents attached in these tests.
const (
	ptOpenVEX   = "https://openvex.dev/ns/v0.2.0"
	ptCycloneDX = "https://cyclonedx.org/bom/v1.6"
	ptSLSA1     = "https://slsa.dev/provenance/v1"
	ptFIPS      = "https://docker.com/dhi/fips/v0.1"
)

// smallDocs returns real documents of a few kinds, small enough for tests
// that run against many registries.
func smallDocs(t *testing.T) []dhitest.Doc {
	t.Helper()
	var prov struct {
		Predicate json.RawMessage `json:"predicate"`
	}
	if err := json.Unmarshal(fixture.Bytes(t, "slsa-provenance/buildkit_slsa1_mode-max.intoto-statement.json"), &prov); err != nil {
		t.Fatal(err)
	}
	return []dhitest.Doc{
		{PredicateType: ptOpenVEX, Predicate: fixture.Bytes(t, "openvex/trivy-project.openvex.json")},
		{PredicateType: ptCycloneDX, Predicate: fixture.Bytes(t, "cyclonedx/trivy_fluentd-container.cdx-1.6.json")},
		{PredicateType: ptSLSA1, Predicate: prov.Predicate},
		// The FIPS predicate shape documented for DHI images.
		{PredicateType: ptFIPS, Predicate: []byte(`[{"name":"OpenSSL FIPS Provider","package":"pkg:dhi/openssl-provider-fips@3.1.2","standard":"FIPS 140-3","status":"active","version":"3.1.2"}]`)},
	}
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, _, err := dhitest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func push(t *testing.T, ref, referrersRepo string, spec dhitest.Spec) *dhitest.Image {
	t.Helper()
	img, err := dhitest.Push(context.Background(), ref, referrersRepo, spec)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func registrySource(t *testing.T, opts ...attest.RegistryOption) attest.Storage {
	t.Helper()
	src, err := attest.Registry(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// found is what a test compares of an attestation.
type found struct {
	Target        string
	PredicateType string
	Manifest      string
	Layer         string
	Mechanisms    []attest.Mechanism
	Signatures    []string
}

func summarize(d *attest.Discovery) []found {
	var out []found
	for _, a := range d.Attestations {
		f := found{Target: a.Target.Digest.String(), PredicateType: a.PredicateType, Manifest: a.Manifest.Digest.String(), Layer: a.Layer.Digest.String()}
		for _, l := range a.Locations {
			f.Mechanisms = append(f.Mechanisms, l.Mechanism)
		}
		for _, s := range a.Signatures {
			f.Signatures = append(f.Signatures, s.Manifest.Digest.String())
		}
		out = append(out, f)
	}
	return out
}

// expected is what imagetest says it built, in discovery's order.
func expected(img *dhitest.Image, mech attest.Mechanism) []found {
	var out []found
	for _, a := range img.Attestations {
		f := found{Target: a.Target.Digest.String(), PredicateType: a.PredicateType, Manifest: a.Manifest.Digest.String(), Layer: a.Layer.Digest.String(), Mechanisms: []attest.Mechanism{mech}}
		if a.Signature.Digest.Hex != "" {
			f.Signatures = []string{a.Signature.Digest.String()}
		}
		out = append(out, f)
	}
	order := map[string]int{}
	for i, p := range img.Platforms {
		order[p.Digest.String()] = i
	}
	slices.SortStableFunc(out, func(a, b found) int {
		if c := order[a.Target] - order[b.Target]; c != 0 {
			return c
		}
		if c := strings.Compare(a.PredicateType, b.PredicateType); c != 0 {
			return c
		}
		return strings.Compare(a.Manifest, b.Manifest)
	})
	return out
}

// checkStatements checks that every attestation was read, decodes as a
// statement naming its target, and carries the expected predicate.
func checkStatements(t *testing.T, d *attest.Discovery) {
	t.Helper()
	for _, a := range d.Attestations {
		if a.Err != nil {
			t.Errorf("attestation %s: %v", a.Manifest.Digest, a.Err)
			continue
		}
		if a.Content == nil || a.Content.Statement == nil {
			t.Errorf("attestation %s: no statement decoded", a.Manifest.Digest)
			continue
		}
		if !a.Content.Statement.HasSubject(a.Target.Digest.String()) {
			t.Errorf("attestation %s: statement subjects %v do not name target %s", a.Manifest.Digest, a.Content.Statement.Subject, a.Target.Digest)
		}
		if len(a.Content.Statement.Predicate) == 0 {
			t.Errorf("attestation %s: empty predicate", a.Manifest.Digest)
		}
		for _, s := range a.Signatures {
			if s.Err != nil {
				t.Errorf("signature %s: %v", s.Manifest.Digest, s.Err)
			}
			if s.Kind != attest.SignatureSimpleSigning || len(s.Value) == 0 || !strings.Contains(string(s.Payload), a.Manifest.Digest.String()) {
				t.Errorf("signature %s of %s: kind %s, %d signature bytes, payload %s", s.Manifest.Digest, a.Manifest.Digest, s.Kind, len(s.Value), s.Payload)
			}
		}
	}
}

func TestDiscoverRegistries(t *testing.T) {
	t.Parallel()
	docs := smallDocs(t)
	tests := []struct {
		name   string
		repo   string
		server func(t *testing.T) *registrytest.Server
		mech   attest.Mechanism
	}{
		{"conformant registry with referrers API", "cuelabs", func(t *testing.T) *registrytest.Server { return registrytest.New(t) }, attest.MechanismReferrersAPI},
		{"conformant registry without server-side filtering", "cuelabs-unfiltered", func(t *testing.T) *registrytest.Server {
			return registrytest.New(t, registrytest.WithoutReferrersFiltering())
		}, attest.MechanismReferrersAPI},
		{"conformant registry without referrers API", "cuelabs-noreferrers", func(t *testing.T) *registrytest.Server {
			return registrytest.New(t, registrytest.WithoutReferrersAPI())
		}, attest.MechanismReferrersTag},
		{"go-containerregistry registry with its referrers quirks", "ggcr", func(t *testing.T) *registrytest.Server { return registrytest.NewGGCR(t, true) }, attest.MechanismReferrersAPI},
		{"go-containerregistry registry without referrers API", "ggcr-noreferrers", func(t *testing.T) *registrytest.Server { return registrytest.NewGGCR(t, false) }, attest.MechanismReferrersTag},
		{"real registry server (distribution 2.8)", "distribution", func(t *testing.T) *registrytest.Server { return registrytest.External(t) }, attest.MechanismReferrersTag},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			reg := tc.server(t)
			// Unique per test, since the real server outlives a test run.
			repo := reg.Host + "/dhi/" + tc.repo + "-" + strings.ToLower(rand.Text()[:8])
			img := push(t, repo+":3.13", "", dhitest.Spec{Docs: docs, Signer: newKey(t)})
			d, err := attest.Discover(context.Background(), registrySource(t), img.Ref)
			if err != nil {
				t.Fatalf("Discover() error = %v", err)
			}
			if diff := cmp.Diff(expected(img, tc.mech), summarize(d)); diff != "" {
				t.Errorf("Discover() attestations (-want +got):\n%s", diff)
			}
			checkStatements(t, d)
			if got := len(d.Platforms); got != 2 || d.Platforms[0].Platform == nil || d.Platforms[0].Platform.Architecture != "amd64" {
				t.Errorf("Discover() platforms = %+v, want amd64 and arm64", d.Platforms)
			}
			if d.Root.Digest != img.Index.Digest || d.Root.MediaType != types.OCIImageIndex {
				t.Errorf("Discover() root = %v %s, want %v", d.Root.Digest, d.Root.MediaType, img.Index.Digest)
			}
			if len(d.Other) != 0 || len(d.Signatures) != 0 {
				t.Errorf("Discover() found %d other referrers and %d image signatures, want none", len(d.Other), len(d.Signatures))
			}
		})
	}
}

func TestDiscoverExternalReferrersRepository(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	// As Docker does for mirrored images: the image in one repository, its
	// attestations in another.
	img := push(t, reg.Host+"/org/dhi-python:3.13", reg.Host+"/scout/org/dhi-python", dhitest.Spec{Docs: smallDocs(t)[:2], Signer: newKey(t)})
	src := registrySource(t)

	d, err := attest.Discover(context.Background(), src, img.Ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Attestations) != 0 {
		t.Fatalf("without the referrers repository, Discover() found %d attestations, want 0", len(d.Attestations))
	}
	d, err = attest.Discover(context.Background(), src, img.Ref, attest.WithReferrersRepository(reg.Host+"/scout/org/dhi-python"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(expected(img, attest.MechanismReferrersAPI), summarize(d)); diff != "" {
		t.Errorf("Discover() attestations (-want +got):\n%s", diff)
	}
	checkStatements(t, d)
	for _, a := range d.Attestations {
		if got := a.Locations[0].Repository; got != reg.Host+"/scout/org/dhi-python" {
			t.Errorf("attestation found in %s, want the referrers repository", got)
		}
	}
}

// tarDir writes the files under dir into a tar archive at path.
func tarDir(t *testing.T, dir, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tw := tar.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(&tar.Header{Name: "./" + filepath.ToSlash(rel), Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		_, err = tw.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestDiscoverLayoutAndArchive(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "layout")
	img, err := dhitest.WriteLayout(dir, "3.13", dhitest.Spec{Docs: smallDocs(t), Signer: newKey(t)})
	if err != nil {
		t.Fatal(err)
	}
	want := expected(img, attest.MechanismLayoutSubject)

	layout, err := attest.Layout(dir)
	if err != nil {
		t.Fatal(err)
	}
	archivePath := filepath.Join(t.TempDir(), "image.tar")
	tarDir(t, dir, archivePath)
	f, err := os.Open(archivePath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	archive, err := attest.Archive(f, st.Size(), archivePath)
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]attest.Storage{"layout": layout, "archive": archive} {
		for _, ref := range []string{"3.13", img.Index.Digest.String(), "@" + img.Index.Digest.String()} {
			d, err := attest.Discover(context.Background(), src, ref)
			if err != nil {
				t.Fatalf("%s: Discover(%s) error = %v", name, ref, err)
			}
			if diff := cmp.Diff(want, summarize(d)); diff != "" {
				t.Errorf("%s: Discover(%s) attestations (-want +got):\n%s", name, ref, diff)
			}
			checkStatements(t, d)
		}
	}
}

func TestDiscoverBuildxAttestationManifests(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t, registrytest.WithoutReferrersAPI())
	img := push(t, reg.Host+"/app/buildx:1", "", dhitest.Spec{Docs: smallDocs(t)[2:3], Buildx: true})
	d, err := attest.Discover(context.Background(), registrySource(t), img.Ref)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(expected(img, attest.MechanismBuildxIndex), summarize(d)); diff != "" {
		t.Errorf("Discover() attestations (-want +got):\n%s", diff)
	}
	checkStatements(t, d)
	if len(d.Platforms) != 2 {
		t.Errorf("Discover() platforms = %d, want 2 (attestation manifests are not platforms)", len(d.Platforms))
	}
}

func TestDiscoverOptions(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	docs := smallDocs(t)
	img := push(t, reg.Host+"/dhi/opts:1", "", dhitest.Spec{Docs: docs, Signer: newKey(t)})
	noAnn := push(t, reg.Host+"/dhi/noann:1", "", dhitest.Spec{Docs: docs, NoAnnotation: true})
	src := registrySource(t)
	arm := v1.Platform{OS: "linux", Architecture: "arm64"}

	tests := []struct {
		name      string
		ref       string
		opts      []attest.Option
		wantCount int
		wantTypes []string
	}{
		{"all", img.Ref, nil, 8, nil},
		{"one platform", img.Ref, []attest.Option{attest.WithPlatforms(arm)}, 4, nil},
		{"predicate types from annotations", img.Ref, []attest.Option{attest.WithPredicateTypes(ptOpenVEX, ptFIPS)}, 4, []string{ptFIPS, ptOpenVEX}},
		{"predicate types from statements", noAnn.Ref, []attest.Option{attest.WithPredicateTypes(ptSLSA1)}, 2, []string{ptSLSA1}},
		{"no annotations", noAnn.Ref, nil, 8, []string{ptCycloneDX, ptFIPS, ptOpenVEX, ptSLSA1}},
		{"tag mechanisms only", img.Ref, []attest.Option{attest.WithMechanisms(attest.MechanismReferrersTag, attest.MechanismCosignAttTag)}, 0, nil},
		{"sequential", img.Ref, []attest.Option{attest.WithConcurrency(1)}, 8, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := attest.Discover(context.Background(), src, tc.ref, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Attestations) != tc.wantCount {
				t.Fatalf("Discover() found %d attestations, want %d", len(d.Attestations), tc.wantCount)
			}
			if tc.wantTypes != nil {
				var got []string
				for _, a := range d.Attestations {
					if !slices.Contains(got, a.PredicateType) {
						got = append(got, a.PredicateType)
					}
				}
				slices.Sort(got)
				if diff := cmp.Diff(tc.wantTypes, got); diff != "" {
					t.Errorf("predicate types (-want +got):\n%s", diff)
				}
			}
			checkStatements(t, d)
		})
	}
}

func TestDiscoverMergesMechanisms(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	img := push(t, reg.Host+"/dhi/merge:1", "", dhitest.Spec{Docs: smallDocs(t)[:1], Signer: newKey(t)})
	// A registry that gained the referrers API after clients wrote the
	// referrers tag serves both: write the tag for the first platform.
	target := img.Platforms[0]
	var idx v1.IndexManifest
	idx.SchemaVersion = 2
	idx.MediaType = types.OCIImageIndex
	for _, a := range img.Attestations {
		if a.Target.Digest == target.Digest {
			d := a.Manifest
			d.ArtifactType = attest.ArtifactTypeInToto
			idx.Manifests = append(idx.Manifests, d)
		}
	}
	raw, err := json.Marshal(idx)
	if err != nil {
		t.Fatal(err)
	}
	tag, err := name.NewTag(reg.Host + "/dhi/merge:sha256-" + target.Digest.Hex)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Put(tag, rawManifest{raw, types.OCIImageIndex}); err != nil {
		t.Fatal(err)
	}
	d, err := attest.Discover(context.Background(), registrySource(t), img.Ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Attestations) != 2 {
		t.Fatalf("Discover() found %d attestations, want 2 (one per platform, merged)", len(d.Attestations))
	}
	want := []attest.Location{{Repository: reg.Host + "/dhi/merge", Mechanism: attest.MechanismReferrersAPI}, {Repository: reg.Host + "/dhi/merge", Mechanism: attest.MechanismReferrersTag}}
	if diff := cmp.Diff(want, d.Attestations[0].Locations); diff != "" {
		t.Errorf("locations of the first platform's attestation (-want +got):\n%s", diff)
	}
}

func TestDiscoverLyingAnnotation(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	docs := smallDocs(t)[:2]
	docs[0].Annotation = ptSLSA1 // the statement says OpenVEX
	img := push(t, reg.Host+"/dhi/liar:1", "", dhitest.Spec{Docs: docs})
	d, err := attest.Discover(context.Background(), registrySource(t), img.Ref)
	if !errors.Is(err, attest.ErrPredicateTypeMismatch) {
		t.Fatalf("Discover() error = %v, want ErrPredicateTypeMismatch", err)
	}
	var bad int
	for _, a := range d.Attestations {
		if a.Err != nil {
			bad++
			if !errors.Is(a.Err, attest.ErrPredicateTypeMismatch) || !strings.Contains(a.Err.Error(), a.Manifest.Digest.String()) {
				t.Errorf("attestation error = %v, want a mismatch naming %s", a.Err, a.Manifest.Digest)
			}
		}
	}
	if bad != 2 || len(d.Attestations) != 4 {
		t.Errorf("Discover() found %d attestations, %d with errors; want 4 and 2", len(d.Attestations), bad)
	}
}

func TestDiscoverSizeLimits(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	img := push(t, reg.Host+"/dhi/big:1", "", dhitest.Spec{Docs: smallDocs(t)[:2], Signer: newKey(t)})
	src := registrySource(t)

	// The CycloneDX layer is 263 KB, the OpenVEX one 20 KB.
	d, err := attest.Discover(context.Background(), src, img.Ref, attest.WithMaxBlobSize(100<<10))
	if !errors.Is(err, attest.ErrTooLarge) {
		t.Fatalf("Discover() error = %v, want ErrTooLarge", err)
	}
	var fe *attest.FetchError
	if !errors.As(err, &fe) || fe.Op != "reading blob" || !strings.Contains(fe.Repository, "dhi/big") {
		t.Errorf("Discover() error = %v, want a *FetchError naming the blob and repository", err)
	}
	var ok, tooLarge int
	for _, a := range d.Attestations {
		switch {
		case a.Err == nil && a.Content != nil:
			ok++
		case errors.Is(a.Err, attest.ErrTooLarge):
			tooLarge++
		}
	}
	if ok != 2 || tooLarge != 2 {
		t.Errorf("Discover() read %d attestations and refused %d, want 2 and 2", ok, tooLarge)
	}

	if _, err := attest.Discover(context.Background(), src, img.Ref, attest.WithMaxManifestSize(100)); !errors.Is(err, attest.ErrTooLarge) {
		t.Errorf("Discover() with a 100-byte manifest limit: error = %v, want ErrTooLarge", err)
	}
}

func TestDiscoverCorruptLayout(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	img, err := dhitest.WriteLayout(dir, "1", dhitest.Spec{Docs: smallDocs(t)[:1]})
	if err != nil {
		t.Fatal(err)
	}
	// Damage one attestation layer on disk, as a bad disk or copy would.
	layer := img.Attestations[0].Layer.Digest
	p := filepath.Join(dir, "blobs", "sha256", layer.Hex)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x01
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := attest.Layout(dir)
	if err != nil {
		t.Fatal(err)
	}
	d, err := attest.Discover(context.Background(), src, "1")
	if !errors.Is(err, attest.ErrDigestMismatch) || !strings.Contains(err.Error(), layer.String()) {
		t.Fatalf("Discover() error = %v, want ErrDigestMismatch naming %s", err, layer)
	}
	if len(d.Attestations) != 2 || d.Attestations[0].Err == nil && d.Attestations[1].Err == nil {
		t.Errorf("Discover() should return both attestations, the damaged one with its error")
	}
}

func TestDiscoverErrors(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	img := push(t, reg.Host+"/dhi/err:1", "", dhitest.Spec{Docs: smallDocs(t)[:1]})
	src := registrySource(t)

	if _, err := attest.Discover(context.Background(), src, reg.Host+"/dhi/err:missing"); !errors.Is(err, attest.ErrNotFound) || !strings.Contains(err.Error(), "dhi/err:missing") {
		t.Errorf("Discover(missing tag) error = %v, want ErrNotFound naming the reference", err)
	}
	if _, err := attest.Discover(context.Background(), src, "not a reference"); err == nil {
		t.Errorf("Discover(bad reference) succeeded")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := attest.Discover(ctx, src, img.Ref); !errors.Is(err, context.Canceled) {
		t.Errorf("Discover(cancelled) error = %v, want context.Canceled", err)
	}
	layoutSrc, err := attest.Layout(t.TempDir())
	if err == nil || layoutSrc != nil {
		t.Errorf("Layout(empty dir) = %v, %v; want an error", layoutSrc, err)
	}
	if _, err := attest.Discover(context.Background(), src, img.Ref, attest.WithConcurrency(0)); err == nil {
		t.Errorf("Discover(WithConcurrency(0)) succeeded")
	}
	dir := t.TempDir()
	if _, err := dhitest.WriteLayout(dir, "1", dhitest.Spec{}); err != nil {
		t.Fatal(err)
	}
	l, err := attest.Layout(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := attest.Discover(context.Background(), l, "1", attest.WithReferrersRepository("example.com/x")); !errors.Is(err, attest.ErrUnsupported) {
		t.Errorf("Discover(layout, WithReferrersRepository) error = %v, want ErrUnsupported", err)
	}
}

func TestReadManifestAndBlob(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	img := push(t, reg.Host+"/dhi/read:1", "", dhitest.Spec{Labels: map[string]string{"com.docker.dhi.name": "dhi/read"}})
	src := registrySource(t)
	ctx := context.Background()

	desc, raw, err := attest.ReadManifest(ctx, src, img.Ref)
	if err != nil {
		t.Fatal(err)
	}
	if desc.Digest != img.Index.Digest || desc.MediaType != types.OCIImageIndex {
		t.Fatalf("ReadManifest() = %v %s, want the index %v", desc.Digest, desc.MediaType, img.Index.Digest)
	}
	var idx v1.IndexManifest
	if err := json.Unmarshal(raw, &idx); err != nil {
		t.Fatal(err)
	}
	_, raw, err = attest.ReadManifestByDigest(ctx, src, reg.Host+"/dhi/read", idx.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	var m v1.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	cfg, err := attest.ReadBlob(ctx, src, reg.Host+"/dhi/read", m.Config)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cfg), `"com.docker.dhi.name":"dhi/read"`) {
		t.Errorf("ReadBlob() = %s, want the config with its labels", cfg)
	}
	if _, err := attest.ReadBlob(ctx, src, reg.Host+"/dhi/read", m.Config, attest.WithMaxBlobSize(10)); !errors.Is(err, attest.ErrTooLarge) {
		t.Errorf("ReadBlob() over the limit: error = %v, want ErrTooLarge", err)
	}
	wrong := m.Config
	wrong.Digest.Hex = strings.Repeat("0", 64)
	if _, err := attest.ReadBlob(ctx, src, reg.Host+"/dhi/read", wrong); !errors.Is(err, attest.ErrNotFound) {
		t.Errorf("ReadBlob(unknown digest) error = %v, want ErrNotFound", err)
	}
}
