package attest_test

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"testing"
	"time"

	"github.com/sigstore/sigstore-go/pkg/root"

	"github.com/dhisdk/dhisdk/attest"
)

// No real Rekor or timestamp authority is reachable offline, so these tests
// use an in-process stand-in (standIn): a Rekor log key, a timestamp
// authority and a Fulcio CA. The entries are built exactly as cosign stores
// them in its dev.sigstore.cosign/bundle annotation (a hashedrekord v0.0.1
// body, its integrated time, log index and log ID, and the log's signed
// entry timestamp over them), and the timestamps as its
// dev.sigstore.cosign/rfc3161timestamp annotation.

// hashedrekord is the canonical body of a Rekor hashedrekord v0.0.1 entry
// for a signature over payload by the key or certificate in verifierPEM.
func hashedrekord(payload, sig, verifierPEM []byte) []byte {
	sum := sha256.Sum256(payload)
	return fmt.Appendf(nil, `{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{"data":{"hash":{"algorithm":"sha256","value":%q}},"signature":{"content":%q,"publicKey":{"content":%q}}}}`,
		hex.EncodeToString(sum[:]), b64(sig), b64(verifierPEM))
}

// cosignRekorBundle returns the dev.sigstore.cosign/bundle annotation of an
// entry of body in log, integrated at the given time.
func cosignRekorBundle(t testing.TB, log *standIn, body []byte, integrated time.Time) []byte {
	t.Helper()
	p := rekorPayload{Body: b64(body), IntegratedTime: integrated.Unix(), LogIndex: 4242, LogID: log.logID}
	b, err := json.Marshal(map[string]any{"SignedEntryTimestamp": log.signEntry(t, p), "Payload": p})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// cosignTimestamp returns the dev.sigstore.cosign/rfc3161timestamp
// annotation of a timestamp over sig from the authority.
func cosignTimestamp(t testing.TB, tsa *standIn, sig []byte) []byte {
	t.Helper()
	b, err := json.Marshal(map[string][]byte{"SignedRFC3161Timestamp": tsa.timestampResponse(t, sig)})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// otherFulcio is a trust root with the log and timestamp authority of one
// stand-in and the certificate authority of another.
type otherFulcio struct {
	*standIn
	ca *standIn
}

func (o otherFulcio) FulcioCertificateAuthorities() []root.CertificateAuthority {
	return o.ca.FulcioCertificateAuthorities()
}

func TestVerifySimpleSigningEvidence(t *testing.T) {
	t.Parallel()
	vs := newStandIn(t)
	otherLog := newStandIn(t)
	docker := newTestSigner(t)
	target := platformManifest(t, "amd64")
	now := time.Now()

	// withRekor returns a signed attestation whose signature carries a Rekor
	// bundle made by log at the given time; change alters the body first.
	withRekor := func(t *testing.T, log *standIn, at time.Time, change func(sig *attest.Signature) []byte) *attest.Attestation {
		att := docker.signed(t, target, ptSPDX, `{}`)
		s := att.Signatures[0]
		body := hashedrekord(s.Payload, s.Value, docker.pubPEM)
		if change != nil {
			body = change(s)
		}
		s.RekorBundle = cosignRekorBundle(t, log, body, at)
		return att
	}
	tr := attest.WithTrustedRoot(vs)
	activeRing := mustKeyring(t, docker.key(t))

	t.Run("Rekor bundle verified, integrated time reported", func(t *testing.T) {
		t.Parallel()
		att := withRekor(t, vs, now, nil)
		res, err := mustVerifier(t, activeRing, tr, attest.WithTransparencyLog()).Verify(att)
		if err != nil {
			t.Fatal(err)
		}
		s := res.Signatures[0]
		if got := checkStatus(t, s.Checks, attest.LinkTransparencyLog); got != attest.CheckPassed {
			t.Errorf("transparency-log check = %q", got)
		}
		if len(s.TransparencyLog) != 1 || s.TransparencyLog[0].LogIndex != 4242 || s.TransparencyLog[0].Kind != "hashedrekord/0.0.1" {
			t.Errorf("entries = %+v", s.TransparencyLog)
		}
		if len(s.Timestamps) != 1 || s.Timestamps[0].Source != "transparency-log" || s.Timestamps[0].Time.Unix() != now.Unix() {
			t.Errorf("timestamps = %+v", s.Timestamps)
		}
		if s.Kind != attest.SignatureSimpleSigning || s.SignedDigest != att.Manifest.Digest.String() || s.Key == nil {
			t.Errorf("signature = %+v", s)
		}
		if got := checkStatus(t, res.Checks, attest.LinkSubject); got != attest.CheckPassed {
			t.Errorf("subject link = %q", got)
		}
	})
	t.Run("Rekor bundle and timestamp verified", func(t *testing.T) {
		t.Parallel()
		att := withRekor(t, vs, now, nil)
		att.Signatures[0].RFC3161Timestamp = cosignTimestamp(t, vs, att.Signatures[0].Value)
		res, err := mustVerifier(t, activeRing, tr, attest.WithTransparencyLog(), attest.WithSignedTimestamp()).Verify(att)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(res.Signatures[0].Timestamps); n != 2 {
			t.Errorf("%d timestamps, want the log's and the authority's", n)
		}
		if len(res.NotChecked) != 1 {
			t.Errorf("NotChecked = %q, want only the docker-reference", res.NotChecked)
		}
	})
	t.Run("timestamp alone", func(t *testing.T) {
		t.Parallel()
		att := docker.signed(t, target, ptSPDX, `{}`)
		att.Signatures[0].RFC3161Timestamp = cosignTimestamp(t, vs, att.Signatures[0].Value)
		res, err := mustVerifier(t, activeRing, tr, attest.WithSignedTimestamp()).Verify(att)
		if err != nil {
			t.Fatal(err)
		}
		if got := checkStatus(t, res.Signatures[0].Checks, attest.LinkTransparencyLog); got != attest.CheckSkipped {
			t.Errorf("transparency-log check = %q, want skipped", got)
		}
	})
	t.Run("Rekor bundle not checked without a trusted root", func(t *testing.T) {
		t.Parallel()
		att := withRekor(t, vs, now, nil)
		res, err := mustVerifier(t, activeRing).Verify(att)
		if err != nil {
			t.Fatal(err)
		}
		c := res.Signatures[0].Checks
		if got := checkStatus(t, c, attest.LinkTransparencyLog); got != attest.CheckSkipped {
			t.Errorf("transparency-log check = %q, want skipped", got)
		}
	})
	t.Run("key window checked against the integrated time", func(t *testing.T) {
		t.Parallel()
		att := withRekor(t, vs, now, nil)
		inside := mustKeyring(t, docker.key(t, attest.WithKeyValidity(now.Add(-time.Hour), now.Add(time.Hour))))
		if _, err := mustVerifier(t, inside, tr, attest.WithKeyValidityEnforced()).Verify(att); err != nil {
			t.Errorf("inside the window: %v", err)
		}
		expired := mustKeyring(t, docker.key(t, attest.WithKeyValidity(time.Time{}, now.Add(-time.Minute))))
		res, err := mustVerifier(t, expired, tr).Verify(att)
		wantFailure(t, res, err, attest.LinkKeyValidity, attest.ErrKeyValidity)
	})

	failures := []struct {
		name     string
		att      func(t *testing.T) *attest.Attestation
		opts     []attest.VerifierOption
		link     attest.Link
		sentinel error
	}{
		{"entry of another signature", func(t *testing.T) *attest.Attestation {
			return withRekor(t, vs, now, func(s *attest.Signature) []byte {
				return hashedrekord(s.Payload, docker.sign(t, s.Payload), docker.pubPEM)
			})
		}, nil, attest.LinkTransparencyLog, attest.ErrTransparencyLog},
		{"entry of another payload", func(t *testing.T) *attest.Attestation {
			return withRekor(t, vs, now, func(s *attest.Signature) []byte {
				return hashedrekord([]byte("other"), s.Value, docker.pubPEM)
			})
		}, nil, attest.LinkTransparencyLog, attest.ErrTransparencyLog},
		{"entry naming another key", func(t *testing.T) *attest.Attestation {
			return withRekor(t, vs, now, func(s *attest.Signature) []byte {
				return hashedrekord(s.Payload, s.Value, newTestSigner(t).pubPEM)
			})
		}, nil, attest.LinkTransparencyLog, attest.ErrTransparencyLog},
		{"entry from a log the root does not trust", func(t *testing.T) *attest.Attestation {
			return withRekor(t, otherLog, now, nil)
		}, nil, attest.LinkTransparencyLog, attest.ErrTransparencyLog},
		{"signed entry timestamp altered", func(t *testing.T) *attest.Attestation {
			att := withRekor(t, vs, now, nil)
			var m map[string]any
			if err := json.Unmarshal(att.Signatures[0].RekorBundle, &m); err != nil {
				t.Fatal(err)
			}
			m["Payload"].(map[string]any)["integratedTime"] = now.Add(-time.Minute).Unix()
			att.Signatures[0].RekorBundle, _ = json.Marshal(m)
			return att
		}, nil, attest.LinkTransparencyLog, attest.ErrTransparencyLog},
		{"annotation is not a Rekor bundle", func(t *testing.T) *attest.Attestation {
			att := docker.signed(t, target, ptSPDX, `{}`)
			att.Signatures[0].RekorBundle = []byte(`{"SignedEntryTimestamp":"","Payload":{}}`)
			return att
		}, nil, attest.LinkTransparencyLog, attest.ErrTransparencyLog},
		{"timestamp of another signature", func(t *testing.T) *attest.Attestation {
			att := docker.signed(t, target, ptSPDX, `{}`)
			att.Signatures[0].RFC3161Timestamp = cosignTimestamp(t, vs, []byte("another signature"))
			return att
		}, nil, attest.LinkTimestamp, attest.ErrTimestamp},
		{"transparency log required, none", func(t *testing.T) *attest.Attestation {
			att := docker.signed(t, target, ptSPDX, `{}`)
			att.Signatures[0].RFC3161Timestamp = cosignTimestamp(t, vs, att.Signatures[0].Value)
			return att
		}, []attest.VerifierOption{attest.WithTransparencyLog()}, attest.LinkTransparencyLog, attest.ErrTransparencyLog},
	}
	for _, tc := range failures {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := mustVerifier(t, activeRing, append([]attest.VerifierOption{tr}, tc.opts...)...).Verify(tc.att(t))
			wantFailure(t, res, err, tc.link, tc.sentinel)
		})
	}
}

