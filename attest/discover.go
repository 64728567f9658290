package attest

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Media types, artifact types and annotations that discovery recognises.
const (
	// ArtifactTypeInToto is the artifact type of in-toto attestation
	// manifests, and the media type of their layers.
	ArtifactTypeInToto = "application/vnd.in-toto+json"
	// ArtifactTypeCosignSignature is the artifact type of cosign
	// simple-signing signatures stored as OCI 1.1 referrers.
	ArtifactTypeCosignSignature = "application/vnd.dev.cosign.artifact.sig.v1+json"
	// MediaTypeSimpleSigning is the media type of cosign simple-signing
	// payload layers.
	MediaTypeSimpleSigning = "application/vnd.dev.cosign.simplesigning.v1+json"
	// MediaTypeDSSE is the media type of DSSE envelope layers (cosign's
	// legacy .att images).
	MediaTypeDSSE = "application/vnd.dsse.envelope.v1+json"
	// ArtifactTypeBundleV03 is the artifact type of cosign v3 sigstore bundle
	// referrers.
	ArtifactTypeBundleV03 = "application/vnd.dev.sigstore.bundle.v0.3+json"

	// AnnotationPredicateType names a layer's predicate type (BuildKit,
	// Docker Hardened Images).
	AnnotationPredicateType = "in-toto.io/predicate-type"
	// AnnotationBundlePredicateType names the predicate type of a cosign v3
	// bundle referrer.
	AnnotationBundlePredicateType = "dev.sigstore.bundle.predicateType"
	// AnnotationCosignPredicateType names the predicate type of a layer of
	// a cosign legacy .att image.
	AnnotationCosignPredicateType = "predicateType"
	// AnnotationCosignSignature holds the base64 signature of a cosign
	// simple-signing layer.
	AnnotationCosignSignature = "dev.cosignproject.cosign/signature"
	// AnnotationCosignCertificate holds the PEM certificate of a keyless
	// cosign signature.
	AnnotationCosignCertificate = "dev.sigstore.cosign/certificate"
	// AnnotationCosignChain holds the PEM certificate chain of a keyless
	// cosign signature.
	AnnotationCosignChain = "dev.sigstore.cosign/chain"
	// AnnotationCosignBundle holds the transparency-log bundle of a cosign
	// signature.
	AnnotationCosignBundle = "dev.sigstore.cosign/bundle"
	// AnnotationCosignRFC3161Timestamp holds the RFC 3161 timestamp of a
	// cosign signature.
	AnnotationCosignRFC3161Timestamp = "dev.sigstore.cosign/rfc3161timestamp"
	// AnnotationBuildxReferenceType marks a BuildKit attestation manifest in
	// an index (value "attestation-manifest").
	AnnotationBuildxReferenceType = "vnd.docker.reference.type"
	// AnnotationBuildxReferenceDigest names the platform manifest a BuildKit
	// attestation manifest is about.
	AnnotationBuildxReferenceDigest = "vnd.docker.reference.digest"

	// PredicateTypeCosignSign is the predicate type of the statements cosign
	// v3 signs as image signatures.
	PredicateTypeCosignSign = "https://sigstore.dev/cosign/sign/v1"
)

// Discover finds every attestation attached to the image that ref names in
// src, and every signature attached to each attestation manifest.
//
// Attestations are sought for each platform manifest of an index (Docker
// Hardened Images attach them there) and for the index itself, through
// every mechanism of [Mechanisms]: the OCI 1.1 referrers API (artifact types
// are checked on the manifests themselves, since registries misreport and
// ignore filters), the referrers tag schema, BuildKit attestation manifests
// in the index, cosign's legacy .att and .sig tags and cosign v3 bundle
// referrers; in an OCI layout, manifests in index.json with a subject. What
// several mechanisms or repositories find is listed once, with every
// [Location]. A registry without the referrers API is not an error. To
// spend one request on tags rather than one per digest, Discover lists each
// repository's tags once; when listing is refused, it probes the tags it
// needs, and the referrers tag only where the referrers API is missing.
//
// Every manifest and blob named by a descriptor is read up to its declared
// size (plus one byte, to detect a longer body), hashed as it streams, and
// checked against its digest; declared sizes may not exceed the size limits.
// The work a registry can cause is bounded: entries per referrers listing
// ([WithMaxReferrers]), attestations per subject ([WithMaxAttestations]),
// signatures per attestation ([WithMaxSignatures]) and bytes in all
// ([WithMaxBytes]); beyond a bound, what fits is kept and a [*LimitError]
// is reported. Requests run concurrently ([WithConcurrency]) and honour
// ctx. [Discovery].Lookups records what each mechanism answered for each
// subject, so that a registry without the referrers API is visible.
//
// Discover verifies no signature: see [Verifier]. When some things could not
// be read, it returns the Discovery with everything else together with an
// error joining a [*FetchError] (or content error) for each; the affected
// Attestation or Signature carries its error in Err. When ctx ends first,
// it returns what was read by then, with a *FetchError wrapping the context
// error for each unfinished request and [ErrIncomplete]. It returns a nil
// Discovery only when the image itself cannot be read.
func Discover(ctx context.Context, src Storage, ref string, opts ...Option) (*Discovery, error) {
	o, err := makeOptions(opts...)
	if err != nil {
		return nil, err
	}
	if src == nil {
		return nil, errors.New("attest: Discover: nil Storage")
	}
	repo, id, err := src.parseRef(ref)
	if err != nil {
		return nil, err
	}
	repos := []string{repo}
	for _, r := range o.referrersRepos {
		canon, err := src.checkRepository(r)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(repos, canon) {
			repos = append(repos, canon)
		}
	}
	d := &discoverer{src: src, o: o, sem: make(chan struct{}, o.concurrency), workers: make(chan struct{}, o.concurrency-1),
		tagLists: map[string]*tagList{}, bud: newBudget(o.maxBytes)}
	return d.run(ctx, ref, repo, id, repos)
}

