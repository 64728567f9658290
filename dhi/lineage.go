package dhi

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/attest/intoto"
	"github.com/dhisdk/dhisdk/dhi/predicate"
	"github.com/dhisdk/dhisdk/provenance"
)

// ClaimSource says where a claim about a platform's base image was read.
type ClaimSource string

// Sources of base image claims.
const (
	// ClaimSLSAProvenance is an image input of the platform's SLSA
	// provenance: a v1 resolvedDependencies or v0.2 materials entry such as
	// pkg:docker/dhi.io/python@3.13?platform=linux%2Famd64 with its digest.
	ClaimSLSAProvenance ClaimSource = "slsa-provenance"
	// ClaimScoutProvenance is the base_image of the platform's Scout
	// provenance.
	ClaimScoutProvenance ClaimSource = "scout-provenance"
	// ClaimLabels is the DHI image the com.docker.dhi.name and
	// com.docker.dhi.version labels the platform inherited name; it is
	// tried only when no provenance names a base.
	ClaimLabels ClaimSource = "labels"
)

// ClaimSources returns every [ClaimSource].
func ClaimSources() []ClaimSource {
	return []ClaimSource{ClaimSLSAProvenance, ClaimScoutProvenance, ClaimLabels}
}

// Valid reports whether s is one of the constants of this package.
func (s ClaimSource) Valid() bool { return slices.Contains(ClaimSources(), s) }

// BaseClaim is a claim that a platform was built FROM an image. A claim
// is a lead, not a fact: [Platform.Lineage] proves it from the layers.
type BaseClaim struct {
	// Source says where the claim was read.
	Source ClaimSource `json:"source"`
	// Reference is the base image as the claim names it,
	// "repository[:tag][@digest]". The digest is usually the base's index
	// digest.
	Reference string `json:"reference"`
	// Platform is the base platform the claim names, "os/arch[/variant]";
	// empty when it names none (the derived platform's is used).
	Platform string `json:"platform,omitempty"`
}

// LineageLink names the link of a lineage that broke.
type LineageLink string

// Links of a lineage.
const (
	// LinkClaim is the provenance claim itself: no claim, or a claim that
	// names no usable image or platform.
	LinkClaim LineageLink = "provenance-claim"
	// LinkReach is opening the claimed base where its attestations live.
	LinkReach LineageLink = "base-unreachable"
	// LinkLayerPrefix is the proof that the base platform manifest's layers
	// are the first layers of the derived one, and the base config's
	// rootfs.diff_ids a prefix of the derived config's.
	LinkLayerPrefix LineageLink = "layer-prefix"
	// LinkChainID is the com.docker.dhi.chain-id label of the derived
	// platform, which must equal the ChainID of the DHI base's layers.
	LinkChainID LineageLink = "chain-id"
	// LinkBaseSignature is the base's attestations, which must verify with
	// the keys trusted for bases ([Keys] unless [WithBaseKeys]).
	LinkBaseSignature LineageLink = "base-signature"
	// LinkCycle is a lineage that comes back to an image already in it.
	LinkCycle LineageLink = "cycle"
	// LinkDepth is a lineage longer than the depth limit
	// ([WithLineageDepth]).
	LinkDepth LineageLink = "depth"
)

// ErrLineage is the error every [LineageError] matches with errors.Is: a
// platform's base image was not proven.
var ErrLineage = errors.New("dhi: lineage not proven")

// LineageError says which link of a platform's lineage broke, for which
// image and platform, and about which claimed base.
type LineageError struct {
	// Image is the reference of the image whose base was sought.
	Image string
	// Platform is that image's platform, "os/arch[/variant]".
	Platform string
	// Base is the claimed base, as the claim names it; empty when there
	// is no claim.
	Base string
	// Link is the link that broke.
	Link LineageLink
	// Detail says what was found.
	Detail string
	// Err is the underlying error, if any.
	Err error
}

// Error returns "dhi: lineage of <image> (<platform>): <link>: base <base>:
// <detail>[: <err>]".
func (e *LineageError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "dhi: lineage of %s (%s): %s", e.Image, e.Platform, e.Link)
	if e.Base != "" {
		fmt.Fprintf(&b, ": base %s", e.Base)
	}
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *LineageError) Unwrap() error { return e.Err }

