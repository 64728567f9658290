// Package faultproxy is a fault injector for the SDK's tests: a reverse
// proxy (net/http/httputil) in front of a real in-process registry (see
// internal/registrytest) that makes chosen requests fail in the ways a real
// registry cannot be made to on demand: 5xx and 429 answers with or
// without Retry-After, truncated, altered, oversized or slowly dripped
// bodies, reset connections, stalls, wrong content types, fabricated
// listings and redirects. Every request no fault matches gets the
// registry's own answer.
package faultproxy

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Class is the kind of a registry request.
type Class string

// The request classes of the OCI distribution API.
const (
	ClassPing      Class = "ping"      // GET /v2/
	ClassManifest  Class = "manifest"  // /v2/<name>/manifests/<ref>
	ClassBlob      Class = "blob"      // /v2/<name>/blobs/<digest>
	ClassReferrers Class = "referrers" // /v2/<name>/referrers/<digest>
	ClassTags      Class = "tags"      // /v2/<name>/tags/list
	ClassOther     Class = "other"
)

// Classes returns the classes of the API's read requests.
func Classes() []Class {
	return []Class{ClassPing, ClassManifest, ClassBlob, ClassReferrers, ClassTags}
}

// ClassOf returns the class of r.
func ClassOf(r *http.Request) Class {
	p := r.URL.Path
	switch {
	case p == "/v2/" || p == "/v2":
		return ClassPing
	case strings.Contains(p, "/manifests/"):
		return ClassManifest
	case strings.Contains(p, "/blobs/"):
		return ClassBlob
	case strings.Contains(p, "/referrers/"):
		return ClassReferrers
	case strings.HasSuffix(p, "/tags/list"):
		return ClassTags
	}
	return ClassOther
}

// Match selects the requests a fault applies to.
type Match func(r *http.Request) bool

// On matches the requests of class c.
func On(c Class) Match { return func(r *http.Request) bool { return ClassOf(r) == c } }

// OnPath matches requests of class c whose path contains s (a digest, a
// tag).
func OnPath(c Class, s string) Match {
	return func(r *http.Request) bool { return ClassOf(r) == c && strings.Contains(r.URL.Path, s) }
}

// Fault answers a request in place of the registry; next is the registry.
type Fault func(w http.ResponseWriter, r *http.Request, next http.Handler)

// Proxy is a fault-injecting reverse proxy serving on loopback.
type Proxy struct {
	// Host is the proxy's host:port, to use in references.
	Host string

	requests atomic.Int64
	open     atomic.Int64
	next     http.Handler
	upstream *http.Transport
	mu       sync.Mutex
	rules    []*rule
}

type rule struct {
	match Match
	fault Fault
	left  int // < 0: always
}

// New starts a proxy to the registry at target (host:port) for the test's
// duration.
func New(tb testing.TB, target string) *Proxy {
	tb.Helper()
	u := &url.URL{Scheme: "http", Host: target}
	rp := httputil.NewSingleHostReverseProxy(u)
	upstream := http.DefaultTransport.(*http.Transport).Clone()
	rp.Transport = upstream
	rp.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) { w.WriteHeader(http.StatusBadGateway) }
	p := &Proxy{next: rp, upstream: upstream}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(p.serve))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			p.open.Add(1)
		case http.StateClosed, http.StateHijacked:
			p.open.Add(-1)
		}
	}
	srv.Start()
	tb.Cleanup(func() {
		srv.Close()
		upstream.CloseIdleConnections()
	})
	p.Host = strings.TrimPrefix(srv.URL, "http://")
	return p
}

// Inject applies f to every request m matches, from now on.
func (p *Proxy) Inject(m Match, f Fault) { p.InjectN(-1, m, f) }

// InjectN applies f to the next n requests m matches; n < 0 means always.
// Faults apply in the order they were injected: the first that matches.
func (p *Proxy) InjectN(n int, m Match, f Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = append(p.rules, &rule{match: m, fault: f, left: n})
}

// Clear removes every fault and resets the request counter.
func (p *Proxy) Clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = nil
	p.requests.Store(0)
}

// CloseIdleConnections closes the proxy's idle connections to the
// registry, so that tests counting goroutines see only their own.
func (p *Proxy) CloseIdleConnections() { p.upstream.CloseIdleConnections() }

// ResetRequests sets the request counter to zero.
func (p *Proxy) ResetRequests() { p.requests.Store(0) }

// Requests returns the number of requests received since the proxy
// started or was cleared.
func (p *Proxy) Requests() int64 { return p.requests.Load() }