// TestVerifyKeylessSimpleSigning verifies a simple-signing signature made
// with a short-lived certificate from the stand-in Fulcio, logged in the
// stand-in Rekor, as cosign's keyless signing stores it.
func TestVerifyKeylessSimpleSigning(t *testing.T) {
	t.Parallel()
	vs := newStandIn(t)
	const (
		identity = "builder@example.com"
		issuer   = "https://issuer.example.com"
	)
	target := platformManifest(t, "amd64")
	att := newAttestation(t, target, statementJSON(target.Digest, ptSPDX, `{}`), ptSPDX)
	cert, priv := vs.leafCert(t, identity, issuer)
	payload := simpleSigningPayload(dhiReference, att.Manifest.Digest)
	sum := sha256.Sum256(payload)
	sig, err := ecdsa.SignASN1(rand.Reader, priv, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
	s := &attest.Signature{
		Kind:        attest.SignatureSimpleSigning,
		Target:      att.Manifest,
		Payload:     payload,
		Value:       sig,
		Certificate: certPEM,
		// The leaf is valid from now for ten minutes; log it inside.
		RekorBundle: cosignRekorBundle(t, vs, hashedrekord(payload, sig, certPEM), time.Now().Add(time.Minute)),
	}
	att.Signatures = []*attest.Signature{s}
	tm := vs

	res, err := mustVerifier(t, nil, attest.WithTrustedRoot(tm), attest.WithIdentity(issuer, identity)).Verify(att)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	got := res.Signers()[0]
	if got.Identity == nil || got.Identity.Subject != identity || got.Identity.Issuer != issuer || got.Key != nil {
		t.Errorf("signer = %+v", got)
	}

	for _, tc := range []struct {
		name string
		opts []attest.VerifierOption
		s    func() *attest.Signature
	}{
		{"another identity", []attest.VerifierOption{attest.WithTrustedRoot(tm), attest.WithIdentity(issuer, "someone@example.com")}, func() *attest.Signature { return s }},
		{"another issuer pattern", []attest.VerifierOption{attest.WithTrustedRoot(tm), attest.WithIdentityRegexp(`^https://accounts\.example\.com$`, `.*`)}, func() *attest.Signature { return s }},
		{"certificate from another CA", []attest.VerifierOption{attest.WithTrustedRoot(otherFulcio{vs, newStandIn(t)}), attest.WithIdentity(issuer, identity)}, func() *attest.Signature { return s }},
		{"no trusted time", []attest.VerifierOption{attest.WithTrustedRoot(tm), attest.WithIdentity(issuer, identity)}, func() *attest.Signature {
			c := *s
			c.RekorBundle = nil
			return &c
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := *att
			a.Signatures = []*attest.Signature{tc.s()}
			res, err := mustVerifier(t, mustKeyring(t, newTestSigner(t).key(t)), tc.opts...).Verify(&a)
			wantFailure(t, res, err, attest.LinkIdentity, attest.ErrUntrustedIdentity)
		})
	}
	t.Run("keyless refused by a keys-only verifier", func(t *testing.T) {
		t.Parallel()
		res, err := mustVerifier(t, mustKeyring(t, newTestSigner(t).key(t))).Verify(att)
		wantFailure(t, res, err, attest.LinkIdentity, attest.ErrUntrustedIdentity)
	})
}

// dsseEntry is the canonical body of a Rekor dsse v0.0.1 entry of an
// envelope with one signature by the key in verifierPEM.
func dsseEntry(t testing.TB, env attest.Envelope, verifierPEM []byte) []byte {
	t.Helper()
	envJSON, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	envSum, paySum := sha256.Sum256(envJSON), sha256.Sum256(env.Payload)
	return fmt.Appendf(nil, `{"apiVersion":"0.0.1","kind":"dsse","spec":{"envelopeHash":{"algorithm":"sha256","value":%q},"payloadHash":{"algorithm":"sha256","value":%q},"signatures":[{"signature":%q,"verifier":%q}]}}`,
		hex.EncodeToString(envSum[:]), hex.EncodeToString(paySum[:]), b64(env.Signatures[0].Sig), b64(verifierPEM))
}

// TestVerifyLegacyAttestationEvidence verifies a cosign legacy .att layer (a
// DSSE envelope) whose Rekor bundle is in the layer's annotations.
func TestVerifyLegacyAttestationEvidence(t *testing.T) {
	t.Parallel()
	log := newStandIn(t)
	signer := newTestSigner(t)
	target := platformManifest(t, "amd64")
	ring := mustKeyring(t, signer.key(t))
	build := func(t *testing.T, payload []byte, entryPayload []byte) *attest.Attestation {
		att := dsseAttestation(t, target, payload, signer)
		env := *att.Content.Envelope
		if entryPayload != nil {
			env.Payload = entryPayload
		}
		att.Layer.Annotations = map[string]string{attest.AnnotationCosignBundle: string(cosignRekorBundle(t, log, dsseEntry(t, env, signer.pubPEM), time.Now()))}
		return att
	}
	stmt := statementJSON(target.Digest, ptVEX, `{}`)

	res, err := mustVerifier(t, ring, attest.WithTrustedRoot(log), attest.WithTransparencyLog()).Verify(build(t, stmt, nil))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	s := res.Signers()[0]
	if s.Kind != attest.SignatureDSSE || len(s.TransparencyLog) != 1 || s.TransparencyLog[0].Kind != "dsse/0.0.1" || len(s.Timestamps) != 1 {
		t.Errorf("signature = %+v", s)
	}

	res, err = mustVerifier(t, ring, attest.WithTrustedRoot(log)).Verify(build(t, stmt, statementJSON(target.Digest, ptSPDX, `{}`)))
	wantFailure(t, res, err, attest.LinkTransparencyLog, attest.ErrTransparencyLog)

	res, err = mustVerifier(t, ring).Verify(build(t, stmt, nil))
	if err != nil {
		t.Fatalf("without a trusted root: %v", err)
	}
	if got := checkStatus(t, res.Signatures[0].Checks, attest.LinkTransparencyLog); got != attest.CheckSkipped {
		t.Errorf("transparency-log check = %q, want skipped", got)
	}
}