// Is reports whether target is [ErrLineage].
func (e *LineageError) Is(target error) bool { return target == ErrLineage }

// BaseLink is one proven step of a lineage: a platform built FROM a base
// platform.
type BaseLink struct {
	// Claim is the claim the layers proved.
	Claim BaseClaim `json:"claim"`
	// Image is the base image, opened by digest where its attestations
	// live and verified with the keys trusted for bases.
	Image *Image `json:"-"`
	// Platform is the base platform manifest.
	Platform *Platform `json:"-"`
	// Digest is the base platform manifest's digest.
	Digest v1.Hash `json:"digest"`
	// Index is the digest the base was opened at (its index, usually).
	Index v1.Hash `json:"index"`
	// Layers is how many layers the derived platform shares with the base:
	// all of the base's.
	Layers int `json:"layers"`
	// ChainID is the ChainID of the base's layers.
	ChainID string `json:"chainID,omitempty"`
	// Signed is true when the base platform has attestations that verified
	// with the keys trusted for bases: it is the DHI the lineage ends at.
	// An unsigned base is an intermediate image (app FROM company-base FROM
	// dhi.io/python) whose own base is sought in turn.
	Signed bool `json:"signed"`
}

// Lineage is what a platform was built from: the chain of proven bases,
// nearest first, ending at a base signed with the keys trusted for bases,
// and the claims that did not hold.
type Lineage struct {
	// Claims are the claims the platform's own attestations and labels
	// make about its base, in the order tried.
	Claims []BaseClaim `json:"claims,omitempty"`
	// Chain are the proven bases, nearest first.
	Chain []*BaseLink `json:"chain,omitempty"`
	// Failures are the claims that did not hold and the links that broke,
	// each a [*LineageError].
	Failures []error `json:"-"`
	// ChainIDLabel is the derived platform's com.docker.dhi.chain-id label;
	// empty when absent.
	ChainIDLabel string `json:"chainIDLabel,omitempty"`
}

// Base returns the signed base the lineage ends at (the DHI image), or
// nil when the lineage is not proven. Only a proven lineage's base is
// used: its SBOM and VEX are inherited.
func (l *Lineage) Base() *BaseLink {
	if l == nil || len(l.Chain) == 0 {
		return nil
	}
	if last := l.Chain[len(l.Chain)-1]; last.Signed {
		return last
	}
	return nil
}

// lineageCache holds a platform's lineage once walked to the end (a walk
// cut short by its context is not kept).
type lineageCache struct {
	walk sync.Mutex // held while walking, so that one walk runs at a time
	mu   sync.Mutex // guards the fields below
	l    *Lineage
	err  error
	join *BaseJoin // the last join with the platform's own findings
}

// bases holds the base images an image's lineages opened, by reference,
// so that platforms built on the same base share it.
type bases struct {
	mu sync.Mutex
	m  map[string]*baseOpen
}

type baseOpen struct {
	once sync.Once
	img  *Image
	err  error
}

// Lineage returns what the platform was built FROM, proven from the images
// themselves. Claims come from the platform's SLSA provenance (image
// inputs with the base role; BuildKit's helper images, such as its SBOM
// scanner, are not bases), its Scout provenance, and, when neither names a
// base, the DHI labels it inherited. Each claim is opened by digest where
// its attestations live (DHI's naming conventions) and proven:
//
//   - the base platform (the claim's platform of the claimed index) has
//     layers that are the first layers of the derived platform, same
//     digests in the same order, and config rootfs.diff_ids that are a
//     prefix of the derived one's;
//   - the derived platform's com.docker.dhi.chain-id label, where present,
//     equals the ChainID of the signed base's layers;
//   - the base's attestations verify with the keys trusted for bases
//     ([Keys], or [WithBaseKeys]), whatever the trust settings of the
//     derived image. An unsigned base is an intermediate image, whose own
//     base is sought in turn, up to the depth limit ([WithLineageDepth]),
//     and an image met twice is a cycle.
//
// A claim the layers contradict is a failure, listed in Failures, and is
// not used. Lineage returns the lineage and, when no signed base was
// proven, an error matching [ErrLineage] (the first [*LineageError], or
// the last one when several claims failed). Nothing is inherited from a
// lineage with an error.
//
// Callers must use [Lineage.Base] (or [Platform.BaseJoin]) rather than the
// raw chain to decide what is inherited.
func (p *Platform) Lineage(ctx context.Context) (*Lineage, error) {
	c := &p.lineage
	c.walk.Lock()
	defer c.walk.Unlock()
	c.mu.Lock()
	l, err := c.l, c.err
	c.mu.Unlock()
	if l != nil {
		return l, err
	}
	l, err = p.walkLineage(ctx)
	if ctx.Err() == nil {
		c.mu.Lock()
		c.l, c.err = l, err
		c.mu.Unlock()
	}
	return l, err
}