// OpenConns returns the number of client connections open now.
func (p *Proxy) OpenConns() int64 { return p.open.Load() }

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	p.requests.Add(1)
	p.mu.Lock()
	var f Fault
	for _, rl := range p.rules {
		if rl.left != 0 && rl.match(r) {
			if rl.left > 0 {
				rl.left--
			}
			f = rl.fault
			break
		}
	}
	p.mu.Unlock()
	if f == nil {
		p.next.ServeHTTP(w, r)
		return
	}
	f(w, r, p.next)
}

// Status answers with code and, when retryAfter is not empty, a
// Retry-After header.
func Status(code int, retryAfter string) Fault {
	return func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"errors":[{"code":"UNAVAILABLE","message":"injected %d"}]}`, code)
	}
}

// Serve answers with a fixed status, content type and body, and extra
// headers given as key, value pairs.
func Serve(code int, contentType string, body []byte, headers ...string) Fault {
	return func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(code)
		w.Write(body)
	}
}

// recorded is the registry's answer to a request, held in memory.
func recorded(r *http.Request, next http.Handler) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	return rec
}

func copyHeader(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
}

// Rewrite answers with the registry's answer whose body and headers edit
// changes (to lie about digests or sizes, or change the content type);
// Content-Length follows the new body.
func Rewrite(edit func(h http.Header, body []byte) []byte) Fault {
	return func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		rec := recorded(r, next)
		copyHeader(w, rec)
		body := edit(w.Header(), rec.Body.Bytes())
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		w.Write(body)
	}
}

// Truncate sends the registry's headers, Content-Length included, and the
// first n bytes of its body, then closes the connection.
func Truncate(n int) Fault {
	return func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		rec := recorded(r, next)
		copyHeader(w, rec)
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes()[:min(n, rec.Body.Len())])
		w.(http.Flusher).Flush()
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
	}
}

// Reset closes the connection with a TCP reset before answering.
func Reset() Fault {
	return func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.SetLinger(0)
		}
		conn.Close()
	}
}

// Stall sends nothing until the client gives up.
func Stall() Fault {
	return func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
		<-r.Context().Done()
	}
}

// Drip sends the registry's answer chunk bytes every interval, until done
// or until the client gives up.
func Drip(chunk int, interval time.Duration) Fault {
	return func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		rec := recorded(r, next)
		copyHeader(w, rec)
		w.WriteHeader(rec.Code)
		body := rec.Body.Bytes()
		t := time.NewTicker(interval)
		defer t.Stop()
		for len(body) > 0 {
			n := min(chunk, len(body))
			if _, err := w.Write(body[:n]); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			body = body[n:]
			select {
			case <-t.C:
			case <-r.Context().Done():
				return
			}
		}
	}
}

// Oversize answers with the registry's headers and a body of n bytes
// (the registry's, padded with zeros), sent without Content-Length.
func Oversize(n int) Fault {
	return func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		rec := recorded(r, next)
		copyHeader(w, rec)
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
		zeros := make([]byte, 32<<10)
		for left := n - rec.Body.Len(); left > 0; left -= len(zeros) {
			if _, err := w.Write(zeros[:min(left, len(zeros))]); err != nil {
				return
			}
		}
	}
}

// Redirect answers 307 to the same path on host (host:port), or to the
// request's own URL when host is empty, making a loop.
func Redirect(host string) Fault {
	return func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
		u := *r.URL
		u.Scheme = "http"
		u.Host = host
		if host == "" {
			u.Host = r.Host
		}
		http.Redirect(w, r, u.String(), http.StatusTemporaryRedirect)
	}
}

// ReferrersPages answers a referrers request with the first of pages
// pages of perPage fabricated descriptors each, linking each page to the
// next with a Link header, as a registry with a huge listing would.
func ReferrersPages(pages, perPage int) Fault {
	return func(w http.ResponseWriter, r *http.Request, _ http.Handler) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		var b bytes.Buffer
		b.WriteString(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[`)
		for i := range perPage {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":500,"digest":"sha256:%064x","artifactType":"application/vnd.in-toto+json"}`, page*perPage+i+1)
		}
		b.WriteString(`]}`)
		if page+1 < pages {
			u := *r.URL
			q := u.Query()
			q.Set("page", strconv.Itoa(page+1))
			u.RawQuery = q.Encode()
			w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next"`, u.RequestURI()))
		}
		Serve(http.StatusOK, "application/vnd.oci.image.index.v1+json", b.Bytes())(w, r, nil)
	}
}

// RequireBasicAuth answers 401 with a Basic challenge to requests without
// an Authorization header, and passes the others on.
func RequireBasicAuth() Fault {
	return func(w http.ResponseWriter, r *http.Request, next http.Handler) {
		if r.Header.Get("Authorization") == "" {
			w.Header().Set("WWW-Authenticate", `Basic realm="faultproxy"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	}
}
