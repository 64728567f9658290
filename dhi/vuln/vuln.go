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
	// result[].vulnerability.id). Trivy: VulnerabilityID. Grype:
	// vulnerability.id. SARIF: the "Vulnerability <id>" line of the result
	// message or rule help, else ruleId. CycloneDX: vulnerabilities[].id.
	// OSV: id (a "DHI-" id in the planned DHI form).
	ID string `json:"id"`
	// Aliases are other identifiers of the vulnerability. Scout: aliases.
	// In-toto: none. Trivy: VendorIDs. Grype: relatedVulnerabilities[].id.
	// SARIF: none. CycloneDX: references[].id. OSV: aliases.
	Aliases []string `json:"aliases,omitempty"`
	// PURL is the package URL of the affected package. Scout: the purl of
	// the package entry. In-toto: none, since the predicate does not name
	// packages. Trivy: PkgIdentifier.PURL. Grype: artifact.purl. SARIF:
	// the rule's properties.purls[0] (Grype; Trivy writes none).
	// CycloneDX: the purl of the component affects[].ref names. OSV: the
	// queried purl.
	PURL string `json:"purl,omitempty"`
	// Severity is the vulnerability's severity. Scout: cvss.severity,
	// normalized by [ParseSeverity]. In-toto: the first severity[].score
	// that is a severity word ("medium"), else [SeverityUnspecified].
	// Trivy: Severity. Grype: vulnerability.severity. SARIF: the
	// "Severity:" line. CycloneDX: the highest ratings[].severity. OSV: a
	// database_specific.severity word (as DHI writes it).
	Severity Severity `json:"severity"`
	// Score is the CVSS base score, 0 when none is given. Scout:
	// cvss.score. In-toto: the first severity[].score that is a number and
	// whose method names CVSS ("cvss", "cvss_score", "CVSSv3", ...).
	// Trivy, Grype and CycloneDX: the first score in CVSS of the severity
	// source, else of NVD, else of any source. SARIF: the rule's
	// security-severity. OSV: none.
	Score float64 `json:"score,omitempty"`
	// FixedIn is the version that fixes the vulnerability, "" when none is
	// known. Scout: fixed_by. In-toto: none. Trivy: FixedVersion (which
	// may list several, "1.5.13, 1.3.15"). Grype: vulnerability.fix.versions
	// joined with ", ". SARIF: the "Fixed Version:" (Trivy) or
	// "Fix Version:" (Grype) line. CycloneDX: an affects[].versions[]
	// entry with status unaffected, else the version of a recommendation
	// "Upgrade ... to version X". OSV: the fixed event that closes the
	// range the version is in.
	FixedIn string `json:"fixedIn,omitempty"`
	// Published is when the vulnerability was published, the zero time
	// when unknown. Scout: published_at. In-toto: none. Trivy:
	// PublishedDate. CycloneDX: published. OSV: published. Grype and
	// SARIF: none.
	Published time.Time `json:"published,omitzero"`
	// Source is where the finding came from. For the DHI predicates it is
	// the predicate type of the report: for Scout
	// PredicateTypeScoutVulnerabilities; for in-toto the predicate type
	// given to dhi.ParseFindings, or PredicateTypeInTotoVulns from
	// dhi.InTotoVulns.Findings. For a scanner report it is the report's
	// format name ("trivy-json", "grype-json", "sarif", "cyclonedx"); for
	// an OSV advisory, "osv".
	Source string `json:"source"`
	// Sources lists every report a merged finding came from, Source first,
	// when readers merged the same vulnerability and package reported by
	// several (as dhi.Platform.Findings does); nil otherwise.
	Sources []string `json:"sources,omitempty"`

	// Package is the name of the affected package, "" when the report does
	// not give it. Trivy: PkgName. Grype: artifact.name. SARIF: the
	// "Package:" line of the result message or rule help. CycloneDX: the
	// name of the component that affects[].ref names. OSV:
	// affected[].package.name. Scout and in-toto: none (Scout gives the
	// package in the purl).
	Package string `json:"package,omitempty"`
	// InstalledVersion is the version of the package found in the image, ""
	// when unknown. Trivy: InstalledVersion. Grype: artifact.version.
	// SARIF: the "Installed Version:" (Trivy) or "Version:" (Grype) line.
	// CycloneDX: the version of the affected component. OSV: the version
	// the advisory was evaluated for. Scout and in-toto: none.
	InstalledVersion string `json:"installedVersion,omitempty"`
	// SeveritySource names who gave Severity, "" when the report does not
	// say. Trivy: SeveritySource ("nvd", "debian", ...). Grype: the
	// vulnerability's namespace. CycloneDX: source.name of the rating the
	// severity came from. Others: none.
	SeveritySource string `json:"severitySource,omitempty"`
	// CVSS are the CVSS scores the report gives, one per source and CVSS
	// version, in the report's order. Trivy: CVSS.<source>.V2*/V3*/V40*.
	// Grype: vulnerability.cvss[] and relatedVulnerabilities[].cvss[].
	// SARIF: Trivy's rule properties cvssv3_vector/cvssv3_baseScore and
	// cvssv2_* (no source; Grype writes none, and the rule's
	// security-severity becomes Score). CycloneDX: ratings[] with a CVSS
	// method. OSV: severity[] of type CVSS_V2/V3/V4 (vector only).
	CVSS []CVSS `json:"cvss,omitempty"`
	// DataSource names the vulnerability database the finding came from,
	// "" when unknown. Trivy: DataSource.ID. Grype:
	// vulnerability.namespace (or dataSource when no namespace).
	// CycloneDX: source.name of the vulnerability. OSV: the advisory's
	// affected[].package.ecosystem.
	DataSource string `json:"dataSource,omitempty"`
	// Modified is when the vulnerability record last changed, the zero time
	// when unknown. Trivy: LastModifiedDate. CycloneDX: updated. OSV:
	// modified. Others: none.
	Modified time.Time `json:"modified,omitzero"`
	// Target is the part of the scanned artifact the finding was reported
	// in, "" when the report does not say. Trivy: Results[].Target (for
	// example "image (debian 12.5)" or "go.mod"). Grype: the first
	// artifact.locations[].path. SARIF: the first result location's
	// artifactLocation.uri. CycloneDX and OSV: none.
	Target string `json:"target,omitempty"`
	// Upstreams are the source packages the affected package was built
	// from, as the scanner names them (a binary "libc6" built from source
	// "glibc"). VEX statements that name source packages are matched
	// through them. Grype: artifact.upstreams[]. Others: none.
	Upstreams []Upstream `json:"upstreams,omitempty"`
	// FixState is the scanner's word for whether a fix exists, "" when the
	// report does not give one. Trivy: Status ("fixed", "affected",
	// "will_not_fix", ...). Grype: vulnerability.fix.state ("fixed",
	// "not-fixed", "wont-fix", "unknown"). Others: none.
	FixState string `json:"fixState,omitempty"`
}

