package dhi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/attest"
)

// Open opens the image that ref names, finds every attestation of each of
// its platforms, verifies each one, and reads each platform's image config.
//
// ref is a registry reference ("dhi.io/python:3.13",
// "myorg/dhi-python@sha256:...") unless [WithStorage] gives a layout or an
// archive, where it is a tag or digest in it. For registry references,
// DHI's naming conventions say where else attestations live
// ([ReferrersRepository]: registry.scout.docker.com for mirrors on Docker
// Hub); [WithReferrersRepository] and [WithoutNamingConventions] change that.
//
// Attestations are verified with Docker's DHI keys ([Keys]) unless
// [WithKeys], [WithKeyring] or [WithVerifier] say otherwise. An attestation
// that is unsigned, signed by a key that is not trusted, about another
// image, or unreadable, is kept in [Platform].Attestations with the reason
// and is not used by the image's queries, unless [WithUnverifiedUnsafe].
//
// Open returns an error when the image itself cannot be read. Attestations
// that could not be read are listed with their errors, and other discovery
// failures in [Image].Problems. When ctx ends during discovery, Open returns
// what was read and verified by then, with a problem wrapping
// [attest.ErrIncomplete] (discovery was cut short) and one per unfinished
// request.
//
// Close the image to release the registry connections Open created.
func Open(ctx context.Context, ref string, opts ...Option) (*Image, error) {
	o, err := makeOptions(opts...)
	if err != nil {
		return nil, err
	}
	verifier, err := o.makeVerifier()
	if err != nil {
		return nil, err
	}
	src := o.source
	if o.layoutDir != "" {
		if src, err = attest.Layout(o.layoutDir); err != nil {
			return nil, fmt.Errorf("dhi: opening layout: %w", err)
		}
	}
	registry := src == nil
	if registry {
		if src, err = attest.Registry(o.registryOpts...); err != nil {
			return nil, err
		}
	}
	img, err := open(ctx, ref, src, registry, verifier, o, nil)
	if err != nil && registry {
		src.Close()
	}
	return img, err
}

// OpenReference is [Open] for a parsed registry reference, such as one
// from [name.ParseReference] with the caller's name options (strict
// validation, another default registry). It is for registry references
// only: with [WithLayout] or [WithStorage], use Open with a tag or digest of
// the layout.
func OpenReference(ctx context.Context, ref name.Reference, opts ...Option) (*Image, error) {
	if ref == nil {
		return nil, errors.New("dhi: OpenReference: nil reference")
	}
	return Open(ctx, ref.Name(), opts...)
}

func open(ctx context.Context, ref string, src attest.Storage, registry bool, verifier *attest.Verifier, o options, memo *parseMemo) (*Image, error) {
	if memo == nil {
		memo = newParseMemo(0)
	}

	repos := slices.Clone(o.referrersRepos)
	if registry && len(repos) == 0 && !o.noNaming {
		if r, err := name.ParseReference(ref); err == nil {
			if ext, ok := ReferrersRepository(r.Context()); ok {
				repos = append(repos, ext.Name())
			}
		}
	}
	dopts := slices.Clone(o.discoveryOpts)
	if len(o.platforms) > 0 {
		dopts = append(dopts, attest.WithPlatforms(o.platforms...))
	}
	for _, r := range repos {
		dopts = append(dopts, attest.WithReferrersRepository(r))
	}
	d, derr := attest.Discover(ctx, src, ref, dopts...)
	if d == nil {
		return nil, fmt.Errorf("dhi: opening image: %w", derr)
	}
	img := &Image{Reference: ref, Repository: d.Repository, Root: d.Root, ReferrersRepositories: repos, Lookups: d.Lookups,
		src: src, ownSource: registry, registry: registry, discovery: d, opts: o, shared: memo}
	if derr != nil {
		img.Problems = unjoin(derr)
	}

	byDigest := map[v1.Hash]*Platform{}
	for _, pd := range d.Platforms {
		p := &Platform{Descriptor: pd, img: img}
		img.Platforms = append(img.Platforms, p)
		byDigest[pd.Digest] = p
	}
	// The image configs are read while the attestations are verified.
	labelErrs := make([]error, len(img.Platforms))
	var wg sync.WaitGroup
	wg.Go(func() {
		parallel(len(img.Platforms), attest.DefaultConcurrency, func(i int) { labelErrs[i] = img.Platforms[i].readLabels(ctx) })
	})
	verified := make([]*Attestation, len(d.Attestations))
	parallel(len(d.Attestations), runtime.GOMAXPROCS(0), func(i int) { verified[i] = verifyOne(verifier, d.Attestations[i], o.unverified) })
	for i, a := range d.Attestations {
		att := verified[i]
		img.bind(att)
		if p, ok := byDigest[a.Target.Digest]; ok {
			p.Attestations = append(p.Attestations, att)
			continue
		}
		// Attestations about the index concern every platform.
		for _, p := range img.Platforms {
			p.Attestations = append(p.Attestations, att)
		}
	}
	wg.Wait()
	for _, err := range labelErrs {
		if err != nil {
			img.Problems = append(img.Problems, err)
		}
	}
	if err := ctx.Err(); err != nil && !errors.Is(derr, attest.ErrIncomplete) {
		img.Problems = append(img.Problems, fmt.Errorf("dhi: opening %s: %w: %w", ref, attest.ErrIncomplete, err))
	}
	return img, nil
}

