package attest_test

// Hostile and failing registries: a fault-injecting proxy in front of a real
// in-process registry. Each case checks the outcome (error type, the digest
// named, the partial result, nothing wrongly read) and the resources spent,
// measured here: time, peak heap growth, requests, peak goroutines, and
// goroutines left once the source is closed. Run with -v to print the
// table of costs:
//
//	go test ./attest/ -run 'TestHostileRegistry' -v | grep '^ *FAULT'

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	ggcrauthn "github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/internal/faultproxy"
	"github.com/dhisdk/dhisdk/internal/registrytest"
)

// cost is what one discovery spent.
type cost struct {
	elapsed        time.Duration
	peakHeap       uint64 // growth of the heap over its level before
	requests       int64
	peakGoroutines int // growth of the goroutine count over its level before
}

func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// measure runs f, sampling the heap and the goroutine count, then checks
// that every goroutine started since has ended.
func measure(t *testing.T, p *faultproxy.Proxy, f func(), others ...*faultproxy.Proxy) cost {
	t.Helper()
	runtime.GC()
	goroutines := runtime.NumGoroutine()
	base := heapBytes()
	var peakHeap atomic.Uint64
	var peakG atomic.Int64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(500 * time.Microsecond)
		defer tick.Stop()
		for {
			if h := heapBytes(); h > peakHeap.Load() {
				peakHeap.Store(h)
			}
			if g := int64(runtime.NumGoroutine()); g > peakG.Load() {
				peakG.Store(g)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	p.ResetRequests()
	start := time.Now()
	f()
	c := cost{elapsed: time.Since(start), requests: p.Requests()}
	close(stop)
	<-done
	p.CloseIdleConnections()
	for _, o := range others {
		o.CloseIdleConnections()
	}
	if h := peakHeap.Load(); h > base {
		c.peakHeap = h - base
	}
	c.peakGoroutines = int(peakG.Load()) - goroutines - 1 // the sampler
	waitGoroutines(t, goroutines)
	return c
}

// waitGoroutines fails the test unless the goroutine count falls back to n
// within a few seconds.
func waitGoroutines(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := runtime.NumGoroutine(); got > n {
		buf := make([]byte, 8<<10)
		buf = buf[:runtime.Stack(buf, true)]
		t.Errorf("%d goroutines left running after the source was closed:\n%s", got-n, buf)
	}
}

// faultEnv is an image with signed attestations in a real registry, read
// through a fault-injecting proxy.
type faultEnv struct {
	others []*faultproxy.Proxy // more proxies the tests use
	reg    *registrytest.Server
	proxy  *faultproxy.Proxy
	img    *dhitest.Image
	repo   string // the repository through the proxy
	ref    string // the image's reference through the proxy
}

func newFaultEnv(t *testing.T) *faultEnv {
	t.Helper()
	return newFaultEnvSpec(t, dhitest.Spec{Docs: smallDocs(t), Signer: newKey(t)})
}

func newFaultEnvSpec(t *testing.T, spec dhitest.Spec) *faultEnv {
	t.Helper()
	reg := registrytest.New(t)
	img := push(t, reg.Host+"/dhi/faults:1", "", spec)
	p := faultproxy.New(t, reg.Host)
	return &faultEnv{reg: reg, proxy: p, img: img, repo: p.Host + "/dhi/faults", ref: p.Host + "/dhi/faults:1"}
}

// layer returns the layer digest of the first attestation of predicate
// type pt on the first platform.
func (e *faultEnv) layer(pt string) v1.Hash {
	for _, a := range e.img.Attestations {
		if a.PredicateType == pt && a.Target.Digest == e.img.Platforms[0].Digest {
			return a.Layer.Digest
		}
	}
	panic("no attestation of type " + pt)
}

// fastRetries keeps retries short in tests.
var fastRetries = attest.WithRetries(4, 5*time.Millisecond, 50*time.Millisecond)

// discover runs Discover through the proxy with a source of its own, closed
// afterwards, and measures it.
func (e *faultEnv) discover(t *testing.T, timeout time.Duration, ropts []attest.RegistryOption, opts ...attest.Option) (*attest.Discovery, cost, error) {
	t.Helper()
	var d *attest.Discovery
	var err error
	c := measure(t, e.proxy, func() {
		src, serr := attest.Registry(append([]attest.RegistryOption{fastRetries}, ropts...)...)
		if serr != nil {
			t.Fatal(serr)
		}
		defer src.Close()
		ctx := context.Background()
		if timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		d, err = attest.Discover(ctx, src, e.ref, opts...)
	}, e.others...)
	return d, c, err
}

// readOK counts the attestations read and decoded without error.
func readOK(d *attest.Discovery) int {
	if d == nil {
		return 0
	}
	n := 0
	for _, a := range d.Attestations {
		if a.Err == nil && a.Content != nil {
			n++
		}
	}
	return n
}

// failedOn returns the attestation whose layer is l; it must carry an error
// and no content.
func failedOn(t *testing.T, d *attest.Discovery, l v1.Hash) *attest.Attestation {
	t.Helper()
	for _, a := range d.Attestations {
		if a.Layer.Digest == l {
			if a.Err == nil || a.Content != nil {
				t.Errorf("attestation with layer %s: err %v, content %v; want an error and no content", l, a.Err, a.Content != nil)
			}
			return a
		}
	}
	t.Fatalf("no attestation with layer %s", l)
	return nil
}

// wantFetchError checks that err holds a *FetchError about ref (a digest)
// that wraps target.
func wantFetchError(t *testing.T, err error, ref string, target error) {
	t.Helper()
	var fe *attest.FetchError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v: want a *FetchError", err)
	}
	if !strings.Contains(err.Error(), ref) {
		t.Errorf("error %v: want it to name %s", err, ref)
	}
	if target != nil && !errors.Is(err, target) {
		t.Errorf("error %v: want it to wrap %v", err, target)
	}
}

func logCost(t *testing.T, name string, c cost) {
	t.Helper()
	t.Logf("FAULT | %-52s | %8s | %7.2f MiB | %6d requests | %4d goroutines", name, c.elapsed.Round(time.Millisecond), float64(c.peakHeap)/(1<<20), c.requests, c.peakGoroutines)
}

// Limits applied to every case: the heap may not grow by more than
// heapBound, nor the goroutines by more than goroutineBound (the
// concurrency setting, and per request in flight the two goroutines of a
// client connection plus those the proxy and the registry serve it with).
const (
	heapBound      = 24 << 20
	goroutineBound = 10*attest.DefaultConcurrency + 32
)

func TestHostileRegistry(t *testing.T) {
	e := newFaultEnv(t)
	total := len(e.img.Attestations)
	cdx, vex := e.layer(ptCycloneDX), e.layer(ptOpenVEX)
	platform := e.img.Platforms[0].Digest
	// stallWait is the deadline, or request timeout, that ends a stalled or
	// dripping read: long enough for every other read to finish on a loaded
	// machine (the race detector, every package's tests at once).
	const stallWait = 3 * time.Second
	short := []attest.RegistryOption{attest.WithRequestTimeout(stallWait)}

	type tcase struct {
		name    string
		inject  func(p *faultproxy.Proxy)
		timeout time.Duration
		ropts   []attest.RegistryOption
		opts    []attest.Option
		check   func(t *testing.T, d *attest.Discovery, err error, c cost)
	}
	allRead := func(t *testing.T, d *attest.Discovery, err error, c cost) {
		t.Helper()
		if err != nil || readOK(d) != total {
			t.Errorf("Discover() read %d of %d attestations, error %v; want all, no error", readOK(d), total, err)
		}
	}
	cases := []tcase{{name: "no fault", check: allRead}}

	for _, class := range faultproxy.Classes() {
		cases = append(cases,
			tcase{name: fmt.Sprintf("503 once on %s", class), inject: func(p *faultproxy.Proxy) {
				p.InjectN(1, faultproxy.On(class), faultproxy.Status(http.StatusServiceUnavailable, ""))
			}, check: allRead},
			tcase{name: fmt.Sprintf("429 once on %s", class), inject: func(p *faultproxy.Proxy) {
				p.InjectN(1, faultproxy.On(class), faultproxy.Status(http.StatusTooManyRequests, ""))
			}, check: allRead},
			tcase{name: fmt.Sprintf("504 once on %s, Retry-After 1 capped at 50ms", class), inject: func(p *faultproxy.Proxy) {
				p.InjectN(1, faultproxy.On(class), faultproxy.Status(http.StatusGatewayTimeout, "1"))
			}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
				allRead(t, d, err, c)
				if c.elapsed < 50*time.Millisecond {
					t.Errorf("Discover() took %v; want the capped Retry-After wait of 50ms", c.elapsed)
				}
			}},
			tcase{name: fmt.Sprintf("429 once on %s, Retry-After 1 capped at 50ms", class), inject: func(p *faultproxy.Proxy) {
				p.InjectN(1, faultproxy.On(class), faultproxy.Status(http.StatusTooManyRequests, "1"))
			}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
				allRead(t, d, err, c)
				if c.elapsed < 50*time.Millisecond {
					t.Errorf("Discover() took %v; want the capped Retry-After wait of 50ms", c.elapsed)
				}
			}},
			tcase{name: fmt.Sprintf("502 always on %s", class), inject: func(p *faultproxy.Proxy) {
				p.Inject(faultproxy.On(class), faultproxy.Status(http.StatusBadGateway, ""))
			}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
				switch class {
				case faultproxy.ClassTags:
					// Tags are then probed one by one.
					allRead(t, d, err, c)
					return
				case faultproxy.ClassPing, faultproxy.ClassManifest:
					if d != nil || err == nil {
						t.Fatalf("Discover() = %v, %v; want no discovery and an error", d, err)
					}
				case faultproxy.ClassBlob:
					wantFetchError(t, err, cdx.String(), nil)
					if readOK(d) != 0 {
						t.Errorf("Discover() read %d attestations; want none", readOK(d))
					}
				case faultproxy.ClassReferrers:
					wantFetchError(t, err, platform.String(), nil)
					if !lookupSays(d, platform, attest.MechanismReferrersAPI, attest.OutcomeFailed) || !lookupSays(d, platform, attest.MechanismReferrersTag, attest.OutcomeNone) {
						t.Errorf("Discover() lookups = %+v; want the API failed and the tag tried", d.Lookups)
					}
				}
				if class != faultproxy.ClassPing && !strings.Contains(err.Error(), "after 4 attempts") {
					t.Errorf("Discover() error = %v; want it to say it made 4 attempts", err)
				}
			}},
		)
	}

	cases = append(cases, []tcase{
		{name: "429 once on blob, Retry-After 1 honoured", ropts: []attest.RegistryOption{attest.WithRetries(2, time.Millisecond, 2*time.Second)},
			inject: func(p *faultproxy.Proxy) {
				p.InjectN(1, faultproxy.OnPath(faultproxy.ClassBlob, vex.Hex), faultproxy.Status(http.StatusTooManyRequests, "1"))
			}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
				allRead(t, d, err, c)
				if c.elapsed < time.Second {
					t.Errorf("Discover() took %v; want the Retry-After wait of 1s", c.elapsed)
				}
			}},
		{name: "truncated blob body, once", inject: func(p *faultproxy.Proxy) {
			p.InjectN(1, faultproxy.OnPath(faultproxy.ClassBlob, cdx.Hex), faultproxy.Truncate(1000))
		}, check: allRead},
		{name: "truncated blob body, always", inject: func(p *faultproxy.Proxy) {
			p.Inject(faultproxy.OnPath(faultproxy.ClassBlob, cdx.Hex), faultproxy.Truncate(1000))
		}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
			wantFetchError(t, err, cdx.String(), nil)
			failedOn(t, d, cdx)
			if readOK(d) != total-1 {
				t.Errorf("Discover() read %d attestations; want all but one", readOK(d))
			}
		}},
		{name: "truncated manifest body, once", inject: func(p *faultproxy.Proxy) {
			p.InjectN(1, faultproxy.OnPath(faultproxy.ClassManifest, e.img.Attestations[0].Manifest.Digest.Hex), faultproxy.Truncate(100))
		}, check: allRead},
		{name: "connection reset once on blob", inject: func(p *faultproxy.Proxy) {
			p.InjectN(1, faultproxy.OnPath(faultproxy.ClassBlob, cdx.Hex), faultproxy.Reset())
		}, check: allRead},
		{name: "connection reset always on blob", inject: func(p *faultproxy.Proxy) {
			p.Inject(faultproxy.OnPath(faultproxy.ClassBlob, cdx.Hex), faultproxy.Reset())
		}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
			wantFetchError(t, err, cdx.String(), nil)
			failedOn(t, d, cdx)
			if !strings.Contains(err.Error(), "after 4 attempts") {
				t.Errorf("Discover() error = %v; want it to say it made 4 attempts", err)
			}
		}},
		{name: "digest lie: blob altered", inject: func(p *faultproxy.Proxy) {
			p.Inject(faultproxy.OnPath(faultproxy.ClassBlob, vex.Hex), faultproxy.Rewrite(func(_ http.Header, b []byte) []byte {
				b = append([]byte(nil), b...)
				b[len(b)/2] ^= 1
				return b
			}))
		}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
			wantFetchError(t, err, vex.String(), attest.ErrDigestMismatch)
			failedOn(t, d, vex)
		}},
		{name: "size lie: blob one byte longer", inject: func(p *faultproxy.Proxy) {
			p.Inject(faultproxy.OnPath(faultproxy.ClassBlob, vex.Hex), faultproxy.Rewrite(func(_ http.Header, b []byte) []byte { return append(b, ' ') }))
		}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
			wantFetchError(t, err, vex.String(), attest.ErrDigestMismatch)
			failedOn(t, d, vex)
		}},
		{name: "size lie: blob one byte shorter", inject: func(p *faultproxy.Proxy) {
			p.Inject(faultproxy.OnPath(faultproxy.ClassBlob, vex.Hex), faultproxy.Rewrite(func(_ http.Header, b []byte) []byte { return b[:len(b)-1] }))
		}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
			wantFetchError(t, err, vex.String(), attest.ErrDigestMismatch)
			failedOn(t, d, vex)
		}},
		{name: "oversize body: 64 MiB for every blob", inject: func(p *faultproxy.Proxy) {
			p.Inject(faultproxy.On(faultproxy.ClassBlob), faultproxy.Oversize(64<<20))
		}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
			wantFetchError(t, err, cdx.String(), attest.ErrDigestMismatch)
			if readOK(d) != 0 {
				t.Errorf("Discover() read %d attestations; want none", readOK(d))
			}
		}},
		{name: "oversize body: 8 MiB for every manifest", inject: func(p *faultproxy.Proxy) {
			p.Inject(faultproxy.OnPath(faultproxy.ClassManifest, "sha256:"), faultproxy.Oversize(8<<20))
		}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
			if !errors.Is(err, attest.ErrDigestMismatch) && !errors.Is(err, attest.ErrTooLarge) {
				t.Errorf("Discover() error = %v; want ErrDigestMismatch or ErrTooLarge", err)
			}
			if readOK(d) != 0 {
				t.Errorf("Discover() read %d attestations; want none", readOK(d))
			}
		}},
		{name: "referrers: 50,000 entries over 25 pages", inject: func(p *faultproxy.Proxy) {
			p.Inject(faultproxy.OnPath(faultproxy.ClassReferrers, platform.Hex), faultproxy.ReferrersPages(25, 2000))
		}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
			var le *attest.LimitError
			if !errors.As(err, &le) || le.Kind != attest.LimitReferrers || le.Subject != platform.String() {
				t.Errorf("Discover() error = %.300v; want a *LimitError on the referrers of %s", err, platform)
			}
			if c.requests > attest.DefaultMaxReferrers+100 {
				t.Errorf("Discover() made %d requests; want at most the bound plus the image's", c.requests)
			}
		}},
		{name: "referrers: 50,000 entries, WithMaxReferrers(50)", opts: []attest.Option{attest.WithMaxReferrers(50)}, inject: func(p *faultproxy.Proxy) {
			p.Inject(faultproxy.OnPath(faultproxy.ClassReferrers, platform.Hex), faultproxy.ReferrersPages(25, 2000))
		}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
			if !errors.Is(err, attest.ErrLimit) || c.requests > 150 {
				t.Errorf("Discover() made %d requests, error %.300v; want ErrLimit within 150 requests", c.requests, err)
			}
			if readOK(d) != total-total/2 {
				t.Errorf("Discover() read %d attestations; want those of the other platform", readOK(d))
			}
		}},
		{name: "cycle: an attestation manifest refers to itself and its subject", inject: func(p *faultproxy.Proxy) {
			att := e.img.Attestations[0].Manifest
			body := fmt.Sprintf(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s,%s]}`, descJSON(att), descJSON(e.img.Platforms[0]))
			p.Inject(faultproxy.OnPath(faultproxy.ClassReferrers, att.Digest.Hex), faultproxy.Serve(http.StatusOK, "application/vnd.oci.image.index.v1+json", []byte(body)))
		}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
			allRead(t, d, err, c)
			if c.requests > 60 {
				t.Errorf("Discover() made %d requests; want the cycle not followed", c.requests)
			}
		}},
		{name: "stall on one blob, 3s deadline", timeout: stallWait, inject: func(p *faultproxy.Proxy) {
			p.Inject(faultproxy.OnPath(faultproxy.ClassBlob, cdx.Hex), faultproxy.Stall())
		}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
			wantPartial(t, d, err, cdx, context.DeadlineExceeded, total)
			if !errors.Is(err, attest.ErrIncomplete) {
				t.Errorf("Discover() error = %v; want ErrIncomplete", err)
			}
			if c.elapsed > stallWait+2*time.Second {
				t.Errorf("Discover() took %v; want it to end with its deadline", c.elapsed)
			}
		}},
		{name: "stall on one blob, no deadline, 3s request timeout", ropts: short, inject: func(p *faultproxy.Proxy) {
			p.Inject(faultproxy.OnPath(faultproxy.ClassBlob, cdx.Hex), faultproxy.Stall())
		}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
			wantPartial(t, d, err, cdx, nil, total)
			if c.elapsed > stallWait+2*time.Second {
				t.Errorf("Discover() took %v; want the request timeout to end the stall", c.elapsed)
			}
		}},
		{name: "slow drip on one blob, 3s deadline", timeout: stallWait, inject: func(p *faultproxy.Proxy) {
			p.Inject(faultproxy.OnPath(faultproxy.ClassBlob, cdx.Hex), faultproxy.Drip(64, 10*time.Millisecond))
		}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
			wantPartial(t, d, err, cdx, context.DeadlineExceeded, total)
			if c.elapsed > stallWait+2*time.Second {
				t.Errorf("Discover() took %v; want it to end with its deadline", c.elapsed)
			}
		}},
		{name: "slow drip on one blob, no deadline, 3s request timeout", ropts: short, inject: func(p *faultproxy.Proxy) {
			p.Inject(faultproxy.OnPath(faultproxy.ClassBlob, cdx.Hex), faultproxy.Drip(64, 10*time.Millisecond))
		}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
			wantPartial(t, d, err, cdx, nil, total)
			if c.elapsed > stallWait+2*time.Second {
				t.Errorf("Discover() took %v; want the request timeout to end the drip", c.elapsed)
			}
		}},
		{name: "referrers API answers 404", inject: func(p *faultproxy.Proxy) {
			p.Inject(faultproxy.On(faultproxy.ClassReferrers), faultproxy.Status(http.StatusNotFound, ""))
		}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
			if err != nil || len(d.Attestations) != 0 {
				t.Fatalf("Discover() = %d attestations, %v; want none found and no error", len(d.Attestations), err)
			}
			if !lookupSays(d, platform, attest.MechanismReferrersAPI, attest.OutcomeUnavailable) || !lookupSays(d, platform, attest.MechanismReferrersTag, attest.OutcomeNone) {
				t.Errorf("Discover() lookups = %+v; want the API unavailable and the tag fallback empty, on record", d.Lookups)
			}
		}},
		{name: "referrers API answers with a wrong content type", inject: func(p *faultproxy.Proxy) {
			p.Inject(faultproxy.On(faultproxy.ClassReferrers), faultproxy.Rewrite(func(h http.Header, b []byte) []byte {
				h.Set("Content-Type", "application/json")
				return b
			}))
		}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
			wantFetchError(t, err, platform.String(), attest.ErrInvalid)
			if !lookupSays(d, platform, attest.MechanismReferrersAPI, attest.OutcomeFailed) || !lookupSays(d, platform, attest.MechanismReferrersTag, attest.OutcomeNone) {
				t.Errorf("Discover() lookups = %+v; want the API failed and the tag fallback tried", d.Lookups)
			}
		}},
		{name: "redirect loop on one blob", inject: func(p *faultproxy.Proxy) {
			p.Inject(faultproxy.OnPath(faultproxy.ClassBlob, vex.Hex), faultproxy.Redirect(""))
		}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
			wantFetchError(t, err, vex.String(), nil)
			failedOn(t, d, vex)
			if !strings.Contains(err.Error(), "redirects") {
				t.Errorf("Discover() error = %v; want the redirect loop named", err)
			}
		}},
		{name: "attestations per subject over WithMaxAttestations(2)", opts: []attest.Option{attest.WithMaxAttestations(2)}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
			var le *attest.LimitError
			if !errors.As(err, &le) || le.Kind != attest.LimitAttestations {
				t.Errorf("Discover() error = %v; want a *LimitError on attestations", err)
			}
			if len(d.Attestations) != 2*len(e.img.Platforms) || readOK(d) != len(d.Attestations) {
				t.Errorf("Discover() kept %d attestations, read %d; want 2 per platform", len(d.Attestations), readOK(d))
			}
		}},
		{name: "signatures per attestation over WithMaxSignatures(2)", opts: []attest.Option{attest.WithMaxSignatures(2)}, inject: func(p *faultproxy.Proxy) {
			a := e.img.Attestations[0]
			sig := descJSON(a.Signature)
			body := fmt.Sprintf(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s,%s,%s,%s,%s]}`, sig, sig, sig, sig, sig)
			p.Inject(faultproxy.OnPath(faultproxy.ClassReferrers, a.Manifest.Digest.Hex), faultproxy.Serve(http.StatusOK, "application/vnd.oci.image.index.v1+json", []byte(body)))
		}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
			var le *attest.LimitError
			if !errors.As(err, &le) || le.Kind != attest.LimitSignatures || le.Subject != e.img.Attestations[0].Manifest.Digest.String() {
				t.Errorf("Discover() error = %v; want a *LimitError on the signatures of %s", err, e.img.Attestations[0].Manifest.Digest)
			}
			if readOK(d) != total {
				t.Errorf("Discover() read %d attestations; want all", readOK(d))
			}
		}},
		{name: "bytes per discovery over WithMaxBytes(200 KiB)", opts: []attest.Option{attest.WithMaxBytes(200 << 10)}, check: func(t *testing.T, d *attest.Discovery, err error, c cost) {
			var le *attest.LimitError
			if !errors.As(err, &le) || le.Kind != attest.LimitBytes {
				t.Errorf("Discover() error = %v; want a *LimitError on bytes", err)
			}
			if n := readOK(d); n == 0 || n == total {
				t.Errorf("Discover() read %d of %d attestations; want some within the budget", n, total)
			}
		}},
	}...)

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.inject != nil {
				tc.inject(e.proxy)
			}
			d, c, err := e.discover(t, tc.timeout, tc.ropts, tc.opts...)
			e.proxy.Clear()
			tc.check(t, d, err, c)
			if c.peakHeap > heapBound {
				t.Errorf("heap grew by %d MiB; want at most %d", c.peakHeap>>20, heapBound>>20)
			}
			if c.peakGoroutines > goroutineBound {
				t.Errorf("goroutines grew by %d; want at most %d", c.peakGoroutines, goroutineBound)
			}
			logCost(t, tc.name, c)
		})
	}
}

