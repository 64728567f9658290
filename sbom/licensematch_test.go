package sbom

import "testing"

func TestMatchLicense(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr, query string
		want        bool
	}{
		{"GPL-3.0-only", "GPL-3.0-only", true},
		{"GPL-3.0-or-later", "GPL-3.0-only", false},
		{"GPL-3.0", "GPL-3.0-only", true},
		{"GPL-3.0+", "GPL-3.0-or-later", true},
		{"GPL-3.0-only", "GPL-3.0-or-later", false},
		{"GPL-3.0-or-later", "GPL-3.0", true},
		{"GPL-2.0-only", "GPL-3.0", false},
		{"GPL-2.0-only OR MIT", "gpl", true},
		{"LGPL-2.1-only", "GPL", false},
		{"AGPL-3.0-only", "GPL-3.0", false},
		{"Apache-2.0 AND (MIT OR BSD-3-Clause)", "BSD-3-Clause", true},
		{"GPL-2.0-or-later WITH Classpath-exception-2.0", "GPL-2.0", true},
		{"MIT", "MIT-0", false},
		{"NOASSERTION", "NOASSERTION", false},
		{"MIT", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.expr+"/"+tc.query, func(t *testing.T) {
			t.Parallel()
			if got := MatchLicense(tc.expr, tc.query); got != tc.want {
				t.Errorf("MatchLicense(%q, %q) = %v, want %v", tc.expr, tc.query, got, tc.want)
			}
		})
	}
}

func TestSameLicense(t *testing.T) {
	t.Parallel()
	if !SameLicense("MIT AND Apache-2.0", "Apache-2.0 and MIT") || SameLicense("MIT OR Apache-2.0", "MIT AND Apache-2.0") {
		t.Error("SameLicense does not compare canonical forms")
	}
}
