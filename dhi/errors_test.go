package dhi

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
		{PredicateTypeFIPS, func(b []byte) error { _, err := ParseFIPS(b); return err }},
		{PredicateTypeSTIG, func(b []byte) error { _, err := ParseSTIG(b); return err }},
		{PredicateTypeScoutVulnerabilities, func(b []byte) error { _, err := ParseScoutVulnerabilities(b); return err }},
		{PredicateTypeInTotoVulns, func(b []byte) error { _, err := ParseInTotoVulns(b); return err }},
		{PredicateTypeScoutTests, func(b []byte) error { _, err := ParseTests(b); return err }},
		{PredicateTypeScoutSecrets, func(b []byte) error { _, err := ParseSecrets(b); return err }},
		{PredicateTypeScoutVirus, func(b []byte) error { _, err := ParseVirusScan(b); return err }},
		{PredicateTypeScoutHealthScore, func(b []byte) error { _, err := ParseHealthScore(b); return err }},
		{PredicateTypeScoutSBOM, func(b []byte) error { _, err := ParseScoutSBOM(b); return err }},
		{PredicateTypeScoutProvenance, func(b []byte) error { _, err := ParseScoutProvenance(b); return err }},
		{PredicateTypeImageSource, func(b []byte) error { _, err := ParseImageSource(b); return err }},
	}
}

