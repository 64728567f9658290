package dhi_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"runtime/metrics"
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
// shared by all, SBOMs of their own), pushed once to an in-process
// registry for the fleet benchmarks.
var fleetBench struct {
	once sync.Once
	reg  *dhitest.Registry
	refs []string
	key  *attest.Key
	err  error
}

const fleetMax = 200

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
		if fleetBench.reg, fleetBench.err = dhitest.NewRegistry(); fleetBench.err != nil {
			return
		}
		fleetBench.refs = pushFleet(b, fleetBench.reg.Host, fleetMax, true, priv)
	})
	if fleetBench.err != nil {
		b.Fatal(fleetBench.err)
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

// heapPeak samples the live heap until stopped and returns its peak above
// the live heap at the start (after a collection): the memory the work
// itself held, without the registry's content, which was allocated before.
func heapPeak() (stop func() uint64) {
	runtime.GC()
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
	return func() uint64 {
		close(done)
		wg.Wait()
		if p := peak.Load(); p > base {
			return p - base
		}
		return 0
	}
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
// in-process registry and builds an inventory row per platform, as
// examples/inventory does: without a cache, with an empty cache (cold),
// with a full cache (warm), and with a full cache whose time-to-live also
// covers tags and referrers listings (warm-ttl). It reports per image the
// time, requests and response bytes, and the peak live heap of the run
// above where it started (the registry's content excluded): time should
// grow linearly with the number of images and the peak stay flat.
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
					var copts []cache.Option
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
				var peak uint64
				for b.Loop() {
					b.StopTimer()
					opts := ropts
					switch mode {
					case "cold":
						c, err := cache.Open(b.TempDir())
						if err != nil {
							b.Fatal(err)
						}
						opts = append(opts, attest.WithCache(c))
					case "warm", "warm-ttl":
						opts = append(opts, attest.WithCache(warm))
					}
					stop := heapPeak()
					b.StartTimer()
					inventory(b, refs, dhi.WithKeys(key), dhi.WithRegistry(opts...))
					b.StopTimer()
					peak = max(peak, stop())
					b.StartTimer()
				}
				images := float64(b.N * n)
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/images, "ns/image")
				b.ReportMetric(float64(ct.requests.Load())/images, "requests/image")
				b.ReportMetric(float64(ct.bytes.Load())/images/(1<<20), "MB/image")
				b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
			})
		}
	}
}
