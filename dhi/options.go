package dhi

import (
	"errors"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/vex"
)

// Option configures [Open].
type Option func(*options) error

type options struct {
	source         attest.Storage
	layoutDir      string
	registryOpts   []attest.RegistryOption
	platforms      []v1.Platform
	referrersRepos []string
	noNaming       bool
	extraKeys      []*attest.Key
	keyring        *attest.Keyring
	verifier       *attest.Verifier
	unverified     bool
	advisories     []*vex.Document
	discoveryOpts  []attest.Option
	now            func() time.Time
	lineage        lineageOptions
	boundByDigest  bool

	// openConcurrency and parsedBytes configure a Fleet.
	openConcurrency int
	parsedBytes     int64
}

func makeOptions(opts ...Option) (options, error) {
	o := options{now: time.Now}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return options{}, err
		}
	}
	if o.verifier != nil && (o.keyring != nil || len(o.extraKeys) > 0) {
		return options{}, errors.New("dhi: WithVerifier sets the whole trust policy; it cannot be combined with WithKeyring or WithKeys")
	}
	if o.layoutDir != "" && (o.source != nil || len(o.registryOpts) > 0) {
		return options{}, errors.New("dhi: WithLayout, WithStorage and WithRegistry each choose where the image is read; give one")
	}
	if o.source != nil && len(o.registryOpts) > 0 {
		return options{}, errors.New("dhi: WithRegistry and WithStorage both choose where the image is read; give one")
	}
	return o, nil
}

// WithStorage reads the image from src: an OCI layout ([attest.Layout]), an
// OCI archive ([attest.Archive]) or a registry source the caller configured.
// DHI's naming conventions (where a repository's attestations live) are then
// not applied; use [WithReferrersRepository] when needed. The source stays
// the caller's to close. The default is a registry source with the options
// of [WithRegistry], which [Image.Close] closes.
func WithStorage(src attest.Storage) Option {
	return func(o *options) error {
		if src == nil {
			return errors.New("dhi: WithStorage: nil storage")
		}
		o.source = src
		return nil
	}
}

// WithLayout reads the image from the OCI image layout in directory dir,
// such as one [Image.Export] wrote; the reference given to [Open] is then a
// tag or digest in the layout. It is shorthand for WithStorage of
// [attest.Layout](dir), with the layout opened by Open. The default is a
// registry.
func WithLayout(dir string) Option {
	return func(o *options) error {
		if dir == "" {
			return errors.New("dhi: WithLayout: empty directory")
		}
		o.layoutDir = dir
		return nil
	}
}

// WithRegistry sets the options of the registry source Open creates, such as
// [attest.WithKeychain] or [attest.WithPlainHTTP]. The default credentials
// are those of "docker login" ([authn.DefaultKeychain]).
//
// WithRegistry(attest.WithCache(c)) makes Open read through the on-disk
// cache c (package github.com/dhisdk/dhisdk/attest/cache): content addressed
// by digest that an earlier Open read comes from disk, checked against its
// digest, and attestations are verified as always. The base images that
// [Platform.Lineage] opens are read through the same source, so they are
// cached too, as are the manifests and configs [Platform.Config] reads.
func WithRegistry(opts ...attest.RegistryOption) Option {
	return func(o *options) error {
		o.registryOpts = append(o.registryOpts, opts...)
		return nil
	}
}

// WithKeychain is shorthand for WithRegistry(attest.WithKeychain(kc)).
func WithKeychain(kc authn.Keychain) Option {
	return WithRegistry(attest.WithKeychain(kc))
}

// WithPlatforms limits the image to the platforms that satisfy one of
// platforms. The default is every platform of the image.
func WithPlatforms(platforms ...v1.Platform) Option {
	return func(o *options) error {
		if len(platforms) == 0 {
			return errors.New("dhi: WithPlatforms: no platform given")
		}
		o.platforms = append(o.platforms, platforms...)
		return nil
	}
}

// WithReferrersRepository names a repository in which the image's
// attestations are sought, in place of the one DHI's naming conventions
// give ([ReferrersRepository]); the image's own repository is always
// searched. It may be given several times.
func WithReferrersRepository(repo string) Option {
	return func(o *options) error {
		if repo == "" {
			return errors.New("dhi: WithReferrersRepository: empty repository")
		}
		o.referrersRepos = append(o.referrersRepos, repo)
		return nil
	}
}

// WithoutNamingConventions searches only the image's own repository (and
// those of [WithReferrersRepository]) for attestations, ignoring DHI's
// conventions, such as registry.scout.docker.com for mirrors on Docker Hub.
func WithoutNamingConventions() Option {
	return func(o *options) error {
		o.noNaming = true
		return nil
	}
}

// WithKeys trusts keys in addition to Docker's DHI keys ([Keys]), for
// images signed by another party, such as mirrors re-signed in-house.
func WithKeys(keys ...*attest.Key) Option {
	return func(o *options) error {
		for _, k := range keys {
			if k == nil {
				return errors.New("dhi: WithKeys: nil key")
			}
		}
		o.extraKeys = append(o.extraKeys, keys...)
		return nil
	}
}

// WithKeyring trusts the keys of kr instead of Docker's DHI keys. Keys of
// [WithKeys] are trusted as well.
func WithKeyring(kr *attest.Keyring) Option {
	return func(o *options) error {
		if kr == nil {
			return errors.New("dhi: WithKeyring: nil keyring")
		}
		o.keyring = kr
		return nil
	}
}

// WithVerifier verifies attestations with v, which carries the whole trust
// policy (keys, identities, transparency-log and timestamp requirements).
// It cannot be combined with [WithKeys] or [WithKeyring]. The default is a
// verifier trusting [Keys] with attest's default policy.
func WithVerifier(v *attest.Verifier) Option {
	return func(o *options) error {
		if v == nil {
			return errors.New("dhi: WithVerifier: nil verifier")
		}
		o.verifier = v
		return nil
	}
}

// WithUnverifiedUnsafe makes the image's queries (packages,
// vulnerabilities, provenance, compliance, checks) use attestations that did
// not verify, as well as those that did. Every attestation still records
// whether it verified and why not.
//
// Do not use this option unless you know what you are doing: an attacker
// who can write to a registry can attach any statement to any image, and
// only the signature tells Docker's statements from theirs.
func WithUnverifiedUnsafe() Option {
	return func(o *options) error {
		o.unverified = true
		return nil
	}
}

// WithAdvisories adds OpenVEX documents, such as those of the public DHI
// advisories feed, to the image's own VEX attestations when deciding the
// status of its vulnerabilities. The default is the image's attestations
// only.
func WithAdvisories(docs ...*vex.Document) Option {
	return func(o *options) error {
		for _, d := range docs {
			if d == nil {
				return errors.New("dhi: WithAdvisories: nil document")
			}
		}
		o.advisories = append(o.advisories, docs...)
		return nil
	}
}

// WithDiscoveryOptions passes options to [attest.Discover], such as
// [attest.WithConcurrency] or the size limits.
func WithDiscoveryOptions(opts ...attest.Option) Option {
	return func(o *options) error {
		o.discoveryOpts = append(o.discoveryOpts, opts...)
		return nil
	}
}

// WithClock sets the clock used to decide whether the image is past its end
// of life. The default is [time.Now].
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return errors.New("dhi: WithClock: nil clock")
		}
		o.now = now
		return nil
	}
}
