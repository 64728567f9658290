package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/dhi/policy"
	"github.com/dhisdk/dhisdk/internal/cli"
	"github.com/dhisdk/dhisdk/internal/registrytest"
)

func TestPolicySample(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	err := run(context.Background(), nil, &out, &errOut)
	if cli.ExitCode(err) != 1 {
		t.Fatalf("run() error = %v (exit %d), want exit 1: the sample fails three policies\n%s", err, cli.ExitCode(err), errOut.String())
	}
	got := out.String()
	for _, want := range []string{
		"PLATFORM linux/amd64 sha256:",
		"PLATFORM linux/arm64 sha256:",
		"fail    sample-non-root-user            dhi/python runs as root (user: , image: dhi/python)",
		"fail    sample-no-shell                 apt is installed and com.docker.dhi.package-manager is not set (package: apt, purl: pkg:deb/debian/apt@2.6.1?arch=amd64&distro=debian-12)",
		"fail    sample-fixable-vulnerabilities  CVE-2025-9230 in pkg:deb/debian/libssl-dev@3.0.19-1~deb12u2",
		"pass    sample-signed-attestations",
		"pass    sample-stig-score",
		"pass    sample-no-malware",
		"8 attestations read; policy set sha256:",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if !strings.Contains(err.Error(), "6 policy results failed") {
		t.Errorf("error = %v, want 6 failed results (3 policies on 2 platforms)", err)
	}
}

func TestPolicyJSONAndConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.json")
	writeFile(t, cfg, `{"policies": [
		{"name": "sample-no-shell", "config": {"shells": [], "package_managers": []}},
		{"name": "sample-fixable-vulnerabilities", "enabled": false},
		{"name": "no-such-policy", "config": {}}
	]}`)
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"-json", "-policy-config", cfg}, &out, &errOut)
	if cli.ExitCode(err) != 1 {
		t.Fatalf("run() error = %v, want exit 1\n%s", err, errOut.String())
	}
	var evs []policy.Evaluation
	if err := json.Unmarshal(out.Bytes(), &evs); err != nil {
		t.Fatalf("decoding the JSON output: %v\n%s", err, out.String())
	}
	if len(evs) != 2 {
		t.Fatalf("%d evaluations, want one per platform", len(evs))
	}
	status := map[string]policy.Status{}
	for _, r := range evs[0].Results {
		status[r.Policy] = r.Status
	}
	want := map[string]policy.Status{
		"sample-no-shell": policy.StatusPass, "sample-fixable-vulnerabilities": policy.StatusSkipped,
		"sample-non-root-user": policy.StatusFail, "no-such-policy": policy.StatusError,
	}
	for name, s := range want {
		if status[name] != s {
			t.Errorf("%s: status %q, want %q", name, status[name], s)
		}
	}
}

func TestPolicyFlags(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"help", []string{"-h"}, 0},
		{"unknown flag", []string{"-nope"}, 2},
		{"two references", []string{"a", "b"}, 2},
		{"no policy in the directory", []string{"-policies", dir}, 2},
		{"missing configuration file", []string{"-policy-config", filepath.Join(dir, "none.json")}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			if got := cli.ExitCode(run(context.Background(), tc.args, &out, &errOut)); got != tc.code {
				t.Errorf("exit %d, want %d\n%s", got, tc.code, errOut.String())
			}
		})
	}
}

// -attest-key signs each platform's result and attaches it, where dhi.Open
// finds it.
func TestPolicyAttest(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	docs, err := dhitest.SampleDocs()
	if err != nil {
		t.Fatal(err)
	}
	priv, pub, err := dhitest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	pushed, err := dhitest.Push(context.Background(), reg.Host+"/dhi/python:3.13", "", dhitest.Spec{Docs: docs, Signer: priv, Labels: dhitest.SampleLabels()})
	if err != nil {
		t.Fatal(err)
	}
	vsaPriv, vsaPub, err := dhitest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(vsaPriv)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pubFile, keyFile, cfg := filepath.Join(dir, "sample.pub"), filepath.Join(dir, "vsa.pem"), filepath.Join(dir, "config.json")
	writeFile(t, pubFile, string(pub))
	writeFile(t, keyFile, string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})))
	writeFile(t, cfg, `{"policies": [{"name": "sample-signed-attestations", "config": {"key_ref": "`+pubFile+`"}}]}`)

	var out, errOut bytes.Buffer
	err = run(context.Background(), []string{"-key", pubFile, "-policy-config", cfg, "-attest-key", keyFile, "-verifier-id", "https://ci.example.test", pushed.Ref}, &out, &errOut)
	if !errors.Is(err, cli.ErrPolicy) {
		t.Fatalf("run() error = %v, want cli.ErrPolicy\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "pass    sample-signed-attestations") {
		t.Errorf("the signed-attestations policy did not pass with -key:\n%s", out.String())
	}
	if n := strings.Count(errOut.String(), "FAILED attached to "); n != 2 {
		t.Errorf("%d VSAs attached, want 2:\n%s", n, errOut.String())
	}
	sampleKey, err := attest.ParseKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	vsaKey, err := attest.ParseKey(vsaPub)
	if err != nil {
		t.Fatal(err)
	}
	img, err := dhi.Open(context.Background(), pushed.Ref, dhi.WithKeyring(mustKeyring(t, sampleKey, vsaKey)))
	if err != nil {
		t.Fatal(err)
	}
	var found int
	for _, p := range img.Platforms {
		for _, a := range p.Used(dhi.KindVSA) {
			if strings.Contains(string(a.Statement().Predicate), "https://ci.example.test") {
				found++
			}
		}
	}
	if found != 2 {
		t.Errorf("%d verified VSAs from the example found, want one per platform", found)
	}
}

func mustKeyring(t *testing.T, keys ...*attest.Key) *attest.Keyring {
	t.Helper()
	kr, err := attest.NewKeyring(keys...)
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
