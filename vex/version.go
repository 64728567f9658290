package vex

import (
	"strings"

	packageurl "github.com/package-url/packageurl-go"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/dhisdk/dhisdk/internal/purl"
)

// versionOf returns the version of a parsed purl in the form in which
// versions are compared: the form of package internal/purl, and for golang
// purls the canonical Go module version (see goVersion).
func versionOf(p packageurl.PackageURL) string {
	v := purl.Version(p)
	if p.Type == packageurl.TypeGolang {
		path := p.Name
		if p.Namespace != "" {
			path = p.Namespace + "/" + p.Name
		}
		return goVersion(path, v)
	}
	return v
}

// goVersion returns the canonical form of version v of the Go module at
// path, by Go's own rules (golang.org/x/mod), so that the forms tools write
// meet: DHI writes 1.18.1, syft and trivy v1.18.1; v1.2 is v1.2.0; build
// metadata other than +incompatible is dropped. A major version of 2 or more
// on a path without a major version suffix can only be an +incompatible
// version, so v28.0.0 of github.com/docker/docker is v28.0.0+incompatible.
// The standard library's versions (path "stdlib") may start with "go", as
// syft writes them (go1.22.1). A version that is not semantic (such as
// "(devel)") is returned unchanged.
func goVersion(path, v string) string {
	if v == "" {
		return v
	}
	w := v
	if path == "stdlib" {
		w = strings.TrimPrefix(w, "go")
	}
	if !strings.HasPrefix(w, "v") {
		w = "v" + w
	}
	c := module.CanonicalVersion(w)
	if c == "" {
		return v
	}
	if semver.Build(c) == "" {
		if _, major, ok := module.SplitPathVersion(path); ok && major == "" &&
			module.CheckPathMajor(c, major) != nil && module.CheckPathMajor(c+"+incompatible", major) == nil {
			c += "+incompatible"
		}
	}
	return c
}