type discoverer struct {
	src     Storage
	o       options
	sem     chan struct{} // requests in flight
	workers chan struct{} // goroutines besides the callers of each
	bud     *budget

	mu       sync.Mutex
	errs     []error
	lookups  []Lookup
	tagLists map[string]*tagList
}

type tagList struct {
	once sync.Once
	set  map[string]bool
	ok   bool
}

// candidate is a manifest found to refer to a target.
type candidate struct {
	target int // index into targets
	desc   v1.Descriptor
	loc    Location
	body   []byte // the manifest, when already read (tags)
}

// fetched is a referrer manifest read once for all the ways it was found.
type fetched struct {
	desc  v1.Descriptor
	body  []byte
	m     artifactManifest
	cands []candidate
	err   error
}

type artifactManifest struct {
	MediaType    string            `json:"mediaType"`
	ArtifactType string            `json:"artifactType"`
	Config       v1.Descriptor     `json:"config"`
	Layers       []v1.Descriptor   `json:"layers"`
	Manifests    []v1.Descriptor   `json:"manifests"`
	Subject      *v1.Descriptor    `json:"subject"`
	Annotations  map[string]string `json:"annotations"`
}

func (m *artifactManifest) artifactType() string {
	if m.ArtifactType != "" {
		return m.ArtifactType
	}
	return string(m.Config.MediaType)
}

func (d *discoverer) fail(err error) {
	d.mu.Lock()
	d.errs = append(d.errs, err)
	d.mu.Unlock()
}

// io runs f holding one of the concurrency slots.
func (d *discoverer) io(ctx context.Context, f func() error) error {
	select {
	case d.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-d.sem }()
	if err := ctx.Err(); err != nil {
		return err
	}
	return f()
}

// each runs f(i) for i in [0, n) in the calling goroutine and in as many
// more as there are free worker slots (the concurrency setting less one,
// shared by the whole discovery), and waits for them: however many things
// a registry lists, discovery runs at most the concurrency setting's number
// of goroutines, plus one while attestation and signature reads overlap.
func (d *discoverer) each(n int, f func(i int)) {
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(1)) - 1
			if i >= n {
				return
			}
			f(i)
		}
	}
	var wg sync.WaitGroup
	for range min(n, d.o.concurrency) - 1 {
		select {
		case d.workers <- struct{}{}:
			wg.Go(func() {
				defer func() { <-d.workers }()
				work()
			})
		default:
		}
	}
	work()
	wg.Wait()
}

// readManifest reads the manifest that ref names; size, when positive, is
// the size its descriptor declares.
func (d *discoverer) readManifest(ctx context.Context, repo, ref string, size int64, mech Mechanism) (v1.Descriptor, []byte, error) {
	var desc v1.Descriptor
	var body []byte
	err := d.io(ctx, func() (err error) {
		desc, body, err = d.src.manifest(ctx, repo, ref, size, d.o.maxManifest, d.bud)
		return err
	})
	if err != nil {
		return v1.Descriptor{}, nil, &FetchError{Op: "reading manifest", Repository: repo, Ref: ref, Mechanism: mech, Err: err}
	}
	return desc, body, nil
}

func (d *discoverer) readBlob(ctx context.Context, repo string, desc v1.Descriptor, mech Mechanism) ([]byte, error) {
	var body []byte
	err := d.io(ctx, func() (err error) {
		body, err = d.src.blob(ctx, repo, desc, d.o.maxBlob, d.bud)
		return err
	})
	if err != nil {
		return nil, &FetchError{Op: "reading blob", Repository: repo, Ref: desc.Digest.String(), Mechanism: mech, Err: err}
	}
	return body, nil
}

// tagState reports whether tag exists in repo: known is false when the
// repository's tags cannot be listed.
func (d *discoverer) tagState(ctx context.Context, repo, tag string) (known, exists bool) {
	d.mu.Lock()
	tl, ok := d.tagLists[repo]
	if !ok {
		tl = &tagList{}
		d.tagLists[repo] = tl
	}
	d.mu.Unlock()
	tl.once.Do(func() {
		var tags []string
		err := d.io(ctx, func() (err error) {
			tags, tl.ok, err = d.src.tags(ctx, repo, d.o.maxManifest, d.bud)
			return err
		})
		if err != nil {
			// Listing failed for another reason than a refusal: fall back
			// to probing, which reports its own errors.
			tl.ok = false
			return
		}
		tl.set = make(map[string]bool, len(tags))
		for _, t := range tags {
			tl.set[t] = true
		}
	})
	if !tl.ok {
		return false, false
	}
	return true, tl.set[tag]
}

