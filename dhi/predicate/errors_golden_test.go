package predicate

import (
	"flag"
	"testing"

	"github.com/dhisdk/dhisdk/internal/goldentest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// TestErrorTextsGolden pins the messages of every reader for input none
// accepts, and of a few shapes each reader rejects, as users read them.
func TestErrorTextsGolden(t *testing.T) {
	t.Parallel()
	var cases []goldentest.ErrorCase
	for _, p := range parsers() {
		for _, in := range []struct{ name, in string }{{"empty", ""}, {"null", "null"}, {"not JSON", "<html>"}} {
			cases = append(cases, goldentest.ErrorCase{Name: p.predicateType + ": " + in.name, Err: p.parse([]byte(in.in))})
		}
	}
	_, findingsErr := ParseFindings("https://spdx.dev/Document", []byte(`{}`))
	_, stigErr := STIGOutput{Format: STIGFormatHTML, Content: "aGVsbG8="}.Decode(2)
	_, fipsErr := ParseFIPS([]byte(`[{},{"sunsetDate":"2030-13-10"}]`))
	_, testsErr := ParseTests([]byte(`{"results":{"summary":{"passed":3}}}`))
	cases = append(cases,
		goldentest.ErrorCase{Name: "ParseFindings: not a vulnerability report", Err: findingsErr},
		goldentest.ErrorCase{Name: "STIG report over the limit", Err: stigErr},
		goldentest.ErrorCase{Name: "FIPS bad sunset date", Err: fipsErr},
		goldentest.ErrorCase{Name: "tests without failed count", Err: testsErr},
	)
	goldentest.Check(t, "testdata/errors.golden", goldentest.ErrorTexts(cases), *update)
}
