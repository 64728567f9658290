package scanreport_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dhisdk/dhisdk/dhi/scanreport"
	"github.com/dhisdk/dhisdk/dhi/vuln"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseGolden(t *testing.T) {
	t.Parallel()
	for _, g := range goldenReports {
		t.Run(g.file, func(t *testing.T) {
			t.Parallel()
			b := read(t, g.file)
			r := parse(t, b)
			if r.Format != g.format {
				t.Errorf("Format = %q, want %q", r.Format, g.format)
			}
			wantF, wantS := independentCounts(t, g.format, b)
			if len(r.Findings) != wantF || len(r.Suppressed) != wantS {
				t.Errorf("%d findings, %d suppressed; independent decode: %d, %d", len(r.Findings), len(r.Suppressed), wantF, wantS)
			}
			if wantF == 0 {
				t.Errorf("no findings in a golden report")
			}
			for i, f := range r.Findings {
				if f.ID == "" || f.Source != string(g.format) || !f.Severity.Valid() || f.InstalledVersion == "" || f.Package == "" {
					t.Errorf("finding %d incomplete: %+v", i, f)
				}
			}
			if r.Scanner.Name == "" {
				t.Errorf("no scanner name")
			}
		})
	}
}

func TestParseNotAReport(t *testing.T) {
	t.Parallel()
	// Listed as a Grype JSON golden file, it is a docker-save tar.
	_, err := scanreport.Parse(read(t, "grype_anchore-fixture-image-simple.tar"))
	if !errors.Is(err, scanreport.ErrUnknownFormat) {
		t.Errorf("err = %v, want ErrUnknownFormat", err)
	}
}

