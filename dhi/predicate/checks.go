package predicate

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// Tests is the predicate of Docker Scout's test record
// ([TypeScoutTests]): the outcome of the tests run against an
// image. DHI's policy "no failing tests" reads results.summary.failed.
type Tests struct {
	// Summary counts the tests by outcome (results.summary).
	Summary TestSummary `json:"summary"`
	// Raw is the whole predicate, as given.
	Raw json.RawMessage `json:"-"`
}

// TestSummary counts the tests of a [Tests] predicate by outcome.
type TestSummary struct {
	// Failed is the number of tests that failed (failed); the one count
	// that must be present.
	Failed int `json:"failed"`
	// Passed is the number of tests that passed (passed); 0 when absent.
	Passed int `json:"passed"`
	// Skipped is the number of tests skipped (skipped); 0 when absent.
	Skipped int `json:"skipped"`
	// Raw is the summary's JSON object, with any count not typed here.
	Raw json.RawMessage `json:"-"`
}

type testsJSON struct {
	Results *struct {
		Summary json.RawMessage `json:"summary"`
	} `json:"results"`
}

type testSummaryJSON struct {
	Failed  *int `json:"failed"`
	Passed  int  `json:"passed"`
	Skipped int  `json:"skipped"`
}

// ParseTests decodes the predicate of a [TypeScoutTests]
// attestation. results.summary.failed must be present, since without it
// the record does not say whether the tests passed; the other counts are
// optional. Errors wrap [ErrInvalid].
func ParseTests(predicate []byte) (Tests, error) {
	const pt = TypeScoutTests
	var v testsJSON
	if err := decodeJSON(pt, predicate, &v); err != nil {
		return Tests{}, err
	}
	if v.Results == nil {
		return Tests{}, invalid(pt, "results is missing")
	}
	if isNull(v.Results.Summary) {
		return Tests{}, invalid(pt, "results.summary is missing")
	}
	var s testSummaryJSON
	if err := json.Unmarshal(v.Results.Summary, &s); err != nil {
		return Tests{}, invalid(pt, "results.summary: %s", jsonDetail(err))
	}
	if s.Failed == nil {
		return Tests{}, invalid(pt, "results.summary.failed is missing")
	}
	return Tests{
		Summary: TestSummary{Failed: *s.Failed, Passed: s.Passed, Skipped: s.Skipped, Raw: v.Results.Summary},
		Raw:     bytes.Clone(predicate),
	}, nil
}

// OK reports whether no test failed.
func (t Tests) OK() bool { return t.Summary.Failed == 0 }

// Secrets is the predicate of Docker Scout's secrets scan
// ([TypeScoutSecrets]): a JSON array of the secrets found, empty
// when the image is clean. No shape of an item is published, so items are
// kept raw.
type Secrets struct {
	// Items are the secrets found, each as its JSON value.
	Items []json.RawMessage `json:"items"`
	// Raw is the whole predicate, as given.
	Raw json.RawMessage `json:"-"`
}

// ParseSecrets decodes the predicate of a [TypeScoutSecrets]
// attestation, which must be a JSON array. Errors wrap
// [ErrInvalid].
func ParseSecrets(predicate []byte) (Secrets, error) {
	var items []json.RawMessage
	if err := decodeJSON(TypeScoutSecrets, predicate, &items); err != nil {
		return Secrets{}, err
	}
	if len(items) == 0 {
		items = nil
	}
	return Secrets{Items: items, Raw: bytes.Clone(predicate)}, nil
}

// Count returns the number of secrets found; DHI's policy "no embedded
// secrets" requires 0.
func (s Secrets) Count() int { return len(s.Items) }

// VirusScan is the predicate of Docker Scout's virus scan
// ([TypeScoutVirus]): the report of a ClamAV-style scanner.
type VirusScan struct {
	// Scanner names the scanner (scanner.name), such as "clamav"; "" when
	// absent.
	Scanner string `json:"scanner"`
	// Report is the scanner's report (scanner.report), decoded from base64.
	Report string `json:"report"`
	// InfectedFiles is the number on the report's "Infected files: N"
	// line, the figure DHI's policy "no embedded malware" requires to be 0.
	InfectedFiles int `json:"infectedFiles"`
	// Raw is the whole predicate, as given.
	Raw json.RawMessage `json:"-"`
}

type virusJSON struct {
	Scanner *struct {
		Name   string  `json:"name"`
		Report *string `json:"report"`
	} `json:"scanner"`
}

// ParseVirusScan decodes the predicate of a [TypeScoutVirus]
// attestation. scanner.report must be base64 (with or without padding) and
// the decoded report must have a line matching (?im)^Infected files:
// ([0-9]+)$, the expression of DHI's policy; the first such line counts.
// A "\r" ending the line is ignored. Errors wrap [ErrInvalid].
func ParseVirusScan(predicate []byte) (VirusScan, error) {
	const pt = TypeScoutVirus
	var v virusJSON
	if err := decodeJSON(pt, predicate, &v); err != nil {
		return VirusScan{}, err
	}
	if v.Scanner == nil {
		return VirusScan{}, invalid(pt, "scanner is missing")
	}
	if v.Scanner.Report == nil {
		return VirusScan{}, invalid(pt, "scanner.report is missing")
	}
	report, err := decodeBase64(*v.Scanner.Report)
	if err != nil {
		return VirusScan{}, invalid(pt, "scanner.report: %v", err)
	}
	n, ok := infectedFiles(string(report))
	if !ok {
		return VirusScan{}, invalid(pt, `scanner.report has no "Infected files: N" line`)
	}
	return VirusScan{Scanner: v.Scanner.Name, Report: string(report), InfectedFiles: n, Raw: bytes.Clone(predicate)}, nil
}

// Clean reports whether the scan found no infected file.
func (v VirusScan) Clean() bool { return v.InfectedFiles == 0 }

// infectedFiles finds the first line of report that matches
// (?im)^Infected files: ([0-9]+)$ (a trailing "\r" allowed) and returns
// its number. A number too large for an int counts as the largest int.
func infectedFiles(report string) (int, bool) {
	const prefix = "Infected files: "
	for line := range strings.Lines(report) {
		line = strings.TrimSuffix(line, "\n")
		line = strings.TrimSuffix(line, "\r")
		// Case folding may change a character's length in UTF-8 (K and
		// the Kelvin sign), so compare rune-wise over a prefix of the
		// line holding as many runes as prefix.
		head, digits, ok := cutRunes(line, len(prefix))
		if !ok || !strings.EqualFold(head, prefix) || digits == "" || !allDigits(digits) {
			continue
		}
		n, err := strconv.Atoi(digits)
		if err != nil {
			n = int(^uint(0) >> 1)
		}
		return n, true
	}
	return 0, false
}

// cutRunes splits s after its first n runes, and reports false when s has
// fewer.
func cutRunes(s string, n int) (head, tail string, ok bool) {
	i := 0
	for j := range s {
		if i == n {
			return s[:j], s[j:], true
		}
		i++
	}
	if i == n {
		return s, "", true
	}
	return "", "", false
}

// allDigits reports whether s consists of ASCII digits only.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
