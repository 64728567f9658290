package dhi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
)

// This file writes scanner reports about the sample image in the shapes of
// the scanners' own golden files (dhi/scanreport/testdata): Trivy JSON,
// Grype JSON, Trivy's SARIF and Trivy's CycloneDX VDR, from the packages
// of the sample's SBOM.
//
// The triage and scanner-VEX tests do not call t.Parallel at the top
// level: they run before the parallel tests, so that their load does not
// eat into the deadlines of the fault tests.

var triageShared struct {
	once sync.Once
	img  *dhi.Image
	err  error
}

// triageSample opens the sample image once per test binary.
func triageSample(t testing.TB) *dhi.Image {
	t.Helper()
	triageShared.once.Do(func() {
		docs, err := dhitest.SampleDocs()
		if err != nil {
			triageShared.err = err
			return
		}
		priv, pub, err := dhitest.NewKey()
		if err != nil {
			triageShared.err = err
			return
		}
		key, err := attest.ParseKey(pub, attest.WithKeyName("sample"))
		if err != nil {
			triageShared.err = err
			return
		}
		reg, err := dhitest.NewRegistry()
		if err != nil {
			triageShared.err = err
			return
		}
		pushed, err := dhitest.Push(context.Background(), reg.Host+"/dhi/python:3.13", "", dhitest.Spec{Docs: docs, Signer: priv, Labels: dhitest.SampleLabels()})
		if err != nil {
			triageShared.err = err
			return
		}
		triageShared.img, triageShared.err = dhi.Open(context.Background(), pushed.Ref, dhi.WithKeys(key))
	})
	if triageShared.err != nil {
		t.Fatal(triageShared.err)
	}
	return triageShared.img
}

// scanFinding is one finding to write: a vulnerability in a package of the
// sample's SBOM, with the scanner's fixed version ("" for none).
type scanFinding struct {
	id, pkg, fixed, severity string
}

// sampleFindings are the findings the tests write in every format, and
// whether the sample's VEX suppresses each.
var sampleFindings = []struct {
	scanFinding
	suppressed bool
	viaSource  bool // decided through the binary-to-source mapping
}{
	{scanFinding{"CVE-2019-9192", "libc6", "", "LOW"}, true, false},
	{scanFinding{"CVE-2025-4802", "libc-bin", "", "HIGH"}, true, false},
	{scanFinding{"CVE-2005-2541", "tar", "", "LOW"}, true, false},
	{scanFinding{"CVE-2007-5686", "login", "", "LOW"}, true, true},        // statement on source shadow
	{scanFinding{"CVE-2023-45853", "zlib1g", "", "CRITICAL"}, true, true}, // statement on source zlib
	{scanFinding{"CVE-2025-9230", "libssl-dev", "3.0.19-1~deb12u3", "HIGH"}, false, false},
	{scanFinding{"CVE-2025-27587", "libssl3", "3.0.17-1~deb12u1", "MEDIUM"}, false, false}, // inconsistent
	{scanFinding{"CVE-2024-0001", "bash", "", "MEDIUM"}, false, false},
	{scanFinding{"CVE-2025-6141", "ncurses-bin", "", "LOW"}, true, true}, // only its source ncurses is named
}

// scanPackage is a package of the sample's SBOM as scanners name it.
type scanPackage struct {
	name, version string
	sbomPURL      string // as the SBOM (syft, so Grype) writes it
	trivyPURL     string // as Trivy writes it: no upstream, a point release, the epoch as a qualifier
	source        string // the source package syft names, "" when the same
}

