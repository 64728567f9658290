package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
