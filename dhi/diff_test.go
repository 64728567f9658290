package dhi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/dhi/predicate"
	"github.com/dhisdk/dhisdk/dhi/vuln"
	"github.com/dhisdk/dhisdk/internal/goldentest"
	"github.com/dhisdk/dhisdk/internal/registrytest"
)

// Predicate types of the sample documents the tests edit.
const (
	ptSPDX      = "https://spdx.dev/Document"
	ptCycloneDX = "https://cyclonedx.org/bom/v1.6"
	ptOpenVEX   = "https://openvex.dev/ns/v0.2.0"
	ptScout     = "https://scout.docker.com/vulnerabilities/v0.1"
	ptSLSA1     = "https://slsa.dev/provenance/v1"
	ptSLSA02    = "https://slsa.dev/provenance/v0.2"
)

// Values of the sample documents that the edited image changes.
const (
	oldOpenSSL = "3.0.19-1~deb12u2"
	newOpenSSL = "3.0.19-1~deb12u3"
	oldCommit  = "bdb96fcfe8cc9e3a54800bc2537a4d4a14f0c5fe"
	newCommit  = "5c1f2e0d9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e"
	oldRun     = "runs/18937328894/"
	newRun     = "runs/19250000000/"
	oldAlpine  = "4b7ce07002c69e8f3d704a9c5d6fd3053be500b7f1c69fc0d80990c2ad8dd412"
	newAlpine  = "aa5e0cbd5b1a2b1f0c34e4e1b1e1c6f7a3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8"
)

// editDocs returns a copy of docs in which edit has replaced the predicate
// of the given type, and fails when there is no such document.
func editDocs(t *testing.T, docs []dhitest.Doc, predicateType string, edit func([]byte) []byte) []dhitest.Doc {
	t.Helper()
	out := slices.Clone(docs)
	for i, d := range out {
		if d.PredicateType == predicateType {
			out[i].Predicate = edit(d.Predicate)
			return out
		}
	}
	t.Fatalf("no sample document of type %s", predicateType)
	return nil
}

// withoutDocs returns docs without those of the given predicate types.
func withoutDocs(docs []dhitest.Doc, predicateTypes ...string) []dhitest.Doc {
	return slices.DeleteFunc(slices.Clone(docs), func(d dhitest.Doc) bool { return slices.Contains(predicateTypes, d.PredicateType) })
}

func replace(old, new string) func([]byte) []byte {
	return func(b []byte) []byte { return bytes.ReplaceAll(b, []byte(old), []byte(new)) }
}