// samplePackage finds a package of the platform's SBOM by name.
func samplePackage(t testing.TB, p *dhi.Platform, name string) scanPackage {
	t.Helper()
	found, err := p.FindPackages(dhi.PackageQuery{Name: name, Ecosystem: "deb"})
	if err != nil || len(found) == 0 {
		t.Fatalf("package %s of the sample: %v (%d found)", name, err, len(found))
	}
	pk := found[0]
	u, err := packageurl.FromString(pk.PURL)
	if err != nil {
		t.Fatal(err)
	}
	sp := scanPackage{name: pk.Name, version: pk.Version, sbomPURL: pk.PURL}
	tq := packageurl.Qualifiers{}
	for _, q := range u.Qualifiers {
		switch q.Key {
		case "upstream":
			sp.source = q.Value
		case "distro":
			tq = append(tq, packageurl.Qualifier{Key: "distro", Value: "debian-12.11"})
		default:
			tq = append(tq, q)
		}
	}
	v := u.Version
	if epoch, rest, ok := strings.Cut(v, ":"); ok {
		v = rest
		tq = append(tq, packageurl.Qualifier{Key: "epoch", Value: epoch})
	}
	sp.trivyPURL = packageurl.NewPackageURL(u.Type, u.Namespace, u.Name, v, tq, "").ToString()
	return sp
}

// subject is what a report says it scanned.
type subject struct {
	ref      string // the reference the scanner was given
	repo     string
	index    string // index digest (Trivy's and Grype's repo digest)
	manifest string // platform manifest digest (Grype's manifestDigest)
}

func sampleSubject(img *dhi.Image, p *dhi.Platform) subject {
	return subject{ref: img.Reference, repo: img.Repository, index: img.Root.Digest.String(), manifest: p.Descriptor.Digest.String()}
}

const imageID = "sha256:5e8ce4f2b9a1c0d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3"

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type obj = map[string]any

// trivyJSON writes a Trivy JSON report (SchemaVersion 2), in the shape of
// trivy_debian-buster.json.
func trivyJSON(t testing.TB, s subject, fs []scanFinding, pkgs map[string]scanPackage) []byte {
	t.Helper()
	vulns := make([]any, 0, len(fs))
	for _, f := range fs {
		pk := pkgs[f.pkg]
		v := obj{
			"VulnerabilityID":  f.id,
			"PkgID":            pk.name + "@" + pk.version,
			"PkgName":          pk.name,
			"PkgIdentifier":    obj{"PURL": pk.trivyPURL, "UID": fmt.Sprintf("%016x", len(vulns))},
			"InstalledVersion": pk.version,
			"Status":           "affected",
			"Layer":            obj{"DiffID": "sha256:78c1b9419976227e05be9d243b7fa583bea44a5258e52018b2af4cdfe23d148d"},
			"SeveritySource":   "debian",
			"PrimaryURL":       "https://avd.aquasec.com/nvd/" + strings.ToLower(f.id),
			"DataSource":       obj{"ID": "debian", "Name": "Debian Security Tracker", "URL": "https://salsa.debian.org/security-tracker-team/security-tracker"},
			"Title":            f.id + " in " + pk.name,
			"Severity":         f.severity,
		}
		if f.fixed != "" {
			v["FixedVersion"], v["Status"] = f.fixed, "fixed"
		}
		vulns = append(vulns, v)
	}
	return mustJSON(t, obj{
		"SchemaVersion": 2,
		"Trivy":         obj{"Version": "0.67.2"},
		"CreatedAt":     "2026-11-30T12:00:00.000000005Z",
		"ArtifactName":  s.ref,
		"ArtifactType":  "container_image",
		"Metadata": obj{
			"OS":          obj{"Family": "debian", "Name": "12.11"},
			"ImageID":     imageID,
			"RepoTags":    []string{s.ref},
			"RepoDigests": []string{s.repo + "@" + s.index},
		},
		"Results": []any{obj{
			"Target":          s.ref + " (debian 12.11)",
			"Class":           "os-pkgs",
			"Type":            "debian",
			"Vulnerabilities": vulns,
		}},
	})
}

