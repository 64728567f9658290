package attest

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/dhisdk/dhisdk/attest/cache"
)

// RegistryOption configures a registry [Storage].
type RegistryOption func(*registryOptions) error

type registryOptions struct {
	keychain       authn.Keychain
	auth           authn.Authenticator
	transport      http.RoundTripper
	plainHTTP      bool
	userAgent      string
	timeouts       transportTimeouts
	requestTimeout time.Duration
	retryAttempts  int
	retryBackoff   time.Duration
	maxRetryAfter  time.Duration
	plainHTTPCreds map[string]bool
	customTimeouts bool
	cache          *cache.Cache
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
// It conflicts with [WithKeychain]. The default is the keychain of
// [WithKeychain].
//
// Credentials are sent only to a registry that asks for them (a 401
// challenge when first contacted), only to that registry's host (never to
// a host a response redirects to), and never over plain HTTP unless
// [WithPlainHTTPCredentialsUnsafe] names the registry.
func WithAuth(a authn.Authenticator) RegistryOption {
	return func(o *registryOptions) error {
		if a == nil {
			return errors.New("attest: WithAuth: nil authenticator")
		}
		o.auth = a
		return nil
	}
}

// WithTransport sets the HTTP transport under the registry authentication
// and retries. The default is a transport shared by every registry source
// created without this option and with the default timeouts, so that
// connections are pooled; its timeouts are those of [WithTimeouts].
// [Storage.Close] closes the idle connections of the transport given here.
func WithTransport(rt http.RoundTripper) RegistryOption {
	return func(o *registryOptions) error {
		if rt == nil {
			return errors.New("attest: WithTransport: nil transport")
		}
		o.transport = rt
		return nil
	}
}

// WithTimeouts sets the timeouts of the transport the source creates: to
// establish a connection (dial), to complete a TLS handshake, to receive a
// response's headers once a request is sent, and to keep an idle
// connection. A zero duration keeps the default. The defaults are
// [DefaultDialTimeout], [DefaultTLSHandshakeTimeout],
// [DefaultResponseHeaderTimeout] and [DefaultIdleConnTimeout]. A source with
// other timeouts than the defaults has a transport of its own. They do not
// apply to a transport given with [WithTransport].
func WithTimeouts(dial, tlsHandshake, responseHeader, idleConn time.Duration) RegistryOption {
	return func(o *registryOptions) error {
		if dial < 0 || tlsHandshake < 0 || responseHeader < 0 || idleConn < 0 {
			return errors.New("attest: WithTimeouts: negative timeout")
		}
		o.timeouts = transportTimeouts{
			dial:           cmp.Or(dial, o.timeouts.dial),
			tlsHandshake:   cmp.Or(tlsHandshake, o.timeouts.tlsHandshake),
			responseHeader: cmp.Or(responseHeader, o.timeouts.responseHeader),
			idleConn:       cmp.Or(idleConn, o.timeouts.idleConn),
		}
		o.customTimeouts = o.timeouts != defaultTimeouts()
		return nil
	}
}

// WithRequestTimeout bounds each request, from sending it to reading the
// last byte of its body, so that a registry that stalls or drips a body
// fails that request instead of hanging a caller that gave no deadline. The
// default is [DefaultRequestTimeout].
func WithRequestTimeout(d time.Duration) RegistryOption {
	return func(o *registryOptions) error {
		if d <= 0 {
			return fmt.Errorf("attest: WithRequestTimeout(%v): must be positive", d)
		}
		o.requestTimeout = d
		return nil
	}
}

// WithRetries sets how reads are retried after 429, 502, 503 and 504
// answers and after connections reset or cut short: at most attempts tries,
// waiting backoff before the first retry and twice as long before each
// next one (plus up to a tenth of jitter), or as long as a Retry-After
// header asks, capped at maxRetryAfter, whichever is longer. Waits end with
// the context. A request that fails after retries says how many attempts it
// made. attempts 1 turns retries off. The defaults are
// [DefaultRetryAttempts], [DefaultRetryBackoff] and [DefaultMaxRetryAfter].
func WithRetries(attempts int, backoff, maxRetryAfter time.Duration) RegistryOption {
	return func(o *registryOptions) error {
		if attempts < 1 || backoff < 0 || maxRetryAfter < 0 {
			return fmt.Errorf("attest: WithRetries(%d, %v, %v): attempts must be at least 1 and durations not negative", attempts, backoff, maxRetryAfter)
		}
		o.retryAttempts, o.retryBackoff, o.maxRetryAfter = attempts, backoff, maxRetryAfter
		return nil
	}
}

// WithPlainHTTP allows plain HTTP to registries that do not answer HTTPS. The
// default is HTTPS only, except for localhost and loopback addresses, which
// go-containerregistry reaches over HTTP. Credentials are still not sent
// over plain HTTP: see [WithPlainHTTPCredentialsUnsafe].
func WithPlainHTTP() RegistryOption {
	return func(o *registryOptions) error {
		o.plainHTTP = true
		return nil
	}
}

// WithPlainHTTPCredentialsUnsafe allows credentials to be sent to registry
// (a host or host:port, such as "localhost:5000") when it is reached over
// plain HTTP, or when its token service is. The default is never: a
// registry that asks for credentials over plain HTTP fails with an error
// that names this option. It may be given several times.
//
// Do not use this option unless you know what you are doing: anyone on the
// network path can read credentials sent over plain HTTP.
func WithPlainHTTPCredentialsUnsafe(registry string) RegistryOption {
	return func(o *registryOptions) error {
		if registry == "" {
			return errors.New("attest: WithPlainHTTPCredentialsUnsafe: empty registry")
		}
		if o.plainHTTPCreds == nil {
			o.plainHTTPCreds = map[string]bool{}
		}
		o.plainHTTPCreds[registry] = true
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

// Registry returns a Storage that reads from OCI registries through
// go-containerregistry's authenticated transport. References are registry
// references such as "dhi.io/python:3.13" or "host/repo@sha256:...".
//
// The Storage keeps one authenticated transport per repository, so reuse it
// across calls to [Discover] to avoid repeating the authentication handshake.
// The handshake happens at a repository's first request, so reads that a
// cache ([WithCache]) answers send none. Close it to release its
// connections once done.
func Registry(opts ...RegistryOption) (Storage, error) {
	o := registryOptions{
		userAgent:      "dhisdk",
		timeouts:       defaultTimeouts(),
		requestTimeout: DefaultRequestTimeout,
		retryAttempts:  DefaultRetryAttempts,
		retryBackoff:   DefaultRetryBackoff,
		maxRetryAfter:  DefaultMaxRetryAfter,
	}
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
	r := &registry{o: o, clients: map[string]*repoClient{}}
	switch {
	case o.transport != nil:
		r.base = o.transport
	case o.customTimeouts:
		r.base = newHTTPTransport(o.timeouts)
	default:
		r.base = acquireSharedTransport()
		r.shared = true
	}
	return r, nil
}

type registry struct {
	o      registryOptions
	base   http.RoundTripper
	shared bool

	mu      sync.Mutex
	closed  bool
	clients map[string]*repoClient
}

// Close releases the source's idle connections: those of the shared
// transport once no other open source uses it, else those of its own or
// the caller's transport. The source must not be used afterwards.
func (r *registry) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	r.closed = true
	r.clients = map[string]*repoClient{}
	if r.shared {
		releaseSharedTransport()
		return nil
	}
	if c, ok := r.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
	return nil
}

// errClosed reports the use of a closed source.
var errClosed = errors.New("attest: source closed")

// checkOpen fails once the source is closed, so that a closed source is not
// used even when its cache could answer.
func (r *registry) checkOpen() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return errClosed
	}
	return nil
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
	if r.closed {
		r.mu.Unlock()
		return nil, errClosed
	}
	c, ok := r.clients[repo]
	if !ok {
		c = &repoClient{}
		r.clients[repo] = c
	}
	r.mu.Unlock()
	c.once.Do(func() { c.err = r.connect(ctx, c, repo) })
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

// connect performs the authentication handshake for repo.
func (r *registry) connect(ctx context.Context, c *repoClient, repo string) error {
	var err error
	if c.repo, err = name.NewRepository(repo, r.nameOpts()...); err != nil {
		return err
	}
	auth := r.o.auth
	if auth == nil {
		if auth, err = authn.Resolve(ctx, r.o.keychain, c.repo); err != nil {
			return fmt.Errorf("resolving credentials: %w", err)
		}
	}
	rt := retryingTransport(r.base, r.o.retryAttempts, r.o.retryBackoff, r.o.maxRetryAfter)
	if r.o.userAgent != "" {
		rt = transport.NewUserAgent(rt, r.o.userAgent)
	}
	if auth != authn.Anonymous {
		if auth, err = r.credentialsFor(ctx, c.repo.Registry, auth, rt); err != nil {
			return err
		}
	}
	if rt, err = transport.NewWithContext(ctx, c.repo.Registry, auth, rt, []string{c.repo.Scope(transport.PullScope)}); err != nil {
		return fmt.Errorf("authenticating: %w", err)
	}
	c.client = &http.Client{Transport: rt, Timeout: r.o.requestTimeout}
	return nil
}

// credentialsFor returns auth when the registry asks for credentials over
// HTTPS (or plain HTTP the caller allowed for it), and anonymous access
// when it does not ask: go-containerregistry would otherwise send Basic
// credentials on every request to a registry that never challenged.
func (r *registry) credentialsFor(ctx context.Context, reg name.Registry, auth authn.Authenticator, rt http.RoundTripper) (authn.Authenticator, error) {
	ch, err := transport.Ping(ctx, reg, rt)
	if err != nil {
		return nil, fmt.Errorf("authenticating: %w", err)
	}
	if ch.Scheme == "" {
		return authn.Anonymous, nil
	}
	realm, _ := url.Parse(ch.Parameters["realm"])
	plain := ch.Insecure || realm != nil && realm.Scheme == "http"
	if plain && !r.o.plainHTTPCreds[reg.RegistryStr()] {
		return nil, fmt.Errorf("%w: %s asks for credentials over plain HTTP; they are not sent unless WithPlainHTTPCredentialsUnsafe(%q) allows it", ErrInsecure, reg.RegistryStr(), reg.RegistryStr())
	}
	return auth, nil
}

func (c *repoClient) url(kind, ref string) string {
	return fmt.Sprintf("%s://%s/v2/%s/%s/%s", c.repo.Scheme(), c.repo.RegistryStr(), c.repo.RepositoryStr(), kind, ref)
}

// get sends a GET request and returns the answer and how many attempts it
// took.
func (c *repoClient) get(ctx context.Context, u, accept string) (*http.Response, int, error) {
	a := &attempts{}
	req, err := http.NewRequestWithContext(context.WithValue(ctx, attemptsKey{}, a), http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, err
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, a.count(), withAttempts(a.count(), err)
	}
	return resp, a.count(), nil
}

var manifestAccept = strings.Join([]string{
	string(types.OCIManifestSchema1), string(types.OCIImageIndex),
	string(types.DockerManifestSchema2), string(types.DockerManifestList),
}, ",")

// manifest reads the manifest that ref names. A digest ref with size > 0
// is read as declared (at most size+1 bytes, hashed while streaming);
// otherwise at most limit bytes are read.
func (r *registry) manifest(ctx context.Context, repo, ref string, size, limit int64, bud *budget) (v1.Descriptor, []byte, error) {
	if err := r.checkOpen(); err != nil {
		return v1.Descriptor{}, nil, err
	}
	want, digestErr := v1.NewHash(ref)
	declared := digestErr == nil && size > 0
	if declared {
		if size > limit {
			return v1.Descriptor{}, nil, fmt.Errorf("%w: manifest declared as %d bytes, limit %d", ErrTooLarge, size, limit)
		}
		if err := bud.take(size); err != nil {
			return v1.Descriptor{}, nil, err
		}
	}
	var key string
	if digestErr == nil {
		if desc, b, ok, err := r.cachedManifest(want, declared, size, limit, bud); ok {
			return desc, b, err
		}
	} else if r.keyedOK() {
		key = r.cacheKey("manifest", repo, ref, manifestAccept)
		if desc, b, ok, err := r.cachedTag(key, limit, bud); ok {
			return desc, b, err
		}
	}
	c, err := r.client(ctx, repo)
	if err != nil {
		return v1.Descriptor{}, nil, err
	}
	var ct string
	b, err := r.retryBody(ctx, func() ([]byte, int, error) {
		resp, n, err := c.get(ctx, c.url("manifests", ref), manifestAccept)
		if err != nil {
			return nil, n, err
		}
		defer resp.Body.Close()
		if resp.StatusCode == http.StatusNotFound {
			return nil, n, ErrNotFound
		}
		if err := transport.CheckError(resp, http.StatusOK); err != nil {
			return nil, n, withAttempts(n, err)
		}
		if resp.ContentLength > limit {
			return nil, n, fmt.Errorf("%w: manifest of %d bytes, limit %d", ErrTooLarge, resp.ContentLength, limit)
		}
		ct, _, _ = mime.ParseMediaType(resp.Header.Get("Content-Type"))
		if declared {
			b, err := readDeclared(resp.Body, v1.Descriptor{Digest: want, Size: size}, limit, resp.ContentLength)
			return b, n, err
		}
		b, err := readLimited(resp.Body, limit)
		return b, n, err
	})
	if err != nil {
		if key != "" && errors.Is(err, ErrNotFound) {
			r.storeKeyed(key, tagAnswer{}.encode())
		}
		return v1.Descriptor{}, nil, err
	}
	if !declared {
		if err := bud.take(int64(len(b))); err != nil {
			return v1.Descriptor{}, nil, err
		}
	}
	h := sha256Hash(b)
	if digestErr == nil {
		if err := checkHash(b, want); err != nil {
			return v1.Descriptor{}, nil, err
		}
		h = want
		r.storeContent(want, b)
	} else {
		// The bytes a tag named are content like any other; whether the tag
		// still names them is kept only under the cache's time-to-live.
		r.storeContent(h, b)
		if key != "" {
			r.storeKeyed(key, tagAnswer{found: true, ct: ct, body: b}.encode())
		}
	}
	return v1.Descriptor{MediaType: manifestMediaType(b, ct), Size: int64(len(b)), Digest: h}, b, nil
}

func (r *registry) blob(ctx context.Context, repo string, desc v1.Descriptor, limit int64, bud *budget) ([]byte, error) {
	if desc.Size > limit {
		return nil, fmt.Errorf("%w: blob declared as %d bytes, limit %d", ErrTooLarge, desc.Size, limit)
	}
	if err := bud.take(desc.Size); err != nil {
		return nil, err
	}
	if err := r.checkOpen(); err != nil {
		return nil, err
	}
	if b, ok, err := r.cachedBlob(desc); ok {
		return b, err
	}
	c, err := r.client(ctx, repo)
	if err != nil {
		return nil, err
	}
	b, err := r.retryBody(ctx, func() ([]byte, int, error) {
		resp, n, err := c.get(ctx, c.url("blobs", desc.Digest.String()), "")
		if err != nil {
			return nil, n, err
		}
		defer resp.Body.Close()
		if resp.StatusCode == http.StatusNotFound {
			return nil, n, ErrNotFound
		}
		if err := transport.CheckError(resp, http.StatusOK); err != nil {
			return nil, n, withAttempts(n, err)
		}
		b, err := readDeclared(resp.Body, desc, limit, resp.ContentLength)
		return b, n, err
	})
	if err != nil {
		return nil, err
	}
	r.storeContent(desc.Digest, b)
	return b, nil
}

// retryBody runs get, which sends one request and reads its body, again
// when the body is cut short by a reset connection or an early end, up to
// the retry attempts, waiting as retries do; the retries of the request
// itself are get's.
func (r *registry) retryBody(ctx context.Context, get func() ([]byte, int, error)) ([]byte, error) {
	total := 0
	for attempt := 1; ; attempt++ {
		b, n, err := get()
		total += n
		if err == nil {
			return b, nil
		}
		var re *retriedError
		cut := errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET)
		if !cut || attempt >= r.o.retryAttempts || ctx.Err() != nil || errors.As(err, &re) {
			if cut {
				return nil, withAttempts(total, err)
			}
			return nil, err
		}
		timer := time.NewTimer(jitter(r.o.retryBackoff << min(attempt-1, 16)))
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return nil, withAttempts(total, err)
		}
	}
}