// wantPartial checks a discovery cut short on the layer l: the other
// attestations are read, l's carries the error, which wraps ctxErr.
func wantPartial(t *testing.T, d *attest.Discovery, err error, l v1.Hash, ctxErr error, total int) {
	t.Helper()
	if d == nil {
		t.Fatalf("Discover() returned no discovery (error %v); want a partial one", err)
	}
	wantFetchError(t, err, l.String(), ctxErr)
	a := failedOn(t, d, l)
	if ctxErr != nil && !errors.Is(a.Err, ctxErr) {
		t.Errorf("attestation error = %v; want it to wrap %v", a.Err, ctxErr)
	}
	if n := readOK(d); n != total-1 {
		t.Errorf("Discover() read %d attestations; want all %d others", n, total-1)
	}
}

func lookupSays(d *attest.Discovery, subject v1.Hash, m attest.Mechanism, o attest.Outcome) bool {
	if d == nil {
		return false
	}
	for _, l := range d.Lookups {
		if l.Subject == subject && l.Mechanism == m && l.Outcome == o {
			return true
		}
	}
	return false
}

func descJSON(d v1.Descriptor) string {
	return fmt.Sprintf(`{"mediaType":%q,"size":%d,"digest":%q}`, d.MediaType, d.Size, d.Digest)
}

