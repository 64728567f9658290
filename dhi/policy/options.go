package policy

import (
	"errors"
	"time"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
)

// Option configures [New].
type Option func(*options) error

type options struct {
	config    *Config
	keys      map[string]*attest.Key
	verifier  []attest.VerifierOption
	now       func() time.Time
	imageName string
	strict    bool
}

// Docker's keyring URLs, which DHI policies name as key_ref.
const (
	keyRefLatest = "https://dhi.io/keyring/latest.pub"
	keyRef2      = "https://dhi.io/keyring/2.pub"
	keyRef1      = "https://dhi.io/keyring/1.pub"
)

func makeOptions(opts ...Option) (options, error) {
	o := options{keys: map[string]*attest.Key{}, now: time.Now}
	kr, err := dhi.Keys()
	if err != nil {
		return options{}, err
	}
	for ref, id := range map[string]string{keyRefLatest: dhi.KeyIDDHI2, keyRef2: dhi.KeyIDDHI2, keyRef1: dhi.KeyIDDHI1} {
		if k, ok := kr.Key(id); ok {
			o.keys[ref] = k
		}
	}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return options{}, err
		}
	}
	return o, nil
}

// WithConfig gives the per-policy configuration (docker scout's
// --policy-config, see [ParseConfig]). The default is none: every policy
// reads an empty data.config.
func WithConfig(c *Config) Option {
	return func(o *options) error {
		if c == nil {
			return errors.New("policy: WithConfig: nil config")
		}
		o.config = c
		return nil
	}
}

// WithKey makes key_ref name key in the policies' cosign.verify_images
// calls: a file name or URL, exactly as the policies write it. A key_ref
// resolves only to keys given here; nothing is fetched. The default maps
// Docker's keyring URLs (https://dhi.io/keyring/latest.pub and 2.pub to
// dhi-2, 1.pub to dhi-1) to the embedded DHI keys ([dhi.Keys]); WithKey
// may replace them.
func WithKey(keyRef string, key *attest.Key) Option {
	return func(o *options) error {
		if keyRef == "" || key == nil {
			return errors.New("policy: WithKey: empty key_ref or nil key")
		}
		o.keys[keyRef] = key
		return nil
	}
}

// WithVerifierOptions adds options to the verifier that
// cosign.verify_images builds for each key_ref, such as
// [attest.WithTrustedRoot] for transparency-log checks. The default is
// attest's default policy.
func WithVerifierOptions(opts ...attest.VerifierOption) Option {
	return func(o *options) error {
		o.verifier = append(o.verifier, opts...)
		return nil
	}
}

// WithClock sets the clock that time.now_ns and the evaluation time read,
// so that policies with time limits (a remediation SLA) are
// deterministic. The default is [time.Now].
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return errors.New("policy: WithClock: nil clock")
		}
		o.now = now
		return nil
	}
}

// WithImageName sets input.source.image.name. The default is the image's
// repository path without the registry host ("python" for dhi.io/python,
// "dhi/python" for docker.io/dhi/python), as docker scout names images.
func WithImageName(name string) Option {
	return func(o *options) error {
		if name == "" {
			return errors.New("policy: WithImageName: empty name")
		}
		o.imageName = name
		return nil
	}
}

// WithStrictBuiltinErrors makes an error in any built-in (such as
// object.get on null, or time.parse_rfc3339_ns on a bad date) an evaluation
// error, so that the policy fails with StatusError instead of the
// expression being undefined. The default is OPA's and docker scout's: an
// error in OPA's own built-ins makes the expression undefined, which can
// make a careless policy pass. Errors of the wrong argument types in
// oci.referrer, cosign.verify_images and scout.parse_purl are always
// evaluation errors.
func WithStrictBuiltinErrors() Option {
	return func(o *options) error {
		o.strict = true
		return nil
	}
}
