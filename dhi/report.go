package dhi

import (
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/attest/intoto"
	"github.com/dhisdk/dhisdk/dhi/predicate"
	"github.com/dhisdk/dhisdk/provenance"
)

// Report is the image's model in a stable JSON shape, for tools that store
// or compare it: what [Image.MarshalJSON] writes. Every section a platform
// lacks (no such attestation, or none verified) is omitted; sections that
// failed to parse are named in the platform's Errors.
type Report struct {
	Reference             string           `json:"reference"`
	Repository            string           `json:"repository"`
	Digest                string           `json:"digest"`
	MediaType             string           `json:"mediaType"`
	ReferrersRepositories []string         `json:"referrersRepositories,omitempty"`
	Platforms             []PlatformReport `json:"platforms"`
	Problems              []string         `json:"problems,omitempty"`
	Lookups               []LookupReport   `json:"lookups,omitempty"`
}

// LookupReport is one discovery mechanism tried for one subject (see
// [attest.Lookup]).
type LookupReport struct {
	Subject    string           `json:"subject"`
	Repository string           `json:"repository"`
	Mechanism  attest.Mechanism `json:"mechanism"`
	Outcome    attest.Outcome   `json:"outcome"`
	Found      int              `json:"found,omitempty"`
	Answer     string           `json:"answer,omitempty"`
	Error      string           `json:"error,omitempty"`
}

// PlatformReport is one platform of a [Report].
type PlatformReport struct {
	Platform        string                 `json:"platform"`
	Digest          string                 `json:"digest"`
	Labels          map[string]string      `json:"labels,omitempty"`
	Lifecycle       Lifecycle              `json:"lifecycle"`
	PastEndOfLife   bool                   `json:"pastEndOfLife"`
	Attestations    []AttestationReport    `json:"attestations"`
	Packages        *PackagesReport        `json:"packages,omitempty"`
	Vulnerabilities *VulnerabilitiesReport `json:"vulnerabilities,omitempty"`
	Build           *BuildReport           `json:"build,omitempty"`
	Compliance      *ComplianceReport      `json:"compliance,omitempty"`
	Checks          *ChecksReport          `json:"checks,omitempty"`
	// Lineage is the platform's lineage, when [Platform.Lineage] was called.
	Lineage *LineageReport `json:"lineage,omitempty"`
	// Errors maps a section ("packages", "vulnerabilities", ...) to why it
	// could not be built from attestations that verified.
	Errors map[string]string `json:"errors,omitempty"`
}

// AttestationReport is one attestation of a [PlatformReport].
type AttestationReport struct {
	PredicateType string            `json:"predicateType"`
	Kind          Kind              `json:"kind"`
	Manifest      string            `json:"manifest"`
	Subject       []intoto.Subject  `json:"subject,omitempty"`
	Locations     []attest.Location `json:"locations"`
	Verified      bool              `json:"verified"`
	Used          bool              `json:"used"`
	Reason        string            `json:"reason,omitempty"`
	Verification  *attest.Result    `json:"verification,omitempty"`
	// Trust is the trust level of an attestation that is not signed
	// (Verified marks signed ones).
	Trust Trust `json:"trust,omitempty"`
}

// PackagesReport summarises the packages of a platform.
type PackagesReport struct {
	Count         int            `json:"count"`
	Licenses      []LicenseCount `json:"licenses"`
	Packages      []Package      `json:"packages"`
	Disagreements []Disagreement `json:"disagreements,omitempty"`
}

// VulnerabilitiesReport lists a platform's vulnerabilities with their VEX
// status.
type VulnerabilitiesReport struct {
	Count           int             `json:"count"`
	BySeverity      map[string]int  `json:"bySeverity"`
	ByStatus        map[string]int  `json:"byStatus"`
	Exploitable     int             `json:"exploitable"`
	Vulnerabilities []Vulnerability `json:"vulnerabilities"`
}

// BuildReport says who built a platform and from what.
type BuildReport struct {
	Provenance *provenance.Provenance          `json:"provenance,omitempty"`
	VSA        *provenance.VerificationSummary `json:"vsa,omitempty"`
	BaseImage  string                          `json:"baseImage,omitempty"`
}

// ComplianceReport holds a platform's FIPS and STIG evidence.
type ComplianceReport struct {
	FIPS *predicate.FIPS `json:"fips,omitempty"`
	STIG *predicate.STIG `json:"stig,omitempty"`
}

// ChecksReport holds a platform's test, secrets and virus scan results.
type ChecksReport struct {
	Tests     *predicate.Tests     `json:"tests,omitempty"`
	Secrets   *predicate.Secrets   `json:"secrets,omitempty"`
	VirusScan *predicate.VirusScan `json:"virusScan,omitempty"`
}

