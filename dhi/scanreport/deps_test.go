package scanreport_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLeafDependencies checks that package scanreport stays a leaf: besides
// the standard library (without net/http) it imports only the SDK's finding
// type and OSV version orders, the purl and CycloneDX libraries, and
// osv-scalibr's version orders.
func TestLeafDependencies(t *testing.T) {
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", "github.com/dhisdk/dhisdk/dhi/scanreport").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	allowed := map[string]bool{
		"github.com/dhisdk/dhisdk/dhi/scanreport": true,
		"github.com/dhisdk/dhisdk/dhi/osv":        true,
		"github.com/dhisdk/dhisdk/dhi/vuln":       true,
		"github.com/package-url/packageurl-go":    true,
		"github.com/google/osv-scalibr/semantic":  true,
		"github.com/CycloneDX/cyclonedx-go":       true,
	}
	for _, dep := range strings.Fields(string(out)) {
		first, _, _ := strings.Cut(dep, "/")
		if !strings.Contains(first, ".") {
			if strings.HasPrefix(dep, "net/http") {
				t.Errorf("scanreport depends on %s", dep)
			}
			continue // the standard library
		}
		if !allowed[dep] {
			t.Errorf("scanreport depends on %s, not in the allowed list", dep)
		}
	}
}
