package dhi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	govex "github.com/openvex/go-vex/pkg/vex"
	packageurl "github.com/package-url/packageurl-go"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/scanreport"
	"github.com/dhisdk/dhisdk/vex"
)

// scannerImageIDs returns the identifiers Trivy and Grype give the image
// of a report of theirs on s (both from its repo digest): Trivy's artifact
// purl (repository_url is the whole repository, with the platform's
// arch), and Grype's list: the repo digest, a pkg:oci purl whose
// repository_url is the registry and namespace without the name, and the
// bare digest.
func scannerImageIDs(s subject) (trivy string, grype []string) {
	registry, path, _ := strings.Cut(s.repo, "/")
	last := path[strings.LastIndex(path, "/")+1:]
	trivy = packageurl.NewPackageURL("oci", "", last, s.index, packageurl.Qualifiers{
		{Key: "repository_url", Value: registry + "/" + path}, {Key: "arch", Value: "amd64"}}, "").ToString()
	grype = []string{s.repo + "@" + s.index,
		packageurl.NewPackageURL("oci", "", last, s.index, packageurl.Qualifiers{
			{Key: "repository_url", Value: strings.TrimSuffix(registry+"/"+path, "/"+last)}}, "").ToString(),
		strings.TrimPrefix(s.index, "sha256:")}
	return trivy, grype
}

func TestScannerVEX(t *testing.T) {
	img := triageSample(t)
	p := img.Platforms[0]
	sv, err := p.ScannerVEX()
	if err != nil {
		t.Fatal(err)
	}
	if len(sv.Statements) == 0 {
		t.Fatal("no statements")
	}
	b, err := sv.OpenVEX()
	if err != nil {
		t.Fatal(err)
	}

	// It parses with go-vex and with the SDK, without problems.
	gdoc, err := govex.Parse(b)
	if err != nil {
		t.Fatalf("go-vex: %v", err)
	}
	doc, err := vex.Parse(b, vex.WithStrict())
	if err != nil {
		t.Fatalf("vex: %v", err)
	}
	if len(gdoc.Statements) != len(sv.Statements) || len(doc.Statements) != len(sv.Statements) {
		t.Fatalf("go-vex reads %d statements, vex %d; want %d", len(gdoc.Statements), len(doc.Statements), len(sv.Statements))
	}

	// Reports of each scanner with one finding per statement and package.
	pkgs := map[string]scanPackage{}
	var fs []scanFinding
	for _, st := range sv.Statements {
		for _, pk := range st.Packages {
			if _, ok := pkgs[pk.Name]; !ok {
				pkgs[pk.Name] = samplePackage(t, p, pk.Name)
			}
			if pkgs[pk.Name].sbomPURL != pk.PURL {
				continue // another arch or version of the name
			}
			fs = append(fs, scanFinding{id: st.Vulnerability, pkg: pk.Name, severity: "LOW"})
		}
	}
	s := sampleSubject(img, p)
	trivyID, grypeIDs := scannerImageIDs(s)
	trivy, err := scanreport.Parse(trivyJSON(t, s, fs, pkgs))
	if err != nil {
		t.Fatal(err)
	}
	grype, err := scanreport.Parse(grypeJSON(t, s, fs, pkgs))
	if err != nil {
		t.Fatal(err)
	}
	covered := func(st *govex.Statement, r *scanreport.Report, imageIDs []string) bool {
		for _, f := range r.Findings {
			for _, id := range imageIDs {
				if st.Matches(f.ID, id, []string{f.PURL}) {
					return true
				}
			}
		}
		return false
	}
	for i := range gdoc.Statements {
		st := &gdoc.Statements[i]
		if !covered(st, trivy, []string{trivyID}) {
			t.Errorf("statement %d (%s) meets no finding of the Trivy report as go-vex matches", i, st.Vulnerability.Name)
		}
		for _, id := range grypeIDs {
			if !covered(st, grype, []string{id}) {
				t.Errorf("statement %d (%s) meets no finding of the Grype report as go-vex matches, by the image identifier %s", i, st.Vulnerability.Name, id)
			}
		}
	}

	// The SDK, given only this document, decides the Trivy findings as the
	// image's own VEX does.
	idx := vex.NewIndex(doc)
	for _, f := range trivy.Findings {
		d, err := idx.Decide(vex.Query{Vulnerability: f.ID, Package: f.PURL, Image: trivyID})
		if err != nil {
			t.Fatal(err)
		}
		if d.Match == nil {
			t.Errorf("%s in %s: no statement of the scanner VEX meets it", f.ID, f.PURL)
		}
	}
}

