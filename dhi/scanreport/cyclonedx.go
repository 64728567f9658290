package scanreport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"github.com/dhisdk/dhisdk/dhi/vuln"
)

// propInconsistent is the CycloneDX property that records an inconsistent
// finding.
const propInconsistent = "dhisdk:inconsistent"

// readCycloneDX fills r from a CycloneDX BOM with vulnerabilities.
func (r *Report) readCycloneDX() error {
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(r.raw), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
		// Decode again with encoding/json for the position of the error.
		var probe cdx.BOM
		if jerr := json.Unmarshal(r.raw, &probe); jerr != nil {
			return parseError(FormatCycloneDX, r.raw, jerr)
		}
		return &ParseError{Format: FormatCycloneDX, Err: err}
	}
	comps := map[string]*cdx.Component{}
	var walk func(cs *[]cdx.Component)
	walk = func(cs *[]cdx.Component) {
		if cs == nil {
			return
		}
		for i := range *cs {
			c := &(*cs)[i]
			if c.BOMRef != "" {
				comps[c.BOMRef] = c
			}
			walk(c.Components)
		}
	}
	if md := bom.Metadata; md != nil {
		r.Created = parseTime(md.Timestamp)
		r.Scanner = cdxScanner(md.Tools)
		if c := md.Component; c != nil {
			comps[c.BOMRef] = c
			r.Artifact = cdxArtifact(c)
		}
	}
	walk(bom.Components)
	if bom.Vulnerabilities == nil {
		return nil
	}
	for i, v := range *bom.Vulnerabilities {
		d, suppressed := cdxDecision(v)
		for j, a := range deref(v.Affects) {
			f := cdxFinding(v, a, comps[a.Ref])
			if suppressed {
				r.Suppressed = append(r.Suppressed, Suppression{Finding: f, Decision: d})
				continue
			}
			r.Findings = append(r.Findings, f)
			r.locs = append(r.locs, loc{i, j})
		}
	}
	return nil
}

// deref returns *p, nil for a nil p.
func deref[T any](p *[]T) []T {
	if p == nil {
		return nil
	}
	return *p
}

// cdxScanner returns the first tool of the metadata.
func cdxScanner(t *cdx.ToolsChoice) Scanner {
	if t == nil {
		return Scanner{}
	}
	for _, c := range deref(t.Components) {
		return Scanner{Name: c.Name, Version: c.Version}
	}
	for _, c := range deref(t.Tools) {
		return Scanner{Name: c.Name, Version: c.Version}
	}
	return Scanner{}
}

// cdxArtifact reads the scanned artifact from metadata.component: its name,
// and digests from Trivy's properties or a digest version (syft, Grype).
func cdxArtifact(c *cdx.Component) Artifact {
	a := Artifact{Name: c.Name, Type: string(c.Type)}
	if strings.HasPrefix(c.Version, "sha256:") {
		a.addDigest(c.Version)
	}
	for _, p := range deref(c.Properties) {
		switch p.Name {
		case "aquasecurity:trivy:RepoDigest":
			a.addDigest(p.Value)
		case "aquasecurity:trivy:ImageID":
			a.ImageID = p.Value
		case "aquasecurity:trivy:RepoTag":
			a.RepoTags = append(a.RepoTags, p.Value)
		}
	}
	return a
}

// cdxDecision reads a vulnerability's analysis: suppressed when the state
// is not_affected, false_positive or resolved.
func cdxDecision(v cdx.Vulnerability) (Decision, bool) {
	var d Decision
	for _, p := range deref(v.Properties) {
		if p.Name == propInconsistent && p.Value == "true" {
			d.Inconsistent = true
		}
	}
	a := v.Analysis
	if a == nil {
		return d, false
	}
	d.Impact = a.Detail
	switch a.State {
	case cdx.IASNotAffected, cdx.IASFalsePositive:
		d.Status = StatusNotAffected
	case cdx.IASResolved, cdx.IASResolvedWithPedigree:
		d.Status = StatusFixed
	case cdx.IASExploitable:
		d.Status = StatusAffected
	case cdx.IASInTriage:
		d.Status = StatusUnderInvestigation
	}
	d.Justification = fromCDXJustification(a.Justification)
	return d, d.Suppresses()
}

