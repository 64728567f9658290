package dhi_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/dhi/vuln"
	"github.com/dhisdk/dhisdk/internal/fixture"
	"github.com/dhisdk/dhisdk/internal/registrytest"
	"github.com/dhisdk/dhisdk/vex"
)

// amd64 is the one platform the lineage tests build, to keep them quick.
var amd64 = v1.Platform{OS: "linux", Architecture: "amd64"}

// baseLayers returns the sample base's two layers and their diff IDs.
func baseLayers(t testing.TB, tag string) ([][]byte, []string) {
	t.Helper()
	var layers [][]byte
	var ids []string
	for _, files := range [][]string{{"etc/os-release", `NAME="Docker Hardened Images (Debian)"` + "\n" + tag}, {"usr/bin/python3", "python " + tag}} {
		l, err := dhitest.TarLayer(files...)
		if err != nil {
			t.Fatal(err)
		}
		layers = append(layers, l)
		ids = append(ids, fmt.Sprintf("sha256:%x", sha256.Sum256(l)))
	}
	return layers, ids
}

// pushBase pushes the DHI-shaped sample base (real SBOMs, VEX and
// provenance, signed with priv) with layers, under host/repo:3.13, and
// returns it.
func pushBase(t testing.TB, host, repo string, priv *ecdsa.PrivateKey) *dhitest.Image {
	t.Helper()
	docs, err := dhitest.SampleDocs()
	if err != nil {
		t.Fatal(err)
	}
	layers, ids := baseLayers(t, repo)
	labels := maps.Clone(dhitest.SampleLabels())
	labels[dhi.LabelChainID] = dhitest.ChainID(ids...)
	img, err := dhitest.Push(context.Background(), host+"/"+repo+":3.13", "", dhitest.Spec{Docs: docs, Signer: priv, Labels: labels,
		Layers: layers, Platforms: []v1.Platform{amd64}, DockerReference: host + "/" + repo})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// buildkitProvenance returns the predicate of the real BuildKit mode=max
// provenance fixture.
func buildkitProvenance(t testing.TB) []byte {
	t.Helper()
	var st struct {
		Predicate json.RawMessage `json:"predicate"`
	}
	if err := json.Unmarshal(fixture.Bytes(t, "slsa-provenance/buildkit_slsa1_mode-max.intoto-statement.json"), &st); err != nil {
		t.Fatal(err)
	}
	return st.Predicate
}

// Packages of the derived SBOM: tar as in the base, libc6 at another
// version than the base's, and linux, which the base does not have.
const (
	purlTar      = "pkg:deb/debian/tar@1.34%2Bdfsg-1.2%2Bdeb12u1?arch=amd64&distro=debian-12"
	purlLibc6New = "pkg:deb/debian/libc6@2.36-9%2Bdeb12u99?arch=amd64&distro=debian-12&upstream=glibc"
	purlLinux    = "pkg:deb/debian/linux@6.1.153-1?arch=amd64&distro=debian-12"
)

// derivedSBOM returns an SPDX 2.3 SBOM of the derived image.
func derivedSBOM(t testing.TB) []byte {
	t.Helper()
	type ref struct {
		Category string `json:"referenceCategory"`
		Type     string `json:"referenceType"`
		Locator  string `json:"referenceLocator"`
	}
	var pkgs []map[string]any
	for i, p := range []struct{ name, version, purl string }{
		{"tar", "1.34+dfsg-1.2+deb12u1", purlTar},
		{"libc6", "2.36-9+deb12u99", purlLibc6New},
		{"linux", "6.1.153-1", purlLinux},
	} {
		pkgs = append(pkgs, map[string]any{"name": p.name, "SPDXID": fmt.Sprintf("SPDXRef-Package-%d", i), "versionInfo": p.version,
			"downloadLocation": "NOASSERTION", "externalRefs": []ref{{"PACKAGE-MANAGER", "purl", p.purl}}})
	}
	b, err := json.Marshal(map[string]any{"spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "app",
		"documentNamespace": "https://example.com/app", "creationInfo": map[string]any{"created": "2026-11-01T00:00:00Z", "creators": []string{"Tool: test"}},
		"packages": pkgs})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pushDerived pushes an image built FROM base under host/repo:1, with the
// real BuildKit provenance naming claim (base when empty) and the derived
// SBOM, unsigned in the index.
func pushDerived(t testing.TB, host, repo, base, claim string, labels map[string]string) *dhitest.Image {
	t.Helper()
	app, err := dhitest.TarLayer("app/main.py", "print('hello')")
	if err != nil {
		t.Fatal(err)
	}
	img, err := dhitest.PushDerived(context.Background(), host+"/"+repo+":1", dhitest.DerivedSpec{Base: base, BaseClaim: claim,
		Layers: [][]byte{app}, Labels: labels, Provenance: buildkitProvenance(t),
		Docs: []dhitest.Doc{{PredicateType: "https://spdx.dev/Document", Predicate: derivedSBOM(t)}}})
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// pinned returns the digest reference of a pushed image.
func pinned(img *dhitest.Image) string {
	return strings.TrimSuffix(img.Ref, ":1") + "@" + img.Index.Digest.String()
}

var lineageClock = dhi.WithClock(func() time.Time { return time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC) })

func TestLineage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		reg  func(testing.TB) *registrytest.Server
	}{
		{"cuelabs", func(tb testing.TB) *registrytest.Server { return registrytest.New(tb) }},
		{"distribution", func(tb testing.TB) *registrytest.Server { return registrytest.External(tb) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			reg := tc.reg(t)
			priv, key := newSigner(t)
			repo := fmt.Sprintf("dhi/python-%d", time.Now().UnixNano())
			base := pushBase(t, reg.Host, repo, priv)
			derived := pushDerived(t, reg.Host, repo+"-app", base.Ref, "", nil)
			img := open(t, pinned(derived), dhi.WithBoundByDigest(), dhi.WithBaseKeys(key), lineageClock)
			defer img.Close()
			p := img.Platforms[0]
			for _, a := range p.Attestations {
				if a.Trust != dhi.TrustBoundByDigest || !a.Used || a.Verified {
					t.Errorf("%s: trust %q used %v verified %v, want bound-by-digest, used, not verified", a.PredicateType, a.Trust, a.Used, a.Verified)
				}
			}
			l, err := p.Lineage(context.Background())
			if err != nil {
				t.Fatalf("Lineage() error = %v (failures %v)", err, l.Failures)
			}
			b := l.Base()
			if b == nil || len(l.Chain) != 1 || b.Layers != 2 || b.Index != base.Index.Digest || b.Digest != base.Platforms[0].Digest {
				t.Fatalf("Lineage() chain = %+v, want the base at %s with 2 layers", l.Chain, base.Index.Digest)
			}
			if b.Claim.Source != dhi.ClaimSLSAProvenance || b.Claim.Platform != "linux/amd64" || len(l.Claims) != 1 {
				t.Errorf("claims %+v, want one SLSA provenance claim for linux/amd64 (the SBOM scanner is not a base)", l.Claims)
			}
			if l.ChainIDLabel == "" || l.ChainIDLabel != b.ChainID {
				t.Errorf("chain-id label %q, base ChainID %q", l.ChainIDLabel, b.ChainID)
			}
			checkInheritance(t, p, b)
			if _, err := p.BaseJoin(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			r := img.Report().Platforms[0]
			if r.Lineage == nil || !r.Lineage.Proven || r.Lineage.Inherited == nil || r.Lineage.Inherited.FromBase != 1 || r.Lineage.Inherited.Added != 2 {
				t.Errorf("report lineage = %+v, want proven, 1 package from the base and 2 added", r.Lineage)
			}
			if r.Attestations[0].Trust != dhi.TrustBoundByDigest {
				t.Errorf("report trust = %q, want bound-by-digest", r.Attestations[0].Trust)
			}
		})
	}
}

// checkInheritance checks the join of the derived platform with its base.
func checkInheritance(t *testing.T, p *dhi.Platform, b *dhi.BaseLink) {
	t.Helper()
	findings := []vuln.Finding{
		{ID: "CVE-2005-2541", PURL: purlTar, Severity: vuln.SeverityHigh},
		{ID: "CVE-2019-9192", PURL: purlLibc6New, Severity: vuln.SeverityHigh},
		{ID: "CVE-2025-38099", PURL: purlLinux, Severity: vuln.SeverityHigh},
	}
	j, err := p.BaseJoin(context.Background(), findings)
	if err != nil {
		t.Fatal(err)
	}
	origins := map[string]dhi.Origin{}
	for _, pk := range j.Packages {
		origins[pk.Name] = pk.Origin
	}
	if want := map[string]dhi.Origin{"tar": dhi.OriginBase, "libc6": dhi.OriginAdded, "linux": dhi.OriginAdded}; fmt.Sprint(origins) != fmt.Sprint(want) {
		t.Errorf("origins %v, want %v", origins, want)
	}
	for _, v := range j.Vulnerabilities {
		switch v.PURL {
		case purlTar:
			if v.Status != vex.StatusNotAffected || v.InheritedFrom != b.Digest || v.Statement == nil || v.Origin != dhi.OriginBase {
				t.Errorf("tar (in base and derived): status %q from %v, want not_affected inherited from %s", v.Status, v.InheritedFrom, b.Digest)
			}
		default:
			if v.Status != "" || v.Statement != nil || v.Origin != dhi.OriginAdded {
				t.Errorf("%s %s: status %q origin %q, want none: the derived build changed or added the package", v.ID, v.PURL, v.Status, v.Origin)
			}
		}
	}
	if j.Lifecycle.Name != "dhi/python" || j.Lifecycle.PastEndOfLife || j.Lifecycle.Update == nil || j.Lifecycle.Update.Available {
		t.Errorf("lifecycle %+v, want dhi/python, supported, tag not moved", j.Lifecycle)
	}
}

func TestLineageLies(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	priv, key := newSigner(t)
	base := pushBase(t, reg.Host, "dhi/python", priv)
	other := pushBase(t, reg.Host, "dhi/other", priv)
	untrustedPriv, untrustedKey := newSigner(t)
	untrusted := pushBase(t, reg.Host, "dhi/untrusted", untrustedPriv)
	gone, err := dhitest.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	goneBase := pushBase(t, gone.Host, "dhi/gone", priv)

	for _, tc := range []struct {
		name   string
		build  func(t *testing.T) string
		link   dhi.LineageLink
		detail string
	}{
		{"provenance names a base whose layers are not a prefix", func(t *testing.T) string {
			return pinned(pushDerived(t, reg.Host, "app/prefix", base.Ref, other.Ref, nil))
		}, dhi.LinkLayerPrefix, "layer 0 is"},
		{"chain-id label disagrees", func(t *testing.T) string {
			return pinned(pushDerived(t, reg.Host, "app/chainid", base.Ref, "", map[string]string{dhi.LabelChainID: "sha256:" + strings.Repeat("0", 64)}))
		}, dhi.LinkChainID, "the base's layers have ChainID"},
		{"base signed by an untrusted key", func(t *testing.T) string {
			return pinned(pushDerived(t, reg.Host, "app/untrusted", untrusted.Ref, "", nil))
		}, dhi.LinkBaseSignature, "not with a key trusted for bases"},
		{"base cannot be reached", func(t *testing.T) string {
			d := pinned(pushDerived(t, reg.Host, "app/gone", base.Ref, goneBase.Ref, nil))
			if err := gone.Close(); err != nil {
				t.Fatal(err)
			}
			return d
		}, dhi.LinkReach, ""},
		{"cycle", func(t *testing.T) string {
			// Built once to learn the platform manifest digest, then again
			// with provenance naming that manifest: the image claims itself.
			first := pushDerived(t, reg.Host, "app/cycle", base.Ref, "", nil)
			self := pushDerived(t, reg.Host, "app/cycle", base.Ref, reg.Host+"/app/cycle:1", nil)
			if self.Platforms[0].Digest != first.Platforms[0].Digest {
				t.Fatal("the platform manifest changed")
			}
			return pinned(self)
		}, dhi.LinkCycle, "already in the lineage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ref := tc.build(t)
			// The derived image's trust settings (here trusting the
			// untrusted key, and unverified attestations) never apply to
			// its bases.
			img := open(t, ref, dhi.WithBoundByDigest(), dhi.WithBaseKeys(key), lineageClock,
				dhi.WithKeys(untrustedKey), dhi.WithUnverifiedUnsafe())
			defer img.Close()
			p := img.Platforms[0]
			l, err := p.Lineage(context.Background())
			var le *dhi.LineageError
			if !errors.As(err, &le) || !errors.Is(err, dhi.ErrLineage) {
				t.Fatalf("Lineage() error = %v, want a *LineageError", err)
			}
			found := false
			for _, f := range l.Failures {
				var fe *dhi.LineageError
				if errors.As(f, &fe) && fe.Link == tc.link && strings.Contains(fe.Error(), tc.detail) {
					found = true
					if fe.Image == "" || fe.Platform != "linux/amd64" || (tc.link != dhi.LinkChainID && fe.Base == "") {
						t.Errorf("failure %v does not name the image, platform and base", fe)
					}
				}
			}
			if !found {
				t.Errorf("failures %v, want a %s failure with %q", l.Failures, tc.link, tc.detail)
			}
			if l.Base() != nil {
				t.Errorf("Base() = %+v, want nil: nothing is inherited from a base that failed a check", l.Base())
			}
			if _, err := p.BaseJoin(context.Background(), nil); !errors.Is(err, dhi.ErrLineage) {
				t.Errorf("BaseJoin() error = %v, want ErrLineage", err)
			}
			// The derived image's own model still works.
			if pk, err := p.Packages(); err != nil || len(pk) != 3 {
				t.Errorf("Packages() = %d packages, %v; want the derived SBOM's 3", len(pk), err)
			}
		})
	}
}

