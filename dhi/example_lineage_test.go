package dhi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/dhi/dhitest/sampledata"
)

func ExamplePlatform_Lineage() {
	ctx := context.Background()
	reg, err := dhitest.NewRegistry()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer reg.Close()
	priv, pub, err := dhitest.NewKey()
	if err != nil {
		fmt.Println(err)
		return
	}
	key, err := attest.ParseKey(pub)
	if err != nil {
		fmt.Println(err)
		return
	}
	// A DHI-shaped base with one layer, and an image built FROM it with
	// BuildKit's provenance naming the base.
	layer, _ := dhitest.TarLayer("etc/os-release", "NAME=\"Docker Hardened Images (Debian)\"\n")
	base, err := dhitest.Push(ctx, reg.Host+"/dhi/python:3.13", "", dhitest.Spec{Signer: priv, Layers: [][]byte{layer},
		Platforms: []v1.Platform{{OS: "linux", Architecture: "amd64"}},
		Docs:      []dhitest.Doc{{PredicateType: "https://openvex.dev/ns/v0.2.0", Predicate: []byte(`{"@context":"https://openvex.dev/ns/v0.2.0","@id":"x","author":"x","timestamp":"2026-01-01T00:00:00Z","version":1,"statements":[]}`)}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	prov, err := sampledata.Read("slsa-provenance/buildkit_slsa1_mode-max.intoto-statement.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	var st struct {
		Predicate json.RawMessage `json:"predicate"`
	}
	if err := json.Unmarshal(prov, &st); err != nil {
		fmt.Println(err)
		return
	}
	app, _ := dhitest.TarLayer("app/main.py", "print('hello')")
	derived, err := dhitest.PushDerived(ctx, reg.Host+"/myorg/app:1", dhitest.DerivedSpec{Base: base.Ref, Layers: [][]byte{app}, Provenance: st.Predicate})
	if err != nil {
		fmt.Println(err)
		return
	}

	img, err := dhi.Open(ctx, reg.Host+"/myorg/app@"+derived.Index.Digest.String(), dhi.WithBaseKeys(key))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer img.Close()
	l, err := img.Platforms[0].Lineage(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	b := l.Base()
	repo, _, _ := strings.Cut(strings.TrimPrefix(b.Claim.Reference, reg.Host+"/"), "@")
	fmt.Println("built on:", repo, "from", b.Claim.Source)
	fmt.Println("shared layers:", b.Layers, "signed:", b.Signed)
	// Output:
	// built on: dhi/python:3.13 from slsa-provenance
	// shared layers: 1 signed: true
}
