package attest_test

import (
	"errors"
	"fmt"
	"log"

	"github.com/sigstore/sigstore-go/pkg/root"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi/dhitest/sampledata"
)

// read returns a document of the SDK's test data.
func readFixture(name string) []byte {
	b, err := sampledata.Read(name)
	if err != nil {
		log.Fatal(err)
	}
	return b
}

// Verify a real Docker signature offline: a sigstore bundle signed with the
// DHI key dhi-2, whose Rekor entry and RFC 3161 timestamp are checked
// against the public-good trusted root.
func ExampleVerifier_VerifyBundle() {
	keys, err := attest.LoadKeyring(sampledata.FS(), "dhi/keyring")
	if err != nil {
		log.Fatal(err)
	}
	trusted, err := root.NewTrustedRootFromJSON(readFixture("sigstore-bundles/public-good-trusted-root-2025.json"))
	if err != nil {
		log.Fatal(err)
	}
	v, err := attest.NewVerifier(keys, attest.WithTrustedRoot(trusted), attest.WithTransparencyLog(), attest.WithSignedTimestamp())
	if err != nil {
		log.Fatal(err)
	}
	content, err := attest.Parse(readFixture("dhi/signed-feed/dhi-nginx.vex.json.sha256.sig"))
	if err != nil {
		log.Fatal(err)
	}
	artifact := readFixture("dhi/signed-feed/dhi-nginx.vex.json.sha256")

	res, err := v.VerifyBundle(content.Bundle, attest.ArtifactBytes(artifact))
	if err != nil {
		log.Fatal(err)
	}
	s := res.Signers()[0]
	fmt.Println("verified:", res.Verified)
	fmt.Println("key:", s.Key.Name, s.Key.ID[:16])
	fmt.Println("rekor entry:", s.TransparencyLog[0].LogIndex, s.TransparencyLog[0].IntegratedTime.UTC())
	for _, c := range s.Checks {
		fmt.Println(c.Link, c.Status)
	}
	// Output:
	// verified: true
	// key: dhi-2 118ba556dd52f4ae
	// rekor entry: 1147972785 2026-03-20 15:32:44 +0000 UTC
	// signature passed
	// transparency-log passed
	// signed-timestamp passed
	// key-status passed
}

// A signature that verifies under no trusted key fails at the signature
// link; errors.As gives the details.
func ExampleVerificationError() {
	dhi1, err := attest.ParseKey(readFixture("dhi/keyring/dhi-1.pub"), attest.WithKeyName("dhi-1"))
	if err != nil {
		log.Fatal(err)
	}
	keys, err := attest.NewKeyring(dhi1)
	if err != nil {
		log.Fatal(err)
	}
	v, err := attest.NewVerifier(keys)
	if err != nil {
		log.Fatal(err)
	}
	content, err := attest.Parse(readFixture("dhi/signed-feed/dhi-nginx.vex.json.sha256.sig"))
	if err != nil {
		log.Fatal(err)
	}
	artifact := readFixture("dhi/signed-feed/dhi-nginx.vex.json.sha256")

	_, err = v.VerifyBundle(content.Bundle, attest.ArtifactBytes(artifact))
	var ve *attest.VerificationError
	if errors.As(err, &ve) {
		fmt.Println("broken link:", ve.Link)
		fmt.Println("untrusted key:", errors.Is(err, attest.ErrUntrustedKey))
	}
	// Output:
	// broken link: signature
	// untrusted key: true
}
