package cache_test

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/attest/cache"
)

func sha256Of(b []byte) v1.Hash {
	sum := sha256.Sum256(b)
	return v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(sum[:])}
}

func sha512Of(b []byte) v1.Hash {
	sum := sha512.Sum512(b)
	return v1.Hash{Algorithm: "sha512", Hex: hex.EncodeToString(sum[:])}
}

func open(t *testing.T, dir string, opts ...cache.Option) *cache.Cache {
	t.Helper()
	c, err := cache.Open(dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func put(t *testing.T, c *cache.Cache, b []byte) v1.Hash {
	t.Helper()
	d := sha256Of(b)
	if err := c.Put(d, b); err != nil {
		t.Fatal(err)
	}
	return d
}

func blobFile(c *cache.Cache, d v1.Hash) string {
	return filepath.Join(c.Dir(), "blobs", d.Algorithm, d.Hex)
}

// noTemps fails when the cache's directory of temporary files is not
// empty.
func noTemps(t *testing.T, dir string) {
	t.Helper()
	des, err := os.ReadDir(filepath.Join(dir, "dhisdk", "tmp"))
	if err != nil {
		t.Fatal(err)
	}
	if len(des) != 0 {
		t.Errorf("%d temporary files left", len(des))
	}
}

func TestOpenLayout(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "new", "cache")
	c := open(t, dir)
	if c.Dir() != dir {
		t.Errorf("Dir() = %q, want %q", c.Dir(), dir)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		t.Errorf("directory mode %v, want private to its owner", perm)
	}
	var marker struct {
		Version string `json:"imageLayoutVersion"`
	}
	readJSON(t, filepath.Join(dir, "oci-layout"), &marker)
	if marker.Version != "1.0.0" {
		t.Errorf("oci-layout version %q", marker.Version)
	}
	var idx v1.IndexManifest
	readJSON(t, filepath.Join(dir, "index.json"), &idx)
	if idx.SchemaVersion != 2 || idx.MediaType != "application/vnd.oci.image.index.v1+json" {
		t.Errorf("index.json = %+v", idx)
	}
	// Reopening keeps what is there.
	d := put(t, c, []byte("kept"))
	if b, ok := open(t, dir).Get(d, 10); !ok || string(b) != "kept" {
		t.Errorf("after reopening, Get = %q, %v", b, ok)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		dir  string
		opts []cache.Option
		want string
	}{
		{"directory is a file", file, nil, file},
		{"no directory", "", nil, "empty directory"},
		{"zero bound", t.TempDir(), []cache.Option{cache.WithMaxBytes(0)}, "WithMaxBytes"},
		{"negative TTL", t.TempDir(), []cache.Option{cache.WithTTL(-time.Second)}, "WithTTL"},
		{"nil clock", t.TempDir(), []cache.Option{cache.WithClock(nil)}, "WithClock"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := cache.Open(tc.dir, tc.opts...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Open() error = %v, want one naming %q", err, tc.want)
			}
		})
	}
}

func TestPutGet(t *testing.T) {
	t.Parallel()
	c := open(t, t.TempDir())
	b := []byte(`{"schemaVersion":2}`)
	for _, d := range []v1.Hash{sha256Of(b), sha512Of(b)} {
		if _, ok := c.Get(d, 1<<20); ok {
			t.Errorf("Get(%s) hit in an empty cache", d.Algorithm)
		}
		if err := c.Put(d, b); err != nil {
			t.Fatal(err)
		}
		if err := c.Put(d, b); err != nil { // a second writer is harmless
			t.Fatal(err)
		}
		got, ok := c.Get(d, int64(len(b)))
		if !ok || !bytes.Equal(got, b) {
			t.Errorf("Get(%s) = %q, %v", d.Algorithm, got, ok)
		}
		if _, ok := c.Get(d, int64(len(b))-1); ok {
			t.Errorf("Get(%s) returned an entry over maxSize", d.Algorithm)
		}
	}
	want := cache.Stats{Hits: 2, Misses: 4, BytesWritten: 2 * int64(len(b)), Bytes: 2 * int64(len(b))}
	if got := c.Stats(); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
	noTemps(t, c.Dir())
}

