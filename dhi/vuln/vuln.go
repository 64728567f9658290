package vuln

import (
	"strings"
	"time"
)

// Severity is the severity of a vulnerability, normalized over the
// scanners' spellings.
type Severity string

// The severities, from the most to the least severe.
const (
	// SeverityCritical is a critical vulnerability.
	SeverityCritical Severity = "critical"
	// SeverityHigh is a high-severity vulnerability.
	SeverityHigh Severity = "high"
	// SeverityMedium is a medium-severity vulnerability.
	SeverityMedium Severity = "medium"
	// SeverityLow is a low-severity vulnerability.
	SeverityLow Severity = "low"
	// SeverityUnspecified is a vulnerability whose severity the scanner
	// did not give, or gave in a form not recognized.
	SeverityUnspecified Severity = "unspecified"
)

// Severities returns every [Severity], from the most to the least severe.
func Severities() []Severity {
	return []Severity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow, SeverityUnspecified}
}

// Valid reports whether s is one of [Severities].
func (s Severity) Valid() bool { return s.Rank() > 0 }

// Rank orders severities: 5 for critical down to 1 for unspecified, and 0
// for a value that is not one of [Severities].
func (s Severity) Rank() int {
	switch s {
	case SeverityCritical:
		return 5
	case SeverityHigh:
		return 4
	case SeverityMedium:
		return 3
	case SeverityLow:
		return 2
	case SeverityUnspecified:
		return 1
	}
	return 0
}

// ParseSeverity normalizes a severity as scanners write it: case and
// surrounding space do not matter ("CRITICAL", "High"), and "moderate"
// (GitHub's word) is [SeverityMedium]. Anything else, including "",
// "negligible", "none" and "unknown", is [SeverityUnspecified].
func ParseSeverity(s string) Severity {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "critical":
		return SeverityCritical
	case "high":
		return SeverityHigh
	case "medium", "moderate":
		return SeverityMedium
	case "low":
		return SeverityLow
	}
	return SeverityUnspecified
}

// Finding is one vulnerability reported in an image, whichever report it
// came from. The DHI and Scout predicate readers and the scanner-report
// readers make them; each field's doc says where it comes from in each.
type Finding struct {
	// ID is the vulnerability's identifier, such as "CVE-2025-4802".
	// Scout: source_id. In-toto: result[].id (v0.1 also
	// result[].vulnerability.id).
	ID string `json:"id"`
	// Aliases are other identifiers of the vulnerability. Scout: aliases.
	// In-toto: none.
	Aliases []string `json:"aliases,omitempty"`
	// PURL is the package URL of the affected package. Scout: the purl of
	// the package entry. In-toto: none, since the predicate does not name
	// packages.
	PURL string `json:"purl,omitempty"`
	// Severity is the vulnerability's severity. Scout: cvss.severity,
	// normalized by [ParseSeverity]. In-toto: the first severity[].score
	// that is a severity word ("medium"), else [SeverityUnspecified].
	Severity Severity `json:"severity"`
	// Score is the CVSS base score, 0 when none is given. Scout:
	// cvss.score. In-toto: the first severity[].score that is a number and
	// whose method names CVSS ("cvss", "cvss_score", "CVSSv3", ...).
	Score float64 `json:"score,omitempty"`
	// FixedIn is the version that fixes the vulnerability, "" when none is
	// known. Scout: fixed_by. In-toto: none.
	FixedIn string `json:"fixedIn,omitempty"`
	// Published is when the vulnerability was published, the zero time
	// when unknown. Scout: published_at. In-toto: none.
	Published time.Time `json:"published,omitzero"`
	// Source is the predicate type of the report: for Scout
	// [PredicateTypeScoutVulnerabilities]; for in-toto the predicate type
	// given to [ParseFindings], or [PredicateTypeInTotoVulns] from
	// [InTotoVulns.Findings].
	Source string `json:"source"`
}
