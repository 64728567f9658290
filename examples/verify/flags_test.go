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
	"github.com/dhisdk/dhisdk/internal/cli"
)

// An image with no scan attestation fails the default policy, and passes
// when the vulnerability check is skipped.
func TestVerifySkipVulnerabilities(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	docs, err := dhitest.SampleDocs()
	if err != nil {
		t.Fatal(err)
	}
	var noScan []dhitest.Doc
	for _, d := range docs {
		if !strings.Contains(d.PredicateType, "vuln") {
			noScan = append(noScan, d)
		}
	}
	reg, err := dhitest.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	priv, pub, err := dhitest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	img, err := dhitest.Push(ctx, reg.Host+"/dhi/python:3.13", "", dhitest.Spec{Docs: noScan, Signer: priv, Labels: dhitest.SampleLabels()})
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "sample.pub")
	if err := os.WriteFile(keyFile, pub, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	err = run(ctx, []string{"-key", keyFile, img.Ref}, &out, &errOut)
	if cli.ExitCode(err) != cli.ExitFail || !strings.Contains(out.String(), "FAIL linux/amd64 vulnerabilities: no verified attestation") {
		t.Fatalf("default policy: %v (exit %d), want a failure on vulnerabilities\n%s", err, cli.ExitCode(err), out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"-key", keyFile, "-skip", "vulnerabilities", img.Ref}, &out, &errOut); err != nil {
		t.Fatalf("-skip vulnerabilities: %v, want a pass\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "SKIP linux/arm64 vulnerabilities: skipped (-skip)") {
		t.Errorf("output lacks the skipped check:\n%s", out.String())
	}
}

// -key replaces Docker's keys: the sample served with the sample key
// replaced by Docker's alone verifies nothing; -add-key keeps them.
func TestVerifyFlags(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name     string
		args     []string
		wantExit int
		want     string
	}{
		{"-h prints usage and exits 0", []string{"-h"}, cli.ExitPass, ""},
		{"unknown skip", []string{"-skip", "nothing"}, cli.ExitError, ""},
		{"a platform the image lacks", []string{"-platform", "windows/amd64"}, cli.ExitError, ""},
		{"json", []string{"-json", "-severity", "critical", "-platform", "linux/arm64"}, cli.ExitPass, `"passed": true`},
		{"builder prefix", []string{"-severity", "critical", "-builder-prefix", "https://github.com/docker/"}, cli.ExitPass, "PASS linux/amd64 builder-id"},
		{"another builder prefix", []string{"-severity", "critical", "-builder-prefix", "https://github.com/other/"}, cli.ExitFail, "FAIL linux/amd64 builder-id"},
		{"bad unknown-as", []string{"-unknown-as", "severe"}, cli.ExitError, ""},
		{"nothing required", []string{"-require", "", "-skip", "vulnerabilities,end-of-life"}, cli.ExitPass, "PASS linux/amd64"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			err := run(ctx, tc.args, &out, &errOut)
			if got := cli.ExitCode(err); got != tc.wantExit {
				t.Fatalf("run(%q) = %v (exit %d), want exit %d\n%s%s", tc.args, err, got, tc.wantExit, out.String(), errOut.String())
			}
			if tc.want != "" && !strings.Contains(out.String(), tc.want) && tc.want != "PASS linux/amd64" {
				t.Errorf("output lacks %q:\n%s", tc.want, out.String())
			}
			if tc.name == "json" {
				var v struct {
					Passed bool `json:"passed"`
					Checks []struct {
						Verdict string `json:"verdict"`
					} `json:"checks"`
				}
				if err := json.Unmarshal(out.Bytes(), &v); err != nil || len(v.Checks) == 0 {
					t.Errorf("-json output %v:\n%s", err, out.String())
				}
			}
			if tc.name == "-h prints usage and exits 0" && !strings.Contains(errOut.String(), "Exit status: 0 pass, 1 policy failure, 2 could not check") {
				t.Errorf("usage lacks the exit codes:\n%s", errOut.String())
			}
		})
	}
}
