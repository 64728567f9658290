package scanreport

import (
	"encoding/json"
	"strings"

	"github.com/dhisdk/dhisdk/dhi/vuln"
)

// grypeReport is the part of a Grype JSON report that is read.
type grypeReport struct {
	Matches        []grypeMatch `json:"matches"`
	IgnoredMatches []struct {
		grypeMatch
		AppliedIgnoreRules []grypeIgnoreRule `json:"appliedIgnoreRules"`
	} `json:"ignoredMatches"`
	Source struct {
		Type   string          `json:"type"`
		Target json.RawMessage `json:"target"`
	} `json:"source"`
	Descriptor struct {
		Name      string `json:"name"`
		Version   string `json:"version"`
		Timestamp string `json:"timestamp"`
	} `json:"descriptor"`
}

// grypeImageTarget is source.target for an image source.
type grypeImageTarget struct {
	UserInput      string   `json:"userInput"`
	ImageID        string   `json:"imageID"`
	ManifestDigest string   `json:"manifestDigest"`
	Tags           []string `json:"tags"`
	RepoDigests    []string `json:"repoDigests"`
}

// grypeIgnoreRule is one of Grype's ignore rules as its report records it.
type grypeIgnoreRule struct {
	Vulnerability    string `json:"vulnerability,omitempty"`
	Reason           string `json:"reason,omitempty"`
	Namespace        string `json:"namespace,omitempty"`
	VexStatus        string `json:"vex-status,omitempty"`
	VexJustification string `json:"vex-justification,omitempty"`
}

// grypeMatch is one entry of matches.
type grypeMatch struct {
	Vulnerability struct {
		grypeVulnMeta
		Fix struct {
			Versions []string `json:"versions"`
			State    string   `json:"state"`
		} `json:"fix"`
	} `json:"vulnerability"`
	RelatedVulnerabilities []grypeVulnMeta `json:"relatedVulnerabilities"`
	Artifact               struct {
		Name      string `json:"name"`
		Version   string `json:"version"`
		PURL      string `json:"purl"`
		Locations []struct {
			Path string `json:"path"`
		} `json:"locations"`
		Upstreams []struct {
			Name    string `json:"name"`
			Version string `json:"version"`
		} `json:"upstreams"`
	} `json:"artifact"`
}

// grypeVulnMeta is the vulnerability metadata Grype gives for a match and
// its related vulnerabilities.
type grypeVulnMeta struct {
	ID         string `json:"id"`
	DataSource string `json:"dataSource"`
	Namespace  string `json:"namespace"`
	Severity   string `json:"severity"`
	CVSS       []struct {
		Source  string `json:"source"`
		Version string `json:"version"`
		Vector  string `json:"vector"`
		Metrics struct {
			BaseScore float64 `json:"baseScore"`
		} `json:"metrics"`
	} `json:"cvss"`
}

// readGrype fills r from a Grype JSON report.
func (r *Report) readGrype() error {
	var g grypeReport
	if err := json.Unmarshal(r.raw, &g); err != nil {
		return parseError(FormatGrype, r.raw, err)
	}
	r.Scanner = Scanner{Name: g.Descriptor.Name, Version: g.Descriptor.Version}
	r.Created = parseTime(g.Descriptor.Timestamp)
	r.Artifact.Type = g.Source.Type
	var it grypeImageTarget
	var s string
	switch {
	case json.Unmarshal(g.Source.Target, &s) == nil:
		r.Artifact.Name = s
	case json.Unmarshal(g.Source.Target, &it) == nil:
		r.Artifact.Name, r.Artifact.ImageID, r.Artifact.RepoTags = it.UserInput, it.ImageID, it.Tags
		if it.ManifestDigest != "" {
			r.Artifact.addDigest(it.ManifestDigest)
		}
		for _, d := range it.RepoDigests {
			r.Artifact.addDigest(d)
		}
		if strings.Contains(it.UserInput, "@") {
			r.Artifact.addDigest(it.UserInput)
		}
	}
	for i, m := range g.Matches {
		r.Findings = append(r.Findings, m.finding())
		r.locs = append(r.locs, loc{i, 0})
	}
	for _, m := range g.IgnoredMatches {
		var d Decision
		for _, rule := range m.AppliedIgnoreRules {
			d = Decision{Status: Status(rule.VexStatus), Justification: Justification(rule.VexJustification), Impact: rule.Reason, Source: rule.Namespace}
			if rule.VexStatus != "" {
				break
			}
		}
		r.Suppressed = append(r.Suppressed, Suppression{Finding: m.finding(), Decision: d})
	}
	return nil
}