// CVSS is one CVSS score of a [Finding].
type CVSS struct {
	// Source names who computed the score ("nvd", "redhat", "ghsa", ...),
	// "" when the report does not say.
	Source string `json:"source,omitempty"`
	// Version is the CVSS version: "2.0", "3.0", "3.1" or "4.0"; "" when
	// the report does not say and the vector does not tell.
	Version string `json:"version,omitempty"`
	// Vector is the CVSS vector string, "" when the report gives only a
	// score.
	Vector string `json:"vector,omitempty"`
	// Score is the base score, 0 when the report gives only a vector.
	Score float64 `json:"score,omitempty"`
}

// Upstream is a source package that a binary package was built from.
type Upstream struct {
	// Name is the source package's name, such as "glibc".
	Name string `json:"name"`
	// Version is the source package's version, "" when the scanner gives
	// none (it is then the binary package's version).
	Version string `json:"version,omitempty"`
}

// CVSSVersion returns the CVSS version a vector string declares: "3.1"
// for "CVSS:3.1/AV:N/...", "4.0" for "CVSS:4.0/...", "2.0" for a vector
// without a prefix that has the v2 metric "Au:", and "" otherwise.
func CVSSVersion(vector string) string {
	v := strings.TrimSpace(vector)
	if rest, ok := strings.CutPrefix(v, "CVSS:"); ok {
		ver, _, _ := strings.Cut(rest, "/")
		switch ver {
		case "3.0", "3.1", "4.0":
			return ver
		}
		return ""
	}
	if strings.Contains(v, "Au:") {
		return "2.0"
	}
	return ""
}