// maxPages bounds the pages followed in paginated listings.
const maxPages = 100

func (r *registry) referrers(ctx context.Context, repo string, d v1.Hash, limit int64, maxEntries int, bud *budget) (referrersAnswer, error) {
	if err := r.checkOpen(); err != nil {
		return referrersAnswer{mech: MechanismReferrersAPI, status: apiAnswered}, err
	}
	var key string
	if r.keyedOK() {
		key = r.cacheKey("referrers", repo, d.String())
		if ans, ok, err := r.cachedReferrersAnswer(key, d, limit, maxEntries, bud); ok {
			return ans, err
		}
	}
	ans, err := r.fetchReferrers(ctx, repo, d, limit, maxEntries, bud)
	if err == nil && key != "" {
		r.storeReferrers(key, ans)
	}
	return ans, err
}

// fetchReferrers lists the referrers of d through the referrers API.
func (r *registry) fetchReferrers(ctx context.Context, repo string, d v1.Hash, limit int64, maxEntries int, bud *budget) (referrersAnswer, error) {
	ans := referrersAnswer{mech: MechanismReferrersAPI, status: apiAnswered}
	c, err := r.client(ctx, repo)
	if err != nil {
		return ans, err
	}
	u := c.url("referrers", d.String())
	for page := 0; u != ""; page++ {
		if page == maxPages {
			return ans, fmt.Errorf("%w: referrers list longer than %d pages", ErrTooLarge, maxPages)
		}
		next, err := r.referrersPage(ctx, c, u, page, limit, bud, &ans)
		if err != nil || ans.status != apiAnswered {
			return ans, err
		}
		if len(ans.descs) > maxEntries {
			ans.descs = ans.descs[:maxEntries]
			return ans, &LimitError{Kind: LimitReferrers, Max: int64(maxEntries), Subject: d.String()}
		}
		u = next
	}
	return ans, nil
}

