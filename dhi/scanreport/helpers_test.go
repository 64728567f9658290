package scanreport_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/dhisdk/dhisdk/dhi/scanreport"
)

// goldenReports are the report files of testdata with their formats.
var goldenReports = []struct {
	file   string
	format scanreport.Format
}{
	{"trivy_alpine-310.json", scanreport.FormatTrivy},
	{"trivy_debian-buster.json", scanreport.FormatTrivy},
	{"trivy_distroless-base.json", scanreport.FormatTrivy},
	{"trivy_gomod-vex.json", scanreport.FormatTrivy},
	{"trivy_alpine-310.sarif", scanreport.FormatSARIF},
	{"grype_TestJsonImgsPresenter.json", scanreport.FormatGrype},
	{"grype_TestSarifPresenter_image.sarif", scanreport.FormatSARIF},
	{"trivy_alpine-310.cdx-vdr.json", scanreport.FormatCycloneDX},
}

// read returns a file of testdata.
func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// parse parses b and fails the test on error.
func parse(t testing.TB, b []byte) *scanreport.Report {
	t.Helper()
	r, err := scanreport.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// decodeMap decodes b into a generic map, independently of the package.
func decodeMap(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// list returns m[key] as a list, nil when absent.
func list(m any, key string) []any {
	mm, _ := m.(map[string]any)
	l, _ := mm[key].([]any)
	return l
}

// independentCounts counts the findings and suppressed findings of a
// report from its generic decode.
func independentCounts(t testing.TB, f scanreport.Format, b []byte) (findings, suppressed int) {
	t.Helper()
	m := decodeMap(t, b)
	switch f {
	case scanreport.FormatTrivy:
		for _, r := range list(m, "Results") {
			findings += len(list(r, "Vulnerabilities"))
			suppressed += len(list(r, "ExperimentalModifiedFindings"))
		}
	case scanreport.FormatGrype:
		findings, suppressed = len(list(m, "matches")), len(list(m, "ignoredMatches"))
	case scanreport.FormatSARIF:
		for _, run := range list(m, "runs") {
			for _, res := range list(run, "results") {
				accepted := false
				for _, s := range list(res, "suppressions") {
					st, _ := s.(map[string]any)["status"].(string)
					accepted = accepted || st == "" || st == "accepted"
				}
				if accepted {
					suppressed++
				} else {
					findings++
				}
			}
		}
	case scanreport.FormatCycloneDX:
		for _, v := range list(m, "vulnerabilities") {
			n := len(list(v, "affects"))
			an, _ := v.(map[string]any)["analysis"].(map[string]any)
			st, _ := an["state"].(string)
			if st == "not_affected" || st == "resolved" || st == "false_positive" {
				suppressed += n
			} else {
				findings += n
			}
		}
	}
	return findings, suppressed
}