func TestScannerVEXSuppressesTheSampleFindings(t *testing.T) {
	img := triageSample(t)
	p := img.Platforms[0]
	sv, err := p.ScannerVEX()
	if err != nil {
		t.Fatal(err)
	}
	b, err := sv.OpenVEX()
	if err != nil {
		t.Fatal(err)
	}
	gdoc, err := govex.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	s := sampleSubject(img, p)
	trivyID, _ := scannerImageIDs(s)
	r := sampleReport(t, img, p, trivyJSON, s)
	for i, f := range r.Findings {
		var status govex.Status
		for _, st := range gdoc.StatementsByVulnerability(f.ID) {
			if st.Matches(f.ID, trivyID, []string{f.PURL}) {
				status = st.Status
			}
		}
		if got, want := status == govex.StatusNotAffected, sampleFindings[i].suppressed; got != want {
			t.Errorf("%s in %s: not_affected in the scanner VEX = %v, want %v (status %q)", f.ID, f.PURL, got, want, status)
		}
	}
}

func TestScannerVEXIsDeterministic(t *testing.T) {
	img := triageSample(t)
	p := img.Platforms[0]
	write := func() ([]byte, []byte) {
		sv, err := p.ScannerVEX(dhi.WithVEXTimestamp(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)), dhi.WithVEXAuthor("Example CI"))
		if err != nil {
			t.Fatal(err)
		}
		o, err := sv.OpenVEX()
		if err != nil {
			t.Fatal(err)
		}
		c, err := sv.CycloneDX()
		if err != nil {
			t.Fatal(err)
		}
		return o, c
	}
	o1, c1 := write()
	o2, c2 := write()
	if !bytes.Equal(o1, o2) || !bytes.Equal(c1, c2) {
		t.Error("two writes differ")
	}
	if !bytes.Contains(o1, []byte(`"timestamp": "2026-11-30T00:00:00Z"`)) || !bytes.Contains(o1, []byte(`"author": "Example CI"`)) {
		t.Errorf("timestamp or author not as given:\n%.400s", o1)
	}
	var bom struct {
		BOMFormat       string `json:"bomFormat"`
		SpecVersion     string `json:"specVersion"`
		Vulnerabilities []struct {
			ID       string `json:"id"`
			Analysis struct {
				State string `json:"state"`
			} `json:"analysis"`
			Affects []struct {
				Ref string `json:"ref"`
			} `json:"affects"`
		} `json:"vulnerabilities"`
	}
	if err := json.Unmarshal(c1, &bom); err != nil {
		t.Fatal(err)
	}
	if bom.BOMFormat != "CycloneDX" || bom.SpecVersion != "1.6" || len(bom.Vulnerabilities) == 0 || len(bom.Vulnerabilities[0].Affects) == 0 || bom.Vulnerabilities[0].Analysis.State == "" {
		t.Errorf("CycloneDX VEX: %s %s, %d vulnerabilities", bom.BOMFormat, bom.SpecVersion, len(bom.Vulnerabilities))
	}
	// Read back as a CycloneDX report, its not_affected entries are the
	// suppressed findings, one per affected package.
	r, err := scanreport.Parse(c1)
	if err != nil {
		t.Fatal(err)
	}
	var notAffected, other int
	for _, v := range bom.Vulnerabilities {
		if v.Analysis.State == "not_affected" {
			notAffected += len(v.Affects)
		} else {
			other += len(v.Affects)
		}
	}
	if len(r.Suppressed) != notAffected || len(r.Findings) != other {
		t.Errorf("CycloneDX VEX read back: %d suppressed, %d findings; want %d, %d", len(r.Suppressed), len(r.Findings), notAffected, other)
	}
	for _, f := range r.Suppressed {
		if f.Finding.PURL == "" {
			t.Errorf("%s: affects ref names no component", f.Finding.ID)
		}
	}
}

func TestScannerVEXOnlyVerified(t *testing.T) {
	img := triageSample(t)
	// Without the sample's key nothing verifies; the unsafe option uses the
	// attestations anyway, but never for scanner-ready VEX.
	unverified, err := dhi.Open(context.Background(), img.Reference, dhi.WithUnverifiedUnsafe())
	if err != nil {
		t.Fatal(err)
	}
	p := unverified.Platforms[0]
	if _, err := p.ScannerVEX(); !errors.Is(err, dhi.ErrNoAttestation) {
		t.Fatalf("ScannerVEX of unverified VEX: error %v, want ErrNoAttestation", err)
	}
	if _, err := p.ScannerVEX(dhi.WithVEXAuthor(" ")); err == nil {
		t.Error("WithVEXAuthor(\" \"): no error")
	}
}