// referrersPage reads one page of a referrers listing into ans and returns
// the URL of the next page. A first page that says the API is missing (404,
// 400, 405, 406) sets ans.status to apiMissing; an answer that is not an
// image index sets it to apiInvalid and returns an error.
func (r *registry) referrersPage(ctx context.Context, c *repoClient, u string, page int, limit int64, bud *budget, ans *referrersAnswer) (string, error) {
	resp, n, err := c.get(ctx, u, string(types.OCIImageIndex))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNotFound, http.StatusBadRequest, http.StatusNotAcceptable, http.StatusMethodNotAllowed:
		if page == 0 {
			ans.status = apiMissing
			ans.answer = resp.Status
			return "", nil
		}
		return "", fmt.Errorf("%w: referrers page %d answered %s", ErrInvalid, page, resp.Status)
	}
	if err := transport.CheckError(resp, http.StatusOK); err != nil {
		return "", withAttempts(n, err)
	}
	if ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); ct != string(types.OCIImageIndex) {
		ans.status = apiInvalid
		ans.answer = fmt.Sprintf("%s with content type %q", resp.Status, ct)
		return "", fmt.Errorf("%w: the referrers API answered %s with content type %q, not an image index", ErrInvalid, resp.Status, ct)
	}
	b, err := readLimited(resp.Body, limit)
	if err != nil {
		return "", err
	}
	if err := bud.take(int64(len(b))); err != nil {
		return "", err
	}
	var idx v1.IndexManifest
	if err := json.Unmarshal(b, &idx); err != nil {
		ans.status = apiInvalid
		ans.answer = resp.Status + " with a body that is not an image index"
		return "", fmt.Errorf("%w: decoding referrers index: %v", ErrInvalid, err)
	}
	ans.descs = append(ans.descs, idx.Manifests...)
	return nextLink(resp), nil
}

