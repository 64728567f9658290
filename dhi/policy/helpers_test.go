package policy_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/sigstore/sigstore/pkg/signature"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/attest/intoto"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/dhi/policy"
	"github.com/dhisdk/dhisdk/internal/registrytest"
)

// Predicate types the test policies read.
const (
	ptSPDX    = "https://spdx.dev/Document"
	ptProvV1  = "https://slsa.dev/provenance/v1"
	ptVEX     = "https://openvex.dev/ns/v0.2.0"
	ptSTIG    = "https://docker.com/dhi/stig/v0.1"
	ptVulns   = "https://scout.docker.com/vulnerabilities/v0.1"
	ptTests   = "https://scout.docker.com/tests/v0.1"
	ptSecrets = "https://scout.docker.com/secrets/v0.1"
	ptVirus   = "https://scout.docker.com/virus/v0.1"
	ptVSA     = "https://slsa.dev/verification_summary/v1"
	// sampleKeyRef is the key_ref the tests' policy configuration names.
	sampleKeyRef = "https://keys.example.test/sample.pub"
)

// signer is a signing key with its public half as a trusted key.
type signer struct {
	priv *ecdsa.PrivateKey
	sv   signature.SignerVerifier
	key  *attest.Key
}

func newSigner(t testing.TB, name string) *signer {
	t.Helper()
	priv, pub, err := dhitest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	key, err := attest.ParseKey(pub, attest.WithKeyName(name))
	if err != nil {
		t.Fatal(err)
	}
	sv, err := signature.LoadECDSASignerVerifier(priv, crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	return &signer{priv: priv, sv: sv, key: key}
}

// sampleDocs returns the sample image's documents by predicate type.
var sampleDocs = sync.OnceValues(func() (map[string][]byte, error) {
	docs, err := dhitest.SampleDocs()
	if err != nil {
		return nil, err
	}
	m := map[string][]byte{}
	for _, d := range docs {
		m[d.PredicateType] = d.Predicate
	}
	return m, nil
})

// doc is one attestation of a test image.
type doc struct {
	predicateType string
	predicate     []byte
	// subject, when set, is the digest the statement names instead of the
	// platform manifest's.
	subject string
	// by, when set, signs instead of the image's signer.
	by *signer
	// tamper changes the statement after it was signed.
	tamper bool
	// bundle writes the attestation as a sigstore bundle referrer (cosign
	// v3's form) instead of DHI's bare statement with a simple-signing
	// signature.
	bundle bool
}

// spec describes a test image: one linux/amd64 platform with a config and
// signed sigstore-bundle referrers, written with attest.Attach.
type spec struct {
	user   string
	labels map[string]string
	docs   []doc
}

// defaultDocs returns the documents the test policies read, from the
// sample, with replace applied by predicate type and the types in drop
// left out.
func defaultDocs(t testing.TB, replace map[string][]byte, drop ...string) []doc {
	t.Helper()
	m, err := sampleDocs()
	if err != nil {
		t.Fatal(err)
	}
	var out []doc
	for _, pt := range []string{ptSPDX, ptProvV1, ptVEX, ptSTIG, ptVulns, ptTests, ptSecrets, ptVirus} {
		if contains(drop, pt) {
			continue
		}
		b := m[pt]
		if r, ok := replace[pt]; ok {
			b = r
		}
		out = append(out, doc{predicateType: pt, predicate: b})
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// built is a test image in a registry.
type built struct {
	ref      string // host/repo:tag
	platform v1.Hash
	repo     string
	// atts maps a predicate type to the attestation manifest written.
	atts map[string]v1.Descriptor
}

// buildImage writes the image of sp under host/repo:tag, its attestations
// signed by s.
func buildImage(t testing.TB, host, repo string, s *signer, sp spec) *built {
	t.Helper()
	r, err := name.NewRepository(host + "/" + repo)
	if err != nil {
		t.Fatal(err)
	}
	cfg := map[string]any{"architecture": "amd64", "os": "linux",
		"config": map[string]any{"User": sp.user, "Labels": sp.labels},
		"rootfs": map[string]any{"type": "layers", "diff_ids": []string{}}}
	if sp.user == "" {
		cfg["config"] = map[string]any{"Labels": sp.labels}
	}
	cfgRaw := mustJSON(t, cfg)
	writeBlob(t, r, cfgRaw)
	m := v1.Manifest{SchemaVersion: 2, MediaType: types.OCIManifestSchema1,
		Config: v1.Descriptor{MediaType: types.OCIConfigJSON, Size: int64(len(cfgRaw)), Digest: hashOf(cfgRaw)}, Layers: []v1.Descriptor{}}
	mRaw := mustJSON(t, m)
	mDesc := v1.Descriptor{MediaType: types.OCIManifestSchema1, Size: int64(len(mRaw)), Digest: hashOf(mRaw),
		Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}
	putManifest(t, r.Digest(mDesc.Digest.String()), mRaw, types.OCIManifestSchema1)
	idx := v1.IndexManifest{SchemaVersion: 2, MediaType: types.OCIImageIndex, Manifests: []v1.Descriptor{mDesc}}
	putManifest(t, r.Tag("1"), mustJSON(t, idx), types.OCIImageIndex)

	b := &built{ref: r.Tag("1").Name(), platform: mDesc.Digest, repo: r.Name(), atts: map[string]v1.Descriptor{}}
	for _, d := range sp.docs {
		subject := mDesc.Digest.Hex
		if d.subject != "" {
			subject = d.subject
		}
		stmt := mustJSON(t, map[string]any{
			"_type":         intoto.StatementTypeV1,
			"subject":       []map[string]any{{"name": r.Name(), "digest": map[string]string{"sha256": subject}}},
			"predicateType": d.predicateType,
			"predicate":     json.RawMessage(d.predicate),
		})
		by := s
		if d.by != nil {
			by = d.by
		}
		platform := v1.Descriptor{MediaType: mDesc.MediaType, Size: mDesc.Size, Digest: mDesc.Digest}
		if d.bundle {
			b.atts[d.predicateType] = attachBundle(t, r, platform, stmt, by, d.tamper)
		} else {
			b.atts[d.predicateType] = attachSimpleSigned(t, r, platform, stmt, d.predicateType, by, d.tamper)
		}
	}
	return b
}

// attachBundle attaches stmt as a sigstore bundle referrer, as cosign v3
// does, through attest.Attach.
func attachBundle(t testing.TB, r name.Repository, platform v1.Descriptor, stmt []byte, by *signer, tamper bool) v1.Descriptor {
	t.Helper()
	bundle, err := attest.SignBundle(stmt, by.sv)
	if err != nil {
		t.Fatal(err)
	}
	if tamper {
		bundle = tamperBundle(t, bundle)
	}
	desc, err := attest.Attach(context.Background(), r.Name()+"@"+platform.Digest.String(), bundle, attest.WithAttachTime(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	return desc
}

// attachSimpleSigned attaches stmt as DHI does: a referrer manifest whose
// layer is the bare statement, signed by a cosign simple-signing referrer
// of that manifest. With tamper, a changed statement is attached beside and
// carries a copy of the honest manifest's signature.
func attachSimpleSigned(t testing.TB, r name.Repository, platform v1.Descriptor, stmt []byte, pt string, by *signer, tamper bool) v1.Descriptor {
	t.Helper()
	empty := []byte("{}")
	writeBlob(t, r, empty)
	emptyDesc := v1.Descriptor{MediaType: "application/vnd.oci.empty.v1+json", Size: 2, Digest: hashOf(empty)}
	manifest := func(stmt []byte) (v1.Descriptor, []byte) {
		writeBlob(t, r, stmt)
		ann := map[string]string{"in-toto.io/predicate-type": pt}
		layer := v1.Descriptor{MediaType: "application/vnd.in-toto+json", Size: int64(len(stmt)), Digest: hashOf(stmt), Annotations: ann}
		m := v1.Manifest{SchemaVersion: 2, MediaType: types.OCIManifestSchema1, ArtifactType: "application/vnd.in-toto+json",
			Config: emptyDesc, Layers: []v1.Descriptor{layer}, Subject: &platform, Annotations: ann}
		raw := mustJSON(t, m)
		putManifest(t, r.Digest(hashOf(raw).String()), raw, types.OCIManifestSchema1)
		return v1.Descriptor{MediaType: types.OCIManifestSchema1, Size: int64(len(raw)), Digest: hashOf(raw)}, raw
	}
	signed, _ := manifest(stmt)
	target := signed
	if tamper {
		var st map[string]any
		if err := json.Unmarshal(stmt, &st); err != nil {
			t.Fatal(err)
		}
		st["predicate"] = map[string]any{"results": map[string]any{"summary": map[string]any{"failed": 0, "passed": 99}}}
		target, _ = manifest(mustJSON(t, st))
	}
	payload := dhitest.SimpleSigningPayload(r.Name(), signed.Digest)
	sum := sha256.Sum256(payload)
	sig, err := ecdsa.SignASN1(rand.Reader, by.priv, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	writeBlob(t, r, payload)
	layer := v1.Descriptor{MediaType: "application/vnd.dev.cosign.simplesigning.v1+json", Size: int64(len(payload)), Digest: hashOf(payload),
		Annotations: map[string]string{"dev.cosignproject.cosign/signature": base64.StdEncoding.EncodeToString(sig)}}
	m := v1.Manifest{SchemaVersion: 2, MediaType: types.OCIManifestSchema1, ArtifactType: "application/vnd.dev.cosign.artifact.sig.v1+json",
		Config: emptyDesc, Layers: []v1.Descriptor{layer}, Subject: &target}
	raw := mustJSON(t, m)
	putManifest(t, r.Digest(hashOf(raw).String()), raw, types.OCIManifestSchema1)
	return target
}

// tamperBundle changes the statement inside a signed bundle, keeping the
// signature: a test record that claims no failure.
func tamperBundle(t testing.TB, bundle []byte) []byte {
	t.Helper()
	var b map[string]any
	if err := json.Unmarshal(bundle, &b); err != nil {
		t.Fatal(err)
	}
	env := b["dsseEnvelope"].(map[string]any)
	payload, err := base64.StdEncoding.DecodeString(env["payload"].(string))
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.Unmarshal(payload, &st); err != nil {
		t.Fatal(err)
	}
	st["predicate"] = map[string]any{"results": map[string]any{"summary": map[string]any{"failed": 0, "passed": 99}}}
	env["payload"] = base64.StdEncoding.EncodeToString(mustJSON(t, st))
	return mustJSON(t, b)
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func hashOf(b []byte) v1.Hash {
	sum := sha256.Sum256(b)
	return v1.Hash{Algorithm: "sha256", Hex: fmt.Sprintf("%x", sum)}
}

func writeBlob(t testing.TB, r name.Repository, b []byte) {
	t.Helper()
	if err := remote.WriteLayer(r, static.NewLayer(b, types.MediaType("application/octet-stream"))); err != nil {
		t.Fatal(err)
	}
}

type rawManifest struct {
	raw []byte
	mt  types.MediaType
}

func (r rawManifest) RawManifest() ([]byte, error)        { return r.raw, nil }
func (r rawManifest) MediaType() (types.MediaType, error) { return r.mt, nil }

func putManifest(t testing.TB, ref name.Reference, raw []byte, mt types.MediaType) {
	t.Helper()
	if err := remote.Put(ref, rawManifest{raw, mt}); err != nil {
		t.Fatal(err)
	}
}

// openPlatform opens ref trusting keys and returns its first platform.
func openPlatform(t testing.TB, ref string, keys ...*attest.Key) *dhi.Platform {
	t.Helper()
	opts := []dhi.Option{dhi.WithoutNamingConventions()}
	if len(keys) > 0 {
		kr, err := attest.NewKeyring(keys...)
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, dhi.WithKeyring(kr))
	}
	img, err := dhi.Open(context.Background(), ref, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return img.Platforms[0]
}

// samplePolicies is the folder of the policies written for the sample,
// which examples/policy embeds: the tests evaluate the same set.
const samplePolicies = "../../examples/policy/policies"

// testPolicies reads the policies written for the sample.
func testPolicies(t testing.TB) []policy.File {
	t.Helper()
	files, err := policy.ReadDir(os.DirFS(samplePolicies), ".")
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// sampleConfig names the test key in the signed-attestations policy.
func sampleConfig(t testing.TB, extra string) *policy.Config {
	t.Helper()
	c, err := policy.ParseConfig([]byte(`{"policies": [{"name": "sample-signed-attestations", "config": {"key_ref": "` + sampleKeyRef + `"` + extra + `}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fixedClock returns a clock stopped at t.
func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// engine builds an engine over files trusting s's key under sampleKeyRef.
func engine(t testing.TB, files []policy.File, s *signer, opts ...policy.Option) *policy.Engine {
	t.Helper()
	opts = append([]policy.Option{policy.WithKey(sampleKeyRef, s.key), policy.WithClock(fixedClock(time.Date(2025, 10, 3, 0, 0, 0, 0, time.UTC)))}, opts...)
	e, err := policy.New(files, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// newRegistry starts a conformant in-process registry.
func newRegistry(t testing.TB) *registrytest.Server {
	t.Helper()
	return registrytest.New(t)
}

// publicPEM returns the signer's public key as PEM.
func publicPEM(t testing.TB, s *signer) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&s.priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}
