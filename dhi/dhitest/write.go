package dhitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Push builds the image described by spec in a registry under ref
// ("host/repo:tag"). When referrersRepo is not empty ("host/other/repo"),
// attestations and signatures go there instead of the image's repository,
// as Docker keeps those of mirrored images in registry.scout.docker.com.
func Push(ctx context.Context, ref, referrersRepo string, spec Spec) (*Image, error) {
	tag, err := name.NewTag(ref)
	if err != nil {
		return nil, err
	}
	s := &registrySink{ctx: ctx, repo: tag.Context()}
	refs := sink(s)
	if referrersRepo != "" {
		r, err := name.NewRepository(referrersRepo)
		if err != nil {
			return nil, err
		}
		refs = &registrySink{ctx: ctx, repo: r}
	}
	img, err := build(s, refs, tag.TagStr(), spec)
	if err != nil {
		return nil, err
	}
	img.Ref = ref
	return img, nil
}

// WriteLayout builds the image described by spec in a new OCI image layout
// in dir, naming the index tag in index.json; referrers are listed in
// index.json as well.
func WriteLayout(dir, tag string, spec Spec) (*Image, error) {
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return nil, err
	}
	s := &layoutSink{p: p, name: dir}
	return build(s, s, tag, spec)
}

type registrySink struct {
	ctx  context.Context
	repo name.Repository
}

func (s *registrySink) repoName() string { return s.repo.Name() }

func (s *registrySink) blob(b []byte) error {
	if err := remote.WriteLayer(s.repo, static.NewLayer(b, types.MediaType("application/octet-stream")), remote.WithContext(s.ctx)); err != nil {
		return fmt.Errorf("pushing blob to %s: %w", s.repo, err)
	}
	return nil
}

type rawManifest struct {
	raw []byte
	mt  types.MediaType
}

func (r rawManifest) RawManifest() ([]byte, error)        { return r.raw, nil }
func (r rawManifest) MediaType() (types.MediaType, error) { return r.mt, nil }

func (s *registrySink) manifest(raw []byte, mt types.MediaType, tag string) error {
	var ref name.Reference = s.repo.Digest(descOf(raw, mt).Digest.String())
	if tag != "" {
		ref = s.repo.Tag(tag)
	}
	if err := remote.Put(ref, rawManifest{raw, mt}, remote.WithContext(s.ctx)); err != nil {
		return fmt.Errorf("pushing manifest %s: %w", ref, err)
	}
	return nil
}

type layoutSink struct {
	p    layout.Path
	name string
}

func (s *layoutSink) repoName() string { return s.name }

func (s *layoutSink) blob(b []byte) error {
	return s.p.WriteBlob(descOf(b, "").Digest, io.NopCloser(bytes.NewReader(b)))
}

func (s *layoutSink) manifest(raw []byte, mt types.MediaType, tag string) error {
	if err := s.blob(raw); err != nil {
		return err
	}
	d := descOf(raw, mt)
	var m struct {
		Subject      *v1.Descriptor `json:"subject"`
		ArtifactType string         `json:"artifactType"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	if tag == "" && m.Subject == nil {
		// Platform manifests are reachable from the index; only tagged
		// manifests and referrers are listed in index.json.
		return nil
	}
	if tag != "" {
		d.Annotations = map[string]string{"org.opencontainers.image.ref.name": tag}
	}
	d.ArtifactType = m.ArtifactType
	return s.p.AppendDescriptor(d)
}
