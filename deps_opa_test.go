package dhisdk_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestOnlyPolicyImportsOPA checks that the Open Policy Agent, a large
// dependency, reaches only the policy engine (dhi/policy) and the programs
// that use it, so that the rest of the SDK stays small.
func TestOnlyPolicyImportsOPA(t *testing.T) {
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	const mod = "github.com/dhisdk/dhisdk/"
	allowed := map[string]bool{mod + "dhi/policy": true, mod + "examples/policy": true}
	out, err := exec.Command(goTool, "list", "-f", "{{.ImportPath}}{{range .Deps}} {{.}}{{end}}", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || allowed[fields[0]] {
			continue
		}
		for _, dep := range fields[1:] {
			if strings.HasPrefix(dep, "github.com/open-policy-agent/") {
				t.Errorf("%s depends on %s; only dhi/policy may import OPA", fields[0], dep)
				break
			}
		}
	}
}
