package provenance

import (
	"go/build"
	"strings"
	"testing"
)

// TestImports keeps the package a leaf: the standard library, packageurl-go
// and attest/intoto (itself standard library only), and nothing else, so
// that parsing provenance never pulls in a registry client or sigstore.
func TestImports(t *testing.T) {
	t.Parallel()
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{
		"github.com/package-url/packageurl-go":   true,
		"github.com/dhisdk/dhisdk/attest/intoto": true,
	}
	for _, imp := range pkg.Imports {
		first, _, _ := strings.Cut(imp, "/")
		if !strings.Contains(first, ".") {
			continue // standard library
		}
		if !allowed[imp] {
			t.Errorf("provenance imports %s; allowed outside the standard library: packageurl-go, attest/intoto", imp)
		}
	}
	intoto, err := build.Import("github.com/dhisdk/dhisdk/attest/intoto", ".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range intoto.Imports {
		if first, _, _ := strings.Cut(imp, "/"); strings.Contains(first, ".") {
			t.Errorf("attest/intoto imports %s, which provenance would inherit", imp)
		}
	}
}
