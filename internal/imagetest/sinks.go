package imagetest

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"

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
func Push(tb testing.TB, ref, referrersRepo string, spec Spec) *Image {
	tb.Helper()
	tag, err := name.NewTag(ref)
	if err != nil {
		tb.Fatal(err)
	}
	s := &registrySink{repo: tag.Context()}
	refs := sink(s)
	if referrersRepo != "" {
		r, err := name.NewRepository(referrersRepo)
		if err != nil {
			tb.Fatal(err)
		}
		refs = &registrySink{repo: r}
	}
	img := build(tb, s, refs, tag.TagStr(), spec)
	img.Ref = ref
	return img
}

// WriteLayout builds the image described by spec in a new OCI image layout
// in dir, naming the index tag in index.json; referrers are listed in
// index.json as well.
func WriteLayout(tb testing.TB, dir, tag string, spec Spec) *Image {
	tb.Helper()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		tb.Fatal(err)
	}
	s := &layoutSink{p: p, name: dir}
	return build(tb, s, s, tag, spec)
}

type registrySink struct{ repo name.Repository }

func (s *registrySink) repoName() string { return s.repo.Name() }

func (s *registrySink) blob(tb testing.TB, b []byte) {
	tb.Helper()
	if err := remote.WriteLayer(s.repo, static.NewLayer(b, types.MediaType("application/octet-stream"))); err != nil {
		tb.Fatalf("pushing blob to %s: %v", s.repo, err)
	}
}

type rawManifest struct {
	raw []byte
	mt  types.MediaType
}

func (r rawManifest) RawManifest() ([]byte, error)        { return r.raw, nil }
func (r rawManifest) MediaType() (types.MediaType, error) { return r.mt, nil }

func (s *registrySink) manifest(tb testing.TB, raw []byte, mt types.MediaType, tag string) {
	tb.Helper()
	var ref name.Reference = s.repo.Digest(descOf(raw, mt).Digest.String())
	if tag != "" {
		ref = s.repo.Tag(tag)
	}
	if err := remote.Put(ref, rawManifest{raw, mt}); err != nil {
		tb.Fatalf("pushing manifest %s: %v", ref, err)
	}
}

type layoutSink struct {
	p    layout.Path
	name string
}

func (s *layoutSink) repoName() string { return s.name }

func (s *layoutSink) blob(tb testing.TB, b []byte) {
	tb.Helper()
	if err := s.p.WriteBlob(descOf(b, "").Digest, io.NopCloser(bytes.NewReader(b))); err != nil {
		tb.Fatal(err)
	}
}

func (s *layoutSink) manifest(tb testing.TB, raw []byte, mt types.MediaType, tag string) {
	tb.Helper()
	s.blob(tb, raw)
	d := descOf(raw, mt)
	var m struct {
		Subject      *v1.Descriptor `json:"subject"`
		ArtifactType string         `json:"artifactType"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		tb.Fatal(err)
	}
	if tag == "" && m.Subject == nil {
		// Platform manifests are reachable from the index; only tagged
		// manifests and referrers are listed in index.json.
		return
	}
	if tag != "" {
		d.Annotations = map[string]string{"org.opencontainers.image.ref.name": tag}
	}
	d.ArtifactType = m.ArtifactType
	if err := s.p.AppendDescriptor(d); err != nil {
		tb.Fatal(err)
	}
}