// TestHostileRegistryLyingDeclaredSizes pushes attestation manifests whose
// layer descriptors lie about the layer's size: memory must follow what is
// sent, not what is declared, and sizes over the ceiling are not requested.
func TestHostileRegistryLyingDeclaredSizes(t *testing.T) {
	e := newFaultEnv(t)
	a := e.img.Attestations[0]
	direct := e.reg.Host + "/dhi/faults"
	for _, tc := range []struct {
		name string
		size int64
		want error
	}{
		{"layer declared as 48 MiB", 48 << 20, attest.ErrDigestMismatch},
		{"layer declared as 1 GiB", 1 << 30, attest.ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := getManifest(t, direct, a.Manifest.Digest)
			m["layers"].([]any)[0].(map[string]any)["size"] = tc.size
			m["annotations"] = map[string]any{"case": tc.name}
			lying := putManifest(t, direct, m)
			t.Cleanup(func() { deleteManifest(t, direct, lying) })
			d, c, err := e.discover(t, 0, nil)
			wantFetchError(t, err, a.Layer.Digest.String(), tc.want)
			found := false
			for _, x := range d.Attestations {
				if x.Manifest.Digest == lying {
					found = true
					if x.Err == nil || x.Content != nil {
						t.Errorf("lying attestation: err %v, content %v; want an error and no content", x.Err, x.Content != nil)
					}
				}
			}
			if !found {
				t.Errorf("lying attestation %s not listed", lying)
			}
			if c.peakHeap > heapBound {
				t.Errorf("heap grew by %d MiB; want at most %d", c.peakHeap>>20, heapBound>>20)
			}
			logCost(t, "lying declared size: "+tc.name, c)
		})
	}
}

