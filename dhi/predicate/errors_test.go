package predicate

import (
	"errors"
	"strings"
	"testing"
)

// parsers runs each reader of this package, discarding its value.
func parsers() []struct {
	predicateType string
	parse         func([]byte) error
} {
	return []struct {
		predicateType string
		parse         func([]byte) error
	}{
		{TypeFIPS, func(b []byte) error { _, err := ParseFIPS(b); return err }},
		{TypeSTIG, func(b []byte) error { _, err := ParseSTIG(b); return err }},
		{TypeScoutVulnerabilities, func(b []byte) error { _, err := ParseScoutVulnerabilities(b); return err }},
		{TypeInTotoVulns, func(b []byte) error { _, err := ParseInTotoVulns(b); return err }},
		{TypeScoutTests, func(b []byte) error { _, err := ParseTests(b); return err }},
		{TypeScoutSecrets, func(b []byte) error { _, err := ParseSecrets(b); return err }},
		{TypeScoutVirus, func(b []byte) error { _, err := ParseVirusScan(b); return err }},
		{TypeScoutHealthScore, func(b []byte) error { _, err := ParseHealthScore(b); return err }},
		{TypeScoutSBOM, func(b []byte) error { _, err := ParseScoutSBOM(b); return err }},
		{TypeScoutProvenance, func(b []byte) error { _, err := ParseScoutProvenance(b); return err }},
		{TypeImageSource, func(b []byte) error { _, err := ParseImageSource(b); return err }},
	}
}

// checkPredicateError fails t unless err is a *Error for
// predicateType that wraps ErrInvalid and whose message names the
// type and contains detail.
func checkPredicateError(t *testing.T, err error, predicateType, detail string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one containing %q", detail)
	}
	var pe *Error
	if !errors.Is(err, ErrInvalid) || !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *Error wrapping ErrInvalid", err, err)
	}
	if pe.PredicateType != predicateType {
		t.Errorf("PredicateType = %q, want %q", pe.PredicateType, predicateType)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "predicate: invalid predicate "+predicateType+": ") {
		t.Errorf("message %q does not start with the package and predicate type", msg)
	}
	if !strings.Contains(msg, detail) {
		t.Errorf("message %q does not contain %q", msg, detail)
	}
	if strings.Contains(msg, "JSON") && strings.Contains(msg, "Go ") {
		t.Errorf("message %q names Go types", msg)
	}
}

// TestParseCommonBadInput feeds every reader input that none accepts.
func TestParseCommonBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, detail string
	}{
		{"empty", "", "empty predicate"},
		{"white space", " \n\t", "empty predicate"},
		{"null", "null", "predicate is null"},
		{"truncated", `{"a":`, "malformed json"},
		{"trailing garbage", `[] x`, "malformed json"},
		{"not JSON", `<html>`, "malformed json at byte offset 1"},
	}
	for _, p := range parsers() {
		for _, tc := range tests {
			t.Run(p.predicateType+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				checkPredicateError(t, p.parse([]byte(tc.in)), p.predicateType, tc.detail)
			})
		}
	}
}

