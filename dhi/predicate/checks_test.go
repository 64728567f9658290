package predicate

import (
	"encoding/base64"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

func TestParseTestsFixture(t *testing.T) {
	t.Parallel()
	b := fixture.Bytes(t, "dhi/predicates/scout-tests.json")
	got, err := ParseTests(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(TestSummary{Failed: 0, Passed: 12, Skipped: 0}, got.Summary, ignoreRaw); diff != "" {
		t.Errorf("Summary (-want +got):\n%s", diff)
	}
	if !got.OK() || string(got.Raw) != string(b) || !strings.Contains(string(got.Summary.Raw), `"passed": 12`) {
		t.Errorf("OK() = %v, Raw = %s, Summary.Raw = %s", got.OK(), got.Raw, got.Summary.Raw)
	}
}

func TestParseTestsFailed(t *testing.T) {
	t.Parallel()
	got, err := ParseTests([]byte(`{"results":{"summary":{"failed":3,"errored":1},"tests":[{"name":"t"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got.OK() || got.Summary.Failed != 3 || got.Summary.Passed != 0 || !strings.Contains(string(got.Summary.Raw), `"errored":1`) {
		t.Errorf("ParseTests() = %+v", got)
	}
}

func TestParseSecretsFixture(t *testing.T) {
	t.Parallel()
	got, err := ParseSecrets(fixture.Bytes(t, "dhi/predicates/scout-secrets.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got.Count() != 0 || got.Items != nil {
		t.Errorf("ParseSecrets() = %+v, want no items", got)
	}
	got, err = ParseSecrets([]byte(`[{"rule":"aws-access-key","path":"/etc/x"}, "s", 3]`))
	if err != nil {
		t.Fatal(err)
	}
	if got.Count() != 3 || string(got.Items[0]) != `{"rule":"aws-access-key","path":"/etc/x"}` || string(got.Items[2]) != "3" {
		t.Errorf("ParseSecrets() = %+v", got)
	}
}

func TestParseVirusScanFixture(t *testing.T) {
	t.Parallel()
	b := fixture.Bytes(t, "dhi/predicates/scout-virus.json")
	got, err := ParseVirusScan(b)
	if err != nil {
		t.Fatal(err)
	}
	want := VirusScan{
		Scanner:       "clamav",
		Report:        "----------- SCAN SUMMARY -----------\nKnown viruses: 8708690\nScanned files: 2144\nInfected files: 0\n",
		InfectedFiles: 0,
	}
	if diff := cmp.Diff(want, got, ignoreRaw); diff != "" {
		t.Errorf("ParseVirusScan() (-want +got):\n%s", diff)
	}
	if !got.Clean() || string(got.Raw) != string(b) {
		t.Errorf("Clean() = false or Raw differs")
	}
}

func virusPredicate(report string) []byte {
	return []byte(`{"scanner":{"report":"` + base64.StdEncoding.EncodeToString([]byte(report)) + `"}}`)
}

func TestParseVirusScanInfected(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		report string
		want   int
	}{
		{"infected", "Scanned files: 10\nInfected files: 2\n", 2},
		{"no final newline", "Infected files: 7", 7},
		{"lower case", "infected FILES: 1\n", 1},
		{"CRLF", "Scanned files: 10\r\nInfected files: 4\r\n", 4},
		{"first line counts", "Infected files: 0\nInfected files: 9\n", 0},
		{"skips non-matching lines", "Infected files: none\n Infected files: 3\nInfected files: 5 \nInfected files: 6\n", 6},
		{"long s folds to s", "Infected fileſ: 8\n", 8},
		{"huge count", "Infected files: 99999999999999999999999\n", int(^uint(0) >> 1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseVirusScan(virusPredicate(tc.report))
			if err != nil {
				t.Fatal(err)
			}
			if got.InfectedFiles != tc.want || got.Clean() != (tc.want == 0) {
				t.Errorf("InfectedFiles = %d, want %d", got.InfectedFiles, tc.want)
			}
		})
	}
	// Unpadded base64 is read too.
	unpadded := `{"scanner":{"report":"` + base64.RawStdEncoding.EncodeToString([]byte("Infected files: 1")) + `"}}`
	if got, err := ParseVirusScan([]byte(unpadded)); err != nil || got.InfectedFiles != 1 {
		t.Errorf("unpadded report: %+v, %v", got, err)
	}
}

// TestInfectedFilesMatchesPolicyRegexp compares infectedFiles with the
// expression of DHI's policy on reports without "\r".
func TestInfectedFilesMatchesPolicyRegexp(t *testing.T) {
	t.Parallel()
	re := regexp.MustCompile(`(?im)^Infected files: ([0-9]+)$`)
	for _, report := range []string{
		"", "Infected files: 0", "x\nInfected files: 12\ny", "Infected files:  1\n", "Infected files: 1x\n",
		"INFECTED FILES: 3", "Infected files: \n", "Infected\nfiles: 1", "Infected files: ٣\n",
		"\xffInfected files: 1\n", "Infected files: 1\xff\nInfected files: 2", "Infected fileſ: 8\n",
	} {
		checkInfectedFiles(t, re, report)
	}
}

// checkInfectedFiles fails t when infectedFiles and re disagree on report.
func checkInfectedFiles(t *testing.T, re *regexp.Regexp, report string) {
	t.Helper()
	n, ok := infectedFiles(report)
	m := re.FindStringSubmatch(report)
	if ok != (m != nil) {
		t.Fatalf("infectedFiles(%q) found %v, the policy regexp %v", report, ok, m != nil)
	}
	if m == nil {
		return
	}
	want, err := strconv.Atoi(m[1])
	if err != nil {
		want = int(^uint(0) >> 1)
	}
	if n != want {
		t.Fatalf("infectedFiles(%q) = %d, the policy regexp %d", report, n, want)
	}
}
