package csaf_test

import (
	"fmt"
	"os"

	"github.com/dhisdk/dhisdk/vex"
	"github.com/dhisdk/dhisdk/vex/csaf"
)

// Read a CSAF VEX document and decide a finding in a container image with
// it.
func ExampleParse() {
	b, err := os.ReadFile("testdata/csaf-2.0-vex-openssl.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	doc, err := csaf.Parse(b, csaf.WithDocumentName("openssl.json"))
	if err != nil {
		fmt.Println(err)
		return
	}
	ix := vex.NewIndex(doc)
	d, err := ix.Decide(vex.Query{
		Vulnerability: "CVE-2023-0464",
		Package:       "pkg:rpm/example/openssl-libs@3.0.7-27.el9?arch=x86_64&epoch=1",
		Image:         "registry.example.com/ubi9@sha256:b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Status, d.Justification)
	// Output: not_affected vulnerable_code_not_in_execute_path
}
