package attest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// RegistryOption configures a registry [Source].
type RegistryOption func(*registryOptions) error

type registryOptions struct {
	keychain  authn.Keychain
	auth      authn.Authenticator
	transport http.RoundTripper
	plainHTTP bool
	userAgent string
}

// WithKeychain sets the keychain that supplies credentials per registry. The
// default is [authn.DefaultKeychain], which reads the Docker config (so
// "docker login" works).
func WithKeychain(kc authn.Keychain) RegistryOption {
	return func(o *registryOptions) error {
		if kc == nil {
			return errors.New("attest: WithKeychain: nil keychain")
		}
		o.keychain = kc
		return nil
	}
}

// WithAuth sets one authenticator for every registry, instead of a keychain.
// It conflicts with [WithKeychain].
func WithAuth(a authn.Authenticator) RegistryOption {
	return func(o *registryOptions) error {
		if a == nil {
			return errors.New("attest: WithAuth: nil authenticator")
		}
		o.auth = a
		return nil
	}
}

// WithTransport sets the HTTP transport under the registry authentication.
// The default is a clone of [http.DefaultTransport].
func WithTransport(rt http.RoundTripper) RegistryOption {
	return func(o *registryOptions) error {
		if rt == nil {
			return errors.New("attest: WithTransport: nil transport")
		}
		o.transport = rt
		return nil
	}
}

// WithPlainHTTP allows plain HTTP to registries that do not answer HTTPS. The
// default is HTTPS only, except for localhost and loopback addresses, which
// go-containerregistry reaches over HTTP.
func WithPlainHTTP() RegistryOption {
	return func(o *registryOptions) error {
		o.plainHTTP = true
		return nil
	}
}

// WithUserAgent sets the User-Agent sent to registries, before
// go-containerregistry's own. The default is "dhisdk".
func WithUserAgent(ua string) RegistryOption {
	return func(o *registryOptions) error {
		o.userAgent = ua
		return nil
	}
}

// Registry returns a Source that reads from OCI registries through
// go-containerregistry's authenticated transport. References are registry
// references such as "dhi.io/python:3.13" or "host/repo@sha256:...".
//
// The Source keeps one authenticated transport per repository, so reuse it
// across calls to [Discover] to avoid repeating the authentication handshake.
func Registry(opts ...RegistryOption) (Source, error) {
	o := registryOptions{userAgent: "dhisdk"}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	if o.keychain != nil && o.auth != nil {
		return nil, errors.New("attest: provide either WithKeychain or WithAuth, not both")
	}
	if o.keychain == nil && o.auth == nil {
		o.keychain = authn.DefaultKeychain
	}
	if o.transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 32
		o.transport = t
	}
	return &registry{o: o, clients: map[string]*repoClient{}}, nil
}

type registry struct {
	o       registryOptions
	mu      sync.Mutex
	clients map[string]*repoClient
}

type repoClient struct {
	once   sync.Once
	repo   name.Repository
	client *http.Client
	err    error
}

func (r *registry) nameOpts() []name.Option {
	if r.o.plainHTTP {
		return []name.Option{name.Insecure}
	}
	return nil
}

func (r *registry) parseRef(ref string) (string, string, error) {
	parsed, err := name.ParseReference(ref, r.nameOpts()...)
	if err != nil {
		return "", "", fmt.Errorf("attest: parsing reference %q: %w", ref, err)
	}
	return parsed.Context().Name(), parsed.Identifier(), nil
}

func (r *registry) checkRepository(repo string) (string, error) {
	parsed, err := name.NewRepository(repo, r.nameOpts()...)
	if err != nil {
		return "", fmt.Errorf("attest: parsing repository %q: %w", repo, err)
	}
	return parsed.Name(), nil
}

