package dhi

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
)

// ImageSource is the predicate of a DHI image sources attestation
// ([PredicateTypeImageSource]): it names an OCI image that holds the
// source materials the image was built from. The shape is known from a
// third-party script that reads predicate.source.{name,digest}; nothing
// from Docker documents it.
type ImageSource struct {
	// Name is the source image's repository as written (source.name),
	// such as "dhi/python".
	Name string
	// Digest is the source image's digest (source.digest), such as
	// "sha256:4c2f...".
	Digest string
	// Raw is the whole predicate, as given.
	Raw json.RawMessage
}

// ParseImageSource decodes the predicate of a [PredicateTypeImageSource]
// attestation. The source object is required; its fields are not checked
// here (see [ImageSource.Reference]). Errors wrap [ErrInvalidPredicate].
func ParseImageSource(predicate []byte) (ImageSource, error) {
	const pt = PredicateTypeImageSource
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

// Reference returns the source image as a digest reference. A name in the
// DHI catalog namespace, "dhi/<name>", is served as dhi.io/<name> (the
// reading of the third-party script that documents this predicate); a name
// that starts with a registry host is taken as written. Any other name,
// and a missing or malformed digest, is an error wrapping
// [ErrInvalidPredicate].
func (s ImageSource) Reference() (name.Digest, error) {
	const pt = PredicateTypeImageSource
	if s.Name == "" || s.Digest == "" {
		return name.Digest{}, invalid(pt, "source name %q or digest %q is empty", s.Name, s.Digest)
	}
	repo := s.Name
	if rest, ok := strings.CutPrefix(repo, "dhi/"); ok {
		repo = DHIRegistry + "/" + rest
	} else if host, _, _ := strings.Cut(repo, "/"); !strings.ContainsAny(host, ".:") && host != "localhost" {
		return name.Digest{}, invalid(pt, "source name %q names neither dhi/<name> nor a registry", s.Name)
	}
	d, err := name.NewDigest(repo+"@"+s.Digest, name.StrictValidation)
	if err != nil {
		return name.Digest{}, invalid(pt, "source %s@%s: %v", s.Name, s.Digest, err)
	}
	return d, nil
}
