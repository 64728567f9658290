package dhisdk_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// module is this module's path.
const module = "github.com/dhisdk/dhisdk"

// std stands for the whole standard library in the allow-lists.
const std = "std"

// Modules that the allow-lists name.
const (
	ggcr          = "github.com/google/go-containerregistry"
	sigstoreGo    = "github.com/sigstore/sigstore-go"
	sigstoreLib   = "github.com/sigstore/sigstore"
	opa           = "github.com/open-policy-agent/opa"
	protobufSpecs = "github.com/sigstore/protobuf-specs"
	ociregistry   = "cuelabs.dev/go/oci/ociregistry"
	packageURL    = "github.com/package-url/packageurl-go"
	cyclonedx     = "github.com/CycloneDX/cyclonedx-go"
	spdxTools     = "github.com/spdx/tools-golang"
	goVEX         = "github.com/openvex/go-vex"
	osvScalibr    = "github.com/google/osv-scalibr"
	xMod          = "golang.org/x/mod"
	csaf          = "github.com/gocsaf/csaf/v3"
	goCmp         = "github.com/google/go-cmp"
)

// sdk returns the import paths of the SDK packages named relative to the
// module root.
func sdk(pkgs ...string) []string {
	out := make([]string, len(pkgs))
	for i, p := range pkgs {
		out[i] = module + "/" + p
	}
	return out
}

// allowed gives, for each package of the module (relative to the module
// root, "" for the root), everything its non-test files may import: std
// for the standard library, a module path for any package of that module,
// and SDK packages one by one. A package missing here fails the test, so a
// new package states what it depends on.
func allowed() map[string][]string {
	// The readers of bytes: the in-toto vocabulary, findings, purls and the
	// size-limit error.
	leafSDK := sdk("attest/intoto", "dhi/vuln", "internal/purl", "internal/sizelimit", "internal/imageref")
	return map[string][]string{
		"":                         {},
		"attest/intoto":            {std},
		"dhi/vuln":                 {std},
		"internal/sizelimit":       {std},
		"internal/fixture":         {std},
		"dhi/dhitest/sampledata":   append([]string{std}, sdk("internal/fixture")...),
		"internal/imageref":        {std},
		"internal/purl":            {std, packageURL},
		"internal/goldentest":      {std, goCmp},
		"internal/faultproxy":      {std},
		"internal/benchmark":       {},
		"internal/benchmark/floor": {std, ggcr},
		"provenance":               append([]string{std, packageURL}, leafSDK...),
		"sbom":                     append([]string{std, packageURL, cyclonedx, spdxTools}, leafSDK...),
		"vex":                      append([]string{std, packageURL, xMod}, leafSDK...),
		"vex/csaf":                 append([]string{std, csaf}, sdk("vex")...),
		"dhi/predicate":            append([]string{std}, leafSDK...),
		"dhi/scanreport":           append([]string{std, packageURL, cyclonedx, osvScalibr}, sdk("dhi/vuln", "dhi/osv")...),
		"dhi/osv":                  append([]string{std, packageURL, osvScalibr}, sdk("dhi/vuln")...),
		"attest/cache":             {std, ggcr},
		"attest":                   append([]string{std, ggcr, sigstoreGo, sigstoreLib, protobufSpecs}, sdk("attest/cache", "attest/intoto", "internal/sizelimit", "internal/imageref")...),
		"dhi": append([]string{std, ggcr, packageURL, cyclonedx}, sdk("attest", "attest/intoto", "dhi/predicate", "dhi/vuln", "dhi/scanreport", "dhi/osv",
			"sbom", "vex", "provenance", "internal/purl", "internal/sizelimit", "internal/imageref")...),
		"dhi/policy":            append([]string{std, ggcr, opa, packageURL}, sdk("attest", "attest/intoto", "dhi", "provenance")...),
		"examples/policy":       append([]string{std, sigstoreLib}, sdk("attest", "dhi", "dhi/dhitest", "dhi/policy", "internal/cli")...),
		"dhi/dhitest":           append([]string{std, ggcr, ociregistry}, sdk("attest", "internal/fixture")...),
		"internal/registrytest": {std, ggcr, ociregistry},
		"internal/cli":          append([]string{std, ggcr}, sdk("attest", "attest/cache", "dhi", "dhi/dhitest")...),
		"examples/diff":         append([]string{std, ggcr}, sdk("attest", "dhi", "dhi/dhitest", "dhi/vuln", "internal/cli")...),
		"examples/export":       append([]string{std, ggcr}, sdk("attest", "dhi", "dhi/dhitest", "internal/cli")...),
		"examples/inventory":    append([]string{std}, sdk("attest", "dhi", "internal/cli")...),
		"examples/inspect":      append([]string{std, ggcr}, sdk("attest", "dhi", "dhi/dhitest", "dhi/vuln", "internal/cli")...),
		"examples/triage":       append([]string{std, ggcr}, sdk("attest", "dhi", "dhi/dhitest", "dhi/scanreport", "dhi/vuln", "vex", "vex/csaf", "internal/cli")...),
		"examples/verify":       append([]string{std, ggcr}, sdk("attest", "dhi", "dhi/dhitest", "dhi/vuln", "provenance", "internal/cli")...),
	}
}

