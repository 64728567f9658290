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
	"github.com/dhisdk/dhisdk/internal/fixture"
	"github.com/dhisdk/dhisdk/internal/registrytest"
)

func TestInspectBuiltOn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	reg := registrytest.New(t)
	priv, pub, err := dhitest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "base.pub")
	if err := os.WriteFile(keyFile, pub, 0o600); err != nil {
		t.Fatal(err)
	}
	layer, err := dhitest.TarLayer("etc/os-release", "NAME=\"Docker Hardened Images (Debian)\"\n")
	if err != nil {
		t.Fatal(err)
	}
	base, err := dhitest.Push(ctx, reg.Host+"/dhi/python:3.13", "", dhitest.Spec{Signer: priv, Labels: dhitest.SampleLabels(), Layers: [][]byte{layer},
		Platforms: []v1.Platform{{OS: "linux", Architecture: "amd64"}},
		Docs:      []dhitest.Doc{{PredicateType: "https://spdx.dev/Document", Predicate: fixture.Bytes(t, "spdx/syft-1.57.1_debian-pkgs-image.spdx-2.3.json")}}})
	if err != nil {
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
	derived, err := dhitest.PushDerived(ctx, reg.Host+"/myorg/app:1", dhitest.DerivedSpec{Base: base.Ref, Layers: [][]byte{app}, Provenance: st.Predicate})
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	ref := reg.Host + "/myorg/app@" + derived.Index.Digest.String()
	if err := run(ctx, []string{"-base-key", keyFile, "-bound-by-digest", ref}, &out, &errOut); err != nil {
		t.Fatalf("run() error = %v\n%s", err, errOut.String())
	}
	for _, want := range []string{
		"Built on  " + reg.Host + "/dhi/python:3.13@" + base.Index.Digest.String() + " (slsa-provenance; signed, 1 layers proven)",
		"base dhi/python 3.13.9-debian12, end of life 2029-10-31",
		"update none: " + reg.Host + "/dhi/python:3.13 still names the base",
	} {
		if !strings.Contains(strings.Join(strings.Fields(out.String()), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
