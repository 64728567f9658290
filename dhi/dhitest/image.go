package dhitest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Media and artifact types the images use.
const (
	mtInToto        = "application/vnd.in-toto+json"
	mtEmpty         = "application/vnd.oci.empty.v1+json"
	mtSimpleSigning = "application/vnd.dev.cosign.simplesigning.v1+json"
	atCosignSig     = "application/vnd.dev.cosign.artifact.sig.v1+json"
)

// TargetDigest, written anywhere in a [Doc]'s predicate, is replaced by
// the digest ("sha256:<hex>") of the platform manifest the statement is
// about, for predicates that name their subject themselves, such as a
// verification summary's resourceUri.
const TargetDigest = "{{dhitest.TargetDigest}}"

// Doc is one attestation to attach to every platform manifest.
type Doc struct {
	// PredicateType is the statement's predicate type.
	PredicateType string
	// Predicate is the predicate, as JSON.
	Predicate []byte
	// Annotation, when set, is written as the layer's and manifest's
	// in-toto.io/predicate-type annotation instead of PredicateType (to
	// build attestations whose annotation lies).
	Annotation string
}

// Spec describes an image to build.
type Spec struct {
	// Platforms are the image's platforms; the default is linux/amd64 and
	// linux/arm64.
	Platforms []v1.Platform
	// Labels are set in every platform's image config.
	Labels map[string]string
	// Docs are attached to every platform manifest.
	Docs []Doc
	// Signer signs every attestation manifest with a simple-signing
	// signature; nil leaves them unsigned.
	Signer *ecdsa.PrivateKey
	// DockerReference is the docker-reference in the signed payloads; the
	// default is the image's repository.
	DockerReference string
	// Buildx stores the attestations as BuildKit does: one unsigned
	// attestation manifest per platform inside the index, marked with the
	// vnd.docker.reference.* annotations, instead of referrers.
	Buildx bool
	// NoAnnotation leaves out the in-toto.io/predicate-type annotation, so
	// that readers must read the statement to learn the type.
	NoAnnotation bool
	// Layers are the uncompressed tar layers of every platform, bottom
	// first ([TarLayer] makes one); their digests are the config's
	// rootfs.diff_ids. The default is no layer.
	Layers [][]byte
}

// Image is what was built.
type Image struct {
	// Ref is the reference of the index: "host/repo:tag" in a registry, the
	// tag in a layout.
	Ref string
	// Index is the index descriptor.
	Index v1.Descriptor
	// Platforms are the platform manifest descriptors, in index order.
	Platforms []v1.Descriptor
	// Attestations are the attestation manifests, per platform in Docs order.
	Attestations []Attestation
}

// Attestation is one attestation manifest that was built.
type Attestation struct {
	// Target is the platform manifest it is about.
	Target v1.Descriptor
	// Manifest is the attestation manifest descriptor.
	Manifest v1.Descriptor
	// Layer is the statement layer descriptor.
	Layer v1.Descriptor
	// PredicateType is the statement's predicate type.
	PredicateType string
	// Signature is the signature manifest descriptor; zero when unsigned.
	Signature v1.Descriptor
}

// sink stores blobs and manifests.
type sink interface {
	blob(b []byte) error
	manifest(raw []byte, mt types.MediaType, tag string) error
	repoName() string
}

// NewKey returns a new ECDSA P-256 key and its public key as PEM.
func NewKey() (*ecdsa.PrivateKey, []byte, error) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		return nil, nil, err
	}
	return k, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

func descOf(b []byte, mt types.MediaType) v1.Descriptor {
	sum := sha256.Sum256(b)
	return v1.Descriptor{MediaType: mt, Size: int64(len(b)), Digest: v1.Hash{Algorithm: "sha256", Hex: fmt.Sprintf("%x", sum)}}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Only maps, slices and strings of this package are marshalled.
		panic(err)
	}
	return b
}

type manifestJSON struct {
	SchemaVersion int               `json:"schemaVersion"`
	MediaType     types.MediaType   `json:"mediaType"`
	ArtifactType  string            `json:"artifactType,omitempty"`
	Config        v1.Descriptor     `json:"config"`
	Layers        []v1.Descriptor   `json:"layers"`
	Subject       *v1.Descriptor    `json:"subject,omitempty"`
	Annotations   map[string]string `json:"annotations,omitempty"`
}

