package provenance

import (
	"go/build"
	"strings"
	"testing"
)

// TestImports keeps the package a leaf: the standard library, packageurl-go,
// internal/intoto and internal/imageref (both standard library only), and
// nothing else, so
// that parsing provenance never pulls in a registry client or sigstore.
func TestImports(t *testing.T) {
	t.Parallel()
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{
		"github.com/package-url/packageurl-go":       true,
		"github.com/dhisdk/dhisdk/internal/intoto":   true,
		"github.com/dhisdk/dhisdk/internal/imageref": true,
	}
	for _, imp := range pkg.Imports {
		first, _, _ := strings.Cut(imp, "/")
		if !strings.Contains(first, ".") {
			continue // standard library
		}
		if !allowed[imp] {
			t.Errorf("provenance imports %s; allowed outside the standard library: packageurl-go, internal/intoto, internal/imageref", imp)
		}
	}
	for _, internal := range []string{"intoto", "imageref"} {
		ipkg, err := build.Import("github.com/dhisdk/dhisdk/internal/"+internal, ".", 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ipkg.Imports {
			if first, _, _ := strings.Cut(imp, "/"); strings.Contains(first, ".") {
				t.Errorf("internal/%s imports %s, which provenance would inherit", internal, imp)
			}
		}
	}
}
