package sbom_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"

	"github.com/dhisdk/dhisdk/dhi/dhitest/sampledata"
	"github.com/dhisdk/dhisdk/sbom"
)

// This example reads trivy's CycloneDX SBOM of a container image and lists
// some of its packages.
func ExampleParse() {
	b, err := sampledata.Read("cyclonedx/trivy_fluentd-container.cdx-1.6.json")
	if err != nil {
		log.Fatal(err)
	}
	d, err := sbom.Parse(b)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Format(), d.SpecVersion(), d.Subject().Purpose, len(d.Packages()), "packages")
	for _, p := range d.ByEcosystem("gem")[:3] {
		fmt.Println(p.Name, p.Version, p.DeclaredLicense)
	}
	libc6 := d.ByName("libc6")[0]
	fmt.Println(libc6.PURL(), "from", libc6.Source.Name, libc6.Source.Version)
	// Output:
	// cyclonedx 1.6 container 161 packages
	// activesupport 6.0.2.1 MIT
	// addressable 2.7.0 Apache-2.0
	// concurrent-ruby 1.1.6 MIT
	// pkg:deb/debian/libc6@2.28-10?arch=amd64&distro=debian-10.2 from glibc 2.28-10
}

// This example maps a Debian binary package, as a scanner reports it, to the
// source package that DHI VEX statements name.
func ExampleDocument_SourcePURLs() {
	d, err := sbom.Parse([]byte(`{"bomFormat": "CycloneDX", "specVersion": "1.6",
	  "components": [{"bom-ref": "libc6", "type": "library", "name": "libc6", "version": "2.41-12+deb13u2",
	    "purl": "pkg:deb/debian/libc6@2.41-12%2Bdeb13u2?arch=amd64&os_distro=trixie&os_name=debian&os_version=13&upstream=glibc"}]}`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.SourcePURLs("pkg:deb/debian/libc6@2.41-12+deb13u2?arch=amd64&distro=debian-13"))
	bins, err := d.BySourcePURL("pkg:deb/debian/glibc@2.41-12%2Bdeb13u2?os_distro=trixie&os_name=debian&os_version=13", sbom.PrecisionQualifiers)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bins[0].Name)
	// Output:
	// [pkg:deb/debian/glibc@2.41-12%2Bdeb13u2?os_distro=trixie&os_name=debian&os_version=13]
	// libc6
}

// This example looks a package up by package URL at each precision.
func ExampleDocument_ByPURL() {
	d, err := sbom.Parse([]byte(`{"bomFormat": "CycloneDX", "specVersion": "1.6",
	  "components": [{"bom-ref": "tar", "type": "library", "name": "tar", "version": "1.35+dfsg-3.1+dhi1",
	    "purl": "pkg:deb/debian/tar@1.35%2Bdfsg-3.1%2Bdhi1?os_distro=trixie&os_name=debian&os_version=13"}]}`))
	if err != nil {
		log.Fatal(err)
	}
	for _, q := range []string{
		"pkg:deb/debian/tar@1.35+dfsg-3.1+dhi1?distro=debian-13",
		"pkg:deb/debian/tar@1.35+dfsg-3.1+dhi1?distro=debian-12",
		"pkg:deb/debian/tar@1.34",
	} {
		for _, prec := range sbom.Precisions() {
			found, err := d.ByPURL(q, prec)
			if err != nil {
				log.Fatal(err)
			}
			fmt.Printf("%-10s %d  ", prec, len(found))
		}
		fmt.Println(q)
	}
	// Output:
	// name       1  version    1  qualifiers 1  pkg:deb/debian/tar@1.35+dfsg-3.1+dhi1?distro=debian-13
	// name       1  version    1  qualifiers 0  pkg:deb/debian/tar@1.35+dfsg-3.1+dhi1?distro=debian-12
	// name       1  version    0  qualifiers 0  pkg:deb/debian/tar@1.34
}

// This example diffs two SBOMs of an image.
func ExampleCompare() {
	before, err := sbom.Parse([]byte(`{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
	  {"bom-ref": "a", "type": "library", "name": "openssl", "version": "3.0.15", "purl": "pkg:apk/alpine/openssl@3.0.15", "licenses": [{"license": {"id": "Apache-2.0"}}]},
	  {"bom-ref": "b", "type": "library", "name": "zlib", "version": "1.3.1", "purl": "pkg:apk/alpine/zlib@1.3.1"}]}`))
	if err != nil {
		log.Fatal(err)
	}
	after, err := sbom.Parse([]byte(`{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
	  {"bom-ref": "a", "type": "library", "name": "openssl", "version": "3.0.16", "purl": "pkg:apk/alpine/openssl@3.0.16", "licenses": [{"license": {"id": "Apache-2.0"}}]},
	  {"bom-ref": "c", "type": "library", "name": "musl", "version": "1.2.5", "purl": "pkg:apk/alpine/musl@1.2.5"}]}`))
	if err != nil {
		log.Fatal(err)
	}
	df := sbom.Compare(before, after)
	for _, p := range df.Added {
		fmt.Println("added", p.Name, p.Version)
	}
	for _, p := range df.Removed {
		fmt.Println("removed", p.Name, p.Version)
	}
	for _, c := range df.VersionChanged {
		fmt.Println("changed", c.Old.Name, c.Old.Version, "->", c.New.Version)
	}
	// Output:
	// added musl 1.2.5
	// removed zlib 1.3.1
	// changed openssl 3.0.15 -> 3.0.16
}

// This example converts an SPDX SBOM to CycloneDX 1.6.
func ExampleDocument_WriteCycloneDX() {
	b, err := sampledata.Read("spdx/syft-1.57.1_debian-pkgs-image.spdx-2.3.json")
	if err != nil {
		log.Fatal(err)
	}
	d, err := sbom.Parse(b)
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	if err := d.WriteCycloneDX(&buf); err != nil {
		log.Fatal(err)
	}
	c, err := sbom.Parse(buf.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Format(), c.SpecVersion(), len(c.Packages()), c.Subject().PURL())
	// Output:
	// cyclonedx 1.6 704 pkg:oci/127.0.0.1:5004%2Fsbomsrc%2Fdebian-pkgs@sha256:314587c179bf138d0f8fae9539b11e669cc3d2a4cf2f0763026fd6060e0269d0?tag=v1
}

// This example tells the errors of Parse apart, and reads the warnings of a
// document that parses.
func ExampleParse_errors() {
	_, err := sbom.Parse([]byte(`{"spdxVersion": "SPDX-3.0"}`))
	fmt.Println(errors.Is(err, sbom.ErrUnsupportedVersion), errors.Is(err, sbom.ErrInvalid))
	fmt.Println(err)

	_, err = sbom.Parse([]byte(`{"bomFormat": "CycloneDX", "specVersion": "1.6",` + "\n" + `"components": [}`))
	fmt.Println(err)

	d, err := sbom.Parse([]byte(`{"bomFormat": "CycloneDX", "specVersion": "1.6",
	  "components": [{"bom-ref": "a", "type": "library", "name": "a"}, {"bom-ref": "a", "type": "library", "name": "b"}]}`))
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range d.Warnings() {
		fmt.Println(w)
	}
	// Output:
	// true true
	// sbom: invalid document: unsupported spec version: SPDX "SPDX-3.0" (supported: SPDX-2.2, SPDX-2.3)
	// sbom: invalid document: JSON syntax error at line 2, column 16: invalid character '}' looking for beginning of value
	// components[1]: duplicate identifier "a", first used at components[0]
}
