package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// keyedMagic is the first line of a keyed entry's file.
const keyedMagic = "dhisdk-cache-keyed/1"

// PutKeyed stores value as the answer for key, dated by the cache's clock.
// It stores nothing when the cache has no time-to-live ([WithTTL]). Keys
// are free-form; the caller makes them name everything the answer depends
// on.
func (c *Cache) PutKeyed(key string, value []byte) error {
	if c.o.ttl <= 0 {
		return nil
	}
	return c.store(c.keyedPath(key), encodeKeyed(key, c.o.now(), value))
}

// GetKeyed returns the answer stored for key, or false when there is none
// of at most maxSize bytes, it is older than the time-to-live (or dated
// in the future), or the cache has no time-to-live. An entry whose value
// does not match the digest stored with it, that names another key or
// cannot be decoded is deleted and reported as a miss.
func (c *Cache) GetKeyed(key string, maxSize int64) ([]byte, bool) {
	if c.o.ttl <= 0 {
		return nil, false
	}
	p := c.keyedPath(key)
	if maxSize < 0 {
		c.misses.Add(1)
		return nil, false
	}
	fileMax := maxSize
	if o := keyedOverhead(key); fileMax <= math.MaxInt64-o {
		fileMax += o
	}
	b, mtime, state := readEntry(p, fileMax)
	var value []byte
	if state == entryOK {
		e, err := decodeKeyed(b)
		switch {
		case err != nil || e.key != key:
			state = entryCorrupt
		case int64(len(e.value)) > maxSize:
			state = entryTooLarge
		default:
			if age := c.o.now().Sub(e.stored); age < 0 || age > c.o.ttl {
				state = entryAbsent // expired: the next PutKeyed replaces it
			}
			value = e.value
		}
	}
	return c.answer(p, value, mtime, state)
}

// keyedPath returns the path of key's entry: named by the key's sha256,
// so that any key makes a safe file name.
func (c *Cache) keyedPath(key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(c.dir, filepath.FromSlash(keyedDir), hex.EncodeToString(sum[:]))
}

// keyed is a decoded keyed entry.
type keyed struct {
	key    string
	stored time.Time
	value  []byte
}

// keyedOverhead bounds the bytes an entry for key holds beyond its value.
func keyedOverhead(key string) int64 {
	return int64(len(strconv.Quote(key))) + 256
}

// encodeKeyed returns the file content of a keyed entry: four lines (the
// magic, the quoted key, the time stored and the value's sha256), then the
// value.
func encodeKeyed(key string, stored time.Time, value []byte) []byte {
	sum := sha256.Sum256(value)
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\nkey %s\ntime %s\ndigest sha256:%s\n", keyedMagic, strconv.Quote(key),
		stored.UTC().Format(time.RFC3339Nano), hex.EncodeToString(sum[:]))
	b.Write(value)
	return b.Bytes()
}

// errKeyed reports a keyed entry that cannot be decoded.
var errKeyed = errors.New("cache: malformed keyed entry")

// decodeKeyed decodes the content of a keyed entry, checking its value
// against the digest it holds.
func decodeKeyed(b []byte) (keyed, error) {
	var lines [4]string
	rest := b
	for i := range lines {
		n := bytes.IndexByte(rest, '\n')
		if n < 0 {
			return keyed{}, fmt.Errorf("%w: %d header lines, want 4", errKeyed, i)
		}
		lines[i], rest = string(rest[:n]), rest[n+1:]
	}
	if lines[0] != keyedMagic {
		return keyed{}, fmt.Errorf("%w: first line %q", errKeyed, lines[0])
	}
	qkey, ok1 := strings.CutPrefix(lines[1], "key ")
	ts, ok2 := strings.CutPrefix(lines[2], "time ")
	ds, ok3 := strings.CutPrefix(lines[3], "digest ")
	if !ok1 || !ok2 || !ok3 {
		return keyed{}, fmt.Errorf("%w: header lines out of order", errKeyed)
	}
	key, err := strconv.Unquote(qkey)
	if err != nil || !strings.HasPrefix(qkey, `"`) {
		return keyed{}, fmt.Errorf("%w: key %s", errKeyed, qkey)
	}
	stored, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return keyed{}, fmt.Errorf("%w: time: %v", errKeyed, err)
	}
	d, err := v1.NewHash(ds)
	if err != nil || d.Algorithm != "sha256" || !validDigest(d) {
		return keyed{}, fmt.Errorf("%w: digest %q", errKeyed, ds)
	}
	if err := checkHash(rest, d); err != nil {
		return keyed{}, fmt.Errorf("%w: %v", errKeyed, err)
	}
	return keyed{key: key, stored: stored, value: rest}, nil
}
