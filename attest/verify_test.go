package attest_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/attest"
)

// This file builds attestations in memory the way Docker Hardened Images
// publishes them (a bare in-toto statement as the layer of a referrer
// manifest, the manifest signed with a cosign simple-signing signature),
// signs them at test time with throwaway ECDSA P-256 keys, and breaks each
// link of the chain of trust in turn.

const (
	mtOCIManifest   = "application/vnd.oci.image.manifest.v1+json"
	mtInToto        = "application/vnd.in-toto+json"
	mtSimpleSigning = "application/vnd.dev.cosign.simplesigning.v1+json"
	ptSPDX          = "https://spdx.dev/Document"
	ptVEX           = "https://openvex.dev/ns/v0.2.0"
	dhiReference    = "registry.scout.docker.com/dhi/python"
	pullRepository  = "dhi.io/python"
)

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func mustB64(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sha256Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

func mustHash(t testing.TB, s string) v1.Hash {
	t.Helper()
	h, err := v1.NewHash(s)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// descriptorOf describes a manifest by its bytes.
func descriptorOf(raw []byte) v1.Descriptor {
	sum := sha256.Sum256(raw)
	return v1.Descriptor{MediaType: mtOCIManifest, Size: int64(len(raw)), Digest: v1.Hash{Algorithm: "sha256", Hex: hex.EncodeToString(sum[:])}}
}

// testSigner is a throwaway ECDSA P-256 signing key.
type testSigner struct {
	priv   *ecdsa.PrivateKey
	pubPEM []byte
}

func newTestSigner(t testing.TB) *testSigner {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	return &testSigner{priv: priv, pubPEM: pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})}
}

