package attest_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/attest/cache"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/internal/registrytest"
)

// snapshot is what the cache tests compare of a discovery.
type snapshot struct {
	Root      v1.Descriptor
	Platforms []v1.Descriptor
	Found     []found
	Contents  map[string]string
	Lookups   []attest.Lookup
}

func snap(t *testing.T, d *attest.Discovery) snapshot {
	t.Helper()
	s := snapshot{Root: d.Root, Platforms: d.Platforms, Found: summarize(d), Contents: map[string]string{}, Lookups: d.Lookups}
	for _, a := range d.Attestations {
		if a.Err != nil {
			t.Errorf("attestation %s: %v", a.Layer.Digest, a.Err)
			continue
		}
		b, err := json.Marshal(a.Content.Statement)
		if err != nil {
			t.Fatal(err)
		}
		s.Contents[a.Layer.Digest.String()] = string(b)
	}
	return s
}

// cachedDiscover discovers the sample through cache c, counting requests.
func cachedDiscover(t *testing.T, ref string, c *cache.Cache) (snapshot, []string) {
	t.Helper()
	rt := &registrytest.Recorder{}
	src := registrySource(t, attest.WithTransport(rt), attest.WithCache(c))
	defer src.Close()
	d, err := attest.Discover(context.Background(), src, ref)
	if err != nil {
		t.Fatal(err)
	}
	return snap(t, d), rt.Requests()
}

// TestCacheDiscover discovers an image cold, warm, with a time-to-live,
// past it, and after the cache is damaged, and checks the requests each
// sends and that the discoveries agree: the sample image in a registry with
// the referrers API, and a smaller one in a registry without it (the
// referrers tag schema).
func TestCacheDiscover(t *testing.T) {
	t.Parallel()
	t.Run("sample with referrers API", func(t *testing.T) {
		t.Parallel()
		s, err := dhitest.ServeSample(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		checkCachedDiscovery(t, s.Ref)
	})
	t.Run("without referrers API", func(t *testing.T) {
		t.Parallel()
		reg := registrytest.New(t, registrytest.WithoutReferrersAPI())
		img := push(t, reg.Host+"/dhi/cached:3.13", "", dhitest.Spec{Docs: smallDocs(t), Signer: newKey(t)})
		checkCachedDiscovery(t, img.Ref)
	})
}

func checkCachedDiscovery(t *testing.T, ref string) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "cache")
	c := openCache(t, dir)

	cold, coldReqs := cachedDiscover(t, ref, c)
	if len(registrytest.ByDigest(coldReqs)) == 0 {
		t.Fatalf("cold discovery read nothing by digest: %v", coldReqs)
	}
	st := c.Stats()
	if st.Hits != 0 || st.BytesWritten == 0 || st.Bytes != st.BytesWritten {
		t.Errorf("after a cold discovery, stats %+v", st)
	}

	// Warm, through another Cache on the same directory: only what is not
	// addressed by digest goes to the registry.
	warm, warmReqs := cachedDiscover(t, ref, openCache(t, dir))
	if got := registrytest.ByDigest(warmReqs); len(got) != 0 {
		t.Errorf("warm discovery read by digest: %v", got)
	}
	if len(warmReqs) == 0 || len(warmReqs) >= len(coldReqs) {
		t.Errorf("warm discovery sent %d requests, cold %d", len(warmReqs), len(coldReqs))
	}
	if diff := cmp.Diff(cold, warm, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("warm discovery differs (-cold +warm):\n%s", diff)
	}
	t.Logf("requests: cold %d, warm %d", len(coldReqs), len(warmReqs))

	// With a time-to-live, tags and listings are kept: the second
	// discovery sends nothing, and past the time-to-live requests return.
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	ttl := openCache(t, dir, cache.WithTTL(time.Hour), cache.WithClock(clock))
	if _, reqs := cachedDiscover(t, ref, ttl); len(reqs) != len(warmReqs) {
		t.Errorf("first discovery with a TTL sent %d requests, want %d", len(reqs), len(warmReqs))
	}
	got, reqs := cachedDiscover(t, ref, ttl)
	if len(reqs) != 0 {
		t.Errorf("discovery within the TTL sent %v", reqs)
	}
	if diff := cmp.Diff(cold, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("discovery within the TTL differs (-cold +got):\n%s", diff)
	}
	t.Logf("requests: within the TTL %d", len(reqs))
	now = now.Add(2 * time.Hour)
	if _, reqs := cachedDiscover(t, ref, ttl); len(reqs) != len(warmReqs) || len(registrytest.ByDigest(reqs)) != 0 {
		t.Errorf("discovery past the TTL sent %v, want %d requests, none by digest", reqs, len(warmReqs))
	}

	// Damage three entries three ways: each is refetched, and counted.
	damage(t, dir, cold)
	damaged := openCache(t, dir)
	got, reqs = cachedDiscover(t, ref, damaged)
	if diff := cmp.Diff(cold, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("discovery over a damaged cache differs (-cold +got):\n%s", diff)
	}
	if n := len(registrytest.ByDigest(reqs)); n != 3 {
		t.Errorf("discovery over a damaged cache read %d by digest, want 3: %v", n, registrytest.ByDigest(reqs))
	}
	if st := damaged.Stats(); st.Corrupt != 3 {
		t.Errorf("stats %+v, want 3 corrupt", st)
	}
	if _, reqs := cachedDiscover(t, ref, damaged); len(registrytest.ByDigest(reqs)) != 0 {
		t.Errorf("after the refetch, discovery read by digest: %v", registrytest.ByDigest(reqs))
	}

	// The directory is an OCI layout that attest.Layout reads, content
	// included.
	l, err := attest.Layout(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	m, err := v1.NewHash(cold.Found[0].Manifest)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []v1.Hash{cold.Root.Digest, m} {
		if _, _, err := attest.ReadManifestByDigest(ctx, l, "", d); err != nil {
			t.Errorf("reading manifest %s from the cache as a layout: %v", d, err)
		}
	}
}

