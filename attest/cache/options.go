package cache

import (
	"fmt"
	"time"
)

// DefaultMaxBytes is the bound on a cache's total size unless
// [WithMaxBytes] sets another: 1 GiB.
const DefaultMaxBytes int64 = 1 << 30

// Option configures [Open].
type Option func(*options) error

type options struct {
	maxBytes int64
	ttl      time.Duration
	now      func() time.Time
}

func makeOptions(opts ...Option) (options, error) {
	o := options{maxBytes: DefaultMaxBytes, now: time.Now}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return options{}, err
		}
	}
	return o, nil
}

// WithMaxBytes bounds the total size of the entries in the directory, as
// counted by this process and found by rescanning the directory: when a
// [Cache.Put] takes the total over n, the least recently used entries are
// removed until the total is at most nine tenths of n. Content larger than n
// is not stored. The default is [DefaultMaxBytes].
func WithMaxBytes(n int64) Option {
	return func(o *options) error {
		if n <= 0 {
			return fmt.Errorf("cache: WithMaxBytes(%d): must be positive", n)
		}
		o.maxBytes = n
		return nil
	}
}

// WithTTL sets how long keyed entries ([Cache.PutKeyed]), such as a tag's
// resolution or a referrers listing, are used after they were stored. Within
// that time an answer can be stale: a tag moved or an attestation added is
// seen only once the entry expires. The default is 0: keyed entries are
// neither stored nor used, and such answers are always fetched.
func WithTTL(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 {
			return fmt.Errorf("cache: WithTTL(%v): must not be negative", d)
		}
		o.ttl = d
		return nil
	}
}

// WithClock sets the clock that dates keyed entries and measures their age
// against the time-to-live. The default is [time.Now]. The recency of
// entries, for eviction, is their files' modification time.
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return fmt.Errorf("cache: WithClock: nil clock")
		}
		o.now = now
		return nil
	}
}
