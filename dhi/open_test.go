package dhi_test

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/dhi/predicate"
	"github.com/dhisdk/dhisdk/dhi/vuln"
	"github.com/dhisdk/dhisdk/internal/fixture"
	"github.com/dhisdk/dhisdk/internal/registrytest"
	"github.com/dhisdk/dhisdk/sbom"
	"github.com/dhisdk/dhisdk/vex"
)

// newSigner returns a new signing key and the same key as a trusted
// attest.Key.
func newSigner(t *testing.T) (*ecdsa.PrivateKey, *attest.Key) {
	t.Helper()
	priv, pub, err := dhitest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	key, err := attest.ParseKey(pub, attest.WithKeyName("sample"))
	if err != nil {
		t.Fatal(err)
	}
	return priv, key
}

// sampleImage pushes the sample image (15 signed attestations of real
// documents per platform) and returns its reference and signing key.
func sampleImage(t *testing.T, host, referrersRepo string) (*dhitest.Image, *attest.Key, *ecdsa.PrivateKey) {
	t.Helper()
	docs, err := dhitest.SampleDocs()
	if err != nil {
		t.Fatal(err)
	}
	priv, key := newSigner(t)
	img, err := dhitest.Push(context.Background(), host+"/dhi/python:3.13", referrersRepo, dhitest.Spec{Docs: docs, Signer: priv, Labels: dhitest.SampleLabels()})
	if err != nil {
		t.Fatal(err)
	}
	return img, key, priv
}

// shared is one sample image, pushed once for the tests that only read it.
var shared struct {
	once   sync.Once
	pushed *dhitest.Image
	key    *attest.Key
	err    error
}

