package scanreport

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/dhisdk/dhisdk/dhi/vuln"
)

// sarifLog is the part of a SARIF 2.1.0 log that is read.
type sarifLog struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Name    string      `json:"name"`
				Version string      `json:"version"`
				Rules   []sarifRule `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			EndTimeUTC string `json:"endTimeUtc"`
		} `json:"invocations"`
		Results    []sarifResult `json:"results"`
		Properties struct {
			ImageName   string   `json:"imageName"`
			ImageID     string   `json:"imageID"`
			RepoDigests []string `json:"repoDigests"`
			RepoTags    []string `json:"repoTags"`
		} `json:"properties"`
	} `json:"runs"`
}

// sarifRule is one rule of a run's driver.
type sarifRule struct {
	ID   string `json:"id"`
	Help struct {
		Text string `json:"text"`
	} `json:"help"`
	Properties struct {
		SecuritySeverity string   `json:"security-severity"`
		PURLs            []string `json:"purls"`
		CVSSv3Vector     string   `json:"cvssv3_vector"`
		CVSSv3Score      float64  `json:"cvssv3_baseScore"`
		CVSSv2Vector     string   `json:"cvssv2_vector"`
		CVSSv2Score      float64  `json:"cvssv2_score"`
	} `json:"properties"`
}

// sarifResult is one result of a run.
type sarifResult struct {
	RuleID    string `json:"ruleId"`
	RuleIndex *int   `json:"ruleIndex"`
	Level     string `json:"level"`
	Message   struct {
		Text string `json:"text"`
	} `json:"message"`
	Locations []struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
		} `json:"physicalLocation"`
	} `json:"locations"`
	Suppressions []sarifSuppression `json:"suppressions"`
}

// sarifSuppression is a SARIF suppression; its properties carry the
// decision's fields when this package wrote it.
type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status,omitempty"`
	Justification string `json:"justification,omitempty"`
	Properties    *struct {
		VEXStatus        string `json:"vexStatus,omitempty"`
		VEXJustification string `json:"vexJustification,omitempty"`
		Statement        string `json:"statement,omitempty"`
		Impact           string `json:"impact,omitempty"`
		Source           string `json:"source,omitempty"`
		Inconsistent     bool   `json:"inconsistent,omitempty"`
	} `json:"properties,omitempty"`
}

// readSARIF fills r from a SARIF log.
func (r *Report) readSARIF() error {
	var s sarifLog
	if err := json.Unmarshal(r.raw, &s); err != nil {
		return parseError(FormatSARIF, r.raw, err)
	}
	for i, run := range s.Runs {
		if i == 0 {
			r.Scanner = Scanner{Name: run.Tool.Driver.Name, Version: run.Tool.Driver.Version}
			p := run.Properties
			r.Artifact = Artifact{Name: p.ImageName, ImageID: p.ImageID, RepoTags: p.RepoTags}
			for _, d := range p.RepoDigests {
				r.Artifact.addDigest(d)
			}
			if len(run.Invocations) > 0 {
				r.Created = parseTime(run.Invocations[0].EndTimeUTC)
			}
		}
		rules := map[string]int{}
		for k, rule := range run.Tool.Driver.Rules {
			if _, ok := rules[rule.ID]; !ok {
				rules[rule.ID] = k
			}
		}
		for j, res := range run.Results {
			var rule sarifRule
			if res.RuleIndex != nil && *res.RuleIndex >= 0 && *res.RuleIndex < len(run.Tool.Driver.Rules) {
				rule = run.Tool.Driver.Rules[*res.RuleIndex]
			} else if k, ok := rules[res.RuleID]; ok {
				rule = run.Tool.Driver.Rules[k]
			}
			f := sarifFinding(res, rule)
			if d, ok := sarifSuppressed(res.Suppressions); ok {
				r.Suppressed = append(r.Suppressed, Suppression{Finding: f, Decision: d})
				continue
			}
			r.Findings = append(r.Findings, f)
			r.locs = append(r.locs, loc{i, j})
		}
	}
	return nil
}

// sarifSuppressed reports whether a result is suppressed: it is when it
// has a suppression whose status is accepted or absent (SARIF 3.35.3). The
// decision comes from the suppression's properties when present.
func sarifSuppressed(ss []sarifSuppression) (Decision, bool) {
	for _, s := range ss {
		if s.Status != "" && s.Status != "accepted" {
			continue
		}
		d := Decision{Impact: s.Justification}
		if p := s.Properties; p != nil && p.VEXStatus != "" {
			d = Decision{Status: Status(p.VEXStatus), Justification: Justification(p.VEXJustification),
				Statement: p.Statement, Impact: p.Impact, Source: p.Source, Inconsistent: p.Inconsistent}
		}
		return d, true
	}
	return Decision{}, false
}

// sarifKey reports whether k is one of the "Key: value" lines Trivy and
// Grype write in SARIF messages and rule help.
func sarifKey(k string) bool {
	switch k {
	case "Package", "Installed Version", "Version", "Fixed Version", "Fix Version", "Severity", "Data Namespace":
		return true
	}
	return false
}

