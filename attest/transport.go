package attest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// Defaults of the registry transport options.
const (
	// DefaultDialTimeout bounds establishing a TCP connection.
	DefaultDialTimeout = 10 * time.Second
	// DefaultTLSHandshakeTimeout bounds a TLS handshake.
	DefaultTLSHandshakeTimeout = 10 * time.Second
	// DefaultResponseHeaderTimeout bounds the wait for a response's headers
	// once a request is sent.
	DefaultResponseHeaderTimeout = 30 * time.Second
	// DefaultIdleConnTimeout is how long an idle connection is kept.
	DefaultIdleConnTimeout = 90 * time.Second
	// DefaultRequestTimeout bounds one request, body included, so that a
	// registry that stalls or drips a body cannot hang a caller that gave
	// no deadline.
	DefaultRequestTimeout = 2 * time.Minute
	// DefaultRetryAttempts is how many times a request is tried at most.
	DefaultRetryAttempts = 4
	// DefaultRetryBackoff is the wait before the first retry; each further
	// retry waits twice as long.
	DefaultRetryBackoff = 200 * time.Millisecond
	// DefaultMaxRetryAfter caps the wait a Retry-After header may ask for.
	DefaultMaxRetryAfter = 10 * time.Second
)

// retryStatus reports whether an answer is retried on idempotent reads.
func retryStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// transportTimeouts are the timeouts of a transport the SDK creates.
type transportTimeouts struct {
	dial, tlsHandshake, responseHeader, idleConn time.Duration
}

func defaultTimeouts() transportTimeouts {
	return transportTimeouts{DefaultDialTimeout, DefaultTLSHandshakeTimeout, DefaultResponseHeaderTimeout, DefaultIdleConnTimeout}
}

func newHTTPTransport(t transportTimeouts) *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: t.dial, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       t.idleConn,
		TLSHandshakeTimeout:   t.tlsHandshake,
		ResponseHeaderTimeout: t.responseHeader,
		ExpectContinueTimeout: time.Second,
	}
}

// sharedTransport is the transport of every registry source created without
// WithTransport and with the default timeouts, so that connections are
// pooled across sources. It is created on first use; its idle connections
// are closed when the last source using it is closed. It is the package's
// only state.
var sharedTransport struct {
	mu    sync.Mutex
	t     *http.Transport
	users int
}

func acquireSharedTransport() *http.Transport {
	sharedTransport.mu.Lock()
	defer sharedTransport.mu.Unlock()
	if sharedTransport.t == nil {
		sharedTransport.t = newHTTPTransport(defaultTimeouts())
	}
	sharedTransport.users++
	return sharedTransport.t
}

func releaseSharedTransport() {
	sharedTransport.mu.Lock()
	defer sharedTransport.mu.Unlock()
	sharedTransport.users--
	if sharedTransport.users == 0 {
		sharedTransport.t.CloseIdleConnections()
	}
}

// attemptsKey keys the per-request attempt counter in a request's context.
type attemptsKey struct{}

// attempts counts the tries of one request and carries the wait the last
// answer asked for.
type attempts struct {
	mu    sync.Mutex
	req   *http.Request // the request tried: a redirect starts anew
	n     int
	delay time.Duration
}

func (a *attempts) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.n
}

// retryingTransport retries idempotent reads through go-containerregistry's
// retry transport ([transport.NewRetry]: which answers and errors, how many
// attempts), and waits between attempts itself, because ggcr's backoff
// neither honours Retry-After nor stops when the context ends.
func retryingTransport(inner http.RoundTripper, attemptsMax int, backoff, maxRetryAfter time.Duration) http.RoundTripper {
	w := &waitingTransport{inner: inner, backoff: backoff, maxRetryAfter: maxRetryAfter}
	return countingTransport{transport.NewRetry(w,
		// The waits are waitingTransport's: ggcr's backoff only counts.
		transport.WithRetryBackoff(transport.Backoff{Steps: attemptsMax}),
		transport.WithRetryPredicate(retryable),
		transport.WithRetryStatusCodes(http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout))}
}

// countingTransport gives each request that has no attempt counter yet
// (go-containerregistry's pings and token requests) one, so that its
// retries wait too.
type countingTransport struct{ inner http.RoundTripper }

func (t countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if _, ok := req.Context().Value(attemptsKey{}).(*attempts); !ok {
		req = req.WithContext(context.WithValue(req.Context(), attemptsKey{}, &attempts{}))
	}
	return t.inner.RoundTrip(req)
}

// waitingTransport counts attempts and, before each retry, waits for the
// longer of an exponential backoff and the answer's Retry-After (capped),
// or until the request's context ends.
type waitingTransport struct {
	inner         http.RoundTripper
	backoff       time.Duration
	maxRetryAfter time.Duration
}

func (t *waitingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	a, ok := req.Context().Value(attemptsKey{}).(*attempts)
	if !ok {
		a = &attempts{}
	}
	a.mu.Lock()
	if a.req != req {
		a.req, a.n, a.delay = req, 0, 0
	}
	a.n++
	n, delay := a.n, a.delay
	a.mu.Unlock()
	if n > 1 {
		wait := max(delay, jitter(t.backoff<<min(n-2, 16)))
		timer := time.NewTimer(wait)
		select {
		case <-timer.C:
		case <-req.Context().Done():
			timer.Stop()
			return nil, req.Context().Err()
		}
		if req.Body != nil && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req.Body = body
		}
	}
	resp, err := t.inner.RoundTrip(req)
	if err != nil {
		if req.Method != http.MethodGet && req.Method != http.MethodHead {
			err = &notRetried{err}
		}
		return nil, err
	}
	if retryStatus(resp.StatusCode) {
		ra := retryAfter(resp.Header.Get("Retry-After"), time.Now())
		a.mu.Lock()
		a.delay = min(ra, t.maxRetryAfter)
		a.mu.Unlock()
		// Keep the error body small and release the connection now: only
		// the last answer is read by the caller.
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b))
	}
	return resp, nil
}

func jitter(d time.Duration) time.Duration {
	return d + time.Duration(rand.Int64N(int64(d)/10+1))
}

// retryAfter decodes a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// notRetried marks an error of a request that is not idempotent.
type notRetried struct{ err error }

func (e *notRetried) Error() string { return e.err.Error() }
func (e *notRetried) Unwrap() error { return e.err }

// retryable reports whether a failed attempt is worth another: one of
// retryStatusCodes on an idempotent read, or a connection reset or cut
// short before the answer ended. An ended context is never retried.
func retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var nr *notRetried
	if errors.As(err, &nr) {
		return false
	}
	var te *transport.Error
	if errors.As(err, &te) {
		return retryStatus(te.StatusCode) &&
			(te.Request == nil || te.Request.Method == http.MethodGet || te.Request.Method == http.MethodHead)
	}
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNABORTED) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// retriedError reports a request that failed after several attempts.
type retriedError struct {
	attempts int
	err      error
}

func (e *retriedError) Error() string {
	return fmt.Sprintf("%v (after %d attempts)", e.err, e.attempts)
}

func (e *retriedError) Unwrap() error { return e.err }

// withAttempts wraps err with the number of attempts a request made, when
// it made more than one.
func withAttempts(n int, err error) error {
	if err == nil || n < 2 {
		return err
	}
	return &retriedError{attempts: n, err: err}
}