// build writes the image described by spec to s (and its referrers to refs,
// which may be s), tagging the index tag.
func build(s, refs sink, tag string, spec Spec) (*Image, error) {
	platforms := spec.Platforms
	if len(platforms) == 0 {
		platforms = []v1.Platform{{OS: "linux", Architecture: "amd64"}, {OS: "linux", Architecture: "arm64"}}
	}
	for _, doc := range spec.Docs {
		if !json.Valid(doc.Predicate) {
			return nil, fmt.Errorf("imagetest: predicate of type %q is not valid JSON", doc.PredicateType)
		}
	}
	img := &Image{}
	var index v1.IndexManifest
	index.SchemaVersion = 2
	index.MediaType = types.OCIImageIndex
	layers, diffIDs, err := pushLayers(s, spec.Layers)
	if err != nil {
		return nil, err
	}
	for _, p := range platforms {
		cfg := mustJSON(map[string]any{
			"architecture": p.Architecture, "os": p.OS, "variant": p.Variant,
			"config": map[string]any{"Labels": spec.Labels},
			"rootfs": map[string]any{"type": "layers", "diff_ids": diffIDs},
		})
		if err := s.blob(cfg); err != nil {
			return nil, err
		}
		m := manifestJSON{SchemaVersion: 2, MediaType: types.OCIManifestSchema1,
			Config: descOf(cfg, types.OCIConfigJSON), Layers: layers}
		raw := mustJSON(m)
		if err := s.manifest(raw, types.OCIManifestSchema1, ""); err != nil {
			return nil, err
		}
		d := descOf(raw, types.OCIManifestSchema1)
		pc := p
		d.Platform = &pc
		index.Manifests = append(index.Manifests, d)
		img.Platforms = append(img.Platforms, d)
	}
	if spec.Buildx {
		for _, target := range img.Platforms {
			atts, d, err := buildxManifest(s, target, spec)
			if err != nil {
				return nil, err
			}
			index.Manifests = append(index.Manifests, d)
			img.Attestations = append(img.Attestations, atts...)
		}
	}
	rawIndex := mustJSON(index)
	if err := s.manifest(rawIndex, types.OCIImageIndex, tag); err != nil {
		return nil, err
	}
	img.Index = descOf(rawIndex, types.OCIImageIndex)
	img.Ref = tag

	if spec.Buildx {
		return img, nil
	}
	empty := []byte("{}")
	if err := refs.blob(empty); err != nil {
		return nil, err
	}
	emptyDesc := descOf(empty, mtEmpty)
	emptyDesc.Data = empty
	dockerRef := spec.DockerReference
	if dockerRef == "" {
		dockerRef = refs.repoName()
	}
	for _, target := range img.Platforms {
		subject := v1.Descriptor{MediaType: target.MediaType, Size: target.Size, Digest: target.Digest}
		for _, doc := range spec.Docs {
			stmt := statement(refs.repoName(), target, doc)
			if err := refs.blob(stmt); err != nil {
				return nil, err
			}
			layer := descOf(stmt, mtInToto)
			ann := doc.PredicateType
			if doc.Annotation != "" {
				ann = doc.Annotation
			}
			if !spec.NoAnnotation {
				layer.Annotations = map[string]string{"in-toto.io/predicate-type": ann}
			}
			m := manifestJSON{SchemaVersion: 2, MediaType: types.OCIManifestSchema1, ArtifactType: mtInToto,
				Config: emptyDesc, Layers: []v1.Descriptor{layer}, Subject: &subject}
			if !spec.NoAnnotation {
				m.Annotations = map[string]string{"in-toto.io/predicate-type": ann}
			}
			raw := mustJSON(m)
			if err := refs.manifest(raw, types.OCIManifestSchema1, ""); err != nil {
				return nil, err
			}
			att := Attestation{Target: target, Manifest: descOf(raw, types.OCIManifestSchema1), Layer: layer, PredicateType: doc.PredicateType}
			if spec.Signer != nil {
				sig, err := sign(refs, spec.Signer, dockerRef, att.Manifest, emptyDesc)
				if err != nil {
					return nil, err
				}
				att.Signature = sig
			}
			img.Attestations = append(img.Attestations, att)
		}
	}
	return img, nil
}