// client returns the authenticated client for repo, performing the
// registry's authentication handshake on first use.
func (r *registry) client(ctx context.Context, repo string) (*repoClient, error) {
	r.mu.Lock()
	c, ok := r.clients[repo]
	if !ok {
		c = &repoClient{}
		r.clients[repo] = c
	}
	r.mu.Unlock()
	c.once.Do(func() {
		c.repo, c.err = name.NewRepository(repo, r.nameOpts()...)
		if c.err != nil {
			return
		}
		auth := r.o.auth
		if auth == nil {
			auth, c.err = authn.Resolve(ctx, r.o.keychain, c.repo)
			if c.err != nil {
				c.err = fmt.Errorf("resolving credentials: %w", c.err)
				return
			}
		}
		var rt http.RoundTripper = r.o.transport
		if r.o.userAgent != "" {
			rt = transport.NewUserAgent(rt, r.o.userAgent)
		}
		rt, c.err = transport.NewWithContext(ctx, c.repo.Registry, auth, rt, []string{c.repo.Scope(transport.PullScope)})
		if c.err != nil {
			c.err = fmt.Errorf("authenticating: %w", c.err)
			return
		}
		c.client = &http.Client{Transport: rt}
	})
	if c.err != nil {
		// A failed handshake (say, a cancelled context) must not stick.
		r.mu.Lock()
		if r.clients[repo] == c {
			delete(r.clients, repo)
		}
		r.mu.Unlock()
		return nil, c.err
	}
	return c, nil
}

func (c *repoClient) url(kind, ref string) string {
	return fmt.Sprintf("%s://%s/v2/%s/%s/%s", c.repo.Scheme(), c.repo.RegistryStr(), c.repo.RepositoryStr(), kind, ref)
}

func (c *repoClient) get(ctx context.Context, u, accept string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	return c.client.Do(req)
}

var manifestAccept = strings.Join([]string{
	string(types.OCIManifestSchema1), string(types.OCIImageIndex),
	string(types.DockerManifestSchema2), string(types.DockerManifestList),
}, ",")

func (r *registry) manifest(ctx context.Context, repo, ref string, limit int64) (v1.Descriptor, []byte, error) {
	c, err := r.client(ctx, repo)
	if err != nil {
		return v1.Descriptor{}, nil, err
	}
	resp, err := c.get(ctx, c.url("manifests", ref), manifestAccept)
	if err != nil {
		return v1.Descriptor{}, nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return v1.Descriptor{}, nil, ErrNotFound
	}
	if err := transport.CheckError(resp, http.StatusOK); err != nil {
		return v1.Descriptor{}, nil, err
	}
	if resp.ContentLength > limit {
		return v1.Descriptor{}, nil, fmt.Errorf("%w: manifest of %d bytes, limit %d", ErrTooLarge, resp.ContentLength, limit)
	}
	b, err := readLimited(resp.Body, limit)
	if err != nil {
		return v1.Descriptor{}, nil, err
	}
	h := sha256Hash(b)
	if want, err := v1.NewHash(ref); err == nil {
		if err := checkHash(b, want); err != nil {
			return v1.Descriptor{}, nil, err
		}
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return v1.Descriptor{MediaType: manifestMediaType(b, ct), Size: int64(len(b)), Digest: h}, b, nil
}

func (r *registry) blob(ctx context.Context, repo string, desc v1.Descriptor, limit int64) ([]byte, error) {
	if desc.Size > limit {
		return nil, fmt.Errorf("%w: blob of %d bytes, limit %d", ErrTooLarge, desc.Size, limit)
	}
	c, err := r.client(ctx, repo)
	if err != nil {
		return nil, err
	}
	resp, err := c.get(ctx, c.url("blobs", desc.Digest.String()), "")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, ErrNotFound
	}
	if err := transport.CheckError(resp, http.StatusOK); err != nil {
		return nil, err
	}
	b, err := readLimited(resp.Body, limit)
	if err != nil {
		return nil, err
	}
	if err := checkDigest(b, desc); err != nil {
		return nil, err
	}
	return b, nil
}

// maxPages bounds the pages followed in paginated listings.
const maxPages = 100

