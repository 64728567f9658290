package vex_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dhisdk/dhisdk/dhi/dhitest/sampledata"
	"github.com/dhisdk/dhisdk/vex"
)

// Merge two real DHI documents and decide the findings a scanner reported on
// a DHI curl image.
func Example() {
	var docs []*vex.Document
	for _, name := range []string{"dhi/advisories/vex/dhi-curl.vex.json", "dhi/advisories/vex/dhi-debian-base.vex.json"} {
		b, err := sampledata.Read(name)
		if err != nil {
			fmt.Println(err)
			return
		}
		doc, err := vex.Parse(b, vex.WithDocumentName(name))
		if err != nil {
			fmt.Println(err)
			return
		}
		docs = append(docs, doc)
	}
	ix := vex.NewIndex(docs...)

	findings := []vex.Query{
		// syft's purl for the binary package; the VEX names the package with
		// DHI's os_distro qualifiers.
		{Vulnerability: "CVE-2025-9086", Package: "pkg:deb/debian/curl@8.14.1-2?arch=amd64&distro=debian-13", Image: "dhi.io/curl:8"},
		// libc6 is not named by this statement, its source package glibc is:
		// syft's upstream qualifier leads there.
		{Vulnerability: "CVE-2025-4802", Package: "pkg:deb/debian/locales@2.41-12?arch=all&distro=debian-13&upstream=glibc", Image: "dhi.io/curl:8"},
		{Vulnerability: "CVE-2025-0000", Package: "pkg:deb/debian/curl@8.14.1-2?arch=amd64&distro=debian-13", Image: "dhi.io/curl:8"},
	}
	// The feed names the image pkg:docker/dhi/curl; the scanner saw
	// dhi.io/curl. Package dhi knows the names DHI images go by and supplies
	// them as dhi.RepositoryAliases; here, a short stand-in.
	dhiNames := func(repo string) []string {
		if name, ok := strings.CutPrefix(repo, "dhi.io/"); ok {
			return []string{"docker.io/dhi/" + name}
		}
		return nil
	}
	results, err := ix.Apply(findings, vex.WithRepositoryAliases(dhiNames))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range results {
		if r.Match == nil {
			fmt.Printf("%s: no statement\n", r.Vulnerability)
			continue
		}
		fmt.Printf("%s: %s (%s) by statement %d of %s\n", r.Vulnerability, r.Status, r.Justification, r.Match.Statement.Index, r.Match.Document.Name)
	}
	fmt.Println("still exploitable:", len(vex.Exploitable(results)))
	// Output:
	// CVE-2025-9086: not_affected (vulnerable_code_cannot_be_controlled_by_adversary) by statement 0 of dhi/advisories/vex/dhi-curl.vex.json
	// CVE-2025-4802: not_affected (vulnerable_code_cannot_be_controlled_by_adversary) by statement 11 of dhi/advisories/vex/dhi-curl.vex.json
	// CVE-2025-0000: no statement
	// still exploitable: 1
}

// A binary package meets statements on its source package through the
// caller's mapping, such as (*sbom.Document).SourcePURLs.
func ExampleWithSourceMapping() {
	b, err := sampledata.Read("dhi/advisories/vex/dhi-python.vex.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	doc, err := vex.Parse(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	ix := vex.NewIndex(doc)
	sources := func(binary string) []string {
		if binary == "pkg:deb/debian/locales@2.41-12?arch=all&distro=debian-13" {
			return []string{"pkg:deb/debian/glibc@2.41-12?arch=source&distro=debian-13"}
		}
		return nil
	}
	f := vex.Query{Vulnerability: "CVE-2025-4802", Package: "pkg:deb/debian/locales@2.41-12?arch=all&distro=debian-13", Image: "docker.io/dhi/python:3.13"}
	for _, opts := range [][]vex.MatchOption{nil, {vex.WithSourceMapping(sources)}} {
		d, err := ix.Decide(f, opts...)
		if err != nil {
			fmt.Println(err)
			return
		}
		if d.Match == nil {
			fmt.Println("no statement")
			continue
		}
		fmt.Println(d.Status, "via", d.Match.Via)
	}
	// Output:
	// no statement
	// not_affected via pkg:deb/debian/glibc@2.41-12?arch=source&distro=debian-13
}

// A truncated document is an error that names the document and the offset.
func ExampleParseError() {
	_, err := vex.Parse([]byte(`{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [`), vex.WithDocumentName("dhi-dex.vex.json"))
	var pe *vex.ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.DocumentName, pe.Offset, errors.Is(err, vex.ErrMalformedJSON))
	}
	fmt.Println(err)
	// Output:
	// dhi-dex.vex.json 61 true
	// vex: dhi-dex.vex.json: malformed json at byte offset 61: unexpected end of JSON input
}
