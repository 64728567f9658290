package cache

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// The files and directories of a cache directory.
const (
	layoutFile = "oci-layout"
	indexFile  = "index.json"
	blobsDir   = "blobs"
	// sdkDir holds what OCI tools need not see: keyed entries and
	// temporary files.
	sdkDir   = "dhisdk"
	keyedDir = sdkDir + "/keyed"
	tmpDir   = sdkDir + "/tmp"
)

// layoutJSON and emptyIndex are the oci-layout and index.json that Open
// writes when they are missing.
const (
	layoutJSON = `{"imageLayoutVersion":"1.0.0"}`
	emptyIndex = `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}`
)

// touchInterval is how stale an entry's modification time may be before a
// hit sets it again: hits within it cost no extra system call, and recency
// is known to within it.
const touchInterval = time.Minute

// staleTemp is the age past which a temporary file is taken for the
// remains of a process that died while writing, and removed.
const staleTemp = time.Hour

// Cache is a content-addressed cache in a directory; see the package
// documentation. Its methods are safe for concurrent use, and several
// processes may share one directory.
type Cache struct {
	dir string
	o   options

	total                                  atomic.Int64
	hits, misses, corrupt, evicted, writes atomic.Int64

	evicting sync.Mutex
}

// Stats counts what a [Cache] did since [Open], in this process.
type Stats struct {
	// Hits counts reads answered from the directory, digest-addressed and
	// keyed.
	Hits int64
	// Misses counts reads that found no usable entry, corrupt ones
	// included; expired keyed entries count as misses.
	Misses int64
	// Corrupt counts entries that were deleted because they did not match
	// their digest, were not regular files or could not be decoded.
	Corrupt int64
	// Evicted counts entries removed to keep the total size under the
	// bound.
	Evicted int64
	// BytesWritten counts the bytes of the entries written.
	BytesWritten int64
	// Bytes is the total size of the entries, as last counted: at Open,
	// after each eviction, and as this process adds and removes entries.
	Bytes int64
}

// Open returns the cache in directory dir, creating it (readable by its
// owner only; an existing directory keeps its permissions) and the OCI
// layout files in it when they are missing, and counting the entries
// already there. It evicts entries when the
// directory holds more than the size bound.
func Open(dir string, opts ...Option) (*Cache, error) {
	o, err := makeOptions(opts...)
	if err != nil {
		return nil, err
	}
	if dir == "" {
		return nil, errors.New("cache: empty directory name")
	}
	for _, sub := range []string{blobsDir + "/sha256", blobsDir + "/sha512", keyedDir, tmpDir} {
		p := filepath.Join(dir, filepath.FromSlash(sub))
		if err := os.MkdirAll(p, 0o700); err != nil {
			return nil, fmt.Errorf("cache: creating %s: %w", p, err)
		}
	}
	c := &Cache{dir: dir, o: o}
	if err := c.writeIfMissing(layoutFile, layoutJSON); err != nil {
		return nil, err
	}
	if err := c.writeIfMissing(indexFile, emptyIndex); err != nil {
		return nil, err
	}
	entries, total, err := c.scan()
	if err != nil {
		return nil, err
	}
	c.total.Store(total)
	if total > o.maxBytes {
		c.evictFrom(entries, total)
	}
	return c, nil
}

// Dir returns the cache's directory.
func (c *Cache) Dir() string { return c.dir }

// TTL returns how long keyed entries are used; 0 means they are not (see
// [WithTTL]).
func (c *Cache) TTL() time.Duration { return c.o.ttl }

// Stats returns the cache's counters.
func (c *Cache) Stats() Stats {
	return Stats{
		Hits:         c.hits.Load(),
		Misses:       c.misses.Load(),
		Corrupt:      c.corrupt.Load(),
		Evicted:      c.evicted.Load(),
		BytesWritten: c.writes.Load(),
		Bytes:        c.total.Load(),
	}
}

// Get returns the content with digest d, or false when the cache holds
// none of at most maxSize bytes. The content is hashed on every read: an
// entry that does not hash to d, or is not a regular file, is deleted and
// reported as a miss, so that the caller fetches it again. An entry that
// vanished (evicted by another process) is a miss too.
func (c *Cache) Get(d v1.Hash, maxSize int64) ([]byte, bool) {
	p, ok := c.blobPath(d)
	if !ok || maxSize < 0 {
		c.misses.Add(1)
		return nil, false
	}
	b, mtime, state := readEntry(p, maxSize)
	if state == entryOK && checkHash(b, d) != nil {
		state = entryCorrupt
	}
	return c.answer(p, b, mtime, state)
}

// answer counts a read's outcome, deletes a corrupt entry and touches a hit.
func (c *Cache) answer(p string, b []byte, mtime time.Time, state entryState) ([]byte, bool) {
	switch state {
	case entryOK:
		c.hits.Add(1)
		c.touch(p, mtime)
		return b, true
	case entryCorrupt:
		c.corrupt.Add(1)
		c.discard(p)
	}
	c.misses.Add(1)
	return nil, false
}