func TestTrustLevelByTag(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	priv, key := newSigner(t)
	base := pushBase(t, reg.Host, "dhi/python", priv)
	derived := pushDerived(t, reg.Host, "app/tag", base.Ref, "", nil)
	img := open(t, derived.Ref, dhi.WithBoundByDigest(), dhi.WithBaseKeys(key))
	defer img.Close()
	p := img.Platforms[0]
	for _, a := range p.Attestations {
		if a.Trust != dhi.TrustUnverified || a.Used {
			t.Errorf("%s opened by tag: trust %q used %v, want unverified and unused", a.PredicateType, a.Trust, a.Used)
		}
	}
	if _, err := p.SBOMs(); !errors.Is(err, dhi.ErrNoAttestation) {
		t.Errorf("SBOMs() error = %v, want ErrNoAttestation", err)
	}
	// The provenance still leads to the base, which the layers prove.
	if l, err := p.Lineage(context.Background()); err != nil || l.Base() == nil {
		t.Errorf("Lineage() = %v, want the base proven from the layers", err)
	}
	// The base's attestations, signed with a trusted key, are signed.
	signed := open(t, base.Ref, dhi.WithKeys(key))
	defer signed.Close()
	for _, a := range signed.Platforms[0].Attestations {
		if a.Trust != dhi.TrustSigned {
			t.Errorf("%s of the base: trust %q, want signed", a.PredicateType, a.Trust)
		}
	}
	// Without WithBoundByDigest, the pinned image's attestations are bound
	// but not used.
	img2 := open(t, pinned(derived), dhi.WithBaseKeys(key))
	defer img2.Close()
	for _, a := range img2.Platforms[0].Attestations {
		if a.Trust != dhi.TrustBoundByDigest || a.Used {
			t.Errorf("%s pinned without the option: trust %q used %v, want bound-by-digest, unused", a.PredicateType, a.Trust, a.Used)
		}
	}
}