func TestParseBadInput(t *testing.T) {
	t.Parallel()
	b64 := func(s string) string { return `"` + s + `"` }
	tests := []struct {
		name          string
		predicateType string
		in            string
		detail        string
	}{
		{"fips object", TypeFIPS, `{"name":"x"}`, "got a json object, want an array"},
		{"fips module not object", TypeFIPS, `["x"]`, "module 0: got a json string, want an object"},
		{"fips null module", TypeFIPS, `[{}, null]`, "module 1: null, want an object"},
		{"fips name number", TypeFIPS, `[{"name":3}]`, "module 0: name: got a json number, want a string"},
		{"fips bad sunset", TypeFIPS, `[{},{"sunsetDate":"2030-13-10"}]`, `module 1: sunsetDate "2030-13-10" is not a date`},

		{"stig object", TypeSTIG, `{}`, "got a json object, want an array"},
		{"stig summary string", TypeSTIG, `[{"summary":"100"}]`, "profile 0: summary: got a json string, want an object"},
		{"stig score string", TypeSTIG, `[{"summary":{"defaultScore":"100"}}]`, "profile 0: summary: defaultScore: got a json string, want a number"},
		{"stig pass float", TypeSTIG, `[{"summary":{"pass":1.5}}]`, "profile 0: summary: pass: got a json number 1.5, want an integer"},
		{"stig output object", TypeSTIG, `[{"output":{"format":"html"}}]`, "profile 0: output: got a json object, want an array"},

		{"scout vulns object", TypeScoutVulnerabilities, `{"purl":"p"}`, "got a json object, want an array"},
		{"scout package string", TypeScoutVulnerabilities, `[{}, "pkg:x"]`, "package 1: got a json string, want an object"},
		{"scout package null", TypeScoutVulnerabilities, `[{}, null]`, "package 1: null, want an object"},
		{"scout purl number", TypeScoutVulnerabilities, `[{"purl":"a"},{"purl":1}]`, "package 1: purl: got a json number, want a string"},
		{"scout vulns not list", TypeScoutVulnerabilities, `[{"purl":"p","vulnerabilities":{}}]`, "package 0: vulnerabilities: got a json object, want an array"},
		{"scout vuln null", TypeScoutVulnerabilities, `[{"purl":"p","vulnerabilities":[{},null]}]`, "package 0: vulnerability 1: null, want an object"},
		{"scout score string", TypeScoutVulnerabilities, `[{},{"vulnerabilities":[{"cvss":{"score":"7.8"}}]}]`, "package 1: vulnerability 0: cvss.score: got a json string, want a number"},
		{"scout bad published", TypeScoutVulnerabilities, `[{"vulnerabilities":[{"published_at":"yesterday"}]}]`, `package 0: vulnerability 0: published_at "yesterday" is not an RFC 3339 time`},
		{"scout aliases string", TypeScoutVulnerabilities, `[{"vulnerabilities":[{"aliases":"GHSA-x"}]}]`, "aliases: got a json string, want an array"},

		{"in-toto array", TypeInTotoVulns, `[]`, "got a json array, want an object"},
		{"in-toto no scanner", TypeInTotoVulns, `{"metadata":{}}`, "scanner is missing"},
		{"in-toto result object", TypeInTotoVulns, `{"scanner":{"result":{}}}`, "scanner.result: got a json object, want an array"},
		{"in-toto bad time", TypeInTotoVulns, `{"scanner":{},"metadata":{"scanStartedOn":"10:00"}}`, `metadata.scanStartedOn "10:00" is not an RFC 3339 time`},
		{"in-toto bad lastUpdate", TypeInTotoVulns, `{"scanner":{"db":{"lastUpdate":"x"}}}`, `scanner.db.lastUpdate "x" is not an RFC 3339 time`},
		{"in-toto severity string", TypeInTotoVulns, `{"scanner":{"result":[{"id":"x","severity":"high"}]}}`, "scanner.result 0: severity: got a json string, want an array"},
		{"in-toto score object", TypeInTotoVulns, `{"scanner":{"result":[{"severity":[{"score":{}}]}]}}`, "scanner.result 0: severity: item 0: score: got a json object, want a string or a number"},
		{"in-toto null result", TypeInTotoVulns, `{"scanner":{"result":[null]}}`, "scanner.result 0: null, want an object"},

		{"tests array", TypeScoutTests, `[]`, "got a json array, want an object"},
		{"tests no results", TypeScoutTests, `{}`, "results is missing"},
		{"tests no summary", TypeScoutTests, `{"results":{}}`, "results.summary is missing"},
		{"tests no failed", TypeScoutTests, `{"results":{"summary":{"passed":3}}}`, "results.summary.failed is missing"},
		{"tests failed string", TypeScoutTests, `{"results":{"summary":{"failed":"0"}}}`, "results.summary: failed: got a json string, want an integer"},

		{"secrets object", TypeScoutSecrets, `{}`, "got a json object, want an array"},
		{"secrets count", TypeScoutSecrets, `0`, "got a json number, want an array"},

		{"virus array", TypeScoutVirus, `[]`, "got a json array, want an object"},
		{"virus no scanner", TypeScoutVirus, `{}`, "scanner is missing"},
		{"virus no report", TypeScoutVirus, `{"scanner":{"name":"clamav"}}`, "scanner.report is missing"},
		{"virus report number", TypeScoutVirus, `{"scanner":{"report":3}}`, "scanner.report: got a json number, want a string"},
		{"virus bad base64", TypeScoutVirus, `{"scanner":{"report":"SW5mZWN0ZWQ*"}}`, "scanner.report: not base64"},
		{"virus no summary line", TypeScoutVirus, `{"scanner":{"report":` + b64("U2Nhbm5lZCBmaWxlczogMgo=") + `}}`, `scanner.report has no "Infected files: N" line`},
		{"virus empty report", TypeScoutVirus, `{"scanner":{"report":""}}`, `scanner.report has no "Infected files: N" line`},

		{"scout sbom array", TypeScoutSBOM, `[]`, "got a json array, want an object"},
		{"scout sbom artifacts object", TypeScoutSBOM, `{"artifacts":{}}`, "artifacts: got a json object, want an array"},
		{"scout sbom artifact string", TypeScoutSBOM, `{"artifacts":["pkg:x"]}`, "artifact 0: got a json string, want an object"},
		{"scout sbom licenses string", TypeScoutSBOM, `{"artifacts":[{"licenses":"MIT"}]}`, "artifact 0: licenses: got a json string, want an array"},

		{"scout provenance array", TypeScoutProvenance, `[]`, "got a json array, want an object"},
		{"scout provenance base number", TypeScoutProvenance, `{"base_image":1}`, "base_image: got a json number, want a string"},

		{"image source no source", TypeImageSource, `{"name":"dhi/python"}`, "source is missing"},
		{"image source string", TypeImageSource, `{"source":"dhi/python"}`, "source: got a json string, want an object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var parse func([]byte) error
			for _, p := range parsers() {
				if p.predicateType == tc.predicateType {
					parse = p.parse
				}
			}
			checkPredicateError(t, parse([]byte(tc.in)), tc.predicateType, tc.detail)
		})
	}
}

func TestPredicateErrorUnwrap(t *testing.T) {
	t.Parallel()
	err := error(&Error{PredicateType: TypeFIPS, Detail: "x"})
	if !errors.Is(err, ErrInvalid) || errors.Is(err, ErrNotFound) {
		t.Errorf("Unwrap is wrong")
	}
	if got, want := err.Error(), "predicate: invalid predicate https://docker.com/dhi/fips/v0.1: x"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
