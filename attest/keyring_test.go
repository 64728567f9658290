package attest_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/internal/fixture"
)

func pemPublic(t testing.TB, pub crypto.PublicKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

func TestParseKey(t *testing.T) {
	t.Parallel()
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	p521, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	rsa2048, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rsa1024, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		pem     []byte
		wantErr error
	}{
		{"DHI key dhi-2", fixture.Bytes(t, dhi2Key), nil},
		{"ECDSA P-256", pemPublic(t, p256.Public()), nil},
		{"ECDSA P-384", pemPublic(t, p384.Public()), nil},
		{"Ed25519", pemPublic(t, edPub), nil},
		{"RSA 2048", pemPublic(t, rsa2048.Public()), nil},
		{"RSA 2048 PKCS #1", pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&rsa2048.PublicKey)}), nil},
		{"ECDSA P-521", pemPublic(t, p521.Public()), attest.ErrUnsupported},
		{"RSA 1024", pemPublic(t, rsa1024.Public()), attest.ErrUnsupported},
		{"not PEM", []byte("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"), attest.ErrInvalid},
		{"private key block", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: []byte{1}}), attest.ErrInvalid},
		{"two keys", append(pemPublic(t, p256.Public()), pemPublic(t, p384.Public())...), attest.ErrInvalid},
		{"garbage DER", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{0x30, 0x01}}), attest.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			k, err := attest.ParseKey(tc.pem)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("error = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			block, _ := pem.Decode(tc.pem)
			der := block.Bytes
			if block.Type == "RSA PUBLIC KEY" {
				der, _ = x509.MarshalPKIXPublicKey(k.PublicKey())
			}
			sum := sha256.Sum256(der)
			if k.ID() != hex.EncodeToString(sum[:]) || k.Status() != attest.KeyStatusActive || !k.NotBefore().IsZero() || !k.NotAfter().IsZero() {
				t.Errorf("key = id %s status %s", k.ID(), k.Status())
			}
		})
	}
	t.Run("DHI key ID", func(t *testing.T) {
		t.Parallel()
		k := mustKey(t, dhi2Key)
		if k.ID() != dhi2ID {
			t.Errorf("ID = %s, want %s", k.ID(), dhi2ID)
		}
	})
	t.Run("options", func(t *testing.T) {
		t.Parallel()
		from, to := time.Date(2025, 4, 16, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		k, err := attest.ParseKey(fixture.Bytes(t, dhi1Key), attest.WithKeyName("dhi-1"), attest.WithKeyStatus(attest.KeyStatusRetired), attest.WithKeyValidity(from, to))
		if err != nil {
			t.Fatal(err)
		}
		if k.Name() != "dhi-1" || k.Status() != attest.KeyStatusRetired || !k.NotBefore().Equal(from) || !k.NotAfter().Equal(to) {
			t.Errorf("key = %s %s %s %s", k.Name(), k.Status(), k.NotBefore(), k.NotAfter())
		}
		if _, err := attest.ParseKey(fixture.Bytes(t, dhi1Key), attest.WithKeyValidity(to, from)); err == nil {
			t.Error("a window that ends before it starts is accepted")
		}
		if _, err := attest.ParseKey(fixture.Bytes(t, dhi1Key), attest.WithKeyStatus("disabled")); err == nil {
			t.Error("an unknown status is accepted")
		}
	})
}

func TestKeyStatus(t *testing.T) {
	t.Parallel()
	for _, s := range attest.KeyStatuses() {
		if !s.Valid() {
			t.Errorf("%q is not valid", s)
		}
	}
	if attest.KeyStatus("inactive").Valid() {
		t.Error("unknown status is valid")
	}
}

func TestKeyring(t *testing.T) {
	t.Parallel()
	dhi1 := mustKey(t, dhi1Key, attest.WithKeyName("dhi-1"))
	dhi2 := mustKey(t, dhi2Key, attest.WithKeyName("dhi-2"))
	kr := mustKeyring(t, dhi1, dhi2)
	if kr.Len() != 2 {
		t.Errorf("Len = %d", kr.Len())
	}
	if k, ok := kr.Key(dhi2ID); !ok || k != dhi2 {
		t.Errorf("Key(dhi-2) = %v, %v", k, ok)
	}
	if _, ok := kr.Key("00"); ok {
		t.Error("Key of an unknown ID found")
	}
	if got := kr.Keys(); len(got) != 2 || got[0] != dhi1 || got[1] != dhi2 {
		t.Errorf("Keys = %v", got)
	}
	if _, err := attest.NewKeyring(dhi2, mustKey(t, "dhi/keyring/dhi-latest.pub", attest.WithKeyName("latest"))); err == nil {
		t.Error("NewKeyring accepts the same key twice")
	}
	if _, err := attest.NewKeyring(dhi1, nil); err == nil {
		t.Error("NewKeyring accepts a nil key")
	}
	var nilRing *attest.Keyring
	if nilRing.Len() != 0 || nilRing.Keys() != nil {
		t.Error("nil keyring is not empty")
	}
}

