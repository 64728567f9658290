package dhi

import (
	"sync"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/attest/intoto"
)

// Image is a Docker Hardened Image (or any image with attestations) opened
// with [Open]: its platforms, each with its attestations, their
// verification results, and the model joined from the verified ones.
//
// By default only attestations that verified feed the model; the others are
// listed with the reason ([WithUnverifiedUnsafe] changes that). Predicates
// are parsed when first asked for, once, and the results are kept. An Image
// is safe for concurrent use.
type Image struct {
	// Reference is the reference the image was opened by.
	Reference string
	// Repository is the repository (or layout) the image was read from.
	Repository string
	// Root is the descriptor the reference resolved to (an index or a
	// manifest).
	Root v1.Descriptor
	// ReferrersRepositories are the repositories searched for attestations
	// besides Repository.
	ReferrersRepositories []string
	// Platforms are the image's platforms that were opened, in index order.
	Platforms []*Platform
	// Problems lists what could not be read during discovery and is not
	// tied to one attestation (for instance a referrers list that failed),
	// and attestations that could not be read. An image with problems may
	// lack attestations it has. When the context ended before discovery
	// finished, one problem wraps [attest.ErrIncomplete].
	Problems []error
	// Lookups records, for the image and each platform manifest, every
	// discovery mechanism tried and what it answered (see
	// [attest.Discovery].Lookups), so that a registry without the referrers
	// API is visible.
	Lookups []attest.Lookup

	src       attest.Storage
	ownSource bool
	// registry is set when src is a registry source the SDK made (by Open
	// or a Fleet), where DHI's naming conventions apply.
	registry  bool
	discovery *attest.Discovery
	opts      options

	// shared caches what platforms parse from identical documents (such as
	// the same VEX document attached to every platform), by content digest:
	// per image, or per Fleet.
	shared *parseMemo

	// bases caches the base images lineage opened, by reference.
	bases bases
}

// Close releases the connections of the registry source [Open] created.
// A source given with [WithStorage] is the caller's to close. The image's
// data stays usable; [Image.Export] and [Image.CheckUpdate], which read
// the registry again, must not be called after Close.
func (img *Image) Close() error {
	if img.ownSource {
		return img.src.Close()
	}
	return nil
}

// sharedParse parses doc once per image (or per [Fleet]), however many
// platforms or images carry the same bytes; kind names the parser, and
// parse must return an immutable value.
func (img *Image) sharedParse(kind Kind, doc []byte, parse func() (any, error)) (any, error) {
	return img.shared.parse(kind, doc, parse)
}

// Platform is one platform manifest of an image, with its attestations.
type Platform struct {
	// Descriptor is the platform manifest's descriptor; Descriptor.Platform
	// is nil when the image is a single manifest whose index names no
	// platform.
	Descriptor v1.Descriptor
	// Labels are the labels of the platform's image config.
	Labels map[string]string
	// Attestations are the attestations found for the platform manifest
	// (and, for an index, those about the index itself), verified or not.
	Attestations []*Attestation

	img *Image

	mu    sync.Mutex
	cache map[string]*cached

	// layers and diffIDs are the manifest's layers and the config's
	// rootfs.diff_ids, for lineage proofs.
	layers  []v1.Descriptor
	diffIDs []string
	// config is the image config as served, read by Open.
	config []byte
	// lineage is the platform's lineage, once walked.
	lineage lineageCache
}

// cached is a parsed predicate or a joined view, computed once.
type cached struct {
	once sync.Once
	v    any
	err  error
}

// memo computes f once for key and returns its result ever after.
func (p *Platform) memo(key string, f func() (any, error)) (any, error) {
	p.mu.Lock()
	if p.cache == nil {
		p.cache = map[string]*cached{}
	}
	c, ok := p.cache[key]
	if !ok {
		c = &cached{}
		p.cache[key] = c
	}
	p.mu.Unlock()
	c.once.Do(func() { c.v, c.err = f() })
	return c.v, c.err
}

// String returns the platform as "os/arch[/variant]", or "unknown".
func (p *Platform) String() string {
	if p.Descriptor.Platform == nil {
		return "unknown"
	}
	return p.Descriptor.Platform.String()
}

// Attestation is one attestation of a platform, with its verification.
type Attestation struct {
	// PredicateType is the statement's predicate type.
	PredicateType string
	// Kind is what the predicate type is (see [KindOf]).
	Kind Kind
	// Verified is true when the attestation's signature and every link of
	// its chain of trust verified.
	Verified bool
	// Trust is the level of trust the attestation reached: signed, bound
	// by digest to the index the caller named, or unverified.
	Trust Trust
	// Used is true when the image's queries use the attestation: it
	// verified, or [WithUnverifiedUnsafe] was given and it could be read.
	Used bool
	// Reason says why the attestation is not verified; empty when it is.
	Reason string
	// Result is the verification result: what was checked, who signed,
	// what was not checked.
	Result *attest.Result
	// Err is the discovery or verification error; nil when Verified.
	Err error
	// Discovered is the attestation as discovery found it: where, how, its
	// manifest, layer, content and signatures.
	Discovered *attest.Attestation

	statement *intoto.Statement
}

// Statement returns the statement the attestation carries: the verified
// statement, or for an attestation used unverified under
// [WithUnverifiedUnsafe], the statement as read. It is nil when the
// attestation is not used.
func (a *Attestation) Statement() *intoto.Statement {
	if !a.Used {
		return nil
	}
	return a.statement
}