// sharedSample returns the shared sample image and its key. Its registry
// lives as long as the test binary.
func sharedSample(t *testing.T) (*dhitest.Image, *attest.Key) {
	t.Helper()
	shared.once.Do(func() {
		reg, err := dhitest.NewRegistry()
		if err != nil {
			shared.err = err
			return
		}
		docs, err := dhitest.SampleDocs()
		if err != nil {
			shared.err = err
			return
		}
		priv, pub, err := dhitest.NewKey()
		if err != nil {
			shared.err = err
			return
		}
		if shared.key, shared.err = attest.ParseKey(pub, attest.WithKeyName("sample")); shared.err != nil {
			return
		}
		shared.pushed, shared.err = dhitest.Push(context.Background(), reg.Host+"/dhi/python:3.13", "", dhitest.Spec{Docs: docs, Signer: priv, Labels: dhitest.SampleLabels()})
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.pushed, shared.key
}

func open(t *testing.T, ref string, opts ...dhi.Option) *dhi.Image {
	t.Helper()
	img, err := dhi.Open(context.Background(), ref, opts...)
	if err != nil {
		t.Fatalf("Open(%s) error = %v", ref, err)
	}
	return img
}

func TestOpenSampleImage(t *testing.T) {
	t.Parallel()
	pushed, key := sharedSample(t)
	img := open(t, pushed.Ref, dhi.WithKeys(key), dhi.WithClock(func() time.Time { return time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC) }))

	if len(img.Platforms) != 2 || img.Root.Digest != pushed.Index.Digest || len(img.Problems) != 0 {
		t.Fatalf("Open() = %d platforms, root %s, problems %v", len(img.Platforms), img.Root.Digest, img.Problems)
	}
	p := img.Platforms[0]
	if p.String() != "linux/amd64" {
		t.Errorf("platform = %s, want linux/amd64", p)
	}
	if got := len(p.Attestations); got != 15 {
		t.Errorf("%d attestations, want 15", got)
	}
	for _, a := range p.Attestations {
		if !a.Verified || !a.Used || a.Err != nil {
			t.Errorf("attestation %s: verified %v, used %v, err %v", a.PredicateType, a.Verified, a.Used, a.Err)
		}
		if a.Result.Signatures[0].Key.Name != "sample" {
			t.Errorf("attestation %s signed by %+v, want the sample key", a.PredicateType, a.Result.Signatures[0].Key)
		}
	}

	lc := p.Lifecycle()
	if lc.Name != "dhi/python" || lc.Version != "3.13.9-debian12" || !lc.EndOfLife.Equal(time.Date(2029, 10, 31, 0, 0, 0, 0, time.UTC)) || len(lc.Compliance) != 3 {
		t.Errorf("Lifecycle() = %+v", lc)
	}
	if lc.PastEndOfLife(time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)) || !lc.PastEndOfLife(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("PastEndOfLife() wrong around %s", lc.EndOfLife)
	}

	fips, err := p.FIPS()
	if err != nil || len(fips.Modules) != 2 || fips.Modules[0].Certification != "CMVP #4985" {
		t.Errorf("FIPS() = %+v, %v", fips, err)
	}
	stig, err := p.STIG()
	if err != nil {
		t.Fatal(err)
	}
	if score, ok := stig.Profiles[0].Summary.ScorePercent(); !ok || score != 100 {
		t.Errorf("STIG score = %v, %v; want 100", score, ok)
	}
	if tests, err := p.Tests(); err != nil || !tests.OK() || tests.Summary.Passed != 12 {
		t.Errorf("Tests() = %+v, %v", tests, err)
	}
	if v, err := p.VirusScan(); err != nil || !v.Clean() {
		t.Errorf("VirusScan() = %+v, %v", v, err)
	}
	if s, err := p.Secrets(); err != nil || s.Count() != 0 {
		t.Errorf("Secrets() = %+v, %v", s, err)
	}
	if src, err := p.ImageSource(); err != nil || src.Name != "dhi/python" {
		t.Errorf("ImageSource() = %+v, %v", src, err)
	}

	prov, err := p.Provenance()
	if err != nil {
		t.Fatal(err)
	}
	// The SLSA v1 document wins over v0.2: BuildKit's, read from the JSON.
	if prov.PredicateType != "https://slsa.dev/provenance/v1" || prov.BuildType != "https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md" {
		t.Errorf("Provenance() = %s %s", prov.PredicateType, prov.BuildType)
	}
	vsa, err := p.VSA()
	if err != nil || vsa.Verifier.ID != "https://bcid.corp.google.com/verifier/bcid_package_enforcer/v0.1" {
		t.Errorf("VSA() = %+v, %v", vsa, err)
	}

	// Statuses read by hand from dhi-python.vex.json for the sample's
	// findings.
	vulns, err := p.Vulnerabilities()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]vex.Status{}
	for _, v := range vulns {
		got[v.ID+" "+v.PURL[:strings.Index(v.PURL, "@")]] = v.Status
	}
	want := map[string]vex.Status{
		"CVE-2019-9192 pkg:deb/debian/libc6":      vex.StatusNotAffected,        // unversioned libc6 product
		"CVE-2025-4802 pkg:deb/debian/libc-bin":   vex.StatusNotAffected,        // unversioned libc-bin product
		"CVE-2005-2541 pkg:deb/debian/tar":        vex.StatusNotAffected,        // versioned bookworm tar product
		"CVE-2025-9230 pkg:deb/debian/libssl-dev": vex.StatusUnderInvestigation, // the later of two statements
		"CVE-2025-27587 pkg:deb/debian/libssl3":   "",                           // no statement names libssl3
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("vulnerability statuses (-want +got):\n%s", diff)
	}
	exp, err := p.Exploitable()
	if err != nil || len(exp) != 2 {
		t.Errorf("Exploitable() = %d vulnerabilities, %v; want 2", len(exp), err)
	}
	if vulns[0].Severity != vuln.SeverityHigh {
		t.Errorf("vulnerabilities not sorted by severity: first is %s", vulns[0].Severity)
	}
}

