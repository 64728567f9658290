package dhisdk_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencyDirection checks that dependencies point one way: the leaf
// parsers (sbom, vex, provenance) import no registry client, no signature
// library and no other SDK package but internal ones; attest knows nothing
// of the document formats or of DHI; and no library package pulls in the
// test registries.
func TestDependencyDirection(t *testing.T) {
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	const mod = "github.com/dhisdk/dhisdk/"
	leaf := []string{"github.com/google/go-containerregistry", "github.com/sigstore/", "cuelabs.dev/go/oci", "net/http",
		mod + "attest", mod + "dhi", mod + "sbom", mod + "vex", mod + "provenance"}
	tests := []struct {
		pkg       string
		forbidden []string
	}{
		{"sbom", leaf},
		{"vex", leaf},
		{"provenance", leaf},
		{"attest", []string{mod + "dhi", mod + "sbom", mod + "vex", mod + "provenance", "cuelabs.dev/go/oci", mod + "internal/registrytest"}},
		{"dhi", []string{"cuelabs.dev/go/oci", mod + "internal/registrytest", mod + "dhi/dhitest", mod + "internal/fixture", mod + "internal/sample"}},
	}
	for _, tc := range tests {
		t.Run(tc.pkg, func(t *testing.T) {
			t.Parallel()
			out, err := exec.Command(goTool, "list", "-deps", mod+tc.pkg).CombinedOutput()
			if err != nil {
				t.Fatalf("go list: %v\n%s", err, out)
			}
			for _, dep := range strings.Fields(string(out)) {
				if dep == mod+tc.pkg || dep == mod+"attest/intoto" {
					continue
				}
				for _, f := range tc.forbidden {
					if dep == f || strings.HasPrefix(dep, f+"/") || strings.HasSuffix(f, "/") && strings.HasPrefix(dep, f) {
						t.Errorf("%s depends on %s", tc.pkg, dep)
					}
				}
			}
		})
	}
}
