package main

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/internal/cli"
	"github.com/dhisdk/dhisdk/internal/registrytest"
)

const (
	sampleBuilder = "https://github.com/docker/github-builder-test/actions/runs/18937328894/attempts/1"
	sampleSource  = "github.com/docker/github-builder-test"
	cve9230       = "CVE-2025-9230 HIGH pkg:deb/debian/libssl-dev@3.0.19-1~deb12u2?os_distro=bookworm&os_name=debian&os_version=12 under_investigation"
)

// lines returns the lines of out that start with verdict.
func lines(out, verdict string) []string {
	var ls []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, verdict+" ") {
			ls = append(ls, l)
		}
	}
	return ls
}

func TestVerifySample(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     []string
		wantFail []string // every FAIL line, in order
		want     []string // other lines the output must have
	}{
		{
			name:     "default policy fails on CVE-2025-9230",
			wantFail: []string{"FAIL linux/amd64 " + cve9230, "FAIL linux/arm64 " + cve9230},
			want: []string{
				"PASS linux/amd64 sbom: 2 verified attestations",
				"PASS linux/amd64 vex: 1 verified attestation",
				"PASS linux/amd64 provenance: 2 verified attestations",
				"SKIP linux/amd64 builder-id: not checked (no -builder given)",
				"SKIP linux/amd64 source-repository: not checked (no -source given)",
				"PASS linux/amd64 end-of-life: supported until 2029-10-31",
			},
		},
		{
			name: "passes at critical with the right builder and source",
			args: []string{"-severity", "critical", "-builder", sampleBuilder, "-source", sampleSource},
			want: []string{
				"PASS linux/arm64 builder-id: " + sampleBuilder,
				"PASS linux/arm64 source-repository: https://github.com/docker/github-builder-test",
				"PASS linux/arm64 vulnerabilities: none exploitable at critical or above (2 exploitable below)",
			},
		},
		{
			name: "another builder and a kind the image lacks",
			args: []string{"-severity", "CRITICAL", "-builder", "https://github.com/other/builder", "-require", "sbom, health-score"},
			wantFail: []string{
				"FAIL linux/amd64 health-score: no verified attestation",
				`FAIL linux/amd64 builder-id: got "` + sampleBuilder + `", want "https://github.com/other/builder"`,
				"FAIL linux/arm64 health-score: no verified attestation",
				`FAIL linux/arm64 builder-id: got "` + sampleBuilder + `", want "https://github.com/other/builder"`,
			},
			want: []string{"PASS linux/amd64 sbom: 2 verified attestations"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			err := run(context.Background(), tc.args, &out, &errOut)
			got := out.String()
			if len(tc.wantFail) == 0 {
				if err != nil {
					t.Fatalf("run(%q) = %v, want a pass\n%s", tc.args, err, got)
				}
			} else if !errors.Is(err, cli.ErrPolicy) || cli.ExitCode(err) != 1 {
				t.Fatalf("run(%q) = %v (exit %d), want the policy to fail with exit status 1\n%s", tc.args, err, cli.ExitCode(err), got)
			}
			if !strings.HasPrefix(got, "IMAGE 127.0.0.1:") {
				t.Errorf("output does not start with the image:\n%s", got)
			}
			if fails := lines(got, "FAIL"); strings.Join(fails, "\n") != strings.Join(tc.wantFail, "\n") {
				t.Errorf("FAIL lines:\n%s\nwant:\n%s", strings.Join(fails, "\n"), strings.Join(tc.wantFail, "\n"))
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w+"\n") {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestVerifyErrors(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	ctx := context.Background()
	key, _, err := dhitest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	plain, err := dhitest.Push(ctx, reg.Host+"/plain/app:1", "", dhitest.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	// Attestations signed by a key that is not trusted.
	vex := []byte(`{"@context":"https://openvex.dev/ns/v0.2.0","@id":"x","author":"a","timestamp":"2025-01-01T00:00:00Z","version":1,"statements":[]}`)
	untrusted, err := dhitest.Push(ctx, reg.Host+"/untrusted/app:1", "", dhitest.Spec{Signer: key,
		Docs: []dhitest.Doc{{PredicateType: "https://openvex.dev/ns/v0.2.0", Predicate: vex}}})
	if err != nil {
		t.Fatal(err)
	}
	old := maps.Clone(dhitest.SampleLabels())
	old[dhi.LabelDateEndOfLife] = "2020-01-01"
	eol, err := dhitest.Push(ctx, reg.Host+"/eol/python:3.9", "", dhitest.Spec{Labels: old})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		wantErr string // in the error, for exit status 2
		want    []string
	}{
		{name: "bad reference", args: []string{"Not A Reference"}, wantErr: "could not parse reference"},
		{name: "missing image", args: []string{reg.Host + "/none/such:1"}, wantErr: "not found"},
		{name: "missing key file", args: []string{"-key", "no-such.pub", plain.Ref}, wantErr: "-key: attest: reading key file: open no-such.pub"},
		{name: "bad severity", args: []string{"-severity", "severe", plain.Ref}, wantErr: `-severity "severe"`},
		{name: "bad kind", args: []string{"-require", "sbom,sboms", plain.Ref}, wantErr: `-require: unknown kind "sboms"`},
		{name: "two references", args: []string{"a", "b"}, wantErr: "at most one reference"},
		{name: "image without attestations", args: []string{plain.Ref}, want: []string{
			"FAIL linux/amd64 sbom: no verified attestation",
			"FAIL linux/amd64 vex: no verified attestation",
			"FAIL linux/amd64 provenance: no verified attestation",
			"SKIP linux/amd64 end-of-life: not stated in the image's labels",
			"FAIL linux/amd64 vulnerabilities: no verified attestation",
		}},
		{name: "untrusted signature", args: []string{"-require", "vex", untrusted.Ref}, want: []string{
			"FAIL linux/arm64 vex: no verified attestation (1 found; ",
		}},
		{name: "past end of life", args: []string{"-require", "", eol.Ref}, want: []string{
			"FAIL linux/amd64 end-of-life: past since 2020-01-01",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			err := run(ctx, tc.args, &out, &errOut)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || cli.ExitCode(err) != 2 {
					t.Fatalf("run(%q) error = %v (exit %d), want one containing %q with exit status 2", tc.args, err, cli.ExitCode(err), tc.wantErr)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error spans several lines: %q", err)
				}
				return
			}
			if cli.ExitCode(err) != 1 {
				t.Fatalf("run(%q) = %v, want the policy to fail\n%s", tc.args, err, out.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}
