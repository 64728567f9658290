package cache

import (
	"bytes"
	"testing"
	"time"
)

// FuzzDecodeKeyed decodes arbitrary bytes as a keyed entry: it must not
// panic, and what it accepts must encode back to an entry that decodes the
// same.
func FuzzDecodeKeyed(f *testing.F) {
	stored := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	f.Add(encodeKeyed("manifest\x00https://dhi.io/python\x003.13", stored, []byte("found application/vnd.oci.image.index.v1+json\n{}")))
	f.Add(encodeKeyed("", stored, nil))
	f.Add(encodeKeyed("k\n\"", stored, []byte("\n\n\n")))
	f.Add([]byte(keyedMagic + "\nkey \"k\"\ntime x\ndigest sha256:00\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := decodeKeyed(b)
		if err != nil {
			return
		}
		again, err := decodeKeyed(encodeKeyed(e.key, e.stored, e.value))
		if err != nil {
			t.Fatalf("re-encoded entry does not decode: %v", err)
		}
		if again.key != e.key || !again.stored.Equal(e.stored) || !bytes.Equal(again.value, e.value) {
			t.Fatalf("round trip changed the entry: %+v, then %+v", e, again)
		}
	})
}