func TestLineageChain(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	priv, key := newSigner(t)
	base := pushBase(t, reg.Host, "dhi/python", priv)
	company := pushDerived(t, reg.Host, "company/base", base.Ref, "", nil)
	app := pushDerived(t, reg.Host, "company/app", company.Ref, "", nil)

	img := open(t, pinned(app), dhi.WithBaseKeys(key))
	defer img.Close()
	l, err := img.Platforms[0].Lineage(context.Background())
	if err != nil {
		t.Fatalf("Lineage() error = %v", err)
	}
	if len(l.Chain) != 2 || l.Chain[0].Signed || l.Base() == nil || l.Base().Digest != base.Platforms[0].Digest || l.Chain[0].Layers != 3 {
		t.Fatalf("chain %+v, want company/base (3 layers, unsigned) then the signed base", l.Chain)
	}

	shallow := open(t, pinned(app), dhi.WithBaseKeys(key), dhi.WithLineageDepth(1))
	defer shallow.Close()
	l, err = shallow.Platforms[0].Lineage(context.Background())
	var le *dhi.LineageError
	if !errors.As(err, &le) || le.Link != dhi.LinkDepth || l.Base() != nil {
		t.Errorf("Lineage() with depth 1 error = %v, want a depth failure", err)
	}
}