// checkPredicateError fails t unless err is a *PredicateError for
// predicateType that wraps ErrInvalidPredicate and whose message names the
// type and contains detail.
func checkPredicateError(t *testing.T, err error, predicateType, detail string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one containing %q", detail)
	}
	var pe *PredicateError
	if !errors.Is(err, ErrInvalidPredicate) || !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *PredicateError wrapping ErrInvalidPredicate", err, err)
	}
	if pe.PredicateType != predicateType {
		t.Errorf("PredicateType = %q, want %q", pe.PredicateType, predicateType)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "dhi: invalid predicate "+predicateType+": ") {
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
		{"fips object", PredicateTypeFIPS, `{"name":"x"}`, "got a json object, want an array"},
		{"fips module not object", PredicateTypeFIPS, `["x"]`, "module 0: got a json string, want an object"},
		{"fips null module", PredicateTypeFIPS, `[{}, null]`, "module 1: null, want an object"},
		{"fips name number", PredicateTypeFIPS, `[{"name":3}]`, "module 0: name: got a json number, want a string"},
		{"fips bad sunset", PredicateTypeFIPS, `[{},{"sunsetDate":"2030-13-10"}]`, `module 1: sunsetDate "2030-13-10" is not a date`},

		{"stig object", PredicateTypeSTIG, `{}`, "got a json object, want an array"},
		{"stig summary string", PredicateTypeSTIG, `[{"summary":"100"}]`, "profile 0: summary: got a json string, want an object"},
		{"stig score string", PredicateTypeSTIG, `[{"summary":{"defaultScore":"100"}}]`, "profile 0: summary: defaultScore: got a json string, want a number"},
		{"stig pass float", PredicateTypeSTIG, `[{"summary":{"pass":1.5}}]`, "profile 0: summary: pass: got a json number 1.5, want an integer"},
		{"stig output object", PredicateTypeSTIG, `[{"output":{"format":"html"}}]`, "profile 0: output: got a json object, want an array"},

		{"scout vulns object", PredicateTypeScoutVulnerabilities, `{"purl":"p"}`, "got a json object, want an array"},
		{"scout package string", PredicateTypeScoutVulnerabilities, `[{}, "pkg:x"]`, "package 1: got a json string, want an object"},
		{"scout package null", PredicateTypeScoutVulnerabilities, `[{}, null]`, "package 1: null, want an object"},
		{"scout purl number", PredicateTypeScoutVulnerabilities, `[{"purl":"a"},{"purl":1}]`, "package 1: purl: got a json number, want a string"},
		{"scout vulns not list", PredicateTypeScoutVulnerabilities, `[{"purl":"p","vulnerabilities":{}}]`, "package 0: vulnerabilities: got a json object, want an array"},
		{"scout vuln null", PredicateTypeScoutVulnerabilities, `[{"purl":"p","vulnerabilities":[{},null]}]`, "package 0: vulnerability 1: null, want an object"},
		{"scout score string", PredicateTypeScoutVulnerabilities, `[{},{"vulnerabilities":[{"cvss":{"score":"7.8"}}]}]`, "package 1: vulnerability 0: cvss.score: got a json string, want a number"},
		{"scout bad published", PredicateTypeScoutVulnerabilities, `[{"vulnerabilities":[{"published_at":"yesterday"}]}]`, `package 0: vulnerability 0: published_at "yesterday" is not an RFC 3339 time`},
		{"scout aliases string", PredicateTypeScoutVulnerabilities, `[{"vulnerabilities":[{"aliases":"GHSA-x"}]}]`, "aliases: got a json string, want an array"},

		{"in-toto array", PredicateTypeInTotoVulns, `[]`, "got a json array, want an object"},
		{"in-toto no scanner", PredicateTypeInTotoVulns, `{"metadata":{}}`, "scanner is missing"},
		{"in-toto result object", PredicateTypeInTotoVulns, `{"scanner":{"result":{}}}`, "scanner.result: got a json object, want an array"},
		{"in-toto bad time", PredicateTypeInTotoVulns, `{"scanner":{},"metadata":{"scanStartedOn":"10:00"}}`, `metadata.scanStartedOn "10:00" is not an RFC 3339 time`},
		{"in-toto bad lastUpdate", PredicateTypeInTotoVulns, `{"scanner":{"db":{"lastUpdate":"x"}}}`, `scanner.db.lastUpdate "x" is not an RFC 3339 time`},
		{"in-toto severity string", PredicateTypeInTotoVulns, `{"scanner":{"result":[{"id":"x","severity":"high"}]}}`, "scanner.result 0: severity: got a json string, want an array"},
		{"in-toto score object", PredicateTypeInTotoVulns, `{"scanner":{"result":[{"severity":[{"score":{}}]}]}}`, "scanner.result 0: severity: item 0: score: got a json object, want a string or a number"},
		{"in-toto null result", PredicateTypeInTotoVulns, `{"scanner":{"result":[null]}}`, "scanner.result 0: null, want an object"},

		{"tests array", PredicateTypeScoutTests, `[]`, "got a json array, want an object"},
		{"tests no results", PredicateTypeScoutTests, `{}`, "results is missing"},
		{"tests no summary", PredicateTypeScoutTests, `{"results":{}}`, "results.summary is missing"},
		{"tests no failed", PredicateTypeScoutTests, `{"results":{"summary":{"passed":3}}}`, "results.summary.failed is missing"},
		{"tests failed string", PredicateTypeScoutTests, `{"results":{"summary":{"failed":"0"}}}`, "results.summary: failed: got a json string, want an integer"},

		{"secrets object", PredicateTypeScoutSecrets, `{}`, "got a json object, want an array"},
		{"secrets count", PredicateTypeScoutSecrets, `0`, "got a json number, want an array"},

		{"virus array", PredicateTypeScoutVirus, `[]`, "got a json array, want an object"},
		{"virus no scanner", PredicateTypeScoutVirus, `{}`, "scanner is missing"},
		{"virus no report", PredicateTypeScoutVirus, `{"scanner":{"name":"clamav"}}`, "scanner.report is missing"},
		{"virus report number", PredicateTypeScoutVirus, `{"scanner":{"report":3}}`, "scanner.report: got a json number, want a string"},
		{"virus bad base64", PredicateTypeScoutVirus, `{"scanner":{"report":"SW5mZWN0ZWQ*"}}`, "scanner.report: not base64"},
		{"virus no summary line", PredicateTypeScoutVirus, `{"scanner":{"report":` + b64("U2Nhbm5lZCBmaWxlczogMgo=") + `}}`, `scanner.report has no "Infected files: N" line`},
		{"virus empty report", PredicateTypeScoutVirus, `{"scanner":{"report":""}}`, `scanner.report has no "Infected files: N" line`},

		{"scout sbom array", PredicateTypeScoutSBOM, `[]`, "got a json array, want an object"},
		{"scout sbom artifacts object", PredicateTypeScoutSBOM, `{"artifacts":{}}`, "artifacts: got a json object, want an array"},
		{"scout sbom artifact string", PredicateTypeScoutSBOM, `{"artifacts":["pkg:x"]}`, "artifact 0: got a json string, want an object"},
		{"scout sbom licenses string", PredicateTypeScoutSBOM, `{"artifacts":[{"licenses":"MIT"}]}`, "artifact 0: licenses: got a json string, want an array"},

		{"scout provenance array", PredicateTypeScoutProvenance, `[]`, "got a json array, want an object"},
		{"scout provenance base number", PredicateTypeScoutProvenance, `{"base_image":1}`, "base_image: got a json number, want a string"},

		{"image source no source", PredicateTypeImageSource, `{"name":"dhi/python"}`, "source is missing"},
		{"image source string", PredicateTypeImageSource, `{"source":"dhi/python"}`, "source: got a json string, want an object"},
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
	err := error(&PredicateError{PredicateType: PredicateTypeFIPS, Detail: "x"})
	if !errors.Is(err, ErrInvalidPredicate) || errors.Is(err, ErrNotFound) {
		t.Errorf("Unwrap is wrong")
	}
	if got, want := err.Error(), "dhi: invalid predicate https://docker.com/dhi/fips/v0.1: x"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
