package attest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"slices"
	"sync/atomic"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Storage is OCI storage that attestations can be discovered in: a registry
// ([Registry]), an OCI image layout directory ([Layout], [LayoutFS]) or an OCI
// archive ([Archive]). Its methods other than Close are unexported; the
// constructors in this package are the only implementations.
//
// Storage is closed on purpose: discovery's guarantees (bytes checked
// against their digests, size limits, the request budget, the referrers
// API and tag-schema fallbacks) live in these methods, and an open
// interface would hand them to every implementer. Other storage is reached
// through [WithTransport] (any HTTP registry, or a fake) or [LayoutFS]
// (any [io/fs.FS]).
//
// A registry Storage given [WithCache] serves manifests read by digest and
// blobs from the cache when it holds them, with the same checks, and tags
// and listings only under the cache's time-to-live; layouts and archives are
// read directly.
type Storage interface {
	// Close releases the connections the source holds (registries); it
	// does nothing for layouts and archives. A closed source must not be
	// used again.
	Close() error

	// repository returns the canonical name of the repository that ref
	// (an image reference, or for layouts a tag or digest) lives in, and the
	// tag or digest part of ref.
	parseRef(ref string) (repo, tagOrDigest string, err error)
	// checkRepository validates a repository name given by the caller (an
	// external referrers repository) and returns its canonical form.
	checkRepository(repo string) (string, error)
	// manifest reads the manifest that a tag or digest names. When ref is a
	// digest, the bytes are checked against it; when size is also positive,
	// it is the declared size and at most size+1 bytes are read. limit is
	// the ceiling on any manifest's size; bud, when not nil, is charged.
	manifest(ctx context.Context, repo, ref string, size, limit int64, bud *budget) (v1.Descriptor, []byte, error)
	// blob reads the blob that desc names, reading at most desc.Size+1
	// bytes and checking its size and digest; limit is the ceiling on
	// desc.Size.
	blob(ctx context.Context, repo string, desc v1.Descriptor, limit int64, bud *budget) ([]byte, error)
	// referrers lists the referrers of digest d through the storage's native
	// mechanism (the referrers API, or a layout's subject index), keeping at
	// most maxEntries of them.
	referrers(ctx context.Context, repo string, d v1.Hash, limit int64, maxEntries int, bud *budget) (referrersAnswer, error)
	// tags lists the repository's tags, reading at most limit bytes a page.
	// ok is false when listing is not possible (refused, unsupported or too
	// long), with an error saying why; callers then probe tags one by one.
	tags(ctx context.Context, repo string, limit int64, bud *budget) (tags []string, ok bool, err error)
}

// apiStatus is what a native referrers mechanism said about itself.
type apiStatus int

const (
	// apiAnswered: the mechanism exists and listed referrers (maybe none).
	apiAnswered apiStatus = iota
	// apiMissing: the registry has no referrers API (404 and kin).
	apiMissing
	// apiInvalid: the API answered with something that is not an index.
	apiInvalid
)

// referrersAnswer is what a native referrers listing returned.
type referrersAnswer struct {
	descs  []v1.Descriptor
	mech   Mechanism
	status apiStatus
	// answer is the HTTP status (and content type) when status is not
	// apiAnswered.
	answer string
}

// budget is the number of bytes one discovery may still read. A nil budget
// is unlimited.
type budget struct {
	max  int64
	used atomic.Int64
}

func newBudget(max int64) *budget { return &budget{max: max} }

// take charges n bytes, failing with a *LimitError once the budget is spent.
func (b *budget) take(n int64) error {
	if b == nil || n <= 0 {
		return nil
	}
	if used := b.used.Add(n); used > b.max {
		b.used.Add(-n)
		return &LimitError{Kind: LimitBytes, Max: b.max}
	}
	return nil
}

// readLimited reads r up to limit bytes, failing with ErrTooLarge beyond.
// Use it where no size is declared (tag lists, manifests named by tag); the
// buffer grows with what is read, never beyond limit+1 bytes.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := readBounded(r, limit, -1)
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
	}
	return b, nil
}

// readChunk is the largest buffer readBounded allocates before content
// arrives, so that a lying declared size costs memory only as bytes come.
const readChunk = 256 << 10

