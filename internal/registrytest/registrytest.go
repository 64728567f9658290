package registrytest

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"cuelabs.dev/go/oci/ociregistry/ocimem"
	"cuelabs.dev/go/oci/ociregistry/ociserver"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
)

// EnvRegistry names the environment variable that gives the host:port of
// the real registry server for [External].
const EnvRegistry = "DHISDK_TEST_REGISTRY"

// Server is a registry serving on loopback.
type Server struct {
	// Host is the registry's host:port, to use in references
	// ("127.0.0.1:34567/repo:tag").
	Host string

	requests atomic.Int64
	bytes    atomic.Int64
}

// Requests returns the number of HTTP requests answered since the server
// started or since the last [Server.ResetCounters]. For [External] servers
// it counts nothing and returns -1.
func (s *Server) Requests() int64 { return s.requests.Load() }

// BytesSent returns the bytes of response bodies sent since the server
// started or since the last [Server.ResetCounters].
func (s *Server) BytesSent() int64 { return s.bytes.Load() }

// ResetCounters sets the request and byte counters to zero.
func (s *Server) ResetCounters() {
	s.requests.Store(0)
	s.bytes.Store(0)
}

// Option configures a [New] server.
type Option func(*ociserver.Options)

// WithoutReferrersAPI makes the server answer the referrers API with 404, as
// registries without it do, so that clients use the tag fallback.
func WithoutReferrersAPI() Option {
	return func(o *ociserver.Options) { o.DisableReferrersAPI = true }
}

// WithoutReferrersFiltering makes the server ignore the artifactType filter
// of the referrers API, so that clients must filter.
func WithoutReferrersFiltering() Option {
	return func(o *ociserver.Options) { o.DisableReferrersFiltering = true }
}

// New starts an in-memory conformant OCI registry for the test's duration.
func New(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	var o ociserver.Options
	for _, opt := range opts {
		opt(&o)
	}
	return serve(tb, ociserver.New(ocimem.New(), &o))
}

// NewGGCR starts go-containerregistry's in-memory registry, with or without
// its referrers API.
func NewGGCR(tb testing.TB, referrers bool) *Server {
	tb.Helper()
	return serve(tb, ggcrregistry.New(ggcrregistry.WithReferrersSupport(referrers), ggcrregistry.Logger(nopLogger())))
}

func serve(tb testing.TB, h http.Handler) *Server {
	s := &Server{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		h.ServeHTTP(&countingWriter{ResponseWriter: w, n: &s.bytes}, r)
	}))
	tb.Cleanup(srv.Close)
	s.Host = strings.TrimPrefix(srv.URL, "http://")
	return s
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w *countingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.n.Add(int64(n))
	return n, err
}

// External returns the real registry server named by DHISDK_TEST_REGISTRY.
// When the variable is unset or the server does not answer, the test is
// skipped, except under CI (CI=true), where it fails: CI must run every
// test against the real server.
func External(tb testing.TB) *Server {
	tb.Helper()
	host := os.Getenv(EnvRegistry)
	if host == "" {
		Require(tb, "%s is not set (.ci/run starts a real registry server and sets it)", EnvRegistry)
		return nil
	}
	conn, err := net.DialTimeout("tcp", host, 2*time.Second)
	if err != nil {
		Require(tb, "registry %s from %s is not reachable: %v", host, EnvRegistry, err)
		return nil
	}
	conn.Close()
	s := &Server{Host: host}
	s.requests.Store(-1)
	return s
}

// Require skips the test with the formatted reason, or fails it when the
// environment variable CI is "true": in CI, every part a test needs must be
// present.
func Require(tb testing.TB, format string, args ...any) {
	tb.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		tb.Fatalf("required under CI: %s", msg)
	}
	tb.Skip(msg)
}
