package sbom_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLeafDependencies checks that package sbom stays a leaf: no registry
// client, no signature library, no network packages of the SDK.
func TestLeafDependencies(t *testing.T) {
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", "github.com/dhisdk/dhisdk/sbom").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	forbidden := []string{
		"github.com/google/go-containerregistry",
		"github.com/sigstore/",
		"cuelabs.dev/go/oci",
		"github.com/dhisdk/dhisdk/attest",
		"github.com/dhisdk/dhisdk/dhi",
		"net/http",
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == "github.com/dhisdk/dhisdk/attest/intoto" {
			continue // the shared in-toto vocabulary, standard library only
		}
		for _, f := range forbidden {
			if strings.HasPrefix(dep, f) {
				t.Errorf("sbom depends on %s", dep)
			}
		}
	}
}