func TestPutRefuses(t *testing.T) {
	t.Parallel()
	c := open(t, t.TempDir())
	d := sha256Of([]byte("one"))
	if err := c.Put(d, []byte("two")); !errors.Is(err, cache.ErrDigestMismatch) {
		t.Errorf("Put of other content: %v, want ErrDigestMismatch", err)
	}
	for _, bad := range []v1.Hash{
		{Algorithm: "md5", Hex: "00"},
		{Algorithm: "sha256", Hex: "../../../../etc/passwd"},
		{Algorithm: "sha256", Hex: strings.ToUpper(d.Hex)},
	} {
		if err := c.Put(bad, []byte("one")); !errors.Is(err, cache.ErrUnsupportedDigest) {
			t.Errorf("Put(%v) = %v, want ErrUnsupportedDigest", bad, err)
		}
		if _, ok := c.Get(bad, 10); ok {
			t.Errorf("Get(%v) hit", bad)
		}
	}
	if _, ok := c.Get(d, 10); ok {
		t.Error("refused content was stored")
	}
}

// TestGetCorrupt damages entries in the ways a disk, a crash or another
// program can, and checks that each is deleted and refetched, never
// returned.
func TestGetCorrupt(t *testing.T) {
	t.Parallel()
	outside := filepath.Join(t.TempDir(), "outside")
	tests := []struct {
		name   string
		damage func(t *testing.T, path string, b []byte) error
	}{
		{"flipped bit", func(t *testing.T, p string, b []byte) error {
			b = bytes.Clone(b)
			b[3] ^= 0x10
			return os.WriteFile(p, b, 0o600)
		}},
		{"truncated", func(t *testing.T, p string, b []byte) error { return os.Truncate(p, int64(len(b)/2)) }},
		{"emptied", func(t *testing.T, p string, b []byte) error { return os.Truncate(p, 0) }},
		{"directory", func(t *testing.T, p string, b []byte) error {
			if err := os.Remove(p); err != nil {
				return err
			}
			return os.MkdirAll(filepath.Join(p, "sub"), 0o700)
		}},
		{"symbolic link to the right content", func(t *testing.T, p string, b []byte) error {
			if err := os.WriteFile(outside, b, 0o600); err != nil {
				return err
			}
			if err := os.Remove(p); err != nil {
				return err
			}
			return os.Symlink(outside, p)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := open(t, t.TempDir())
			b := []byte("attestation layer content")
			d := put(t, c, b)
			if err := tc.damage(t, blobFile(c, d), b); err != nil {
				t.Fatal(err)
			}
			if got, ok := c.Get(d, 1<<20); ok {
				t.Fatalf("Get returned %q from a damaged entry", got)
			}
			if st := c.Stats(); st.Corrupt != 1 || st.Misses != 1 {
				t.Errorf("Stats() = %+v, want one corrupt miss", st)
			}
			if _, err := os.Lstat(blobFile(c, d)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the damaged entry is still there: %v", err)
			}
			put(t, c, b)
			if got, ok := c.Get(d, 1<<20); !ok || !bytes.Equal(got, b) {
				t.Errorf("after a new Put, Get = %q, %v", got, ok)
			}
		})
	}
	if b, err := os.ReadFile(outside); err != nil || len(b) == 0 {
		t.Errorf("the target of the symbolic link was touched: %q, %v", b, err)
	}
}