// unjoin returns the errors that errors.Join joined into err.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func (o *options) makeVerifier() (*attest.Verifier, error) {
	if o.verifier != nil {
		return o.verifier, nil
	}
	kr := o.keyring
	if kr == nil {
		var err error
		if kr, err = Keys(); err != nil {
			return nil, err
		}
	}
	if len(o.extraKeys) > 0 {
		keys := append(slices.Clone(kr.Keys()), o.extraKeys...)
		var err error
		if kr, err = attest.NewKeyring(keys...); err != nil {
			return nil, fmt.Errorf("dhi: adding keys: %w", err)
		}
	}
	return attest.NewVerifier(kr)
}

// verifyOne verifies a discovered attestation and decides whether queries
// may use it.
func verifyOne(v *attest.Verifier, a *attest.Attestation, unverified bool) *Attestation {
	att := &Attestation{PredicateType: a.PredicateType, Kind: KindOf(a.PredicateType), Discovered: a}
	res, err := v.Verify(a)
	att.Result = res
	switch {
	case err == nil:
		att.Verified, att.Used = true, true
		att.statement = res.Statement
	default:
		att.Err = err
		att.Reason = err.Error()
		if unverified && a.Content != nil && a.Content.Statement != nil {
			att.Used = true
			att.statement = a.Content.Statement
		}
	}
	return att
}

// configLimit bounds the size of an image config.
const configLimit = 4 << 20

// readLabels reads the platform's image config: its labels, the layers
// and diff IDs that lineage proofs compare, and the raw bytes [Platform.Config]
// returns.
func (p *Platform) readLabels(ctx context.Context) error {
	m, cfg, err := p.readConfig(ctx)
	if err != nil {
		return err
	}
	var c struct {
		Config struct {
			Labels map[string]string `json:"Labels"`
		} `json:"config"`
		RootFS struct {
			DiffIDs []string `json:"diff_ids"`
		} `json:"rootfs"`
	}
	if err := json.Unmarshal(cfg, &c); err != nil {
		return fmt.Errorf("dhi: decoding the %s image config %s: %v", p, m.Config.Digest, err)
	}
	p.Labels = c.Config.Labels
	p.layers, p.diffIDs, p.config = m.Layers, c.RootFS.DiffIDs, cfg
	return nil
}

// readConfig reads the platform manifest and the image config it names,
// checked against its digest and bounded to configLimit.
func (p *Platform) readConfig(ctx context.Context) (v1.Manifest, []byte, error) {
	img := p.img
	var m v1.Manifest
	_, raw, err := attest.ReadManifestByDigest(ctx, img.src, img.Repository, p.Descriptor.Digest)
	if err != nil {
		return m, nil, fmt.Errorf("dhi: reading the %s manifest: %w", p, err)
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return m, nil, fmt.Errorf("dhi: decoding the %s manifest %s: %v", p, p.Descriptor.Digest, err)
	}
	if m.Config.Digest.Hex == "" {
		return m, nil, fmt.Errorf("dhi: the %s manifest %s has no config", p, p.Descriptor.Digest)
	}
	cfg, err := attest.ReadBlob(ctx, img.src, img.Repository, m.Config, attest.WithMaxBlobSize(configLimit))
	if err != nil {
		return m, nil, fmt.Errorf("dhi: reading the %s image config: %w", p, err)
	}
	return m, cfg, nil
}

// ErrNoAttestation reports that an image has no used attestation of the
// kind asked for: none was found, or none verified.
var ErrNoAttestation = errors.New("dhi: no verified attestation of this kind")