// grypeJSON writes a Grype JSON report, in the shape of
// grype_TestJsonImgsPresenter.json, with syft's purls and upstreams.
func grypeJSON(t testing.TB, s subject, fs []scanFinding, pkgs map[string]scanPackage) []byte {
	t.Helper()
	matches := make([]any, 0, len(fs))
	for _, f := range fs {
		pk := pkgs[f.pkg]
		fix := obj{"versions": []string{}, "state": "not-fixed"}
		if f.fixed != "" {
			fix = obj{"versions": []string{f.fixed}, "state": "fixed"}
		}
		ups := []any{}
		if pk.source != "" {
			ups = append(ups, obj{"name": pk.source})
		}
		matches = append(matches, obj{
			"vulnerability": obj{
				"id": f.id, "dataSource": "https://security-tracker.debian.org/tracker/" + f.id,
				"namespace": "debian:distro:debian:12", "severity": strings.ToUpper(f.severity[:1]) + strings.ToLower(f.severity[1:]),
				"urls": []string{}, "fix": fix, "advisories": []any{},
			},
			"relatedVulnerabilities": []any{},
			"matchDetails": []any{obj{
				"type": "exact-indirect-match", "matcher": "dpkg-matcher",
				"searchedBy": obj{"distro": obj{"type": "debian", "version": "12"}, "package": obj{"name": cmpOr(pk.source, pk.name), "version": pk.version}},
				"found":      obj{"vulnerabilityID": f.id, "versionConstraint": "none (deb)"},
			}},
			"artifact": obj{
				"id": fmt.Sprintf("%016x", len(matches)), "name": pk.name, "version": pk.version, "type": "deb",
				"locations": []any{obj{"path": "/var/lib/dpkg/status", "accessPath": "/var/lib/dpkg/status"}},
				"language":  "", "licenses": []string{}, "cpes": []string{},
				"purl": pk.sbomPURL, "upstreams": ups,
			},
		})
	}
	return mustJSON(t, obj{
		"matches": matches,
		"source": obj{"type": "image", "target": obj{
			"userInput": s.ref, "imageID": imageID, "manifestDigest": s.manifest,
			"mediaType": "application/vnd.oci.image.manifest.v1+json", "tags": []string{s.ref},
			"repoDigests": []string{s.repo + "@" + s.index}, "architecture": "amd64", "os": "linux",
		}},
		"distro":     obj{"name": "debian", "version": "12", "idLike": []string{}},
		"descriptor": obj{"name": "grype", "version": "0.104.0", "timestamp": "2026-11-30T12:00:00Z"},
	})
}

