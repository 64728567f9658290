package dhi_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/dhi/scanreport"
)

// openSample opens the SDK's sample image from an in-process registry.
// Real programs open "dhi.io/python:3.13" instead, trusting Docker's keys.
func openSample() (*dhi.Image, func()) {
	docs, err := dhitest.SampleDocs()
	if err != nil {
		log.Fatal(err)
	}
	priv, pub, err := dhitest.NewKey()
	if err != nil {
		log.Fatal(err)
	}
	key, err := attest.ParseKey(pub, attest.WithKeyName("sample"))
	if err != nil {
		log.Fatal(err)
	}
	reg, err := dhitest.NewRegistry()
	if err != nil {
		log.Fatal(err)
	}
	pushed, err := dhitest.Push(context.Background(), reg.Host+"/dhi/python:3.13", "", dhitest.Spec{Docs: docs, Signer: priv, Labels: dhitest.SampleLabels()})
	if err != nil {
		log.Fatal(err)
	}
	img, err := dhi.Open(context.Background(), pushed.Ref, dhi.WithKeys(key))
	if err != nil {
		log.Fatal(err)
	}
	return img, func() { reg.Close() }
}

// trivyReport is a Trivy JSON report on the image repo@digest, as
// `trivy image --format json` writes it (shortened).
func trivyReport(repo, digest string) []byte {
	return fmt.Appendf(nil, `{
  "SchemaVersion": 2,
  "ArtifactName": "%[1]s:3.13",
  "ArtifactType": "container_image",
  "Metadata": {"RepoDigests": ["%[1]s@%[2]s"]},
  "Results": [{
    "Target": "%[1]s:3.13 (debian 12.11)",
    "Class": "os-pkgs",
    "Type": "debian",
    "Vulnerabilities": [
      {"VulnerabilityID": "CVE-2019-9192", "PkgName": "libc6", "InstalledVersion": "2.36-9+deb12u14", "Severity": "LOW",
       "PkgIdentifier": {"PURL": "pkg:deb/debian/libc6@2.36-9%%2Bdeb12u14?arch=amd64&distro=debian-12.11"}},
      {"VulnerabilityID": "CVE-2007-5686", "PkgName": "login", "InstalledVersion": "1:4.13+dfsg1-1+deb12u1", "Severity": "LOW",
       "PkgIdentifier": {"PURL": "pkg:deb/debian/login@4.13%%2Bdfsg1-1%%2Bdeb12u1?arch=amd64&distro=debian-12.11&epoch=1"}},
      {"VulnerabilityID": "CVE-2025-27587", "PkgName": "libssl3", "InstalledVersion": "3.0.19-1~deb12u2", "FixedVersion": "3.0.17-1~deb12u1", "Severity": "MEDIUM",
       "PkgIdentifier": {"PURL": "pkg:deb/debian/libssl3@3.0.19-1~deb12u2?arch=amd64&distro=debian-12.11"}}
    ]
  }]
}`, repo, digest)
}

func ExamplePlatform_Triage() {
	img, stop := openSample()
	defer stop()
	p := img.Platforms[0]

	r, err := scanreport.Parse(trivyReport(img.Repository, img.Root.Digest.String()))
	if err != nil {
		log.Fatal(err)
	}
	tr, err := p.Triage(r)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range tr.Findings {
		status := string(f.Decision.Status)
		if status == "" {
			status = "no VEX statement"
		}
		via := ""
		if f.Match != nil && f.Match.Via != f.PURL {
			via = " (through its source package)"
		}
		fmt.Printf("%-14s %-8s %s%s inconsistent=%v\n", f.Finding.ID, f.Finding.Package, status, via, f.Inconsistent)
	}
	fmt.Println(tr.Suppressed(), "suppressed;", strings.Count(string(tr.Encoded), "ExperimentalModifiedFindings"), "ExperimentalModifiedFindings list in the report written back")
	// Output:
	// CVE-2019-9192  libc6    not_affected inconsistent=false
	// CVE-2007-5686  login    not_affected (through its source package) inconsistent=false
	// CVE-2025-27587 libssl3  no VEX statement inconsistent=true
	// 2 suppressed; 1 ExperimentalModifiedFindings list in the report written back
}

// A report about another image is refused, naming both.
func ExamplePlatform_Triage_anotherImage() {
	img, stop := openSample()
	defer stop()

	other := "sha256:1111111111111111111111111111111111111111111111111111111111111111"
	r, err := scanreport.Parse(trivyReport("dhi.io/node", other))
	if err != nil {
		log.Fatal(err)
	}
	_, err = img.Platforms[0].Triage(r)
	var se *scanreport.SubjectError
	if errors.As(err, &se) {
		fmt.Println("refused:", errors.Is(err, dhi.ErrTriage))
		fmt.Println("report on", se.Artifact, "is about", se.Got)
	}
	// Output:
	// refused: true
	// report on dhi.io/node:3.13 is about [sha256:1111111111111111111111111111111111111111111111111111111111111111]
}

func ExamplePlatform_ScannerVEX() {
	img, stop := openSample()
	defer stop()

	sv, err := img.Platforms[0].ScannerVEX()
	if err != nil {
		log.Fatal(err)
	}
	// Written to a file, the document is for
	//	trivy image --vex scanner.vex.json IMAGE
	//	grype IMAGE --vex scanner.vex.json
	if _, err := sv.OpenVEX(); err != nil {
		log.Fatal(err)
	}
	for _, st := range sv.Statements {
		if st.Vulnerability == "CVE-2007-5686" {
			fmt.Println(st.Vulnerability, st.Status, st.Justification)
			for _, id := range st.Subcomponents() {
				fmt.Println("  for", id)
			}
			fmt.Println("  from", st.Source.Subcomponent, "in", st.Source.Product, "read", st.Source.Reading)
		}
	}
	// Output:
	// CVE-2007-5686 not_affected vulnerable_code_cannot_be_controlled_by_adversary
	//   for pkg:deb/debian/login@1:4.13%2Bdfsg1-1%2Bdeb12u1?arch=amd64
	//   for pkg:deb/debian/login@4.13%2Bdfsg1-1%2Bdeb12u1?arch=amd64&epoch=1
	//   for pkg:deb/debian/passwd@1:4.13%2Bdfsg1-1%2Bdeb12u1?arch=amd64
	//   for pkg:deb/debian/passwd@4.13%2Bdfsg1-1%2Bdeb12u1?arch=amd64&epoch=1
	//   from pkg:deb/debian/shadow@1%3A4.13%2Bdfsg1-1%2Bdeb12u1?os_distro=bookworm&os_name=debian&os_version=12 in pkg:docker/dhi/python read as-written
}
