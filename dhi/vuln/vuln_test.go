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

func TestCVSSVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, vector, want string
	}{
		{"v3.1", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", "3.1"},
		{"v3.0", "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N", "3.0"},
		{"v4.0", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "4.0"},
		{"v2", "AV:N/AC:L/Au:N/C:P/I:N/A:N", "2.0"},
		{"unknown prefix", "CVSS:9.9/AV:N", ""},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := vuln.CVSSVersion(tc.vector); got != tc.want {
				t.Errorf("CVSSVersion(%q) = %q, want %q", tc.vector, got, tc.want)
			}
		})
	}
}
