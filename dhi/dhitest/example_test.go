package dhitest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
)

func ExamplePush() {
	reg, err := dhitest.NewRegistry()
	if err != nil {
		log.Fatal(err)
	}
	defer reg.Close()
	key, _, err := dhitest.NewKey()
	if err != nil {
		log.Fatal(err)
	}
	img, err := dhitest.Push(context.Background(), reg.Host+"/dhi/python:3.13", "", dhitest.Spec{
		Docs: []dhitest.Doc{
			{PredicateType: "https://docker.com/dhi/fips/v0.1", Predicate: []byte(`[{"name":"OpenSSL FIPS Provider","status":"active"}]`)},
			{PredicateType: "https://scout.docker.com/tests/v0.1", Predicate: []byte(`{"results":{"summary":{"failed":0}}}`)},
		},
		Signer: key,
	})
	if err != nil {
		log.Fatal(err)
	}

	src, err := attest.Registry()
	if err != nil {
		log.Fatal(err)
	}
	d, err := attest.Discover(context.Background(), src, img.Ref)
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range d.Attestations {
		fmt.Println(a.Target.Platform.Architecture, a.PredicateType, len(a.Signatures), "signature")
	}
	// Output:
	// amd64 https://docker.com/dhi/fips/v0.1 1 signature
	// amd64 https://scout.docker.com/tests/v0.1 1 signature
	// arm64 https://docker.com/dhi/fips/v0.1 1 signature
	// arm64 https://scout.docker.com/tests/v0.1 1 signature
}