func TestOpenFailsClosed(t *testing.T) {
	t.Parallel()
	pushed, _ := sharedSample(t)

	// Signed with a key Docker's keyring does not hold: nothing is used.
	img := open(t, pushed.Ref)
	p := img.Platforms[0]
	if len(p.Used()) != 0 || len(p.Unverified()) != 15 {
		t.Fatalf("used %d, unverified %d; want 0 and 15", len(p.Used()), len(p.Unverified()))
	}
	for _, a := range p.Unverified() {
		if !errors.Is(a.Err, attest.ErrSignature) || a.Reason == "" {
			t.Errorf("attestation %s: err %v, reason %q", a.PredicateType, a.Err, a.Reason)
		}
	}
	if _, err := p.FIPS(); !errors.Is(err, dhi.ErrNoAttestation) || !strings.Contains(err.Error(), "1 found, none verified") {
		t.Errorf("FIPS() error = %v, want ErrNoAttestation saying one was found", err)
	}
	if _, err := p.Vulnerabilities(); !errors.Is(err, dhi.ErrNoAttestation) {
		t.Errorf("Vulnerabilities() error = %v, want ErrNoAttestation", err)
	}

	// The caller may opt in to unverified attestations.
	img = open(t, pushed.Ref, dhi.WithUnverifiedUnsafe())
	p = img.Platforms[0]
	if len(p.Used()) != 15 || p.Attestations[0].Verified {
		t.Errorf("WithUnverifiedUnsafe: used %d, first verified %v; want 15 used, none verified", len(p.Used()), p.Attestations[0].Verified)
	}
	if _, err := p.FIPS(); err != nil {
		t.Errorf("WithUnverifiedUnsafe: FIPS() error = %v", err)
	}
}

func TestOpenSourcesGiveTheSameModel(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	// In place, and with attestations in another repository (as for mirrors
	// on Docker Hub).
	inPlace, key, priv := sampleImage(t, reg.Host, "")
	docs, err := dhitest.SampleDocs()
	if err != nil {
		t.Fatal(err)
	}
	external, err := dhitest.Push(context.Background(), reg.Host+"/org/dhi-python:3.13", reg.Host+"/scout/org/dhi-python", dhitest.Spec{Docs: docs, Signer: priv, Labels: dhitest.SampleLabels()})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "layout")
	if _, err := dhitest.WriteLayout(dir, "3.13", dhitest.Spec{Docs: docs, Signer: priv, Labels: dhitest.SampleLabels()}); err != nil {
		t.Fatal(err)
	}
	layout, err := attest.Layout(dir)
	if err != nil {
		t.Fatal(err)
	}

	images := map[string]*dhi.Image{
		"in place": open(t, inPlace.Ref, dhi.WithKeys(key)),
		"external": open(t, external.Ref, dhi.WithKeys(key), dhi.WithReferrersRepository(reg.Host+"/scout/org/dhi-python")),
		"layout":   open(t, "3.13", dhi.WithKeys(key), dhi.WithStorage(layout)),
	}
	type summary struct {
		Platform      string
		Verified      int
		Vulnerability map[string]vex.Status
		FIPSModules   int
		Version       string
	}
	summarize := func(img *dhi.Image) []summary {
		var out []summary
		for _, p := range img.Platforms {
			s := summary{Platform: p.String(), Verified: len(p.Used()), Vulnerability: map[string]vex.Status{}, Version: p.Lifecycle().Version}
			vulns, err := p.Vulnerabilities()
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vulns {
				s.Vulnerability[v.ID] = v.Status
			}
			f, err := p.FIPS()
			if err != nil {
				t.Fatal(err)
			}
			s.FIPSModules = len(f.Modules)
			out = append(out, s)
		}
		return out
	}
	want := summarize(images["in place"])
	if len(want) != 2 || want[0].Verified != 15 {
		t.Fatalf("in place: %+v", want)
	}
	for name, img := range images {
		if diff := cmp.Diff(want, summarize(img)); diff != "" {
			t.Errorf("%s: model differs from the in-place one (-in place +%s):\n%s", name, name, diff)
		}
	}
}

