package predicate

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dhisdk/dhisdk/dhi/vuln"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

const (
	purlGlibc = "pkg:deb/debian/glibc@2.41-12?os_distro=trixie&os_name=debian&os_version=13"
	purlTar   = "pkg:deb/debian/tar@1.35%2Bdfsg-3.1?os_distro=trixie&os_name=debian&os_version=13"
)

func TestParseScoutVulnerabilitiesFixture(t *testing.T) {
	t.Parallel()
	b := fixture.Bytes(t, "dhi/predicates/scout-vulnerabilities.json")
	got, err := ParseScoutVulnerabilities(b)
	if err != nil {
		t.Fatal(err)
	}
	published := time.Date(2025, time.May, 16, 20, 15, 0, 0, time.UTC)
	want := ScoutVulnerabilities{Packages: []ScoutPackage{
		{PURL: purlGlibc, Vulnerabilities: []ScoutVulnerability{
			{SourceID: "CVE-2025-4802", Severity: vuln.SeverityHigh, Score: 7.8, PublishedAt: published},
		}},
		{PURL: purlTar, Vulnerabilities: []ScoutVulnerability{
			{SourceID: "CVE-2005-2541", Severity: vuln.SeverityLow, Score: 2.1},
		}},
	}}
	if diff := cmp.Diff(want, got, ignoreRaw); diff != "" {
		t.Fatalf("ParseScoutVulnerabilities() (-want +got):\n%s", diff)
	}
	wantFindings := []vuln.Finding{
		{ID: "CVE-2025-4802", PURL: purlGlibc, Severity: vuln.SeverityHigh, Score: 7.8, Published: published, Source: TypeScoutVulnerabilities},
		{ID: "CVE-2005-2541", PURL: purlTar, Severity: vuln.SeverityLow, Score: 2.1, Source: TypeScoutVulnerabilities},
	}
	if diff := cmp.Diff(wantFindings, got.Findings()); diff != "" {
		t.Errorf("Findings() (-want +got):\n%s", diff)
	}
	fs, err := ParseFindings(TypeScoutVulnerabilities, b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantFindings, fs); diff != "" {
		t.Errorf("ParseFindings() (-want +got):\n%s", diff)
	}
}

func TestParseScoutVulnerabilitiesFields(t *testing.T) {
	t.Parallel()
	b := []byte(`[{"purl":"pkg:npm/x@1","vulnerabilities":[
		{"source_id":"CVE-2021-44228","aliases":["GHSA-jfh8-c2jp-5v3q"],"cvss":{"severity":"CRITICAL","score":10,"vector":"CVSS:3.1/AV:N"},
		 "fixed_by":"2.15.0","published_at":"2021-12-10T10:15:09.143","cisa_exploited":true,"url":"https://x"},
		{"source_id":"CVE-2000-0001"},
		{"source_id":"CVE-2000-0002","cvss":{"severity":"moderate"},"published_at":"2020-01-02"}]},
		{"purl":"pkg:npm/y@1"}]`)
	got, err := ParseScoutVulnerabilities(b)
	if err != nil {
		t.Fatal(err)
	}
	want := ScoutVulnerabilities{Packages: []ScoutPackage{
		{PURL: "pkg:npm/x@1", Vulnerabilities: []ScoutVulnerability{
			{
				SourceID: "CVE-2021-44228", Aliases: []string{"GHSA-jfh8-c2jp-5v3q"}, Severity: vuln.SeverityCritical, Score: 10,
				FixedBy: "2.15.0", PublishedAt: time.Date(2021, 12, 10, 10, 15, 9, 143000000, time.UTC), CISAExploited: true,
			},
			{SourceID: "CVE-2000-0001", Severity: vuln.SeverityUnspecified},
			{SourceID: "CVE-2000-0002", Severity: vuln.SeverityMedium, PublishedAt: date(2020, 1, 2)},
		}},
		{PURL: "pkg:npm/y@1"},
	}}
	if diff := cmp.Diff(want, got, ignoreRaw); diff != "" {
		t.Fatalf("ParseScoutVulnerabilities() (-want +got):\n%s", diff)
	}
	if raw := string(got.Packages[0].Vulnerabilities[0].Raw); !strings.Contains(raw, `"url":"https://x"`) || !strings.Contains(raw, `"vector"`) {
		t.Errorf("Raw = %s, want the unknown fields", raw)
	}
	fs := got.Findings()
	if len(fs) != 3 || fs[0].FixedIn != "2.15.0" || fs[0].Aliases[0] != "GHSA-jfh8-c2jp-5v3q" || fs[2].PURL != "pkg:npm/x@1" {
		t.Errorf("Findings() = %+v", fs)
	}
	if fs := (ScoutVulnerabilities{}).Findings(); fs != nil {
		t.Errorf("Findings() of an empty report = %v, want nil", fs)
	}
}

