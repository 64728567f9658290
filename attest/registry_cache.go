package attest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/attest/cache"
)

// WithCache makes the registry source read through c, a cache on disk
// that processes can share. The default is no cache.
//
// Manifests read by digest and blobs (attestation layers, signatures, image
// configs) are looked up in c first, under the same size limits, declared
// sizes and byte budget as a network read, and stored in c once fetched and
// checked against their digest. A read that c answers sends no request: the
// repository's authentication handshake waits for the first read c cannot
// answer. What is not addressed by a digest, a tag's resolution (including
// the tags of the referrers tag schema and cosign's tags, found or not),
// a repository's tag list and a referrers listing, is kept in c only when it
// has a time-to-live ([cache.WithTTL]), and used until it expires; without
// one these are always fetched, so that new attestations are seen at once.
//
// Content is hashed on every read from c, so a damaged or poisoned cache
// causes a refetch, never bytes other than their digest names; signatures
// are verified on every [Verifier.Verify] whatever the source of the bytes.
// Content is shared across repositories: a digest read from one repository
// is served from c when another repository names it, which is safe for
// integrity since the digest names the bytes. Keyed answers (tags and
// listings) are not protected by a digest the caller knows: whoever can write
// to c's directory can make them hide attestations or point a tag at other
// content, as a hostile registry could; they are checked downstream like
// any registry answer. The directory holds what private repositories
// served: keep it private to the user ([cache.Open] creates it so). Layouts
// and archives are never cached.
func WithCache(c *cache.Cache) RegistryOption {
	return func(o *registryOptions) error {
		if c == nil {
			return errors.New("attest: WithCache: nil cache")
		}
		o.cache = c
		return nil
	}
}

// keyedVersion changes when the encoding of keyed answers does, so that an
// older cache's entries are not misread.
const keyedVersion = "attest/1"

// cacheKey returns the key of a keyed answer: its kind, the registry's
// scheme, the repository and the parts that select the answer.
func (r *registry) cacheKey(kind, repo string, parts ...string) string {
	scheme := "https"
	if parsed, err := name.NewRepository(repo, r.nameOpts()...); err == nil {
		scheme = parsed.Scheme()
	}
	return strings.Join(append([]string{keyedVersion, kind, scheme + "://" + repo}, parts...), "\x00")
}

// keyedOK reports whether keyed answers are cached.
func (r *registry) keyedOK() bool { return r.o.cache != nil && r.o.cache.TTL() > 0 }

// cachedManifest returns the manifest with digest want from the cache. When
// declared is true, size is its declared size: the size checks and budget
// charge were made, and an entry of another size fails as a network read
// of it would. Otherwise limit bounds it and bud is charged.
func (r *registry) cachedManifest(want v1.Hash, declared bool, size, limit int64, bud *budget) (v1.Descriptor, []byte, bool, error) {
	if r.o.cache == nil {
		return v1.Descriptor{}, nil, false, nil
	}
	max := limit
	if declared {
		max = size
	}
	b, ok := r.o.cache.Get(want, max)
	if !ok {
		return v1.Descriptor{}, nil, false, nil
	}
	if declared && int64(len(b)) != size {
		return v1.Descriptor{}, nil, true, fmt.Errorf("%w: read %s bytes, descriptor says %d", ErrDigestMismatch, sizeText(len(b), size), size)
	}
	if !declared {
		if err := bud.take(int64(len(b))); err != nil {
			return v1.Descriptor{}, nil, true, err
		}
	}
	// No Content-Type is kept: the type comes from the content, as in a
	// layout.
	return v1.Descriptor{MediaType: manifestMediaType(b, ""), Size: int64(len(b)), Digest: want}, b, true, nil
}

// cachedBlob returns the blob desc names from the cache; desc's size was
// checked against the limit and charged to the budget.
func (r *registry) cachedBlob(desc v1.Descriptor) ([]byte, bool, error) {
	if r.o.cache == nil {
		return nil, false, nil
	}
	b, ok := r.o.cache.Get(desc.Digest, desc.Size)
	if !ok {
		return nil, false, nil
	}
	if int64(len(b)) != desc.Size {
		return nil, true, fmt.Errorf("%w: read %s bytes, descriptor says %d", ErrDigestMismatch, sizeText(len(b), desc.Size), desc.Size)
	}
	return b, true, nil
}

// storeContent keeps b, checked against d, in the cache. A failure to
// write (a full disk, a read-only directory) costs a refetch later, not
// this read.
func (r *registry) storeContent(d v1.Hash, b []byte) {
	if r.o.cache != nil {
		_ = r.o.cache.Put(d, b) // best effort, see above
	}
}

// storeKeyed keeps a keyed answer when the cache has a time-to-live; a
// failure to write costs a refetch later.
func (r *registry) storeKeyed(key string, value []byte) {
	if r.keyedOK() {
		_ = r.o.cache.PutKeyed(key, value) // best effort, see storeContent
	}
}