func TestOpenExcludesTamperedAttestations(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	priv, key := newSigner(t)
	docs, err := dhitest.SampleDocs()
	if err != nil {
		t.Fatal(err)
	}
	// A signed FIPS attestation whose annotation claims it is STIG, beside
	// the honest ones: the lie is excluded, with its reason.
	var fips dhitest.Doc
	for _, d := range docs {
		if d.PredicateType == predicate.TypeFIPS {
			fips = d
		}
	}
	liar := fips
	liar.Annotation = predicate.TypeSTIG
	pushed, err := dhitest.Push(context.Background(), reg.Host+"/dhi/liar:1", "", dhitest.Spec{Docs: []dhitest.Doc{fips, liar}, Signer: priv})
	if err != nil {
		t.Fatal(err)
	}
	img := open(t, pushed.Ref, dhi.WithKeys(key))
	p := img.Platforms[0]
	if len(p.Used()) != 1 || len(p.Unverified()) != 1 {
		t.Fatalf("used %d, unverified %d; want 1 and 1", len(p.Used()), len(p.Unverified()))
	}
	bad := p.Unverified()[0]
	var ve *attest.VerificationError
	if !errors.As(bad.Err, &ve) || ve.Link != attest.LinkPredicateType || !strings.Contains(bad.Reason, "predicate-type") {
		t.Errorf("tampered attestation: err %v, reason %q; want a broken predicate-type link", bad.Err, bad.Reason)
	}
	if len(img.Problems) == 0 {
		t.Errorf("Open() problems = none, want the mismatch discovery reported")
	}
	if _, err := p.STIG(); !errors.Is(err, dhi.ErrNoAttestation) {
		t.Errorf("STIG() error = %v, want ErrNoAttestation: the lying attestation must not be used", err)
	}
}

func TestCheckUpdate(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	ref := reg.Host + "/dhi/python:3.13"
	ctx := context.Background()
	old, err := dhitest.Push(ctx, ref, "", dhitest.Spec{Labels: map[string]string{dhi.LabelVersion: "3.13.8"}})
	if err != nil {
		t.Fatal(err)
	}
	img := open(t, ref)
	u, err := img.CheckUpdate(ctx)
	if err != nil || u.Available || u.Latest != old.Index.Digest {
		t.Fatalf("CheckUpdate() = %+v, %v; want no update", u, err)
	}
	// The tag moves to a rebuilt image.
	newer, err := dhitest.Push(ctx, ref, "", dhitest.Spec{Labels: map[string]string{dhi.LabelVersion: "3.13.9"}})
	if err != nil {
		t.Fatal(err)
	}
	u, err = img.CheckUpdate(ctx)
	if err != nil || !u.Available || u.Current != old.Index.Digest || u.Latest != newer.Index.Digest {
		t.Errorf("CheckUpdate() = %+v, %v; want an update to %s", u, err, newer.Index.Digest)
	}
	byDigest := open(t, reg.Host+"/dhi/python@"+old.Index.Digest.String())
	if _, err := byDigest.CheckUpdate(ctx); err == nil {
		t.Errorf("CheckUpdate() of a digest reference succeeded")
	}
}