// trivySARIF writes Trivy's SARIF, in the shape of trivy_alpine-310.sarif:
// no purls, the package and versions in the result message.
func trivySARIF(t testing.TB, s subject, fs []scanFinding, pkgs map[string]scanPackage) []byte {
	t.Helper()
	var rules, results []any
	ruleIndex := map[string]int{}
	for _, f := range fs {
		pk := pkgs[f.pkg]
		if _, ok := ruleIndex[f.id]; !ok {
			ruleIndex[f.id] = len(rules)
			rules = append(rules, obj{
				"id": f.id, "name": "OsPackageVulnerability",
				"shortDescription":     obj{"text": f.id},
				"fullDescription":      obj{"text": f.id},
				"defaultConfiguration": obj{"level": "warning"},
				"helpUri":              "https://avd.aquasec.com/nvd/" + strings.ToLower(f.id),
				"help":                 obj{"text": fmt.Sprintf("Vulnerability %s\nSeverity: %s\nPackage: %s\nFixed Version: %s\nLink: [%s](https://avd.aquasec.com/nvd/%s)", f.id, f.severity, pk.name, f.fixed, f.id, strings.ToLower(f.id))},
				"properties":           obj{"precision": "very-high", "security-severity": "5.5", "tags": []string{"vulnerability", "security", f.severity}},
			})
		}
		results = append(results, obj{
			"ruleId": f.id, "ruleIndex": ruleIndex[f.id], "level": "warning",
			"message": obj{"text": fmt.Sprintf("Package: %s\nInstalled Version: %s\nVulnerability %s\nSeverity: %s\nFixed Version: %s\nLink: [%s](https://avd.aquasec.com/nvd/%s)",
				pk.name, pk.version, f.id, f.severity, f.fixed, f.id, strings.ToLower(f.id))},
			"locations": []any{obj{"physicalLocation": obj{
				"artifactLocation": obj{"uri": s.ref, "uriBaseId": "ROOTPATH"},
				"region":           obj{"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1},
			}, "message": obj{"text": s.ref + ": " + pk.name + "@" + pk.version}}},
		})
	}
	return mustJSON(t, obj{
		"version": "2.1.0",
		"$schema": "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json",
		"runs": []any{obj{
			"tool":               obj{"driver": obj{"fullName": "Trivy Vulnerability Scanner", "informationUri": "https://github.com/aquasecurity/trivy", "name": "Trivy", "rules": rules, "version": "0.67.2"}},
			"results":            results,
			"columnKind":         "utf16CodeUnits",
			"originalUriBaseIds": obj{"ROOTPATH": obj{"uri": "file:///"}},
			"properties":         obj{"imageID": imageID, "imageName": s.ref, "repoDigests": []string{s.repo + "@" + s.index}, "repoTags": []string{s.ref}},
		}},
	})
}

// trivyCycloneDX writes Trivy's CycloneDX VDR, in the shape of
// trivy_alpine-310.cdx-vdr.json.
func trivyCycloneDX(t testing.TB, s subject, fs []scanFinding, pkgs map[string]scanPackage) []byte {
	t.Helper()
	var comps, vulns []any
	seen := map[string]bool{}
	var refs []string
	for _, f := range fs {
		pk := pkgs[f.pkg]
		if !seen[pk.trivyPURL] {
			seen[pk.trivyPURL] = true
			refs = append(refs, pk.trivyPURL)
			comps = append(comps, obj{
				"bom-ref": pk.trivyPURL, "type": "library", "name": pk.name, "version": pk.version, "purl": pk.trivyPURL,
				"properties": []any{obj{"name": "aquasecurity:trivy:PkgID", "value": pk.name + "@" + pk.version}, obj{"name": "aquasecurity:trivy:PkgType", "value": "debian"}},
			})
		}
		v := obj{
			"id": f.id, "source": obj{"name": "debian", "url": "https://salsa.debian.org/security-tracker-team/security-tracker"},
			"ratings": []any{obj{"source": obj{"name": "debian"}, "severity": strings.ToLower(f.severity)}},
			"affects": []any{obj{"ref": pk.trivyPURL, "versions": []any{obj{"version": pk.version, "status": "affected"}}}},
		}
		if f.fixed != "" {
			v["recommendation"] = fmt.Sprintf("Upgrade %s to version %s", pk.name, f.fixed)
		}
		vulns = append(vulns, v)
	}
	root := "3ff14136-e09f-4df9-80ea-000000000002"
	return mustJSON(t, obj{
		"$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json", "bomFormat": "CycloneDX", "specVersion": "1.6",
		"serialNumber": "urn:uuid:3ff14136-e09f-4df9-80ea-000000000001", "version": 1,
		"metadata": obj{
			"timestamp": "2026-11-30T12:00:00+00:00",
			"tools":     obj{"components": []any{obj{"type": "application", "group": "aquasecurity", "name": "trivy", "version": "0.67.2"}}},
			"component": obj{"bom-ref": root, "type": "container", "name": s.ref, "properties": []any{
				obj{"name": "aquasecurity:trivy:ImageID", "value": imageID},
				obj{"name": "aquasecurity:trivy:RepoDigest", "value": s.repo + "@" + s.index},
				obj{"name": "aquasecurity:trivy:RepoTag", "value": s.ref},
				obj{"name": "aquasecurity:trivy:SchemaVersion", "value": "2"},
			}},
		},
		"components":      comps,
		"dependencies":    []any{obj{"ref": root, "dependsOn": refs}},
		"vulnerabilities": vulns,
	})
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