func digestTag(h v1.Hash) string { return h.Algorithm + "-" + h.Hex }

// run discovers in stages: resolve the reference, list the referrers of
// each target, read and classify the referrer manifests, read their
// content and the signatures of attestation manifests, then assemble the
// result. When ctx ends, what was read is returned with an error per
// unfinished request and [ErrIncomplete].
func (d *discoverer) run(ctx context.Context, ref, repo, id string, repos []string) (*Discovery, error) {
	out, targets, buildx, err := d.resolve(ctx, ref, repo, id)
	if err != nil {
		return nil, err
	}
	cands := d.listReferrers(ctx, targets, repos, buildx)
	atts, sigs := d.classifyAll(ctx, out, cands, targets)
	attSigs := d.readContent(ctx, out, atts, sigs)
	atts, sigs = moveBundleSignatures(atts, sigs)
	d.assemble(out, targets, atts, sigs, attSigs)
	if err := ctx.Err(); err != nil {
		d.fail(fmt.Errorf("%w: %w", ErrIncomplete, err))
	}
	return out, errors.Join(d.errs...)
}

// resolve reads the manifest or index that the reference names and returns
// the targets whose attestations are sought (the root, then the wanted
// platform manifests) and the BuildKit attestation manifests of the index.
func (d *discoverer) resolve(ctx context.Context, ref, repo, id string) (*Discovery, []v1.Descriptor, []candidate, error) {
	rootDesc, rootBody, err := d.readManifest(ctx, repo, id, 0, "")
	if err != nil {
		var fe *FetchError
		if errors.As(err, &fe) {
			fe.Op = "resolving"
		}
		return nil, nil, nil, err
	}
	out := &Discovery{Reference: ref, Repository: repo, Root: rootDesc}
	targets := []v1.Descriptor{rootDesc}
	if !isIndex(rootDesc.MediaType) {
		if err := d.checkManifestPlatform(ctx, ref, repo, rootBody); err != nil {
			return nil, nil, nil, err
		}
		out.Platforms = []v1.Descriptor{rootDesc}
		return out, targets, nil, nil
	}
	var idx v1.IndexManifest
	if err := json.Unmarshal(rootBody, &idx); err != nil {
		return nil, nil, nil, fmt.Errorf("attest: resolving %s: %w: decoding index: %v", ref, ErrInvalid, err)
	}
	var attManifests []v1.Descriptor
	for _, m := range idx.Manifests {
		if m.Annotations[AnnotationBuildxReferenceType] == "attestation-manifest" {
			attManifests = append(attManifests, m)
			continue
		}
		if !isManifest(m.MediaType) && !isIndex(m.MediaType) || !d.platformWanted(m.Platform) {
			continue
		}
		out.Platforms = append(out.Platforms, m)
		targets = append(targets, m)
	}
	if len(d.o.platforms) > 0 && len(out.Platforms) == 0 {
		perr := &PlatformError{Reference: ref, Wanted: d.o.platforms}
		for _, m := range idx.Manifests {
			if m.Platform != nil && m.Annotations[AnnotationBuildxReferenceType] != "attestation-manifest" {
				perr.Available = append(perr.Available, *m.Platform)
			}
		}
		return nil, nil, nil, perr
	}
	var buildx []candidate
	if d.o.uses(MechanismBuildxIndex) {
		for _, m := range attManifests {
			for i, t := range targets {
				if m.Annotations[AnnotationBuildxReferenceDigest] == t.Digest.String() {
					buildx = append(buildx, candidate{target: i, desc: m, loc: Location{Repository: repo, Mechanism: MechanismBuildxIndex}})
				}
			}
		}
	}
	return out, targets, buildx, nil
}

// listReferrers lists what refers to each target in each repository, and
// adds the BuildKit attestation manifests.
func (d *discoverer) listReferrers(ctx context.Context, targets []v1.Descriptor, repos []string, buildx []candidate) []candidate {
	type job struct {
		target int
		repo   string
	}
	var jobs []job
	for i := range targets {
		for _, r := range repos {
			jobs = append(jobs, job{i, r})
		}
	}
	found := make([][]candidate, len(jobs))
	d.each(len(jobs), func(i int) {
		found[i] = d.referrersOf(ctx, jobs[i].repo, targets[jobs[i].target].Digest, jobs[i].target, false)
	})
	return slices.Concat(append(found, buildx)...)
}

// classifyAll reads each referrer manifest once and sorts it into
// attestations, image signatures and other referrers (added to out), within
// the bound on attestations per subject.
func (d *discoverer) classifyAll(ctx context.Context, out *Discovery, cands []candidate, targets []v1.Descriptor) ([]*Attestation, []*Signature) {
	var atts []*Attestation
	var sigs []*Signature
	for _, f := range d.fetchAll(ctx, cands) {
		a, s, other := d.classify(f, targets, false)
		atts = append(atts, a...)
		sigs = append(sigs, s...)
		out.Other = append(out.Other, other...)
	}
	return d.boundAttestations(atts), sigs
}

