package benchmark

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
)

// env is what the tests and benchmarks share: the built programs and the
// served sample, made once.
type env struct {
	floor, inspect string // binaries
	keyFile        string
	sample         *dhitest.Sample
	// cacheDir and ttlCacheDir are caches (-cache) filled by one run of
	// inspect, without and with a time-to-live for tags and listings.
	cacheDir, ttlCacheDir string
}

var (
	setupOnce sync.Once
	shared    *env
	setupErr  error
	tmpDir    string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		_ = shared.sample.Close()
	}
	if tmpDir != "" {
		_ = os.RemoveAll(tmpDir)
	}
	os.Exit(code)
}

// setup builds floor and examples/inspect and serves the sample image.
func setup(tb testing.TB) *env {
	tb.Helper()
	setupOnce.Do(func() { shared, setupErr = build() })
	if setupErr != nil {
		tb.Fatal(setupErr)
	}
	return shared
}

func build() (*env, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("no go command: %w", err)
	}
	if tmpDir, err = os.MkdirTemp("", "dhisdk-benchmark-"); err != nil {
		return nil, err
	}
	e := &env{
		floor:   filepath.Join(tmpDir, "floor"),
		inspect: filepath.Join(tmpDir, "inspect"),
		keyFile: filepath.Join(tmpDir, "key.pem"),
	}
	for bin, pkg := range map[string]string{e.floor: "./floor", e.inspect: "../../examples/inspect"} {
		out, err := exec.Command(goTool, "build", "-o", bin, pkg).CombinedOutput()
		if err != nil {
			return nil, fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
		}
	}
	if e.sample, err = dhitest.ServeSample(context.Background()); err != nil {
		return nil, err
	}
	if err := os.WriteFile(e.keyFile, e.sample.PublicKeyPEM, 0o600); err != nil {
		return nil, err
	}
	e.cacheDir, e.ttlCacheDir = filepath.Join(tmpDir, "cache"), filepath.Join(tmpDir, "cache-ttl")
	for _, p := range programs()[3:] {
		if _, err := runProgram(p.args(e), io.Discard); err != nil {
			return nil, fmt.Errorf("filling the cache: %w", err)
		}
	}
	return e, nil
}

// program is one way of opening the sample image.
type program struct {
	name string
	args func(e *env) []string // binary first
}

func programs() []program {
	return []program{
		{"floor", func(e *env) []string { return []string{e.floor, "-key", e.keyFile, "-plain-http", e.sample.Ref} }},
		{"inspect", func(e *env) []string { return []string{e.inspect, "-key", e.keyFile, "-plain-http", e.sample.Ref} }},
		{"inspect-json", func(e *env) []string {
			return []string{e.inspect, "-key", e.keyFile, "-plain-http", "-json", e.sample.Ref}
		}},
		// With a warm cache: only the tag and the referrers listings are
		// asked of the registry; with a time-to-live, nothing is.
		{"inspect-cache", func(e *env) []string {
			return []string{e.inspect, "-key", e.keyFile, "-plain-http", "-cache", e.cacheDir, e.sample.Ref}
		}},
		{"inspect-cache-ttl", func(e *env) []string {
			return []string{e.inspect, "-key", e.keyFile, "-plain-http", "-cache", e.ttlCacheDir, "-cache-ttl", "1h", e.sample.Ref}
		}},
	}
}

// runProgram runs args once with stdout to w and returns the CPU time
// (user and system) it used. (Its peak memory is not reported: on Linux
// the child's maximum resident set counts the memory of this process,
// which the child shares until it execs; measure it with /usr/bin/time.)
func runProgram(args []string, w io.Writer) (time.Duration, error) {
	var stderr bytes.Buffer
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = w, &stderr
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("%s: %v\n%s", filepath.Base(args[0]), err, stderr.Bytes())
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
}

// BenchmarkProcess runs each program once per iteration, as a separate
// process, against the sample image served by this process on loopback.
// Beside the wall time per run, it reports the program's CPU time (user
// and system).
func BenchmarkProcess(b *testing.B) {
	e := setup(b)
	for _, p := range programs() {
		b.Run(p.name, func(b *testing.B) {
			args := p.args(e)
			var cpu time.Duration
			for b.Loop() {
				c, err := runProgram(args, io.Discard)
				if err != nil {
					b.Fatal(err)
				}
				cpu += c
			}
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}

// TestFloorDoesTheSDKsWork checks that the floor program finds and
// verifies as many attestations as dhi.Open does on the sample, so that
// the two are compared on the same work, and that inspect runs.
func TestFloorDoesTheSDKsWork(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two programs and serves an 11 MB image")
	}
	e := setup(t)
	img, err := dhi.Open(t.Context(), e.sample.Ref, dhi.WithKeys(e.sample.Key), dhi.WithRegistry(attest.WithPlainHTTP()))
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	want := 0
	seen := map[*dhi.Attestation]bool{}
	for _, p := range img.Platforms {
		for _, a := range p.Attestations {
			if a.Verified && !seen[a] {
				seen[a] = true
				want++
			}
		}
	}
	if want != len(e.sample.Image.Attestations) {
		t.Errorf("dhi.Open verified %d attestations, the sample has %d", want, len(e.sample.Image.Attestations))
	}
	var out bytes.Buffer
	if _, err := runProgram(programs()[0].args(e), &out); err != nil {
		t.Fatal(err)
	}
	got, err := strconv.Atoi(strings.TrimSpace(out.String()))
	if err != nil {
		t.Fatalf("floor printed %q", out.String())
	}
	if got != want {
		t.Errorf("floor verified %d attestations, dhi.Open %d", got, want)
	}
	for _, p := range programs()[1:] {
		if _, err := runProgram(p.args(e), io.Discard); err != nil {
			t.Errorf("%s: %v", p.name, err)
		}
	}
}
