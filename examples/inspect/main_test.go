package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/internal/cli"
	"github.com/dhisdk/dhisdk/internal/registrytest"
)

func TestInspectSample(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), nil, &out, &errOut); err != nil {
		t.Fatalf("run() error = %v\n%s", err, errOut.String())
	}
	got := out.String()
	for _, want := range []string{
		"Platforms  linux/amd64, linux/arm64",
		"15 found, 15 verified",
		"ok https://openvex.dev/ns/v0.2.0",
		"Packages", "705 (from",
		"5 found (2 high, 1 medium, 2 low)",
		"3 not_affected, 1 under_investigation, 1 no VEX statement",
		"CVE-2025-9230",
		"supported until 2029-10-31",
		"OpenSSL FIPS Provider 3.1.2",
		"xccdf_org.ssgproject.content_profile_stig: 100.0%",
		"tests 12 passed, 0 failed",
		"referrers-api found 15",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

func TestInspectJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"-json", "-platform", "linux/arm64"}, &out, &errOut); err != nil {
		t.Fatalf("run() error = %v\n%s", err, errOut.String())
	}
	var r struct {
		Platforms []struct {
			Platform     string `json:"platform"`
			Attestations []struct {
				Verified bool `json:"verified"`
			} `json:"attestations"`
			Packages struct {
				Count int `json:"count"`
			} `json:"packages"`
			Vulnerabilities struct {
				Exploitable int `json:"exploitable"`
			} `json:"vulnerabilities"`
		} `json:"platforms"`
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("-json output does not decode: %v", err)
	}
	if len(r.Platforms) != 1 || r.Platforms[0].Platform != "linux/arm64" || len(r.Platforms[0].Attestations) != 15 ||
		r.Platforms[0].Packages.Count != 705 || r.Platforms[0].Vulnerabilities.Exploitable != 2 {
		t.Errorf("-json model = %+v", r)
	}
}

func TestInspectErrors(t *testing.T) {
	reg := registrytest.New(t)
	plain, err := dhitest.Push(context.Background(), reg.Host+"/plain/app:1", "", dhitest.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		wantErr string
		wantOut string
	}{
		{"bad reference", []string{"Not A Reference"}, "could not parse reference", ""},
		{"missing image", []string{reg.Host + "/none/such:1"}, "not found", ""},
		{"bad platform", []string{"-platform", "linux/", reg.Host + "/none/such:1"}, "-platform", ""},
		{"missing key file", []string{"-key", "no-such.pub"}, "-key", ""},
		{"two references", []string{"a", "b"}, "at most one reference", ""},
		{"image without attestations", []string{plain.Ref}, "policy not met: no attestation verified for linux/amd64, linux/arm64", "0 found, 0 verified"},
		{"a platform the image lacks", []string{"-platform", "windows/amd64", plain.Ref}, "has no platform windows/amd64 (it has: linux/amd64, linux/arm64)", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), tc.args, &out, &errOut)
			if tc.wantErr == "" {
				if err != nil || !strings.Contains(out.String(), tc.wantOut) {
					t.Errorf("run(%v) = %v, output:\n%s", tc.args, err, out.String())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("run(%v) error = %v, want one containing %q", tc.args, err, tc.wantErr)
			}
			if !strings.Contains(out.String(), tc.wantOut) {
				t.Errorf("run(%v) output lacks %q:\n%s", tc.args, tc.wantOut, out.String())
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans several lines: %q", err)
			}
		})
	}
}

// -h prints the usage, with the exit codes, and is not an error.
func TestInspectHelp(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-h"}, &out, &errOut)
	if cli.ExitCode(err) != cli.ExitPass || !strings.Contains(errOut.String(), cli.ExitCodes) {
		t.Errorf("run(-h) = %v (exit %d), usage:\n%s", err, cli.ExitCode(err), errOut.String())
	}
}

// TestInspectExportedLayout inspects an image in a registry, exports it,
// and inspects the export offline: the result is the same.
func TestInspectExportedLayout(t *testing.T) {
	reg := registrytest.New(t)
	docs, err := dhitest.SampleDocs()
	if err != nil {
		t.Fatal(err)
	}
	priv, pub, err := dhitest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "key.pub")
	if err := os.WriteFile(keyFile, pub, 0o600); err != nil {
		t.Fatal(err)
	}
	pushed, err := dhitest.Push(context.Background(), reg.Host+"/dhi/python:3.13", "", dhitest.Spec{Docs: docs, Signer: priv, Labels: dhitest.SampleLabels()})
	if err != nil {
		t.Fatal(err)
	}
	body := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := run(context.Background(), args, &out, &errOut); err != nil {
			t.Fatalf("run(%v) error = %v\n%s", args, err, errOut.String())
		}
		s := out.String()
		s = s[strings.Index(s, "\n== "):]
		// Read from the layout, signatures are found elsewhere than the
		// repository their docker-reference names: a note, not a failure.
		var keep []string
		for _, l := range strings.Split(s, "\n") {
			if !strings.Contains(l, "docker-reference") {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}
	online := body("-key", keyFile, pushed.Ref)

	key, err := attest.ParseKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	img, err := dhi.Open(context.Background(), pushed.Ref, dhi.WithKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "layout")
	if err := img.Export(context.Background(), dir, "3.13"); err != nil {
		t.Fatal(err)
	}
	offline := body("-layout", dir, "-key", keyFile, "3.13")
	if online != offline {
		t.Errorf("inspecting the export differs:\n--- registry\n%s\n--- layout\n%s", online, offline)
	}
}
