package dhi

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/attest/intoto"
	"github.com/dhisdk/dhisdk/dhi/predicate"
	"github.com/dhisdk/dhisdk/provenance"
)

// Report is the image's model in a stable JSON shape, for tools that store
// or compare it: what [Image.MarshalJSON] writes. Its schema is
// dhi/report.schema.json; every JSON name is camelCase. Every section a
// platform lacks (no such attestation, or none verified) is omitted;
// sections that failed to parse are named in the platform's Errors.
//
// Where the image and its attestations were found (registry, layout,
// discovery mechanisms) is kept apart, in Source, from what was verified
// and what the attestations say: everything but Source is the same for the
// same image read from a registry or from a layout [Image.Export] wrote.
type Report struct {
	Digest    string           `json:"digest"`
	MediaType string           `json:"mediaType"`
	Platforms []PlatformReport `json:"platforms"`
	Problems  []string         `json:"problems,omitempty"`
	Source    SourceReport     `json:"source"`
}

// SourceReport is where an image and its attestations were found: what
// differs between reading the same image online and offline.
type SourceReport struct {
	// Reference is the reference the image was opened by.
	Reference string `json:"reference"`
	// Repository is the repository (or layout) the image was read from.
	Repository string `json:"repository"`
	// ReferrersRepositories are the repositories searched for attestations
	// besides Repository.
	ReferrersRepositories []string `json:"referrersRepositories,omitempty"`
	// Lookups are the discovery mechanisms tried, and their answers.
	Lookups []LookupReport `json:"lookups,omitempty"`
	// Attestations says where each attestation manifest was found, and
	// the docker-reference checks of its signatures, which compare the
	// signed repository with where the signature was found.
	Attestations []AttestationSource `json:"attestations,omitempty"`
}

// AttestationSource is where one attestation manifest was found.
type AttestationSource struct {
	// Manifest is the attestation manifest's digest.
	Manifest string `json:"manifest"`
	// Locations are the repositories and mechanisms it was found through.
	Locations []attest.Location `json:"locations"`
	// DockerReferences are the docker-reference checks of its signatures,
	// which [AttestationReport].Verification leaves out.
	DockerReferences []attest.Check `json:"dockerReferences,omitempty"`
}

// ReportOption configures [Image.Report].
type ReportOption func(*reportOptions)

type reportOptions struct {
	raw bool
}