// walkLineage walks the chain of bases from p.
func (p *Platform) walkLineage(ctx context.Context) (*Lineage, error) {
	o := p.img.opts.lineage
	l := &Lineage{ChainIDLabel: p.Labels[LabelChainID]}
	visited := map[v1.Hash]bool{p.Descriptor.Digest: true}
	cur, curName := p, p.img.Reference
	for depth := 0; ; depth++ {
		fail := func(base string, link LineageLink, detail string, err error) {
			l.Failures = append(l.Failures, &LineageError{Image: curName, Platform: cur.String(), Base: base, Link: link, Detail: detail, Err: err})
		}
		if depth >= o.depth() {
			fail("", LinkDepth, fmt.Sprintf("no signed base within %d images", o.depth()), nil)
			break
		}
		claims := cur.baseClaims()
		if depth == 0 {
			l.Claims = claims
		}
		if len(claims) == 0 {
			if depth == 0 {
				fail("", LinkClaim, "no provenance or label names a base image", nil)
			} else {
				fail("", LinkBaseSignature, "the base has no attestation that verifies with the keys trusted for bases, and names no base of its own", nil)
			}
			break
		}
		var link *BaseLink
		for _, c := range claims {
			lk, lerr := cur.prove(ctx, c, visited)
			if lerr != nil {
				lerr.Image, lerr.Platform = curName, cur.String()
				l.Failures = append(l.Failures, lerr)
				continue
			}
			link = lk
			break
		}
		if link == nil || ctx.Err() != nil {
			break
		}
		l.Chain = append(l.Chain, link)
		visited[link.Digest] = true
		if link.Signed {
			if l.ChainIDLabel != "" && l.ChainIDLabel != link.ChainID {
				l.Failures = append(l.Failures, &LineageError{Image: p.img.Reference, Platform: p.String(), Base: link.Claim.Reference, Link: LinkChainID,
					Detail: fmt.Sprintf("label %s is %s, the base's layers have ChainID %s", LabelChainID, l.ChainIDLabel, link.ChainID)})
				// Not the base the label names: the link is not used.
				l.Chain = l.Chain[:len(l.Chain)-1]
			}
			break
		}
		if link.Platform.signedUntrusted() {
			fail(link.Claim.Reference, LinkBaseSignature, "the base's attestations are signed, but not with a key trusted for bases", nil)
			l.Chain = l.Chain[:len(l.Chain)-1]
			break
		}
		cur, curName = link.Platform, link.Image.Reference
	}
	if l.Base() != nil {
		return l, nil
	}
	if err := ctx.Err(); err != nil {
		return l, fmt.Errorf("dhi: lineage of %s (%s): %w", p.img.Reference, p, err)
	}
	if len(l.Failures) == 0 {
		return l, &LineageError{Image: p.img.Reference, Platform: p.String(), Link: LinkClaim, Detail: "no base proven"}
	}
	return l, l.Failures[len(l.Failures)-1]
}

// signedUntrusted reports whether the platform has signed attestations and
// none of them verified.
func (p *Platform) signedUntrusted() bool {
	signed := false
	for _, a := range p.Attestations {
		if a.Verified {
			return false
		}
		if a.Discovered != nil && (len(a.Discovered.Signatures) > 0 || a.Discovered.Content != nil && (a.Discovered.Content.Envelope != nil || a.Discovered.Content.Bundle != nil)) {
			signed = true
		}
	}
	return signed
}

// maxClaims bounds the base claims read from one platform's attestations.
const maxClaims = 8

