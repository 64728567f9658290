package scanreport

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/dhisdk/dhisdk/dhi/vuln"
)

// trivyReport is the part of a Trivy JSON report that is read.
type trivyReport struct {
	SchemaVersion int    `json:"SchemaVersion"`
	CreatedAt     string `json:"CreatedAt"`
	ArtifactName  string `json:"ArtifactName"`
	ArtifactType  string `json:"ArtifactType"`
	Trivy         struct {
		Version string `json:"Version"`
	} `json:"Trivy"`
	Metadata struct {
		ImageID     string   `json:"ImageID"`
		RepoTags    []string `json:"RepoTags"`
		RepoDigests []string `json:"RepoDigests"`
	} `json:"Metadata"`
	Results []struct {
		Target          string      `json:"Target"`
		Vulnerabilities []trivyVuln `json:"Vulnerabilities"`
		Modified        []struct {
			Type      string    `json:"Type"`
			Status    string    `json:"Status"`
			Statement string    `json:"Statement"`
			Source    string    `json:"Source"`
			Finding   trivyVuln `json:"Finding"`
		} `json:"ExperimentalModifiedFindings"`
	} `json:"Results"`
}

// trivyVuln is one entry of Results[].Vulnerabilities.
type trivyVuln struct {
	VulnerabilityID string   `json:"VulnerabilityID"`
	VendorIDs       []string `json:"VendorIDs"`
	PkgName         string   `json:"PkgName"`
	PkgIdentifier   struct {
		PURL string `json:"PURL"`
	} `json:"PkgIdentifier"`
	InstalledVersion string `json:"InstalledVersion"`
	FixedVersion     string `json:"FixedVersion"`
	Status           string `json:"Status"`
	SeveritySource   string `json:"SeveritySource"`
	Severity         string `json:"Severity"`
	DataSource       struct {
		ID string `json:"ID"`
	} `json:"DataSource"`
	CVSS map[string]struct {
		V2Vector  string  `json:"V2Vector"`
		V3Vector  string  `json:"V3Vector"`
		V40Vector string  `json:"V40Vector"`
		V2Score   float64 `json:"V2Score"`
		V3Score   float64 `json:"V3Score"`
		V40Score  float64 `json:"V40Score"`
	} `json:"CVSS"`
	PublishedDate    string `json:"PublishedDate"`
	LastModifiedDate string `json:"LastModifiedDate"`
}

// readTrivy fills r from a Trivy JSON report.
func (r *Report) readTrivy() error {
	var t trivyReport
	if err := json.Unmarshal(r.raw, &t); err != nil {
		return parseError(FormatTrivy, r.raw, err)
	}
	if t.SchemaVersion != 2 {
		return &ParseError{Format: FormatTrivy, Path: "SchemaVersion", Err: fmt.Errorf("SchemaVersion %d, want 2", t.SchemaVersion)}
	}
	r.Scanner = Scanner{Name: "trivy", Version: t.Trivy.Version}
	r.Created = parseTime(t.CreatedAt)
	r.Artifact = Artifact{Name: t.ArtifactName, Type: t.ArtifactType, ImageID: t.Metadata.ImageID, RepoTags: t.Metadata.RepoTags}
	for _, d := range t.Metadata.RepoDigests {
		r.Artifact.addDigest(d)
	}
	if strings.Contains(t.ArtifactName, "@") {
		r.Artifact.addDigest(t.ArtifactName)
	}
	for i, res := range t.Results {
		for j, v := range res.Vulnerabilities {
			r.Findings = append(r.Findings, v.finding(res.Target))
			r.locs = append(r.locs, loc{i, j})
		}
		for _, m := range res.Modified {
			d := Decision{Status: Status(m.Status), Source: m.Source}
			if j := Justification(m.Statement); j.Valid() {
				d.Justification = j
			} else {
				d.Impact = m.Statement
			}
			r.Suppressed = append(r.Suppressed, Suppression{Finding: m.Finding.finding(res.Target), Decision: d})
		}
	}
	return nil
}