// readBounded reads r up to max+1 bytes into a buffer that starts at the
// smaller of hint (a Content-Length, when known) and readChunk and doubles
// as bytes arrive, capped at max+1: memory stays proportional to what is
// both declared and sent.
func readBounded(r io.Reader, max, hint int64) ([]byte, error) {
	capacity := min(max+1, readChunk)
	if hint >= 0 && hint <= max {
		capacity = hint + 1
	}
	b := make([]byte, 0, capacity)
	for {
		if len(b) == cap(b) {
			if int64(len(b)) > max {
				return b, nil
			}
			b = slices.Grow(b, int(min(int64(cap(b)), max+1-int64(cap(b)))))
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// readDeclared reads the content that desc declares from r: at most
// desc.Size+1 bytes, hashed while streaming, so that a longer body is
// detected without being read and memory is proportional to the declared
// size. limit is a ceiling on the declared size. hint is the length the
// response announces, or -1: the buffer starts at the smaller of it and the
// declared size, so that a lying declared size costs memory only as bytes
// arrive.
func readDeclared(r io.Reader, desc v1.Descriptor, limit, hint int64) ([]byte, error) {
	if desc.Size < 0 {
		return nil, fmt.Errorf("%w: negative declared size %d", ErrInvalid, desc.Size)
	}
	if desc.Size > limit {
		return nil, fmt.Errorf("%w: declared size %d bytes, limit %d", ErrTooLarge, desc.Size, limit)
	}
	h, err := newHasher(desc.Digest)
	if err != nil {
		return nil, err
	}
	b, err := readBounded(io.TeeReader(r, h), desc.Size, hint)
	if err != nil {
		return nil, err
	}
	if int64(len(b)) != desc.Size {
		return nil, fmt.Errorf("%w: read %s bytes, descriptor says %d", ErrDigestMismatch, sizeText(len(b), desc.Size), desc.Size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != desc.Digest.Hex {
		return nil, fmt.Errorf("%w: content hashes to %s:%s, expected %s", ErrDigestMismatch, desc.Digest.Algorithm, got, desc.Digest)
	}
	return b, nil
}

func sizeText(n int, declared int64) string {
	if int64(n) > declared {
		return fmt.Sprintf("more than %d", declared)
	}
	return fmt.Sprint(n)
}

// newHasher returns a hash for the algorithm of digest h: sha256 or sha512,
// the algorithms the OCI image spec registers.
func newHasher(h v1.Hash) (hash.Hash, error) {
	switch h.Algorithm {
	case "sha256":
		return sha256.New(), nil
	case "sha512":
		return sha512.New(), nil
	}
	return nil, fmt.Errorf("%w: digest algorithm %q", ErrUnsupported, h.Algorithm)
}

// checkDigest checks that b has the size and digest that desc names.
func checkDigest(b []byte, desc v1.Descriptor) error {
	if desc.Size > 0 && int64(len(b)) != desc.Size {
		return fmt.Errorf("%w: read %d bytes, descriptor says %d", ErrDigestMismatch, len(b), desc.Size)
	}
	return checkHash(b, desc.Digest)
}

// checkHash checks that b hashes to h (sha256 or sha512).
func checkHash(b []byte, h v1.Hash) error {
	hasher, err := newHasher(h)
	if err != nil {
		return err
	}
	hasher.Write(b)
	if got := hex.EncodeToString(hasher.Sum(nil)); got != h.Hex {
		return fmt.Errorf("%w: content hashes to %s:%s, expected %s", ErrDigestMismatch, h.Algorithm, got, h)
	}
	return nil
}

// sha256Hash returns the sha256 digest of b.
func sha256Hash(b []byte) v1.Hash {
	sum := sha256.Sum256(b)
	return v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(sum[:])}
}

// manifestMediaType returns the media type of a manifest: its mediaType
// field, else the given fallback (such as a Content-Type header), else a type
// guessed from its shape.
func manifestMediaType(b []byte, fallback string) types.MediaType {
	var m struct {
		MediaType types.MediaType `json:"mediaType"`
		Manifests json.RawMessage `json:"manifests"`
	}
	if err := json.Unmarshal(b, &m); err == nil && m.MediaType != "" {
		return m.MediaType
	}
	if fallback != "" && fallback != "application/json" && fallback != "text/plain" {
		return types.MediaType(fallback)
	}
	if len(bytes.TrimSpace(m.Manifests)) > 0 {
		return types.OCIImageIndex
	}
	return types.OCIManifestSchema1
}

// isIndex reports whether mt is an image index or manifest list.
func isIndex(mt types.MediaType) bool {
	return mt == types.OCIImageIndex || mt == types.DockerManifestList
}

// isManifest reports whether mt is an image (or artifact) manifest.
func isManifest(mt types.MediaType) bool {
	return mt == types.OCIManifestSchema1 || mt == types.DockerManifestSchema2
}

func v1MediaType(s string) types.MediaType { return types.MediaType(s) }
