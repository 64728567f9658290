package attest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Source is OCI storage that attestations can be discovered in: a registry
// ([Registry]), an OCI image layout directory ([Layout], [LayoutFS]) or an OCI
// archive ([Archive]). Its methods are unexported; the constructors in this
// package are the only implementations.
type Source interface {
	// repository returns the canonical name of the repository that ref
	// (an image reference, or for layouts a tag or digest) lives in, and the
	// tag or digest part of ref.
	parseRef(ref string) (repo, tagOrDigest string, err error)
	// checkRepository validates a repository name given by the caller (an
	// external referrers repository) and returns its canonical form.
	checkRepository(repo string) (string, error)
	// manifest reads the manifest that a tag or digest names. When ref is a
	// digest, the bytes are checked against it.
	manifest(ctx context.Context, repo, ref string, limit int64) (v1.Descriptor, []byte, error)
	// blob reads the blob that desc names, checking its size and digest.
	blob(ctx context.Context, repo string, desc v1.Descriptor, limit int64) ([]byte, error)
	// referrers lists the referrers of digest d through the storage's native
	// mechanism (the referrers API, or a layout's subject index). ok is false
	// when the storage has no such mechanism (a 404 from the API).
	referrers(ctx context.Context, repo string, d v1.Hash, limit int64) (descs []v1.Descriptor, m Mechanism, ok bool, err error)
	// tags lists the repository's tags. ok is false when listing is not
	// possible (refused or unsupported); callers then probe tags one by one.
	tags(ctx context.Context, repo string, limit int64) (tags []string, ok bool, err error)
}

// readLimited reads r up to limit bytes, failing with ErrTooLarge beyond.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
	}
	return b, nil
}

// checkDigest checks that b has the size and digest that desc names.
func checkDigest(b []byte, desc v1.Descriptor) error {
	if desc.Size > 0 && int64(len(b)) != desc.Size {
		return fmt.Errorf("%w: read %d bytes, descriptor says %d", ErrDigestMismatch, len(b), desc.Size)
	}
	return checkHash(b, desc.Digest)
}

// checkHash checks that b hashes to h. Only sha256 is supported, which is
// what OCI registries and layouts use.
func checkHash(b []byte, h v1.Hash) error {
	if h.Algorithm != "sha256" {
		return fmt.Errorf("%w: digest algorithm %q", ErrUnsupported, h.Algorithm)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != h.Hex {
		return fmt.Errorf("%w: content hashes to sha256:%s, expected %s", ErrDigestMismatch, got, h)
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
