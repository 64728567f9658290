package csaf

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies keeps the package away from registries and signatures:
// it may import gocsaf and what gocsaf needs (net/http among them, as a
// client library that this package does not call), but no registry client,
// no signature library, and no SDK package other than vex and internal ones.
func TestDependencies(t *testing.T) {
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	forbidden := []string{
		"github.com/google/go-containerregistry",
		"github.com/sigstore/",
		"cuelabs.dev/go/oci",
		"github.com/dhisdk/dhisdk/attest",
		"github.com/dhisdk/dhisdk/dhi",
		"github.com/dhisdk/dhisdk/sbom",
		"github.com/dhisdk/dhisdk/provenance",
		"os/exec",
		"net/http/httptest",
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps printed %d packages", len(deps))
	}
	for _, dep := range deps {
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, f+"/") || (strings.HasSuffix(f, "/") && strings.HasPrefix(dep, f)) {
				t.Errorf("vex/csaf depends on %s", dep)
			}
		}
	}
}
