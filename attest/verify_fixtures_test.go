package attest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	sgbundle "github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/internal/fixture"
)

// Real signatures and keys from package fixture (see its data/README.md).
const (
	dhiBundle     = "dhi/signed-feed/dhi-nginx.vex.json.sha256.sig"
	dhiArtifact   = "dhi/signed-feed/dhi-nginx.vex.json.sha256"
	dhi2Key       = "dhi/keyring/dhi-2.pub"
	dhi1Key       = "dhi/keyring/dhi-1.pub"
	rootPublic25  = "sigstore-bundles/public-good-trusted-root-2025.json"
	rootPublicOld = "sigstore-bundles/sigstore-go_trusted-root-public-good.json"
	cosignKey     = "cosign-generated/cosign.pub"
	// dhi2ID is the sha256 of dhi-2's DER SubjectPublicKeyInfo, as
	// dhi-metadata.md records it.
	dhi2ID = "118ba556dd52f4aec67018efd316c285c783cd3e54cc0f4527605715c643887c"
	// cosignSubject is the image the cosign-generated bundles are about.
	cosignSubject = "sha256:956dafd0aa7730a912099c6a3531ec2c61bc8aae6f5f97cdad3b7c9a14f55a2c"
	githubIssuer  = "https://token.actions.githubusercontent.com"
)

func mustKey(t testing.TB, name string, opts ...attest.KeyOption) *attest.Key {
	t.Helper()
	k, err := attest.ParseKey(fixture.Bytes(t, name), opts...)
	if err != nil {
		t.Fatalf("ParseKey(%s): %v", name, err)
	}
	return k
}