// TestGetHugeEntry checks that an entry larger than maxSize is not read.
func TestGetHugeEntry(t *testing.T) {
	t.Parallel()
	c := open(t, t.TempDir())
	b := []byte("small content")
	d := sha256Of(b)
	if err := os.WriteFile(blobFile(c, d), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(blobFile(c, d), 1<<40); err != nil {
		t.Skip("no sparse files:", err)
	}
	if _, ok := c.Get(d, 1<<20); ok {
		t.Fatal("Get returned a huge entry")
	}
	put(t, c, b) // replaces the entry of another size
	if got, ok := c.Get(d, 1<<20); !ok || !bytes.Equal(got, b) {
		t.Errorf("Get = %q, %v", got, ok)
	}
}

// TestEviction fills a small cache and checks that the total stays under
// the bound and that the entry read last survives older ones.
func TestEviction(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := open(t, dir, cache.WithMaxBytes(1000))
	var ds []v1.Hash
	old := time.Now().Add(-24 * time.Hour)
	for i := range 5 {
		d := put(t, c, bytes.Repeat([]byte{byte('a' + i)}, 150))
		// Entry i was used i hours after the first.
		mt := old.Add(time.Duration(i) * time.Hour)
		if err := os.Chtimes(blobFile(c, d), mt, mt); err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	if _, ok := c.Get(ds[0], 1000); !ok { // the oldest becomes the newest
		t.Fatal("miss")
	}
	put(t, c, bytes.Repeat([]byte("f"), 150))
	put(t, c, bytes.Repeat([]byte("g"), 150)) // 1050 bytes: evict to 900
	st := c.Stats()
	if st.Evicted != 1 || st.Bytes > 1000 {
		t.Errorf("Stats() = %+v, want one eviction and at most 1000 bytes", st)
	}
	if _, ok := c.Get(ds[0], 1000); !ok {
		t.Error("the entry read last was evicted")
	}
	if _, ok := c.Get(ds[1], 1000); ok {
		t.Error("the least recently used entry was kept")
	}
	// Content larger than the bound is not stored.
	big := bytes.Repeat([]byte("z"), 2000)
	d := put(t, c, big)
	if _, ok := c.Get(d, 1<<20); ok {
		t.Error("content over the bound was stored")
	}
	// Open counts what is there, and evicts when it is over the bound.
	small := open(t, dir, cache.WithMaxBytes(400))
	if st := small.Stats(); st.Bytes > 400 || st.Evicted == 0 {
		t.Errorf("reopened with a smaller bound: %+v", st)
	}
}

func TestKeyed(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	off := open(t, t.TempDir())
	if err := off.PutKeyed("tag", []byte("v")); err != nil {
		t.Fatal(err)
	}
	if _, ok := off.GetKeyed("tag", 10); ok {
		t.Error("keyed entry used without a TTL")
	}

	dir := t.TempDir()
	c := open(t, dir, cache.WithTTL(time.Hour), cache.WithClock(clock))
	key := "manifest\x00https://dhi.io/python\x003.13\n"
	if err := c.PutKeyed(key, []byte("value")); err != nil {
		t.Fatal(err)
	}
	if got, ok := c.GetKeyed(key, 10); !ok || string(got) != "value" {
		t.Errorf("GetKeyed = %q, %v", got, ok)
	}
	if _, ok := c.GetKeyed(key, 4); ok {
		t.Error("GetKeyed returned a value over maxSize")
	}
	if _, ok := c.GetKeyed("other", 10); ok {
		t.Error("GetKeyed hit for another key")
	}
	// Another process without a TTL does not see it.
	if _, ok := open(t, dir).GetKeyed(key, 10); ok {
		t.Error("keyed entry used by a cache without a TTL")
	}
	now = now.Add(61 * time.Minute)
	if _, ok := c.GetKeyed(key, 10); ok {
		t.Error("expired keyed entry used")
	}
	if err := c.PutKeyed(key, []byte("fresh")); err != nil {
		t.Fatal(err)
	}
	if got, ok := c.GetKeyed(key, 10); !ok || string(got) != "fresh" {
		t.Errorf("GetKeyed = %q, %v", got, ok)
	}

	// A damaged keyed entry is deleted.
	des, err := os.ReadDir(filepath.Join(dir, "dhisdk", "keyed"))
	if err != nil || len(des) != 1 {
		t.Fatalf("keyed entries: %v, %v", des, err)
	}
	p := filepath.Join(dir, "dhisdk", "keyed", des[0].Name())
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-1] ^= 1
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	before := c.Stats().Corrupt
	if _, ok := c.GetKeyed(key, 10); ok {
		t.Error("damaged keyed entry used")
	}
	if c.Stats().Corrupt != before+1 {
		t.Error("damaged keyed entry not counted")
	}
	if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("damaged keyed entry kept: %v", err)
	}
}

