package dhi_test

import (
	"fmt"
	"log"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/dhisdk/dhisdk/dhi"
)

func ExampleKindOf() {
	for _, pt := range []string{
		"https://cyclonedx.org/bom/v1.6",
		"https://docker.com/dhi/fips/v0.1",
		"https://in-toto.io/attestation/vulns/v0.2",
		"https://modelcontextprotocol.io/server.json/v1",
	} {
		fmt.Println(dhi.KindOf(pt))
	}
	// Output:
	// sbom
	// fips
	// vulnerability-scan
	// unknown
}

func ExampleReferrersRepository() {
	for _, s := range []string{"docker.io/acme/dhi-python", "dhi/golang", "dhi.io/python", "registry.example.com/mirror/python"} {
		repo, err := name.NewRepository(s)
		if err != nil {
			log.Fatal(err)
		}
		if r, ok := dhi.ReferrersRepository(repo); ok {
			fmt.Printf("%s: attestations in %s\n", repo, r)
		} else {
			fmt.Printf("%s: attestations in place\n", repo)
		}
	}
	// Output:
	// index.docker.io/acme/dhi-python: attestations in registry.scout.docker.com/acme/dhi-python
	// index.docker.io/dhi/golang: attestations in registry.scout.docker.com/dhi/golang
	// dhi.io/python: attestations in place
	// registry.example.com/mirror/python: attestations in place
}

func ExampleClassifyRepository() {
	repo, err := name.NewRepository("docker.io/acme/dhi-prometheus-chart")
	if err != nil {
		log.Fatal(err)
	}
	info, ok := dhi.ClassifyRepository(repo)
	fmt.Println(ok, info.Kind, info.Namespace, info.Image, info.Chart())
	// Output:
	// true hub-mirror acme prometheus-chart true
}

func ExampleParseTag() {
	tag := dhi.ParseTag("20.19-debian12-fips-20250701182639")
	fmt.Println(tag.Version, tag.Distro, tag.DistroLabel(), tag.Variants, tag.Timestamp, tag.Has("fips"))
	// Output:
	// 20.19 debian12 debian-12 [fips] 20250701182639 true
}