func TestFindingFields(t *testing.T) {
	t.Parallel()
	date := func(s string) time.Time {
		d, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		file string
		want vuln.Finding
	}{
		{"trivy_alpine-310.json", vuln.Finding{
			ID: "CVE-2019-1549", PURL: "pkg:apk/alpine/libcrypto1.1@1.1.1c-r0?arch=x86_64&distro=3.10.2",
			Package: "libcrypto1.1", InstalledVersion: "1.1.1c-r0", FixedIn: "1.1.1d-r0", FixState: "fixed",
			Severity: vuln.SeverityMedium, SeveritySource: "nvd", DataSource: "alpine", Score: 5.3,
			Target: "testdata/fixtures/images/alpine-310.tar.gz (alpine 3.10.2)", Source: "trivy-json",
			CVSS: []vuln.CVSS{
				{Source: "nvd", Version: "3.1", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", Score: 5.3},
				{Source: "nvd", Version: "2.0", Vector: "AV:N/AC:L/Au:N/C:P/I:N/A:N", Score: 5},
				{Source: "redhat", Version: "3.0", Vector: "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N", Score: 4.8},
			},
			Published: date("2019-09-10T17:15:00Z"), Modified: date("2020-10-20T22:15:00Z"),
		}},
		{"grype_TestJsonImgsPresenter.json", vuln.Finding{
			ID: "CVE-1999-0001", Package: "package-1", InstalledVersion: "1.1.1", FixedIn: "1.2.1, 2.1.3, 3.4.0",
			FixState: "fixed", Severity: vuln.SeverityLow, Score: 8.2, Target: "/foo/bar/somefile-1.txt", Source: "grype-json",
			CVSS: []vuln.CVSS{{Source: "nvd", Version: "3.1", Vector: "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:H", Score: 8.2}},
		}},
		{"trivy_alpine-310.sarif", vuln.Finding{
			ID: "CVE-2019-1549", Package: "libcrypto1.1", InstalledVersion: "1.1.1c-r0", FixedIn: "1.1.1d-r0",
			Severity: vuln.SeverityMedium, Score: 5.3, Target: "testdata/fixtures/images/alpine-310.tar.gz", Source: "sarif",
			CVSS: []vuln.CVSS{
				{Version: "3.1", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", Score: 5.3},
				{Version: "2.0", Vector: "AV:N/AC:L/Au:N/C:P/I:N/A:N", Score: 5},
			},
		}},
		{"grype_TestSarifPresenter_image.sarif", vuln.Finding{
			ID: "CVE-1999-0001", Package: "package-1", InstalledVersion: "1.1.1", FixedIn: "1.2.1, 2.1.3, 3.4.0",
			Severity: vuln.SeverityLow, Score: 8.2, Target: "user-input/somefile-1.txt", Source: "sarif",
		}},
		{"trivy_alpine-310.cdx-vdr.json", vuln.Finding{
			ID: "CVE-2019-1549", PURL: "pkg:apk/alpine/libcrypto1.1@1.1.1c-r0?arch=x86_64&distro=3.10.2",
			Package: "libcrypto1.1", InstalledVersion: "1.1.1c-r0", FixedIn: "1.1.1d-r0",
			Severity: vuln.SeverityMedium, SeveritySource: "nvd", DataSource: "alpine", Score: 5.3, Source: "cyclonedx",
			CVSS: []vuln.CVSS{
				{Source: "nvd", Version: "3.1", Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", Score: 5.3},
				{Source: "nvd", Version: "2.0", Vector: "AV:N/AC:L/Au:N/C:P/I:N/A:N", Score: 5},
				{Source: "redhat", Version: "3.0", Vector: "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N", Score: 4.8},
			},
			Published: date("2019-09-10T17:15:00Z"), Modified: date("2020-10-20T22:15:00Z"),
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			r := parse(t, read(t, tc.file))
			if d := cmp.Diff(tc.want, r.Findings[0], cmpopts.EquateEmpty()); d != "" {
				t.Errorf("first finding (-want +got):\n%s", d)
			}
		})
	}
}

func TestGrypeUpstreamsAndAliases(t *testing.T) {
	t.Parallel()
	b := []byte(`{"matches":[{"vulnerability":{"id":"GHSA-xxxx","namespace":"github:language:go","severity":"High","fix":{"versions":["1.2.3"],"state":"fixed"}},
	"relatedVulnerabilities":[{"id":"CVE-2024-1234","namespace":"nvd:cpe","cvss":[{"source":"nvd@nist.gov","version":"3.1","vector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H","metrics":{"baseScore":9.8}}]}],
	"artifact":{"name":"libc6","version":"2.36-9+deb12u4","purl":"pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12","upstreams":[{"name":"glibc"}]}}],
	"source":{"type":"image","target":{"userInput":"dhi.io/python@sha256:aaaa","manifestDigest":"sha256:aaaa"}},"descriptor":{"name":"grype","version":"0.100.0","timestamp":"2026-11-30T10:00:00Z"}}`)
	r := parse(t, b)
	f := r.Findings[0]
	got := []any{f.Aliases, f.Upstreams, f.SeveritySource, f.Score, r.Artifact.Digests, r.Scanner, r.Created.IsZero()}
	want := []any{[]string{"CVE-2024-1234"}, []vuln.Upstream{{Name: "glibc"}}, "github:language:go", 9.8,
		[]string{"sha256:aaaa"}, scanreport.Scanner{Name: "grype", Version: "0.100.0"}, false}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestParseBadInput(t *testing.T) {
	t.Parallel()
	trivy := string(read(t, "trivy_alpine-310.json"))
	tests := []struct {
		name     string
		in       string
		want     error
		line     int
		path     string
		contains string
	}{
		{"empty", "", scanreport.ErrUnknownFormat, 0, "", "unknown format"},
		{"array", "[1,2]", scanreport.ErrUnknownFormat, 0, "", "not a JSON object"},
		{"other JSON", `{"spdxVersion":"SPDX-2.3"}`, scanreport.ErrUnknownFormat, 0, "", "no known scanner format"},
		{"SARIF 1", `{"version":"1.0.0","runs":[]}`, scanreport.ErrUnknownFormat, 0, "", "SARIF version"},
		{"truncated", trivy[:len(trivy)/2], scanreport.ErrInvalid, strings.Count(trivy[:len(trivy)/2], "\n") + 1, "", "line"},
		{"wrong type", strings.Replace(trivy, `"InstalledVersion": "1.1.1c-r0"`, `"InstalledVersion": 5`, 1), scanreport.ErrInvalid, 82, "Results.Vulnerabilities.InstalledVersion", "Results.Vulnerabilities.InstalledVersion"},
		{"schema 1", `{"SchemaVersion":1,"ArtifactName":"x","Results":[]}`, scanreport.ErrInvalid, 0, "SchemaVersion", "want 2"},
		{"too large", trivy, scanreport.ErrTooLarge, 0, "", "size limit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := scanreport.Parse([]byte(tc.in), scanreport.WithMaxSize(int64(len(trivy)-1)))
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.contains) {
				t.Errorf("err = %q, want it to contain %q", err, tc.contains)
			}
			var pe *scanreport.ParseError
			if errors.As(err, &pe) {
				if pe.Line != tc.line || pe.Path != tc.path {
					t.Errorf("line %d path %q, want %d %q (%v)", pe.Line, pe.Path, tc.line, tc.path, err)
				}
			} else if tc.line != 0 || tc.path != "" {
				t.Errorf("err = %v, want a ParseError", err)
			}
		})
	}
}

func TestCheckSubject(t *testing.T) {
	t.Parallel()
	const (
		mine   = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
		theirs = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
	)
	withDigest := strings.Replace(string(read(t, "trivy_alpine-310.json")), `"RepoTags": [`,
		`"RepoDigests": ["ghcr.io/aquasecurity/trivy-test-images@`+theirs+`"], "RepoTags": [`, 1)
	tests := []struct {
		name    string
		report  []byte
		digests []string
		want    error
	}{
		{"trivy repo digest matches", []byte(withDigest), []string{theirs}, nil},
		{"trivy repo digest of another image", []byte(withDigest), []string{mine}, scanreport.ErrSubjectMismatch},
		{"trivy image id matches", read(t, "trivy_alpine-310.json"), []string{mine, "sha256:961769676411f082461f9ef46626dd7a2d1e2b2a38e6a44364bcbecf51e66dd4"}, nil},
		{"trivy image id of another image", read(t, "trivy_alpine-310.json"), []string{mine}, scanreport.ErrSubjectMismatch},
		{"trivy repository scan", read(t, "trivy_gomod-vex.json"), []string{mine}, scanreport.ErrSubjectUnknown},
		{"grype manifest digest", read(t, "grype_TestJsonImgsPresenter.json"), []string{"sha256:ca738abb87a8d58f112d3400ebb079b61ceae7dc290beb34bda735be4b1941d5"}, nil},
		{"grype another image", read(t, "grype_TestJsonImgsPresenter.json"), []string{mine}, scanreport.ErrSubjectMismatch},
		{"grype sarif names nothing", read(t, "grype_TestSarifPresenter_image.sarif"), []string{mine}, scanreport.ErrSubjectUnknown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := parse(t, tc.report).CheckSubject(tc.digests...)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var se *scanreport.SubjectError
			if err != nil && (!errors.As(err, &se) || !errors.Is(err, scanreport.ErrSubject)) {
				t.Errorf("err = %v, want a SubjectError", err)
			}
		})
	}
}

func TestInconsistent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		purl, inst, fix string
		want            bool
		wantErr         bool
	}{
		{"apk below fix", "pkg:apk/alpine/x@1.2.3-r9", "1.2.3-r9", "1.2.3-r10", false, false},
		{"apk at fix", "pkg:apk/alpine/x@1.2.3-r10", "1.2.3-r10", "1.2.3-r10", true, false},
		{"deb epoch above", "pkg:deb/debian/x@1:2.3-1", "1:2.3-1", "2.4", true, false},
		{"deb tilde below", "pkg:deb/debian/x@1.0~rc1", "1.0~rc1", "1.0", false, false},
		{"go v prefix equal", "pkg:golang/golang.org/x/text@v0.3.7", "v0.3.7", "0.3.7", true, false},
		{"go below", "pkg:golang/golang.org/x/text@v0.3.6", "v0.3.6", "0.3.7", false, false},
		{"two release lines, below one", "pkg:maven/a/b@1.4.0", "1.4.0", "1.5.13, 1.3.15", false, false},
		{"two release lines, above both", "pkg:maven/a/b@1.6.0", "1.6.0", "1.5.13, 1.3.15", true, false},
		{"pypi pre-release", "pkg:pypi/x@2.0rc1", "2.0rc1", "2.0", false, false},
		{"no fix", "pkg:npm/x@1.0.0", "1.0.0", "", false, false},
		{"no purl", "", "1.0.0", "1.0.0", false, true},
		{"unknown type", "pkg:generic/x@1.0.0", "1.0.0", "1.0.0", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := scanreport.Inconsistent(vuln.Finding{ID: "CVE-1", PURL: tc.purl, InstalledVersion: tc.inst, FixedIn: tc.fix})
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("Inconsistent = %v, %v; want %v, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}