func TestPackagesJoinBothSBOMs(t *testing.T) {
	t.Parallel()
	pushed, key := sharedSample(t)
	p := open(t, pushed.Ref, dhi.WithKeys(key)).Platforms[0]

	pkgs, err := p.Packages()
	if err != nil {
		t.Fatal(err)
	}
	// syft's SPDX and CycloneDX documents of one image: 704 Debian packages
	// in both, and the operating system that only CycloneDX lists.
	if len(pkgs) != 705 {
		t.Errorf("Packages() = %d, want 705", len(pkgs))
	}
	dis, err := p.SBOMDisagreements()
	if err != nil {
		t.Fatal(err)
	}
	want := []dhi.Disagreement{{PURL: "debian@12", Field: "presence", Values: map[sbom.Format]string{sbom.FormatCycloneDX: "listed", sbom.FormatSPDX: "absent"}}}
	if diff := cmp.Diff(want, dis); diff != "" {
		t.Errorf("SBOMDisagreements() (-want +got):\n%s", diff)
	}
	libc, err := p.FindPackages(dhi.PackageQuery{PURL: "pkg:deb/debian/libc6@2.36-9+deb12u14?distro=debian-12"})
	if err != nil || len(libc) != 1 {
		t.Fatalf("FindPackages(libc6) = %v, %v", libc, err)
	}
	// The same licence, named LicenseRef-<hash> in one SBOM and
	// LicenseRef-sha256-<hash> in the other, is listed once.
	if got := libc[0].Licenses; len(got) != 1 || len(libc[0].Formats) != 2 || libc[0].SourcePURL == "" {
		t.Errorf("libc6 = licences %v, formats %v, source %q", got, libc[0].Formats, libc[0].SourcePURL)
	}
	if found, err := p.HasPackage(dhi.PackageQuery{Name: "openssl", Version: func(v string) bool { return strings.HasPrefix(v, "3.0.") }}); err != nil || !found {
		t.Errorf("HasPackage(openssl 3.0.x) = %v, %v", found, err)
	}
	gpl, err := p.FindPackages(dhi.PackageQuery{License: "GPL-3.0-only", Ecosystem: "deb"})
	if err != nil || len(gpl) != 123 {
		t.Errorf("FindPackages(GPL-3.0-only) = %d, %v; want 123 (the top-licence count)", len(gpl), err)
	}
}

// TestVulnerabilityStatusesFromDHIVEX decides the status of findings on
// packages named every way DHI's VEX document names them. Each expected
// status was read by hand from dhi/advisories/vex/dhi-python.vex.json.
func TestVulnerabilityStatusesFromDHIVEX(t *testing.T) {
	t.Parallel()
	const bookworm = "?os_distro=bookworm&os_name=debian&os_version=12"
	findings := []struct {
		id, purl string
		want     vex.Status
		why      string
	}{
		{"CVE-2019-9192", "pkg:deb/debian/libc6@2.36-9%2Bdeb12u14" + bookworm, vex.StatusNotAffected, "unversioned libc6 product"},
		{"CVE-2019-9192", "pkg:deb/debian/libc6", vex.StatusNotAffected, "unversioned finding, unversioned product"},
		{"CVE-2025-4802", "pkg:deb/debian/libc-bin@2.36-9%2Bdeb12u14" + bookworm, vex.StatusNotAffected, "unversioned libc-bin product"},
		{"CVE-2005-2541", "pkg:deb/debian/tar@1.34%2Bdfsg-1.2%2Bdeb12u1" + bookworm, vex.StatusNotAffected, "versioned bookworm product"},
		{"CVE-2005-2541", "pkg:deb/debian/tar@1.34%2Bdfsg-1.2%2Bdeb12u1?arch=amd64&distro=debian-12", vex.StatusNotAffected, "syft's distro form meets os_distro/os_name/os_version"},
		{"CVE-2025-9230", "pkg:deb/debian/libssl-dev@3.0.19-1~deb12u2" + bookworm, vex.StatusUnderInvestigation, "the later of two statements (2025-10-01 over 2025-09-30)"},
		{"CVE-2025-27587", "pkg:deb/debian/libssl3@3.0.19-1~deb12u2" + bookworm, "", "no statement names libssl3"},
		{"CVE-2025-52099", "pkg:deb/debian/libsqlite3-0@3.40.1-2%2Bdeb12u2" + bookworm, vex.StatusUnderInvestigation, "unversioned libsqlite3-0 product"},
		{"CVE-2025-52099", "pkg:deb/debian/sqlite3@3.40.1-2%2Bdeb12u2" + bookworm, vex.StatusUnderInvestigation, "versioned bookworm sqlite3 product"},
		{"CVE-2025-11840", "pkg:deb/debian/binutils@2.45" + bookworm, vex.StatusUnderInvestigation, "versioned binutils product"},
		{"CVE-2025-11840", "pkg:deb/debian/binutils@2.40-2" + bookworm, "", "a versioned product matches its version only"},
		{"CVE-2025-38099", "pkg:deb/debian/linux@6.1.153-1" + bookworm, vex.StatusNotAffected, "versioned bookworm linux product"},
		{"CVE-2025-38099", "pkg:deb/debian/linux@6.1.153-1?os_distro=trixie&os_name=debian&os_version=13", "", "the product names bookworm, the finding trixie"},
		{"CVE-2024-58251", "pkg:apk/alpine/busybox@1.37.0-r19?os_name=alpine&os_version=3.22", vex.StatusUnderInvestigation, "apk product"},
	}
	type vuln struct {
		SourceID string            `json:"source_id"`
		CVSS     map[string]string `json:"cvss"`
	}
	type pkg struct {
		PURL            string `json:"purl"`
		Vulnerabilities []vuln `json:"vulnerabilities"`
	}
	var scan []pkg
	for _, f := range findings {
		scan = append(scan, pkg{PURL: f.purl, Vulnerabilities: []vuln{{SourceID: f.id, CVSS: map[string]string{"severity": "HIGH"}}}})
	}
	scanJSON, err := json.Marshal(scan)
	if err != nil {
		t.Fatal(err)
	}
	vexDoc := fixture.Bytes(t, "dhi/advisories/vex/dhi-python.vex.json")
	reg := registrytest.New(t)
	priv, key := newSigner(t)
	pushed, err := dhitest.Push(context.Background(), reg.Host+"/dhi/python:3.13", "", dhitest.Spec{Signer: priv, Labels: dhitest.SampleLabels(),
		Docs: []dhitest.Doc{{PredicateType: predicate.TypeScoutVulnerabilities, Predicate: scanJSON}, {PredicateType: dhi.PredicateTypeOpenVEX, Predicate: vexDoc}}})
	if err != nil {
		t.Fatal(err)
	}
	p := open(t, pushed.Ref, dhi.WithKeys(key)).Platforms[0]
	vulns, err := p.Vulnerabilities()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]vex.Status{}
	for _, v := range vulns {
		got[v.ID+" "+v.PURL] = v.Status
	}
	for _, f := range findings {
		if s, ok := got[f.id+" "+f.purl]; !ok || s != f.want {
			t.Errorf("%s on %s: status %q (found %v), want %q: %s", f.id, f.purl, s, ok, f.want, f.why)
		}
	}
}