// baseClaims returns the platform's claims about its base, de-duplicated,
// at most maxClaims. Claims come from attestations the platform's queries
// use, and from unused ones as well: a claim is only a lead, which the
// layers prove or refute.
func (p *Platform) baseClaims() []BaseClaim {
	var out []BaseClaim
	add := func(c BaseClaim) {
		if len(out) < maxClaims && c.Reference != "" && !slices.ContainsFunc(out, func(o BaseClaim) bool {
			return o.Reference == c.Reference && o.Platform == c.Platform
		}) {
			out = append(out, c)
		}
	}
	for _, a := range p.Attestations {
		st := a.leadStatement()
		if st == nil {
			continue
		}
		switch a.Kind {
		case KindProvenance:
			s, err := provenance.ParsePredicate(a.PredicateType, st.Document())
			if err != nil || s.Provenance == nil {
				continue
			}
			for _, im := range baseImages(s.Provenance.Images) {
				add(BaseClaim{Source: ClaimSLSAProvenance, Reference: im.Reference(), Platform: im.Platform})
			}
		case KindScoutProvenance:
			if sp, err := predicate.ParseScoutProvenance(st.Document()); err == nil && sp.BaseImage != "" {
				add(BaseClaim{Source: ClaimScoutProvenance, Reference: sp.BaseImage})
			}
		}
	}
	if len(out) == 0 && p.Labels[LabelName] != "" && p.Labels[LabelVersion] != "" {
		repo := strings.TrimPrefix(p.Labels[LabelName], "dhi/")
		add(BaseClaim{Source: ClaimLabels, Reference: "dhi.io/" + repo + ":" + p.Labels[LabelVersion]})
	}
	return out
}

// leadStatement returns the statement of an attestation as read, whether
// or not it verified; nil when it could not be read.
func (a *Attestation) leadStatement() *intoto.Statement {
	if a.statement != nil {
		return a.statement
	}
	if a.Discovered != nil && a.Discovered.Content != nil {
		return a.Discovered.Content.Statement
	}
	return nil
}

// baseImages returns the images of a provenance that are bases: those with
// the base role, else, when no role is known, every image that is not
// BuildKit's frontend or a helper.
func baseImages(ims []provenance.Image) []provenance.Image {
	var base, unknown []provenance.Image
	for _, im := range ims {
		switch im.Role {
		case provenance.ImageRoleBase:
			base = append(base, im)
		case provenance.ImageRoleUnknown:
			unknown = append(unknown, im)
		}
	}
	if len(base) > 0 {
		return base
	}
	return unknown
}

// prove opens the base claim c names and proves that p was built on it.
func (p *Platform) prove(ctx context.Context, c BaseClaim, visited map[v1.Hash]bool) (*BaseLink, *LineageError) {
	lerr := func(link LineageLink, detail string, err error) *LineageError {
		return &LineageError{Base: c.Reference, Link: link, Detail: detail, Err: err}
	}
	ref, err := name.ParseReference(c.Reference)
	if err != nil {
		return nil, lerr(LinkClaim, "not an image reference", err)
	}
	var plat *v1.Platform
	if c.Platform != "" {
		if plat, err = v1.ParsePlatform(c.Platform); err != nil {
			return nil, lerr(LinkClaim, "bad platform "+c.Platform, err)
		}
	} else if p.Descriptor.Platform != nil {
		plat = p.Descriptor.Platform
	}
	at := ref.String()
	if d, ok := ref.(name.Digest); ok {
		at = d.Context().Name() + "@" + d.DigestStr()
	}
	base, err := p.img.openBase(ctx, at, plat)
	if err != nil {
		return nil, lerr(LinkReach, "", err)
	}
	if len(base.Platforms) == 0 {
		return nil, lerr(LinkClaim, fmt.Sprintf("the base has no %s platform", c.Platform), nil)
	}
	bp := base.Platforms[0]
	if visited[bp.Descriptor.Digest] {
		return nil, lerr(LinkCycle, fmt.Sprintf("platform manifest %s is already in the lineage", bp.Descriptor.Digest), nil)
	}
	if err := layerPrefix(bp, p); err != nil {
		return nil, lerr(LinkLayerPrefix, err.Error(), nil)
	}
	link := &BaseLink{Claim: c, Image: base, Platform: bp, Digest: bp.Descriptor.Digest, Index: base.Root.Digest,
		Layers: len(bp.layers), ChainID: ChainID(bp.diffIDs...)}
	for _, a := range bp.Attestations {
		if a.Verified {
			link.Signed = true
			break
		}
	}
	return link, nil
}

