package dhi_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/internal/fixture"
)

func ExampleKindOf() {
	for _, pt := range []string{
		"https://cyclonedx.org/bom/v1.6",
		"https://docker.com/dhi/fips/v0.1",
		"https://in-toto.io/attestation/vulns/v0.2",
		"https://modelcontextprotocol.io/server.json/v1",
	} {
		fmt.Println(dhi.KindOf(pt))
	}
	// Output:
	// sbom
	// fips
	// vulnerability-scan
	// unknown
}

func ExampleParseFIPS() {
	b, err := fixture.Read("dhi/predicates/fips.json")
	if err != nil {
		log.Fatal(err)
	}
	fips, err := dhi.ParseFIPS(b)
	if err != nil {
		log.Fatal(err)
	}
	at := time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)
	for _, m := range fips.Modules {
		fmt.Printf("%s %s (%s): active %v\n", m.Name, m.Version, m.Status, m.ActiveAt(at))
	}
	// Output:
	// OpenSSL FIPS Provider 3.1.2 (active): active true
	// Go Cryptographic Module 1.0.0 (in process): active false
}

func ExampleParseSTIG() {
	b, err := fixture.Read("dhi/predicates/stig.json")
	if err != nil {
		log.Fatal(err)
	}
	stig, err := dhi.ParseSTIG(b)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range stig.Profiles {
		pct, _ := p.Summary.ScorePercent()
		html, err := p.HTML(10 << 20)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %.1f%%, %d failed, HTML report of %d bytes\n", p.Name, pct, *p.Summary.Fail, len(html))
	}
	// Output:
	// xccdf_org.ssgproject.content_profile_stig: 100.0%, 0 failed, HTML report of 98 bytes
}

func ExampleParseFindings() {
	b, err := fixture.Read("dhi/predicates/scout-vulnerabilities.json")
	if err != nil {
		log.Fatal(err)
	}
	findings, err := dhi.ParseFindings(dhi.PredicateTypeScoutVulnerabilities, b)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range findings {
		fmt.Println(f.ID, f.Severity, f.Score)
	}
	// Output:
	// CVE-2025-4802 high 7.8
	// CVE-2005-2541 low 2.1
}

func ExampleParseVirusScan() {
	b, err := fixture.Read("dhi/predicates/scout-virus.json")
	if err != nil {
		log.Fatal(err)
	}
	scan, err := dhi.ParseVirusScan(b)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(scan.Scanner, scan.InfectedFiles, scan.Clean())
	// Output:
	// clamav 0 true
}

func ExamplePredicateError() {
	_, err := dhi.ParseTests([]byte(`{"results":{"summary":{"passed":3}}}`))
	var pe *dhi.PredicateError
	if errors.As(err, &pe) {
		fmt.Println(pe.PredicateType)
		fmt.Println(pe.Detail)
	}
	fmt.Println(errors.Is(err, dhi.ErrInvalidPredicate))
	// Output:
	// https://scout.docker.com/tests/v0.1
	// results.summary.failed is missing
	// true
}

func ExampleReferrersRepository() {
	for _, s := range []string{"docker.io/acme/dhi-python", "dhi/golang", "dhi.io/python", "registry.example.com/mirror/python"} {
		repo, err := name.NewRepository(s)
		if err != nil {
			log.Fatal(err)
		}
		if r, ok := dhi.ReferrersRepository(repo); ok {
			fmt.Printf("%s: attestations in %s\n", repo, r)
		} else {
			fmt.Printf("%s: attestations in place\n", repo)
		}
	}
	// Output:
	// index.docker.io/acme/dhi-python: attestations in registry.scout.docker.com/acme/dhi-python
	// index.docker.io/dhi/golang: attestations in registry.scout.docker.com/dhi/golang
	// dhi.io/python: attestations in place
	// registry.example.com/mirror/python: attestations in place
}

func ExampleClassifyRepository() {
	repo, err := name.NewRepository("docker.io/acme/dhi-prometheus-chart")
	if err != nil {
		log.Fatal(err)
	}
	info, ok := dhi.ClassifyRepository(repo)
	fmt.Println(ok, info.Kind, info.Namespace, info.Image, info.Chart())
	// Output:
	// true hub-mirror acme prometheus-chart true
}

func ExampleParseTag() {
	tag := dhi.ParseTag("20.19-debian12-fips-20250701182639")
	fmt.Println(tag.Version, tag.Distro, tag.DistroLabel(), tag.Variants, tag.Timestamp, tag.Has("fips"))
	// Output:
	// 20.19 debian12 debian-12 [fips] 20250701182639 true
}
