package osv_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLeafDependencies checks that package osv stays a leaf: besides the
// standard library it imports only the SDK's finding type, the purl
// library and osv-scalibr's version orders.
func TestLeafDependencies(t *testing.T) {
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", "github.com/dhisdk/dhisdk/dhi/osv").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	allowed := []string{
		"github.com/dhisdk/dhisdk/dhi/osv",
		"github.com/dhisdk/dhisdk/dhi/vuln",
		"github.com/package-url/packageurl-go",
		"github.com/google/osv-scalibr/semantic",
	}
	for _, dep := range strings.Fields(string(out)) {
		first, _, _ := strings.Cut(dep, "/")
		if !strings.Contains(first, ".") || dep == "net/http" {
			if strings.HasPrefix(dep, "net/http") {
				t.Errorf("osv depends on %s", dep)
			}
			continue // the standard library
		}
		ok := false
		for _, a := range allowed {
			if dep == a {
				ok = true
			}
		}
		if !ok {
			t.Errorf("osv depends on %s, not in the allowed list", dep)
		}
	}
}