// boundAttestations keeps at most the configured number of attestations per
// target, in digest order, and reports a *LimitError for each target over it.
func (d *discoverer) boundAttestations(atts []*Attestation) []*Attestation {
	count := map[v1.Hash]int{}
	for _, a := range atts {
		count[a.Target.Digest]++
	}
	if !slices.ContainsFunc(atts, func(a *Attestation) bool { return count[a.Target.Digest] > d.o.maxAtts }) {
		return atts
	}
	slices.SortStableFunc(atts, func(a, b *Attestation) int {
		return cmp.Or(
			strings.Compare(a.Manifest.Digest.String(), b.Manifest.Digest.String()),
			cmp.Compare(a.LayerIndex, b.LayerIndex),
		)
	})
	kept := map[v1.Hash]int{}
	out := atts[:0]
	for _, a := range atts {
		t := a.Target.Digest
		if kept[t] == d.o.maxAtts {
			if count[t] > 0 {
				count[t] = 0
				d.fail(&LimitError{Kind: LimitAttestations, Max: int64(d.o.maxAtts), Subject: t.String()})
			}
			continue
		}
		kept[t]++
		out = append(out, a)
	}
	return out
}

// readContent reads the attestation layers and image signature layers
// while it lists, reads and classifies the signatures of each attestation
// manifest in each repository where it was found, and returns those.
func (d *discoverer) readContent(ctx context.Context, out *Discovery, atts []*Attestation, sigs []*Signature) []*Signature {
	// The signatures are listed for the attestation manifests that were
	// read and classified; which ones is decided here, before the layer
	// reads below start setting Err.
	listable := make([]*Attestation, 0, len(atts))
	for _, a := range atts {
		if a.Err == nil {
			listable = append(listable, a)
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		d.each(len(atts)+len(sigs), func(i int) {
			if i < len(atts) {
				d.readAttestation(ctx, atts[i])
				return
			}
			d.readSignature(ctx, sigs[i-len(atts)])
		})
	})
	attSigs := d.attestationSignatures(ctx, out, listable)
	wg.Wait()
	return attSigs
}

// attestationSignatures lists the signatures of each attestation manifest
// in each repository where it was found, reads them, and adds other
// referrers of attestation manifests to out. It reads only the manifest
// fields of atts (Manifest, Locations), which the concurrent layer reads do
// not write.
func (d *discoverer) attestationSignatures(ctx context.Context, out *Discovery, atts []*Attestation) []*Signature {
	var sigTargets []v1.Descriptor
	var sigRepos []string
	seen := map[v1.Hash]bool{}
	for _, a := range atts {
		if seen[a.Manifest.Digest] {
			continue
		}
		seen[a.Manifest.Digest] = true
		var done []string
		for _, loc := range a.Locations {
			if !slices.Contains(done, loc.Repository) {
				done = append(done, loc.Repository)
				sigTargets = append(sigTargets, a.Manifest)
				sigRepos = append(sigRepos, loc.Repository)
			}
		}
	}
	sigFound := make([][]candidate, len(sigTargets))
	d.each(len(sigTargets), func(i int) {
		sigFound[i] = d.referrersOf(ctx, sigRepos[i], sigTargets[i].Digest, i, true)
	})
	var attSigs []*Signature
	for _, f := range d.fetchAll(ctx, d.boundSignatureCandidates(sigFound, sigTargets)) {
		a, s, other := d.classify(f, sigTargets, true)
		for _, x := range a {
			// An attestation about an attestation manifest is kept, not
			// interpreted.
			out.Other = append(out.Other, &Referrer{Target: x.Target, Locations: x.Locations, Manifest: x.Manifest, ArtifactType: x.Manifest.ArtifactType})
		}
		attSigs = append(attSigs, s...)
		out.Other = append(out.Other, other...)
	}
	attSigs = d.boundSignatures(attSigs)
	d.each(len(attSigs), func(i int) { d.readSignature(ctx, attSigs[i]) })
	return attSigs
}

// boundSignatureCandidates keeps at most the configured number of signature
// manifests per attestation manifest.
func (d *discoverer) boundSignatureCandidates(found [][]candidate, targets []v1.Descriptor) []candidate {
	var out []candidate
	for i, cs := range found {
		if len(cs) > d.o.maxSigs {
			d.fail(&LimitError{Kind: LimitSignatures, Max: int64(d.o.maxSigs), Subject: targets[i].Digest.String()})
			cs = cs[:d.o.maxSigs]
		}
		out = append(out, cs...)
	}
	return out
}

