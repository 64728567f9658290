package vuln_test

import (
	"testing"

	"github.com/dhisdk/dhisdk/dhi/vuln"
)

func TestParseSeverity(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want vuln.Severity
	}{
		{"CRITICAL", vuln.SeverityCritical},
		{"critical", vuln.SeverityCritical},
		{"High", vuln.SeverityHigh},
		{" MEDIUM ", vuln.SeverityMedium},
		{"moderate", vuln.SeverityMedium},
		{"LOW", vuln.SeverityLow},
		{"UNSPECIFIED", vuln.SeverityUnspecified},
		{"negligible", vuln.SeverityUnspecified},
		{"", vuln.SeverityUnspecified},
		{"5.2", vuln.SeverityUnspecified},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			if got := vuln.ParseSeverity(tc.in); got != tc.want {
				t.Errorf("ParseSeverity(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSeverityOrder(t *testing.T) {
	t.Parallel()
	sev := vuln.Severities()
	for i, s := range sev {
		if !s.Valid() {
			t.Errorf("%q.Valid() = false", s)
		}
		if i > 0 && sev[i-1].Rank() <= s.Rank() {
			t.Errorf("%q does not rank above %q", sev[i-1], s)
		}
	}
	if vuln.Severity("HIGH").Valid() || vuln.Severity("").Rank() != 0 {
		t.Errorf("an unnormalized severity is valid")
	}
}