// textFields reads the known "Key: value" lines of texts; a line
// "Vulnerability X" gives the key "Vulnerability". The first value of a key
// wins.
func textFields(texts ...string) map[string]string {
	out := map[string]string{}
	for _, t := range texts {
		for _, line := range strings.Split(t, "\n") {
			line = strings.TrimSpace(line)
			k, v, ok := strings.Cut(line, ":")
			if !ok || !sarifKey(k) {
				rest, found := strings.CutPrefix(line, "Vulnerability ")
				if !found || rest == "" || strings.ContainsAny(rest, " :") {
					continue
				}
				k, v = "Vulnerability", rest
			}
			if _, seen := out[k]; !seen {
				out[k] = strings.TrimSpace(v)
			}
		}
	}
	return out
}

// sarifFinding builds a finding from a result and its rule: the
// vulnerability, package and versions come from the "Key: value" lines of
// the result message (Trivy) and the rule help (Grype).
func sarifFinding(res sarifResult, rule sarifRule) vuln.Finding {
	kv := textFields(res.Message.Text, rule.Help.Text)
	f := vuln.Finding{
		ID: kv["Vulnerability"], Package: kv["Package"], InstalledVersion: kv["Installed Version"],
		FixedIn: kv["Fixed Version"], Severity: vuln.ParseSeverity(kv["Severity"]), DataSource: kv["Data Namespace"],
	}
	if f.ID == "" {
		f.ID = res.RuleID
	}
	if f.InstalledVersion == "" {
		f.InstalledVersion = kv["Version"]
	}
	if f.FixedIn == "" {
		f.FixedIn = strings.ReplaceAll(kv["Fix Version"], ",", ", ")
	}
	if len(rule.Properties.PURLs) > 0 {
		f.PURL = rule.Properties.PURLs[0]
	}
	if x, err := strconv.ParseFloat(rule.Properties.SecuritySeverity, 64); err == nil && x >= 0 && x <= 10 {
		f.Score = x
	}
	if len(res.Locations) > 0 {
		f.Target = res.Locations[0].PhysicalLocation.ArtifactLocation.URI
	}
	p := rule.Properties
	if p.CVSSv3Vector != "" || p.CVSSv3Score > 0 {
		f.CVSS = append(f.CVSS, vuln.CVSS{Version: vuln.CVSSVersion(p.CVSSv3Vector), Vector: p.CVSSv3Vector, Score: p.CVSSv3Score})
	}
	if p.CVSSv2Vector != "" || p.CVSSv2Score > 0 {
		f.CVSS = append(f.CVSS, vuln.CVSS{Version: "2.0", Vector: p.CVSSv2Vector, Score: p.CVSSv2Score})
	}
	return f
}

// encodeSARIF adds suppressions to the results that were decided.
func (r *Report) encodeSARIF(top *object, decisions []Decision) error {
	byLoc := map[loc]Decision{}
	for i, d := range decisions {
		if !d.IsZero() {
			byLoc[r.locs[i]] = d
		}
	}
	if len(byLoc) == 0 {
		return nil
	}
	runs, err := top.getObjects("runs")
	if err != nil {
		return err
	}
	for i := range runs {
		results, err := runs[i].getObjects("results")
		if err != nil {
			return fmt.Errorf("runs[%d].%v", i, err)
		}
		changed := false
		for j := range results {
			d, ok := byLoc[loc{i, j}]
			if !ok {
				continue
			}
			changed = true
			if err := sarifDecide(&results[j], d); err != nil {
				return fmt.Errorf("runs[%d].results[%d]: %v", i, j, err)
			}
		}
		if changed {
			if err := runs[i].setObjects("results", results); err != nil {
				return err
			}
		}
	}
	return top.setObjects("runs", runs)
}

// sarifDecide records d on one result.
func sarifDecide(res *object, d Decision) error {
	if d.Inconsistent {
		var props object
		if raw := res.get("properties"); raw != nil {
			if err := json.Unmarshal(raw, &props); err != nil {
				return err
			}
		}
		if err := props.set("dhisdk:inconsistent", true); err != nil {
			return err
		}
		if err := res.set("properties", props); err != nil {
			return err
		}
	}
	var status string
	switch d.Status {
	case StatusNotAffected, StatusFixed:
		status = "accepted"
	case StatusUnderInvestigation:
		status = "underReview"
	default:
		return nil
	}
	sups, err := res.getRaws("suppressions")
	if err != nil {
		return err
	}
	s := sarifSuppression{Kind: "external", Status: status, Justification: d.text()}
	s.Properties = &struct {
		VEXStatus        string `json:"vexStatus,omitempty"`
		VEXJustification string `json:"vexJustification,omitempty"`
		Statement        string `json:"statement,omitempty"`
		Impact           string `json:"impact,omitempty"`
		Source           string `json:"source,omitempty"`
		Inconsistent     bool   `json:"inconsistent,omitempty"`
	}{string(d.Status), string(d.Justification), d.Statement, d.Impact, d.Source, d.Inconsistent}
	raw, err := marshal(s)
	if err != nil {
		return err
	}
	res.setRaw("suppressions", rawArray(append(sups, raw)))
	return nil
}
