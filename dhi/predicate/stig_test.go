package predicate

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

func intp(i int) *int { return &i }

func TestParseSTIGFixture(t *testing.T) {
	t.Parallel()
	b := fixture.Bytes(t, "dhi/predicates/stig.json")
	got, err := ParseSTIG(b)
	if err != nil {
		t.Fatal(err)
	}
	want := STIG{Profiles: []STIGProfile{{
		Name: "xccdf_org.ssgproject.content_profile_stig",
		Summary: STIGSummary{
			DefaultScore: 100, MaxDefaultScore: 100,
			Pass: intp(34), Fail: intp(0), NotApplicable: intp(112),
		},
		Outputs: []STIGOutput{
			{Format: STIGFormatHTML, Content: "PGh0bWw+PGJvZHk+PGgxPkRJU0EgU1RJRyBmb3IgRG9ja2VyIEhhcmRlbmVkIEltYWdlczwvaDE+PHA+U2NvcmU6IDEwMC4wIC8gMTAwLjA8L3A+PC9ib2R5PjwvaHRtbD4="},
			{Format: STIGFormatXCCDF, Content: "PD94bWwgdmVyc2lvbj0iMS4wIj8+PEJlbmNobWFyayB4bWxucz0iaHR0cDovL2NoZWNrbGlzdHMubmlzdC5nb3YveGNjZGYvMS4yIj48VGVzdFJlc3VsdD48c2NvcmUgbWF4aW11bT0iMTAwIj4xMDAuMDwvc2NvcmU+PC9UZXN0UmVzdWx0PjwvQmVuY2htYXJrPg=="},
		},
	}}}
	if diff := cmp.Diff(want, got, ignoreRaw); diff != "" {
		t.Fatalf("ParseSTIG() (-want +got):\n%s", diff)
	}
	p := got.Profiles[0]
	if pct, ok := p.Summary.ScorePercent(); !ok || pct != 100 {
		t.Errorf("ScorePercent() = %v, %v; want 100, true", pct, ok)
	}
	html, err := p.HTML(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	if want := "<html><body><h1>DISA STIG for Docker Hardened Images</h1><p>Score: 100.0 / 100.0</p></body></html>"; string(html) != want {
		t.Errorf("HTML() = %q, want %q", html, want)
	}
	xccdf, err := p.XCCDF(0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(xccdf), `<?xml version="1.0"?><Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2">`) ||
		!strings.HasSuffix(string(xccdf), `<score maximum="100">100.0</score></TestResult></Benchmark>`) {
		t.Errorf("XCCDF() = %q", xccdf)
	}
	if !strings.Contains(string(p.Summary.Raw), `"notapplicable": 112`) {
		t.Errorf("Summary.Raw = %s", p.Summary.Raw)
	}
	// The HTML report is 98 bytes: a limit of 98 passes, 97 does not.
	if _, err := p.HTML(98); err != nil {
		t.Errorf("HTML(98): %v", err)
	}
	if _, err := p.HTML(97); !errors.Is(err, ErrTooLarge) {
		t.Errorf("HTML(97) error = %v, want ErrTooLarge", err)
	}
}

func TestParseSTIGOptionalFields(t *testing.T) {
	t.Parallel()
	got, err := ParseSTIG([]byte(`[{"name":"p","summary":{"defaultScore":87.5,"maxDefaultScore":100,"error":2}},{"name":"q"}]`))
	if err != nil {
		t.Fatal(err)
	}
	want := STIG{Profiles: []STIGProfile{
		{Name: "p", Summary: STIGSummary{DefaultScore: 87.5, MaxDefaultScore: 100}},
		{Name: "q"},
	}}
	if diff := cmp.Diff(want, got, ignoreRaw); diff != "" {
		t.Errorf("ParseSTIG() (-want +got):\n%s", diff)
	}
	if !strings.Contains(string(got.Profiles[0].Summary.Raw), `"error":2`) || got.Profiles[1].Summary.Raw != nil {
		t.Errorf("Summary.Raw = %s, %s", got.Profiles[0].Summary.Raw, got.Profiles[1].Summary.Raw)
	}
	if pct, ok := got.Profiles[0].Summary.ScorePercent(); !ok || pct != 87.5 {
		t.Errorf("ScorePercent() = %v, %v; want 87.5, true", pct, ok)
	}
	if _, ok := got.Profiles[1].Summary.ScorePercent(); ok {
		t.Errorf("ScorePercent() of a profile without summary reports a score")
	}
	if _, err := got.Profiles[1].HTML(0); !errors.Is(err, ErrNotFound) {
		t.Errorf("HTML() of a profile without outputs: %v, want ErrNotFound", err)
	}
}

func TestScorePercent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		s    STIGSummary
		want float64
		ok   bool
	}{
		{"full", STIGSummary{DefaultScore: 100, MaxDefaultScore: 100}, 100, true},
		{"partial", STIGSummary{DefaultScore: 45, MaxDefaultScore: 60}, 75, true},
		{"zero max", STIGSummary{DefaultScore: 1}, 0, false},
		{"negative max", STIGSummary{DefaultScore: 1, MaxDefaultScore: -1}, 0, false},
		{"NaN max", STIGSummary{DefaultScore: 1, MaxDefaultScore: math.NaN()}, 0, false},
		{"infinite max", STIGSummary{DefaultScore: 1, MaxDefaultScore: math.Inf(1)}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := tc.s.ScorePercent()
			if got != tc.want || ok != tc.ok {
				t.Errorf("ScorePercent() = %v, %v; want %v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestSTIGOutputDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		content string
		max     int64
		want    string
		wantErr error
	}{
		{"padded", "aGVsbG8=", 0, "hello", nil},
		{"unpadded", "aGVsbG8", 0, "hello", nil},
		{"line breaks", "aGVs\nbG8=\r\n", 0, "hello", nil},
		{"empty", "", 0, "", nil},
		{"exact limit", "aGVsbG8=", 5, "hello", nil},
		{"over limit", "aGVsbG8=", 4, "", ErrTooLarge},
		{"not base64", "a*b=", 0, "", ErrInvalid},
		{"bad padding", "aGVsbG8==", 0, "", ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := STIGOutput{Format: STIGFormatHTML, Content: tc.content}.Decode(tc.max)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Decode() error = %v, want %v", err, tc.wantErr)
				}
				if tc.wantErr == ErrInvalid && !strings.Contains(err.Error(), TypeSTIG) {
					t.Errorf("error %q does not name %s", err, TypeSTIG)
				}
				return
			}
			if err != nil || string(got) != tc.want {
				t.Errorf("Decode() = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestSTIGFormat(t *testing.T) {
	t.Parallel()
	for _, f := range STIGFormats() {
		if !f.Valid() {
			t.Errorf("%q.Valid() = false", f)
		}
	}
	if STIGFormat("arf").Valid() || STIGFormat("HTML").Valid() {
		t.Errorf("Valid() accepts a format not listed")
	}
	got, err := ParseSTIG([]byte(`[{"output":[{"format":"HTML","content":"aGk="},{"format":"arf","content":""}]}]`))
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := got.Profiles[0].Output(STIGFormatHTML); !ok || o.Format != STIGFormatHTML {
		t.Errorf("Output(html) = %v, %v; want the HTML output lowercased", o, ok)
	}
	if o, ok := got.Profiles[0].Output("arf"); !ok || o.Format.Valid() {
		t.Errorf("Output(arf) = %v, %v", o, ok)
	}
}