// layerPrefix checks that base's layers and diff IDs are the first ones of
// derived's.
func layerPrefix(base, derived *Platform) error {
	if len(base.layers) != len(base.diffIDs) {
		return fmt.Errorf("base platform %s has %d layers but %d diff IDs", base.Descriptor.Digest, len(base.layers), len(base.diffIDs))
	}
	if len(base.layers) > len(derived.layers) {
		return fmt.Errorf("base platform %s has %d layers, the derived platform %s only %d", base.Descriptor.Digest, len(base.layers), derived.Descriptor.Digest, len(derived.layers))
	}
	for i, l := range base.layers {
		if l.Digest != derived.layers[i].Digest {
			return fmt.Errorf("layer %d is %s in the base platform %s but %s in the derived platform %s", i, l.Digest, base.Descriptor.Digest, derived.layers[i].Digest, derived.Descriptor.Digest)
		}
	}
	if len(base.diffIDs) > len(derived.diffIDs) {
		return fmt.Errorf("the base config has %d diff IDs, the derived config only %d", len(base.diffIDs), len(derived.diffIDs))
	}
	for i, d := range base.diffIDs {
		if d != derived.diffIDs[i] {
			return fmt.Errorf("diff ID %d is %s in the base config but %s in the derived config", i, d, derived.diffIDs[i])
		}
	}
	return nil
}

// ChainID returns the OCI ChainID of layers with the given diff IDs
// ("sha256:<hex>", bottom first): the first diff ID, then
// sha256(previous ChainID + " " + next diff ID), as "sha256:<hex>". It is
// "" for no layer. DHI images keep it in the com.docker.dhi.chain-id label,
// which images built FROM them inherit.
func ChainID(diffIDs ...string) string {
	if len(diffIDs) == 0 {
		return ""
	}
	id := diffIDs[0]
	for _, d := range diffIDs[1:] {
		id = fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(id+" "+d)))
	}
	return id
}

// openBase opens the base image ref at the platform, once per image, from
// the derived image's source, verified with the keys trusted for bases and
// none of the derived image's trust settings.
func (img *Image) openBase(ctx context.Context, ref string, plat *v1.Platform) (*Image, error) {
	key := ref
	if plat != nil {
		key += " " + plat.String()
	}
	img.bases.mu.Lock()
	if img.bases.m == nil {
		img.bases.m = map[string]*baseOpen{}
	}
	b, ok := img.bases.m[key]
	if !ok {
		if len(img.bases.m) >= maxBases {
			img.bases.mu.Unlock()
			return nil, fmt.Errorf("dhi: more than %d base images opened for %s", maxBases, img.Reference)
		}
		b = &baseOpen{}
		img.bases.m[key] = b
	}
	img.bases.mu.Unlock()
	b.once.Do(func() { b.img, b.err = img.doOpenBase(ctx, ref, plat) })
	if b.err != nil && ctx.Err() != nil {
		// Not kept: another call with a live context may succeed.
		img.bases.mu.Lock()
		delete(img.bases.m, key)
		img.bases.mu.Unlock()
	}
	return b.img, b.err
}

// maxBases bounds the base images one image's lineages open.
const maxBases = 16

func (img *Image) doOpenBase(ctx context.Context, ref string, plat *v1.Platform) (*Image, error) {
	o := img.opts
	bo := options{source: o.source, registryOpts: o.registryOpts, discoveryOpts: o.discoveryOpts, now: o.now,
		advisories: o.advisories, lineage: o.lineage}
	if plat != nil {
		bo.platforms = []v1.Platform{*plat}
	}
	if o.lineage.verifier != nil {
		bo.verifier = o.lineage.verifier
	} else if len(o.lineage.keys) > 0 {
		kr, err := attest.NewKeyring(o.lineage.keys...)
		if err != nil {
			return nil, fmt.Errorf("dhi: keys for bases: %w", err)
		}
		bo.keyring = kr
	}
	verifier, err := bo.makeVerifier()
	if err != nil {
		return nil, err
	}
	base, err := open(ctx, ref, img.src, img.registry, verifier, bo, img.shared)
	if err != nil {
		return nil, err
	}
	base.ownSource = false // the derived image's source: its Close closes it
	return base, nil
}
