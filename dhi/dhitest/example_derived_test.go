package dhitest_test

import (
	"context"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/dhi/dhitest"
)

// ExamplePushDerived builds a base with one layer and an image FROM it
// with one more, as BuildKit stores it: the base's layers first, then the
// derived image's own, and its attestations in the index.
func ExamplePushDerived() {
	ctx := context.Background()
	reg, err := dhitest.NewRegistry()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer reg.Close()
	os, err := dhitest.TarLayer("etc/os-release", "NAME=\"Docker Hardened Images (Debian)\"\n")
	if err != nil {
		fmt.Println(err)
		return
	}
	base, err := dhitest.Push(ctx, reg.Host+"/dhi/python:3.13", "", dhitest.Spec{Layers: [][]byte{os},
		Platforms: []v1.Platform{{OS: "linux", Architecture: "amd64"}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	app, err := dhitest.TarLayer("app/main.py", "print('hello')")
	if err != nil {
		fmt.Println(err)
		return
	}
	derived, err := dhitest.PushDerived(ctx, reg.Host+"/myorg/app:1", dhitest.DerivedSpec{Base: base.Ref, Layers: [][]byte{app},
		Docs: []dhitest.Doc{{PredicateType: "https://example.com/note/v1", Predicate: []byte(`{}`)}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("platforms:", len(derived.Platforms), "attestations:", len(derived.Attestations))
	fmt.Println("chain-id of one layer is its diff ID:", dhitest.ChainID("sha256:aa") == "sha256:aa")
	// Output:
	// platforms: 1 attestations: 1
	// chain-id of one layer is its diff ID: true
}