func TestParseInTotoVulnsFixture(t *testing.T) {
	t.Parallel()
	b := fixture.Bytes(t, "dhi/predicates/intoto-vulns.json")
	got, err := ParseInTotoVulns(b)
	if err != nil {
		t.Fatal(err)
	}
	want := InTotoVulns{
		Scanner: VulnScanner{
			URI: "https://docker.com/scout", Version: "1.18.3",
			DB: VulnDB{URI: "https://scout.docker.com", LastUpdate: time.Date(2025, 10, 31, 0, 0, 0, 0, time.UTC)},
		},
		ScanStartedOn:  time.Date(2025, 10, 31, 10, 0, 0, 0, time.UTC),
		ScanFinishedOn: time.Date(2025, 10, 31, 10, 0, 12, 0, time.UTC),
	}
	if diff := cmp.Diff(want, got, ignoreRaw); diff != "" {
		t.Fatalf("ParseInTotoVulns() (-want +got):\n%s", diff)
	}
	if got.Findings() != nil {
		t.Errorf("Findings() = %v, want nil", got.Findings())
	}
	for _, pt := range []string{TypeInTotoVulnsV01, TypeInTotoVulnsV02} {
		fs, err := ParseFindings(pt, b)
		if err != nil || fs != nil {
			t.Errorf("ParseFindings(%s) = %v, %v; want nil, nil", pt, fs, err)
		}
	}
}

func TestParseInTotoVulnsResults(t *testing.T) {
	t.Parallel()
	// v0.2: flat results, the example of the specification.
	v02 := []byte(`{"scanner":{"uri":"pkg:github/aquasecurity/trivy@244fd47e07d1004f0aed9","version":"0.19.2",
		"db":{"uri":"pkg:github/aquasecurity/trivy-db/commit/4c76bb5","version":"v1-2021080612","lastUpdate":"2021-08-06T17:45:50.52Z"},
		"result":[{"id":"CVE-123","severity":[{"method":"nvd","score":"medium"},{"method":"cvss_score","score":"5.2"}]},
		          {"id":"CVE-456","severity":[{"method":"CVSSv3","score":9.8},{"method":"vendor","score":"CRITICAL"}],"annotations":[{"k":"v"}]},
		          {"id":"CVE-789","severity":[{"method":"epss","score":"0.97"}]},
		          {"id":"CVE-000"}]},
		"metadata":{"scanStartedOn":"2021-08-06T17:45:50.52Z","scanFinishedOn":"2021-08-06T17:50:50.52Z"}}`)
	// v0.1: results nested under "vulnerability", as the specification's
	// field list says.
	v01 := []byte(`{"scanner":{"uri":"u","result":[{"vulnerability":{"id":"CVE-123","severity":[{"method":"nvd","score":"medium"},{"method":"cvss_score","score":"5.2"}]}}]}}`)
	got, err := ParseInTotoVulns(v02)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Scanner.HasResults || len(got.Scanner.Results) != 4 {
		t.Fatalf("Scanner = %+v", got.Scanner)
	}
	if r := got.Scanner.Results[1]; string(r.Annotations) != `[{"k":"v"}]` || r.Severity[0] != (VulnSeverity{Method: "CVSSv3", Score: "9.8"}) {
		t.Errorf("result 1 = %+v", r)
	}
	want := []vuln.Finding{
		{ID: "CVE-123", Severity: vuln.SeverityMedium, Score: 5.2, Source: TypeInTotoVulnsV02},
		{ID: "CVE-456", Severity: vuln.SeverityCritical, Score: 9.8, Source: TypeInTotoVulnsV02},
		{ID: "CVE-789", Severity: vuln.SeverityUnspecified, Source: TypeInTotoVulnsV02},
		{ID: "CVE-000", Severity: vuln.SeverityUnspecified, Source: TypeInTotoVulnsV02},
	}
	fs, err := ParseFindings(TypeInTotoVulnsV02, v02)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, fs); diff != "" {
		t.Errorf("ParseFindings(v0.2) (-want +got):\n%s", diff)
	}
	if got := got.Findings(); got[0].Source != TypeInTotoVulns {
		t.Errorf("Findings() Source = %q, want %q", got[0].Source, TypeInTotoVulns)
	}
	fs, err = ParseFindings(TypeInTotoVulnsV01, v01)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]vuln.Finding{{ID: "CVE-123", Severity: vuln.SeverityMedium, Score: 5.2, Source: TypeInTotoVulnsV01}}, fs); diff != "" {
		t.Errorf("ParseFindings(v0.1) (-want +got):\n%s", diff)
	}
	empty, err := ParseInTotoVulns([]byte(`{"scanner":{"uri":"u","result":[]}}`))
	if err != nil || !empty.Scanner.HasResults || empty.Findings() != nil {
		t.Errorf("empty result: %+v, %v; want HasResults and no findings", empty.Scanner, err)
	}
}