// finding converts one Trivy vulnerability.
func (v trivyVuln) finding(target string) vuln.Finding {
	f := vuln.Finding{
		ID: v.VulnerabilityID, Aliases: v.VendorIDs, PURL: v.PkgIdentifier.PURL, Package: v.PkgName,
		InstalledVersion: v.InstalledVersion, FixedIn: v.FixedVersion, FixState: v.Status,
		Severity: vuln.ParseSeverity(v.Severity), SeveritySource: v.SeveritySource,
		DataSource: v.DataSource.ID, Published: parseTime(v.PublishedDate),
		Modified: parseTime(v.LastModifiedDate), Target: target,
	}
	sources := make([]string, 0, len(v.CVSS))
	for s := range v.CVSS {
		sources = append(sources, s)
	}
	sort.Strings(sources)
	for _, s := range sources {
		c := v.CVSS[s]
		for _, e := range []struct {
			vec   string
			score float64
			ver   string
		}{{c.V40Vector, c.V40Score, "4.0"}, {c.V3Vector, c.V3Score, ""}, {c.V2Vector, c.V2Score, "2.0"}} {
			if e.vec == "" && e.score == 0 {
				continue
			}
			ver := e.ver
			if ver == "" {
				ver = vuln.CVSSVersion(e.vec)
			}
			f.CVSS = append(f.CVSS, vuln.CVSS{Source: s, Version: ver, Vector: e.vec, Score: e.score})
		}
	}
	f.Score = preferredScore(f.CVSS, v.SeveritySource)
	return f
}

// preferredScore picks a finding's base score: the newest CVSS version of
// the severity source, else of NVD, else of any source.
func preferredScore(cs []vuln.CVSS, severitySource string) float64 {
	for _, src := range []string{severitySource, "nvd", ""} {
		for _, c := range cs {
			if (src == "" || c.Source == src) && c.Score > 0 {
				return c.Score
			}
		}
	}
	return 0
}

// trivyModified is one entry of Trivy's ExperimentalModifiedFindings.
type trivyModified struct {
	Type      string          `json:"Type"`
	Status    string          `json:"Status"`
	Statement string          `json:"Statement"`
	Source    string          `json:"Source"`
	Finding   json.RawMessage `json:"Finding"`
}

// encodeTrivy moves suppressed findings to ExperimentalModifiedFindings.
func (r *Report) encodeTrivy(top *object, decisions []Decision) error {
	results, err := top.getObjects("Results")
	if err != nil {
		return err
	}
	moved := map[loc]Decision{}
	for i, d := range decisions {
		if d.Suppresses() {
			moved[r.locs[i]] = d
		}
	}
	if len(moved) == 0 {
		return nil
	}
	for i := range results {
		vulns, err := results[i].getRaws("Vulnerabilities")
		if err != nil {
			return fmt.Errorf("Results[%d].%v", i, err)
		}
		mods, err := results[i].getRaws("ExperimentalModifiedFindings")
		if err != nil {
			return fmt.Errorf("Results[%d].%v", i, err)
		}
		var kept []json.RawMessage
		changed := false
		for j, v := range vulns {
			d, ok := moved[loc{i, j}]
			if !ok {
				kept = append(kept, v)
				continue
			}
			changed = true
			stmt := string(d.Justification)
			if stmt == "" {
				stmt = d.Impact
			}
			if d.Inconsistent {
				stmt = strings.TrimSpace(stmt + " [inconsistent: installed version at or above the scanner's fixed version]")
			}
			src := d.Source
			if d.Statement != "" {
				src = strings.TrimSpace(src + " " + d.Statement)
			}
			m, err := marshal(trivyModified{Type: "vulnerability", Status: string(d.Status), Statement: stmt, Source: src, Finding: v})
			if err != nil {
				return err
			}
			mods = append(mods, m)
		}
		if !changed {
			continue
		}
		if len(kept) == 0 {
			results[i].del("Vulnerabilities")
		} else {
			results[i].setRaw("Vulnerabilities", rawArray(kept))
		}
		results[i].setRaw("ExperimentalModifiedFindings", rawArray(mods))
	}
	if results == nil {
		return errors.New("no Results")
	}
	return top.setObjects("Results", results)
}
