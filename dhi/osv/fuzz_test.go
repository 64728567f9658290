package osv_test

import (
	"os"
	"testing"

	"github.com/dhisdk/dhisdk/dhi/osv"
)

func FuzzParse(f *testing.F) {
	for _, p := range realAdvisories(f) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "5.0.10")
	}
	f.Add([]byte(`{"id":"X","affected":[{"package":{"ecosystem":"Debian:12","name":"x"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1:2.3-1"}]}]}]}`), "2.4")
	f.Fuzz(func(t *testing.T, b []byte, version string) {
		a, err := osv.Parse(b)
		if err != nil {
			return
		}
		for _, af := range a.Affected {
			_, _ = a.Match(osv.Query{Ecosystem: af.Package.Ecosystem, Name: af.Package.Name, Version: version})
			if af.Package.PURL != "" {
				_, _ = a.Match(osv.Query{PURL: af.Package.PURL, Version: version})
			}
		}
	})
}
