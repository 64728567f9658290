package vex

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies keeps vex a leaf: no registry client, no signature
// library, no network stack.
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
		"net/http",
		"os/exec",
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps printed %d packages", len(deps))
	}
	for _, dep := range deps {
		if dep == "github.com/dhisdk/dhisdk/attest/intoto" {
			continue // the shared in-toto vocabulary, standard library only
		}
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, f+"/") || (strings.HasSuffix(f, "/") && strings.HasPrefix(dep, f)) {
				t.Errorf("vex depends on %s", dep)
			}
		}
	}
}