// Report builds the image's model: every section of every platform is
// parsed (once; later calls reuse it).
func (img *Image) Report() *Report {
	r := &Report{
		Reference: img.Reference, Repository: img.Repository, Digest: img.Root.Digest.String(),
		MediaType: string(img.Root.MediaType), ReferrersRepositories: img.ReferrersRepositories,
		Platforms: []PlatformReport{},
	}
	for _, e := range img.Problems {
		r.Problems = append(r.Problems, e.Error())
	}
	for _, l := range img.Lookups {
		lr := LookupReport{Subject: l.Subject.String(), Repository: l.Repository, Mechanism: l.Mechanism, Outcome: l.Outcome, Found: l.Found, Answer: l.Answer}
		if l.Err != nil {
			lr.Error = l.Err.Error()
		}
		r.Lookups = append(r.Lookups, lr)
	}
	// Platforms are modelled in parallel: each parses its own documents.
	r.Platforms = make([]PlatformReport, len(img.Platforms))
	now := img.opts.now()
	var wg sync.WaitGroup
	for i, p := range img.Platforms {
		wg.Go(func() { r.Platforms[i] = p.report(now) })
	}
	wg.Wait()
	return r
}

// MarshalJSON writes the image's [Report].
func (img *Image) MarshalJSON() ([]byte, error) { return json.Marshal(img.Report()) }

// section records err unless it only says that there is no attestation.
func section(errs map[string]string, name string, err error) bool {
	if err == nil {
		return true
	}
	if !errors.Is(err, ErrNoAttestation) {
		errs[name] = err.Error()
	}
	return false
}

func (p *Platform) report(now time.Time) PlatformReport {
	lc := p.Lifecycle()
	pr := PlatformReport{
		Platform: p.String(), Digest: p.Descriptor.Digest.String(), Labels: p.Labels,
		Lifecycle: lc, PastEndOfLife: lc.PastEndOfLife(now), Attestations: []AttestationReport{},
		Errors: map[string]string{},
	}
	for _, a := range p.Attestations {
		ar := AttestationReport{
			PredicateType: a.PredicateType, Kind: a.Kind, Manifest: a.Discovered.Manifest.Digest.String(),
			Locations: a.Discovered.Locations, Verified: a.Verified, Used: a.Used, Reason: a.Reason, Verification: a.Result,
		}
		// The subject as verified, or as read when the attestation did not
		// verify.
		if st := a.statement; st != nil {
			ar.Subject = st.Subject
		} else if c := a.Discovered.Content; c != nil && c.Statement != nil {
			ar.Subject = c.Statement.Subject
		}
		if a.Trust != TrustSigned {
			ar.Trust = a.Trust
		}
		pr.Attestations = append(pr.Attestations, ar)
	}
	if pkgs, err := p.Packages(); section(pr.Errors, "packages", err) {
		lic, _ := p.Licenses()
		dis, _ := p.SBOMDisagreements()
		pr.Packages = &PackagesReport{Count: len(pkgs), Licenses: lic, Packages: pkgs, Disagreements: dis}
	}
	if vulns, err := p.Vulnerabilities(); section(pr.Errors, "vulnerabilities", err) {
		vr := &VulnerabilitiesReport{Count: len(vulns), BySeverity: map[string]int{}, ByStatus: map[string]int{}, Vulnerabilities: vulns}
		for _, v := range vulns {
			vr.BySeverity[string(v.Severity)]++
			st := string(v.Status)
			if st == "" {
				st = "no_statement"
			}
			vr.ByStatus[st]++
			if v.Exploitable() {
				vr.Exploitable++
			}
		}
		pr.Vulnerabilities = vr
	}
	build := &BuildReport{}
	if prov, err := p.Provenance(); section(pr.Errors, "provenance", err) {
		build.Provenance = prov
	}
	if vsa, err := p.VSA(); section(pr.Errors, "vsa", err) {
		build.VSA = vsa
	}
	if base, err := p.BaseImage(); section(pr.Errors, "baseImage", err) {
		build.BaseImage = base
	}
	if build.Provenance != nil || build.VSA != nil || build.BaseImage != "" {
		pr.Build = build
	}
	comp := &ComplianceReport{}
	if f, err := p.FIPS(); section(pr.Errors, "fips", err) {
		comp.FIPS = &f
	}
	if s, err := p.STIG(); section(pr.Errors, "stig", err) {
		comp.STIG = &s
	}
	if comp.FIPS != nil || comp.STIG != nil {
		pr.Compliance = comp
	}
	checks := &ChecksReport{}
	if t, err := p.Tests(); section(pr.Errors, "tests", err) {
		checks.Tests = &t
	}
	if s, err := p.Secrets(); section(pr.Errors, "secrets", err) {
		checks.Secrets = &s
	}
	if v, err := p.VirusScan(); section(pr.Errors, "virusScan", err) {
		checks.VirusScan = &v
	}
	if checks.Tests != nil || checks.Secrets != nil || checks.VirusScan != nil {
		pr.Checks = checks
	}
	pr.Lineage = p.lineageReport()
	if len(pr.Errors) == 0 {
		pr.Errors = nil
	}
	return pr
}
