package predicate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dhisdk/dhisdk/dhi/vuln"
)

// ScoutVulnerabilities is the predicate of Docker Scout's vulnerability
// report ([TypeScoutVulnerabilities]): a JSON array of packages,
// each with the vulnerabilities that affect it.
type ScoutVulnerabilities struct {
	// Packages are the affected packages, in the order of the predicate.
	Packages []ScoutPackage `json:"packages"`
	// Raw is the whole predicate, as given.
	Raw json.RawMessage `json:"-"`
}

// ScoutPackage is one affected package of a Scout vulnerability report.
type ScoutPackage struct {
	// PURL is the package URL of the package (purl).
	PURL string `json:"purl"`
	// Vulnerabilities are the vulnerabilities affecting it
	// (vulnerabilities).
	Vulnerabilities []ScoutVulnerability `json:"vulnerabilities"`
}

// ScoutVulnerability is one vulnerability of a [ScoutPackage].
type ScoutVulnerability struct {
	// SourceID is the vulnerability's identifier (source_id), such as
	// "CVE-2025-4802".
	SourceID string `json:"sourceId"`
	// Aliases are other identifiers of the vulnerability (aliases).
	Aliases []string `json:"aliases"`
	// Severity is cvss.severity normalized by [vuln.ParseSeverity];
	// [vuln.SeverityUnspecified] when absent.
	Severity vuln.Severity `json:"severity"`
	// Score is the CVSS base score as written (cvss.score); 0 when absent.
	Score float64 `json:"score"`
	// FixedBy is the version that fixes the vulnerability (fixed_by); ""
	// when no fix is known.
	FixedBy string `json:"fixedBy"`
	// PublishedAt is when the vulnerability was published (published_at);
	// the zero time when absent.
	PublishedAt time.Time `json:"publishedAt"`
	// CISAExploited reports whether the vulnerability is in CISA's Known
	// Exploited Vulnerabilities catalog (cisa_exploited).
	CISAExploited bool `json:"cisaExploited"`
	// Raw is the vulnerability's JSON object, with any field not typed
	// here.
	Raw json.RawMessage `json:"-"`
}

type scoutPackageJSON struct {
	PURL            string            `json:"purl"`
	Vulnerabilities []json.RawMessage `json:"vulnerabilities"`
}

type scoutVulnJSON struct {
	SourceID string   `json:"source_id"`
	Aliases  []string `json:"aliases"`
	CVSS     *struct {
		Severity string   `json:"severity"`
		Score    *float64 `json:"score"`
	} `json:"cvss"`
	FixedBy       string `json:"fixed_by"`
	PublishedAt   string `json:"published_at"`
	CISAExploited bool   `json:"cisa_exploited"`
}