// TestConcurrent has goroutines write and read the same and different
// digests, under a bound small enough that they also evict.
func TestConcurrent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := open(t, dir, cache.WithMaxBytes(8<<10), cache.WithTTL(time.Hour))
	exercise(t, c, "goroutines", 16, 40)
	checkClean(t, dir)
}

// exercise runs workers goroutines that each put and get rounds contents,
// half shared with every worker and half their own, and a keyed entry.
func exercise(t *testing.T, c *cache.Cache, id string, workers, rounds int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := range rounds {
				b := []byte(fmt.Sprintf("shared content %d %s", i%8, strings.Repeat("x", 500)))
				if i%2 == 1 {
					b = []byte(fmt.Sprintf("content of %s worker %d round %d %s", id, w, i, strings.Repeat("y", 300)))
				}
				d := sha256Of(b)
				if err := c.Put(d, b); err != nil {
					errs <- err
					return
				}
				if got, ok := c.Get(d, 1<<20); ok && !bytes.Equal(got, b) {
					errs <- fmt.Errorf("Get(%s) returned other content", d)
					return
				}
				if err := c.PutKeyed("key", b); err != nil {
					errs <- err
					return
				}
				if got, ok := c.GetKeyed("key", 1<<20); ok && !bytes.HasSuffix(got, []byte("x")) && !bytes.HasSuffix(got, []byte("y")) {
					errs <- fmt.Errorf("GetKeyed returned %q", got)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if st := c.Stats(); st.Corrupt != 0 {
		t.Errorf("%s: %d corrupt entries", id, st.Corrupt)
	}
}

// checkClean checks that dir has no temporary file left and that every
// entry matches its digest.
func checkClean(t *testing.T, dir string) {
	t.Helper()
	noTemps(t, dir)
	c := open(t, dir)
	des, err := os.ReadDir(filepath.Join(dir, "blobs", "sha256"))
	if err != nil {
		t.Fatal(err)
	}
	for _, de := range des {
		if _, ok := c.Get(v1.Hash{Algorithm: "sha256", Hex: de.Name()}, 1<<20); !ok {
			t.Errorf("entry %s does not read back", de.Name())
		}
	}
	if st := c.Stats(); st.Corrupt != 0 {
		t.Errorf("%d corrupt entries", st.Corrupt)
	}
}

// childDirEnv names, in the environment of a copy of the test binary that
// TestProcesses starts, the cache directory it exercises.
const childDirEnv = "DHISDK_CACHE_TEST_CHILD_DIR"

// TestProcesses runs two processes that share a cache directory.
func TestProcesses(t *testing.T) {
	if dir := os.Getenv(childDirEnv); dir != "" {
		c := open(t, dir, cache.WithMaxBytes(8<<10), cache.WithTTL(time.Hour))
		exercise(t, c, fmt.Sprint(os.Getpid()), 4, 60)
		return
	}
	t.Parallel()
	exe, err := os.Executable()
	if err != nil {
		t.Skip("no test binary to run:", err)
	}
	dir := t.TempDir()
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for range 2 {
		cmd := exec.Command(exe, "-test.run=^TestProcesses$", "-test.count=1")
		cmd.Env = append(os.Environ(), childDirEnv+"="+dir)
		out := &bytes.Buffer{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, out)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("process %d: %v\n%s", i, err, outs[i])
		}
	}
	checkClean(t, dir)
}
