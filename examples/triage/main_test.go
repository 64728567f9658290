package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/internal/registrytest"
	"github.com/dhisdk/dhisdk/vex"
)

// advisory is an OpenVEX document in the form of the DHI advisories feed: it
// says that CVE-2025-27587, which the sample's own VEX document does not
// cover for libssl3, does not affect libssl3.
const advisory = `{
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://example.com/vex/libssl3-CVE-2025-27587",
  "author": "Example Security Team",
  "timestamp": "2025-11-20T09:00:00Z",
  "version": 1,
  "statements": [
    {
      "vulnerability": {"name": "CVE-2025-27587"},
      "products": [{"@id": "pkg:deb/debian/libssl3"}],
      "status": "not_affected",
      "justification": "vulnerable_code_not_in_execute_path",
      "impact_statement": "The timing side channel is in P-384 code that this build does not use."
    }
  ]
}
`

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAdvisoryIsWellFormed(t *testing.T) {
	t.Parallel()
	doc, err := vex.Parse([]byte(advisory), vex.WithStrict())
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Statements) != 1 || len(doc.Problems) != 0 {
		t.Errorf("advisory: %d statements, problems %v", len(doc.Statements), doc.Problems)
	}
}

func TestTriageSample(t *testing.T) {
	t.Parallel()
	path := writeFile(t, "libssl3.vex.json", advisory)
	cve9230 := "HIGH CVE-2025-9230 pkg:deb/debian/libssl-dev@3.0.19-1~deb12u2?os_distro=bookworm&os_name=debian&os_version=12 under_investigation decided by attestation sha256:"
	cve27587 := "MEDIUM CVE-2025-27587 pkg:deb/debian/libssl3@3.0.19-1~deb12u2?os_distro=bookworm&os_name=debian&os_version=12 no VEX statement linux/amd64:"
	tests := []struct {
		name      string
		args      []string
		want      []string
		wantNot   []string
		summaries []string
	}{
		{
			name: "image VEX only",
			want: []string{cve9230, cve27587},
			summaries: []string{
				"linux/amd64: 2 exploitable, 3 settled by VEX, 5 found",
				"linux/arm64: 2 exploitable, 3 settled by VEX, 5 found",
			},
		},
		{
			name:    "with an advisory file",
			args:    []string{path},
			want:    []string{"Advisory " + path + ": 1 VEX statement(s)", cve9230},
			wantNot: []string{"CVE-2025-27587"},
			summaries: []string{
				"linux/amd64: 1 exploitable, 4 settled by VEX (1 by the advisories), 5 found",
				"linux/arm64: 1 exploitable, 4 settled by VEX (1 by the advisories), 5 found",
			},
		},
		{
			name:    "with -advisory",
			args:    []string{"-advisory", path},
			wantNot: []string{"CVE-2025-27587"},
			summaries: []string{
				"linux/amd64: 1 exploitable, 4 settled by VEX (1 by the advisories), 5 found",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			if err := run(context.Background(), tc.args, &out, &errOut); err != nil {
				t.Fatalf("run(%q) error = %v\n%s", tc.args, err, errOut.String())
			}
			// Columns are aligned with spaces: compare words.
			got := strings.Join(strings.Fields(out.String()), " ")
			for _, w := range append(tc.want, tc.summaries...) {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(got, w) {
					t.Errorf("output has %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestTriageErrors(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	plain, err := dhitest.Push(context.Background(), reg.Host+"/plain/app:1", "", dhitest.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	truncated := writeFile(t, "truncated.vex.json", advisory[:200])
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"bad reference", []string{"Not A Reference"}, "could not parse reference"},
		{"missing image", []string{reg.Host + "/none/such:1"}, "not found"},
		{"image without attestations", []string{plain.Ref}, "linux/amd64: no verified vulnerability scan attestation: nothing to triage"},
		{"missing advisory file", []string{plain.Ref, "no-such.vex.json"}, "advisory: open no-such.vex.json"},
		{"malformed advisory file", []string{"-advisory", truncated, plain.Ref}, truncated},
		{"missing key file", []string{"-key", "no-such.pub", plain.Ref}, "-key: attest: reading key file: open no-such.pub"},
		{"two references", []string{"a", "b"}, "give at most one reference"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			err := run(context.Background(), tc.args, &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("run(%q) error = %v, want one containing %q", tc.args, err, tc.wantErr)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans several lines: %q", err)
			}
		})
	}
}

// sampleDigests returns the index digest and the platform digests of the
// built-in sample image, which run serves with the same content.
func sampleDigests(t *testing.T) (index string, platforms []string) {
	t.Helper()
	s, err := dhitest.ServeSample(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	img, err := dhi.Open(context.Background(), s.Ref, dhi.WithKeys(s.Key))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range img.Platforms {
		platforms = append(platforms, p.Descriptor.Digest.String())
	}
	return img.Root.Digest.String(), platforms
}

// trivyReport is a Trivy JSON report on the image with repo digest
// dhi.io/python@digest: a finding the sample's VEX settles (libc6), one
// it settles only through the source package (login, built from shadow),
// and one no statement covers, whose fixed version is below the installed
// one.
func trivyReport(digest string) string {
	return `{
  "SchemaVersion": 2,
  "ArtifactName": "dhi.io/python:3.13",
  "ArtifactType": "container_image",
  "Metadata": {"RepoTags": ["dhi.io/python:3.13"], "RepoDigests": ["dhi.io/python@` + digest + `"]},
  "Results": [{
    "Target": "dhi.io/python:3.13 (debian 12.11)",
    "Class": "os-pkgs",
    "Type": "debian",
    "Vulnerabilities": [
      {"VulnerabilityID": "CVE-2019-9192", "PkgName": "libc6", "InstalledVersion": "2.36-9+deb12u14", "Severity": "LOW",
       "PkgIdentifier": {"PURL": "pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12.11"}},
      {"VulnerabilityID": "CVE-2007-5686", "PkgName": "login", "InstalledVersion": "1:4.13+dfsg1-1+deb12u1", "Severity": "LOW",
       "PkgIdentifier": {"PURL": "pkg:deb/debian/login@4.13%2Bdfsg1-1%2Bdeb12u1?arch=amd64&distro=debian-12.11&epoch=1"}},
      {"VulnerabilityID": "CVE-2025-27587", "PkgName": "libssl3", "InstalledVersion": "3.0.19-1~deb12u2", "FixedVersion": "3.0.17-1~deb12u1", "Severity": "MEDIUM",
       "PkgIdentifier": {"PURL": "pkg:deb/debian/libssl3@3.0.19-1~deb12u2?arch=amd64&distro=debian-12.11"}}
    ]
  }]
}
`
}

// grypeReport is a Grype JSON report on the platform manifest digest, with
// the same libc6 finding.
func grypeReport(manifest string) string {
	return `{
  "matches": [{
    "vulnerability": {"id": "CVE-2019-9192", "namespace": "debian:distro:debian:12", "severity": "Low", "fix": {"versions": [], "state": "not-fixed"}},
    "relatedVulnerabilities": [],
    "artifact": {"name": "libc6", "version": "2.36-9+deb12u14", "type": "deb",
      "purl": "pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12&upstream=glibc", "upstreams": [{"name": "glibc"}]}
  }],
  "source": {"type": "image", "target": {"userInput": "dhi.io/python:3.13", "manifestDigest": "` + manifest + `", "repoDigests": []}},
  "descriptor": {"name": "grype", "version": "0.104.0"}
}
`
}

func TestTriageReport(t *testing.T) {
	t.Parallel()
	index, platforms := sampleDigests(t)
	dir := t.TempDir()
	trivy := writeFile(t, "trivy.json", trivyReport(index))
	grype := writeFile(t, "grype.json", grypeReport(platforms[1]))
	other := writeFile(t, "other.json", trivyReport("sha256:1111111111111111111111111111111111111111111111111111111111111111"))
	out, vexOut := filepath.Join(dir, "triaged.json"), filepath.Join(dir, "scanner.vex.json")

	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"-report", trivy, "-platform", "linux/amd64", "-o", out, "-vex-out", vexOut}, &stdout, &stderr); err != nil {
		t.Fatalf("run error = %v\n%s", err, stderr.String())
	}
	got := strings.Join(strings.Fields(stdout.String()), " ")
	for _, w := range []string{
		"Report " + trivy + ": trivy-json by trivy on \"dhi.io/python:3.13\", 3 finding(s)",
		"== linux/amd64",
		"LOW CVE-2019-9192 pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12.11 not_affected decided by https://openvex.dev/docs/public/vex-",
		"LOW CVE-2007-5686 pkg:deb/debian/login@4.13%2Bdfsg1-1%2Bdeb12u1?arch=amd64&distro=debian-12.11&epoch=1 not_affected",
		"MEDIUM CVE-2025-27587 pkg:deb/debian/libssl3@3.0.19-1~deb12u2?arch=amd64&distro=debian-12.11 no VEX statement INCONSISTENT: installed 3.0.19-1~deb12u2 is not below the scanner's fix 3.0.17-1~deb12u1",
		"linux/amd64: 3 finding(s), 2 suppressed by VEX, 1 inconsistent, 1 to look at",
		"Wrote " + out + ": the trivy-json report with 2 finding(s) suppressed",
		"Wrote " + vexOut + ":",
		"trivy image --vex " + vexOut + " ",
		" --vex " + vexOut,
	} {
		if !strings.Contains(got, w) {
			t.Errorf("output lacks %q:\n%s", w, stdout.String())
		}
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("ExperimentalModifiedFindings")) {
		t.Errorf("%s has no ExperimentalModifiedFindings:\n%s", out, b)
	}
	vb, err := os.ReadFile(vexOut)
	if err != nil {
		t.Fatal(err)
	}
	if doc, err := vex.Parse(vb, vex.WithStrict()); err != nil || len(doc.Statements) == 0 {
		t.Errorf("%s: %v", vexOut, err)
	}

	// A Grype report on the arm64 manifest is triaged against arm64.
	stdout.Reset()
	if err := run(context.Background(), []string{"-report", grype}, &stdout, &stderr); err != nil {
		t.Fatalf("run error = %v", err)
	}
	if !strings.Contains(stdout.String(), "== linux/arm64") || !strings.Contains(stdout.String(), "1 suppressed by VEX") {
		t.Errorf("Grype report on arm64:\n%s", stdout.String())
	}

	// A report on another image is refused.
	err = run(context.Background(), []string{"-report", other}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "another image") || !strings.Contains(err.Error(), "sha256:1111") {
		t.Errorf("report on another image: error = %v", err)
	}
}

func TestTriageReportErrors(t *testing.T) {
	t.Parallel()
	bad := writeFile(t, "bad.json", `{"matches": [`)
	for _, tc := range []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"missing report", []string{"-report", "no-such.json"}, "-report: open no-such.json"},
		{"truncated report", []string{"-report", bad}, "-report " + bad},
		{"-o without -report", []string{"-o", "x.json"}, "-o needs -report"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			err := run(context.Background(), tc.args, &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("run(%q) error = %v, want one containing %q", tc.args, err, tc.wantErr)
			}
		})
	}
}

