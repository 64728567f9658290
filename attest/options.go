package attest

import (
	"errors"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Option configures [Discover].
type Option func(*options) error

type options struct {
	platforms      []v1.Platform
	referrersRepos []string
	concurrency    int
	maxManifest    int64
	maxBlob        int64
	predicateTypes map[string]bool
	mechanisms     map[Mechanism]bool
	maxReferrers   int
	maxAtts        int
	maxSigs        int
	maxBytes       int64
}

// Defaults of the discovery options.
const (
	// DefaultConcurrency is the default number of requests in flight.
	DefaultConcurrency = 16
	// DefaultMaxManifestSize is the default size limit of a manifest, an
	// index or a referrers list: 4 MiB, the limit the OCI distribution spec
	// asks registries to accept.
	DefaultMaxManifestSize = 4 << 20
	// DefaultMaxBlobSize is the default size limit of an attestation or
	// signature layer: 64 MiB (DHI SBOM and VEX statements reach several MB).
	DefaultMaxBlobSize = 64 << 20
	// DefaultMaxReferrers is the default bound on the entries of one
	// referrers listing, summed over its pages.
	DefaultMaxReferrers = 2000
	// DefaultMaxAttestations is the default bound on the attestations of
	// one subject (a Docker Hardened Image platform has about twenty).
	DefaultMaxAttestations = 500
	// DefaultMaxSignatures is the default bound on the signatures of one
	// attestation manifest.
	DefaultMaxSignatures = 32
	// DefaultMaxBytes is the default bound on the bytes one discovery
	// reads: manifests, listings and layers together.
	DefaultMaxBytes = 1 << 30
)

func makeOptions(opts ...Option) (options, error) {
	o := options{
		concurrency:  DefaultConcurrency,
		maxManifest:  DefaultMaxManifestSize,
		maxBlob:      DefaultMaxBlobSize,
		maxReferrers: DefaultMaxReferrers,
		maxAtts:      DefaultMaxAttestations,
		maxSigs:      DefaultMaxSignatures,
		maxBytes:     DefaultMaxBytes,
	}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return options{}, err
		}
	}
	return o, nil
}

// WithPlatforms limits discovery to the platform manifests of an index that
// satisfy one of platforms (see [v1.Platform.Satisfies]); attestations of the
// index itself are still sought. The default is every platform.
func WithPlatforms(platforms ...v1.Platform) Option {
	return func(o *options) error {
		if len(platforms) == 0 {
			return errors.New("attest: WithPlatforms: no platform given")
		}
		o.platforms = append(o.platforms, platforms...)
		return nil
	}
}

// WithReferrersRepository adds a repository, on the same or another
// registry, in which referrers of the image are also sought (Docker Hardened
// Images mirrored to Docker Hub keep theirs in registry.scout.docker.com
// under the same path). Digests are looked up there as they are in the
// image's own repository. It applies to registry sources only. The default
// is none.
func WithReferrersRepository(repo string) Option {
	return func(o *options) error {
		if repo == "" {
			return errors.New("attest: WithReferrersRepository: empty repository")
		}
		o.referrersRepos = append(o.referrersRepos, repo)
		return nil
	}
}

// WithConcurrency sets how many requests may be in flight at once, and how
// many goroutines discovery runs them on (plus one while attestation and
// signature reads overlap), whatever the registry answers.
// The default is [DefaultConcurrency]; 1 reads one thing after another.
func WithConcurrency(n int) Option {
	return func(o *options) error {
		if n < 1 {
			return fmt.Errorf("attest: WithConcurrency(%d): must be at least 1", n)
		}
		o.concurrency = n
		return nil
	}
}

// WithMaxManifestSize sets the size limit, in bytes, of every manifest,
// index, referrers list and tag list read. The default is
// [DefaultMaxManifestSize].
func WithMaxManifestSize(n int64) Option {
	return func(o *options) error {
		if n < 1 {
			return fmt.Errorf("attest: WithMaxManifestSize(%d): must be positive", n)
		}
		o.maxManifest = n
		return nil
	}
}

// WithMaxBlobSize sets the size limit, in bytes, of every attestation and
// signature layer read. The default is [DefaultMaxBlobSize].
func WithMaxBlobSize(n int64) Option {
	return func(o *options) error {
		if n < 1 {
			return fmt.Errorf("attest: WithMaxBlobSize(%d): must be positive", n)
		}
		o.maxBlob = n
		return nil
	}
}

// WithMaxReferrers bounds the entries kept from one referrers listing
// (the referrers API, a referrers tag or a layout's subjects), summed over
// its pages; beyond it discovery keeps the first n and reports a
// [*LimitError]. The default is [DefaultMaxReferrers].
func WithMaxReferrers(n int) Option {
	return func(o *options) error {
		if n < 1 {
			return fmt.Errorf("attest: WithMaxReferrers(%d): must be at least 1", n)
		}
		o.maxReferrers = n
		return nil
	}
}

// WithMaxAttestations bounds the attestations read for one subject (the
// index or a platform manifest); beyond it discovery reads the first n in
// digest order and reports a [*LimitError]. The default is
// [DefaultMaxAttestations].
func WithMaxAttestations(n int) Option {
	return func(o *options) error {
		if n < 1 {
			return fmt.Errorf("attest: WithMaxAttestations(%d): must be at least 1", n)
		}
		o.maxAtts = n
		return nil
	}
}

// WithMaxSignatures bounds the signatures read for one attestation
// manifest; beyond it discovery reads the first n and reports a
// [*LimitError]. The default is [DefaultMaxSignatures].
func WithMaxSignatures(n int) Option {
	return func(o *options) error {
		if n < 1 {
			return fmt.Errorf("attest: WithMaxSignatures(%d): must be at least 1", n)
		}
		o.maxSigs = n
		return nil
	}
}

// WithMaxBytes bounds the bytes one discovery reads, counting each blob
// and manifest at its declared size before it is read; reads beyond it
// fail with a [*LimitError]. The default is [DefaultMaxBytes].
func WithMaxBytes(n int64) Option {
	return func(o *options) error {
		if n < 1 {
			return fmt.Errorf("attest: WithMaxBytes(%d): must be positive", n)
		}
		o.maxBytes = n
		return nil
	}
}

// WithPredicateTypes limits discovery to attestations of the given predicate
// types. Layers whose annotations name another type are not read; layers
// without such an annotation are read and kept only when their statement
// has one of the types. The default is every predicate type.
func WithPredicateTypes(types ...string) Option {
	return func(o *options) error {
		if len(types) == 0 {
			return errors.New("attest: WithPredicateTypes: no type given")
		}
		if o.predicateTypes == nil {
			o.predicateTypes = map[string]bool{}
		}
		for _, t := range types {
			o.predicateTypes[t] = true
		}
		return nil
	}
}

// WithMechanisms limits discovery to the given mechanisms. The default is
// every mechanism in [Mechanisms].
func WithMechanisms(ms ...Mechanism) Option {
	return func(o *options) error {
		if len(ms) == 0 {
			return errors.New("attest: WithMechanisms: no mechanism given")
		}
		if o.mechanisms == nil {
			o.mechanisms = map[Mechanism]bool{}
		}
		for _, m := range ms {
			if !m.Valid() {
				return fmt.Errorf("attest: WithMechanisms: unknown mechanism %q", m)
			}
			o.mechanisms[m] = true
		}
		return nil
	}
}

func (o *options) uses(m Mechanism) bool {
	return o.mechanisms == nil || o.mechanisms[m]
}

func (o *options) wantsType(t string) bool {
	return o.predicateTypes == nil || o.predicateTypes[t]
}
