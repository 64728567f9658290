// Package goldentest compares test output with golden files under testdata
// and rewrites them on request, for the SDK's own tests. Each test package
// declares the flag:
//
//	var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")
//
// and calls [Check]. `go test ./sbom -update` rewrites the golden files of
// package sbom; name only packages that declare the flag, since a test
// binary without it refuses -update.
package goldentest
