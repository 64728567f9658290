package osv_test

import (
	"testing"

	"github.com/dhisdk/dhisdk/dhi/osv"
)

// BenchmarkMatch evaluates each real advisory's ranges for one version; one
// op is one advisory.
func BenchmarkMatch(b *testing.B) {
	var advs []*osv.Advisory
	for _, p := range realAdvisories(b) {
		advs = append(advs, load(b, p))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		a := advs[i%len(advs)]
		if _, err := a.Match(osv.Query{PURL: a.Affected[0].Package.PURL + "@6.0.10"}); err != nil {
			b.Fatal(err)
		}
	}
}
