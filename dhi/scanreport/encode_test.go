package scanreport_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/dhisdk/dhisdk/dhi/scanreport"
	"github.com/dhisdk/dhisdk/dhi/vuln"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// decideEveryOther suppresses every other finding, starting with the
// first, as not_affected; the others get no decision.
func decideEveryOther(n int) []scanreport.Decision {
	ds := make([]scanreport.Decision, n)
	for i := 0; i < n; i += 2 {
		ds[i] = scanreport.Decision{
			Status:        scanreport.StatusNotAffected,
			Justification: scanreport.JustificationVulnerableCodeNotInExecutePath,
			Statement:     "https://dhi.docker.com/vex/vex-0001#stmt-" + string(rune('a'+i%26)),
			Impact:        "the code is never run",
			Source:        "DHI VEX",
		}
	}
	return ds
}

func TestEncodeRoundTrip(t *testing.T) {
	t.Parallel()
	for _, g := range goldenReports {
		t.Run(g.file, func(t *testing.T) {
			t.Parallel()
			in := read(t, g.file)
			r := parse(t, in)
			ds := decideEveryOther(len(r.Findings))
			out, err := r.Encode(ds)
			if err != nil {
				t.Fatal(err)
			}
			r2 := parse(t, out)
			var want []vuln.Finding
			var wantSup []vuln.Finding
			for _, s := range r.Suppressed {
				wantSup = append(wantSup, s.Finding)
			}
			for i, f := range r.Findings {
				if ds[i].Suppresses() {
					wantSup = append(wantSup, f)
				} else {
					want = append(want, f)
				}
			}
			if d := cmp.Diff(want, r2.Findings, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("findings after the round trip (-want +got):\n%s", d)
			}
			var gotSup []vuln.Finding
			for _, s := range r2.Suppressed {
				gotSup = append(gotSup, s.Finding)
			}
			sortFindings := cmpopts.SortSlices(func(a, b vuln.Finding) bool {
				return a.ID+a.PURL+a.Package+a.Target < b.ID+b.PURL+b.Package+b.Target
			})
			if d := cmp.Diff(wantSup, gotSup, cmpopts.EquateEmpty(), sortFindings); d != "" {
				t.Errorf("suppressed after the round trip (-want +got):\n%s", d)
			}
			for _, s := range r2.Suppressed[len(r.Suppressed):] {
				if s.Decision.Status != scanreport.StatusNotAffected {
					t.Errorf("suppressed with status %q, want not_affected", s.Decision.Status)
				}
			}
			if r2.Artifact.Name != r.Artifact.Name || r2.Scanner != r.Scanner {
				t.Errorf("metadata changed: %+v %+v", r2.Artifact, r2.Scanner)
			}
		})
	}
}

func TestEncodeNoDecisionsKeepsBytes(t *testing.T) {
	t.Parallel()
	for _, g := range goldenReports {
		t.Run(g.file, func(t *testing.T) {
			t.Parallel()
			in := read(t, g.file)
			r := parse(t, in)
			out, err := r.Encode(make([]scanreport.Decision, len(r.Findings)))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(in, out) {
				t.Errorf("output differs from input:\n%s", cmp.Diff(string(in), string(out)))
			}
		})
	}
}

func TestEncodeShapes(t *testing.T) {
	t.Parallel()
	d := scanreport.Decision{
		Status: scanreport.StatusNotAffected, Justification: scanreport.JustificationVulnerableCodeNotPresent,
		Statement: "stmt-1", Impact: "backported", Source: "DHI VEX",
	}
	tests := []struct {
		file     string
		contains []string
	}{
		{"trivy_alpine-310.json", []string{`"ExperimentalModifiedFindings": [`, `"Type": "vulnerability"`, `"Status": "not_affected"`,
			`"Statement": "vulnerable_code_not_present"`, `"Source": "DHI VEX stmt-1"`, `"Finding": {`}},
		{"grype_TestJsonImgsPresenter.json", []string{`"ignoredMatches": [`, `"appliedIgnoreRules": [`, `"namespace": "vex"`,
			`"vex-status": "not_affected"`, `"vex-justification": "vulnerable_code_not_present"`, `"vulnerability": "CVE-1999-0001"`}},
		{"trivy_alpine-310.sarif", []string{`"suppressions": [`, `"kind": "external"`, `"status": "accepted"`,
			`"justification": "not_affected: vulnerable_code_not_present: backported (stmt-1)"`}},
		{"trivy_alpine-310.cdx-vdr.json", []string{`"analysis": {`, `"state": "not_affected"`, `"justification": "code_not_present"`,
			`"detail": "backported (stmt-1) [DHI VEX]"`}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			r := parse(t, read(t, tc.file))
			ds := make([]scanreport.Decision, len(r.Findings))
			ds[0] = d
			out, err := r.Encode(ds)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range tc.contains {
				if !bytes.Contains(out, []byte(c)) {
					t.Errorf("output lacks %s", c)
				}
			}
		})
	}
}