// finding converts one Grype match.
func (m grypeMatch) finding() vuln.Finding {
	v := m.Vulnerability
	f := vuln.Finding{
		ID: v.ID, PURL: m.Artifact.PURL, Package: m.Artifact.Name, InstalledVersion: m.Artifact.Version,
		FixedIn: strings.Join(v.Fix.Versions, ", "), FixState: v.Fix.State,
		Severity: vuln.ParseSeverity(v.Severity), SeveritySource: v.Namespace, DataSource: v.Namespace,
	}
	if f.DataSource == "" {
		f.DataSource = v.DataSource
	}
	if len(m.Artifact.Locations) > 0 {
		f.Target = m.Artifact.Locations[0].Path
	}
	for _, u := range m.Artifact.Upstreams {
		f.Upstreams = append(f.Upstreams, vuln.Upstream{Name: u.Name, Version: u.Version})
	}
	for _, rv := range m.RelatedVulnerabilities {
		if rv.ID != "" && rv.ID != v.ID {
			f.Aliases = append(f.Aliases, rv.ID)
		}
	}
	cvss := v.CVSS
	for _, rv := range m.RelatedVulnerabilities {
		cvss = append(cvss, rv.CVSS...)
	}
	for _, c := range cvss {
		ver := c.Version
		if ver == "" {
			ver = vuln.CVSSVersion(c.Vector)
		}
		f.CVSS = append(f.CVSS, vuln.CVSS{Source: c.Source, Version: ver, Vector: c.Vector, Score: c.Metrics.BaseScore})
	}
	f.Score = preferredScore(f.CVSS, f.SeveritySource)
	return f
}

// encodeGrype moves suppressed matches to ignoredMatches.
func (r *Report) encodeGrype(top *object, decisions []Decision) error {
	matches, err := top.getObjects("matches")
	if err != nil {
		return err
	}
	ignored, err := top.getRaws("ignoredMatches")
	if err != nil {
		return err
	}
	moved := map[int]Decision{}
	for i, d := range decisions {
		if d.Suppresses() {
			moved[r.locs[i].i] = d
		}
	}
	if len(moved) == 0 {
		return nil
	}
	kept := []object{}
	for i, m := range matches {
		d, ok := moved[i]
		if !ok {
			kept = append(kept, m)
			continue
		}
		reason := d.Impact
		if d.Statement != "" {
			reason = strings.TrimSpace(reason + " (" + d.Statement + ")")
		}
		if d.Inconsistent {
			reason = strings.TrimSpace(reason + " [inconsistent: installed version at or above the scanner's fixed version]")
		}
		rule := grypeIgnoreRule{Vulnerability: r.Findings[i].ID, Namespace: "vex", Reason: reason,
			VexStatus: string(d.Status), VexJustification: string(d.Justification)}
		if err := m.set("appliedIgnoreRules", []grypeIgnoreRule{rule}); err != nil {
			return err
		}
		raw, err := m.appendTo(nil)
		if err != nil {
			return err
		}
		ignored = append(ignored, raw)
	}
	if err := top.setObjects("matches", kept); err != nil {
		return err
	}
	if top.get("ignoredMatches") == nil {
		// Grype writes ignoredMatches right after matches.
		var out object
		for _, mb := range *top {
			out = append(out, mb)
			if mb.key == "matches" {
				out = append(out, member{key: "ignoredMatches"})
			}
		}
		*top = out
	}
	top.setRaw("ignoredMatches", rawArray(ignored))
	return nil
}