func TestLineageFromScoutProvenance(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	priv, key := newSigner(t)
	base := pushBase(t, reg.Host, "dhi/python", priv)
	scout := []byte(fmt.Sprintf(`{"base_image":%q}`, base.Ref))
	app, err := dhitest.TarLayer("app/main.py", "print('hello')")
	if err != nil {
		t.Fatal(err)
	}
	derived, err := dhitest.PushDerived(context.Background(), reg.Host+"/app/scout:1", dhitest.DerivedSpec{Base: base.Ref, Layers: [][]byte{app},
		Docs: []dhitest.Doc{{PredicateType: "https://scout.docker.com/provenance/v0.1", Predicate: scout}}})
	if err != nil {
		t.Fatal(err)
	}
	img := open(t, derived.Ref, dhi.WithBaseKeys(key))
	defer img.Close()
	l, err := img.Platforms[0].Lineage(context.Background())
	if err != nil {
		t.Fatalf("Lineage() error = %v", err)
	}
	if b := l.Base(); b == nil || b.Claim.Source != dhi.ClaimScoutProvenance || b.Digest != base.Platforms[0].Digest || b.Layers != 2 {
		t.Errorf("Lineage() base = %+v, want the base from the Scout provenance, 2 layers", b)
	}
}

func TestLineageFromSLSAv02Materials(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	priv, key := newSigner(t)
	base := pushBase(t, reg.Host, "dhi/python", priv)
	// The real BuildKit v0.2 provenance (mode=min: materials, no build
	// definition), its busybox material replaced by the base, as BuildKit
	// names it: package URL with tag and platform, index digest.
	var md map[string]json.RawMessage
	if err := json.Unmarshal(fixture.Bytes(t, "slsa-provenance/buildkit_slsa0.2_buildx-metadata.json"), &md); err != nil {
		t.Fatal(err)
	}
	var pred map[string]any
	if err := json.Unmarshal(md["buildx.build.provenance"], &pred); err != nil {
		t.Fatal(err)
	}
	for _, m := range pred["materials"].([]any) {
		m := m.(map[string]any)
		if strings.HasPrefix(m["uri"].(string), "pkg:docker/busybox@") {
			m["uri"] = "pkg:docker/" + reg.Host + "/dhi/python@3.13?platform=linux%2Famd64"
			m["digest"] = map[string]string{"sha256": base.Index.Digest.Hex}
		}
	}
	prov, err := json.Marshal(pred)
	if err != nil {
		t.Fatal(err)
	}
	app, err := dhitest.TarLayer("app/main.py", "print('hello')")
	if err != nil {
		t.Fatal(err)
	}
	derived, err := dhitest.PushDerived(context.Background(), reg.Host+"/app/v02:1", dhitest.DerivedSpec{Base: base.Ref, Layers: [][]byte{app},
		Docs: []dhitest.Doc{{PredicateType: "https://slsa.dev/provenance/v0.2", Predicate: prov}}})
	if err != nil {
		t.Fatal(err)
	}
	img := open(t, derived.Ref, dhi.WithBaseKeys(key))
	defer img.Close()
	l, err := img.Platforms[0].Lineage(context.Background())
	if err != nil {
		t.Fatalf("Lineage() error = %v", err)
	}
	if b := l.Base(); b == nil || b.Claim.Source != dhi.ClaimSLSAProvenance || b.Index != base.Index.Digest || len(l.Claims) != 1 {
		t.Errorf("Lineage() = claims %+v, base %+v; want the base from the materials (the frontend image is not a base)", l.Claims, b)
	}
}

