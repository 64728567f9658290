package dhi_test

import (
	"fmt"
	"testing"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/scanreport"
)

// BenchmarkTriage measures the triage of a Trivy JSON report of 10,000
// findings on the packages of the sample image's SBOM against the sample's
// verified VEX (12,759 statements): every (vulnerability, package) pair the
// scanner-ready VEX names, then made-up CVEs on every package until 10,000.
// parse is scanreport.Parse alone; triage is Platform.Triage (subject
// check, VEX decisions with the source mapping, consistency, and the report
// written back), the report already parsed; decide is the decisions alone
// (VEX with the source mapping, consistency); encode is the writing back
// alone (scanreport.Report.Encode). Each reports ns/finding.
//
//	go test ./dhi -run '^$' -bench BenchmarkTriage -benchtime 5x
func BenchmarkTriage(b *testing.B) {
	const n = 10000
	img := triageSample(b)
	p := img.Platforms[0]
	sv, err := p.ScannerVEX()
	if err != nil {
		b.Fatal(err)
	}
	all, err := p.Packages()
	if err != nil {
		b.Fatal(err)
	}
	pkgs := map[string]scanPackage{}
	var names []string
	for _, pk := range all {
		if pk.Ecosystem != "deb" {
			continue
		}
		if _, ok := pkgs[pk.Name]; !ok {
			pkgs[pk.Name] = samplePackage(b, p, pk.Name)
			names = append(names, pk.Name)
		}
	}
	var fs []scanFinding
	for _, st := range sv.Statements {
		for _, pk := range st.Packages {
			if _, ok := pkgs[pk.Name]; ok && len(fs) < n {
				fs = append(fs, scanFinding{id: st.Vulnerability, pkg: pk.Name, severity: "LOW"})
			}
		}
	}
	covered := len(fs)
	for i := 0; len(fs) < n; i++ {
		fs = append(fs, scanFinding{id: fmt.Sprintf("CVE-2026-%05d", i), pkg: names[i%len(names)], severity: "MEDIUM"})
	}
	raw := trivyJSON(b, sampleSubject(img, p), fs, pkgs)
	b.Logf("report: %d findings (%d named by the VEX), %d bytes", len(fs), covered, len(raw))

	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			if _, err := scanreport.Parse(raw); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/finding")
	})
	r, err := scanreport.Parse(raw)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("decide", func(b *testing.B) {
		for b.Loop() {
			if _, err := dhi.DecideFindings(p, r.Findings); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/finding")
	})
	b.Run("triage", func(b *testing.B) {
		var suppressed int
		for b.Loop() {
			tr, err := p.Triage(r)
			if err != nil {
				b.Fatal(err)
			}
			suppressed = tr.Suppressed()
		}
		if suppressed == 0 {
			b.Fatal("nothing suppressed")
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/finding")
		b.ReportMetric(float64(suppressed), "suppressed")
	})
	tr, err := p.Triage(r)
	if err != nil {
		b.Fatal(err)
	}
	decisions := tr.Decisions()
	b.Run("encode", func(b *testing.B) {
		for b.Loop() {
			if _, err := r.Encode(decisions); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/finding")
	})
}