// TestRegistryCredentials checks where credentials go: only after a 401
// challenge, never over plain HTTP unless allowed for that registry, and
// never to another host a redirect points to.
func TestRegistryCredentials(t *testing.T) {
	e := newFaultEnv(t)
	other := faultproxy.New(t, e.reg.Host) // another host serving the same content
	e.others = append(e.others, other)
	var mu sync.Mutex
	seen := map[string]int{} // host -> requests with Authorization
	record := func(p *faultproxy.Proxy) faultproxy.Fault {
		return func(w http.ResponseWriter, r *http.Request, next http.Handler) {
			if r.Header.Get("Authorization") != "" {
				mu.Lock()
				seen[p.Host]++
				mu.Unlock()
			}
			next.ServeHTTP(w, r)
		}
	}
	basic := attest.WithAuth(ggcrauthn.FromConfig(ggcrauthn.AuthConfig{Username: "u", Password: "p"}))
	vex := e.layer(ptOpenVEX)

	t.Run("no challenge, no credentials", func(t *testing.T) {
		e.proxy.Inject(func(*http.Request) bool { return true }, record(e.proxy))
		d, _, err := e.discover(t, 0, []attest.RegistryOption{basic})
		e.proxy.Clear()
		if err != nil || readOK(d) != len(e.img.Attestations) {
			t.Fatalf("Discover() = %d read, %v", readOK(d), err)
		}
		if seen[e.proxy.Host] != 0 {
			t.Errorf("credentials sent on %d requests to a registry that never asked", seen[e.proxy.Host])
		}
	})
	t.Run("challenge over plain HTTP, not allowed", func(t *testing.T) {
		e.proxy.Inject(func(*http.Request) bool { return true }, faultproxy.RequireBasicAuth())
		_, _, err := e.discover(t, 0, []attest.RegistryOption{basic})
		e.proxy.Clear()
		if !errors.Is(err, attest.ErrInsecure) || !strings.Contains(err.Error(), "WithPlainHTTPCredentialsUnsafe") {
			t.Errorf("Discover() error = %v; want ErrInsecure naming the option", err)
		}
	})
	t.Run("challenge over plain HTTP, allowed; redirect to another host", func(t *testing.T) {
		clear(seen)
		e.proxy.Inject(faultproxy.OnPath(faultproxy.ClassBlob, vex.Hex), faultproxy.Redirect(other.Host))
		e.proxy.Inject(func(*http.Request) bool { return true }, faultproxy.RequireBasicAuth())
		other.Inject(func(*http.Request) bool { return true }, record(other))
		d, _, err := e.discover(t, 0, []attest.RegistryOption{basic, attest.WithPlainHTTPCredentialsUnsafe(e.proxy.Host)})
		e.proxy.Clear()
		other.Clear()
		if err != nil || readOK(d) != len(e.img.Attestations) {
			t.Fatalf("Discover() = %d read, %v", readOK(d), err)
		}
		if seen[other.Host] != 0 {
			t.Errorf("credentials sent on %d requests to the host a redirect pointed to", seen[other.Host])
		}
	})
}

