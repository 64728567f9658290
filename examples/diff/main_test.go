package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/internal/registrytest"
)

func TestDiffSamples(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), nil, &out, &errOut); err != nil {
		t.Fatalf("run() error = %v\n%s", err, errOut.String())
	}
	// Columns are aligned with spaces: compare words.
	got := strings.Join(strings.Fields(out.String()), " ")
	for _, want := range []string{
		"== linux/amd64 sha256:",
		"Packages 1 added, 1 removed, 3 changed version, 1 changed licence",
		"+ tini 0.19.0-1 (MIT)",
		"- tar 1.34+dfsg-1.2+deb12u1 (GPL-2.0-only,",
		"~ libssl-dev 3.0.19-1~deb12u2 -> 3.0.19-1~deb12u3",
		"~ libssl3 3.0.19-1~deb12u2 -> 3.0.19-1~deb12u3",
		"~ openssl 3.0.19-1~deb12u2 -> 3.0.19-1~deb12u3",
		"licence zlib1g Zlib -> Zlib, MIT",
		"Vulnerabilities 1 fixed, 1 introduced, 1 with another VEX status",
		"fixed CVE-2005-2541 LOW pkg:deb/debian/tar@1.34%2Bdfsg-1.2%2Bdeb12u1?os_distro=bookworm&os_name=debian&os_version=12 (not_affected: vulnerable_code_cannot_be_controlled_by_adversary)",
		"introduced CVE-2023-45853 CRITICAL pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?os_distro=bookworm&os_name=debian&os_version=12 (not_affected: vulnerable_code_cannot_be_controlled_by_adversary)",
		"VEX CVE-2025-9230 HIGH pkg:deb/debian/libssl-dev@3.0.19-1~deb12u3?os_distro=bookworm&os_name=debian&os_version=12: under_investigation, exploitable -> not_affected: vulnerable_code_not_in_execute_path",
		"Provenance 4 changed",
		"builder-id https://github.com/docker/github-builder-test/actions/runs/18937328894/attempts/1 -> https://github.com/docker/github-builder-test/actions/runs/19250000000/attempts/1",
		"source-commit bdb96fcfe8cc9e3a54800bc2537a4d4a14f0c5fe -> 5c1f2e0d9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e",
		"base-image alpine:latest@sha256:4b7ce07002c69e8f3d704a9c5d6fd3053be500b7f1c69fc0d80990c2ad8dd412 -> alpine:latest@sha256:aa5e0cbd",
		"Lifecycle 1 changed version 3.13.9-debian12 -> 3.13.10-debian12",
		"== linux/arm64 sha256:",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(got, "Not compared") {
		t.Errorf("a section or platform was not compared:\n%s", out.String())
	}
}

func TestDiffJSON(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	ctx := context.Background()
	bom := func(version string) []dhitest.Doc {
		return []dhitest.Doc{{PredicateType: "https://cyclonedx.org/bom/v1.6", Predicate: []byte(`{"bomFormat":"CycloneDX","specVersion":"1.6",
			"components":[{"type":"library","name":"foo","version":"` + version + `","purl":"pkg:npm/foo@` + version + `"}]}`)}}
	}
	key, pub, err := dhitest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "key.pub")
	if err := os.WriteFile(keyFile, pub, 0o600); err != nil {
		t.Fatal(err)
	}
	one := []v1.Platform{{OS: "linux", Architecture: "amd64"}}
	before, err := dhitest.Push(ctx, reg.Host+"/app:1", "", dhitest.Spec{Docs: bom("1.0.0"), Platforms: one, Signer: key})
	if err != nil {
		t.Fatal(err)
	}
	// Another repository: the platform manifests are the same.
	after, err := dhitest.Push(ctx, reg.Host+"/next/app:2", "", dhitest.Spec{Docs: bom("1.1.0"), Platforms: one, Signer: key})
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"-json", "-key", keyFile, before.Ref, after.Ref}, &out, &errOut); err != nil {
		t.Fatalf("run() error = %v\n%s", err, errOut.String())
	}
	var diffs []struct {
		Before struct {
			Image    string `json:"image"`
			Platform string `json:"platform"`
		} `json:"before"`
		Missing  []any `json:"missing"`
		Packages struct {
			VersionChanged []struct {
				Before, After struct {
					Name    string `json:"name"`
					Version string `json:"version"`
				}
			} `json:"versionChanged"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(out.Bytes(), &diffs); err != nil {
		t.Fatalf("-json output does not decode: %v\n%s", err, out.String())
	}
	if len(diffs) != 1 || diffs[0].Before.Image != before.Ref || diffs[0].Before.Platform != "linux/amd64" {
		t.Fatalf("-json = %+v, want one diff of linux/amd64", diffs)
	}
	d := diffs[0]
	if d.Missing == nil || len(d.Missing) != 0 {
		t.Errorf("missing = %v, want []", d.Missing)
	}
	if vc := d.Packages.VersionChanged; len(vc) != 1 || vc[0].Before.Version != "1.0.0" || vc[0].After.Name != "foo" || vc[0].After.Version != "1.1.0" {
		t.Errorf("packages.versionChanged = %+v", vc)
	}
}

func TestDiffErrors(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	ctx := context.Background()
	plain, err := dhitest.Push(ctx, reg.Host+"/plain/app:1", "", dhitest.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	fips := []dhitest.Doc{{PredicateType: "https://docker.com/dhi/fips/v0.1", Predicate: []byte(`[]`)}}
	key, pub, err := dhitest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "key.pub")
	if err := os.WriteFile(keyFile, pub, 0o600); err != nil {
		t.Fatal(err)
	}
	other, err := dhitest.Push(ctx, reg.Host+"/other/app:1", "", dhitest.Spec{Docs: fips, Signer: key,
		Platforms: []v1.Platform{{OS: "linux", Architecture: "s390x"}, {OS: "linux", Architecture: "ppc64le"}}})
	if err != nil {
		t.Fatal(err)
	}
	signed, err := dhitest.Push(ctx, reg.Host+"/signed/app:1", "", dhitest.Spec{Docs: fips, Signer: key})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"bad reference", []string{"Not A Reference", plain.Ref}, "could not parse reference"},
		{"missing image", []string{plain.Ref, reg.Host + "/none/such:1"}, "not found"},
		{"one reference", []string{plain.Ref}, "give two references"},
		{"missing key file", []string{"-key", "no-such.pub", plain.Ref, plain.Ref}, "-key: attest: reading key file: open no-such.pub"},
		{"image without attestations", []string{plain.Ref, plain.Ref}, plain.Ref + " (linux/amd64): no verified attestation: nothing to compare"},
		{"no platform in common", []string{"-key", keyFile, signed.Ref, other.Ref}, "no platform in common (linux/amd64 only in before; linux/arm64 only in before; linux/s390x only in after; linux/ppc64le only in after)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			err := run(ctx, tc.args, &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("run(%q) error = %v, want one containing %q", tc.args, err, tc.wantErr)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans several lines: %q", err)
			}
		})
	}

	t.Run("same image", func(t *testing.T) {
		t.Parallel()
		var out, errOut bytes.Buffer
		if err := run(ctx, []string{"-key", keyFile, signed.Ref, signed.Ref}, &out, &errOut); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(out.String(), "no change\n"); n != 2 {
			t.Errorf("%d platforms without change, want 2:\n%s", n, out.String())
		}
	})
}