func TestLoadKeyring(t *testing.T) {
	t.Parallel()
	t.Run("DHI keyring", func(t *testing.T) {
		t.Parallel()
		kr, err := attest.LoadKeyring(fixture.FS(), "dhi/keyring")
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, k := range kr.Keys() {
			names = append(names, k.Name()+" "+k.ID()[:8]+" "+string(k.Status()))
		}
		// dhi-latest.pub is byte-identical to dhi-2.pub: skipped as an alias.
		want := []string{"dhi-1 1b431f0d active", "dhi-2 118ba556 active"}
		if diff := cmp.Diff(want, names); diff != "" {
			t.Errorf("keys (-want +got):\n%s", diff)
		}
	})
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tests := []struct {
		name string
		fs   fstest.MapFS
		ok   bool
	}{
		{"pem and pub files, others ignored", fstest.MapFS{"k/a.pem": {Data: pemPublic(t, p256.Public())}, "k/README": {Data: []byte("x")}, "k/sub/b.pub": {Data: []byte("x")}}, true},
		{"no key", fstest.MapFS{"k/README": {Data: []byte("x")}}, false},
		{"bad key", fstest.MapFS{"k/a.pub": {Data: []byte("not a key")}}, false},
		{"no directory", fstest.MapFS{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := attest.LoadKeyring(tc.fs, "k")
			if (err == nil) != tc.ok {
				t.Errorf("error = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

// TestVerifyEnvelopeKeyTypes signs DSSE envelopes with every supported key
// type and signature encoding.
func TestVerifyEnvelopeKeyTypes(t *testing.T) {
	t.Parallel()
	subject := platformManifest(t, "amd64").Digest
	payload := statementJSON(subject, ptSPDX, `{}`)
	pae := attest.PAE(attest.PayloadTypeInToto, payload)
	h256 := sha256.Sum256(pae)
	h384 := sha512.Sum384(pae)
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	edPub, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der := func(k *ecdsa.PrivateKey, h []byte) []byte {
		s, err := ecdsa.SignASN1(rand.Reader, k, h)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	raw := func(k *ecdsa.PrivateKey, h []byte) []byte {
		r, s, err := ecdsa.Sign(rand.Reader, k, h)
		if err != nil {
			t.Fatal(err)
		}
		n := (k.Curve.Params().BitSize + 7) / 8
		out := make([]byte, 2*n)
		r.FillBytes(out[:n])
		s.FillBytes(out[n:])
		return out
	}
	pkcs1, err := rsa.SignPKCS1v15(rand.Reader, rsaKey, crypto.SHA256, h256[:])
	if err != nil {
		t.Fatal(err)
	}
	pss, err := rsa.SignPSS(rand.Reader, rsaKey, crypto.SHA256, h256[:], nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		pub  crypto.PublicKey
		sig  []byte
		ok   bool
	}{
		{"P-256 DER", p256.Public(), der(p256, h256[:]), true},
		{"P-256 r||s", p256.Public(), raw(p256, h256[:]), true},
		{"P-384 SHA-384 DER", p384.Public(), der(p384, h384[:]), true},
		{"P-384 SHA-384 r||s", p384.Public(), raw(p384, h384[:]), true},
		{"P-384 SHA-256 (older cosign)", p384.Public(), der(p384, h256[:]), true},
		{"Ed25519", edPub, ed25519.Sign(edPriv, pae), true},
		{"RSA PKCS #1 v1.5", rsaKey.Public(), pkcs1, true},
		{"RSA PSS", rsaKey.Public(), pss, true},
		{"P-256 r||s of another message", p256.Public(), raw(p256, h384[:32]), false},
		{"P-256 truncated", p256.Public(), der(p256, h256[:])[:20], false},
		{"P-256 r||s with zero r", p256.Public(), make([]byte, 64), false},
		{"Ed25519 by another key", edPub, ed25519.Sign(ed25519.NewKeyFromSeed(make([]byte, 32)), pae), false},
		{"empty signature", p256.Public(), nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			k, err := attest.NewKey(tc.pub)
			if err != nil {
				t.Fatal(err)
			}
			env := &attest.Envelope{PayloadType: attest.PayloadTypeInToto, Payload: payload, Signatures: []attest.EnvelopeSignature{{Sig: tc.sig}}}
			res, err := mustVerifier(t, mustKeyring(t, k)).VerifyEnvelope(env, attest.ArtifactDigest(subject.String()))
			if tc.ok != (err == nil) {
				t.Fatalf("VerifyEnvelope error = %v, want ok=%v", err, tc.ok)
			}
			if !tc.ok {
				wantFailure(t, res, err, attest.LinkSignature, attest.ErrSignature)
			}
		})
	}
	if _, err := attest.NewKey(struct{}{}); !errors.Is(err, attest.ErrUnsupported) {
		t.Errorf("NewKey of an unknown key type: %v", err)
	}
}

// TestVerifyEnvelopeSignatures covers envelopes with several signatures and
// key hints.
func TestVerifyEnvelopeSignatures(t *testing.T) {
	t.Parallel()
	a, b, c := newTestSigner(t), newTestSigner(t), newTestSigner(t)
	subject := platformManifest(t, "amd64").Digest
	payload := statementJSON(subject, ptVEX, `{}`)
	pae := attest.PAE(attest.PayloadTypeInToto, payload)
	ka, kb := a.key(t), b.key(t)
	ring := mustKeyring(t, ka, kb)
	sig := func(s *testSigner, keyid string) attest.EnvelopeSignature {
		return attest.EnvelopeSignature{KeyID: keyid, Sig: s.sign(t, pae)}
	}
	tests := []struct {
		name      string
		sigs      []attest.EnvelopeSignature
		threshold int
		verified  int
		link      attest.Link
		sentinel  error
	}{
		{name: "two keys, threshold two", sigs: []attest.EnvelopeSignature{sig(a, ""), sig(b, "")}, threshold: 2, verified: 2},
		{name: "hints naming the keys", sigs: []attest.EnvelopeSignature{sig(a, ka.ID()), sig(b, "keystore://whatever")}, threshold: 2, verified: 2},
		{name: "one trusted of two", sigs: []attest.EnvelopeSignature{sig(c, ""), sig(a, "")}, threshold: 1, verified: 1},
		{name: "threshold two, one trusted", sigs: []attest.EnvelopeSignature{sig(c, ""), sig(a, "")}, threshold: 2, verified: 1, link: attest.LinkSignature, sentinel: attest.ErrThreshold},
		{name: "same key twice", sigs: []attest.EnvelopeSignature{sig(a, ""), sig(a, "")}, threshold: 2, verified: 2, link: attest.LinkSignature, sentinel: attest.ErrThreshold},
		{name: "hint names a trusted key that did not sign", sigs: []attest.EnvelopeSignature{sig(b, ka.ID())}, threshold: 1, link: attest.LinkSignature, sentinel: attest.ErrSignature},
		{name: "hint names an untrusted key", sigs: []attest.EnvelopeSignature{sig(c, c.key(t).ID())}, threshold: 1, link: attest.LinkSignature, sentinel: attest.ErrUntrustedKey},
		{name: "no signature", threshold: 1, link: attest.LinkSignature, sentinel: attest.ErrUnsigned},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := &attest.Envelope{PayloadType: attest.PayloadTypeInToto, Payload: payload, Signatures: tc.sigs}
			res, err := mustVerifier(t, ring, attest.WithThreshold(tc.threshold)).VerifyEnvelope(env, attest.ArtifactDigest(subject.String()))
			if n := len(res.Signers()); n != tc.verified {
				t.Errorf("%d signatures verified, want %d", n, tc.verified)
			}
			if tc.link != "" {
				wantFailure(t, res, err, tc.link, tc.sentinel)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("payload that is not a statement", func(t *testing.T) {
		t.Parallel()
		env := &attest.Envelope{PayloadType: "text/plain", Payload: []byte("hello")}
		env.Signatures = []attest.EnvelopeSignature{{Sig: a.sign(t, env.PAE())}}
		res, err := mustVerifier(t, ring).VerifyEnvelope(env, attest.ArtifactDigest(subject.String()))
		wantFailure(t, res, err, attest.LinkStatement, attest.ErrInvalid)
		res, err = mustVerifier(t, ring).VerifyEnvelope(env, attest.AnyArtifactUnsafe())
		if err != nil || res.Statement != nil {
			t.Errorf("with AnyArtifactUnsafe: %v, statement %v", err, res.Statement)
		}
	})
	t.Run("artifact given by its bytes", func(t *testing.T) {
		t.Parallel()
		blob := []byte("the artifact")
		p := statementJSON(mustHash(t, sha256Digest(blob)), ptVEX, `{}`)
		env := &attest.Envelope{PayloadType: attest.PayloadTypeInToto, Payload: p}
		env.Signatures = []attest.EnvelopeSignature{{Sig: a.sign(t, env.PAE())}}
		if _, err := mustVerifier(t, ring).VerifyEnvelope(env, attest.ArtifactBytes(blob)); err != nil {
			t.Error(err)
		}
		res, err := mustVerifier(t, ring).VerifyEnvelope(env, attest.ArtifactBytes([]byte("another")))
		wantFailure(t, res, err, attest.LinkSubject, attest.ErrSubjectMismatch)
	})
	t.Run("no artifact", func(t *testing.T) {
		t.Parallel()
		env := &attest.Envelope{PayloadType: attest.PayloadTypeInToto, Payload: payload}
		if _, err := mustVerifier(t, ring).VerifyEnvelope(env, attest.Artifact{}); err == nil {
			t.Error("the zero Artifact is accepted")
		}
	})
}