// deleteManifest deletes the manifest with digest d from repo.
func deleteManifest(t *testing.T, repo string, d v1.Hash) {
	t.Helper()
	ref, err := name.NewDigest(repo + "@" + d.String())
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Delete(ref); err != nil {
		t.Logf("deleting %s: %v", ref, err)
	}
}

// TestConcurrentOpensRelease runs 200 discoveries at once, sharing the
// default transport or each with its own, and checks that once every
// source is closed no goroutine or connection is left.
func TestConcurrentOpensRelease(t *testing.T) {
	// One platform and one small attestation keep 200 discoveries quick.
	e := newFaultEnvSpec(t, dhitest.Spec{Docs: smallDocs(t)[:1], Signer: newKey(t), Platforms: []v1.Platform{{OS: "linux", Architecture: "amd64"}}})
	for _, tc := range []struct {
		name string
		opts func() []attest.RegistryOption
	}{
		{"shared transport", func() []attest.RegistryOption { return nil }},
		{"a transport per source", func() []attest.RegistryOption {
			return []attest.RegistryOption{attest.WithTransport(http.DefaultTransport.(*http.Transport).Clone())}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := measure(t, e.proxy, func() {
				var wg sync.WaitGroup
				var failed atomic.Int64
				for range 200 {
					wg.Go(func() {
						src, err := attest.Registry(tc.opts()...)
						if err != nil {
							failed.Add(1)
							return
						}
						defer src.Close()
						d, err := attest.Discover(context.Background(), src, e.ref, attest.WithConcurrency(2))
						if err != nil || readOK(d) != len(e.img.Attestations) {
							failed.Add(1)
						}
					})
				}
				wg.Wait()
				if n := failed.Load(); n > 0 {
					t.Errorf("%d of 200 discoveries failed", n)
				}
			})
			deadline := time.Now().Add(5 * time.Second)
			for e.proxy.OpenConns() > 0 && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if n := e.proxy.OpenConns(); n > 0 {
				t.Errorf("%d connections left open after every source was closed", n)
			}
			logCost(t, "200 concurrent discoveries, "+tc.name, c)
		})
	}
}

func TestFetchErrorNamesDigests(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ ref, want string }{
		{"sha256:" + strings.Repeat("a", 64), "r@sha256:"},
		{"sha512:" + strings.Repeat("b", 128), "r@sha512:"},
		{"multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8", "r@multihash+base58:"},
		{"3.13", "r:3.13"},
		{"sha256-" + strings.Repeat("a", 64) + ".att", "r:sha256-"},
	} {
		err := &attest.FetchError{Op: "reading", Repository: "r", Ref: tc.ref, Err: errors.New("x")}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("FetchError{Ref: %q}.Error() = %q; want it to contain %q", tc.ref, err.Error(), tc.want)
		}
	}
}
