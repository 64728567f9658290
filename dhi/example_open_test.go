package dhi_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
)

// serveSample serves the SDK's sample image (real SBOMs, VEX, provenance,
// DHI predicates; signed with a new key) from an in-process registry. Real
// programs open "dhi.io/python:3.13" instead, trusting Docker's keys.
func serveSample() (ref string, key *attest.Key, stop func()) {
	s, err := dhitest.ServeSample(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	return s.Ref, s.Key, func() { s.Close() }
}

func ExampleOpen() {
	ref, key, stop := serveSample()
	defer stop()

	img, err := dhi.Open(context.Background(), ref, dhi.WithKeys(key))
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range img.Platforms {
		lc := p.Lifecycle()
		fmt.Printf("%s: %s %s, %d of %d attestations verified, end of life %s\n",
			p, lc.Name, lc.Version, len(p.Used()), len(p.Attestations), lc.EndOfLife.Format("2006-01-02"))
	}
	// Output:
	// linux/amd64: dhi/python 3.13.9-debian12, 15 of 15 attestations verified, end of life 2029-10-31
	// linux/arm64: dhi/python 3.13.9-debian12, 15 of 15 attestations verified, end of life 2029-10-31
}

func ExamplePlatform_Packages() {
	ref, key, stop := serveSample()
	defer stop()
	img, err := dhi.Open(context.Background(), ref, dhi.WithKeys(key))
	if err != nil {
		log.Fatal(err)
	}
	p := img.Platforms[0]

	pkgs, err := p.Packages()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(pkgs), "packages")
	found, err := p.FindPackages(dhi.PackageQuery{PURL: "pkg:deb/debian/libc6"})
	if err != nil {
		log.Fatal(err)
	}
	for _, pk := range found {
		fmt.Println(pk.Name, pk.Version, "from source", pk.SourcePURL, "listed in", pk.Formats)
	}
	// Output:
	// 705 packages
	// libc6 2.36-9+deb12u14 from source pkg:deb/debian/glibc@2.36-9%2Bdeb12u14?distro=debian-12 listed in [cyclonedx spdx]
}

func ExamplePlatform_Vulnerabilities() {
	ref, key, stop := serveSample()
	defer stop()
	img, err := dhi.Open(context.Background(), ref, dhi.WithKeys(key))
	if err != nil {
		log.Fatal(err)
	}

	vulns, err := img.Platforms[0].Vulnerabilities()
	if err != nil {
		log.Fatal(err)
	}
	for _, v := range vulns {
		status := string(v.Status)
		if status == "" {
			status = "no VEX statement"
		}
		fmt.Printf("%-6s %-14s exploitable=%-5v %s\n", v.Severity, v.ID, v.Exploitable(), status)
	}
	// Output:
	// high   CVE-2025-4802  exploitable=false not_affected
	// high   CVE-2025-9230  exploitable=true  under_investigation
	// medium CVE-2025-27587 exploitable=true  no VEX statement
	// low    CVE-2005-2541  exploitable=false not_affected
	// low    CVE-2019-9192  exploitable=false not_affected
}

// Attestations that do not verify are kept, with the reason, and not used.
func ExampleAttestation_Err() {
	ref, _, stop := serveSample()
	defer stop()

	// Without the sample's key, only Docker's keys are trusted.
	img, err := dhi.Open(context.Background(), ref)
	if err != nil {
		log.Fatal(err)
	}
	p := img.Platforms[0]
	a := p.Unverified()[0]
	var ve *attest.VerificationError
	if errors.As(a.Err, &ve) {
		fmt.Println("broken link:", ve.Link)
		fmt.Println("bad signature:", errors.Is(a.Err, attest.ErrSignature))
	}
	_, err = p.Vulnerabilities()
	fmt.Println("no verified scan:", errors.Is(err, dhi.ErrNoAttestation))
	// Output:
	// broken link: signature
	// bad signature: true
	// no verified scan: true
}
