package attest_test

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"fmt"
	"testing"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/internal/fixture"
)

// BenchmarkVerifyDHIAttestations verifies the 30 attestations of a
// DHI-shaped image (2 platforms x 15 predicate types, each a bare statement
// in a referrer manifest signed with a cosign simple-signing signature,
// ECDSA P-256), and beside it does only the ECDSA verifications those
// signatures need (SHA-256 of the payload and ecdsa.VerifyASN1), so that the
// overhead of the chain checks shows against the bare cryptography in the
// same run.
func BenchmarkVerifyDHIAttestations(b *testing.B) {
	const perPlatform = 15
	signer := newTestSigner(b)
	v := mustVerifier(b, mustKeyring(b, signer.key(b, attest.WithKeyName("dhi-2"))))
	var atts []*attest.Attestation
	for _, platform := range []string{"linux/amd64", "linux/arm64"} {
		target := platformManifest(b, platform)
		for i := range perPlatform {
			pt := fmt.Sprintf("https://docker.com/dhi/predicate-%d/v0.1", i)
			atts = append(atts, signer.signed(b, target, pt, `{"component":"python","version":"3.13"}`))
		}
	}
	n := float64(len(atts))

	b.Run("step=verify", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, a := range atts {
				if _, err := v.Verify(a); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/attestation")
	})
	b.Run("step=ecdsa-only", func(b *testing.B) {
		pub := &signer.priv.PublicKey
		b.ReportAllocs()
		for b.Loop() {
			for _, a := range atts {
				s := a.Signatures[0]
				sum := sha256.Sum256(s.Payload)
				if !ecdsa.VerifyASN1(pub, sum[:], s.Value) {
					b.Fatal("signature does not verify")
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/attestation")
	})
}

// BenchmarkVerifyDHIBundle verifies the real DHI sigstore bundle (Rekor
// entry with inclusion proof and RFC 3161 timestamp) through sigstore-go.
func BenchmarkVerifyDHIBundle(b *testing.B) {
	v := mustVerifier(b, mustKeyring(b, mustKey(b, dhi2Key)), attest.WithTrustedRoot(mustRoot(b, rootPublic25)),
		attest.WithTransparencyLog(), attest.WithSignedTimestamp())
	bun := mustBundle(b, fixture.Bytes(b, dhiBundle))
	artifact := attest.ArtifactBytes(fixture.Bytes(b, dhiArtifact))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.VerifyBundle(bun, artifact); err != nil {
			b.Fatal(err)
		}
	}
}
