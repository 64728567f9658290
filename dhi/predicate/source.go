package predicate

import (
	"bytes"
	"encoding/json"
)

// ImageSource is the predicate of a DHI image sources attestation
// ([TypeImageSource]): it names an OCI image that holds the
// source materials the image was built from. The shape is known from a
// third-party script that reads predicate.source.{name,digest}; nothing
// from Docker documents it.
type ImageSource struct {
	// Name is the source image's repository as written (source.name),
	// such as "dhi/python".
	Name string `json:"name"`
	// Digest is the source image's digest (source.digest), such as
	// "sha256:4c2f...".
	Digest string `json:"digest"`
	// Raw is the whole predicate, as given.
	Raw json.RawMessage `json:"-"`
}

// ParseImageSource decodes the predicate of a [TypeImageSource]
// attestation. The source object is required; its fields are not checked
// here (package dhi resolves them to an image reference). Errors wrap
// [ErrInvalid].
func ParseImageSource(predicate []byte) (ImageSource, error) {
	const pt = TypeImageSource
	var v struct {
		Source *struct {
			Name   string `json:"name"`
			Digest string `json:"digest"`
		} `json:"source"`
	}
	if err := decodeJSON(pt, predicate, &v); err != nil {
		return ImageSource{}, err
	}
	if v.Source == nil {
		return ImageSource{}, invalid(pt, "source is missing")
	}
	return ImageSource{Name: v.Source.Name, Digest: v.Source.Digest, Raw: bytes.Clone(predicate)}, nil
}
