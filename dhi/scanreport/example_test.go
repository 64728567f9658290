package scanreport_test

import (
	"errors"
	"fmt"

	"github.com/dhisdk/dhisdk/dhi/scanreport"
)

// report is a small Trivy JSON report of an image pulled by digest.
const report = `{
  "SchemaVersion": 2,
  "CreatedAt": "2026-11-30T10:00:00Z",
  "ArtifactName": "dhi.io/python@sha256:1111111111111111111111111111111111111111111111111111111111111111",
  "ArtifactType": "container_image",
  "Metadata": {"RepoDigests": ["dhi.io/python@sha256:1111111111111111111111111111111111111111111111111111111111111111"]},
  "Results": [
    {
      "Target": "dhi.io/python (debian 13.1)",
      "Class": "os-pkgs",
      "Vulnerabilities": [
        {
          "VulnerabilityID": "CVE-2025-4802",
          "PkgName": "libc6",
          "PkgIdentifier": {"PURL": "pkg:deb/debian/libc6@2.41-12?distro=debian-13.1"},
          "InstalledVersion": "2.41-12",
          "FixedVersion": "2.41-12",
          "Severity": "HIGH"
        },
        {
          "VulnerabilityID": "CVE-2025-0001",
          "PkgName": "openssl",
          "PkgIdentifier": {"PURL": "pkg:deb/debian/openssl@3.5.1-1?distro=debian-13.1"},
          "InstalledVersion": "3.5.1-1",
          "Severity": "MEDIUM"
        }
      ]
    }
  ]
}
`

func Example() {
	r, err := scanreport.Parse([]byte(report))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Format, r.Artifact.Digests)
	if err := r.CheckSubject("sha256:2222222222222222222222222222222222222222222222222222222222222222"); errors.Is(err, scanreport.ErrSubjectMismatch) {
		fmt.Println("another image")
	}
	ds := make([]scanreport.Decision, len(r.Findings))
	for i, f := range r.Findings {
		bad, err := scanreport.Inconsistent(f)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(f.ID, f.Package, f.InstalledVersion, f.Severity, "inconsistent:", bad)
		if f.ID == "CVE-2025-0001" {
			ds[i] = scanreport.Decision{Status: scanreport.StatusNotAffected,
				Justification: scanreport.JustificationVulnerableCodeNotInExecutePath, Source: "DHI VEX"}
		}
		ds[i].Inconsistent = bad
	}
	out, err := r.Encode(ds)
	if err != nil {
		fmt.Println(err)
		return
	}
	r2, err := scanreport.Parse(out)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(r2.Findings), "finding left,", len(r2.Suppressed), "suppressed:", r2.Suppressed[0].Decision.Status)
	// Output:
	// trivy-json [sha256:1111111111111111111111111111111111111111111111111111111111111111]
	// another image
	// CVE-2025-4802 libc6 2.41-12 high inconsistent: true
	// CVE-2025-0001 openssl 3.5.1-1 medium inconsistent: false
	// 1 finding left, 1 suppressed: not_affected
}

func ExampleSubjectError() {
	r, err := scanreport.Parse([]byte(report))
	if err != nil {
		fmt.Println(err)
		return
	}
	err = r.CheckSubject("sha256:2222222222222222222222222222222222222222222222222222222222222222")
	var se *scanreport.SubjectError
	if errors.As(err, &se) {
		fmt.Println(se.Got)
	}
	// Output:
	// [sha256:1111111111111111111111111111111111111111111111111111111111111111]
}