// boundSignatures keeps at most the configured number of signatures (layers
// of signature manifests) per attestation manifest.
func (d *discoverer) boundSignatures(sigs []*Signature) []*Signature {
	count := map[v1.Hash]int{}
	out := sigs[:0]
	for _, s := range sigs {
		t := s.Target.Digest
		count[t]++
		if count[t] > d.o.maxSigs {
			if count[t] == d.o.maxSigs+1 {
				d.fail(&LimitError{Kind: LimitSignatures, Max: int64(d.o.maxSigs), Subject: t.String()})
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

// moveBundleSignatures moves to the signatures a bundle referrer of the
// image without a predicate-type annotation, which is known to be a
// signature only once read.
func moveBundleSignatures(atts []*Attestation, sigs []*Signature) ([]*Attestation, []*Signature) {
	atts = slices.DeleteFunc(atts, func(a *Attestation) bool {
		if a.Content == nil || a.Content.Format != FormatBundle || a.Mechanism() == MechanismCosignAttTag {
			return false
		}
		if a.Content.Statement != nil && a.Content.Statement.PredicateType != PredicateTypeCosignSign {
			return false
		}
		sigs = append(sigs, &Signature{Kind: SignatureBundle, Target: a.Target, Locations: a.Locations, Manifest: a.Manifest, Layer: a.Layer, Bundle: a.Content})
		return true
	})
	return atts, sigs
}

// assemble attaches signatures to the attestations of the manifest they
// sign, keeps what the caller asked for, and fills out in a deterministic
// order.
func (d *discoverer) assemble(out *Discovery, targets []v1.Descriptor, atts []*Attestation, sigs, attSigs []*Signature) {
	byManifest := map[v1.Hash][]*Attestation{}
	for _, a := range atts {
		byManifest[a.Manifest.Digest] = append(byManifest[a.Manifest.Digest], a)
	}
	for _, s := range dedupeSignatures(attSigs) {
		for _, a := range byManifest[s.Target.Digest] {
			a.Signatures = append(a.Signatures, s)
		}
	}
	order := map[v1.Hash]int{}
	for i, t := range targets {
		if _, ok := order[t.Digest]; !ok {
			order[t.Digest] = i
		}
	}
	atts = slices.DeleteFunc(atts, func(a *Attestation) bool {
		return a.Err == nil && !d.o.wantsType(a.PredicateType)
	})
	slices.SortStableFunc(atts, func(a, b *Attestation) int {
		return cmp.Or(
			cmp.Compare(order[a.Target.Digest], order[b.Target.Digest]),
			strings.Compare(a.PredicateType, b.PredicateType),
			strings.Compare(a.Manifest.Digest.String(), b.Manifest.Digest.String()),
			cmp.Compare(a.LayerIndex, b.LayerIndex),
		)
	})
	for _, a := range atts {
		sortSignatures(a.Signatures, nil)
	}
	sigs = dedupeSignatures(sigs)
	sortSignatures(sigs, order)
	slices.SortStableFunc(out.Other, func(a, b *Referrer) int {
		return cmp.Or(
			cmp.Compare(order[a.Target.Digest], order[b.Target.Digest]),
			strings.Compare(a.Target.Digest.String(), b.Target.Digest.String()),
			strings.Compare(a.Manifest.Digest.String(), b.Manifest.Digest.String()),
		)
	})
	out.Lookups = d.sortedLookups(order)
	out.Attestations = atts
	out.Signatures = sigs
}

// sortedLookups returns the lookups recorded, by target order, repository
// and mechanism.
func (d *discoverer) sortedLookups(order map[v1.Hash]int) []Lookup {
	mechOrder := map[Mechanism]int{}
	for i, m := range Mechanisms() {
		mechOrder[m] = i
	}
	d.mu.Lock()
	lookups := slices.Clone(d.lookups)
	d.mu.Unlock()
	slices.SortStableFunc(lookups, func(a, b Lookup) int {
		return cmp.Or(
			cmp.Compare(order[a.Subject], order[b.Subject]),
			strings.Compare(a.Repository, b.Repository),
			cmp.Compare(mechOrder[a.Mechanism], mechOrder[b.Mechanism]),
		)
	})
	return lookups
}

// checkManifestPlatform returns a [*PlatformError] when a platform filter
// is set and the single-platform image whose manifest is body is of another
// platform, read from its config.
func (d *discoverer) checkManifestPlatform(ctx context.Context, ref, repo string, body []byte) error {
	if len(d.o.platforms) == 0 {
		return nil
	}
	var m v1.Manifest
	if err := json.Unmarshal(body, &m); err != nil {
		return fmt.Errorf("attest: resolving %s: %w: decoding manifest: %v", ref, ErrInvalid, err)
	}
	cfg, err := d.readBlob(ctx, repo, m.Config, "")
	if err != nil {
		return err
	}
	var p v1.Platform
	if err := json.Unmarshal(cfg, &p); err != nil {
		return fmt.Errorf("attest: resolving %s: %w: decoding config: %v", ref, ErrInvalid, err)
	}
	if d.platformWanted(&p) {
		return nil
	}
	perr := &PlatformError{Reference: ref, Wanted: d.o.platforms}
	if p.OS != "" || p.Architecture != "" {
		perr.Available = []v1.Platform{p}
	}
	return perr
}

func (d *discoverer) platformWanted(p *v1.Platform) bool {
	if len(d.o.platforms) == 0 {
		return true
	}
	if p == nil {
		return false
	}
	for _, want := range d.o.platforms {
		if p.Satisfies(want) {
			return true
		}
	}
	return false
}

// record keeps a lookup of the referrers of an image target.
func (d *discoverer) record(l Lookup) {
	d.mu.Lock()
	d.lookups = append(d.lookups, l)
	d.mu.Unlock()
}

// referrersOf lists what refers to digest h in repo through every enabled
// mechanism. With forSignatures, cosign's .att tag is not sought and no
// lookup is recorded.
func (d *discoverer) referrersOf(ctx context.Context, repo string, h v1.Hash, target int, forSignatures bool) []candidate {
	record := func(l Lookup) {
		if !forSignatures {
			l.Subject, l.Repository = h, repo
			d.record(l)
		}
	}
	out, apiOK := d.nativeReferrers(ctx, repo, h, target, record)
	byTag := func(tag string, mech Mechanism, probe bool) {
		if !d.o.uses(mech) {
			return
		}
		known, exists := d.tagState(ctx, repo, tag)
		if !known && !probe {
			return
		}
		if known && !exists {
			record(Lookup{Mechanism: mech, Outcome: OutcomeNone})
			return
		}
		cs, err := d.taggedReferrers(ctx, repo, tag, mech, target)
		switch {
		case errors.Is(err, ErrNotFound) && !errors.Is(err, ErrLimit):
			record(Lookup{Mechanism: mech, Outcome: OutcomeNone})
		case err != nil:
			d.fail(err)
			record(Lookup{Mechanism: mech, Outcome: OutcomeFailed, Found: len(cs), Err: err})
		default:
			record(Lookup{Mechanism: mech, Outcome: OutcomeFound, Found: len(cs)})
		}
		out = append(out, cs...)
	}
	byTag(digestTag(h), MechanismReferrersTag, !apiOK)
	if !forSignatures {
		byTag(digestTag(h)+".att", MechanismCosignAttTag, true)
	}
	byTag(digestTag(h)+".sig", MechanismCosignSigTag, true)
	return out
}

// nativeReferrers lists the referrers of h through the storage's own
// mechanism (the referrers API, or a layout's subjects). apiOK is false
// when the API is missing or failed, so that the referrers tag is sought.
func (d *discoverer) nativeReferrers(ctx context.Context, repo string, h v1.Hash, target int, record func(Lookup)) (out []candidate, apiOK bool) {
	if !d.o.uses(MechanismReferrersAPI) && !d.o.uses(MechanismLayoutSubject) {
		return nil, false
	}
	var ans referrersAnswer
	err := d.io(ctx, func() (err error) {
		ans, err = d.src.referrers(ctx, repo, h, d.o.maxManifest, d.o.maxReferrers, d.bud)
		return err
	})
	mech := cmp.Or(ans.mech, MechanismReferrersAPI)
	if !d.o.uses(mech) {
		return nil, ans.status == apiAnswered && err == nil
	}
	if ans.status == apiAnswered {
		for _, desc := range ans.descs {
			out = append(out, candidate{target: target, desc: desc, loc: Location{Repository: repo, Mechanism: mech}})
		}
	}
	switch {
	case err != nil:
		fe := &FetchError{Op: "listing referrers of", Repository: repo, Ref: h.String(), Mechanism: mech, Err: err}
		d.fail(fe)
		record(Lookup{Mechanism: mech, Outcome: OutcomeFailed, Found: len(out), Answer: ans.answer, Err: fe})
		// A listing over the bound still shows that the API works.
		return out, errors.Is(err, ErrLimit)
	case ans.status == apiMissing:
		record(Lookup{Mechanism: mech, Outcome: OutcomeUnavailable, Answer: ans.answer})
		return nil, false
	case len(out) == 0:
		record(Lookup{Mechanism: mech, Outcome: OutcomeNone})
	default:
		record(Lookup{Mechanism: mech, Outcome: OutcomeFound, Found: len(out)})
	}
	return out, true
}

// taggedReferrers reads the manifest tagged tag: a referrers tag schema
// index, whose entries refer to the target, or a cosign .att or .sig image.
func (d *discoverer) taggedReferrers(ctx context.Context, repo, tag string, mech Mechanism, target int) ([]candidate, error) {
	desc, body, err := d.readManifest(ctx, repo, tag, 0, mech)
	if err != nil {
		return nil, err
	}
	loc := Location{Repository: repo, Mechanism: mech}
	if mech != MechanismReferrersTag {
		return []candidate{{target: target, desc: desc, loc: loc, body: body}}, nil
	}
	var idx v1.IndexManifest
	if err := json.Unmarshal(body, &idx); err != nil || !isIndex(desc.MediaType) {
		return nil, &FetchError{Op: "reading referrers tag", Repository: repo, Ref: tag, Mechanism: mech, Err: fmt.Errorf("%w: not an image index", ErrInvalid)}
	}
	var limitErr error
	if len(idx.Manifests) > d.o.maxReferrers {
		idx.Manifests = idx.Manifests[:d.o.maxReferrers]
		limitErr = &FetchError{Op: "reading referrers tag", Repository: repo, Ref: tag, Mechanism: mech,
			Err: &LimitError{Kind: LimitReferrers, Max: int64(d.o.maxReferrers), Subject: desc.Digest.String()}}
	}
	var out []candidate
	for _, m := range idx.Manifests {
		out = append(out, candidate{target: target, desc: m, loc: loc})
	}
	return out, limitErr
}

// fetchAll reads each distinct manifest among cands once (per target), in
// the first repository it was found in.
func (d *discoverer) fetchAll(ctx context.Context, cands []candidate) []*fetched {
	type key struct {
		target int
		digest v1.Hash
	}
	index := map[key]*fetched{}
	var list []*fetched
	for _, c := range cands {
		k := key{c.target, c.desc.Digest}
		f, ok := index[k]
		if !ok {
			f = &fetched{desc: c.desc}
			index[k] = f
			list = append(list, f)
		}
		if f.body == nil && c.body != nil {
			f.body = c.body
		}
		if !slices.ContainsFunc(f.cands, func(x candidate) bool { return x.loc == c.loc }) {
			f.cands = append(f.cands, c)
		}
	}
	// Reuse bodies read under one target for the same digest under another.
	bodies := map[v1.Hash][]byte{}
	for _, f := range list {
		if f.body != nil {
			bodies[f.desc.Digest] = f.body
		}
	}
	d.each(len(list), func(i int) { d.fetchOne(ctx, list[i], bodies) })
	return list
}

// fetchOne reads and decodes one referrer manifest, unless its body is
// already known.
func (d *discoverer) fetchOne(ctx context.Context, f *fetched, bodies map[v1.Hash][]byte) {
	c := f.cands[0]
	if f.body == nil {
		if b, ok := bodies[f.desc.Digest]; ok {
			f.body = b
		} else {
			desc, body, err := d.readManifest(ctx, c.loc.Repository, f.desc.Digest.String(), f.desc.Size, c.loc.Mechanism)
			if err != nil {
				f.err = err
				d.fail(err)
				return
			}
			f.body = body
			f.desc.MediaType = desc.MediaType
		}
	}
	if err := json.Unmarshal(f.body, &f.m); err != nil {
		f.err = &FetchError{Op: "decoding manifest", Repository: c.loc.Repository, Ref: f.desc.Digest.String(), Mechanism: c.loc.Mechanism, Err: fmt.Errorf("%w: %v", ErrInvalid, err)}
		d.fail(f.err)
		return
	}
	if f.m.MediaType != "" {
		f.desc.MediaType = v1MediaType(f.m.MediaType)
	}
	f.desc.Size = int64(len(f.body))
	f.desc.ArtifactType = f.m.artifactType()
	if f.desc.Annotations == nil {
		f.desc.Annotations = f.m.Annotations
	}
}

// classify turns a referrer manifest into attestations, signatures, or an
// uninterpreted referrer. With signatures, the targets are attestation
// manifests, and a bundle referring to one is its signature.
func (d *discoverer) classify(f *fetched, targets []v1.Descriptor, signatures bool) ([]*Attestation, []*Signature, []*Referrer) {
	c0 := f.cands[0]
	target := targets[c0.target]
	locs := make([]Location, len(f.cands))
	for i, c := range f.cands {
		locs[i] = c.loc
	}
	if f.err != nil {
		return []*Attestation{{Target: target, Locations: locs, Manifest: f.desc, Err: f.err}}, nil, nil
	}
	at := f.m.artifactType()
	mech := c0.loc.Mechanism
	switch {
	case at == ArtifactTypeCosignSignature || mech == MechanismCosignSigTag || allLayers(f.m.Layers, MediaTypeSimpleSigning):
		var sigs []*Signature
		for i, l := range f.m.Layers {
			if string(l.MediaType) != MediaTypeSimpleSigning {
				continue
			}
			sigs = append(sigs, &Signature{Kind: SignatureSimpleSigning, Target: target, Locations: locs, Manifest: f.desc, LayerIndex: i, Layer: l})
		}
		return nil, sigs, nil
	case strings.HasPrefix(at, bundleMediaTypePrefix):
		pt := f.m.Annotations[AnnotationBundlePredicateType]
		if pt == PredicateTypeCosignSign || signatures || len(f.m.Layers) != 1 {
			if len(f.m.Layers) != 1 {
				err := &FetchError{Op: "reading bundle referrer", Repository: c0.loc.Repository, Ref: f.desc.Digest.String(), Mechanism: mech,
					Err: fmt.Errorf("%w: a bundle manifest must have one layer, this has %d", ErrInvalid, len(f.m.Layers))}
				d.fail(err)
				return []*Attestation{{Target: target, Locations: locs, Manifest: f.desc, RawManifest: f.body, Err: err}}, nil, nil
			}
			return nil, []*Signature{{Kind: SignatureBundle, Target: target, Locations: locs, Manifest: f.desc, Layer: f.m.Layers[0]}}, nil
		}
		// The predicate type decides once the bundle is read; a bundle that
		// turns out to be a signature is moved then.
		return []*Attestation{{Target: target, Locations: locs, Manifest: f.desc, RawManifest: f.body, Layer: f.m.Layers[0], PredicateType: pt}}, nil, nil
	case at == ArtifactTypeInToto || mech == MechanismCosignAttTag || mech == MechanismBuildxIndex || anyInTotoLayer(f.m.Layers):
		var atts []*Attestation
		for i, l := range f.m.Layers {
			if !isAttestationLayer(string(l.MediaType)) && at != ArtifactTypeInToto {
				continue
			}
			atts = append(atts, &Attestation{Target: target, Locations: locs, Manifest: f.desc, RawManifest: f.body, LayerIndex: i, Layer: l, PredicateType: layerPredicateType(l)})
		}
		return atts, nil, nil
	}
	return nil, nil, []*Referrer{{Target: target, Locations: locs, Manifest: f.desc, ArtifactType: at}}
}

func allLayers(ls []v1.Descriptor, mt string) bool {
	if len(ls) == 0 {
		return false
	}
	for _, l := range ls {
		if string(l.MediaType) != mt {
			return false
		}
	}
	return true
}

func anyInTotoLayer(ls []v1.Descriptor) bool {
	return slices.ContainsFunc(ls, func(l v1.Descriptor) bool { return isAttestationLayer(string(l.MediaType)) })
}

// isAttestationLayer reports whether a layer media type holds an in-toto
// statement or a DSSE envelope: application/vnd.in-toto+json, the DSSE
// envelope type, and docker/attest's application/vnd.in-toto.<kind>+dsse.
func isAttestationLayer(mt string) bool {
	return mt == ArtifactTypeInToto || mt == MediaTypeDSSE ||
		strings.HasPrefix(mt, "application/vnd.in-toto.") && (strings.HasSuffix(mt, "+dsse") || strings.HasSuffix(mt, "+json"))
}

func layerPredicateType(l v1.Descriptor) string {
	for _, k := range []string{AnnotationPredicateType, AnnotationCosignPredicateType, AnnotationBundlePredicateType} {
		if v := l.Annotations[k]; v != "" {
			return v
		}
	}
	return ""
}

// readAttestation reads and decodes an attestation's layer, unless its
// annotated predicate type is not wanted.
func (d *discoverer) readAttestation(ctx context.Context, a *Attestation) {
	if a.Err != nil {
		return
	}
	annotated := a.PredicateType
	if annotated != "" && !d.o.wantsType(annotated) {
		return
	}
	loc := a.Locations[0]
	b, err := d.readBlob(ctx, loc.Repository, a.Layer, loc.Mechanism)
	if err != nil {
		a.Err = err
		d.fail(err)
		return
	}
	c, err := Parse(b)
	if err != nil {
		a.Err = &FetchError{Op: "decoding attestation layer", Repository: loc.Repository, Ref: a.Layer.Digest.String(), Mechanism: loc.Mechanism, Err: err}
		d.fail(a.Err)
		return
	}
	a.Content = c
	if pt := c.PredicateType(); pt != "" {
		if annotated != "" && annotated != pt {
			a.Err = &FetchError{Op: "checking attestation layer", Repository: loc.Repository, Ref: a.Layer.Digest.String(), Mechanism: loc.Mechanism,
				Err: fmt.Errorf("%w: annotation says %q, statement says %q (manifest %s)", ErrPredicateTypeMismatch, annotated, pt, a.Manifest.Digest)}
			d.fail(a.Err)
		}
		a.PredicateType = pt
	}
}

// readSignature reads a signature's layer and its annotations.
func (d *discoverer) readSignature(ctx context.Context, s *Signature) {
	loc := s.Locations[0]
	b, err := d.readBlob(ctx, loc.Repository, s.Layer, loc.Mechanism)
	if err != nil {
		s.Err = err
		d.fail(err)
		return
	}
	s.Payload = b
	switch s.Kind {
	case SignatureSimpleSigning:
		ann := s.Layer.Annotations
		v, err := base64.StdEncoding.DecodeString(ann[AnnotationCosignSignature])
		if err != nil || len(v) == 0 {
			s.Err = &FetchError{Op: "decoding signature annotation", Repository: loc.Repository, Ref: s.Manifest.Digest.String(), Mechanism: loc.Mechanism,
				Err: fmt.Errorf("%w: %s is missing or not base64", ErrInvalid, AnnotationCosignSignature)}
			d.fail(s.Err)
			return
		}
		s.Value = v
		s.Certificate = optionalBytes(ann[AnnotationCosignCertificate])
		s.Chain = optionalBytes(ann[AnnotationCosignChain])
		s.RekorBundle = optionalBytes(ann[AnnotationCosignBundle])
		s.RFC3161Timestamp = optionalBytes(ann[AnnotationCosignRFC3161Timestamp])
	case SignatureBundle:
		c, err := Parse(b)
		if err != nil {
			s.Err = &FetchError{Op: "decoding signature bundle", Repository: loc.Repository, Ref: s.Layer.Digest.String(), Mechanism: loc.Mechanism, Err: err}
			d.fail(s.Err)
			return
		}
		s.Bundle = c
	}
}

func optionalBytes(s string) []byte {
	if s == "" {
		return nil
	}
	return []byte(s)
}

func dedupeSignatures(sigs []*Signature) []*Signature {
	type key struct {
		target, manifest v1.Hash
		layer            int
	}
	seen := map[key]*Signature{}
	out := sigs[:0]
	for _, s := range sigs {
		k := key{s.Target.Digest, s.Manifest.Digest, s.LayerIndex}
		if prev, ok := seen[k]; ok {
			for _, l := range s.Locations {
				if !slices.Contains(prev.Locations, l) {
					prev.Locations = append(prev.Locations, l)
				}
			}
			continue
		}
		seen[k] = s
		out = append(out, s)
	}
	return out
}

func sortSignatures(sigs []*Signature, order map[v1.Hash]int) {
	slices.SortStableFunc(sigs, func(a, b *Signature) int {
		return cmp.Or(
			cmp.Compare(order[a.Target.Digest], order[b.Target.Digest]),
			strings.Compare(a.Target.Digest.String(), b.Target.Digest.String()),
			strings.Compare(string(a.Kind), string(b.Kind)),
			strings.Compare(a.Manifest.Digest.String(), b.Manifest.Digest.String()),
			cmp.Compare(a.LayerIndex, b.LayerIndex),
		)
	})
}