// ParseScoutVulnerabilities decodes the predicate of a
// [TypeScoutVulnerabilities] attestation. Every field is optional;
// a published_at must be an RFC 3339 time (a time without a zone is taken
// as UTC, a bare date as 00:00 UTC). Errors wrap [ErrInvalid].
func ParseScoutVulnerabilities(predicate []byte) (ScoutVulnerabilities, error) {
	const pt = TypeScoutVulnerabilities
	// Packages are decoded in one pass; only the vulnerabilities are kept
	// raw, to be decoded one by one with their own Raw.
	var pkgs []*scoutPackageJSON
	if err := decodeJSON(pt, predicate, &pkgs); err != nil {
		return ScoutVulnerabilities{}, locateScoutPackageError(predicate, err)
	}
	out := ScoutVulnerabilities{Packages: make([]ScoutPackage, 0, len(pkgs)), Raw: bytes.Clone(predicate)}
	for i, p := range pkgs {
		if p == nil {
			return ScoutVulnerabilities{}, invalid(pt, "%s: null, want an object", at("package", i))
		}
		pkg := ScoutPackage{PURL: p.PURL}
		if len(p.Vulnerabilities) > 0 {
			pkg.Vulnerabilities = make([]ScoutVulnerability, 0, len(p.Vulnerabilities))
		}
		for j, raw := range p.Vulnerabilities {
			var v scoutVulnJSON
			if isNull(raw) {
				return ScoutVulnerabilities{}, invalid(pt, "package %d: vulnerability %d: null, want an object", i, j)
			}
			if err := json.Unmarshal(raw, &v); err != nil {
				return ScoutVulnerabilities{}, invalid(pt, "package %d: vulnerability %d: %s", i, j, jsonDetail(err))
			}
			sv := ScoutVulnerability{
				SourceID: v.SourceID, Aliases: v.Aliases, Severity: vuln.SeverityUnspecified,
				FixedBy: v.FixedBy, CISAExploited: v.CISAExploited, Raw: raw,
			}
			if v.CVSS != nil {
				sv.Severity = vuln.ParseSeverity(v.CVSS.Severity)
				if v.CVSS.Score != nil {
					sv.Score = *v.CVSS.Score
				}
			}
			if v.PublishedAt != "" {
				t, ok := parseTime(v.PublishedAt)
				if !ok {
					return ScoutVulnerabilities{}, invalid(pt, "package %d: vulnerability %d: published_at %q is not an RFC 3339 time", i, j, v.PublishedAt)
				}
				sv.PublishedAt = t
			}
			pkg.Vulnerabilities = append(pkg.Vulnerabilities, sv)
		}
		out.Packages = append(out.Packages, pkg)
	}
	return out, nil
}

// locateScoutPackageError returns err, or when it is about one package
// (which encoding/json reports without the package's index), an error
// naming the package, found by decoding the packages one by one.
func locateScoutPackageError(predicate []byte, err error) error {
	var items []json.RawMessage
	if json.Unmarshal(predicate, &items) != nil {
		return err
	}
	for i, item := range items {
		var p scoutPackageJSON
		if isNull(item) {
			continue
		}
		if e := decodeItem(TypeScoutVulnerabilities, "package", i, item, &p); e != nil {
			return e
		}
	}
	return err
}

// Findings returns one [vuln.Finding] per vulnerability of each package, in the
// order of the predicate.
func (s ScoutVulnerabilities) Findings() []vuln.Finding {
	n := 0
	for _, p := range s.Packages {
		n += len(p.Vulnerabilities)
	}
	if n == 0 {
		return nil
	}
	out := make([]vuln.Finding, 0, n)
	for _, p := range s.Packages {
		for _, v := range p.Vulnerabilities {
			out = append(out, vuln.Finding{
				ID: v.SourceID, Aliases: v.Aliases, PURL: p.PURL,
				Severity: v.Severity, Score: v.Score, FixedIn: v.FixedBy,
				Published: v.PublishedAt, Source: TypeScoutVulnerabilities,
			})
		}
	}
	return out
}

// InTotoVulns is the predicate of an in-toto vulnerability attestation
// ([TypeInTotoVulnsV01], [TypeInTotoVulnsV02]): the
// scanner, its database, its results, and when the scan ran. DHI's
// instances have been seen with scanner and metadata only, no results.
//
// [in-toto vulnerability predicate]: https://github.com/in-toto/attestation/blob/main/spec/predicates/vulns_02.md
type InTotoVulns struct {
	// Scanner is the scanner and its results (scanner).
	Scanner VulnScanner `json:"scanner"`
	// ScanStartedOn is when the scan started (metadata.scanStartedOn); the
	// zero time when absent.
	ScanStartedOn time.Time `json:"scanStartedOn"`
	// ScanFinishedOn is when the scan finished (metadata.scanFinishedOn);
	// the zero time when absent.
	ScanFinishedOn time.Time `json:"scanFinishedOn"`
	// Raw is the whole predicate, as given.
	Raw json.RawMessage `json:"-"`
}

