package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dhisdk/dhisdk/dhi/dhitest"
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
		{"image without attestations", []string{plain.Ref}, "", "0 found, 0 verified"},
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
				t.Errorf("run(%v) error = %v, want one containing %q", tc.args, err, tc.wantErr)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans several lines: %q", err)
			}
		})
	}
}