func TestTriageCSAFAdvisory(t *testing.T) {
	t.Parallel()
	path := filepath.Join("..", "..", "vex", "csaf", "testdata", "csaf-2.0-vex-openssl.json")
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"-advisory", path}, &stdout, &stderr); err != nil {
		t.Fatalf("run error = %v", err)
	}
	if !strings.Contains(stdout.String(), "Advisory "+path+": ") {
		t.Errorf("output does not list the CSAF advisory:\n%s", stdout.String())
	}
}

func TestTriageJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"-json", "-platform", "linux/arm64"}, &out, &errOut); err != nil {
		t.Fatalf("run() error = %v\n%s", err, errOut.String())
	}
	var v struct {
		Platforms []struct {
			Platform    string `json:"platform"`
			Exploitable []struct {
				ID string `json:"id"`
			} `json:"exploitable"`
		} `json:"platforms"`
	}
	if err := json.Unmarshal(out.Bytes(), &v); err != nil {
		t.Fatalf("-json output: %v\n%s", err, out.String())
	}
	if len(v.Platforms) != 1 || v.Platforms[0].Platform != "linux/arm64" || len(v.Platforms[0].Exploitable) != 2 {
		t.Errorf("-json output = %+v, want linux/arm64 with 2 exploitable", v)
	}
}