// VulnScanner is the scanner part of an [InTotoVulns] predicate.
type VulnScanner struct {
	// URI identifies the scanner (scanner.uri).
	URI string `json:"uri"`
	// Version is the scanner's version (scanner.version).
	Version string `json:"version"`
	// DB is the vulnerability database the scanner used (scanner.db).
	DB VulnDB `json:"db"`
	// Results are the vulnerabilities found (scanner.result), in the order
	// of the predicate.
	Results []VulnResult `json:"results"`
	// HasResults reports whether the predicate has scanner.result at all.
	// An empty list means the scanner found nothing; no list means the
	// predicate does not say what was found, as in DHI's instances.
	HasResults bool `json:"hasResults"`
}

// VulnDB is the vulnerability database of a [VulnScanner].
type VulnDB struct {
	// URI identifies the database (scanner.db.uri).
	URI string `json:"uri"`
	// Version is the database's version (scanner.db.version).
	Version string `json:"version"`
	// LastUpdate is when the database was last updated
	// (scanner.db.lastUpdate); the zero time when absent.
	LastUpdate time.Time `json:"lastUpdate"`
}

// VulnResult is one vulnerability of an [InTotoVulns] predicate.
type VulnResult struct {
	// ID identifies the vulnerability (id; in v0.1 also vulnerability.id).
	ID string `json:"id"`
	// Severity lists the vulnerability's scores (severity), each by one
	// method.
	Severity []VulnSeverity `json:"severity"`
	// Annotations are the scanner's extra data (annotations), kept raw;
	// nil when absent.
	Annotations json.RawMessage `json:"annotations"`
	// Raw is the result's JSON object.
	Raw json.RawMessage `json:"-"`
}

// VulnSeverity is one scoring of a [VulnResult].
type VulnSeverity struct {
	// Method names the scoring method (method), such as "nvd" or
	// "cvss_score".
	Method string `json:"method"`
	// Score is the score as written (score), such as "medium" or "5.2".
	Score string `json:"score"`
}

type inTotoVulnsJSON struct {
	Scanner *struct {
		URI     string `json:"uri"`
		Version string `json:"version"`
		DB      struct {
			URI        string `json:"uri"`
			Version    string `json:"version"`
			LastUpdate string `json:"lastUpdate"`
		} `json:"db"`
		Result json.RawMessage `json:"result"`
	} `json:"scanner"`
	Metadata struct {
		ScanStartedOn  string `json:"scanStartedOn"`
		ScanFinishedOn string `json:"scanFinishedOn"`
	} `json:"metadata"`
}

type vulnResultJSON struct {
	ID          string          `json:"id"`
	Severity    json.RawMessage `json:"severity"`
	Annotations json.RawMessage `json:"annotations"`
	// Vulnerability is v0.1's nesting: result[].vulnerability.{id,severity,annotations}.
	Vulnerability *struct {
		ID          string          `json:"id"`
		Severity    json.RawMessage `json:"severity"`
		Annotations json.RawMessage `json:"annotations"`
	} `json:"vulnerability"`
}

type vulnSeverityJSON struct {
	Method string          `json:"method"`
	Score  json.RawMessage `json:"score"`
}

