package attest_test

// Tampering with what real cosign v3 wrote to real registries, the ways an
// attacker with write access to a registry could: each tampered attestation
// must be rejected with an error that names the broken link.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
)

type rawManifest struct {
	raw []byte
	mt  types.MediaType
}

func (r rawManifest) RawManifest() ([]byte, error)        { return r.raw, nil }
func (r rawManifest) MediaType() (types.MediaType, error) { return r.mt, nil }

// getManifest reads a manifest as the registry stores it.
func getManifest(t *testing.T, repo string, d v1.Hash) map[string]any {
	t.Helper()
	ref, err := name.NewDigest(repo + "@" + d.String())
	if err != nil {
		t.Fatal(err)
	}
	desc, err := remote.Get(ref)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(desc.Manifest, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// putManifest pushes m by digest (go-containerregistry keeps the referrers
// tag where the registry lacks the API) and returns its digest.
func putManifest(t *testing.T, repo string, m map[string]any) v1.Hash {
	t.Helper()
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	h, _, err := v1.SHA256(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := name.NewDigest(repo + "@" + h.String())
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Put(ref, rawManifest{raw, types.OCIManifestSchema1}); err != nil {
		t.Fatal(err)
	}
	return h
}

// subjectOf returns a manifest subject descriptor for d.
func subjectOf(d v1.Descriptor) map[string]any {
	return map[string]any{"mediaType": string(d.MediaType), "digest": d.Digest.String(), "size": d.Size}
}

// findAttestation returns the discovered attestation with manifest digest d.
func findAttestation(t *testing.T, disc *attest.Discovery, d v1.Hash) *attest.Attestation {
	t.Helper()
	for _, a := range disc.Attestations {
		if a.Manifest.Digest == d {
			return a
		}
	}
	t.Fatalf("attestation manifest %s not discovered", d)
	return nil
}

func TestCosignTamperedChains(t *testing.T) {
	t.Parallel()
	for _, r := range cosignRegistries() {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			c := newCosign(t)
			reg := r.server(t)
			repo := reg.Host + "/dhi/tamper-" + strings.ToLower(randText(8))
			docs := smallDocs(t)[:3]
			docs[2].Annotation = ptFIPS // the statement says SLSA provenance
			img := push(t, repo+":1", "", dhitest.Spec{Docs: docs})
			p0, p1 := img.Platforms[0], img.Platforms[1]
			var vexAtt, sbomAtt, liar dhitest.Attestation
			for _, a := range img.Attestations {
				if a.Target.Digest != p0.Digest {
					continue
				}
				switch a.PredicateType {
				case ptOpenVEX:
					vexAtt = a
				case ptCycloneDX:
					sbomAtt = a
				case ptSLSA1:
					liar = a
				}
			}
			// Docker's way: simple-signing signatures as referrers of the
			// VEX and the lying attestation manifests; the SBOM one stays
			// unsigned.
			for _, a := range []dhitest.Attestation{vexAtt, liar} {
				c.run(t, append(append([]string{"sign"}, legacy()...), "--registry-referrers-mode=oci-1-1", repo+"@"+a.Manifest.Digest.String())...)
			}
			// A cosign bundle attestation of platform 0.
			c.attest(t, "openvex", predicateFile(t, c)["openvex"], repo+"@"+p0.Digest.String())

			src := registrySource(t)
			d, err := attest.Discover(context.Background(), src, img.Ref)
			if err != nil && !strings.Contains(err.Error(), "predicate-type annotation") {
				t.Fatalf("Discover() error = %v", err)
			}
			v := c.verifier(t, nil)
			if _, err := v.Verify(findAttestation(t, d, vexAtt.Manifest.Digest)); err != nil {
				t.Fatalf("untampered VEX attestation: Verify() error = %v", err)
			}
			var bundleAtt *attest.Attestation
			for _, a := range d.Attestations {
				if a.Content != nil && a.Content.Format == attest.FormatBundle {
					bundleAtt = a
				}
			}
			if bundleAtt == nil {
				t.Fatal("cosign bundle attestation not discovered")
			}
			if _, err := v.Verify(bundleAtt); err != nil {
				t.Fatalf("untampered bundle attestation: Verify() error = %v", err)
			}

			// 1. The VEX signature copied onto the unsigned SBOM attestation
			// manifest.
			sig := findAttestation(t, d, vexAtt.Manifest.Digest).Signatures[0]
			copied := getManifest(t, repo, sig.Manifest.Digest)
			copied["subject"] = subjectOf(sbomAtt.Manifest)
			putManifest(t, repo, copied)

			// 2. The bundle attestation of platform 0 attached to platform 1:
			// a valid signature over a statement about another image.
			moved := getManifest(t, repo, bundleAtt.Manifest.Digest)
			moved["subject"] = subjectOf(p1)
			movedDigest := putManifest(t, repo, moved)

			// 3. The bundle's signed payload with one byte changed.
			flippedDigest := flipBundlePayload(t, repo, bundleAtt, p0)

			d, _ = attest.Discover(context.Background(), src, img.Ref)
			tests := []struct {
				name     string
				manifest v1.Hash
				verifier *attest.Verifier
				link     attest.Link
				sentinel error
			}{
				{"signature copied onto another attestation manifest", sbomAtt.Manifest.Digest, v, attest.LinkManifest, attest.ErrManifestMismatch},
				{"statement subject names another image", movedDigest, v, attest.LinkSubject, attest.ErrSubjectMismatch},
				{"payload byte flipped", flippedDigest, v, attest.LinkSignature, attest.ErrSignature},
				{"predicate-type annotation lies", liar.Manifest.Digest, v, attest.LinkPredicateType, attest.ErrPredicateTypeMismatch},
				{"untrusted key", vexAtt.Manifest.Digest, newCosign(t).verifier(t, nil), attest.LinkSignature, attest.ErrSignature},
				{"retired key refused", vexAtt.Manifest.Digest, c.verifier(t, []attest.KeyOption{attest.WithKeyStatus(attest.KeyStatusRetired)}, attest.WithRetiredKeysRefused()), attest.LinkKeyStatus, attest.ErrRetiredKey},
			}
			for _, tc := range tests {
				a := findAttestation(t, d, tc.manifest)
				res, err := tc.verifier.Verify(a)
				t.Run(tc.name, func(t *testing.T) {
					wantFailure(t, res, err, tc.link, tc.sentinel)
					if err != nil && !strings.Contains(err.Error(), string(tc.link)) {
						t.Errorf("error %q does not name the %s link", err, tc.link)
					}
				})
			}
		})
	}
}

// flipBundlePayload pushes a copy of a bundle attestation whose DSSE payload
// has one byte changed, as a referrer of target, and returns its manifest
// digest.
func flipBundlePayload(t *testing.T, repo string, a *attest.Attestation, target v1.Descriptor) v1.Hash {
	t.Helper()
	ref, err := name.NewDigest(repo + "@" + a.Layer.Digest.String())
	if err != nil {
		t.Fatal(err)
	}
	layer, err := remote.Layer(ref)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := layer.Compressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var b map[string]any
	if err := json.NewDecoder(rc).Decode(&b); err != nil {
		t.Fatal(err)
	}
	env := b["dsseEnvelope"].(map[string]any)
	payload, err := base64.StdEncoding.DecodeString(env["payload"].(string))
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(payload), "not_affected")
	if i < 0 {
		i = len(payload) / 2
	}
	payload[i] ^= 0x20 // "not_affected" -> "Not_affected"
	env["payload"] = base64.StdEncoding.EncodeToString(payload)
	raw, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	r, err := name.NewRepository(repo)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteLayer(r, static.NewLayer(raw, types.MediaType(attest.ArtifactTypeBundleV03))); err != nil {
		t.Fatal(err)
	}
	h, _, err := v1.SHA256(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	m := getManifest(t, repo, a.Manifest.Digest)
	layers := m["layers"].([]any)
	l := layers[0].(map[string]any)
	l["digest"] = h.String()
	l["size"] = len(raw)
	m["subject"] = subjectOf(target)
	return putManifest(t, repo, m)
}