func TestParseFindingsUnsupported(t *testing.T) {
	t.Parallel()
	for _, pt := range []string{TypeFIPS, "https://spdx.dev/Document", "", "https://example.com/vulns/v1"} {
		_, err := ParseFindings(pt, []byte(`[]`))
		if !errors.Is(err, ErrUnsupported) || !strings.HasPrefix(err.Error(), "predicate: ") {
			t.Errorf("ParseFindings(%q) error = %v, want ErrUnsupported", pt, err)
		}
	}
	_, err := ParseFindings("https://in-toto.io/attestation/vulns/v0.3", []byte(`{}`))
	var pe *Error
	if !errors.As(err, &pe) || pe.PredicateType != "https://in-toto.io/attestation/vulns/v0.3" {
		t.Errorf("ParseFindings(v0.3, {}) error = %v, want a Error naming v0.3", err)
	}
}

// largeScoutReport builds a Scout vulnerability report of n packages with
// 4 vulnerabilities each, shaped like the fixture.
func largeScoutReport(n int) []byte {
	var b strings.Builder
	b.WriteString("[")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"purl":"pkg:deb/debian/p%d@1.0-%d?os_distro=trixie&os_name=debian&os_version=13","vulnerabilities":[`, i, i)
		for j := range 4 {
			if j > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"source_id":"CVE-2025-%d%d","aliases":["GHSA-%d"],"cvss":{"severity":"HIGH","score":7.8,"vector":"CVSS:3.1/AV:N/AC:L"},"fixed_by":"1.%d","published_at":"2025-05-16T20:15:00Z","url":"https://scout.docker.com/v/CVE-2025-%d"}`, i, j, i, j, i)
		}
		b.WriteString("]}")
	}
	b.WriteString("]")
	return []byte(b.String())
}

// BenchmarkParseScoutVulnerabilities compares the reader with two
// baselines on the same 2000-vulnerability report: encoding/json into
// plain structs with no Raw kept (the floor for a typed decode), and into
// generic maps.
func BenchmarkParseScoutVulnerabilities(b *testing.B) {
	in := largeScoutReport(500)
	b.Run("ParseScoutVulnerabilities", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		for b.Loop() {
			v, err := ParseScoutVulnerabilities(in)
			if err != nil || len(v.Packages) != 500 {
				b.Fatal(err)
			}
		}
	})
	b.Run("ParseFindings", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		for b.Loop() {
			fs, err := ParseFindings(TypeScoutVulnerabilities, in)
			if err != nil || len(fs) != 2000 {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline-typed-json", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		for b.Loop() {
			var v []struct {
				PURL            string          `json:"purl"`
				Vulnerabilities []scoutVulnJSON `json:"vulnerabilities"`
			}
			if err := json.Unmarshal(in, &v); err != nil || len(v) != 500 {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline-map-json", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		b.ReportAllocs()
		for b.Loop() {
			var v []map[string]any
			if err := json.Unmarshal(in, &v); err != nil || len(v) != 500 {
				b.Fatal(err)
			}
		}
	})
}
