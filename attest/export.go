package attest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	ocilayout "github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/match"
)

// Export writes what d found in src to the OCI image layout in directory
// dir (created when missing, added to when present), so that [Discover] on
// [Layout](dir) finds the same attestations and signatures with no network:
// for air-gapped verification, or a CI cache. It writes the root index or
// manifest, named tag in index.json; the platform manifests of d and their
// image configs; every attestation manifest with its config and layers;
// every signature manifest with its config and layer. Manifests with a
// subject are listed in index.json (where [Layout] finds referrers); those
// found through cosign's legacy tags are listed under those tags.
//
// The image's filesystem layers are not written: the layout holds the
// image's metadata, not the image. Manifests and blobs are read again from
// src, within the size limits of opts, and checked against their digests;
// attestations and signatures that could not be read (their Err is set) are
// skipped and reported in the returned error, after everything else has
// been written.
func Export(ctx context.Context, src Storage, d *Discovery, dir, tag string, opts ...Option) error {
	o, err := makeOptions(opts...)
	if err != nil {
		return err
	}
	if src == nil || d == nil {
		return errors.New("attest: Export: nil Storage or Discovery")
	}
	if tag == "" {
		return errors.New("attest: Export: empty tag")
	}
	e, err := newExporter(dir)
	if err != nil {
		return err
	}
	e.ctx, e.src, e.o = ctx, src, o
	var errs []error
	note := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}

	// The root, and the platform manifests with their configs.
	if err := e.manifest(d.Repository, d.Root.Digest, nil, tag, false); err != nil {
		return err
	}
	for _, p := range d.Platforms {
		if p.Digest == d.Root.Digest {
			continue
		}
		note(e.manifest(d.Repository, p.Digest, nil, "", false))
	}

	// Attestations and signatures, each manifest once.
	for _, a := range d.Attestations {
		if a.Err != nil && a.Content == nil {
			note(fmt.Errorf("attest: Export: skipping attestation %s: %w", a.Manifest.Digest, a.Err))
			continue
		}
		loc := a.Locations[0]
		note(e.manifest(loc.Repository, a.Manifest.Digest, a.RawManifest, cosignTag(loc.Mechanism, a.Target.Digest), true))
		for _, s := range a.Signatures {
			note(e.signature(s))
		}
	}
	for _, s := range d.Signatures {
		note(e.signature(s))
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return errors.Join(errs...)
}

// cosignTag returns the legacy cosign tag under which a manifest found
// through mech is listed, or "".
func cosignTag(mech Mechanism, target v1.Hash) string {
	switch mech {
	case MechanismCosignAttTag:
		return digestTag(target) + ".att"
	case MechanismCosignSigTag:
		return digestTag(target) + ".sig"
	}
	return ""
}

type exporter struct {
	ctx     context.Context
	src     Storage
	o       options
	path    ocilayout.Path
	listed  map[v1.Hash]bool // manifests listed in index.json
	written map[v1.Hash]bool // blobs written by this export
}

func newExporter(dir string) (*exporter, error) {
	e := &exporter{listed: map[v1.Hash]bool{}, written: map[v1.Hash]bool{}}
	if _, err := os.Stat(filepath.Join(dir, "oci-layout")); err == nil {
		if e.path, err = ocilayout.FromPath(dir); err != nil {
			return nil, fmt.Errorf("attest: Export: opening layout %s: %w", dir, err)
		}
		idx, err := e.path.ImageIndex()
		if err != nil {
			return nil, fmt.Errorf("attest: Export: reading layout %s: %w", dir, err)
		}
		im, err := idx.IndexManifest()
		if err != nil {
			return nil, fmt.Errorf("attest: Export: reading layout %s: %w", dir, err)
		}
		for _, m := range im.Manifests {
			if m.Annotations[refNameAnnotation] == "" {
				e.listed[m.Digest] = true
			}
		}
		return e, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("attest: Export: %w", err)
	}
	var err error
	if e.path, err = ocilayout.Write(dir, empty.Index); err != nil {
		return nil, fmt.Errorf("attest: Export: creating layout %s: %w", dir, err)
	}
	return e, nil
}

func (e *exporter) blob(h v1.Hash, b []byte) error {
	if e.written[h] {
		return nil
	}
	if err := e.path.WriteBlob(h, io.NopCloser(bytes.NewReader(b))); err != nil {
		return fmt.Errorf("attest: Export: writing blob %s: %w", h, err)
	}
	e.written[h] = true
	return nil
}

// manifest writes the manifest with digest h (read from repo unless raw is
// given) and its config and, with layers, its layers; it lists the manifest
// in index.json under tag, or unnamed when it has a subject.
func (e *exporter) manifest(repo string, h v1.Hash, raw []byte, tag string, layers bool) error {
	var desc v1.Descriptor
	if raw == nil {
		var err error
		if desc, raw, err = ReadManifestByDigest(e.ctx, e.src, repo, h, WithMaxManifestSize(e.o.maxManifest)); err != nil {
			return err
		}
	} else {
		if err := checkHash(raw, h); err != nil {
			return fmt.Errorf("attest: Export: manifest %s: %w", h, err)
		}
		desc = v1.Descriptor{MediaType: manifestMediaType(raw, ""), Size: int64(len(raw)), Digest: h}
	}
	var m artifactManifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("attest: Export: decoding manifest %s: %w: %v", h, ErrInvalid, err)
	}
	if !e.written[h] {
		if m.Config.Digest.Hex != "" {
			if err := e.copyBlob(repo, m.Config); err != nil {
				return err
			}
		}
		if layers {
			for _, l := range m.Layers {
				if err := e.copyBlob(repo, l); err != nil {
					return err
				}
			}
		}
		if err := e.blob(h, raw); err != nil {
			return err
		}
	}
	switch {
	case tag != "":
		desc.Annotations = map[string]string{refNameAnnotation: tag}
		if err := e.path.RemoveDescriptors(match.Annotation(refNameAnnotation, tag)); err != nil {
			return fmt.Errorf("attest: Export: %w", err)
		}
	case m.Subject != nil && !e.listed[h]:
	default:
		return nil
	}
	desc.ArtifactType = m.artifactType()
	if err := e.path.AppendDescriptor(desc); err != nil {
		return fmt.Errorf("attest: Export: listing %s in index.json: %w", h, err)
	}
	if tag == "" {
		e.listed[h] = true
	}
	return nil
}

func (e *exporter) copyBlob(repo string, desc v1.Descriptor) error {
	if e.written[desc.Digest] {
		return nil
	}
	if len(desc.Data) > 0 && checkDigest(desc.Data, desc) == nil {
		return e.blob(desc.Digest, desc.Data)
	}
	b, err := ReadBlob(e.ctx, e.src, repo, desc, WithMaxBlobSize(e.o.maxBlob))
	if err != nil {
		return err
	}
	return e.blob(desc.Digest, b)
}

func (e *exporter) signature(s *Signature) error {
	if s.Err != nil {
		return fmt.Errorf("attest: Export: skipping signature %s: %w", s.Manifest.Digest, s.Err)
	}
	loc := s.Locations[0]
	return e.manifest(loc.Repository, s.Manifest.Digest, nil, cosignTag(loc.Mechanism, s.Target.Digest), true)
}
