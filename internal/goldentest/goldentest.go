package goldentest

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Check compares got with the golden file at path (relative to the test's
// package directory). With update set it writes got to the file instead.
func Check(t *testing.T, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the golden file: %v (run go test with -update to write it)", err)
	}
	if bytes.Equal(want, got) {
		return
	}
	if d := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n")); d != "" {
		t.Errorf("output differs from %s (-want +got); run go test with -update if the change is intended:\n%s", path, d)
	}
}

// hex64 matches a 64-digit lowercase hex value, such as a sha256 digest or
// a key ID.
var hex64 = regexp.MustCompile(`[0-9a-f]{64}`)

// Masker replaces what varies from run to run in test output: literal
// strings (a registry's host and port, a key made for the run) and the
// 64-digit hex values that are not known to be stable, which become
// <hex-1>, <hex-2>, ... in order of first appearance.
type Masker struct {
	// Replace holds pairs of a literal and its stand-in, as for
	// strings.NewReplacer; literals are replaced first.
	Replace []string
	// Stable lists the hex values to keep, such as digests written in the
	// test's input documents.
	Stable map[string]bool
}

// StableHex returns the 64-digit hex values found in docs.
func StableHex(docs ...[]byte) map[string]bool {
	out := map[string]bool{}
	for _, d := range docs {
		for _, h := range hex64.FindAll(d, -1) {
			out[string(h)] = true
		}
	}
	return out
}

// Mask returns b with the varying parts replaced.
func (m Masker) Mask(b []byte) []byte {
	s := string(b)
	if len(m.Replace) > 0 {
		s = strings.NewReplacer(m.Replace...).Replace(s)
	}
	seen := map[string]string{}
	s = hex64.ReplaceAllStringFunc(s, func(h string) string {
		if m.Stable[h] {
			return h
		}
		if r, ok := seen[h]; ok {
			return r
		}
		r := "<hex-" + strconv.Itoa(len(seen)+1) + ">"
		seen[h] = r
		return r
	})
	return []byte(s)
}
