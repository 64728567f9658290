package dhitest

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// mtLayer is the media type of the uncompressed layers the images use.
const mtLayer = "application/vnd.oci.image.layer.v1.tar"

// DerivedSpec describes an image built FROM a base image, as BuildKit
// builds it with --provenance=mode=max: the base's layers, then layers of
// its own; the base's config with its labels; and unsigned attestations in
// attestation manifests inside the index.
type DerivedSpec struct {
	// Base is the base image, "host/repo:tag", already in a registry.
	Base string
	// BaseClaim is the image the provenance names as the base,
	// "host/repo:tag"; the default is Base. Set it to build provenance that
	// lies about the base.
	BaseClaim string
	// Layers are the uncompressed tar layers the build adds on every
	// platform, bottom first ([TarLayer] makes one).
	Layers [][]byte
	// Labels are set in every platform's image config, over the labels
	// inherited from the base (so a label can be changed to lie).
	Labels map[string]string
	// Provenance is a SLSA v1 provenance predicate in BuildKit's mode=max
	// shape, such as a real one, rewritten per platform by
	// [BuildKitProvenance] to name the base; nil stores no provenance.
	Provenance []byte
	// Docs are further attestations stored beside the provenance, such as
	// an SBOM of the derived image.
	Docs []Doc
}

// PushDerived builds the image spec describes in a registry under ref
// ("host/repo:tag"), one platform for each platform of the base, and
// returns it. The base's layers are copied into ref's repository. The
// attestations are stored BuildKit's way (see [Spec].Buildx): unsigned, in
// one attestation manifest per platform inside the index, with platform
// unknown/unknown and the vnd.docker.reference.* annotations.
func PushDerived(ctx context.Context, ref string, spec DerivedSpec) (*Image, error) {
	tag, err := name.NewTag(ref)
	if err != nil {
		return nil, err
	}
	baseRef, err := name.NewTag(spec.Base)
	if err != nil {
		return nil, fmt.Errorf("dhitest: base: %w", err)
	}
	claim := spec.Base
	if spec.BaseClaim != "" {
		claim = spec.BaseClaim
	}
	claimRef, err := name.NewTag(claim)
	if err != nil {
		return nil, fmt.Errorf("dhitest: base claim: %w", err)
	}
	claimDesc, err := remote.Head(claimRef, remote.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("dhitest: resolving %s: %w", claim, err)
	}
	baseIndex, err := remote.Index(baseRef, remote.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("dhitest: reading base index %s: %w", spec.Base, err)
	}
	im, err := baseIndex.IndexManifest()
	if err != nil {
		return nil, err
	}
	s := &registrySink{ctx: ctx, repo: tag.Context()}
	added, addedIDs, err := pushLayers(s, spec.Layers)
	if err != nil {
		return nil, err
	}
	img := &Image{}
	index := v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex}
	var attManifests []v1.Descriptor
	for _, d := range im.Manifests {
		if d.Platform == nil || d.Platform.OS == "unknown" || d.Annotations["vnd.docker.reference.type"] != "" {
			continue
		}
		target, err := derivedPlatform(ctx, s, baseRef.Context().Digest(d.Digest.String()), added, addedIDs, spec.Labels)
		if err != nil {
			return nil, err
		}
		target.Platform = d.Platform
		index.Manifests = append(index.Manifests, target)
		img.Platforms = append(img.Platforms, target)
		docs := spec.Docs
		if spec.Provenance != nil {
			prov, err := BuildKitProvenance(spec.Provenance, claim, claimDesc.Digest, *d.Platform)
			if err != nil {
				return nil, err
			}
			docs = append([]Doc{{PredicateType: "https://slsa.dev/provenance/v1", Predicate: prov}}, docs...)
		}
		if len(docs) == 0 {
			continue
		}
		atts, ad, err := buildxManifest(s, target, Spec{Docs: docs})
		if err != nil {
			return nil, err
		}
		attManifests = append(attManifests, ad)
		img.Attestations = append(img.Attestations, atts...)
	}
	if len(index.Manifests) == 0 {
		return nil, fmt.Errorf("dhitest: base %s has no platform manifest", spec.Base)
	}
	index.Manifests = append(index.Manifests, attManifests...)
	raw := mustJSON(index)
	if err := s.manifest(raw, types.OCIImageIndex, tag.TagStr()); err != nil {
		return nil, err
	}
	img.Index = descOf(raw, types.OCIImageIndex)
	img.Ref = ref
	return img, nil
}