func (r *registry) referrers(ctx context.Context, repo string, d v1.Hash, limit int64) ([]v1.Descriptor, Mechanism, bool, error) {
	c, err := r.client(ctx, repo)
	if err != nil {
		return nil, MechanismReferrersAPI, false, err
	}
	var descs []v1.Descriptor
	u := c.url("referrers", d.String())
	for page := 0; u != ""; page++ {
		if page == maxPages {
			return nil, MechanismReferrersAPI, true, fmt.Errorf("%w: referrers list longer than %d pages", ErrTooLarge, maxPages)
		}
		resp, err := c.get(ctx, u, string(types.OCIImageIndex))
		if err != nil {
			return nil, MechanismReferrersAPI, false, err
		}
		next, err := func() (string, error) {
			defer resp.Body.Close()
			switch resp.StatusCode {
			case http.StatusNotFound, http.StatusBadRequest, http.StatusNotAcceptable, http.StatusMethodNotAllowed:
				return "", errNoReferrersAPI
			}
			if err := transport.CheckError(resp, http.StatusOK); err != nil {
				return "", err
			}
			if ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); ct != string(types.OCIImageIndex) {
				return "", errNoReferrersAPI
			}
			b, err := readLimited(resp.Body, limit)
			if err != nil {
				return "", err
			}
			var idx v1.IndexManifest
			if err := json.Unmarshal(b, &idx); err != nil {
				return "", fmt.Errorf("%w: decoding referrers index: %v", ErrInvalid, err)
			}
			descs = append(descs, idx.Manifests...)
			return nextLink(resp), nil
		}()
		if errors.Is(err, errNoReferrersAPI) {
			if page == 0 {
				return nil, MechanismReferrersAPI, false, nil
			}
			err = fmt.Errorf("%w: referrers page %d is not an image index", ErrInvalid, page)
		}
		if err != nil {
			return nil, MechanismReferrersAPI, true, err
		}
		u = next
	}
	return descs, MechanismReferrersAPI, true, nil
}

var errNoReferrersAPI = errors.New("no referrers API")

func (r *registry) tags(ctx context.Context, repo string, limit int64) ([]string, bool, error) {
	c, err := r.client(ctx, repo)
	if err != nil {
		return nil, false, err
	}
	var all []string
	u := c.url("tags", "list")
	for page := 0; u != ""; page++ {
		if page == maxPages {
			return nil, false, nil
		}
		resp, err := c.get(ctx, u, "application/json")
		if err != nil {
			return nil, false, err
		}
		var list struct {
			Tags []string `json:"tags"`
		}
		refused, err := func() (bool, error) {
			defer resp.Body.Close()
			switch resp.StatusCode {
			case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound,
				http.StatusMethodNotAllowed, http.StatusNotImplemented, http.StatusBadRequest:
				return true, nil
			}
			if err := transport.CheckError(resp, http.StatusOK); err != nil {
				return false, err
			}
			b, err := readLimited(resp.Body, limit)
			if err != nil {
				return false, err
			}
			if err := json.Unmarshal(b, &list); err != nil {
				return false, fmt.Errorf("%w: decoding tag list: %v", ErrInvalid, err)
			}
			return false, nil
		}()
		if err != nil {
			return nil, false, err
		}
		if refused {
			return nil, false, nil
		}
		all = append(all, list.Tags...)
		u = nextLink(resp)
	}
	return all, true, nil
}

// nextLink returns the absolute URL of a response's Link rel="next" header,
// or "" when there is none.
func nextLink(resp *http.Response) string {
	link := resp.Header.Get("Link")
	if link == "" {
		return ""
	}
	for _, part := range strings.Split(link, ",") {
		target, params, ok := strings.Cut(strings.TrimSpace(part), ";")
		if !ok || !strings.Contains(params, `rel="next"`) && !strings.Contains(params, "rel=next") {
			continue
		}
		target = strings.Trim(strings.TrimSpace(target), "<>")
		next, err := resp.Request.URL.Parse(target)
		if err != nil {
			return ""
		}
		return (&url.URL{Scheme: resp.Request.URL.Scheme, Host: resp.Request.URL.Host, Path: next.Path, RawQuery: next.RawQuery}).String()
	}
	return ""
}
