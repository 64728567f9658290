package dhi_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/scanreport"
	"github.com/dhisdk/dhisdk/vex"
)

// writers are the scanner formats the tests write, by name.
var writers = []struct {
	name   string
	format scanreport.Format
	write  func(testing.TB, subject, []scanFinding, map[string]scanPackage) []byte
}{
	{"trivy", scanreport.FormatTrivy, trivyJSON},
	{"grype", scanreport.FormatGrype, grypeJSON},
	{"sarif", scanreport.FormatSARIF, trivySARIF},
	{"cyclonedx", scanreport.FormatCycloneDX, trivyCycloneDX},
}

// sampleReport writes the sample findings for platform p in one format.
func sampleReport(t testing.TB, img *dhi.Image, p *dhi.Platform, write func(testing.TB, subject, []scanFinding, map[string]scanPackage) []byte, s subject) *scanreport.Report {
	t.Helper()
	pkgs := map[string]scanPackage{}
	fs := make([]scanFinding, len(sampleFindings))
	for i, f := range sampleFindings {
		fs[i] = f.scanFinding
		if _, ok := pkgs[f.pkg]; !ok {
			pkgs[f.pkg] = samplePackage(t, p, f.pkg)
		}
	}
	r, err := scanreport.Parse(write(t, s, fs, pkgs))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestTriageSuppressesWhatTheVEXCovers(t *testing.T) {
	img := triageSample(t)
	p := img.Platforms[0]
	for _, w := range writers {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			r := sampleReport(t, img, p, w.write, sampleSubject(img, p))
			if r.Format != w.format || len(r.Findings) != len(sampleFindings) {
				t.Fatalf("report: format %s, %d findings; want %s, %d", r.Format, len(r.Findings), w.format, len(sampleFindings))
			}
			tr, err := p.Triage(r)
			if err != nil {
				t.Fatal(err)
			}
			for i, f := range tr.Findings {
				want := sampleFindings[i]
				if f.Finding.ID != want.id {
					t.Fatalf("finding %d is %s, want %s", i, f.Finding.ID, want.id)
				}
				if f.Suppressed() != want.suppressed {
					t.Errorf("%s in %s (%s): suppressed = %v, want %v (decision %+v)", want.id, want.pkg, f.PURL, f.Suppressed(), want.suppressed, f.Decision)
				}
				if want.suppressed && (f.Match == nil || f.Decision.Statement == "" || !strings.Contains(f.Decision.Source, "reading")) {
					t.Errorf("%s: decision does not name its statement and reading: %+v", want.id, f.Decision)
				}
				if want.viaSource && f.Match != nil && f.Match.Via == f.PURL {
					t.Errorf("%s in %s: decided by %s through the package itself, want through its source", want.id, want.pkg, f.Match.Product)
				}
				wantInconsistent := want.id == "CVE-2025-27587"
				if f.Inconsistent != wantInconsistent || f.Decision.Inconsistent != wantInconsistent {
					t.Errorf("%s: inconsistent = %v (decision %v), want %v (%v)", want.id, f.Inconsistent, f.Decision.Inconsistent, wantInconsistent, f.VersionErr)
				}
			}
			wantSuppressed := 0
			for _, f := range sampleFindings {
				if f.suppressed {
					wantSuppressed++
				}
			}
			if got := tr.Suppressed(); got != wantSuppressed {
				t.Errorf("Suppressed() = %d, want %d", got, wantSuppressed)
			}
			// The report comes back in its own format, with the suppressions
			// recorded the way the format records them.
			back, err := scanreport.Parse(tr.Encoded)
			if err != nil {
				t.Fatal(err)
			}
			if back.Format != r.Format {
				t.Errorf("written back as %s, want %s", back.Format, r.Format)
			}
			if len(back.Suppressed) != wantSuppressed {
				t.Errorf("written back with %d suppressed findings, want %d", len(back.Suppressed), wantSuppressed)
			}
		})
	}
}

func TestTriageSourceMappingIsNeeded(t *testing.T) {
	img := triageSample(t)
	p := img.Platforms[0]
	r := sampleReport(t, img, p, trivyJSON, sampleSubject(img, p))
	tr, err := p.Triage(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range tr.Findings {
		if f.Finding.Package != "login" {
			continue
		}
		if strings.Contains(f.PURL, "upstream=") {
			t.Fatalf("Trivy's purl %s names its source; the test needs one that does not", f.PURL)
		}
		if f.Match == nil || !strings.Contains(f.Match.Product+f.Match.Subcomponent, "shadow") {
			t.Fatalf("login: match %+v, want the statement on its source package shadow", f.Match)
		}
		return
	}
	t.Fatal("no finding on login")
}

func TestTriageRefusesAnotherImage(t *testing.T) {
	img := triageSample(t)
	p := img.Platforms[0]
	other := subject{ref: "dhi.io/node:24", repo: "dhi.io/node",
		index:    "sha256:1111111111111111111111111111111111111111111111111111111111111111",
		manifest: "sha256:2222222222222222222222222222222222222222222222222222222222222222"}
	for _, w := range writers {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			r := sampleReport(t, img, p, w.write, other)
			for name, triage := range map[string]func() (*dhi.Triage, error){
				"Platform.Triage": func() (*dhi.Triage, error) { return p.Triage(r, dhi.WithReportWithoutDigestUnsafe()) },
				"Image.Triage":    func() (*dhi.Triage, error) { return img.Triage(r) },
			} {
				tr, err := triage()
				if err == nil {
					t.Fatalf("%s: a report on %s was triaged: %d findings", name, other.ref, len(tr.Findings))
				}
				var se *scanreport.SubjectError
				if !errors.Is(err, dhi.ErrTriage) || !errors.Is(err, scanreport.ErrSubjectMismatch) || !errors.As(err, &se) {
					t.Fatalf("%s: error %v, want ErrTriage with a *scanreport.SubjectError wrapping ErrSubjectMismatch", name, err)
				}
				for _, s := range []string{"dhi.io/node:24", other.index, img.Root.Digest.String()} {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("%s: error %q does not name %s", name, err, s)
					}
				}
			}
		})
	}
}