// Put stores b as the content with digest d (sha256 or sha512). It fails
// with [ErrDigestMismatch] when b does not hash to d, and with
// [ErrUnsupportedDigest] for another algorithm or a malformed digest. Content larger than the size bound is not
// stored; content already stored is not written again.
func (c *Cache) Put(d v1.Hash, b []byte) error {
	p, ok := c.blobPath(d)
	if !ok {
		return fmt.Errorf("%w: %q", ErrUnsupportedDigest, d.String())
	}
	if err := checkHash(b, d); err != nil {
		return err
	}
	if fi, err := os.Lstat(p); err == nil && fi.Mode().IsRegular() && fi.Size() == int64(len(b)) {
		c.touch(p, fi.ModTime())
		return nil
	}
	return c.store(p, b)
}

// store writes b at p and evicts entries when the total is over the bound.
func (c *Cache) store(p string, b []byte) error {
	size := int64(len(b))
	if size > c.o.maxBytes {
		return nil
	}
	if err := c.writeFile(p, b); err != nil {
		return err
	}
	c.writes.Add(size)
	if c.total.Add(size) > c.o.maxBytes {
		c.evict()
	}
	return nil
}

// blobPath returns the path of the entry for d, and false when d is not a
// well-formed sha256 or sha512 digest (so that a digest never names a path
// outside the blobs directory).
func (c *Cache) blobPath(d v1.Hash) (string, bool) {
	if !validDigest(d) {
		return "", false
	}
	return filepath.Join(c.dir, blobsDir, d.Algorithm, d.Hex), true
}

func validDigest(d v1.Hash) bool {
	var n int
	switch d.Algorithm {
	case "sha256":
		n = sha256.Size * 2
	case "sha512":
		n = sha512.Size * 2
	default:
		return false
	}
	if len(d.Hex) != n {
		return false
	}
	for _, r := range d.Hex {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}

// checkHash checks that b hashes to d.
func checkHash(b []byte, d v1.Hash) error {
	var h hash.Hash
	switch d.Algorithm {
	case "sha256":
		h = sha256.New()
	case "sha512":
		h = sha512.New()
	default:
		return fmt.Errorf("%w: algorithm %q", ErrUnsupportedDigest, d.Algorithm)
	}
	h.Write(b)
	if got := hex.EncodeToString(h.Sum(nil)); got != d.Hex {
		return fmt.Errorf("%w: %d bytes hash to %s:%s, not %s", ErrDigestMismatch, len(b), d.Algorithm, got, d)
	}
	return nil
}

// entryState is what reading an entry found.
type entryState int

const (
	entryOK entryState = iota
	entryAbsent
	entryTooLarge
	entryCorrupt
)

// readEntry reads the regular file at p when it has at most maxSize bytes.
// A file that is not regular (a directory, a symbolic link, a device) or
// that cannot be read in full is corrupt.
func readEntry(p string, maxSize int64) ([]byte, time.Time, entryState) {
	fi, err := os.Lstat(p)
	if err != nil {
		return nil, time.Time{}, entryAbsent
	}
	if !fi.Mode().IsRegular() {
		return nil, time.Time{}, entryCorrupt
	}
	if fi.Size() > maxSize {
		return nil, time.Time{}, entryTooLarge
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, time.Time{}, entryAbsent
	}
	defer f.Close()
	st, err := f.Stat()
	switch {
	case err != nil || !st.Mode().IsRegular():
		return nil, time.Time{}, entryCorrupt // replaced since the Lstat
	case st.Size() > maxSize:
		return nil, time.Time{}, entryTooLarge
	}
	b := make([]byte, st.Size())
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, time.Time{}, entryCorrupt
	}
	return b, st.ModTime(), entryOK
}

// touch marks the entry at p as used now, unless it was marked within
// touchInterval. A failure (the entry vanished) changes nothing.
func (c *Cache) touch(p string, mtime time.Time) {
	now := time.Now()
	if now.Sub(mtime) < touchInterval {
		return
	}
	_ = os.Chtimes(p, now, now) // best effort: recency only orders eviction
}

// discard removes the corrupt entry at p, whatever it is; a symbolic link
// is removed, not what it points to.
func (c *Cache) discard(p string) {
	var size int64
	if fi, err := os.Lstat(p); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	if os.RemoveAll(p) == nil && size > 0 {
		c.total.Add(-size)
	}
}

// writeFile writes b to a temporary file in the cache's filesystem and
// renames it to p, replacing what p was, so that readers see either the
// old entry, no entry or the whole of b. The file is not synced: after a
// crash an entry may be short, which reads detect as corrupt.
func (c *Cache) writeFile(p string, b []byte) (err error) {
	f, err := os.CreateTemp(filepath.Join(c.dir, filepath.FromSlash(tmpDir)), "entry-*")
	if err != nil {
		return fmt.Errorf("cache: writing %s: %w", p, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("cache: writing %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("cache: writing %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, p); err != nil {
		// Something other than a file is in the way (a directory): remove
		// it and try once more.
		if fi, lerr := os.Lstat(p); lerr == nil && !fi.Mode().IsRegular() {
			if rerr := os.RemoveAll(p); rerr != nil {
				return fmt.Errorf("cache: removing %s: %w", p, rerr)
			}
			err = os.Rename(tmp, p)
		}
		if err != nil {
			return fmt.Errorf("cache: renaming %s to %s: %w", tmp, p, err)
		}
	}
	return nil
}

// writeIfMissing writes the file name of the directory with content s
// unless something is there already.
func (c *Cache) writeIfMissing(name, s string) error {
	p := filepath.Join(c.dir, name)
	if _, err := os.Lstat(p); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cache: reading %s: %w", p, err)
	}
	return c.writeFile(p, []byte(s))
}