// SimpleSigningPayload returns the cosign simple-signing payload that signs
// the manifest with digest d under the given docker-reference.
func SimpleSigningPayload(dockerRef string, d v1.Hash) []byte {
	return []byte(fmt.Sprintf(`{"critical":{"identity":{"docker-reference":%q},"image":{"docker-manifest-digest":%q},"type":"cosign container image signature"},"optional":null}`, dockerRef, d.String()))
}

// sign stores a simple-signing signature of target as its referrer.
func sign(s sink, key *ecdsa.PrivateKey, dockerRef string, target, emptyDesc v1.Descriptor) (v1.Descriptor, error) {
	payload := SimpleSigningPayload(dockerRef, target.Digest)
	sum := sha256.Sum256(payload)
	sig, err := ecdsa.SignASN1(rand.Reader, key, sum[:])
	if err != nil {
		return v1.Descriptor{}, err
	}
	if err := s.blob(payload); err != nil {
		return v1.Descriptor{}, err
	}
	layer := descOf(payload, mtSimpleSigning)
	layer.Annotations = map[string]string{"dev.cosignproject.cosign/signature": base64.StdEncoding.EncodeToString(sig)}
	subject := v1.Descriptor{MediaType: target.MediaType, Size: target.Size, Digest: target.Digest}
	m := manifestJSON{SchemaVersion: 2, MediaType: types.OCIManifestSchema1, ArtifactType: atCosignSig,
		Config: emptyDesc, Layers: []v1.Descriptor{layer}, Subject: &subject}
	raw := mustJSON(m)
	if err := s.manifest(raw, types.OCIManifestSchema1, ""); err != nil {
		return v1.Descriptor{}, err
	}
	return descOf(raw, types.OCIManifestSchema1), nil
}

func statement(name string, target v1.Descriptor, doc Doc) []byte {
	return mustJSON(map[string]any{
		"_type":         "https://in-toto.io/Statement/v1",
		"subject":       []map[string]any{{"name": name, "digest": map[string]string{"sha256": target.Digest.Hex}}},
		"predicateType": doc.PredicateType,
		"predicate":     json.RawMessage(bytes.ReplaceAll(doc.Predicate, []byte(TargetDigest), []byte(target.Digest.String()))),
	})
}

// buildxManifest stores a BuildKit-style attestation manifest for target
// and returns its index entry.
func buildxManifest(s sink, target v1.Descriptor, spec Spec) ([]Attestation, v1.Descriptor, error) {
	var layers []v1.Descriptor
	for _, doc := range spec.Docs {
		stmt := statement(s.repoName(), target, doc)
		if err := s.blob(stmt); err != nil {
			return nil, v1.Descriptor{}, err
		}
		l := descOf(stmt, mtInToto)
		l.Annotations = map[string]string{"in-toto.io/predicate-type": doc.PredicateType}
		layers = append(layers, l)
	}
	cfg := mustJSON(map[string]any{"architecture": "unknown", "os": "unknown", "config": map[string]any{},
		"rootfs": map[string]any{"type": "layers", "diff_ids": []string{}}})
	if err := s.blob(cfg); err != nil {
		return nil, v1.Descriptor{}, err
	}
	raw := mustJSON(manifestJSON{SchemaVersion: 2, MediaType: types.OCIManifestSchema1,
		Config: descOf(cfg, types.OCIConfigJSON), Layers: layers})
	if err := s.manifest(raw, types.OCIManifestSchema1, ""); err != nil {
		return nil, v1.Descriptor{}, err
	}
	d := descOf(raw, types.OCIManifestSchema1)
	var atts []Attestation
	for i, l := range layers {
		atts = append(atts, Attestation{Target: target, Manifest: d, Layer: l, PredicateType: spec.Docs[i].PredicateType})
	}
	d.Platform = &v1.Platform{OS: "unknown", Architecture: "unknown"}
	d.Annotations = map[string]string{
		"vnd.docker.reference.type":   "attestation-manifest",
		"vnd.docker.reference.digest": target.Digest.String(),
	}
	return atts, d, nil
}