func (s *testSigner) key(t testing.TB, opts ...attest.KeyOption) *attest.Key {
	t.Helper()
	k, err := attest.ParseKey(s.pubPEM, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// sign signs msg as cosign does: ECDSA over its SHA-256, ASN.1 DER.
func (s *testSigner) sign(t testing.TB, msg []byte) []byte {
	t.Helper()
	sum := sha256.Sum256(msg)
	sig, err := ecdsa.SignASN1(rand.Reader, s.priv, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// statementJSON is an in-toto statement v0.1 about subject.
func statementJSON(subject v1.Hash, predicateType, predicate string) []byte {
	return fmt.Appendf(nil, `{"_type":"https://in-toto.io/Statement/v0.1","predicateType":%q,"subject":[{"name":"pkg:docker/dhi/python@3.13?platform=linux%%2Famd64","digest":{%q:%q}}],"predicate":%s}`,
		predicateType, subject.Algorithm, subject.Hex, predicate)
}

// platformManifest is the descriptor of an image's platform manifest.
func platformManifest(t testing.TB, seed string) v1.Descriptor {
	t.Helper()
	raw := fmt.Appendf(nil, `{"schemaVersion":2,"mediaType":%q,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},"layers":[],"annotations":{"seed":%q}}`, mtOCIManifest, seed)
	d := descriptorOf(raw)
	d.Platform = &v1.Platform{OS: "linux", Architecture: "amd64"}
	return d
}

// newAttestation builds an attestation whose layer is stmt, in a referrer
// manifest of target whose layer annotation says annotation.
func newAttestation(t testing.TB, target v1.Descriptor, stmt []byte, annotation string) *attest.Attestation {
	t.Helper()
	layer := v1.Descriptor{MediaType: mtInToto, Size: int64(len(stmt)), Digest: mustHash(t, sha256Digest(stmt)),
		Annotations: map[string]string{attest.AnnotationPredicateType: annotation}}
	m := map[string]any{
		"schemaVersion": 2,
		"mediaType":     mtOCIManifest,
		"artifactType":  mtInToto,
		"config":        map[string]any{"mediaType": "application/vnd.oci.empty.v1+json", "size": 2, "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},
		"layers":        []v1.Descriptor{layer},
		"subject":       target,
		"annotations":   map[string]string{attest.AnnotationPredicateType: annotation},
	}
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	c, err := attest.Parse(stmt)
	if err != nil {
		t.Fatal(err)
	}
	return &attest.Attestation{
		Target:        target,
		Locations:     []attest.Location{{Repository: pullRepository, Mechanism: attest.MechanismReferrersAPI}},
		Manifest:      descriptorOf(raw),
		RawManifest:   raw,
		Layer:         layer,
		PredicateType: c.PredicateType(),
		Content:       c,
	}
}

// simpleSigningPayload is cosign's simple-signing payload, byte for byte as
// cosign marshals it.
func simpleSigningPayload(ref string, manifest v1.Hash) []byte {
	return fmt.Appendf(nil, `{"critical":{"identity":{"docker-reference":%q},"image":{"docker-manifest-digest":%q},"type":"cosign container image signature"},"optional":null}`, ref, manifest)
}

// signManifest makes the cosign simple-signing signature of a manifest, as
// a referrer of it, the way discovery returns it.
func (s *testSigner) signManifest(t testing.TB, manifest v1.Descriptor) *attest.Signature {
	t.Helper()
	payload := simpleSigningPayload(dhiReference, manifest.Digest)
	value := s.sign(t, payload)
	layer := v1.Descriptor{MediaType: mtSimpleSigning, Size: int64(len(payload)), Digest: mustHash(t, sha256Digest(payload)),
		Annotations: map[string]string{attest.AnnotationCosignSignature: b64(value)}}
	raw, err := json.Marshal(map[string]any{"schemaVersion": 2, "mediaType": mtOCIManifest, "artifactType": "application/vnd.dev.cosign.artifact.sig.v1+json",
		"layers": []v1.Descriptor{layer}, "subject": manifest})
	if err != nil {
		t.Fatal(err)
	}
	return &attest.Signature{
		Kind:      attest.SignatureSimpleSigning,
		Target:    manifest,
		Locations: []attest.Location{{Repository: pullRepository, Mechanism: attest.MechanismReferrersAPI}},
		Manifest:  descriptorOf(raw),
		Layer:     layer,
		Payload:   payload,
		Value:     value,
	}
}

// signed builds a DHI-shaped attestation about target, signed by s.
func (s *testSigner) signed(t testing.TB, target v1.Descriptor, predicateType, predicate string) *attest.Attestation {
	t.Helper()
	att := newAttestation(t, target, statementJSON(target.Digest, predicateType, predicate), predicateType)
	att.Signatures = []*attest.Signature{s.signManifest(t, att.Manifest)}
	return att
}

func TestVerifyChain(t *testing.T) {
	t.Parallel()
	docker := newTestSigner(t)
	stranger := newTestSigner(t)
	target := platformManifest(t, "amd64")
	other := platformManifest(t, "another image")
	activeRing := mustKeyring(t, docker.key(t, attest.WithKeyName("dhi-2")))
	retiredRing := mustKeyring(t, docker.key(t, attest.WithKeyName("dhi-1"), attest.WithKeyStatus(attest.KeyStatusRetired)))
	const spdx = `{"spdxVersion":"SPDX-2.3","name":"python"}`
	const vex = `{"@context":"https://openvex.dev/ns/v0.2.0","statements":[]}`

	good := func(t *testing.T) *attest.Attestation { return docker.signed(t, target, ptSPDX, spdx) }
	tests := []struct {
		name     string
		keys     *attest.Keyring
		opts     []attest.VerifierOption
		att      func(t *testing.T) *attest.Attestation
		link     attest.Link // "" when it must verify
		sentinel error
	}{
		{name: "DHI-shaped attestation verifies", keys: activeRing, att: good},
		{name: "payload byte flipped", keys: activeRing, link: attest.LinkSignature, sentinel: attest.ErrSignature,
			att: func(t *testing.T) *attest.Attestation {
				a := good(t)
				a.Signatures[0].Payload = bytes.Replace(a.Signatures[0].Payload, []byte("scout"), []byte("scaut"), 1)
				return a
			}},
		{name: "signature value byte flipped", keys: activeRing, link: attest.LinkSignature, sentinel: attest.ErrSignature,
			att: func(t *testing.T) *attest.Attestation {
				a := good(t)
				a.Signatures[0].Value = bytes.Clone(a.Signatures[0].Value)
				a.Signatures[0].Value[10] ^= 1
				return a
			}},
		{name: "layer swapped", keys: activeRing, link: attest.LinkLayer, sentinel: attest.ErrLayerMismatch,
			att: func(t *testing.T) *attest.Attestation {
				a := good(t)
				b := docker.signed(t, target, ptVEX, vex)
				a.Layer, a.Content, a.PredicateType = b.Layer, b.Content, b.PredicateType
				return a
			}},
		{name: "manifest bytes swapped", keys: activeRing, link: attest.LinkManifest, sentinel: attest.ErrManifestMismatch,
			att: func(t *testing.T) *attest.Attestation {
				a := good(t)
				b := docker.signed(t, target, ptVEX, vex)
				a.RawManifest, a.Layer, a.Content, a.PredicateType = b.RawManifest, b.Layer, b.Content, b.PredicateType
				return a
			}},
		{name: "manifest bytes missing", keys: activeRing, link: attest.LinkManifest, sentinel: attest.ErrManifestMismatch,
			att: func(t *testing.T) *attest.Attestation {
				a := good(t)
				a.RawManifest = nil
				return a
			}},
		{name: "layer index out of the manifest", keys: activeRing, link: attest.LinkLayer, sentinel: attest.ErrLayerMismatch,
			att: func(t *testing.T) *attest.Attestation {
				a := good(t)
				a.LayerIndex = 1
				return a
			}},
		{name: "signature copied onto another attestation manifest", keys: activeRing, link: attest.LinkManifest, sentinel: attest.ErrManifestMismatch,
			att: func(t *testing.T) *attest.Attestation {
				a := good(t)
				b := docker.signed(t, target, ptVEX, vex)
				b.Signatures = a.Signatures
				return b
			}},
		{name: "statement subject points at another image", keys: activeRing, link: attest.LinkSubject, sentinel: attest.ErrSubjectMismatch,
			att: func(t *testing.T) *attest.Attestation {
				a := newAttestation(t, target, statementJSON(other.Digest, ptSPDX, spdx), ptSPDX)
				a.Signatures = []*attest.Signature{docker.signManifest(t, a.Manifest)}
				return a
			}},
		{name: "attestation of another image presented for this one", keys: activeRing, link: attest.LinkSubject, sentinel: attest.ErrSubjectMismatch,
			att: func(t *testing.T) *attest.Attestation {
				a := docker.signed(t, other, ptSPDX, spdx)
				a.Target = target
				return a
			}},
		{name: "predicate-type annotation lies (signed)", keys: activeRing, link: attest.LinkPredicateType, sentinel: attest.ErrPredicateTypeMismatch,
			att: func(t *testing.T) *attest.Attestation {
				a := newAttestation(t, target, statementJSON(target.Digest, ptSPDX, spdx), ptVEX)
				a.Signatures = []*attest.Signature{docker.signManifest(t, a.Manifest)}
				return a
			}},
		{name: "predicate-type annotation lies (added after signing)", keys: activeRing, link: attest.LinkPredicateType, sentinel: attest.ErrPredicateTypeMismatch,
			att: func(t *testing.T) *attest.Attestation {
				a := good(t)
				a.Layer.Annotations = map[string]string{attest.AnnotationPredicateType: ptVEX}
				return a
			}},
		{name: "untrusted key", keys: activeRing, link: attest.LinkSignature, sentinel: attest.ErrSignature,
			att: func(t *testing.T) *attest.Attestation { return stranger.signed(t, target, ptSPDX, spdx) }},
		{name: "retired key refused", keys: retiredRing, opts: []attest.VerifierOption{attest.WithRetiredKeysRefused()}, link: attest.LinkKeyStatus, sentinel: attest.ErrRetiredKey,
			att: good},
		{name: "retired key accepted by default", keys: retiredRing, att: good},
		{name: "unsigned", keys: activeRing, link: attest.LinkSignature, sentinel: attest.ErrUnsigned,
			att: func(t *testing.T) *attest.Attestation {
				a := good(t)
				a.Signatures = nil
				return a
			}},
		{name: "one valid signature of two", keys: activeRing,
			att: func(t *testing.T) *attest.Attestation {
				a := good(t)
				a.Signatures = append([]*attest.Signature{stranger.signManifest(t, a.Manifest)}, a.Signatures...)
				return a
			}},
		{name: "threshold of two distinct keys met", keys: mustKeyring(t, docker.key(t), stranger.key(t)), opts: []attest.VerifierOption{attest.WithThreshold(2)},
			att: func(t *testing.T) *attest.Attestation {
				a := good(t)
				a.Signatures = append(a.Signatures, stranger.signManifest(t, a.Manifest))
				return a
			}},
		{name: "threshold of two not met by one key signing twice", keys: mustKeyring(t, docker.key(t), stranger.key(t)), opts: []attest.VerifierOption{attest.WithThreshold(2)},
			link: attest.LinkSignature, sentinel: attest.ErrThreshold,
			att: func(t *testing.T) *attest.Attestation {
				a := good(t)
				a.Signatures = append(a.Signatures, docker.signManifest(t, a.Manifest))
				return a
			}},
		{name: "transparency log required", keys: activeRing, opts: []attest.VerifierOption{attest.WithTrustedRoot(mustRoot(t, rootPublic25)), attest.WithTransparencyLog()},
			link: attest.LinkTransparencyLog, sentinel: attest.ErrTransparencyLog, att: good},
		{name: "signed timestamp required", keys: activeRing, opts: []attest.VerifierOption{attest.WithTrustedRoot(mustRoot(t, rootPublic25)), attest.WithSignedTimestamp()},
			link: attest.LinkTimestamp, sentinel: attest.ErrTimestamp, att: good},
		{name: "key window without trusted time, enforced", keys: mustKeyring(t, docker.key(t, attest.WithKeyValidity(time.Now().Add(-time.Hour), time.Time{}))),
			opts: []attest.VerifierOption{attest.WithKeyValidityEnforced()}, link: attest.LinkKeyValidity, sentinel: attest.ErrKeyValidity, att: good},
		{name: "content not read", keys: activeRing, link: attest.LinkStatement, sentinel: attest.ErrNotFound,
			att: func(t *testing.T) *attest.Attestation {
				a := good(t)
				a.Content, a.Err = nil, fmt.Errorf("reading blob: %w", attest.ErrNotFound)
				return a
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			att := tc.att(t)
			v := mustVerifier(t, tc.keys, tc.opts...)
			res, err := v.Verify(att)
			if res == nil {
				t.Fatalf("nil result, error %v", err)
			}
			if _, jerr := json.Marshal(res); jerr != nil {
				t.Errorf("result does not marshal: %v", jerr)
			}
			if tc.link != "" {
				wantFailure(t, res, err, tc.link, tc.sentinel)
				var ve *attest.VerificationError
				if ve, _ = err.(*attest.VerificationError); ve != nil && ve.Digest != att.Manifest.Digest.String() {
					t.Errorf("error digest = %q, want the attestation manifest %s", ve.Digest, att.Manifest.Digest)
				}
				if res.Statement != nil {
					t.Error("a failed result carries a statement")
				}
				if got := checkStatus(t, res.Checks, tc.link); got != attest.CheckFailed && tc.link != attest.LinkKeyStatus && tc.link != attest.LinkTransparencyLog &&
					tc.link != attest.LinkTimestamp && tc.link != attest.LinkKeyValidity && got != "" {
					t.Errorf("check %s = %q in %+v", tc.link, got, res.Checks)
				}
				return
			}
			if err != nil {
				t.Fatalf("Verify: %v\nchecks: %+v", err, res.Checks)
			}
			if !res.Verified || res.Statement == nil || res.PredicateType != ptSPDX {
				t.Fatalf("result = %+v", res)
			}
			for _, l := range []attest.Link{attest.LinkSignature, attest.LinkManifest, attest.LinkLayer, attest.LinkStatement, attest.LinkSubject, attest.LinkPredicateType} {
				if got := checkStatus(t, res.Checks, l); got != attest.CheckPassed {
					t.Errorf("link %s = %q, want passed", l, got)
				}
			}
			if res.Manifest != att.Manifest.Digest.String() || res.Target != target.Digest.String() {
				t.Errorf("result manifest/target = %s/%s", res.Manifest, res.Target)
			}
		})
	}
}

// TestVerifyReportsWhatWasNotChecked pins the Result of the common DHI case:
// a keyed simple-signing signature without a transparency-log entry.
func TestVerifyReportsWhatWasNotChecked(t *testing.T) {
	t.Parallel()
	docker := newTestSigner(t)
	target := platformManifest(t, "amd64")
	att := docker.signed(t, target, ptSPDX, `{}`)
	k := docker.key(t, attest.WithKeyName("dhi-1"), attest.WithKeyStatus(attest.KeyStatusRetired))
	res, err := mustVerifier(t, mustKeyring(t, k)).Verify(att)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"transparency-log: no transparency-log entry",
		"signed-timestamp: no signed timestamp",
		"key-status (flagged): key dhi-1 (" + k.ID() + ") is retired (accepted by the policy)",
		`docker-reference (flagged): payload names "registry.scout.docker.com/dhi/python", signature found in "dhi.io/python" (not required to match)`,
	}
	if !slices.Equal(res.NotChecked, want) {
		t.Errorf("NotChecked =\n%q\nwant\n%q", res.NotChecked, want)
	}
	s := res.Signatures[0]
	if !s.Detached || s.Kind != attest.SignatureSimpleSigning || s.SignedDigest != att.Manifest.Digest.String() ||
		s.DockerReference != dhiReference || s.Manifest != att.Signatures[0].Manifest.Digest.String() || s.Key.Status != attest.KeyStatusRetired {
		t.Errorf("signature result = %+v", s)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back["verified"] != true || back["manifest"] != att.Manifest.Digest.String() {
		t.Errorf("JSON = %s", b)
	}
	if _, ok := back["statement"]; ok {
		t.Errorf("JSON carries the statement: %s", b)
	}
}

func TestVerifySignature(t *testing.T) {
	t.Parallel()
	docker := newTestSigner(t)
	v := mustVerifier(t, mustKeyring(t, docker.key(t)))
	image := platformManifest(t, "signed image")
	sig := docker.signManifest(t, image)
	res, err := v.VerifySignature(sig, image.Digest)
	if err != nil {
		t.Fatal(err)
	}
	if got := checkStatus(t, res.Checks, attest.LinkManifest); got != attest.CheckPassed {
		t.Errorf("manifest check = %q", got)
	}
	other := platformManifest(t, "other image")
	res, err = v.VerifySignature(sig, other.Digest)
	wantFailure(t, res, err, attest.LinkManifest, attest.ErrManifestMismatch)

	// A payload that is not cosign's, signed by the trusted key.
	bad := *sig
	bad.Payload = []byte(`{"critical":{"type":"atomic container signature","image":{"docker-manifest-digest":"` + image.Digest.String() + `"}}}`)
	bad.Value = docker.sign(t, bad.Payload)
	res, err = v.VerifySignature(&bad, image.Digest)
	wantFailure(t, res, err, attest.LinkManifest, attest.ErrManifestMismatch)

	res, err = v.VerifySignature(nil, image.Digest)
	wantFailure(t, res, err, attest.LinkSignature, attest.ErrUnsigned)
}

func TestParseSimpleSigningPayload(t *testing.T) {
	t.Parallel()
	d := "sha256:" + strings.Repeat("0a", 32)
	tests := []struct {
		name    string
		in      string
		want    *attest.SimpleSigningPayload
		wantErr bool
	}{
		{name: "cosign payload", in: string(simpleSigningPayload(dhiReference, mustHash(t, d))),
			want: &attest.SimpleSigningPayload{DockerReference: dhiReference, ManifestDigest: mustHash(t, d), Type: attest.SimpleSigningType}},
		{name: "optional kept", in: `{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"` + d + `"},"type":"cosign container image signature"},"optional":{"a":"b"}}`,
			want: &attest.SimpleSigningPayload{DockerReference: "r", ManifestDigest: mustHash(t, d), Type: attest.SimpleSigningType, Optional: json.RawMessage(`{"a":"b"}`)}},
		{name: "not JSON", in: `{`, wantErr: true},
		{name: "no critical", in: `{"optional":null}`, wantErr: true},
		{name: "other type", in: `{"critical":{"image":{"docker-manifest-digest":"` + d + `"},"type":"atomic container signature"}}`, wantErr: true},
		{name: "bad digest", in: `{"critical":{"image":{"docker-manifest-digest":"sha256:abc"},"type":"cosign container image signature"}}`, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := attest.ParseSimpleSigningPayload([]byte(tc.in))
			if tc.wantErr {
				if err == nil || !errors.Is(err, attest.ErrInvalid) {
					t.Fatalf("error = %v, want ErrInvalid", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.DockerReference != tc.want.DockerReference || got.ManifestDigest != tc.want.ManifestDigest || got.Type != tc.want.Type ||
				!bytes.Equal(got.Optional, tc.want.Optional) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestNewVerifierPolicy(t *testing.T) {
	t.Parallel()
	kr := mustKeyring(t, newTestSigner(t).key(t))
	tr := mustRoot(t, rootPublic25)
	tests := []struct {
		name string
		keys *attest.Keyring
		opts []attest.VerifierOption
		ok   bool
	}{
		{"keys only", kr, nil, true},
		{"nothing trusted", nil, nil, false},
		{"empty keyring", mustKeyring(t), nil, false},
		{"identity without root", nil, []attest.VerifierOption{attest.WithIdentity(githubIssuer, "x")}, false},
		{"identity with root", nil, []attest.VerifierOption{attest.WithTrustedRoot(tr), attest.WithIdentity(githubIssuer, "x")}, true},
		{"tlog required without root", kr, []attest.VerifierOption{attest.WithTransparencyLog()}, false},
		{"timestamp required without root", kr, []attest.VerifierOption{attest.WithSignedTimestamp()}, false},
		{"threshold zero", kr, []attest.VerifierOption{attest.WithThreshold(0)}, false},
		{"bad identity pattern", nil, []attest.VerifierOption{attest.WithTrustedRoot(tr), attest.WithIdentityRegexp("(", "x")}, false},
		{"empty identity", nil, []attest.VerifierOption{attest.WithTrustedRoot(tr), attest.WithIdentity("", "")}, false},
		{"nil root", kr, []attest.VerifierOption{attest.WithTrustedRoot(nil)}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := attest.NewVerifier(tc.keys, tc.opts...)
			if (err == nil) != tc.ok {
				t.Errorf("NewVerifier error = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestLinksAndStatuses(t *testing.T) {
	t.Parallel()
	for _, l := range attest.Links() {
		if !l.Valid() {
			t.Errorf("link %q not valid", l)
		}
	}
	for _, s := range attest.CheckStatuses() {
		if !s.Valid() {
			t.Errorf("status %q not valid", s)
		}
	}
	for _, f := range attest.SignatureKinds() {
		if !f.Valid() {
			t.Errorf("form %q not valid", f)
		}
	}
	if attest.Link("x").Valid() || attest.CheckStatus("x").Valid() || attest.SignatureKind("x").Valid() {
		t.Error("unknown values are valid")
	}
	e := &attest.VerificationError{Link: attest.LinkSubject, Digest: "sha256:ab", PredicateType: ptSPDX, Reason: "statement names x, not y", Err: attest.ErrSubjectMismatch}
	if got, want := e.Error(), "attest: verifying https://spdx.dev/Document sha256:ab: subject link broken: statement names x, not y"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// dsseAttestation builds an attestation whose layer is a DSSE envelope of
// stmt signed by signers, as cosign's legacy .att images hold them.
func dsseAttestation(t testing.TB, target v1.Descriptor, stmt []byte, signers ...*testSigner) *attest.Attestation {
	t.Helper()
	env := attest.Envelope{PayloadType: attest.PayloadTypeInToto, Payload: stmt}
	for _, s := range signers {
		env.Signatures = append(env.Signatures, attest.EnvelopeSignature{Sig: s.sign(t, env.PAE())})
	}
	layerJSON, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	att := newAttestation(t, target, layerJSON, "")
	return att
}

func TestVerifyContentSigned(t *testing.T) {
	t.Parallel()
	docker, stranger := newTestSigner(t), newTestSigner(t)
	target := platformManifest(t, "amd64")
	other := platformManifest(t, "other")
	ring := mustKeyring(t, docker.key(t))
	v := mustVerifier(t, ring)

	t.Run("DSSE layer", func(t *testing.T) {
		t.Parallel()
		att := dsseAttestation(t, target, statementJSON(target.Digest, ptVEX, `{}`), stranger, docker)
		res, err := v.Verify(att)
		if err != nil {
			t.Fatalf("Verify: %v", err)
		}
		if res.PredicateType != ptVEX || len(res.Signers()) != 1 || res.Signers()[0].Kind != attest.SignatureDSSE || res.Signers()[0].Index != 1 {
			t.Errorf("result = %+v", res)
		}
		if got := checkStatus(t, res.Checks, attest.LinkLayer); got != attest.CheckSkipped {
			t.Errorf("layer link = %q, want skipped", got)
		}
	})
	t.Run("DSSE layer about another image", func(t *testing.T) {
		t.Parallel()
		att := dsseAttestation(t, target, statementJSON(other.Digest, ptVEX, `{}`), docker)
		res, err := v.Verify(att)
		wantFailure(t, res, err, attest.LinkSubject, attest.ErrSubjectMismatch)
	})
	t.Run("DSSE layer by an untrusted key", func(t *testing.T) {
		t.Parallel()
		att := dsseAttestation(t, target, statementJSON(target.Digest, ptVEX, `{}`), stranger)
		res, err := v.Verify(att)
		wantFailure(t, res, err, attest.LinkSignature, attest.ErrSignature)
	})
	t.Run("decoded statement replaced", func(t *testing.T) {
		t.Parallel()
		// The statement checked is the one in the verified payload, not
		// the decoded copy beside it.
		att := dsseAttestation(t, target, statementJSON(other.Digest, ptVEX, `{}`), docker)
		forged, err := attest.ParseStatement(statementJSON(target.Digest, ptVEX, `{"forged":true}`))
		if err != nil {
			t.Fatal(err)
		}
		att.Content.Statement = forged
		res, err := v.Verify(att)
		wantFailure(t, res, err, attest.LinkSubject, attest.ErrSubjectMismatch)
	})
	t.Run("DSSE layer and a detached signature", func(t *testing.T) {
		t.Parallel()
		att := dsseAttestation(t, target, statementJSON(target.Digest, ptVEX, `{}`), docker)
		att.Signatures = []*attest.Signature{stranger.signManifest(t, att.Manifest)}
		res, err := mustVerifier(t, mustKeyring(t, docker.key(t), stranger.key(t)), attest.WithThreshold(2)).Verify(att)
		if err != nil {
			t.Fatalf("Verify: %v", err)
		}
		if got := checkStatus(t, res.Checks, attest.LinkLayer); got != attest.CheckPassed {
			t.Errorf("layer link = %q, want passed", got)
		}
	})
	t.Run("unsigned bare statement", func(t *testing.T) {
		t.Parallel()
		att := newAttestation(t, target, statementJSON(target.Digest, ptVEX, `{}`), ptVEX)
		res, err := v.Verify(att)
		wantFailure(t, res, err, attest.LinkSignature, attest.ErrUnsigned)
		if got := checkStatus(t, res.Checks, attest.LinkSubject); got != attest.CheckPassed {
			t.Errorf("subject link = %q; the other links are still reported", got)
		}
	})
}