// fromCDXJustification maps CycloneDX justifications to OpenVEX ones, the
// way Trivy maps them.
func fromCDXJustification(j cdx.ImpactAnalysisJustification) Justification {
	switch j {
	case cdx.IAJCodeNotPresent:
		return JustificationVulnerableCodeNotPresent
	case cdx.IAJCodeNotReachable:
		return JustificationVulnerableCodeNotInExecutePath
	case cdx.IAJRequiresConfiguration, cdx.IAJRequiresDependency, cdx.IAJRequiresEnvironment:
		return JustificationVulnerableCodeCannotBeControlledByAdversary
	case cdx.IAJProtectedByCompiler, cdx.IAJProtectedAtRuntime, cdx.IAJProtectedAtPerimeter, cdx.IAJProtectedByMitigatingControl:
		return JustificationInlineMitigationsAlreadyExist
	}
	return ""
}

// toCDXJustification maps an OpenVEX justification to CycloneDX's.
func toCDXJustification(j Justification) cdx.ImpactAnalysisJustification {
	switch j {
	case JustificationComponentNotPresent, JustificationVulnerableCodeNotPresent:
		return cdx.IAJCodeNotPresent
	case JustificationVulnerableCodeNotInExecutePath:
		return cdx.IAJCodeNotReachable
	case JustificationVulnerableCodeCannotBeControlledByAdversary:
		return cdx.IAJRequiresEnvironment
	case JustificationInlineMitigationsAlreadyExist:
		return cdx.IAJProtectedByMitigatingControl
	}
	return ""
}

// cdxFinding builds the finding for one affected component of a
// vulnerability.
func cdxFinding(v cdx.Vulnerability, a cdx.Affects, c *cdx.Component) vuln.Finding {
	f := vuln.Finding{ID: v.ID, Severity: vuln.SeverityUnspecified, Published: parseTime(v.Published), Modified: parseTime(v.Updated)}
	if v.Source != nil {
		f.DataSource = v.Source.Name
	}
	for _, ref := range deref(v.References) {
		if ref.ID != "" && ref.ID != v.ID {
			f.Aliases = append(f.Aliases, ref.ID)
		}
	}
	if c != nil {
		f.PURL, f.Package, f.InstalledVersion = c.PackageURL, c.Name, c.Version
	}
	for _, av := range deref(a.Range) {
		switch av.Status {
		case cdx.VulnerabilityStatusNotAffected:
			if f.FixedIn == "" {
				f.FixedIn = av.Version
			}
		case cdx.VulnerabilityStatusAffected:
			if f.InstalledVersion == "" {
				f.InstalledVersion = av.Version
			}
		}
	}
	if f.FixedIn == "" {
		f.FixedIn = fixFromRecommendation(v.Recommendation)
	}
	rank := 0
	for _, rt := range deref(v.Ratings) {
		src := ""
		if rt.Source != nil {
			src = rt.Source.Name
		}
		if s := vuln.ParseSeverity(string(rt.Severity)); s.Rank() > rank && s != vuln.SeverityUnspecified {
			f.Severity, f.SeveritySource, rank = s, src, s.Rank()
		}
		ver := ""
		switch rt.Method {
		case cdx.ScoringMethodCVSSv2:
			ver = "2.0"
		case cdx.ScoringMethodCVSSv3:
			ver = "3.0"
		case cdx.ScoringMethodCVSSv31:
			ver = "3.1"
		case cdx.ScoringMethodCVSSv4:
			ver = "4.0"
		default:
			continue
		}
		cv := vuln.CVSS{Source: src, Version: ver, Vector: rt.Vector}
		if rt.Score != nil {
			cv.Score = *rt.Score
		}
		f.CVSS = append(f.CVSS, cv)
	}
	f.Score = preferredScore(f.CVSS, f.SeveritySource)
	return f
}

