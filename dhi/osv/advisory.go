package osv

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/package-url/packageurl-go"
)

// MaxSize is the largest advisory [Parse] reads, in bytes. Real
// advisories are a few kilobytes; the largest in public feeds are well
// under a megabyte.
const MaxSize = 4 << 20

// Advisory is one OSV vulnerability record.
type Advisory struct {
	// SchemaVersion is the OSV schema version the record declares
	// (schema_version), such as "1.5.0"; "" when absent.
	SchemaVersion string
	// ID is the advisory's identifier (id): "CVE-2021-21309" in the DHI
	// feed of 2025, "DHI-..." in the planned form.
	ID string
	// Modified is when the record last changed (modified).
	Modified time.Time
	// Published is when it was first published (published); the zero time
	// when absent.
	Published time.Time
	// Withdrawn is when it was withdrawn (withdrawn); the zero time when it
	// stands. A withdrawn advisory matches nothing.
	Withdrawn time.Time
	// Aliases are other identifiers of the same vulnerability (aliases).
	Aliases []string
	// Related are identifiers of related but different vulnerabilities
	// (related).
	Related []string
	// Summary is the one-line summary (summary).
	Summary string
	// Details is the longer description (details), Markdown.
	Details string
	// Severity are the record-wide severities (severity[]).
	Severity []Severity
	// Affected are the affected packages and their versions (affected[]).
	Affected []Affected
	// References are the record's links (references[]).
	References []Reference
	// DatabaseSpecific is database_specific as written; nil when absent.
	DatabaseSpecific json.RawMessage
}

// Severity is one OSV severity entry.
type Severity struct {
	// Type is the scoring system: "CVSS_V2", "CVSS_V3", "CVSS_V4",
	// "Ubuntu", ...
	Type string
	// Score is the vector or value, as written.
	Score string
}

// Reference is one link of an advisory.
type Reference struct {
	// Type is the kind of link ("ADVISORY", "FIX", "WEB", ...).
	Type string
	// URL is the link.
	URL string
}

// Package names an affected package (affected[].package).
type Package struct {
	// Ecosystem is the ecosystem as written, such as "DHI" or
	// "Docker Hardened Images:Debian:13"; see [ParseEcosystem].
	Ecosystem string
	// Name is the package's name in its ecosystem.
	Name string
	// PURL is the package URL without version, "" when absent.
	PURL string
}

// Affected is one affected package with its versions.
type Affected struct {
	// Package is the affected package.
	Package Package
	// Severity are the severities for this package only (severity[]).
	Severity []Severity
	// Ranges are the affected version ranges.
	Ranges []Range
	// Versions are affected versions listed one by one.
	Versions []string
	// EcosystemSpecific is ecosystem_specific as written; nil when absent.
	EcosystemSpecific json.RawMessage
	// DatabaseSpecific is database_specific as written; nil when absent.
	DatabaseSpecific json.RawMessage

	purl *packageurl.PackageURL // Package.PURL parsed, nil when absent or invalid
}

// RangeType is the kind of versions a [Range] is written in.
type RangeType string

// The range types of the OSV schema.
const (
	// RangeSemVer ranges are in SemVer 2.0 order, whatever the ecosystem.
	RangeSemVer RangeType = "SEMVER"
	// RangeEcosystem ranges are in the ecosystem's own order.
	RangeEcosystem RangeType = "ECOSYSTEM"
	// RangeGit ranges name commits of a repository; they are not evaluated
	// against versions.
	RangeGit RangeType = "GIT"
)

// RangeTypes returns every [RangeType].
func RangeTypes() []RangeType { return []RangeType{RangeSemVer, RangeEcosystem, RangeGit} }

// Valid reports whether t is one of [RangeTypes].
func (t RangeType) Valid() bool {
	return t == RangeSemVer || t == RangeEcosystem || t == RangeGit
}

// Range is one affected range: a list of events in version order.
type Range struct {
	// Type is how the events' versions are written.
	Type RangeType
	// Repo is the repository of a GIT range, "" otherwise.
	Repo string
	// Events are the range's events, as written.
	Events []Event
	// DatabaseSpecific is database_specific as written; nil when absent.
	DatabaseSpecific json.RawMessage
}

// Event is one event of a [Range]; exactly one field is set.
type Event struct {
	// Introduced is the first affected version; "0" means all versions
	// before the next event.
	Introduced string
	// Fixed is the first version no longer affected.
	Fixed string
	// LastAffected is the last affected version.
	LastAffected string
	// Limit is an upper bound: versions at or above it are not affected.
	Limit string
}

