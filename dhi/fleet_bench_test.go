package dhi_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/attest/cache"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
)

// fleetBench is a fleet of sample-shaped images (2 platforms x 15 signed
// attestations of real documents, about 11 MB each; one VEX document
// shared by all, SBOMs of their own), pushed once for the fleet benchmarks
// to the in-memory conformant registry, run in a child process so that the
// registry's 2 GB of content is not in the heap being measured.
var fleetBench struct {
	once sync.Once
	// stdin is the child's standard input, held open while this process
	// runs: the child serves until it closes.
	stdin io.WriteCloser
	host  string
	refs  []string
	key   *attest.Key
	err   error
}

const (
	fleetMax         = 200
	fleetRegistryEnv = "DHISDK_FLEET_REGISTRY_PROCESS"
)

// TestFleetRegistryProcess is the child process of the fleet benchmarks: it
// serves an in-memory registry, prints its host, and serves until its
// standard input closes. It is skipped unless the benchmark started it.
func TestFleetRegistryProcess(t *testing.T) {
	if os.Getenv(fleetRegistryEnv) != "1" {
		t.Skip("the fleet benchmarks' registry process")
	}
	reg, err := dhitest.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	fmt.Println(reg.Host)
	_, _ = io.Copy(io.Discard, os.Stdin)
}

// startRegistryProcess starts TestFleetRegistryProcess in a child process
// and returns its host; the child ends when the benchmark process does.
func startRegistryProcess() (io.WriteCloser, string, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestFleetRegistryProcess$", "-test.v=false")
	cmd.Env = append(os.Environ(), fleetRegistryEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe() // closed when this process exits
	if err != nil {
		return nil, "", err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return nil, "", fmt.Errorf("registry process: %w", err)
	}
	return stdin, strings.TrimSpace(line), nil
}

func fleetRefs(b *testing.B, n int) ([]string, *attest.Key) {
	b.Helper()
	fleetBench.once.Do(func() {
		priv, pub, err := dhitest.NewKey()
		if err != nil {
			fleetBench.err = err
			return
		}
		if fleetBench.key, fleetBench.err = attest.ParseKey(pub); fleetBench.err != nil {
			return
		}
		if fleetBench.stdin, fleetBench.host, fleetBench.err = startRegistryProcess(); fleetBench.err != nil {
			return
		}
		fleetBench.refs = pushFleet(b, fleetBench.host, fleetMax, true, priv)
	})
	if fleetBench.err != nil {
		b.Fatal(fleetBench.err)
	}
	if len(fleetBench.refs) < n {
		b.Fatal("the fleet could not be pushed (see the first failure)")
	}
	return fleetBench.refs[:n], fleetBench.key
}

// countingTransport counts the requests it sends and the response bytes
// read through it.
type countingTransport struct {
	rt       http.RoundTripper
	requests atomic.Int64
	bytes    atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.requests.Add(1)
	resp, err := c.rt.RoundTrip(r)
	if resp != nil && resp.Body != nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: &c.bytes}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// memoryPeak samples the heap until stopped and returns its peak above
// where it was at the start (after a collection), live objects and garbage
// not yet collected alike, and the process's peak resident set over the
// same time on Linux (0 elsewhere).
func memoryPeak() (stop func() (heap, rss uint64)) {
	debug.FreeOSMemory() // a collection, and memory returned to the system
	resetPeakRSS := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	base := read()
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			if v := read(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() (uint64, uint64) {
		close(done)
		wg.Wait()
		var rss uint64
		if resetPeakRSS {
			rss = peakRSS()
		}
		return max(peak.Load(), base) - base, rss
	}
}

// peakRSS returns the process's peak resident set (VmHWM), in bytes.
func peakRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// inventory opens refs as one fleet and asks each platform what an
// inventory row needs: its lifecycle, package count and exploitable
// vulnerabilities.
func inventory(b *testing.B, refs []string, opts ...dhi.Option) {
	b.Helper()
	n := 0
	for r := range dhi.OpenAll(context.Background(), refs, opts...) {
		if r.Err != nil {
			b.Fatal(r.Err)
		}
		for _, p := range r.Image.Platforms {
			_ = p.Lifecycle()
			if _, err := p.Packages(); err != nil {
				b.Fatal(err)
			}
			if _, err := p.Exploitable(); err != nil {
				b.Fatal(err)
			}
		}
		n++
	}
	if n != len(refs) {
		b.Fatalf("opened %d of %d images", n, len(refs))
	}
}

// BenchmarkFleet opens fleets of 50 and 200 sample-shaped images with
// distinct digests (a shared VEX document, SBOMs of their own) from the
// in-memory registry (in a child process) and builds an inventory row per
// platform, as examples/inventory does: without a cache, with an empty
// cache (cold), with a full cache (warm), and with a full cache whose
// time-to-live also covers tags and referrers listings (warm-ttl). It
// reports per image the time, requests and response bytes, and for the
// run the peak heap above where it started and the peak resident set:
// time should grow linearly with the number of images and memory stay
// flat.
func BenchmarkFleet(b *testing.B) {
	for _, n := range []int{50, 200} {
		for _, mode := range []string{"no-cache", "cold", "warm", "warm-ttl"} {
			b.Run(fmt.Sprintf("images=%d/%s", n, mode), func(b *testing.B) {
				refs, key := fleetRefs(b, n)
				ct := &countingTransport{rt: http.DefaultTransport.(*http.Transport).Clone()}
				ropts := []attest.RegistryOption{attest.WithTransport(ct)}
				var warm *cache.Cache
				switch mode {
				case "warm", "warm-ttl":
					// A bound above the fleet's content (200 x 11 MB): an LRU
					// cache smaller than what one pass reads evicts each entry
					// before it is read again.
					copts := []cache.Option{cache.WithMaxBytes(4 << 30)}
					if mode == "warm-ttl" {
						copts = append(copts, cache.WithTTL(time.Hour))
					}
					c, err := cache.Open(b.TempDir(), copts...)
					if err != nil {
						b.Fatal(err)
					}
					inventory(b, refs, dhi.WithKeys(key), dhi.WithRegistry(append(ropts, attest.WithCache(c))...))
					warm = c
				}
				ct.requests.Store(0)
				ct.bytes.Store(0)
				var peakHeap, peakRSS uint64
				for b.Loop() {
					b.StopTimer()
					opts := slices.Clone(ropts)
					switch mode {
					case "cold":
						c, err := cache.Open(b.TempDir(), cache.WithMaxBytes(4<<30))
						if err != nil {
							b.Fatal(err)
						}
						opts = append(opts, attest.WithCache(c))
					case "warm", "warm-ttl":
						opts = append(opts, attest.WithCache(warm))
					}
					stop := memoryPeak()
					b.StartTimer()
					inventory(b, refs, dhi.WithKeys(key), dhi.WithRegistry(opts...))
					b.StopTimer()
					heap, rss := stop()
					peakHeap, peakRSS = max(peakHeap, heap), max(peakRSS, rss)
					b.StartTimer()
				}
				images := float64(b.N * n)
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/images, "ns/image")
				b.ReportMetric(float64(ct.requests.Load())/images, "requests/image")
				b.ReportMetric(float64(ct.bytes.Load())/images/(1<<20), "MB/image")
				b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MB")
				if peakRSS > 0 {
					b.ReportMetric(float64(peakRSS)/(1<<20), "peak-RSS-MB")
				}
			})
		}
	}
}
