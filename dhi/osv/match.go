package osv

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/dhisdk/dhisdk/dhi/vuln"
	"github.com/google/osv-scalibr/semantic"
	"github.com/package-url/packageurl-go"
)

// Query names one package version to evaluate an [Advisory] for. Give a
// PURL, or an Ecosystem and a Name, or all three; Version is required
// unless the PURL carries one.
type Query struct {
	// PURL is the package URL, such as "pkg:dhi/redis@6.0.5" or
	// "pkg:deb/dhi/openssl@3.5.1-1+dhi3?os_version=13". Its type,
	// namespace and name must equal those of the advisory's package purl;
	// qualifiers other than the release (os_version, or the number at the
	// end of distro) are ignored.
	PURL string
	// Ecosystem is the OSV ecosystem, such as "DHI" or
	// "Docker Hardened Images:Debian:13"; used with Name when the
	// advisory's package has no purl or the query has none.
	Ecosystem string
	// Name is the package's name in the ecosystem.
	Name string
	// Version is the installed version; "" takes the PURL's version.
	Version string
}

// Match is the result of evaluating an [Advisory] for a [Query].
type Match struct {
	// ID is the advisory's id.
	ID string
	// Aliases are the advisory's aliases.
	Aliases []string
	// Withdrawn reports that the advisory is withdrawn; Affected is then
	// false whatever its ranges say, and Package tells whether it named the
	// queried package.
	Withdrawn bool
	// Affected reports that the queried version is affected.
	Affected bool
	// Package is the affected[] entry that matched the queried package; the
	// zero value when none did.
	Package Package
	// Order is the version order the entry was evaluated in ("" when the
	// package matched no entry or the entry lists no versions).
	Order Order
	// FixedIn is the first fixed version after the queried one, in the
	// range that affects it; "" when not affected or no fix is listed.
	FixedIn string
	// AllVersions reports that the matching entry lists neither ranges nor
	// versions, which the advisory uses to say that every version of the
	// package is affected.
	AllVersions bool
	// SkippedGit is the number of GIT ranges of the matching entry, which
	// name commits and were not evaluated.
	SkippedGit int
	// Version is the version evaluated.
	Version string
	// PURL is the query's purl, "" when it had none.
	PURL string

	advisory *Advisory
}

// Match evaluates the advisory for q: it finds the affected[] entry whose
// package is q's, and decides whether q's version falls in one of its
// ranges or versions, in the entry's version order (see the package
// documentation). A package the advisory does not name gives a Match with
// Affected false. A withdrawn advisory is ignored and says so: its Match
// has Withdrawn true and Affected false. An entry whose ecosystem has no known order gives an
// [*EcosystemError]; a version its order cannot read, a [*VersionError].
func (a *Advisory) Match(q Query) (Match, error) {
	m := Match{ID: a.ID, Aliases: a.Aliases, PURL: q.PURL, advisory: a}
	qp, err := parseQuery(q)
	if err != nil {
		return m, err
	}
	m.Version = qp.version
	for _, af := range a.Affected {
		if !qp.names(af) {
			continue
		}
		m.Package = af.Package
		if !a.Withdrawn.IsZero() {
			m.Withdrawn = true
			return m, nil
		}
		if len(af.Ranges) == 0 && len(af.Versions) == 0 {
			m.Affected, m.AllVersions = true, true
			return m, nil
		}
		hit, err := evalAffected(af, qp, &m)
		if err != nil {
			return m, fmt.Errorf("osv: %s: %w", a.ID, err)
		}
		if hit {
			m.Affected = true
			return m, nil
		}
	}
	m.Withdrawn = !a.Withdrawn.IsZero()
	return m, nil
}

// query is a [Query] with its purl parsed.
type query struct {
	purl      *packageurl.PackageURL
	ecosystem Ecosystem
	name      string
	version   string
	release   string
}

