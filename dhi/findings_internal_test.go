package dhi

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/dhi/vuln"
)

func TestMergeFindings(t *testing.T) {
	t.Parallel()
	const p = "pkg:deb/debian/libssl3@3.0.19-1~deb12u2?os_distro=bookworm"
	scout := []vuln.Finding{
		{ID: "CVE-1", PURL: p, Severity: vuln.SeverityHigh, FixedIn: "3.0.18-1~deb12u1", Source: "scout"},
		{ID: "CVE-2", PURL: p, Severity: vuln.SeverityLow, Source: "scout"},
	}
	intoto := []vuln.Finding{
		{ID: "CVE-1", Severity: vuln.SeverityUnspecified, Aliases: []string{"GHSA-1"}, Source: "in-toto"},
		{ID: "CVE-2", PURL: p, Source: "in-toto", Score: 3.1},
		{ID: "CVE-3", Source: "in-toto"},
	}
	got := mergeFindings([][]vuln.Finding{scout, intoto})
	want := []vuln.Finding{
		{ID: "CVE-1", PURL: p, Severity: vuln.SeverityHigh, FixedIn: "3.0.18-1~deb12u1", Source: "scout", Sources: []string{"scout", "in-toto"}, Aliases: []string{"GHSA-1"}},
		{ID: "CVE-2", PURL: p, Severity: vuln.SeverityLow, Source: "scout", Sources: []string{"scout", "in-toto"}, Score: 3.1},
		{ID: "CVE-3", Source: "in-toto"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("mergeFindings (-want +got):\n%s", d)
	}
}

func TestFixInstalled(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    vuln.Finding
		want bool
	}{
		{"debian installed above the fix", vuln.Finding{PURL: "pkg:deb/debian/libssl3@3.0.19-1~deb12u2", FixedIn: "3.0.18-1~deb12u1"}, true},
		{"debian tilde sorts before", vuln.Finding{PURL: "pkg:deb/debian/libssl3@3.0.18-1~deb12u1", FixedIn: "3.0.18-1"}, false},
		{"equal is fixed", vuln.Finding{PURL: "pkg:deb/debian/libssl3@3.0.18-1", FixedIn: "3.0.18-1"}, true},
		{"not by strings: 1.10 > 1.9", vuln.Finding{PURL: "pkg:golang/example.com/m@v1.10.0", FixedIn: "1.9.0"}, true},
		{"below the fix", vuln.Finding{PURL: "pkg:golang/example.com/m@v1.8.0", FixedIn: "1.9.0"}, false},
		{"installed version field", vuln.Finding{PURL: "pkg:npm/x", InstalledVersion: "2.0.0", FixedIn: "1.9.0"}, true},
		{"several fixes are not judged", vuln.Finding{PURL: "pkg:npm/x@1.4.0", FixedIn: "1.5.13, 1.3.15"}, false},
		{"no fix", vuln.Finding{PURL: "pkg:npm/x@1.4.0"}, false},
		{"no version", vuln.Finding{PURL: "pkg:npm/x", FixedIn: "1.0.0"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := fixInstalled(tc.f); got != tc.want {
				t.Errorf("fixInstalled(%+v) = %v, want %v", tc.f, got, tc.want)
			}
		})
	}
}

func TestQueryUnknownSeverity(t *testing.T) {
	t.Parallel()
	q := VulnerabilityQuery{MinSeverity: vuln.SeverityHigh}
	if q.rank(vuln.SeverityUnspecified) >= vuln.SeverityHigh.Rank() {
		t.Error("unknown severity reaches a high gate by default")
	}
	q.UnknownAs = vuln.SeverityHigh
	if q.rank(vuln.SeverityUnspecified) < vuln.SeverityHigh.Rank() || q.rank("bogus") < vuln.SeverityHigh.Rank() {
		t.Error("UnknownAs high: unknown severity does not reach a high gate")
	}
	if q.rank(vuln.SeverityLow) != vuln.SeverityLow.Rank() {
		t.Error("UnknownAs changed a known severity")
	}
}