func TestEncodeCycloneDXSplit(t *testing.T) {
	t.Parallel()
	r := parse(t, read(t, "trivy_alpine-310.cdx-vdr.json"))
	// Findings 0 and 1 are the two components of one vulnerability.
	if r.Findings[0].ID != r.Findings[1].ID {
		t.Fatalf("fixture changed: %s %s", r.Findings[0].ID, r.Findings[1].ID)
	}
	ds := make([]scanreport.Decision, len(r.Findings))
	ds[0] = scanreport.Decision{Status: scanreport.StatusFixed}
	ds[1] = scanreport.Decision{Status: scanreport.StatusUnderInvestigation, Inconsistent: true}
	out, err := r.Encode(ds)
	if err != nil {
		t.Fatal(err)
	}
	m := decodeMap(t, out)
	vs := list(m, "vulnerabilities")
	if len(vs) != 3 {
		t.Fatalf("%d vulnerabilities, want 3 after the split", len(vs))
	}
	var states []string
	for _, v := range vs {
		an, _ := v.(map[string]any)["analysis"].(map[string]any)
		s, _ := an["state"].(string)
		states = append(states, s)
	}
	if d := cmp.Diff([]string{"resolved", "in_triage", ""}, states); d != "" {
		t.Errorf("states (-want +got):\n%s", d)
	}
	if !strings.Contains(string(out), `"name": "dhisdk:inconsistent"`) {
		t.Errorf("inconsistent flag not recorded")
	}
	r2 := parse(t, out)
	if len(r2.Findings) != len(r.Findings)-1 || len(r2.Suppressed) != 1 || r2.Suppressed[0].Decision.Status != scanreport.StatusFixed {
		t.Errorf("after the split: %d findings, %d suppressed", len(r2.Findings), len(r2.Suppressed))
	}
}

func TestEncodeErrors(t *testing.T) {
	t.Parallel()
	r := parse(t, read(t, "trivy_alpine-310.json"))
	tests := []struct {
		name string
		ds   []scanreport.Decision
	}{
		{"too few", nil},
		{"bad status", append([]scanreport.Decision{{Status: "ignored"}}, make([]scanreport.Decision, len(r.Findings)-1)...)},
		{"bad justification", append([]scanreport.Decision{{Status: scanreport.StatusNotAffected, Justification: "because"}}, make([]scanreport.Decision, len(r.Findings)-1)...)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := r.Encode(tc.ds); !errors.Is(err, scanreport.ErrDecisions) {
				t.Errorf("err = %v, want ErrDecisions", err)
			}
		})
	}
}

func TestEncodeKeepsTheRest(t *testing.T) {
	t.Parallel()
	// Suppressing the last finding of a Trivy report changes only the
	// lines of that finding and the lines around it.
	in := read(t, "trivy_alpine-310.json")
	r := parse(t, in)
	ds := make([]scanreport.Decision, len(r.Findings))
	ds[len(ds)-1] = scanreport.Decision{Status: scanreport.StatusFixed}
	out, err := r.Encode(ds)
	if err != nil {
		t.Fatal(err)
	}
	inLines, outLines := strings.Split(string(in), "\n"), strings.Split(string(out), "\n")
	n := 0
	for n < len(inLines) && n < len(outLines) && inLines[n] == outLines[n] {
		n++
	}
	if first := strings.Index(string(in), `"VulnerabilityID": "`+r.Findings[len(ds)-1].ID+`"`); first < 0 || n < strings.Count(string(in[:first]), "\n")-2 {
		t.Errorf("output differs from line %d, before the suppressed finding", n+1)
	}
}

func TestEncodeSARIFUnderReview(t *testing.T) {
	t.Parallel()
	r := parse(t, read(t, "trivy_alpine-310.sarif"))
	ds := make([]scanreport.Decision, len(r.Findings))
	ds[0] = scanreport.Decision{Status: scanreport.StatusUnderInvestigation, Inconsistent: true}
	ds[1] = scanreport.Decision{Status: scanreport.StatusFixed, Statement: "stmt-2", Source: "DHI VEX"}
	out, err := r.Encode(ds)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{`"status": "underReview"`, `"dhisdk:inconsistent": true`, `"status": "accepted"`} {
		if !bytes.Contains(out, []byte(c)) {
			t.Errorf("output lacks %s", c)
		}
	}
	r2 := parse(t, out)
	// Under review is not a suppression: the finding stays.
	if len(r2.Findings) != len(r.Findings)-1 || len(r2.Suppressed) != 1 {
		t.Fatalf("%d findings, %d suppressed", len(r2.Findings), len(r2.Suppressed))
	}
	want := scanreport.Decision{Status: scanreport.StatusFixed, Statement: "stmt-2", Source: "DHI VEX"}
	if d := cmp.Diff(want, r2.Suppressed[0].Decision); d != "" {
		t.Errorf("decision read back (-want +got):\n%s", d)
	}
}
