package scanreport_test

import (
	"testing"

	"github.com/dhisdk/dhisdk/dhi/scanreport"
)

func FuzzParse(f *testing.F) {
	for _, g := range goldenReports {
		f.Add(read(f, g.file))
	}
	f.Add([]byte(`{"SchemaVersion":2,"ArtifactName":"x","Results":[{"Vulnerabilities":[{}]}]}`))
	f.Add([]byte(`{"matches":[{}],"source":{"target":"dir"}}`))
	f.Add([]byte(`{"version":"2.1.0","runs":[{"results":[{"ruleIndex":7}]}]}`))
	f.Add([]byte(`{"bomFormat":"CycloneDX","vulnerabilities":[{"affects":[{"ref":"x"}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := scanreport.Parse(b)
		if err != nil {
			return
		}
		_ = r.CheckSubject("sha256:0000")
		ds := make([]scanreport.Decision, len(r.Findings))
		for i := range ds {
			if i%2 == 0 {
				ds[i] = scanreport.Decision{Status: scanreport.StatusNotAffected, Inconsistent: i%4 == 0}
			}
			_, _ = scanreport.Inconsistent(r.Findings[i])
		}
		out, err := r.Encode(ds)
		if err != nil {
			return
		}
		r2, err := scanreport.Parse(out)
		if err != nil {
			t.Fatalf("the written report does not parse: %v\n%s", err, out)
		}
		if len(r2.Findings) > len(r.Findings) {
			t.Fatalf("%d findings after suppressing, %d before", len(r2.Findings), len(r.Findings))
		}
	})
}
