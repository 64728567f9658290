package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/internal/cli"
	"github.com/dhisdk/dhisdk/internal/fixture"
	"github.com/dhisdk/dhisdk/internal/registrytest"
)

// pushBase pushes a signed DHI-shaped base with one layer under ref.
func pushBase(t *testing.T, ref, content string, labels map[string]string) (*dhitest.Image, []byte) {
	t.Helper()
	priv, pub, err := dhitest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	layer, err := dhitest.TarLayer("etc/os-release", content)
	if err != nil {
		t.Fatal(err)
	}
	img, err := dhitest.Push(context.Background(), ref, "", dhitest.Spec{Signer: priv, Labels: labels, Layers: [][]byte{layer},
		Platforms: []v1.Platform{{OS: "linux", Architecture: "amd64"}},
		Docs: []dhitest.Doc{{PredicateType: dhi.PredicateTypeOpenVEX, Predicate: fixture.Bytes(t, "dhi/advisories/vex/dhi-python.vex.json")},
			{PredicateType: "https://spdx.dev/Document", Predicate: fixture.Bytes(t, "spdx/syft-1.57.1_debian-pkgs-image.spdx-2.3.json")}}})
	if err != nil {
		t.Fatal(err)
	}
	return img, pub
}

func TestVerifyBase(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	ctx := context.Background()
	base, pub := pushBase(t, reg.Host+"/dhi/python:3.13", "v1", dhitest.SampleLabels())
	keyFile := filepath.Join(t.TempDir(), "base.pub")
	if err := os.WriteFile(keyFile, pub, 0o600); err != nil {
		t.Fatal(err)
	}
	var st struct {
		Predicate json.RawMessage `json:"predicate"`
	}
	if err := json.Unmarshal(fixture.Bytes(t, "slsa-provenance/buildkit_slsa1_mode-max.intoto-statement.json"), &st); err != nil {
		t.Fatal(err)
	}
	app, err := dhitest.TarLayer("app/main.py", "print('hello')")
	if err != nil {
		t.Fatal(err)
	}
	scan := []byte(`[{"purl":"pkg:deb/debian/tar@1.34%2Bdfsg-1.2%2Bdeb12u1?arch=amd64&distro=debian-12","vulnerabilities":[{"source_id":"CVE-2005-2541","cvss":{"severity":"HIGH"}}]}]`)
	derived, err := dhitest.PushDerived(ctx, reg.Host+"/myorg/app:1", dhitest.DerivedSpec{Base: base.Ref, Layers: [][]byte{app}, Provenance: st.Predicate,
		Docs: []dhitest.Doc{{PredicateType: "https://scout.docker.com/vulnerabilities/v0.1", Predicate: scan}}})
	if err != nil {
		t.Fatal(err)
	}
	ref := reg.Host + "/myorg/app@" + derived.Index.Digest.String()
	verify := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(ctx, append([]string{"-require=", "-severity", "critical", "-bound-by-digest", "-base-key", keyFile}, append(args, ref)...), &out, &errOut)
		return out.String(), err
	}

	out, err := verify("-base-max-age", "720h")
	if err != nil {
		t.Fatalf("verify error = %v\n%s", err, out)
	}
	for _, want := range []string{
		"PASS linux/amd64 base: built on " + reg.Host + "/dhi/python:3.13@" + base.Index.Digest.String() + " (1 layers proven, signed)",
		"PASS linux/amd64 base end-of-life: supported until 2029-10-31",
		"PASS linux/amd64 base update: " + reg.Host + "/dhi/python:3.13 still names the base",
		"PASS linux/amd64 base VEX: 1 of 1 findings on packages from the base, 1 decided by its VEX",
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// The base tag moves to a newer base: the base is older than 720h, so
	// the gate fails; with a longer age it passes.
	newer := maps.Clone(dhitest.SampleLabels())
	newer[dhi.LabelVersion] = "3.13.10-debian12"
	pushBase(t, reg.Host+"/dhi/python:3.13", "v2", newer)
	out, err = verify("-base-max-age", "720h")
	if !errors.Is(err, cli.ErrPolicy) || !strings.Contains(out, "FAIL linux/amd64 base update: "+reg.Host+"/dhi/python:3.13 now names sha256:") {
		t.Errorf("verify after the base moved: error = %v, want a failed base update\n%s", err, out)
	}
	if out, err = verify("-base-max-age", fmt.Sprintf("%dh", 24*365*20)); err != nil {
		t.Errorf("verify with a 20-year age: error = %v\n%s", err, out)
	}
	if _, err := verify("-base-max-age", "bad"); err == nil || errors.Is(err, cli.ErrPolicy) {
		t.Errorf("-base-max-age bad: error = %v, want a usage error", err)
	}
}