// ParseInTotoVulns decodes the predicate of an in-toto vulnerability
// attestation, v0.1 or v0.2 (the shapes differ only in v0.1's optional
// nesting of each result under "vulnerability", which is read too). The
// scanner object is required; everything in it is optional, and
// scanner.result may be absent (see [VulnScanner.HasResults]). Times must
// be RFC 3339. A severity score may be a JSON string or number. Errors
// wrap [ErrInvalid] and name [TypeInTotoVulns].
func ParseInTotoVulns(predicate []byte) (InTotoVulns, error) {
	const pt = TypeInTotoVulns
	var v inTotoVulnsJSON
	if err := decodeJSON(pt, predicate, &v); err != nil {
		return InTotoVulns{}, err
	}
	if v.Scanner == nil {
		return InTotoVulns{}, invalid(pt, "scanner is missing")
	}
	out := InTotoVulns{
		Scanner: VulnScanner{
			URI: v.Scanner.URI, Version: v.Scanner.Version,
			DB: VulnDB{URI: v.Scanner.DB.URI, Version: v.Scanner.DB.Version},
		},
		Raw: bytes.Clone(predicate),
	}
	for _, f := range []struct {
		name string
		in   string
		out  *time.Time
	}{
		{"scanner.db.lastUpdate", v.Scanner.DB.LastUpdate, &out.Scanner.DB.LastUpdate},
		{"metadata.scanStartedOn", v.Metadata.ScanStartedOn, &out.ScanStartedOn},
		{"metadata.scanFinishedOn", v.Metadata.ScanFinishedOn, &out.ScanFinishedOn},
	} {
		if f.in == "" {
			continue
		}
		t, ok := parseTime(f.in)
		if !ok {
			return InTotoVulns{}, invalid(pt, "%s %q is not an RFC 3339 time", f.name, f.in)
		}
		*f.out = t
	}
	if isNull(v.Scanner.Result) {
		return out, nil
	}
	var results []json.RawMessage
	if err := json.Unmarshal(v.Scanner.Result, &results); err != nil {
		return InTotoVulns{}, invalid(pt, "scanner.result: %s", jsonDetail(err))
	}
	out.Scanner.HasResults = true
	out.Scanner.Results = make([]VulnResult, 0, len(results))
	for i, raw := range results {
		var r vulnResultJSON
		if err := decodeItem(pt, "scanner.result", i, raw, &r); err != nil {
			return InTotoVulns{}, err
		}
		id, sevRaw, ann := r.ID, r.Severity, r.Annotations
		if n := r.Vulnerability; n != nil {
			if id == "" {
				id = n.ID
			}
			if isNull(sevRaw) {
				sevRaw = n.Severity
			}
			if isNull(ann) {
				ann = n.Annotations
			}
		}
		res := VulnResult{ID: id, Raw: raw}
		if !isNull(ann) {
			res.Annotations = ann
		}
		if !isNull(sevRaw) {
			sev, err := parseVulnSeverities(sevRaw)
			if err != nil {
				return InTotoVulns{}, invalid(pt, "%s: severity: %v", at("scanner.result", i), err)
			}
			res.Severity = sev
		}
		out.Scanner.Results = append(out.Scanner.Results, res)
	}
	return out, nil
}

// parseVulnSeverities reads a severity list. The specification says a list
// of {method, score}; a single object is accepted too. A score may be a
// string or a number.
func parseVulnSeverities(b json.RawMessage) ([]VulnSeverity, error) {
	var list []vulnSeverityJSON
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '{' {
		var one vulnSeverityJSON
		if err := json.Unmarshal(b, &one); err != nil {
			return nil, errors.New(jsonDetail(err))
		}
		list = []vulnSeverityJSON{one}
	} else if err := json.Unmarshal(b, &list); err != nil {
		return nil, errors.New(jsonDetail(err))
	}
	out := make([]VulnSeverity, 0, len(list))
	for i, s := range list {
		score, err := scalarString(s.Score)
		if err != nil {
			return nil, fmt.Errorf("item %d: score: %v", i, err)
		}
		out = append(out, VulnSeverity{Method: s.Method, Score: score})
	}
	return out, nil
}

// scalarString returns a JSON string's value, or a JSON number as written;
// "" for an absent or null value.
func scalarString(b json.RawMessage) (string, error) {
	t := bytes.TrimSpace(b)
	switch {
	case isNull(t):
		return "", nil
	case t[0] == '"':
		var s string
		if err := json.Unmarshal(t, &s); err != nil {
			return "", errors.New(jsonDetail(err))
		}
		return s, nil
	case t[0] == '-' || (t[0] >= '0' && t[0] <= '9'):
		var n json.Number
		if err := json.Unmarshal(t, &n); err != nil {
			return "", errors.New(jsonDetail(err))
		}
		return n.String(), nil
	}
	return "", fmt.Errorf("got a json %s, want a string or a number", describeJSON(t))
}

