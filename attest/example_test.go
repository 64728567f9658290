package attest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/dhi/dhitest/sampledata"
)

func ExampleParse() {
	b, err := sampledata.Read("cosign-generated/legacy-att.openvex.dsse.json")
	if err != nil {
		log.Fatal(err)
	}
	c, err := attest.Parse(b)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Format)
	fmt.Println(c.Statement.PredicateType)
	fmt.Println(c.Statement.Subject[0].Name)
	fmt.Println(len(c.Envelope.Signatures), "signature (not verified by Parse)")
	// Output:
	// dsse-envelope
	// https://openvex.dev/ns
	// 127.0.0.1:5004/m/app-legacy
	// 1 signature (not verified by Parse)
}

func ExampleDiscover() {
	// An image shaped like a Docker Hardened Image, in an OCI layout: two
	// platforms, each with an SBOM and a VEX attestation.
	dir, err := os.MkdirTemp("", "layout")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	vex, err := sampledata.Read("openvex/go-vex_v0.2.0.json")
	if err != nil {
		log.Fatal(err)
	}
	sbom, err := sampledata.Read("cyclonedx/trivy_fluentd-container.cdx-1.6.json")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := dhitest.WriteLayout(filepath.Join(dir, "python"), "3.13", dhitest.Spec{Docs: []dhitest.Doc{
		{PredicateType: "https://openvex.dev/ns/v0.2.0", Predicate: vex},
		{PredicateType: "https://cyclonedx.org/bom/v1.6", Predicate: sbom},
	}}); err != nil {
		log.Fatal(err)
	}

	src, err := attest.Layout(filepath.Join(dir, "python"))
	if err != nil {
		log.Fatal(err)
	}
	d, err := attest.Discover(context.Background(), src, "3.13")
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range d.Attestations {
		fmt.Printf("%s/%s %s via %s\n", a.Target.Platform.OS, a.Target.Platform.Architecture, a.PredicateType, a.Mechanism())
	}
	// Output:
	// linux/amd64 https://cyclonedx.org/bom/v1.6 via layout-subject
	// linux/amd64 https://openvex.dev/ns/v0.2.0 via layout-subject
	// linux/arm64 https://cyclonedx.org/bom/v1.6 via layout-subject
	// linux/arm64 https://openvex.dev/ns/v0.2.0 via layout-subject
}

func ExampleFetchError() {
	dir, err := os.MkdirTemp("", "layout")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if _, err := dhitest.WriteLayout(dir, "1.0", dhitest.Spec{}); err != nil {
		log.Fatal(err)
	}
	src, err := attest.Layout(dir)
	if err != nil {
		log.Fatal(err)
	}

	_, err = attest.Discover(context.Background(), src, "2.0")
	var fe *attest.FetchError
	if errors.As(err, &fe) {
		fmt.Println("operation:", fe.Op)
		fmt.Println("reference:", fe.Ref)
		fmt.Println("not found:", errors.Is(err, attest.ErrNotFound))
	}
	// Output:
	// operation: resolving
	// reference: 2.0
	// not found: true
}

func ExampleTags() {
	// A registry holding two tags of one repository.
	reg, err := dhitest.NewRegistry()
	if err != nil {
		log.Fatal(err)
	}
	defer reg.Close()
	for _, tag := range []string{"3.13", "3.12"} {
		spec := dhitest.Spec{Labels: map[string]string{"org.example.tag": tag}}
		if _, err := dhitest.Push(context.Background(), reg.Host+"/dhi/python:"+tag, "", spec); err != nil {
			log.Fatal(err)
		}
	}

	src, err := attest.Registry(attest.WithPlainHTTP())
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	tags, err := attest.Tags(context.Background(), src, reg.Host+"/dhi/python")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tags)
	_, err = attest.Tags(context.Background(), src, reg.Host+"/dhi/node")
	fmt.Println(errors.Is(err, attest.ErrNotFound))
	// Output:
	// [3.12 3.13]
	// true
}