func TestFindVulnerabilities(t *testing.T) {
	t.Parallel()
	pushed, key := sharedSample(t)
	p := open(t, pushed.Ref, dhi.WithKeys(key)).Platforms[0]
	tests := []struct {
		name string
		q    dhi.VulnerabilityQuery
		want []string
	}{
		{"all", dhi.VulnerabilityQuery{}, []string{"CVE-2025-4802", "CVE-2025-9230", "CVE-2025-27587", "CVE-2005-2541", "CVE-2019-9192"}},
		{"high and above", dhi.VulnerabilityQuery{MinSeverity: vuln.SeverityHigh}, []string{"CVE-2025-4802", "CVE-2025-9230"}},
		{"exploitable", dhi.VulnerabilityQuery{Exploitable: true}, []string{"CVE-2025-9230", "CVE-2025-27587"}},
		{"no statement", dhi.VulnerabilityQuery{Statuses: []vex.Status{""}}, []string{"CVE-2025-27587"}},
		{"not affected", dhi.VulnerabilityQuery{Statuses: []vex.Status{vex.StatusNotAffected}}, []string{"CVE-2025-4802", "CVE-2005-2541", "CVE-2019-9192"}},
		{"package, any version", dhi.VulnerabilityQuery{PURL: "pkg:deb/debian/libc6"}, []string{"CVE-2019-9192"}},
		{"package, other version", dhi.VulnerabilityQuery{PURL: "pkg:deb/debian/libc6@2.36-9"}, nil},
		{"by ID", dhi.VulnerabilityQuery{ID: "CVE-2005-2541"}, []string{"CVE-2005-2541"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			found, err := p.FindVulnerabilities(tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range found {
				got = append(got, v.ID)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("FindVulnerabilities(%+v) (-want +got):\n%s", tc.q, diff)
			}
		})
	}
}