// leaves are the packages that parse bytes only: whatever they reach,
// directly or through the modules they use, must not include a registry
// client, a signature library, an HTTP stack or process execution.
func leaves() []string {
	return []string{"attest/intoto", "dhi/vuln", "dhi/predicate", "dhi/scanreport", "dhi/osv", "sbom", "vex", "provenance",
		"internal/purl", "internal/sizelimit", "internal/imageref"}
}

// heavy is what no leaf may reach: these packages and, but for SDK
// packages, the packages under them; a trailing "/" means any path with
// that prefix.
func heavy() []string {
	return append([]string{ggcr, "github.com/sigstore/", ociregistry, "net/http", "os/exec"},
		sdk("attest", "dhi", "sbom", "vex", "provenance", "dhi/dhitest", "internal/registrytest")...)
}

// matches reports whether the package dep is the heavy entry h or under it.
func matches(dep, h string) bool {
	switch {
	case dep == h:
		return true
	case strings.HasPrefix(h, module+"/"):
		return false // SDK packages one by one: attest/intoto is a leaf, attest is not
	case strings.HasSuffix(h, "/"):
		return strings.HasPrefix(dep, h)
	default:
		return strings.HasPrefix(dep, h+"/")
	}
}

// goPackage is what go list says of one package.
type goPackage struct {
	standard bool
	module   string
	imports  []string
}

// listPackages runs go list over the module's packages and their
// dependencies.
func listPackages(t *testing.T) map[string]goPackage {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", "-f", "{{.ImportPath}}\t{{.Standard}}\t{{with .Module}}{{.Path}}{{end}}\t{{join .Imports \",\"}}", module+"/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	pkgs := make(map[string]goPackage)
	for line := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			t.Fatalf("go list printed %q", line)
		}
		p := goPackage{standard: f[1] == "true", module: f[2]}
		if f[3] != "" {
			p.imports = strings.Split(f[3], ",")
		}
		pkgs[f[0]] = p
	}
	if len(pkgs) < 50 {
		t.Fatalf("go list printed %d packages", len(pkgs))
	}
	return pkgs
}

// group names what an import counts as in the allow-lists.
func group(pkgs map[string]goPackage, imp string) string {
	p := pkgs[imp]
	switch {
	case p.standard:
		return std
	case p.module == module:
		return imp
	case p.module != "":
		return p.module
	default:
		return imp
	}
}

// TestDependencies checks every package of the module against its
// allow-list (in the style of go-containerregistry's depcheck): a new import
// that the list does not name fails, and so does a package with no list.
// Leaves are also checked through everything they reach.
func TestDependencies(t *testing.T) {
	t.Parallel()
	pkgs := listPackages(t)
	allow := allowed()
	for path, p := range pkgs {
		if p.module != module {
			continue
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(path, module), "/")
		list, ok := allow[rel]
		if !ok {
			t.Errorf("package %s has no allow-list in deps_test.go", path)
			continue
		}
		for _, imp := range p.imports {
			if g := group(pkgs, imp); !slices.Contains(list, g) {
				t.Errorf("%s imports %s (%s), which its allow-list does not name", path, imp, g)
			}
		}
	}
	for _, leaf := range leaves() {
		root := module + "/" + leaf
		if _, ok := pkgs[root]; !ok {
			continue // not in this tree (yet)
		}
		for dep := range reach(pkgs, root) {
			for _, h := range heavy() {
				if matches(dep, h) {
					t.Errorf("leaf %s reaches %s", leaf, dep)
				}
			}
		}
	}
}

// reach returns every package that root imports, directly or not.
func reach(pkgs map[string]goPackage, root string) map[string]bool {
	seen := map[string]bool{}
	stack := slices.Clone(pkgs[root].imports)
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[p] {
			continue
		}
		seen[p] = true
		stack = append(stack, pkgs[p].imports...)
	}
	return seen
}

// TestAllowListsCatchHeavyImports checks the check itself: a leaf that
// imported a registry client would be reported.
func TestAllowListsCatchHeavyImports(t *testing.T) {
	t.Parallel()
	pkgs := map[string]goPackage{
		module + "/sbom":   {module: module, imports: []string{"fmt", ggcr + "/pkg/name"}},
		"fmt":              {standard: true},
		ggcr + "/pkg/name": {module: ggcr},
	}
	list := allowed()["sbom"]
	var bad []string
	for _, imp := range pkgs[module+"/sbom"].imports {
		if !slices.Contains(list, group(pkgs, imp)) {
			bad = append(bad, imp)
		}
	}
	if want := []string{ggcr + "/pkg/name"}; !slices.Equal(bad, want) {
		t.Errorf("rejected imports %v, want %v", bad, want)
	}
	if !reach(pkgs, module+"/sbom")[ggcr+"/pkg/name"] {
		t.Error("reach misses a direct import")
	}
	for _, tc := range []struct {
		dep, h string
		want   bool
	}{
		{ggcr + "/pkg/name", ggcr, true},
		{"github.com/sigstore/sigstore-go/pkg/verify", "github.com/sigstore/", true},
		{"net/http/httptrace", "net/http", true},
		{"net/netip", "net/http", false},
		{module + "/attest", module + "/attest", true},
		{module + "/attest/intoto", module + "/attest", false},
	} {
		if got := matches(tc.dep, tc.h); got != tc.want {
			t.Errorf("matches(%s, %s) = %v, want %v", tc.dep, tc.h, got, tc.want)
		}
	}
}