// WithRawPredicates includes the predicate of every attestation whose
// statement was read, exactly as read, in [AttestationReport].Predicate.
// The default leaves predicates out: the report holds what the SDK made of
// them, and raw SBOMs and VEX documents run to megabytes.
func WithRawPredicates() ReportOption {
	return func(o *reportOptions) { o.raw = true }
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

// AttestationReport is one attestation of a [PlatformReport]. Where it was
// found is in [SourceReport].Attestations, under the same manifest digest.
type AttestationReport struct {
	PredicateType string           `json:"predicateType"`
	Kind          Kind             `json:"kind"`
	Manifest      string           `json:"manifest"`
	Subject       []intoto.Subject `json:"subject,omitempty"`
	Verified      bool             `json:"verified"`
	Used          bool             `json:"used"`
	Reason        string           `json:"reason,omitempty"`
	// Verification is the verification result, without the signatures'
	// docker-reference checks (see [AttestationSource]).
	Verification *attest.Result `json:"verification,omitempty"`
	// Predicate is the predicate as read; only with [WithRawPredicates].
	Predicate json.RawMessage `json:"predicate,omitempty"`
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
	// Scans are the scans the findings come from, with their times.
	Scans []ScanReport `json:"scans"`
}

// ScanReport is one vulnerability scan attestation: which scanner and
// database, and when. Times are absent when the predicate does not state
// them (Scout's vulnerability predicate states none).
type ScanReport struct {
	PredicateType   string     `json:"predicateType"`
	Manifest        string     `json:"manifest"`
	Scanner         string     `json:"scanner,omitempty"`
	ScannerVersion  string     `json:"scannerVersion,omitempty"`
	Database        string     `json:"database,omitempty"`
	DatabaseVersion string     `json:"databaseVersion,omitempty"`
	DatabaseUpdated *time.Time `json:"databaseUpdated,omitempty"`
	StartedOn       *time.Time `json:"startedOn,omitempty"`
	FinishedOn      *time.Time `json:"finishedOn,omitempty"`
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
func (img *Image) Report(opts ...ReportOption) *Report {
	var ro reportOptions
	for _, o := range opts {
		o(&ro)
	}
	r := &Report{
		Digest: img.Root.Digest.String(), MediaType: string(img.Root.MediaType), Platforms: []PlatformReport{},
		Source: SourceReport{Reference: img.Reference, Repository: img.Repository, ReferrersRepositories: img.ReferrersRepositories},
	}
	for _, e := range img.Problems {
		r.Problems = append(r.Problems, e.Error())
	}
	for _, l := range img.Lookups {
		lr := LookupReport{Subject: l.Subject.String(), Repository: l.Repository, Mechanism: l.Mechanism, Outcome: l.Outcome, Found: l.Found, Answer: l.Answer}
		if l.Err != nil {
			lr.Error = l.Err.Error()
		}
		r.Source.Lookups = append(r.Source.Lookups, lr)
	}
	seen := map[string]bool{}
	for _, p := range img.Platforms {
		for _, a := range p.Attestations {
			m := a.Discovered.Manifest.Digest.String()
			if seen[m] {
				continue
			}
			seen[m] = true
			as := AttestationSource{Manifest: m, Locations: a.Discovered.Locations}
			if a.Result != nil {
				for _, sig := range a.Result.Signatures {
					for _, c := range sig.Checks {
						if c.Link == attest.LinkDockerReference {
							as.DockerReferences = append(as.DockerReferences, c)
						}
					}
				}
			}
			r.Source.Attestations = append(r.Source.Attestations, as)
		}
	}
	// Platforms are modelled in parallel: each parses its own documents.
	r.Platforms = make([]PlatformReport, len(img.Platforms))
	now := img.opts.now()
	var wg sync.WaitGroup
	for i, p := range img.Platforms {
		wg.Go(func() { r.Platforms[i] = p.report(now, ro) })
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

// withoutDockerReference returns a copy of res whose signatures lack their
// docker-reference checks, and whose NotChecked lacks the notes of those
// checks: they say where a signature was found, which the report keeps in
// its Source.
func withoutDockerReference(res *attest.Result) *attest.Result {
	if res == nil {
		return nil
	}
	out := *res
	out.Signatures = make([]attest.SignatureResult, len(res.Signatures))
	for i, sig := range res.Signatures {
		sig.Checks = slices.DeleteFunc(slices.Clone(sig.Checks), func(c attest.Check) bool { return c.Link == attest.LinkDockerReference })
		out.Signatures[i] = sig
	}
	out.NotChecked = slices.DeleteFunc(slices.Clone(res.NotChecked), func(s string) bool {
		return strings.HasPrefix(s, string(attest.LinkDockerReference))
	})
	return &out
}

// scans reports the platform's vulnerability scan attestations.
func (p *Platform) scans() []ScanReport {
	out := []ScanReport{}
	for _, a := range p.Used(KindVulnerabilityScan) {
		sr := ScanReport{PredicateType: a.PredicateType, Manifest: a.Discovered.Manifest.Digest.String()}
		if a.PredicateType == predicate.TypeInTotoVulnsV01 || a.PredicateType == predicate.TypeInTotoVulnsV02 {
			if v, err := predicate.ParseInTotoVulns(a.statement.Document()); err == nil {
				sr.Scanner, sr.ScannerVersion = v.Scanner.URI, v.Scanner.Version
				sr.Database, sr.DatabaseVersion = v.Scanner.DB.URI, v.Scanner.DB.Version
				sr.DatabaseUpdated = timePtr(v.Scanner.DB.LastUpdate)
				sr.StartedOn, sr.FinishedOn = timePtr(v.ScanStartedOn), timePtr(v.ScanFinishedOn)
			}
		}
		out = append(out, sr)
	}
	return out
}

// timePtr returns nil for the zero time.
func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (p *Platform) report(now time.Time, ro reportOptions) PlatformReport {
	lc := p.Lifecycle()
	pr := PlatformReport{
		Platform: p.String(), Digest: p.Descriptor.Digest.String(), Labels: p.Labels,
		Lifecycle: lc, PastEndOfLife: lc.PastEndOfLife(now), Attestations: []AttestationReport{},
		Errors: map[string]string{},
	}
	for _, a := range p.Attestations {
		ar := AttestationReport{
			PredicateType: a.PredicateType, Kind: a.Kind, Manifest: a.Discovered.Manifest.Digest.String(),
			Verified: a.Verified, Used: a.Used, Reason: a.Reason, Verification: withoutDockerReference(a.Result),
		}
		// The subject as verified, or as read when the attestation did not
		// verify.
		st := a.statement
		if st == nil && a.Discovered.Content != nil {
			st = a.Discovered.Content.Statement
		}
		if st != nil {
			ar.Subject = st.Subject
			if ro.raw {
				ar.Predicate = st.Document()
			}
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
		vr := &VulnerabilitiesReport{Count: len(vulns), BySeverity: map[string]int{}, ByStatus: map[string]int{}, Vulnerabilities: vulns, Scans: p.scans()}
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