// editJSON decodes b, lets edit change it and encodes it again.
func editJSON[T any](t *testing.T, edit func(*T)) func([]byte) []byte {
	return func(b []byte) []byte {
		t.Helper()
		var v T
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		edit(&v)
		out, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
}

type object = map[string]any

// editedSampleDocs returns the sample documents as a newer build of the
// image would have them: the openssl binaries upgraded, tar removed, tini
// added, zlib1g's licence changed, tar's finding gone and a zlib1g finding
// new (CVE-2023-45853, which DHI's VEX document says does not affect zlib),
// CVE-2025-9230 now not_affected, and another builder run from another
// commit on another alpine base.
func editedSampleDocs(t *testing.T) []dhitest.Doc {
	t.Helper()
	docs, err := dhitest.SampleDocs()
	if err != nil {
		t.Fatal(err)
	}
	docs = editDocs(t, docs, ptSPDX, func(b []byte) []byte {
		b = replace(oldOpenSSL, newOpenSSL)(b)
		return editJSON(t, func(d *object) {
			var tarID string
			var pkgs []any
			for _, p := range (*d)["packages"].([]any) {
				p := p.(object)
				switch p["name"] {
				case "tar":
					tarID = p["SPDXID"].(string)
					continue
				case "zlib1g":
					p["licenseDeclared"] = "Zlib AND MIT"
				}
				pkgs = append(pkgs, p)
			}
			pkgs = append(pkgs, object{
				"name": "tini", "SPDXID": "SPDXRef-Package-deb-tini-0123456789abcdef", "versionInfo": "0.19.0-1",
				"downloadLocation": "NOASSERTION", "filesAnalyzed": false, "licenseDeclared": "MIT",
				"externalRefs": []any{object{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
					"referenceLocator": "pkg:deb/debian/tini@0.19.0-1?arch=amd64&distro=debian-12"}},
			})
			(*d)["packages"] = pkgs
			(*d)["relationships"] = slices.DeleteFunc((*d)["relationships"].([]any), func(r any) bool {
				return r.(object)["spdxElementId"] == tarID || r.(object)["relatedSpdxElement"] == tarID
			})
		})(b)
	})
	docs = editDocs(t, docs, ptCycloneDX, func(b []byte) []byte {
		b = replace(oldOpenSSL, newOpenSSL)(b)
		return editJSON(t, func(d *object) {
			var tarRef string
			var comps []any
			for _, c := range (*d)["components"].([]any) {
				c := c.(object)
				switch c["name"] {
				case "tar":
					tarRef = c["bom-ref"].(string)
					continue
				case "zlib1g":
					c["licenses"] = append(c["licenses"].([]any), object{"license": object{"id": "MIT"}})
				}
				comps = append(comps, c)
			}
			comps = append(comps, object{
				"bom-ref": "pkg:deb/debian/tini@0.19.0-1?arch=amd64&distro=debian-12", "type": "library",
				"name": "tini", "version": "0.19.0-1", "licenses": []any{object{"license": object{"id": "MIT"}}},
				"purl": "pkg:deb/debian/tini@0.19.0-1?arch=amd64&distro=debian-12",
			})
			(*d)["components"] = comps
			var deps []any
			for _, dep := range (*d)["dependencies"].([]any) {
				dep := dep.(object)
				if dep["ref"] == tarRef {
					continue
				}
				if on, ok := dep["dependsOn"].([]any); ok {
					dep["dependsOn"] = slices.DeleteFunc(on, func(r any) bool { return r == tarRef })
				}
				deps = append(deps, dep)
			}
			(*d)["dependencies"] = deps
		})(b)
	})
	docs = editDocs(t, docs, ptScout, func(b []byte) []byte {
		b = replace(oldOpenSSL, newOpenSSL)(b)
		return editJSON(t, func(d *[]object) {
			*d = slices.DeleteFunc(*d, func(p object) bool { return strings.HasPrefix(p["purl"].(string), "pkg:deb/debian/tar@") })
			*d = append(*d, object{
				"purl":            "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?os_distro=bookworm&os_name=debian&os_version=12",
				"vulnerabilities": []any{object{"source_id": "CVE-2023-45853", "cvss": object{"severity": "CRITICAL", "score": 9.8}}},
			})
		})(b)
	})
	docs = editDocs(t, docs, ptOpenVEX, editJSON(t, func(d *object) {
		(*d)["statements"] = append((*d)["statements"].([]any), object{
			"vulnerability": object{"name": "CVE-2025-9230"},
			"timestamp":     "2025-11-01T00:00:00Z",
			"products":      []any{object{"@id": "pkg:docker/dhi/python", "subcomponents": []any{object{"@id": "pkg:deb/debian/libssl-dev"}}}},
			"status":        "not_affected",
			"justification": "vulnerable_code_not_in_execute_path",
		})
	}))
	for _, pt := range []string{ptSLSA1, ptSLSA02} {
		docs = editDocs(t, docs, pt, func(b []byte) []byte {
			for _, r := range [][2]string{{oldCommit, newCommit}, {oldRun, newRun}, {oldAlpine, newAlpine}} {
				b = replace(r[0], r[1])(b)
			}
			return b
		})
	}
	return docs
}

// pushAMD64 pushes an image of one platform, linux/amd64, signed with key.
func pushAMD64(t *testing.T, ref string, spec dhitest.Spec) {
	t.Helper()
	spec.Platforms = []v1.Platform{{OS: "linux", Architecture: "amd64"}}
	if _, err := dhitest.Push(context.Background(), ref, "", spec); err != nil {
		t.Fatal(err)
	}
}

type diffImages struct {
	host string
	key  *attest.Key
}

func (di diffImages) platform(t *testing.T, repo string) *dhi.Platform {
	t.Helper()
	img := open(t, di.host+repo, dhi.WithKeys(di.key))
	if len(img.Platforms) != 1 {
		t.Fatalf("%s: %d platforms, want 1", repo, len(img.Platforms))
	}
	return img.Platforms[0]
}

func TestCompare(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	priv, key := newSigner(t)
	docs, err := dhitest.SampleDocs()
	if err != nil {
		t.Fatal(err)
	}
	labels := dhitest.SampleLabels()
	newLabels := maps.Clone(labels)
	newLabels[dhi.LabelVersion] = "3.13.10-debian12"
	pushAMD64(t, reg.Host+"/dhi/python:3.13.9", dhitest.Spec{Docs: docs, Signer: priv, Labels: labels})
	pushAMD64(t, reg.Host+"/dhi/python:3.13.10", dhitest.Spec{Docs: editedSampleDocs(t), Signer: priv, Labels: newLabels})
	// Another repository: the same labels give the same platform manifest,
	// which would share the sample's referrers.
	pushAMD64(t, reg.Host+"/novex/python:3.13.9", dhitest.Spec{Docs: withoutDocs(docs, ptOpenVEX, ptSLSA1, ptSLSA02), Signer: priv, Labels: labels})
	di := diffImages{host: reg.Host, key: key}
	before := di.platform(t, "/dhi/python:3.13.9")
	after := di.platform(t, "/dhi/python:3.13.10")

	t.Run("changes", func(t *testing.T) {
		t.Parallel()
		d, err := dhi.Compare(before, after)
		if err != nil {
			t.Fatal(err)
		}
		m := goldentest.Masker{Replace: []string{reg.Host, "registry.test"}, Stable: stableHex(t, docs, editedSampleDocs(t))}
		goldentest.Check(t, "testdata/compare.golden", m.Mask(indentJSON(t, d)), *update)
		if d.Before.Image != reg.Host+"/dhi/python:3.13.9" || d.After.Platform != "linux/amd64" || d.After.Digest != after.Descriptor.Digest.String() {
			t.Errorf("sides = %+v, %+v", d.Before, d.After)
		}
		if len(d.Missing) != 0 {
			t.Errorf("Missing = %+v, want none", d.Missing)
		}

		type pkg struct{ Name, Version string }
		pkgs := func(ps []dhi.Package) []pkg {
			var out []pkg
			for _, p := range ps {
				out = append(out, pkg{p.Name, p.Version})
			}
			return out
		}
		changes := func(cs []dhi.PackageChange) []string {
			var out []string
			for _, c := range cs {
				out = append(out, c.Before.Name+" "+c.Before.Version+" -> "+c.After.Version+" ["+strings.Join(c.Before.Licenses, ",")+"] -> ["+strings.Join(c.After.Licenses, ",")+"]")
			}
			return out
		}
		if diff := cmp.Diff([]pkg{{"tini", "0.19.0-1"}}, pkgs(d.Packages.Added)); diff != "" {
			t.Errorf("Added (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]pkg{{"tar", "1.34+dfsg-1.2+deb12u1"}}, pkgs(d.Packages.Removed)); diff != "" {
			t.Errorf("Removed (-want +got):\n%s", diff)
		}
		openssl := "[Apache-2.0,GPL-1.0-only,GPL-1.0-or-later,LicenseRef-Artistic]"
		wantVersions := []string{
			"libssl-dev 3.0.19-1~deb12u2 -> 3.0.19-1~deb12u3 " + openssl + " -> " + openssl,
			"libssl3 3.0.19-1~deb12u2 -> 3.0.19-1~deb12u3 " + openssl + " -> " + openssl,
			"openssl 3.0.19-1~deb12u2 -> 3.0.19-1~deb12u3 " + openssl + " -> " + openssl,
		}
		if diff := cmp.Diff(wantVersions, changes(d.Packages.VersionChanged)); diff != "" {
			t.Errorf("VersionChanged (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"zlib1g 1:1.2.13.dfsg-1 -> 1:1.2.13.dfsg-1 [Zlib] -> [Zlib,MIT]"}, changes(d.Packages.LicenseChanged)); diff != "" {
			t.Errorf("LicenseChanged (-want +got):\n%s", diff)
		}

		// The status comes from the image's own VEX attestation.
		for _, v := range append(slices.Clone(d.Vulnerabilities.Fixed), d.Vulnerabilities.Introduced...) {
			if !strings.HasPrefix(v.VEXSource, "attestation sha256:") {
				t.Errorf("%s: VEXSource = %q, want the VEX attestation", v.ID, v.VEXSource)
			}
		}
		ignoreSource := func(vs []dhi.VulnerabilityState) []dhi.VulnerabilityState {
			out := slices.Clone(vs)
			for i := range out {
				out[i].VEXSource = ""
			}
			return out
		}
		wantFixed := []dhi.VulnerabilityState{{
			ID: "CVE-2005-2541", PURL: "pkg:deb/debian/tar@1.34%2Bdfsg-1.2%2Bdeb12u1?os_distro=bookworm&os_name=debian&os_version=12",
			Severity: vuln.SeverityLow, Status: "not_affected", Justification: "vulnerable_code_cannot_be_controlled_by_adversary",
		}}
		if diff := cmp.Diff(wantFixed, ignoreSource(d.Vulnerabilities.Fixed)); diff != "" {
			t.Errorf("Fixed (-want +got):\n%s", diff)
		}
		wantIntroduced := []dhi.VulnerabilityState{{
			ID: "CVE-2023-45853", PURL: "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?os_distro=bookworm&os_name=debian&os_version=12",
			Severity: vuln.SeverityCritical, Status: "not_affected", Justification: "vulnerable_code_cannot_be_controlled_by_adversary",
		}}
		if diff := cmp.Diff(wantIntroduced, ignoreSource(d.Vulnerabilities.Introduced)); diff != "" {
			t.Errorf("Introduced (-want +got):\n%s", diff)
		}
		if len(d.Vulnerabilities.StatusChanged) != 1 {
			t.Fatalf("StatusChanged = %+v, want CVE-2025-9230 only", d.Vulnerabilities.StatusChanged)
		}
		sc := d.Vulnerabilities.StatusChanged[0]
		wantBefore := dhi.VulnerabilityState{
			ID: "CVE-2025-9230", PURL: "pkg:deb/debian/libssl-dev@3.0.19-1~deb12u2?os_distro=bookworm&os_name=debian&os_version=12",
			Severity: vuln.SeverityHigh, FixedIn: "3.0.18-1~deb12u1", Status: "under_investigation", Exploitable: true,
		}
		wantAfter := wantBefore
		wantAfter.PURL = strings.Replace(wantAfter.PURL, oldOpenSSL, newOpenSSL, 1)
		wantAfter.Status, wantAfter.Justification, wantAfter.Exploitable = "not_affected", "vulnerable_code_not_in_execute_path", false
		if diff := cmp.Diff([]dhi.VulnerabilityState{wantBefore, wantAfter}, ignoreSource([]dhi.VulnerabilityState{sc.Before, sc.After})); diff != "" {
			t.Errorf("StatusChanged (-want +got):\n%s", diff)
		}

		wantProv := []dhi.FieldChange{
			{Field: "builder-id", Before: "https://github.com/docker/github-builder-test/actions/runs/18937328894/attempts/1", After: "https://github.com/docker/github-builder-test/actions/runs/19250000000/attempts/1"},
			{Field: "source-uri", Before: "https://github.com/docker/github-builder-test.git#" + oldCommit, After: "https://github.com/docker/github-builder-test.git#" + newCommit},
			{Field: "source-commit", Before: oldCommit, After: newCommit},
			{Field: "base-image", Before: "alpine:latest@sha256:" + oldAlpine, After: "alpine:latest@sha256:" + newAlpine},
		}
		if diff := cmp.Diff(wantProv, d.Provenance); diff != "" {
			t.Errorf("Provenance (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]dhi.FieldChange{{Field: "version", Before: "3.13.9-debian12", After: "3.13.10-debian12"}}, d.Lifecycle); diff != "" {
			t.Errorf("Lifecycle (-want +got):\n%s", diff)
		}
		if d.Empty() {
			t.Error("Empty() = true")
		}

		// The other way round, what was added is removed.
		r, err := dhi.Compare(after, before)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(pkgs(d.Packages.Added), pkgs(r.Packages.Removed)); diff != "" {
			t.Errorf("reversed Removed (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(ignoreSource(d.Vulnerabilities.Fixed), ignoreSource(r.Vulnerabilities.Introduced)); diff != "" {
			t.Errorf("reversed Introduced (-want +got):\n%s", diff)
		}
	})

	t.Run("same image", func(t *testing.T) {
		t.Parallel()
		d, err := dhi.Compare(before, before)
		if err != nil {
			t.Fatal(err)
		}
		if !d.Empty() {
			t.Errorf("Compare(p, p) = %+v, want an empty diff", d)
		}
	})

	t.Run("sections one side lacks", func(t *testing.T) {
		t.Parallel()
		novex := di.platform(t, "/novex/python:3.13.9")
		d, err := dhi.Compare(before, novex)
		if err != nil {
			t.Fatal(err)
		}
		want := []dhi.MissingSection{{Section: dhi.SectionVEX, From: dhi.SideAfter}, {Section: dhi.SectionProvenance, From: dhi.SideAfter}}
		if diff := cmp.Diff(want, d.Missing); diff != "" {
			t.Errorf("Missing (-want +got):\n%s", diff)
		}
		// Without VEX, every status is gone: the four statements no
		// longer apply.
		var ids []string
		for _, c := range d.Vulnerabilities.StatusChanged {
			if c.After.Status != "" || !c.After.Exploitable {
				t.Errorf("%s after = %+v, want no status", c.After.ID, c.After)
			}
			ids = append(ids, c.Before.ID)
		}
		if diff := cmp.Diff([]string{"CVE-2025-4802", "CVE-2025-9230", "CVE-2005-2541", "CVE-2019-9192"}, ids); diff != "" {
			t.Errorf("StatusChanged (-want +got):\n%s", diff)
		}
		if len(d.Provenance) != 0 || len(d.Packages.Added)+len(d.Packages.Removed) != 0 {
			t.Errorf("Provenance = %+v, packages = %+v; want no change", d.Provenance, d.Packages)
		}
		r, err := dhi.Compare(novex, before)
		if err != nil {
			t.Fatal(err)
		}
		want = []dhi.MissingSection{{Section: dhi.SectionVEX, From: dhi.SideBefore}, {Section: dhi.SectionProvenance, From: dhi.SideBefore}}
		if diff := cmp.Diff(want, r.Missing); diff != "" {
			t.Errorf("reversed Missing (-want +got):\n%s", diff)
		}
	})

	t.Run("json", func(t *testing.T) {
		t.Parallel()
		d, err := dhi.Compare(before, after)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		keys := slices.Sorted(maps.Keys(m))
		if diff := cmp.Diff([]string{"after", "before", "lifecycle", "missing", "packages", "provenance", "vulnerabilities"}, keys); diff != "" {
			t.Errorf("JSON fields (-want +got):\n%s", diff)
		}
		if string(m["missing"]) != "[]" {
			t.Errorf(`"missing" = %s, want []`, m["missing"])
		}
		var got struct {
			Packages struct {
				VersionChanged []struct {
					Before, After struct{ Name, Version string }
				} `json:"versionChanged"`
			} `json:"packages"`
			Vulnerabilities struct {
				StatusChanged []struct {
					Before, After struct {
						ID     string `json:"id"`
						Status string `json:"status"`
					}
				} `json:"statusChanged"`
			} `json:"vulnerabilities"`
		}
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		if vc := got.Packages.VersionChanged; len(vc) != 3 || vc[1].Before.Name != "libssl3" || vc[1].After.Version != newOpenSSL {
			t.Errorf("packages.versionChanged = %+v", vc)
		}
		if sc := got.Vulnerabilities.StatusChanged; len(sc) != 1 || sc[0].Before.ID != "CVE-2025-9230" || sc[0].Before.Status != "under_investigation" || sc[0].After.Status != "not_affected" {
			t.Errorf("vulnerabilities.statusChanged = %+v", sc)
		}
	})
}

func TestCompareSectionsBothLack(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	fips := []dhitest.Doc{{PredicateType: predicate.TypeFIPS, Predicate: []byte(`[{"name":"OpenSSL FIPS Provider","status":"active"}]`)}}
	pushAMD64(t, reg.Host+"/one/app:1", dhitest.Spec{Docs: fips})
	pushAMD64(t, reg.Host+"/two/app:2", dhitest.Spec{})
	a := open(t, reg.Host+"/one/app:1", dhi.WithUnverifiedUnsafe()).Platforms[0]
	b := open(t, reg.Host+"/two/app:2").Platforms[0]
	d, err := dhi.Compare(a, b)
	if err != nil {
		t.Fatalf("Compare() error = %v, want none: no section is on either side", err)
	}
	if !d.Empty() {
		t.Errorf("Compare() = %+v, want an empty diff", d)
	}
}

func TestCompareErrors(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	// An image without SBOM, and one whose SBOM does not parse.
	pushAMD64(t, reg.Host+"/app:good", dhitest.Spec{})
	pushAMD64(t, reg.Host+"/bad/app:bad", dhitest.Spec{Docs: []dhitest.Doc{{PredicateType: ptSPDX, Predicate: []byte(`{"not":"an sbom"}`)}}})
	good := open(t, reg.Host+"/app:good").Platforms[0]
	bad := open(t, reg.Host+"/bad/app:bad", dhi.WithUnverifiedUnsafe()).Platforms[0]
	if _, err := dhi.Compare(good, bad); err == nil || !strings.Contains(err.Error(), "comparing packages (after)") || errors.Is(err, dhi.ErrNoAttestation) {
		t.Errorf("Compare(good, bad SBOM) error = %v, want one about the after side's packages", err)
	}
	if _, err := dhi.Compare(nil, good); err == nil {
		t.Error("Compare(nil, p) error = nil")
	}
}

func TestSectionsAndSides(t *testing.T) {
	t.Parallel()
	for _, s := range dhi.Sections() {
		if !s.Valid() {
			t.Errorf("%q.Valid() = false", s)
		}
	}
	for _, s := range dhi.Sides() {
		if !s.Valid() {
			t.Errorf("%q.Valid() = false", s)
		}
	}
	if dhi.Section("sbom").Valid() || dhi.Side("").Valid() {
		t.Error("Valid() = true for a value not in the list")
	}
}

// cdx returns a CycloneDX 1.6 document listing components given as
// name, version and package URL.
func cdx(t *testing.T, comps ...[3]string) []byte {
	t.Helper()
	var cs []object
	for _, c := range comps {
		o := object{"type": "library", "name": c[0], "version": c[1]}
		if c[2] != "" {
			o["purl"] = c[2]
		}
		cs = append(cs, o)
	}
	b, err := json.Marshal(object{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": cs})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestComparePairing(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	before := []dhitest.Doc{
		{PredicateType: ptCycloneDX, Predicate: cdx(t,
			[3]string{"foo", "1.0.0", "pkg:npm/foo@1.0.0"},
			[3]string{"foo", "2.0.0", "pkg:npm/foo@2.0.0"},
			[3]string{"zlib1g", "1:1.2.13.dfsg-1", "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12"},
			[3]string{"libc6", "2.36-9", "pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12"},
			[3]string{"libc6", "2.36-9", "pkg:deb/debian/libc6@2.36-9?arch=i386&distro=debian-12"},
			[3]string{"Tool", "1", ""},
		)},
		{PredicateType: ptScout, Predicate: []byte(`[{"purl":"pkg:golang/golang.org/x/net@v0.1.0","vulnerabilities":[
			{"source_id":"GHSA-4v7x-pqxf-cx7m","aliases":["CVE-2023-44487"],"cvss":{"severity":"HIGH"}},
			{"source_id":"CVE-2022-41723","cvss":{"severity":"HIGH"}}]}]`)},
	}
	after := []dhitest.Doc{
		{PredicateType: ptCycloneDX, Predicate: cdx(t,
			[3]string{"foo", "2.0.0", "pkg:npm/foo@2.0.0"},
			[3]string{"foo", "3.0.0", "pkg:npm/foo@3.0.0"},
			[3]string{"zlib1g", "1:1.3.dfsg+really1.3.1-1", "pkg:deb/debian/zlib1g@1%3A1.3.dfsg%2Breally1.3.1-1?arch=amd64&distro=debian-13"},
			[3]string{"libc6", "2.36-9", "pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12"},
			[3]string{"tool", "2", ""},
		)},
		{PredicateType: ptScout, Predicate: []byte(`[{"purl":"pkg:golang/golang.org/x/net@v0.17.0","vulnerabilities":[
			{"source_id":"CVE-2023-44487","cvss":{"severity":"HIGH"}}]}]`)},
	}
	pushAMD64(t, reg.Host+"/before/app:1", dhitest.Spec{Docs: before})
	pushAMD64(t, reg.Host+"/after/app:2", dhitest.Spec{Docs: after})
	b := open(t, reg.Host+"/before/app:1", dhi.WithUnverifiedUnsafe()).Platforms[0]
	a := open(t, reg.Host+"/after/app:2", dhi.WithUnverifiedUnsafe()).Platforms[0]
	d, err := dhi.Compare(b, a)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range d.Packages.Added {
		got = append(got, "added "+p.Name+" "+p.Version)
	}
	for _, p := range d.Packages.Removed {
		got = append(got, "removed "+p.PURL)
	}
	for _, c := range d.Packages.VersionChanged {
		got = append(got, "changed "+c.Before.Name+" "+c.Before.Version+" -> "+c.After.Version)
	}
	for _, v := range d.Vulnerabilities.Fixed {
		got = append(got, "fixed "+v.ID)
	}
	for _, v := range d.Vulnerabilities.Introduced {
		got = append(got, "introduced "+v.ID)
	}
	want := []string{
		// Equal versions pair first: foo 2.0.0 is unchanged, 1.0.0 became 3.0.0.
		// Only the i386 libc6 is gone; the distribution release is not part
		// of a package's identity; a package without purl is known by name.
		"removed pkg:deb/debian/libc6@2.36-9?arch=i386&distro=debian-12",
		"changed Tool 1 -> 2",
		"changed zlib1g 1:1.2.13.dfsg-1 -> 1:1.3.dfsg+really1.3.1-1",
		"changed foo 1.0.0 -> 3.0.0",
		// GHSA-4v7x-pqxf-cx7m is CVE-2023-44487 by its alias.
		"fixed CVE-2022-41723",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Compare() (-want +got):\n%s", diff)
	}
	if len(d.Missing) != 0 || len(d.Vulnerabilities.StatusChanged) != 0 {
		t.Errorf("Missing = %+v, StatusChanged = %+v; want none", d.Missing, d.Vulnerabilities.StatusChanged)
	}
}
