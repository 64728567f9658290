package dhitest

import (
	"context"
	"errors"
	"fmt"

	"github.com/dhisdk/dhisdk/attest"
)

// SampleKeyName is the name of the key a [Sample]'s attestations are
// signed with, as verification results and messages show it.
const SampleKeyName = "sample key"

// SampleReferrersRepository is the docker-reference in the sample's
// signatures: the repository where Docker keeps the attestations of DHI
// mirrors.
const SampleReferrersRepository = "registry.scout.docker.com/dhi/python"

// Sample is the SDK's sample image, built by [ServeSample] or
// [WriteSample]: an image shaped like a Docker Hardened Image (two
// platforms, the fifteen attestations of [SampleDocs], the labels of
// [SampleLabels]), its attestations signed with a key made for the call.
//
// Open it with the dhi package, trusting Key instead of Docker's keys:
//
//	s, err := dhitest.ServeSample(ctx)
//	defer s.Close()
//	img, err := dhi.Open(ctx, s.Ref, dhi.WithKeys(s.Key))
//
// or, for a written layout, dhi.Open(ctx, s.Ref, dhi.WithLayout(s.Dir), ...).
type Sample struct {
	// Ref is the reference to open: "127.0.0.1:port/dhi/python:3.13" for a
	// served sample, the tag "3.13" for a written one.
	Ref string
	// Dir is the OCI layout directory of a written sample; empty for a
	// served one.
	Dir string
	// Image describes what was built: digests of the index, platform
	// manifests, attestations and signatures.
	Image *Image
	// Key is the public key the attestations are signed with, named
	// [SampleKeyName].
	Key *attest.Key
	// PublicKeyPEM is Key as a PEM "PUBLIC KEY" block, to write to a file
	// for programs that take a key file.
	PublicKeyPEM []byte

	reg *Registry
}

// Close stops the registry of a served sample. It does nothing for a
// written sample, whose directory stays the caller's.
func (s *Sample) Close() error {
	if s == nil || s.reg == nil {
		return nil
	}
	return s.reg.Close()
}

// SampleTag is the tag of the sample image, in a registry and in a layout.
const SampleTag = "3.13"

// sampleSpec returns the Spec of the sample image and its public key.
func sampleSpec() (Spec, *attest.Key, []byte, error) {
	docs, err := SampleDocs()
	if err != nil {
		return Spec{}, nil, nil, err
	}
	priv, pub, err := NewKey()
	if err != nil {
		return Spec{}, nil, nil, fmt.Errorf("dhitest: making the sample key: %w", err)
	}
	key, err := attest.ParseKey(pub, attest.WithKeyName(SampleKeyName))
	if err != nil {
		return Spec{}, nil, nil, fmt.Errorf("dhitest: reading the sample key: %w", err)
	}
	return Spec{Docs: docs, Signer: priv, Labels: SampleLabels(), DockerReference: SampleReferrersRepository}, key, pub, nil
}

// ServeSample serves the sample image from a new in-process registry on
// loopback ([NewRegistry]) as dhi/python:3.13. Close the sample to stop
// the registry.
func ServeSample(ctx context.Context) (*Sample, error) {
	spec, key, pub, err := sampleSpec()
	if err != nil {
		return nil, err
	}
	reg, err := NewRegistry()
	if err != nil {
		return nil, fmt.Errorf("dhitest: starting a registry: %w", err)
	}
	img, err := Push(ctx, reg.Host+"/dhi/python:"+SampleTag, "", spec)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("dhitest: pushing the sample: %w", err), reg.Close())
	}
	return &Sample{Ref: img.Ref, Image: img, Key: key, PublicKeyPEM: pub, reg: reg}, nil
}

// WriteSample writes the sample image to a new OCI image layout in dir,
// tagged [SampleTag], with its attestations and signatures listed in
// index.json as referrers.
func WriteSample(dir string) (*Sample, error) {
	spec, key, pub, err := sampleSpec()
	if err != nil {
		return nil, err
	}
	img, err := WriteLayout(dir, SampleTag, spec)
	if err != nil {
		return nil, fmt.Errorf("dhitest: writing the sample: %w", err)
	}
	return &Sample{Ref: SampleTag, Dir: dir, Image: img, Key: key, PublicKeyPEM: pub}, nil
}
