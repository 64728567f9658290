package cache

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// entry is one file of the cache, as a scan found it.
type entry struct {
	path  string
	size  int64
	mtime time.Time
}

// scan lists the entries of the directory (blobs and keyed entries) and
// their total size, and removes temporary files older than staleTemp.
// Anything in the entry directories that is not a regular file is left for
// reads to find corrupt.
func (c *Cache) scan() ([]entry, int64, error) {
	var entries []entry
	var total int64
	for _, sub := range []string{blobsDir + "/sha256", blobsDir + "/sha512", keyedDir} {
		d := filepath.Join(c.dir, filepath.FromSlash(sub))
		des, err := os.ReadDir(d)
		if err != nil {
			return nil, 0, fmt.Errorf("cache: reading %s: %w", d, err)
		}
		for _, de := range des {
			fi, err := de.Info()
			if err != nil || !fi.Mode().IsRegular() {
				continue // vanished, or not an entry
			}
			entries = append(entries, entry{path: filepath.Join(d, de.Name()), size: fi.Size(), mtime: fi.ModTime()})
			total += fi.Size()
		}
	}
	d := filepath.Join(c.dir, filepath.FromSlash(tmpDir))
	des, err := os.ReadDir(d)
	if err != nil {
		return nil, 0, fmt.Errorf("cache: reading %s: %w", d, err)
	}
	for _, de := range des {
		if fi, err := de.Info(); err == nil && time.Since(fi.ModTime()) > staleTemp {
			os.RemoveAll(filepath.Join(d, de.Name())) // best effort: a leftover
		}
	}
	return entries, total, nil
}

// evict rescans the directory, so that entries other processes wrote
// count, and removes the least recently used entries while the total is
// over the bound. One goroutine evicts at a time; others skip.
func (c *Cache) evict() {
	if !c.evicting.TryLock() {
		return
	}
	defer c.evicting.Unlock()
	entries, total, err := c.scan()
	if err != nil {
		return // the next Put tries again
	}
	c.evictFrom(entries, total)
}

// evictFrom removes the oldest of entries until total is at most nine
// tenths of the bound, so that eviction does not run on every Put of a full
// cache.
func (c *Cache) evictFrom(entries []entry, total int64) {
	if total > c.o.maxBytes {
		slices.SortFunc(entries, func(a, b entry) int { return cmp.Compare(a.mtime.UnixNano(), b.mtime.UnixNano()) })
		target := c.o.maxBytes - c.o.maxBytes/10
		for _, e := range entries {
			if total <= target {
				break
			}
			err := os.Remove(e.path)
			if err == nil {
				c.evicted.Add(1)
			}
			if err == nil || os.IsNotExist(err) {
				total -= e.size
			}
		}
	}
	c.total.Store(total)
}