// TestCacheOpen opens the sample with package dhi through a cache: the
// second open reads nothing by digest and verifies every attestation.
func TestCacheOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := dhitest.ServeSample(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := openCache(t, t.TempDir())
	for i := range 2 {
		rt := &registrytest.Recorder{}
		img, err := dhi.Open(ctx, s.Ref, dhi.WithKeys(s.Key), dhi.WithRegistry(attest.WithCache(c), attest.WithTransport(rt)))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, p := range img.Platforms {
			for _, a := range p.Attestations {
				n++
				if !a.Verified {
					t.Errorf("open %d: %s attestation %s not verified: %v", i, p, a.PredicateType, a.Err)
				}
			}
		}
		if n == 0 {
			t.Errorf("open %d: no attestation", i)
		}
		if got := registrytest.ByDigest(rt.Requests()); i == 1 && len(got) != 0 {
			t.Errorf("second open read by digest: %v", got)
		}
		img.Close()
	}
}

// TestCacheReads reads a manifest and a blob through a new source whose
// cache holds them: no request is sent, not even the authentication
// handshake; once the source is closed, reads fail even from the cache.
func TestCacheReads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := dhitest.ServeSample(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := openCache(t, t.TempDir())
	cachedDiscover(t, s.Ref, c)
	rt := &registrytest.Recorder{}
	src := registrySource(t, attest.WithCache(c), attest.WithTransport(rt))
	repo := strings.TrimSuffix(s.Ref, ":"+dhitest.SampleTag)
	a := s.Image.Attestations[0]
	desc, raw, err := attest.ReadManifestByDigest(ctx, src, repo, a.Manifest.Digest)
	if err != nil || desc.Digest != a.Manifest.Digest || desc.MediaType != a.Manifest.MediaType {
		t.Errorf("ReadManifestByDigest() = %v %s, %v", desc.Digest, desc.MediaType, err)
	}
	var m v1.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if _, err := attest.ReadBlob(ctx, src, repo, m.Layers[0]); err != nil {
		t.Error(err)
	}
	if reqs := rt.Requests(); len(reqs) != 0 {
		t.Errorf("reads from a warm cache sent %v", reqs)
	}
	// A declared size the cached content does not have fails as the
	// registry's content would.
	lying := m.Layers[0]
	lying.Size++
	if _, err := attest.ReadBlob(ctx, src, repo, lying); !errors.Is(err, attest.ErrDigestMismatch) {
		t.Errorf("ReadBlob() with a wrong size: %v, want ErrDigestMismatch", err)
	}
	src.Close()
	if _, _, err := attest.ReadManifestByDigest(ctx, src, repo, a.Manifest.Digest); err == nil {
		t.Error("a closed source read a manifest from its cache")
	}
}

func openCache(t *testing.T, dir string, opts ...cache.Option) *cache.Cache {
	t.Helper()
	c, err := cache.Open(dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// damage flips a byte of the entry of one attestation manifest or layer
// that d lists, truncates another and replaces a third with a directory.
func damage(t *testing.T, dir string, d snapshot) {
	t.Helper()
	var files []string
	for _, f := range d.Found {
		for _, digest := range []string{f.Manifest, f.Layer} {
			p := filepath.Join(dir, "blobs", "sha256", strings.TrimPrefix(digest, "sha256:"))
			if !slices.Contains(files, p) {
				files = append(files, p)
			}
		}
	}
	if len(files) < 3 {
		t.Fatalf("%d entries to damage", len(files))
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 1
	if err := os.WriteFile(files[0], b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(files[1], 1); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(files[2]); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(files[2], "inside"), 0o700); err != nil {
		t.Fatal(err)
	}
}
