package registrytest

import (
	"net/http"
	"slices"
	"strings"
	"sync"
)

// Recorder is an [http.RoundTripper] that records the method and path of
// each request it sends through Base ([http.DefaultTransport] when nil), so
// that a test can see which requests a client made, for instance that a
// cached read made none by digest. It is safe for concurrent use.
type Recorder struct {
	Base http.RoundTripper

	mu   sync.Mutex
	reqs []string
}

// RoundTrip records req as "METHOD /path" and sends it.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.reqs = append(r.reqs, req.Method+" "+req.URL.Path)
	r.mu.Unlock()
	base := r.Base
	if base == nil {
		base = http.DefaultTransport
	}
	return base.RoundTrip(req)
}

// Requests returns the requests recorded so far, in the order sent.
func (r *Recorder) Requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.reqs)
}

// ByDigest returns the requests of reqs (as [Recorder.Requests] gives them)
// that read content by digest: blobs, and manifests named by digest.
func ByDigest(reqs []string) []string {
	var out []string
	for _, r := range reqs {
		if strings.Contains(r, "/blobs/") || strings.Contains(r, "/manifests/sha256:") || strings.Contains(r, "/manifests/sha512:") {
			out = append(out, r)
		}
	}
	return out
}
