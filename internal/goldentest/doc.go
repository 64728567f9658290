// Package goldentest compares test output with golden files under testdata
// and rewrites them on request, for the SDK's own tests. Each test package
// declares the flag:
//
//	var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")
//
// and calls [Check]; `go test ./... -update` rewrites every golden file.
package goldentest