// Findings returns one [vuln.Finding] per result, in the order of the
// predicate, with Source [TypeInTotoVulns]; nil when the predicate
// has no results. See [vuln.Finding] for where each field comes from.
func (v InTotoVulns) Findings() []vuln.Finding {
	if len(v.Scanner.Results) == 0 {
		return nil
	}
	out := make([]vuln.Finding, 0, len(v.Scanner.Results))
	for _, r := range v.Scanner.Results {
		f := vuln.Finding{ID: r.ID, Severity: vuln.SeverityUnspecified, Source: TypeInTotoVulns}
		sevSet, scoreSet := false, false
		for _, s := range r.Severity {
			if !sevSet {
				if sev, ok := parseKnownSeverity(s.Score); ok {
					f.Severity, sevSet = sev, true
				}
			}
			if !scoreSet && strings.Contains(strings.ToLower(s.Method), "cvss") {
				if x, err := strconv.ParseFloat(strings.TrimSpace(s.Score), 64); err == nil && x >= 0 && x <= 10 {
					f.Score, scoreSet = x, true
				}
			}
		}
		out = append(out, f)
	}
	return out
}

// ParseFindings decodes a vulnerability report of either format and
// returns its findings, with Source set to predicateType.
// predicateType must name a vulnerability report: Docker Scout's
// ([TypeScoutVulnerabilities]) or in-toto's ([TypeInTotoVulns], without a
// version or with any "/v<version>"); other types give an error wrapping
// [ErrUnsupported]. An in-toto
// report without results gives no findings and no error; check
// [VulnScanner.HasResults] through [ParseInTotoVulns] to tell it from a
// clean scan.
func ParseFindings(predicateType string, predicate []byte) ([]vuln.Finding, error) {
	var fs []vuln.Finding
	switch {
	case predicateType == TypeScoutVulnerabilities:
		s, err := ParseScoutVulnerabilities(predicate)
		if err != nil {
			return nil, err
		}
		fs = s.Findings()
	case isInTotoVulns(predicateType):
		v, err := ParseInTotoVulns(predicate)
		if err != nil {
			var pe *Error
			if errors.As(err, &pe) {
				pe.PredicateType = predicateType
			}
			return nil, err
		}
		fs = v.Findings()
	default:
		return nil, fmt.Errorf("%w %q: want a vulnerability report", ErrUnsupported, predicateType)
	}
	for i := range fs {
		fs[i].Source = predicateType
	}
	return fs, nil
}

// isInTotoVulns reports whether predicateType is the in-toto vulnerability
// predicate type, without a version or followed by "/v" and dot-separated
// decimal numbers.
func isInTotoVulns(predicateType string) bool {
	rest, ok := strings.CutPrefix(predicateType, TypeInTotoVulns)
	if !ok {
		return false
	}
	if rest == "" {
		return true
	}
	v, ok := strings.CutPrefix(rest, "/v")
	if !ok || v == "" {
		return false
	}
	for part := range strings.SplitSeq(v, ".") {
		if part == "" || strings.Trim(part, "0123456789") != "" {
			return false
		}
	}
	return true
}

// parseTime reads an RFC 3339 time; a time without a zone is taken as UTC,
// and a bare date as 00:00 UTC.
func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseKnownSeverity is vuln.ParseSeverity, reporting false for words that
// are not a known severity.
func parseKnownSeverity(s string) (vuln.Severity, bool) {
	sev := vuln.ParseSeverity(s)
	return sev, sev != vuln.SeverityUnspecified
}