func (r *registry) tags(ctx context.Context, repo string, limit int64, bud *budget) ([]string, bool, error) {
	if err := r.checkOpen(); err != nil {
		return nil, false, err
	}
	var key string
	if r.keyedOK() {
		key = r.cacheKey("tags", repo)
		if tags, ok, hit, err := r.cachedTags(key, limit, bud); hit {
			return tags, ok, err
		}
	}
	tags, ok, err := r.fetchTags(ctx, repo, limit, bud)
	if err == nil && key != "" {
		r.storeTags(key, tags, ok)
	}
	return tags, ok, err
}

// fetchTags lists the repository's tags, following pages.
func (r *registry) fetchTags(ctx context.Context, repo string, limit int64, bud *budget) ([]string, bool, error) {
	c, err := r.client(ctx, repo)
	if err != nil {
		return nil, false, err
	}
	var all []string
	u := c.url("tags", "list")
	for page := 0; u != ""; page++ {
		if page == maxPages {
			return nil, false, fmt.Errorf("%w: tag list longer than %d pages", ErrTooLarge, maxPages)
		}
		tags, next, refused, err := r.tagsPage(ctx, c, u, limit, bud)
		if err != nil {
			return nil, false, err
		}
		if refused != nil {
			return nil, false, refused
		}
		all = append(all, tags...)
		u = next
	}
	return all, true, nil
}

