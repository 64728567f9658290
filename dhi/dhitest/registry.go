package dhitest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"cuelabs.dev/go/oci/ociregistry/ocimem"
	"cuelabs.dev/go/oci/ociregistry/ociserver"
)

// Registry is an in-memory OCI 1.1 registry serving plain HTTP on a loopback
// port.
type Registry struct {
	// Host is the registry's "127.0.0.1:port", to use in references.
	Host string

	srv *http.Server
	ln  net.Listener
}

// RegistryOption configures [NewRegistry].
type RegistryOption func(*ociserver.Options)

// WithoutReferrersAPI makes the registry answer the referrers API with 404,
// like registries that lack it (Docker Hub, distribution), so that clients
// use the referrers tag schema.
func WithoutReferrersAPI() RegistryOption {
	return func(o *ociserver.Options) { o.DisableReferrersAPI = true }
}

// NewRegistry starts a registry on 127.0.0.1 on a free port. Close stops it.
func NewRegistry(opts ...RegistryOption) (*Registry, error) {
	var o ociserver.Options
	for _, opt := range opts {
		opt(&o)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("dhitest: starting registry: %w", err)
	}
	r := &Registry{
		Host: ln.Addr().String(),
		ln:   ln,
		srv:  &http.Server{Handler: ociserver.New(ocimem.New(), &o), ReadHeaderTimeout: 10 * time.Second},
	}
	// Serve returns http.ErrServerClosed once Close is called.
	go func() { _ = r.srv.Serve(ln) }()
	return r, nil
}

// Close stops the registry and discards its content.
func (r *Registry) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return r.srv.Shutdown(ctx)
}