// fixFromRecommendation reads the version of a recommendation such as
// "Upgrade libssl3 to version 3.0.15-1" (Grype) or "Upgrade x to 1.2"; ""
// when there is none.
func fixFromRecommendation(s string) string {
	_, after, ok := strings.Cut(s, " to ")
	if !ok || !strings.HasPrefix(strings.TrimSpace(s), "Upgrade") {
		return ""
	}
	after = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(after), "version "))
	after = strings.TrimSuffix(after, ".")
	if after == "" || strings.Contains(after, " ") {
		return ""
	}
	return after
}

// cdxState is the CycloneDX analysis state of a status.
func cdxState(s Status) cdx.ImpactAnalysisState {
	switch s {
	case StatusNotAffected:
		return cdx.IASNotAffected
	case StatusFixed:
		return cdx.IASResolved
	case StatusAffected:
		return cdx.IASExploitable
	case StatusUnderInvestigation:
		return cdx.IASInTriage
	}
	return ""
}

// encodeCycloneDX records decisions in vulnerabilities[].analysis,
// splitting a vulnerability whose affected components got different
// decisions.
func (r *Report) encodeCycloneDX(top *object, decisions []Decision) error {
	byLoc := map[loc]Decision{}
	for i, d := range decisions {
		byLoc[r.locs[i]] = d
	}
	vulns, err := top.getObjects("vulnerabilities")
	if err != nil {
		return err
	}
	var out []object
	changed := false
	for i, v := range vulns {
		affects, err := v.getRaws("affects")
		if err != nil {
			return fmt.Errorf("vulnerabilities[%d].%v", i, err)
		}
		// Group the affects entries by decision, in first-seen order.
		var groups []Decision
		members := map[Decision][]json.RawMessage{}
		for j, a := range affects {
			d, ok := byLoc[loc{i, j}]
			if !ok {
				d = Decision{} // suppressed on read or not a finding: keep as is
			}
			if _, seen := members[d]; !seen {
				groups = append(groups, d)
			}
			members[d] = append(members[d], a)
		}
		if len(groups) <= 1 && (len(groups) == 0 || groups[0].IsZero()) {
			out = append(out, v)
			continue
		}
		changed = true
		for g, d := range groups {
			c := append(object(nil), v...)
			if len(groups) > 1 {
				c.setRaw("affects", rawArray(members[d]))
				if g > 0 {
					var ref string
					if json.Unmarshal(c.get("bom-ref"), &ref) == nil && ref != "" {
						if err := c.set("bom-ref", fmt.Sprintf("%s-%d", ref, g)); err != nil {
							return err
						}
					}
				}
			}
			if err := cdxDecide(&c, d); err != nil {
				return fmt.Errorf("vulnerabilities[%d]: %v", i, err)
			}
			out = append(out, c)
		}
	}
	if !changed {
		return nil
	}
	return top.setObjects("vulnerabilities", out)
}

// cdxDecide records d on one vulnerability.
func cdxDecide(v *object, d Decision) error {
	if d.IsZero() {
		return nil
	}
	if d.Inconsistent {
		props := deref[cdx.Property](nil)
		if raw := v.get("properties"); raw != nil {
			if err := json.Unmarshal(raw, &props); err != nil {
				return err
			}
		}
		props = append(props, cdx.Property{Name: propInconsistent, Value: "true"})
		if err := v.set("properties", props); err != nil {
			return err
		}
	}
	if d.Status == "" {
		return nil
	}
	detail := d.Impact
	if d.Statement != "" {
		detail = strings.TrimSpace(detail + " (" + d.Statement + ")")
	}
	if d.Source != "" {
		detail = strings.TrimSpace(detail + " [" + d.Source + "]")
	}
	return v.set("analysis", cdx.VulnerabilityAnalysis{
		State: cdxState(d.Status), Justification: toCDXJustification(d.Justification), Detail: detail,
	})
}
