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
)

func makeOptions(opts ...Option) (options, error) {
	o := options{
		concurrency: DefaultConcurrency,
		maxManifest: DefaultMaxManifestSize,
		maxBlob:     DefaultMaxBlobSize,
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

// WithConcurrency sets how many requests may be in flight at once. The
// default is [DefaultConcurrency]; 1 reads one thing after another.
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
