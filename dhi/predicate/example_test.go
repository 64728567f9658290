package predicate_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/dhisdk/dhisdk/dhi/dhitest/sampledata"
	"github.com/dhisdk/dhisdk/dhi/predicate"
)

func ExampleParseFIPS() {
	b, err := sampledata.Read("dhi/predicates/fips.json")
	if err != nil {
		log.Fatal(err)
	}
	fips, err := predicate.ParseFIPS(b)
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
	b, err := sampledata.Read("dhi/predicates/stig.json")
	if err != nil {
		log.Fatal(err)
	}
	stig, err := predicate.ParseSTIG(b)
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
	b, err := sampledata.Read("dhi/predicates/scout-vulnerabilities.json")
	if err != nil {
		log.Fatal(err)
	}
	findings, err := predicate.ParseFindings(predicate.TypeScoutVulnerabilities, b)
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
	b, err := sampledata.Read("dhi/predicates/scout-virus.json")
	if err != nil {
		log.Fatal(err)
	}
	scan, err := predicate.ParseVirusScan(b)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(scan.Scanner, scan.InfectedFiles, scan.Clean())
	// Output:
	// clamav 0 true
}

func ExampleError() {
	_, err := predicate.ParseTests([]byte(`{"results":{"summary":{"passed":3}}}`))
	var pe *predicate.Error
	if errors.As(err, &pe) {
		fmt.Println(pe.PredicateType)
		fmt.Println(pe.Detail)
	}
	fmt.Println(errors.Is(err, predicate.ErrInvalid))
	// Output:
	// https://scout.docker.com/tests/v0.1
	// results.summary.failed is missing
	// true
}