// parseQuery checks and parses q.
func parseQuery(q Query) (query, error) {
	var qp query
	if q.PURL != "" {
		p, err := packageurl.FromString(q.PURL)
		if err != nil {
			return qp, fmt.Errorf("%w: purl %q: %v", ErrInvalidQuery, q.PURL, err)
		}
		qp.purl = &p
		qp.version = p.Version
		qm := p.Qualifiers.Map()
		qp.release = qm["os_version"]
		if qp.release == "" {
			if d := qm["distro"]; d != "" {
				qp.release = d[strings.LastIndex(d, "-")+1:]
			}
		}
	}
	if q.Ecosystem != "" {
		qp.ecosystem = ParseEcosystem(q.Ecosystem)
		if qp.release == "" {
			qp.release = qp.ecosystem.Release
		}
	}
	qp.name = q.Name
	if q.Version != "" {
		qp.version = q.Version
	}
	if qp.version == "" {
		return qp, fmt.Errorf("%w: no version", ErrInvalidQuery)
	}
	if qp.purl == nil && (q.Ecosystem == "" || q.Name == "") {
		return qp, fmt.Errorf("%w: give a purl, or an ecosystem and a name", ErrInvalidQuery)
	}
	return qp, nil
}

// names reports whether the query is about the package of af.
func (qp query) names(af Affected) bool {
	p := af.Package
	eco := ParseEcosystem(p.Ecosystem)
	if qp.release != "" && eco.Release != "" && qp.release != eco.Release {
		return false
	}
	if qp.purl != nil && p.PURL != "" {
		ap := af.purl
		if ap == nil {
			return false
		}
		return strings.EqualFold(ap.Type, qp.purl.Type) && ap.Namespace == qp.purl.Namespace && ap.Name == qp.purl.Name
	}
	if qp.name == "" || qp.name != p.Name {
		return false
	}
	if qp.ecosystem.Name == "" {
		return false
	}
	return qp.ecosystem.Name == eco.Name && (qp.ecosystem.Distribution == "" || eco.Distribution == "" ||
		strings.EqualFold(qp.ecosystem.Distribution, eco.Distribution))
}

// entryOrder picks the version order of an affected entry for ECOSYSTEM
// ranges and listed versions.
func entryOrder(p Package, qp query) (Order, error) {
	eco := ParseEcosystem(p.Ecosystem)
	if eco.Name == EcosystemDHI || (eco.Name == EcosystemDockerHardenedImages && eco.Distribution == "") {
		for _, s := range []string{p.PURL, purlString(qp.purl)} {
			if s == "" {
				continue
			}
			if t, err := packageurl.FromString(s); err == nil && (t.Type == "deb" || t.Type == "apk") {
				return orderForPURLType(t.Type)
			}
		}
		return OrderSemVer, nil
	}
	return OrderForEcosystem(p.Ecosystem)
}

// purlString returns p as a string, "" for nil.
func purlString(p *packageurl.PackageURL) string {
	if p == nil {
		return ""
	}
	return p.ToString()
}

// evalAffected evaluates one affected entry; it sets m.Order, m.FixedIn
// and m.SkippedGit.
func evalAffected(af Affected, qp query, m *Match) (bool, error) {
	var eo Order
	ecoOrder := func() (Order, error) {
		if eo != "" {
			return eo, nil
		}
		o, err := entryOrder(af.Package, qp)
		eo = o
		return o, err
	}
	for _, r := range af.Ranges {
		var o Order
		switch r.Type {
		case RangeGit:
			m.SkippedGit++
			continue
		case RangeSemVer:
			o = OrderSemVer
		default:
			var err error
			if o, err = ecoOrder(); err != nil {
				return false, err
			}
		}
		m.Order = o
		hit, fixed, err := inRange(o, r.Events, qp.version)
		if err != nil {
			return false, err
		}
		if hit {
			m.FixedIn = fixed
			return true, nil
		}
	}
	if len(af.Versions) > 0 {
		o, err := ecoOrder()
		if err != nil {
			return false, err
		}
		m.Order = o
		for _, v := range af.Versions {
			c, err := o.Compare(qp.version, v)
			if err != nil {
				return false, err
			}
			if c == 0 {
				return true, nil
			}
		}
	}
	return false, nil
}