func TestTriageReportWithoutDigest(t *testing.T) {
	img := triageSample(t)
	p := img.Platforms[0]
	r := sampleReport(t, img, p, trivyJSON, subject{ref: "python.tar"})
	// The writer gives a repo digest "@"; a report of a tar file has none.
	r.Artifact.Digests, r.Artifact.ImageID = nil, ""
	if _, err := p.Triage(r); !errors.Is(err, scanreport.ErrSubjectUnknown) || !errors.Is(err, dhi.ErrTriage) {
		t.Fatalf("Triage without the option: error %v, want ErrTriage and ErrSubjectUnknown", err)
	}
	tr, err := p.Triage(r, dhi.WithReportWithoutDigestUnsafe())
	if err != nil {
		t.Fatal(err)
	}
	if !tr.Unbound || tr.Suppressed() == 0 {
		t.Errorf("Unbound = %v, %d suppressed; want true and some", tr.Unbound, tr.Suppressed())
	}
	if _, err := img.Triage(r, dhi.WithReportWithoutDigestUnsafe()); !errors.Is(err, dhi.ErrTriage) {
		t.Errorf("Image.Triage of a report naming no platform of a two-platform image: error %v, want ErrTriage", err)
	}
}

func TestImageTriagePicksThePlatform(t *testing.T) {
	img := triageSample(t)
	for _, p := range img.Platforms {
		r := sampleReport(t, img, p, grypeJSON, sampleSubject(img, p))
		tr, err := img.Triage(r)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Platform != p {
			t.Errorf("report on %s triaged against %s", p, tr.Platform)
		}
	}
}

func TestTriageWithFeed(t *testing.T) {
	img := triageSample(t)
	p := img.Platforms[0]
	feed := parseVEX(t, `{
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://example.com/vex/bash",
  "author": "Example Security Team",
  "timestamp": "2026-11-20T09:00:00Z",
  "version": 1,
  "statements": [{
    "@id": "bash-1",
    "vulnerability": {"name": "CVE-2024-0001"},
    "products": [{"@id": "pkg:docker/dhi/python", "subcomponents": [{"@id": "pkg:deb/debian/bash"}]}],
    "status": "not_affected",
    "justification": "vulnerable_code_not_in_execute_path",
    "impact_statement": "bash is not run."
  }]
}`)
	r := sampleReport(t, img, p, trivyJSON, sampleSubject(img, p))
	tr, err := p.Triage(r, dhi.WithFeed(feed))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range tr.Findings {
		if f.Finding.ID != "CVE-2024-0001" {
			continue
		}
		want := scanreport.Decision{Status: scanreport.StatusNotAffected, Justification: scanreport.JustificationVulnerableCodeNotInExecutePath,
			Statement: "https://example.com/vex/bash#bash-1", Impact: "bash is not run.",
			Source: "VEX https://example.com/vex/bash (as-written reading of pkg:docker/dhi/python)"}
		if f.Decision != want {
			t.Errorf("decision\n got %+v\nwant %+v", f.Decision, want)
		}
	}
}

// parseVEX parses an OpenVEX document of the test.
func parseVEX(t testing.TB, s string) *vex.Document {
	t.Helper()
	d, err := vex.Parse([]byte(s), vex.WithStrict())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestImageTriageReportPlatform(t *testing.T) {
	img := triageSample(t)
	p := img.Platforms[1]
	// Trivy names only the index digest of a multi-platform image.
	r := sampleReport(t, img, p, trivyJSON, sampleSubject(img, p))
	if _, err := img.Triage(r); !errors.Is(err, dhi.ErrTriage) || !strings.Contains(err.Error(), "linux/amd64, linux/arm64") {
		t.Fatalf("Image.Triage without WithReportPlatform: error %v, want ErrTriage naming the platforms", err)
	}
	tr, err := img.Triage(r, dhi.WithReportPlatform("linux/arm64"))
	if err != nil {
		t.Fatal(err)
	}
	if tr.Platform != p {
		t.Errorf("triaged against %s, want %s", tr.Platform, p)
	}
	if _, err := img.Triage(r, dhi.WithReportPlatform("windows/amd64")); !errors.Is(err, dhi.ErrTriage) {
		t.Errorf("unknown platform: error %v, want ErrTriage", err)
	}
}

func TestTriageRefusesAnotherPlatform(t *testing.T) {
	img := triageSample(t)
	amd64, arm64 := img.Platforms[0], img.Platforms[1]
	// Grype names the index (repo digest) and the arm64 manifest.
	r := sampleReport(t, img, arm64, grypeJSON, sampleSubject(img, arm64))
	_, err := amd64.Triage(r)
	if !errors.Is(err, dhi.ErrTriage) || !strings.Contains(err.Error(), "linux/arm64") || !strings.Contains(err.Error(), arm64.Descriptor.Digest.String()) {
		t.Fatalf("a report on arm64 triaged against amd64: error %v, want ErrTriage naming linux/arm64 and its digest", err)
	}
	if _, err := arm64.Triage(r); err != nil {
		t.Errorf("against arm64: %v", err)
	}
}