// derivedPlatform stores the platform manifest built on the base platform
// manifest ref: its layers and then added, its config with diff IDs and
// labels extended.
func derivedPlatform(ctx context.Context, s *registrySink, ref name.Digest, added []v1.Descriptor, addedIDs []string, labels map[string]string) (v1.Descriptor, error) {
	base, err := remote.Image(ref, remote.WithContext(ctx))
	if err != nil {
		return v1.Descriptor{}, fmt.Errorf("dhitest: reading base %s: %w", ref, err)
	}
	m, err := base.Manifest()
	if err != nil {
		return v1.Descriptor{}, err
	}
	rawCfg, err := base.RawConfigFile()
	if err != nil {
		return v1.Descriptor{}, err
	}
	for _, l := range m.Layers {
		layer, err := base.LayerByDigest(l.Digest)
		if err != nil {
			return v1.Descriptor{}, err
		}
		if err := remote.WriteLayer(s.repo, layer, remote.WithContext(ctx)); err != nil {
			return v1.Descriptor{}, fmt.Errorf("dhitest: copying base layer %s: %w", l.Digest, err)
		}
	}
	var cfg map[string]any
	if err := json.Unmarshal(rawCfg, &cfg); err != nil {
		return v1.Descriptor{}, fmt.Errorf("dhitest: base config: %w", err)
	}
	rootfs, _ := cfg["rootfs"].(map[string]any)
	if rootfs == nil {
		rootfs = map[string]any{"type": "layers"}
		cfg["rootfs"] = rootfs
	}
	ids, _ := rootfs["diff_ids"].([]any)
	for _, id := range addedIDs {
		ids = append(ids, id)
	}
	rootfs["diff_ids"] = ids
	c, _ := cfg["config"].(map[string]any)
	if c == nil {
		c = map[string]any{}
		cfg["config"] = c
	}
	merged := map[string]any{}
	if old, ok := c["Labels"].(map[string]any); ok {
		for k, v := range old {
			merged[k] = v
		}
	}
	for k, v := range labels {
		merged[k] = v
	}
	c["Labels"] = merged
	rawNew := mustJSON(cfg)
	if err := s.blob(rawNew); err != nil {
		return v1.Descriptor{}, err
	}
	layers := append(append([]v1.Descriptor{}, m.Layers...), added...)
	raw := mustJSON(manifestJSON{SchemaVersion: 2, MediaType: types.OCIManifestSchema1,
		Config: descOf(rawNew, types.OCIConfigJSON), Layers: layers})
	if err := s.manifest(raw, types.OCIManifestSchema1, ""); err != nil {
		return v1.Descriptor{}, err
	}
	return descOf(raw, types.OCIManifestSchema1), nil
}

// pushLayers stores the layers and returns their descriptors and diff IDs.
func pushLayers(s sink, layers [][]byte) ([]v1.Descriptor, []string, error) {
	descs := []v1.Descriptor{}
	ids := []string{}
	for _, l := range layers {
		if err := s.blob(l); err != nil {
			return nil, nil, err
		}
		d := descOf(l, mtLayer)
		descs = append(descs, d)
		ids = append(ids, d.Digest.String())
	}
	return descs, ids, nil
}

// TarLayer returns an uncompressed tar layer holding the files, by path,
// in the order given (pairs of path and content).
func TarLayer(pathsAndContents ...string) ([]byte, error) {
	if len(pathsAndContents)%2 != 0 {
		return nil, errors.New("dhitest: TarLayer: odd number of arguments")
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for i := 0; i < len(pathsAndContents); i += 2 {
		body := pathsAndContents[i+1]
		if err := tw.WriteHeader(&tar.Header{Name: pathsAndContents[i], Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			return nil, err
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ChainID returns the OCI ChainID of layers with the given diff IDs
// ("sha256:<hex>", bottom first): the first diff ID, then
// sha256(previous ChainID + " " + next diff ID). It is what DHI images keep
// in their com.docker.dhi.chain-id label.
func ChainID(diffIDs ...string) string {
	if len(diffIDs) == 0 {
		return ""
	}
	id := diffIDs[0]
	for _, d := range diffIDs[1:] {
		id = fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(id+" "+d)))
	}
	return id
}

// BuildKitProvenance rewrites a SLSA v1 provenance predicate of BuildKit's
// mode=max shape, whose build definition reads one image (such as the real
// one of a build FROM alpine), so that it names base ("host/repo:tag") at
// digest (usually the base's index digest) and platform instead: in the
// build definition's first docker-image source step, and in the resolved
// dependency with that image's digest, written as BuildKit writes it
// (pkg:docker/repo@tag?platform=os%2Farch, the digest in its digest
// field). Other resolved dependencies, such as BuildKit's SBOM scanner
// image, are kept.
func BuildKitProvenance(predicate []byte, base string, digest v1.Hash, platform v1.Platform) ([]byte, error) {
	var p map[string]any
	if err := json.Unmarshal(predicate, &p); err != nil {
		return nil, fmt.Errorf("dhitest: provenance: %w", err)
	}
	bd, _ := p["buildDefinition"].(map[string]any)
	ip, _ := bd["internalParameters"].(map[string]any)
	bc, _ := ip["buildConfig"].(map[string]any)
	steps, _ := bc["llbDefinition"].([]any)
	t, err := name.NewTag(base)
	if err != nil {
		return nil, fmt.Errorf("dhitest: provenance: %w", err)
	}
	repo, tag := t.Context().Name(), t.TagStr()
	var old string
	for _, st := range steps {
		src, _ := dig(st, "op", "Op", "source").(map[string]any)
		id, _ := src["identifier"].(string)
		if ref, ok := strings.CutPrefix(id, "docker-image://"); ok {
			_, old, _ = strings.Cut(ref, "@sha256:")
			src["identifier"] = "docker-image://" + base + "@" + digest.String()
			break
		}
	}
	if old == "" {
		return nil, errors.New("dhitest: provenance: no docker-image source step in the build definition")
	}
	deps, _ := bd["resolvedDependencies"].([]any)
	found := false
	for _, d := range deps {
		dm, _ := d.(map[string]any)
		if dg, _ := dm["digest"].(map[string]any); dg["sha256"] == old {
			dm["uri"] = "pkg:docker/" + repo + "@" + tag + "?platform=" + url.QueryEscape(platform.String())
			dm["digest"] = map[string]any{digest.Algorithm: digest.Hex}
			found = true
		}
	}
	if !found {
		return nil, errors.New("dhitest: provenance: the base image is not among the resolved dependencies")
	}
	return json.Marshal(p)
}

// dig returns the value at the path of object keys in v, or nil.
func dig(v any, path ...string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