func mustKeyring(t testing.TB, keys ...*attest.Key) *attest.Keyring {
	t.Helper()
	kr, err := attest.NewKeyring(keys...)
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

func mustRoot(t testing.TB, name string) *root.TrustedRoot {
	t.Helper()
	tr, err := root.NewTrustedRootFromJSON(fixture.Bytes(t, name))
	if err != nil {
		t.Fatalf("trusted root %s: %v", name, err)
	}
	return tr
}

func mustVerifier(t testing.TB, kr *attest.Keyring, opts ...attest.VerifierOption) *attest.Verifier {
	t.Helper()
	v, err := attest.NewVerifier(kr, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustBundle(t testing.TB, b []byte) *sgbundle.Bundle {
	t.Helper()
	c, err := attest.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if c.Bundle == nil {
		t.Fatalf("content is a %s, not a bundle", c.Format)
	}
	return c.Bundle
}

// wantFailure checks that err is a *VerificationError at link l wrapping
// sentinel, and that res says it is not verified.
func wantFailure(t *testing.T, res *attest.Result, err error, l attest.Link, sentinel error) {
	t.Helper()
	if err == nil {
		t.Fatalf("verified; want a failure at the %s link", l)
	}
	var ve *attest.VerificationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *VerificationError", err, err)
	}
	if ve.Link != l {
		t.Errorf("failed link = %s, want %s (%v)", ve.Link, l, err)
	}
	if !errors.Is(err, sentinel) {
		t.Errorf("error %v does not wrap %v", err, sentinel)
	}
	if !errors.Is(err, attest.ErrVerification) {
		t.Errorf("error %v does not wrap ErrVerification", err)
	}
	if res == nil || res.Verified {
		t.Errorf("result = %+v, want a result that is not verified", res)
	}
}

func checkStatus(t *testing.T, checks []attest.Check, l attest.Link) attest.CheckStatus {
	t.Helper()
	for _, c := range checks {
		if c.Link == l {
			return c.Status
		}
	}
	return ""
}

// TestVerifyDHISignature verifies the real Docker signature (a keyed
// sigstore bundle with a Rekor v1 entry and an RFC 3161 timestamp) with the
// real DHI key, against the public-good trusted root.
func TestVerifyDHISignature(t *testing.T) {
	t.Parallel()
	bundleJSON := fixture.Bytes(t, dhiBundle)
	artifact := fixture.Bytes(t, dhiArtifact)
	tr := mustRoot(t, rootPublic25)
	dhi2 := mustKey(t, dhi2Key, attest.WithKeyName("dhi-2"))
	dhi1 := mustKey(t, dhi1Key, attest.WithKeyName("dhi-1"), attest.WithKeyStatus(attest.KeyStatusRetired))
	strict := []attest.VerifierOption{attest.WithTrustedRoot(tr), attest.WithTransparencyLog(), attest.WithSignedTimestamp()}
	signedAt := time.Unix(1774020764, 0) // the Rekor entry's integrated time

	flip := func(b []byte, i int) []byte {
		c := bytes.Clone(b)
		c[i] ^= 0x01
		return c
	}
	// sigBundle returns the bundle with its signature changed by f.
	sigBundle := func(f func([]byte) []byte) []byte {
		var m map[string]any
		if err := json.Unmarshal(bundleJSON, &m); err != nil {
			t.Fatal(err)
		}
		ms := m["messageSignature"].(map[string]any)
		sig, _ := ms["signature"].(string)
		raw := mustB64(t, sig)
		ms["signature"] = b64(f(raw))
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}

	t.Run("verifies with dhi-2, tlog and timestamp required", func(t *testing.T) {
		t.Parallel()
		v := mustVerifier(t, mustKeyring(t, dhi1, dhi2), strict...)
		res, err := v.VerifyBundle(mustBundle(t, bundleJSON), attest.ArtifactBytes(artifact))
		if err != nil {
			t.Fatalf("VerifyBundle: %v", err)
		}
		if !res.Verified || len(res.Signers()) != 1 {
			t.Fatalf("result = %+v", res)
		}
		s := res.Signers()[0]
		if s.Key == nil || s.Key.ID != dhi2ID || s.Key.Name != "dhi-2" || s.Key.Status != attest.KeyStatusActive {
			t.Errorf("key = %+v, want dhi-2 %s", s.Key, dhi2ID)
		}
		if len(s.TransparencyLog) != 1 || s.TransparencyLog[0].LogIndex != 1147972785 || !s.TransparencyLog[0].IntegratedTime.Equal(signedAt) ||
			s.TransparencyLog[0].Kind != "hashedrekord/0.0.1" {
			t.Errorf("transparency log = %+v", s.TransparencyLog)
		}
		var sources []string
		for _, ts := range s.Timestamps {
			sources = append(sources, ts.Source)
			if ts.Time.Sub(signedAt).Abs() > time.Minute {
				t.Errorf("timestamp %+v is not near the integrated time %s", ts, signedAt)
			}
		}
		slices.Sort(sources)
		if !slices.Equal(sources, []string{"timestamp-authority", "transparency-log"}) {
			t.Errorf("timestamp sources = %v", sources)
		}
		for _, l := range []attest.Link{attest.LinkSignature, attest.LinkTransparencyLog, attest.LinkTimestamp, attest.LinkKeyStatus} {
			if got := checkStatus(t, s.Checks, l); got != attest.CheckPassed {
				t.Errorf("check %s = %q, want passed", l, got)
			}
		}
		if len(res.NotChecked) != 1 || !strings.HasPrefix(res.NotChecked[0], "statement:") {
			t.Errorf("NotChecked = %q, want only the statement (a message signature has none)", res.NotChecked)
		}
		if _, err := json.Marshal(res); err != nil {
			t.Errorf("result does not marshal: %v", err)
		}
	})
	t.Run("verifies with the DHI keyring directory", func(t *testing.T) {
		t.Parallel()
		kr, err := attest.LoadKeyring(fixture.FS(), "dhi/keyring")
		if err != nil {
			t.Fatal(err)
		}
		v := mustVerifier(t, kr, strict...)
		if _, err := v.VerifyBundle(mustBundle(t, bundleJSON), attest.ArtifactBytes(artifact)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("verifies by artifact digest", func(t *testing.T) {
		t.Parallel()
		v := mustVerifier(t, mustKeyring(t, dhi2), strict...)
		if _, err := v.VerifyBundle(mustBundle(t, bundleJSON), attest.ArtifactDigest(sha256Digest(artifact))); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("without a trusted root the evidence is reported unchecked", func(t *testing.T) {
		t.Parallel()
		v := mustVerifier(t, mustKeyring(t, dhi2))
		res, err := v.VerifyBundle(mustBundle(t, bundleJSON), attest.ArtifactBytes(artifact))
		if err != nil {
			t.Fatal(err)
		}
		s := res.Signatures[0]
		for _, l := range []attest.Link{attest.LinkTransparencyLog, attest.LinkTimestamp} {
			if got := checkStatus(t, s.Checks, l); got != attest.CheckSkipped {
				t.Errorf("check %s = %q, want skipped", l, got)
			}
		}
		if len(res.NotChecked) != 3 {
			t.Errorf("NotChecked = %q, want tlog, timestamp and statement", res.NotChecked)
		}
	})

	failures := []struct {
		name     string
		keys     []*attest.Key
		opts     []attest.VerifierOption
		bundle   []byte
		artifact []byte
		link     attest.Link
		sentinel error
	}{
		{"dhi-1 does not verify it", []*attest.Key{dhi1}, strict, bundleJSON, artifact, attest.LinkSignature, attest.ErrUntrustedKey},
		{"flipped artifact byte", []*attest.Key{dhi2}, strict, bundleJSON, flip(artifact, 10), attest.LinkSignature, attest.ErrSignature},
		{"flipped artifact byte, no trusted root", []*attest.Key{dhi2}, nil, bundleJSON, flip(artifact, 0), attest.LinkSignature, attest.ErrSignature},
		{"flipped signature byte", []*attest.Key{dhi2}, strict, sigBundle(func(b []byte) []byte { return flip(b, 20) }), artifact, attest.LinkTransparencyLog, attest.ErrTransparencyLog},
		{"flipped signature byte, no trusted root", []*attest.Key{dhi2}, nil, sigBundle(func(b []byte) []byte { return flip(b, 20) }), artifact, attest.LinkSignature, attest.ErrSignature},
		{"timestamp authority missing from the older root", []*attest.Key{dhi2}, []attest.VerifierOption{attest.WithTrustedRoot(mustRoot(t, rootPublicOld))}, bundleJSON, artifact, attest.LinkTimestamp, attest.ErrTimestamp},
		{"retired key refused", []*attest.Key{mustKey(t, dhi2Key, attest.WithKeyStatus(attest.KeyStatusRetired))}, append(slices.Clone(strict), attest.WithRetiredKeysRefused()), bundleJSON, artifact, attest.LinkKeyStatus, attest.ErrRetiredKey},
		{"signed after the key's window", []*attest.Key{mustKey(t, dhi2Key, attest.WithKeyValidity(time.Time{}, signedAt.Add(-time.Hour)))}, strict, bundleJSON, artifact, attest.LinkKeyValidity, attest.ErrKeyValidity},
		{"signed before the key's window", []*attest.Key{mustKey(t, dhi2Key, attest.WithKeyValidity(signedAt.Add(time.Hour), time.Time{}))}, strict, bundleJSON, artifact, attest.LinkKeyValidity, attest.ErrKeyValidity},
		{"window without trusted time, enforced", []*attest.Key{mustKey(t, dhi2Key, attest.WithKeyValidity(signedAt.Add(-time.Hour), time.Time{}))}, []attest.VerifierOption{attest.WithKeyValidityEnforced()}, bundleJSON, artifact, attest.LinkKeyValidity, attest.ErrKeyValidity},
	}
	for _, tc := range failures {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := mustVerifier(t, mustKeyring(t, tc.keys...), tc.opts...)
			res, err := v.VerifyBundle(mustBundle(t, tc.bundle), attest.ArtifactBytes(tc.artifact))
			wantFailure(t, res, err, tc.link, tc.sentinel)
		})
	}

	t.Run("retired key accepted and flagged", func(t *testing.T) {
		t.Parallel()
		v := mustVerifier(t, mustKeyring(t, mustKey(t, dhi2Key, attest.WithKeyStatus(attest.KeyStatusRetired))), strict...)
		res, err := v.VerifyBundle(mustBundle(t, bundleJSON), attest.ArtifactBytes(artifact))
		if err != nil {
			t.Fatal(err)
		}
		if got := checkStatus(t, res.Signatures[0].Checks, attest.LinkKeyStatus); got != attest.CheckFlagged {
			t.Errorf("key status check = %q, want flagged", got)
		}
		if !slices.ContainsFunc(res.NotChecked, func(s string) bool { return strings.Contains(s, "retired") }) {
			t.Errorf("NotChecked = %q, want the retired key", res.NotChecked)
		}
	})
	t.Run("signed inside the key's window", func(t *testing.T) {
		t.Parallel()
		k := mustKey(t, dhi2Key, attest.WithKeyValidity(signedAt.Add(-time.Hour), signedAt.Add(time.Hour)))
		v := mustVerifier(t, mustKeyring(t, k), append(slices.Clone(strict), attest.WithKeyValidityEnforced())...)
		res, err := v.VerifyBundle(mustBundle(t, bundleJSON), attest.ArtifactBytes(artifact))
		if err != nil {
			t.Fatal(err)
		}
		if got := checkStatus(t, res.Signatures[0].Checks, attest.LinkKeyValidity); got != attest.CheckPassed {
			t.Errorf("key validity check = %q, want passed", got)
		}
	})
	t.Run("window without trusted time is reported", func(t *testing.T) {
		t.Parallel()
		k := mustKey(t, dhi2Key, attest.WithKeyValidity(signedAt.Add(-time.Hour), time.Time{}))
		v := mustVerifier(t, mustKeyring(t, k))
		res, err := v.VerifyBundle(mustBundle(t, bundleJSON), attest.ArtifactBytes(artifact))
		if err != nil {
			t.Fatal(err)
		}
		if got := checkStatus(t, res.Signatures[0].Checks, attest.LinkKeyValidity); got != attest.CheckSkipped {
			t.Errorf("key validity check = %q, want skipped", got)
		}
	})
}

// TestVerifyPublicBundles verifies the public sigstore-go, sigstore-conformance
// and slsa-github-generator bundles for their signing identities.
func TestVerifyPublicBundles(t *testing.T) {
	t.Parallel()
	const (
		sigstoreJS = `^https://github\.com/sigstore/sigstore-js/`
		beacon     = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
		generic    = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0"
		delegator  = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_generic_slsa3.yml@refs/tags/v1.10.0"
		aTxt       = "sigstore-bundles/conformance_a.txt"
	)
	exact := func(subject string) attest.VerifierOption { return attest.WithIdentity(githubIssuer, subject) }
	pattern := attest.WithIdentityRegexp(`^`+strings.ReplaceAll(githubIssuer, ".", `\.`)+`$`, sigstoreJS)
	tests := []struct {
		name, bundle, root string
		identity           attest.VerifierOption
		artifact           attest.Artifact
		predicateType      string
		tlog, timestamp    bool
		wantSubject        string
		fail               attest.Link
		sentinel           error
	}{
		{name: "sigstore-go bundle v0.1 provenance", bundle: "sigstore-bundles/sigstore-go_bundle-provenance.v0.1.json", root: rootPublicOld, identity: pattern,
			artifact:      attest.ArtifactDigest("sha512:76176ffa33808b54602c7c35de5c6e9a4deb96066dba6533f50ac234f4f1f4c6b3527515dc17c06fbe2860030f410eee69ea20079bd3a2c6f3dcf3b329b10751"),
			predicateType: "https://slsa.dev/provenance/v0.2", tlog: true, wantSubject: "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main"},
		{name: "sigstore.js 2.0.0 SLSA v1", bundle: "sigstore-bundles/sigstore-go_sigstore.js-2.0.0-provenance-slsa1.sigstore.json", root: rootPublicOld, identity: pattern,
			artifact:      attest.ArtifactDigest("sha512:46d4e2f74c4877316640000a6fdf8a8b59f1e0847667973e9859f774dd31b8f1e0937813b777fb66a2ac67d50540fe34640966eee9fc2ccca387082b4c85cd3c"),
			predicateType: "https://slsa.dev/provenance/v1", tlog: true},
		{name: "conformance happy path v0.3", bundle: "sigstore-bundles/conformance_happy-path-intoto-in-dsse-v3.sigstore.json", root: rootPublic25, identity: exact(beacon),
			artifact: attest.ArtifactBytes(fixture.Bytes(t, aTxt)), predicateType: "https://slsa.dev/provenance/v1", tlog: true, wantSubject: beacon},
		{name: "conformance Rekor v2 with its staging root", bundle: "sigstore-bundles/conformance_rekor2-dsse-happy-path.sigstore.json", root: "sigstore-bundles/conformance_rekor2-dsse-happy-path.trusted_root.json",
			identity: exact(beacon), artifact: attest.ArtifactBytes(fixture.Bytes(t, aTxt)), predicateType: "https://slsa.dev/provenance/v1", tlog: true, timestamp: true},
		{name: "slsa-github-generator generic v2.1.0 bundle v0.3", bundle: "slsa-provenance/slsa-github-generator_generic-v2.1.0_slsa0.2.bundle-v0.3.json", root: rootPublic25, identity: exact(generic),
			artifact: attest.ArtifactDigest("sha256:376e7e01348585b6e6643bc6663146b9d525d9b41228bf180eaeb4d4a3706caa"), predicateType: "https://slsa.dev/provenance/v0.2", tlog: true, wantSubject: generic},
		{name: "slsa-github-generator delegator v1.10.0 bundle v0.1", bundle: "slsa-provenance/slsa-github-generator_delegator-v1.10.0_slsa1.bundle-v0.1.json", root: rootPublic25, identity: exact(delegator),
			artifact: attest.ArtifactDigest("sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"), predicateType: "https://slsa.dev/provenance/v1", tlog: true, wantSubject: delegator},

		{name: "conformance invalid signature must fail", bundle: "sigstore-bundles/conformance_dsse-invalid-sig_FAIL.sigstore.json", root: rootPublic25, identity: exact(beacon),
			artifact: attest.ArtifactBytes(fixture.Bytes(t, aTxt)), fail: attest.LinkTransparencyLog, sentinel: attest.ErrTransparencyLog},
		{name: "generator bundle under another builder identity", bundle: "slsa-provenance/slsa-github-generator_generic-v2.1.0_slsa0.2.bundle-v0.3.json", root: rootPublic25, identity: exact(delegator),
			artifact: attest.ArtifactDigest("sha256:376e7e01348585b6e6643bc6663146b9d525d9b41228bf180eaeb4d4a3706caa"), fail: attest.LinkIdentity, sentinel: attest.ErrUntrustedIdentity},
		{name: "generator bundle for another artifact", bundle: "slsa-provenance/slsa-github-generator_generic-v2.1.0_slsa0.2.bundle-v0.3.json", root: rootPublic25, identity: exact(generic),
			artifact: attest.ArtifactDigest("sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"), fail: attest.LinkSubject, sentinel: attest.ErrSubjectMismatch},
		{name: "Rekor v2 bundle against the public-good root", bundle: "sigstore-bundles/conformance_rekor2-dsse-happy-path.sigstore.json", root: rootPublic25,
			identity: exact(beacon), artifact: attest.ArtifactBytes(fixture.Bytes(t, aTxt)), fail: attest.LinkTransparencyLog, sentinel: attest.ErrTransparencyLog},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := []attest.VerifierOption{attest.WithTrustedRoot(mustRoot(t, tc.root)), tc.identity}
			if tc.fail == "" {
				opts = append(opts, attest.WithTransparencyLog())
				if tc.timestamp {
					opts = append(opts, attest.WithSignedTimestamp())
				}
			}
			v := mustVerifier(t, nil, opts...)
			res, err := v.VerifyBundle(mustBundle(t, fixture.Bytes(t, tc.bundle)), tc.artifact)
			if tc.fail != "" {
				wantFailure(t, res, err, tc.fail, tc.sentinel)
				return
			}
			if err != nil {
				t.Fatalf("VerifyBundle: %v", err)
			}
			if res.Statement == nil || res.Statement.PredicateType != tc.predicateType || res.PredicateType != tc.predicateType {
				t.Errorf("statement predicate type = %q, want %q", res.PredicateType, tc.predicateType)
			}
			s := res.Signers()[0]
			if s.Identity == nil || s.Identity.Issuer != githubIssuer {
				t.Errorf("identity = %+v", s.Identity)
			}
			if tc.wantSubject != "" && s.Identity.Subject != tc.wantSubject {
				t.Errorf("identity subject = %q, want %q", s.Identity.Subject, tc.wantSubject)
			}
			if got := checkStatus(t, s.Checks, attest.LinkTransparencyLog); (got == attest.CheckPassed) != tc.tlog {
				t.Errorf("transparency-log check = %q", got)
			}
			if got := checkStatus(t, s.Checks, attest.LinkIdentity); got != attest.CheckPassed {
				t.Errorf("identity check = %q", got)
			}
			if len(s.Timestamps) == 0 {
				t.Error("no verified timestamp")
			}
		})
	}
	t.Run("keyless bundles are refused without identities", func(t *testing.T) {
		t.Parallel()
		v := mustVerifier(t, mustKeyring(t, mustKey(t, cosignKey)), attest.WithTrustedRoot(mustRoot(t, rootPublic25)))
		res, err := v.VerifyBundle(mustBundle(t, fixture.Bytes(t, "sigstore-bundles/conformance_happy-path-intoto-in-dsse-v3.sigstore.json")), attest.ArtifactBytes(fixture.Bytes(t, aTxt)))
		wantFailure(t, res, err, attest.LinkIdentity, attest.ErrUntrustedIdentity)
	})
	t.Run("keyless bundles are refused without a trusted root", func(t *testing.T) {
		t.Parallel()
		v := mustVerifier(t, mustKeyring(t, mustKey(t, cosignKey)))
		res, err := v.VerifyBundle(mustBundle(t, fixture.Bytes(t, "sigstore-bundles/conformance_happy-path-intoto-in-dsse-v3.sigstore.json")), attest.ArtifactBytes(fixture.Bytes(t, aTxt)))
		wantFailure(t, res, err, attest.LinkIdentity, attest.ErrUntrustedIdentity)
	})
}

// TestVerifyGoogleVSA verifies the real Google VSA, a bare DSSE envelope
// whose ECDSA signature is raw r||s.
func TestVerifyGoogleVSA(t *testing.T) {
	t.Parallel()
	envJSON := fixture.Bytes(t, "vsa/google-gce_gke-gce-pre.bcid-vsa.dsse.json")
	key := mustKey(t, "vsa/google-gce_vsa_signing_public_key.pem")
	const subject = "gce_image_id:8970095005306000053"
	env, err := attest.ParseEnvelope(envJSON)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(env.Signatures[0].Sig); n != 64 {
		t.Fatalf("signature is %d bytes; the fixture's is raw r||s (64)", n)
	}
	v := mustVerifier(t, mustKeyring(t, key))
	res, err := v.VerifyEnvelope(env, attest.ArtifactDigest(subject))
	if err != nil {
		t.Fatalf("VerifyEnvelope: %v", err)
	}
	if res.PredicateType != "https://slsa.dev/verification_summary/v1" || res.Signers()[0].Key.ID != key.ID() {
		t.Errorf("result = %+v", res)
	}
	if !slices.ContainsFunc(res.NotChecked, func(s string) bool { return strings.HasPrefix(s, "transparency-log") }) {
		t.Errorf("NotChecked = %q, want the missing transparency log", res.NotChecked)
	}

	t.Run("another subject", func(t *testing.T) {
		t.Parallel()
		res, err := v.VerifyEnvelope(env, attest.ArtifactDigest("gce_image_id:1"))
		wantFailure(t, res, err, attest.LinkSubject, attest.ErrSubjectMismatch)
	})
	t.Run("another key", func(t *testing.T) {
		t.Parallel()
		v := mustVerifier(t, mustKeyring(t, mustKey(t, cosignKey)))
		res, err := v.VerifyEnvelope(env, attest.ArtifactDigest(subject))
		wantFailure(t, res, err, attest.LinkSignature, attest.ErrSignature)
	})
	t.Run("flipped payload byte", func(t *testing.T) {
		t.Parallel()
		e := *env
		e.Payload = bytes.Clone(env.Payload)
		e.Payload[len(e.Payload)-3] ^= 1
		res, err := v.VerifyEnvelope(&e, attest.ArtifactDigest(subject))
		wantFailure(t, res, err, attest.LinkSignature, attest.ErrSignature)
	})
	t.Run("transparency log required", func(t *testing.T) {
		t.Parallel()
		v := mustVerifier(t, mustKeyring(t, key), attest.WithTrustedRoot(mustRoot(t, rootPublic25)), attest.WithTransparencyLog())
		res, err := v.VerifyEnvelope(env, attest.ArtifactDigest(subject))
		wantFailure(t, res, err, attest.LinkTransparencyLog, attest.ErrTransparencyLog)
	})
}

// TestVerifyCosignGenerated verifies what cosign v3.1.3 wrote with a
// throwaway key: bundles in the new format (as content of referrer
// manifests, through Verify) and a legacy DSSE envelope.
func TestVerifyCosignGenerated(t *testing.T) {
	t.Parallel()
	kr := mustKeyring(t, mustKey(t, cosignKey, attest.WithKeyName("cosign")))
	v := mustVerifier(t, kr)
	target := v1.Descriptor{MediaType: "application/vnd.oci.image.manifest.v1+json", Size: 401, Digest: mustHash(t, cosignSubject)}
	for _, tc := range []struct{ name, predicateType string }{
		{"slsaprovenance1", "https://slsa.dev/provenance/v1"},
		{"vsa", "https://slsa.dev/verification_summary/v1"},
		{"cyclonedx", "https://cyclonedx.org/bom"},
		{"cosign-sign", "https://sigstore.dev/cosign/sign/v1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			att := cosignReferrer(t, target, tc.name)
			res, err := v.Verify(att)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if res.PredicateType != tc.predicateType || res.Statement == nil {
				t.Errorf("predicate type = %q, want %q", res.PredicateType, tc.predicateType)
			}
			if got := checkStatus(t, res.Checks, attest.LinkManifest); got != attest.CheckSkipped {
				t.Errorf("manifest link = %q, want skipped (the bundle signs the statement)", got)
			}
			if got := checkStatus(t, res.Checks, attest.LinkPredicateType); got != attest.CheckPassed {
				t.Errorf("predicate-type link = %q, want passed", got)
			}
			// The same bundle through VerifyBundle.
			if _, err := v.VerifyBundle(att.Content.Bundle, attest.ArtifactDigest(cosignSubject)); err != nil {
				t.Errorf("VerifyBundle: %v", err)
			}

			other := *att
			other.Target.Digest = mustHash(t, "sha256:"+strings.Repeat("ab", 32))
			res, err = v.Verify(&other)
			wantFailure(t, res, err, attest.LinkSubject, attest.ErrSubjectMismatch)

			wrong := mustVerifier(t, mustKeyring(t, mustKey(t, dhi2Key)))
			res, err = wrong.Verify(att)
			wantFailure(t, res, err, attest.LinkSignature, attest.ErrUntrustedKey)
		})
	}
	t.Run("legacy DSSE envelope", func(t *testing.T) {
		t.Parallel()
		env, err := attest.ParseEnvelope(fixture.Bytes(t, "cosign-generated/legacy-att.openvex.dsse.json"))
		if err != nil {
			t.Fatal(err)
		}
		res, err := v.VerifyEnvelope(env, attest.ArtifactDigest(cosignSubject))
		if err != nil {
			t.Fatalf("VerifyEnvelope: %v", err)
		}
		if res.PredicateType != "https://openvex.dev/ns" || res.Signers()[0].Key.Name != "cosign" {
			t.Errorf("result = %+v", res)
		}
		wrong := mustVerifier(t, mustKeyring(t, mustKey(t, dhi2Key)))
		res, err = wrong.VerifyEnvelope(env, attest.ArtifactDigest(cosignSubject))
		wantFailure(t, res, err, attest.LinkSignature, attest.ErrSignature)
	})
	t.Run("legacy .att attestation", func(t *testing.T) {
		t.Parallel()
		raw := fixture.Bytes(t, "cosign-generated/legacy-att.manifest.json")
		var m v1.Manifest
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		c, err := attest.Parse(fixture.Bytes(t, "cosign-generated/legacy-att.openvex.dsse.json"))
		if err != nil {
			t.Fatal(err)
		}
		att := &attest.Attestation{Target: target, Manifest: descriptorOf(raw), RawManifest: raw, Layer: m.Layers[0],
			PredicateType: c.PredicateType(), Content: c}
		res, err := v.Verify(att)
		if err != nil {
			t.Fatalf("Verify: %v", err)
		}
		if got := checkStatus(t, res.Checks, attest.LinkPredicateType); got != attest.CheckPassed {
			t.Errorf("predicate-type link = %q, want passed (layer annotation predicateType)", got)
		}
	})
}

// cosignReferrer builds the attestation discovery makes of a cosign v3
// referrer manifest and its bundle.
func cosignReferrer(t *testing.T, target v1.Descriptor, name string) *attest.Attestation {
	t.Helper()
	raw := fixture.Bytes(t, "cosign-generated/"+name+".referrer-manifest.json")
	var m v1.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	c, err := attest.Parse(fixture.Bytes(t, "cosign-generated/"+name+".sigstore.json"))
	if err != nil {
		t.Fatal(err)
	}
	layer := m.Layers[0]
	layer.Annotations = m.Annotations
	return &attest.Attestation{Target: target, Manifest: descriptorOf(raw), RawManifest: raw, Layer: layer, PredicateType: c.PredicateType(), Content: c}
}

// TestVerifyCosignSignatureBundle verifies cosign v3's image signature (a
// sigstore bundle whose statement names the signed manifest) as a detached
// signature.
func TestVerifyCosignSignatureBundle(t *testing.T) {
	t.Parallel()
	v := mustVerifier(t, mustKeyring(t, mustKey(t, cosignKey)))
	sig := &attest.Signature{Kind: attest.SignatureBundle, Payload: fixture.Bytes(t, "cosign-generated/cosign-sign.sigstore.json")}
	res, err := v.VerifySignature(sig, mustHash(t, cosignSubject))
	if err != nil {
		t.Fatalf("VerifySignature: %v", err)
	}
	if got := checkStatus(t, res.Signatures[0].Checks, attest.LinkManifest); got != attest.CheckPassed {
		t.Errorf("manifest check = %q", got)
	}
	res, err = v.VerifySignature(sig, mustHash(t, "sha256:"+strings.Repeat("cd", 32)))
	wantFailure(t, res, err, attest.LinkManifest, attest.ErrManifestMismatch)

	sig = &attest.Signature{Kind: attest.SignatureBundle, Payload: []byte(`{"_type":"https://in-toto.io/Statement/v1"}`)}
	res, err = v.VerifySignature(sig, mustHash(t, cosignSubject))
	wantFailure(t, res, err, attest.LinkSignature, attest.ErrSignature)
}