// tagsPage reads one page of a tag list. refused, when not nil, says that
// the registry refuses listing, and how it answered.
func (r *registry) tagsPage(ctx context.Context, c *repoClient, u string, limit int64, bud *budget) (tags []string, next string, refused, err error) {
	resp, n, err := c.get(ctx, u, "application/json")
	if err != nil {
		return nil, "", nil, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNotFound:
		return nil, "", fmt.Errorf("%w: the registry answered %s to the tag list (no such repository, or no listing)", ErrNotFound, resp.Status), nil
	case http.StatusUnauthorized, http.StatusForbidden,
		http.StatusMethodNotAllowed, http.StatusNotImplemented, http.StatusBadRequest:
		return nil, "", fmt.Errorf("%w: the registry answered %s", ErrTagListRefused, resp.Status), nil
	}
	if err := transport.CheckError(resp, http.StatusOK); err != nil {
		return nil, "", nil, withAttempts(n, err)
	}
	b, err := readLimited(resp.Body, limit)
	if err != nil {
		return nil, "", nil, err
	}
	if err := bud.take(int64(len(b))); err != nil {
		return nil, "", nil, err
	}
	var list struct {
		Tags []string `json:"tags"`
	}
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, "", nil, fmt.Errorf("%w: decoding tag list: %v", ErrInvalid, err)
	}
	return list.Tags, nextLink(resp), nil, nil
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