func TestLineageOptions(t *testing.T) {
	t.Parallel()
	_, key := newSigner(t)
	kr, err := dhi.Keys()
	if err != nil {
		t.Fatal(err)
	}
	v, err := attest.NewVerifier(kr)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts []dhi.Option
		want string
	}{
		{"depth 0", []dhi.Option{dhi.WithLineageDepth(0)}, "from 1 to 16"},
		{"depth 17", []dhi.Option{dhi.WithLineageDepth(17)}, "from 1 to 16"},
		{"no base key", []dhi.Option{dhi.WithBaseKeys()}, "no key given"},
		{"nil base key", []dhi.Option{dhi.WithBaseKeys(nil)}, "nil key"},
		{"nil base verifier", []dhi.Option{dhi.WithBaseVerifier(nil)}, "nil verifier"},
		{"base verifier then keys", []dhi.Option{dhi.WithBaseVerifier(v), dhi.WithBaseKeys(key)}, "cannot be combined"},
		{"base keys then verifier", []dhi.Option{dhi.WithBaseKeys(key), dhi.WithBaseVerifier(v)}, "cannot be combined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := dhi.Open(context.Background(), "127.0.0.1:1/x:1", tc.opts...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Open() error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestBaseUpdateAvailable(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	priv, key := newSigner(t)
	base := pushBase(t, reg.Host, "dhi/python", priv)
	derived := pushDerived(t, reg.Host, "app/update", base.Ref, "", nil)
	// A newer base is pushed under the same tag.
	newer, err := dhitest.Push(context.Background(), base.Ref, "", dhitest.Spec{Labels: map[string]string{"v": "2"}, Platforms: []v1.Platform{amd64}})
	if err != nil {
		t.Fatal(err)
	}
	img := open(t, pinned(derived), dhi.WithBoundByDigest(), dhi.WithBaseKeys(key), lineageClock)
	defer img.Close()
	j, err := img.Platforms[0].BaseJoin(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	u := j.Lifecycle.Update
	if u == nil || !u.Available || u.Latest != newer.Index.Digest || u.Current != base.Index.Digest {
		t.Fatalf("Update = %+v, want available: %s now names %s", u, base.Ref, newer.Index.Digest)
	}
	if !j.Lifecycle.UpdateAvailableFor(30*24*time.Hour) || j.Lifecycle.UpdateAvailableFor(20*365*24*time.Hour) {
		t.Errorf("UpdateAvailableFor: the base is %s old", j.Lifecycle.Age)
	}
}
