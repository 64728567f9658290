package attest_test

import (
	"testing"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/internal/fixture"
)

// checkResultInvariant fails when a result and error disagree.
func checkResultInvariant(t *testing.T, res *attest.Result, err error) {
	t.Helper()
	if res == nil {
		if err == nil {
			t.Fatal("nil result and nil error")
		}
		return
	}
	if res.Verified != (err == nil) {
		t.Fatalf("Verified = %v with error %v", res.Verified, err)
	}
	if !res.Verified && res.Statement != nil {
		t.Fatal("unverified result carries a statement")
	}
}

func FuzzParseSimpleSigningPayload(f *testing.F) {
	d := mustHash(f, "sha256:"+"956dafd0aa7730a912099c6a3531ec2c61bc8aae6f5f97cdad3b7c9a14f55a2c")
	f.Add(simpleSigningPayload(dhiReference, d))
	f.Add([]byte(`{"critical":{"identity":{"docker-reference":""},"image":{"docker-manifest-digest":"sha256:"},"type":"cosign container image signature"},"optional":{"k":1}}`))
	f.Add([]byte(`{"critical":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := attest.ParseSimpleSigningPayload(b)
		if err != nil {
			return
		}
		if p.Type != attest.SimpleSigningType || p.ManifestDigest.Algorithm == "" {
			t.Fatalf("accepted payload %+v", p)
		}
	})
}

func FuzzVerifySignature(f *testing.F) {
	signer := newTestSigner(f)
	v := mustVerifier(f, mustKeyring(f, signer.key(f)))
	target := platformManifest(f, "fuzz")
	payload := simpleSigningPayload(dhiReference, target.Digest)
	f.Add(payload, signer.sign(f, payload), []byte(nil))
	f.Add(payload, make([]byte, 64), []byte(`{"SignedEntryTimestamp":"AA==","Payload":{"body":"e30=","integratedTime":1,"logIndex":1,"logID":"00"}}`))
	f.Fuzz(func(t *testing.T, payload, sig, rekor []byte) {
		s := &attest.Signature{Kind: attest.SignatureSimpleSigning, Target: target, Payload: payload, Value: sig, RekorBundle: rekor}
		res, err := v.VerifySignature(s, target.Digest)
		checkResultInvariant(t, res, err)
		if err == nil {
			p, perr := attest.ParseSimpleSigningPayload(payload)
			if perr != nil || p.ManifestDigest != target.Digest {
				t.Fatalf("verified a payload that does not name the manifest: %q", payload)
			}
		}
	})
}

func FuzzVerifyEnvelope(f *testing.F) {
	for _, name := range []string{"vsa/google-gce_gke-gce-pre.bcid-vsa.dsse.json", "cosign-generated/legacy-att.openvex.dsse.json",
		"cosign-dsse/trivy_centos-7-cyclonedx.cosign-dsse.json"} {
		f.Add(fixture.Bytes(f, name))
	}
	v := mustVerifier(f, mustKeyring(f, mustKey(f, "vsa/google-gce_vsa_signing_public_key.pem"), mustKey(f, cosignKey)))
	f.Fuzz(func(t *testing.T, b []byte) {
		env, err := attest.ParseEnvelope(b)
		if err != nil {
			return
		}
		for _, a := range []attest.Artifact{attest.ArtifactDigest(cosignSubject), attest.ArtifactDigest("gce_image_id:8970095005306000053"), attest.AnyArtifactUnsafe()} {
			res, err := v.VerifyEnvelope(env, a)
			checkResultInvariant(t, res, err)
		}
	})
}

func FuzzVerifyBundle(f *testing.F) {
	names, err := fixture.Glob("sigstore-bundles/*.json")
	if err != nil {
		f.Fatal(err)
	}
	more, err := fixture.Glob("cosign-generated/*.sigstore.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range append(append(names, more...), dhiBundle, "slsa-provenance/slsa-github-generator_delegator-v1.10.0_slsa1.bundle-v0.1.json") {
		if b := fixture.Bytes(f, name); len(b) < 64<<10 {
			f.Add(b)
		}
	}
	v := mustVerifier(f, mustKeyring(f, mustKey(f, dhi2Key), mustKey(f, cosignKey)),
		attest.WithTrustedRoot(mustRoot(f, rootPublic25)), attest.WithIdentityRegexp(".*", ".*"))
	artifacts := []attest.Artifact{attest.ArtifactBytes(fixture.Bytes(f, dhiArtifact)), attest.ArtifactDigest(cosignSubject), attest.AnyArtifactUnsafe()}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := attest.Parse(b)
		if err != nil || c.Bundle == nil {
			return
		}
		for _, a := range artifacts {
			res, err := v.VerifyBundle(c.Bundle, a)
			checkResultInvariant(t, res, err)
		}
		att := &attest.Attestation{Target: platformManifest(t, "fuzz"), Content: c}
		res, err := v.Verify(att)
		checkResultInvariant(t, res, err)
	})
}