// wire types: the JSON shape of an advisory.
type (
	wireAdvisory struct {
		SchemaVersion    string          `json:"schema_version"`
		ID               string          `json:"id"`
		Modified         string          `json:"modified"`
		Published        string          `json:"published"`
		Withdrawn        string          `json:"withdrawn"`
		Aliases          []string        `json:"aliases"`
		Related          []string        `json:"related"`
		Summary          string          `json:"summary"`
		Details          string          `json:"details"`
		Severity         []wireSeverity  `json:"severity"`
		Affected         []wireAffected  `json:"affected"`
		References       []wireReference `json:"references"`
		DatabaseSpecific json.RawMessage `json:"database_specific"`
	}
	wireSeverity struct {
		Type  string `json:"type"`
		Score string `json:"score"`
	}
	wireReference struct {
		Type string `json:"type"`
		URL  string `json:"url"`
	}
	wireAffected struct {
		Package struct {
			Ecosystem string `json:"ecosystem"`
			Name      string `json:"name"`
			PURL      string `json:"purl"`
		} `json:"package"`
		Severity          []wireSeverity  `json:"severity"`
		Ranges            []wireRange     `json:"ranges"`
		Versions          []string        `json:"versions"`
		EcosystemSpecific json.RawMessage `json:"ecosystem_specific"`
		DatabaseSpecific  json.RawMessage `json:"database_specific"`
	}
	wireRange struct {
		Type             string          `json:"type"`
		Repo             string          `json:"repo"`
		Events           []wireEvent     `json:"events"`
		DatabaseSpecific json.RawMessage `json:"database_specific"`
	}
	wireEvent struct {
		Introduced   string `json:"introduced"`
		Fixed        string `json:"fixed"`
		LastAffected string `json:"last_affected"`
		Limit        string `json:"limit"`
	}
)

// Parse decodes one OSV advisory. It requires a JSON object with an id and
// RFC 3339 dates where dates are given; unknown fields are ignored, and the
// *_specific objects are kept as written. Input larger than [MaxSize]
// gives [ErrTooLarge]; every error wraps [ErrInvalid].
func Parse(b []byte) (*Advisory, error) {
	if len(b) > MaxSize {
		return nil, fmt.Errorf("%w (%d bytes, limit %d)", ErrTooLarge, len(b), MaxSize)
	}
	t := bytes.TrimSpace(b)
	if len(t) == 0 || t[0] != '{' {
		return nil, fmt.Errorf("%w: not a JSON object", ErrInvalid)
	}
	var w wireAdvisory
	if err := json.Unmarshal(t, &w); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if strings.TrimSpace(w.ID) == "" {
		return nil, fmt.Errorf("%w: no id", ErrInvalid)
	}
	a := &Advisory{
		SchemaVersion: w.SchemaVersion, ID: w.ID, Aliases: w.Aliases, Related: w.Related,
		Summary: w.Summary, Details: w.Details, Severity: severities(w.Severity),
		DatabaseSpecific: nullToNil(w.DatabaseSpecific),
	}
	var err error
	for _, d := range []struct {
		name string
		in   string
		out  *time.Time
	}{{"modified", w.Modified, &a.Modified}, {"published", w.Published, &a.Published}, {"withdrawn", w.Withdrawn, &a.Withdrawn}} {
		if *d.out, err = parseTime(d.in); err != nil {
			return nil, fmt.Errorf("%w: %s %s: %v", ErrInvalid, w.ID, d.name, err)
		}
	}
	for _, r := range w.References {
		a.References = append(a.References, Reference(r))
	}
	for i, wa := range w.Affected {
		af := Affected{
			Package:           Package{Ecosystem: wa.Package.Ecosystem, Name: wa.Package.Name, PURL: wa.Package.PURL},
			Severity:          severities(wa.Severity),
			Versions:          wa.Versions,
			EcosystemSpecific: nullToNil(wa.EcosystemSpecific),
			DatabaseSpecific:  nullToNil(wa.DatabaseSpecific),
		}
		if wa.Package.PURL != "" {
			if p, err := packageurl.FromString(wa.Package.PURL); err == nil {
				af.purl = &p
			}
		}
		for j, wr := range wa.Ranges {
			r := Range{Type: RangeType(wr.Type), Repo: wr.Repo, DatabaseSpecific: nullToNil(wr.DatabaseSpecific)}
			if !r.Type.Valid() {
				return nil, fmt.Errorf("%w: %s affected[%d].ranges[%d]: unknown range type %q", ErrInvalid, w.ID, i, j, wr.Type)
			}
			for k, e := range wr.Events {
				if n := countSet(e); n != 1 {
					return nil, fmt.Errorf("%w: %s affected[%d].ranges[%d].events[%d]: %d of introduced, fixed, last_affected, limit set, want 1", ErrInvalid, w.ID, i, j, k, n)
				}
				r.Events = append(r.Events, Event(e))
			}
			af.Ranges = append(af.Ranges, r)
		}
		a.Affected = append(a.Affected, af)
	}
	return a, nil
}

// countSet counts the fields of e that are set.
func countSet(e wireEvent) int {
	n := 0
	for _, s := range []string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
		if s != "" {
			n++
		}
	}
	return n
}

// severities converts wire severities.
func severities(in []wireSeverity) []Severity {
	var out []Severity
	for _, s := range in {
		out = append(out, Severity(s))
	}
	return out
}

// parseTime reads an RFC 3339 time; "" is the zero time.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

// nullToNil returns nil for an absent or null raw value.
func nullToNil(r json.RawMessage) json.RawMessage {
	if len(r) == 0 || string(r) == "null" {
		return nil
	}
	return r
}
