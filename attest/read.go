package attest

import (
	"context"
	"errors"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// ReadManifest reads the manifest or index that ref names in src, checked
// against the digest when ref has one, and bounded by the manifest size limit
// of opts ([WithMaxManifestSize]). It returns the manifest's descriptor (media
// type, size and digest of the bytes read) and the bytes.
func ReadManifest(ctx context.Context, src Storage, ref string, opts ...Option) (v1.Descriptor, []byte, error) {
	o, err := makeOptions(opts...)
	if err != nil {
		return v1.Descriptor{}, nil, err
	}
	if src == nil {
		return v1.Descriptor{}, nil, errors.New("attest: ReadManifest: nil Storage")
	}
	repo, id, err := src.parseRef(ref)
	if err != nil {
		return v1.Descriptor{}, nil, err
	}
	desc, b, err := src.manifest(ctx, repo, id, 0, o.maxManifest, nil)
	if err != nil {
		return v1.Descriptor{}, nil, &FetchError{Op: "reading manifest", Repository: repo, Ref: id, Err: err}
	}
	return desc, b, nil
}

// ReadBlob reads the blob that desc names from repository repo of src (for
// registries the repository as [Discovery].Repository names it; ignored for
// layouts and archives), checked against desc's digest and size and bounded
// by the blob size limit of opts ([WithMaxBlobSize]): at most desc.Size+1
// bytes are read, so desc.Size must be the blob's size. Use it to read an
// image config, for instance.
func ReadBlob(ctx context.Context, src Storage, repo string, desc v1.Descriptor, opts ...Option) ([]byte, error) {
	o, err := makeOptions(opts...)
	if err != nil {
		return nil, err
	}
	if src == nil {
		return nil, errors.New("attest: ReadBlob: nil Storage")
	}
	if desc.Digest.Hex == "" {
		return nil, fmt.Errorf("attest: ReadBlob: descriptor without digest")
	}
	b, err := src.blob(ctx, repo, desc, o.maxBlob, nil)
	if err != nil {
		return nil, &FetchError{Op: "reading blob", Repository: repo, Ref: desc.Digest.String(), Err: err}
	}
	return b, nil
}

// ReadManifestByDigest reads the manifest with digest d from repository repo
// of src (for registries the repository as [Discovery].Repository names it;
// ignored for layouts and archives), checked against d and bounded like
// [ReadManifest].
func ReadManifestByDigest(ctx context.Context, src Storage, repo string, d v1.Hash, opts ...Option) (v1.Descriptor, []byte, error) {
	o, err := makeOptions(opts...)
	if err != nil {
		return v1.Descriptor{}, nil, err
	}
	if src == nil {
		return v1.Descriptor{}, nil, errors.New("attest: ReadManifestByDigest: nil Storage")
	}
	desc, b, err := src.manifest(ctx, repo, d.String(), 0, o.maxManifest, nil)
	if err != nil {
		return v1.Descriptor{}, nil, &FetchError{Op: "reading manifest", Repository: repo, Ref: d.String(), Err: err}
	}
	return desc, b, nil
}
