package dhisdk_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The runnable examples of the public packages are what users copy: they
// must not import the module's internal packages, which do not compile
// outside it.
func TestExamplesUsePublicPackagesOnly(t *testing.T) {
	t.Parallel()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "internal" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasPrefix(d.Name(), "example") || !strings.HasSuffix(d.Name(), "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), module+"/internal/") {
			t.Errorf("%s imports an internal package", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