// inRange decides whether v is in the range given by events, in order o:
// it is when some introduced version I <= v has no fixed F with
// I < F <= v, no last_affected L with I <= L < v, and no limit at or
// below v. The events need not be sorted. fixed is the smallest fixed
// version above v that closes such an I, "" when none.
func inRange(o Order, events []Event, v string) (hit bool, fixed string, err error) {
	// Each version is parsed once.
	parsed := make(map[string]semantic.Version, len(events)+1)
	get := func(s string) semantic.Version {
		if pv, ok := parsed[s]; ok || err != nil {
			return pv
		}
		var pv semantic.Version
		pv, err = o.parse(s)
		parsed[s] = pv
		return pv
	}
	cmp := func(a, b string) int {
		pa, pb := get(a), get(b)
		if err != nil {
			return 0
		}
		c, cerr := pa.Compare(pb)
		if cerr != nil {
			err = &VersionError{Version: b, Order: o, Err: cerr}
		}
		return c
	}
	for _, e := range events {
		if e.Limit != "" && cmp(v, e.Limit) >= 0 {
			return false, "", err
		}
	}
	for _, in := range events {
		if in.Introduced == "" {
			continue
		}
		if in.Introduced != "0" && cmp(v, in.Introduced) < 0 {
			if err != nil {
				return false, "", err
			}
			continue
		}
		closed := false
		next := ""
		for _, e := range events {
			switch {
			case e.Fixed != "":
				afterIntro := in.Introduced == "0" || cmp(e.Fixed, in.Introduced) > 0
				if !afterIntro {
					continue
				}
				if cmp(e.Fixed, v) <= 0 {
					closed = true
				} else if next == "" || cmp(e.Fixed, next) < 0 {
					next = e.Fixed
				}
			case e.LastAffected != "":
				afterIntro := in.Introduced == "0" || cmp(e.LastAffected, in.Introduced) >= 0
				if afterIntro && cmp(e.LastAffected, v) < 0 {
					closed = true
				}
			}
		}
		if err != nil {
			return false, "", err
		}
		if !closed {
			return true, next, nil
		}
	}
	return false, "", err
}

// MatchAll evaluates each advisory for q and returns the matches that are
// affected, and those of withdrawn advisories that name q's package (with
// Withdrawn true, so that callers can say why they were ignored), in the
// order of advisories. The first error stops the evaluation.
func MatchAll(advisories []*Advisory, q Query) ([]Match, error) {
	var out []Match
	for _, a := range advisories {
		m, err := a.Match(q)
		if err != nil {
			return out, err
		}
		if m.Affected || (m.Withdrawn && m.Package != Package{}) {
			out = append(out, m)
		}
	}
	return out, nil
}

// Finding returns the match as a [vuln.Finding] with Source "osv": the
// advisory's id, aliases, dates and severity, the queried purl and
// version, and the fixed version. Severity comes from a
// database_specific.severity word ("high", as the DHI feed writes it) of
// the matching entry or the advisory, else [vuln.SeverityUnspecified];
// CVSS entries come from severity[] of type CVSS_V2/V3/V4.
func (m Match) Finding() vuln.Finding {
	f := vuln.Finding{
		ID: m.ID, Aliases: m.Aliases, PURL: m.PURL, Package: m.Package.Name,
		InstalledVersion: m.Version, FixedIn: m.FixedIn, Severity: vuln.SeverityUnspecified,
		DataSource: m.Package.Ecosystem, Source: "osv",
	}
	a := m.advisory
	if a == nil {
		return f
	}
	f.Published, f.Modified = a.Published, a.Modified
	if f.PURL == "" {
		f.PURL = m.Package.PURL
	}
	sevs := a.Severity
	for _, af := range a.Affected {
		if af.Package == m.Package {
			if s := severityWord(af.DatabaseSpecific); s != vuln.SeverityUnspecified {
				f.Severity = s
			}
			sevs = append(append([]Severity(nil), af.Severity...), sevs...)
			break
		}
	}
	if f.Severity == vuln.SeverityUnspecified {
		f.Severity = severityWord(a.DatabaseSpecific)
	}
	for _, s := range sevs {
		if ver, ok := strings.CutPrefix(s.Type, "CVSS_V"); ok {
			cv := vuln.CVSSVersion(s.Score)
			if cv == "" && ver == "2" {
				cv = "2.0"
			}
			f.CVSS = append(f.CVSS, vuln.CVSS{Vector: s.Score, Version: cv})
		}
	}
	return f
}

// severityWord reads a "severity" word from a database_specific object.
func severityWord(raw json.RawMessage) vuln.Severity {
	var ds struct {
		Severity any `json:"severity"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &ds) != nil {
		return vuln.SeverityUnspecified
	}
	s, _ := ds.Severity.(string)
	return vuln.ParseSeverity(s)
}