// tagAnswer is a manifest-by-tag answer as kept in the cache: the first
// line is "found" and the Content-Type, or "notfound"; the body follows.
type tagAnswer struct {
	found bool
	ct    string
	body  []byte
}

// maxTagHeader bounds the first line of an encoded tagAnswer.
const maxTagHeader = 1024

func (a tagAnswer) encode() []byte {
	if !a.found {
		return []byte("notfound\n")
	}
	return append([]byte("found "+strings.ReplaceAll(a.ct, "\n", "")+"\n"), a.body...)
}

func decodeTagAnswer(b []byte) (tagAnswer, bool) {
	line, body, ok := bytes.Cut(b, []byte("\n"))
	if !ok {
		return tagAnswer{}, false
	}
	if string(line) == "notfound" {
		return tagAnswer{}, len(body) == 0
	}
	ct, ok := strings.CutPrefix(string(line), "found ")
	return tagAnswer{found: true, ct: ct, body: body}, ok
}

// cachedTag returns the resolution of tag from the cache, when keyed
// answers are cached: the manifest (at most limit bytes, charged to bud),
// or ErrNotFound.
func (r *registry) cachedTag(key string, limit int64, bud *budget) (v1.Descriptor, []byte, bool, error) {
	if !r.keyedOK() {
		return v1.Descriptor{}, nil, false, nil
	}
	v, ok := r.o.cache.GetKeyed(key, limit+maxTagHeader)
	if !ok {
		return v1.Descriptor{}, nil, false, nil
	}
	a, ok := decodeTagAnswer(v)
	if !ok || int64(len(a.body)) > limit {
		return v1.Descriptor{}, nil, false, nil
	}
	if !a.found {
		return v1.Descriptor{}, nil, true, ErrNotFound
	}
	if err := bud.take(int64(len(a.body))); err != nil {
		return v1.Descriptor{}, nil, true, err
	}
	return v1.Descriptor{MediaType: manifestMediaType(a.body, a.ct), Size: int64(len(a.body)), Digest: sha256Hash(a.body)}, a.body, true, nil
}

// cachedReferrers is a referrers answer as kept in the cache.
type cachedReferrers struct {
	Descriptors []v1.Descriptor `json:"descriptors"`
	Missing     bool            `json:"missing,omitempty"`
	Answer      string          `json:"answer,omitempty"`
}

// cachedReferrersAnswer returns a referrers listing from the cache, when
// keyed answers are cached, with the entry bound of a network listing.
func (r *registry) cachedReferrersAnswer(key string, d v1.Hash, limit int64, maxEntries int, bud *budget) (referrersAnswer, bool, error) {
	ans := referrersAnswer{mech: MechanismReferrersAPI, status: apiAnswered}
	if !r.keyedOK() {
		return ans, false, nil
	}
	v, ok := r.o.cache.GetKeyed(key, limit)
	if !ok {
		return ans, false, nil
	}
	var cr cachedReferrers
	if json.Unmarshal(v, &cr) != nil {
		return ans, false, nil
	}
	if err := bud.take(int64(len(v))); err != nil {
		return ans, true, err
	}
	if cr.Missing {
		ans.status, ans.answer = apiMissing, cr.Answer
		return ans, true, nil
	}
	ans.descs = cr.Descriptors
	if len(ans.descs) > maxEntries {
		ans.descs = ans.descs[:maxEntries]
		return ans, true, &LimitError{Kind: LimitReferrers, Max: int64(maxEntries), Subject: d.String()}
	}
	return ans, true, nil
}

// storeReferrers keeps a complete referrers answer.
func (r *registry) storeReferrers(key string, ans referrersAnswer) {
	if !r.keyedOK() || ans.status == apiInvalid {
		return
	}
	v, err := json.Marshal(cachedReferrers{Descriptors: ans.descs, Missing: ans.status == apiMissing, Answer: ans.answer})
	if err == nil {
		r.storeKeyed(key, v)
	}
}

// cachedTagList is a tag listing as kept in the cache.
type cachedTagList struct {
	Tags []string `json:"tags"`
	OK   bool     `json:"ok"`
}

func (r *registry) cachedTags(key string, limit int64, bud *budget) ([]string, bool, bool, error) {
	if !r.keyedOK() {
		return nil, false, false, nil
	}
	v, ok := r.o.cache.GetKeyed(key, limit)
	if !ok {
		return nil, false, false, nil
	}
	var tl cachedTagList
	if json.Unmarshal(v, &tl) != nil {
		return nil, false, false, nil
	}
	if err := bud.take(int64(len(v))); err != nil {
		return nil, false, true, err
	}
	return tl.Tags, tl.OK, true, nil
}

func (r *registry) storeTags(key string, tags []string, ok bool) {
	if !r.keyedOK() {
		return
	}
	v, err := json.Marshal(cachedTagList{Tags: tags, OK: ok})
	if err == nil {
		r.storeKeyed(key, v)
	}
}
