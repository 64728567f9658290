package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/dhisdk/dhisdk/dhi/dhitest"
)

func TestExitCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"pass", nil, ExitPass},
		{"help", flag.ErrHelp, ExitPass},
		{"policy", fmt.Errorf("%w: 1 of 2 checks failed", ErrPolicy), ExitFail},
		{"could not check", errors.New("not found"), ExitError},
	}
	for _, tc := range tests {
		if got := ExitCode(tc.err); got != tc.want {
			t.Errorf("%s: ExitCode(%v) = %d, want %d", tc.name, tc.err, got, tc.want)
		}
	}
}

func TestFlags(t *testing.T) {
	t.Parallel()
	_, pub, err := dhitest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(t.TempDir(), "k.pub")
	if err := os.WriteFile(key, pub, 0o600); err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	im := Register(fs)
	if err := fs.Parse([]string{"-platform", "linux/arm64", "-key", key, "-add-key", key, "-json", "-plain-http"}); err != nil {
		t.Fatal(err)
	}
	opts, replaced, err := im.Base()
	if err != nil || !replaced || len(opts) != 4 || !im.JSON {
		t.Errorf("Base() = %d options, replaced %v, %v; JSON %v", len(opts), replaced, err, im.JSON)
	}
	cacheFile := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(cacheFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]string{{"-platform", "linux/"}, {"-key", "none.pub"}, {"-add-key", "none.pub"},
		{"-cache", t.TempDir(), "-layout", "dir"}, {"-cache-ttl", "1h"}, {"-cache", t.TempDir(), "-cache-ttl", "-1s"}, {"-cache", cacheFile}} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		im := Register(fs)
		if err := fs.Parse(bad); err != nil {
			t.Fatal(err)
		}
		if _, _, err := im.Base(); err == nil {
			t.Errorf("Base with %q: no error", bad)
		}
	}
	fs = flag.NewFlagSet("t", flag.ContinueOnError)
	im = Register(fs, FlagLayout)
	if err := fs.Parse([]string{"-layout", t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Options(t.Context(), ""); err == nil {
		t.Error("-layout without a tag: no error")
	}
}

// A buffer and a regular file are not terminals.
func TestIsTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(&bytes.Buffer{}) || IsTerminal(f) {
		t.Error("IsTerminal is true for a buffer or a regular file")
	}
}
