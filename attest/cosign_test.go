package attest_test

// End-to-end tests with real cosign v3: cosign writes attestations and
// signatures in its new bundle format and its legacy formats to real test
// registries, and discovery must find each where cosign put it.

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/internal/fixture"
	"github.com/dhisdk/dhisdk/internal/registrytest"
)

const ptScoutTests = "https://scout.docker.com/tests/v0.1"

// envCosign names the cosign binary the tests run; .ci/run installs cosign
// v3.1.3 and sets it. Without it, cosign is looked up on PATH.
const envCosign = "DHISDK_COSIGN"

type cosign struct {
	bin, dir string
	pubPEM   []byte
}

// newCosign prepares a cosign working directory with a fresh key pair and
// an offline signing configuration (no Fulcio, Rekor or TSA).
func newCosign(t *testing.T) *cosign {
	t.Helper()
	bin := os.Getenv(envCosign)
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("cosign"); err != nil {
			registrytest.Require(t, "cosign v3 is not installed (set %s or put cosign on PATH; .ci/run installs it)", envCosign)
			return nil
		}
	}
	c := &cosign{bin: bin, dir: t.TempDir()}
	c.run(t, "generate-key-pair")
	pub, err := os.ReadFile(filepath.Join(c.dir, "cosign.pub"))
	if err != nil {
		t.Fatal(err)
	}
	c.pubPEM = pub
	signingConfig := `{"mediaType":"application/vnd.dev.sigstore.signingconfig.v0.2+json","caUrls":[],"oidcUrls":[],"rekorTlogUrls":[],"rekorTlogConfig":{"selector":"ANY"},"tsaUrls":[],"tsaConfig":{"selector":"ANY"}}`
	c.write(t, "signing_config.json", []byte(signingConfig))
	c.write(t, "trusted_root.json", fixture.Bytes(t, "sigstore-bundles/sigstore-go_trusted-root-public-good.json"))
	return c
}

// verifier returns a verifier trusting the key pair's public key, with
// opts.
func (c *cosign) verifier(t *testing.T, keyOpts []attest.KeyOption, opts ...attest.VerifierOption) *attest.Verifier {
	t.Helper()
	k, err := attest.ParseKey(c.pubPEM, keyOpts...)
	if err != nil {
		t.Fatal(err)
	}
	return mustVerifier(t, mustKeyring(t, k), opts...)
}

func (c *cosign) write(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(c.dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func (c *cosign) run(t *testing.T, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.bin, args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "COSIGN_PASSWORD=test", "HOME="+c.dir, "COSIGN_EXPERIMENTAL=1", "TUF_ROOT="+filepath.Join(c.dir, "tuf"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("cosign %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// attest attaches predicate to image in cosign's new bundle format.
func (c *cosign) attest(t *testing.T, typ, predicate, image string) {
	t.Helper()
	c.run(t, "attest", "--key", "cosign.key", "--signing-config", "signing_config.json", "--trusted-root", "trusted_root.json",
		"--allow-http-registry", "-y", "--type", typ, "--predicate", predicate, image)
}

// legacy returns the flags that make cosign write its pre-bundle formats
// offline.
func legacy() []string {
	return []string{"--key", "cosign.key", "--use-signing-config=false", "--tlog-upload=false", "--new-bundle-format=false", "--allow-http-registry", "-y"}
}

// cosignRegistries are the registries the cosign tests write to, with the
// mechanism through which referrers are found there.
func cosignRegistries() []struct {
	name   string
	server func(t *testing.T) *registrytest.Server
	mech   attest.Mechanism
} {
	return []struct {
		name   string
		server func(t *testing.T) *registrytest.Server
		mech   attest.Mechanism
	}{
		{"conformant registry", func(t *testing.T) *registrytest.Server { return registrytest.New(t) }, attest.MechanismReferrersAPI},
		{"real registry server", func(t *testing.T) *registrytest.Server { return registrytest.External(t) }, attest.MechanismReferrersTag},
	}
}

func predicateFile(t *testing.T, c *cosign) map[string]string {
	t.Helper()
	var prov struct {
		Predicate json.RawMessage `json:"predicate"`
	}
	if err := json.Unmarshal(fixture.Bytes(t, "slsa-provenance/buildkit_slsa1_mode-max.intoto-statement.json"), &prov); err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"openvex":         c.write(t, "vex.json", fixture.Bytes(t, "openvex/go-vex_v0.2.0.json")),
		"cyclonedx":       c.write(t, "sbom.cdx.json", fixture.Bytes(t, "cyclonedx/trivy_fluentd-container.cdx-1.6.json")),
		"slsaprovenance1": c.write(t, "prov.json", prov.Predicate),
		// cosign accepts only JSON objects as custom predicates; this is the
		// shape of the Scout test results DHI images carry.
		ptScoutTests: c.write(t, "tests.json", []byte(`{"results":{"summary":{"failed":0,"passed":12}}}`)),
	}
}

func TestCosignBundleAttestations(t *testing.T) {
	t.Parallel()
	for _, r := range cosignRegistries() {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			c := newCosign(t)
			reg := r.server(t)
			repo := reg.Host + "/cosign/bundle-" + strings.ToLower(randText(8))
			img := push(t, repo+":1", "", dhitest.Spec{})
			target := img.Platforms[0]
			ref := repo + "@" + target.Digest.String()
			preds := predicateFile(t, c)
			for typ, file := range preds {
				c.attest(t, typ, file, ref)
			}
			c.run(t, "sign", "--key", "cosign.key", "--signing-config", "signing_config.json", "--trusted-root", "trusted_root.json", "--allow-http-registry", "-y", ref)

			d, err := attest.Discover(context.Background(), registrySource(t), img.Ref)
			if err != nil {
				t.Fatalf("Discover() error = %v", err)
			}
			stranger := newCosign(t).verifier(t, nil)
			want := map[string]bool{"https://openvex.dev/ns": true, "https://cyclonedx.org/bom": true, ptSLSA1: true, ptScoutTests: true}
			for _, a := range d.Attestations {
				if a.Err != nil || a.Content == nil {
					t.Errorf("attestation %s: %v", a.Manifest.Digest, a.Err)
					continue
				}
				if !want[a.PredicateType] {
					t.Errorf("unexpected attestation of type %q", a.PredicateType)
				}
				delete(want, a.PredicateType)
				if a.Target.Digest != target.Digest || a.Mechanism() != r.mech || a.Content.Format != attest.FormatBundle {
					t.Errorf("attestation %s: target %s, mechanism %s, format %s; want %s, %s, %s", a.PredicateType, a.Target.Digest, a.Mechanism(), a.Content.Format, target.Digest, r.mech, attest.FormatBundle)
				}
				if !a.Content.Statement.HasSubject(target.Digest.String()) {
					t.Errorf("attestation %s does not name %s", a.PredicateType, target.Digest)
				}
				if _, err := c.verifier(t, nil).Verify(a); err != nil {
					t.Errorf("Verify(%s) error = %v", a.PredicateType, err)
				}
				res, err := stranger.Verify(a)
				wantFailure(t, res, err, attest.LinkSignature, attest.ErrUntrustedKey)
			}
			if len(want) != 0 {
				t.Errorf("attestations not found: %v", want)
			}
			if len(d.Signatures) != 1 || d.Signatures[0].Kind != attest.SignatureBundle || d.Signatures[0].Target.Digest != target.Digest || d.Signatures[0].Bundle == nil {
				t.Fatalf("image signatures = %+v, want one cosign bundle on %s", d.Signatures, target.Digest)
			}
			if got := d.Signatures[0].Bundle.PredicateType(); got != attest.PredicateTypeCosignSign {
				t.Errorf("image signature predicate type = %q, want %q", got, attest.PredicateTypeCosignSign)
			}
			if _, err := c.verifier(t, nil).VerifySignature(d.Signatures[0], target.Digest); err != nil {
				t.Errorf("VerifySignature(image signature) error = %v", err)
			}
		})
	}
}

func TestCosignLegacyFormats(t *testing.T) {
	t.Parallel()
	for _, r := range cosignRegistries() {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			c := newCosign(t)
			reg := r.server(t)
			repo := reg.Host + "/cosign/legacy-" + strings.ToLower(randText(8))
			img := push(t, repo+":1", "", dhitest.Spec{})
			target := img.Platforms[1]
			ref := repo + "@" + target.Digest.String()
			preds := predicateFile(t, c)
			c.run(t, append(append([]string{"attest"}, legacy()...), "--type", "openvex", "--predicate", preds["openvex"], ref)...)
			c.run(t, append(append([]string{"attest"}, legacy()...), "--type", "slsaprovenance1", "--predicate", preds["slsaprovenance1"], ref)...)
			c.run(t, append(append([]string{"sign"}, legacy()...), ref)...)

			d, err := attest.Discover(context.Background(), registrySource(t), img.Ref)
			if err != nil {
				t.Fatalf("Discover() error = %v", err)
			}
			if len(d.Attestations) != 2 {
				t.Fatalf("Discover() found %d attestations, want 2", len(d.Attestations))
			}
			for _, a := range d.Attestations {
				if a.Err != nil || a.Content == nil || a.Content.Format != attest.FormatDSSE || a.Mechanism() != attest.MechanismCosignAttTag {
					t.Fatalf("attestation %s: format %v, mechanism %s, err %v; want a DSSE envelope from the .att tag", a.PredicateType, a.Content, a.Mechanism(), a.Err)
				}
				if len(a.Content.Envelope.Signatures) != 1 || !a.Content.Statement.HasSubject(target.Digest.String()) {
					t.Errorf("attestation %s: %d signatures, subjects %v", a.PredicateType, len(a.Content.Envelope.Signatures), a.Content.Statement.Subject)
				}
				if _, err := c.verifier(t, nil).Verify(a); err != nil {
					t.Errorf("Verify(%s) error = %v", a.PredicateType, err)
				}
			}
			if d.Attestations[0].PredicateType != "https://openvex.dev/ns" || d.Attestations[1].PredicateType != ptSLSA1 {
				t.Errorf("predicate types = %s, %s", d.Attestations[0].PredicateType, d.Attestations[1].PredicateType)
			}
			if len(d.Signatures) != 1 {
				t.Fatalf("image signatures = %d, want 1", len(d.Signatures))
			}
			s := d.Signatures[0]
			if s.Kind != attest.SignatureSimpleSigning || s.Locations[0].Mechanism != attest.MechanismCosignSigTag || len(s.Value) == 0 || !strings.Contains(string(s.Payload), target.Digest.String()) {
				t.Errorf("image signature: kind %s, mechanism %s, %d bytes, payload %s", s.Kind, s.Locations[0].Mechanism, len(s.Value), s.Payload)
			}
			if _, err := c.verifier(t, nil).VerifySignature(s, target.Digest); err != nil {
				t.Errorf("VerifySignature(.sig) error = %v", err)
			}

			// Exported to an OCI layout, the legacy tags are found again,
			// offline, and still verify.
			dir := filepath.Join(t.TempDir(), "layout")
			if err := attest.Export(context.Background(), registrySource(t), d, dir, "1"); err != nil {
				t.Fatalf("Export() error = %v", err)
			}
			l, err := attest.Layout(dir)
			if err != nil {
				t.Fatal(err)
			}
			ld, err := attest.Discover(context.Background(), l, "1")
			if err != nil {
				t.Fatalf("Discover(layout) error = %v", err)
			}
			if len(ld.Attestations) != 2 || ld.Attestations[0].Mechanism() != attest.MechanismCosignAttTag || len(ld.Signatures) != 1 {
				t.Fatalf("Discover(layout) = %d attestations, %d signatures", len(ld.Attestations), len(ld.Signatures))
			}
			for _, a := range ld.Attestations {
				if _, err := c.verifier(t, nil).Verify(a); err != nil {
					t.Errorf("Verify(exported %s) error = %v", a.PredicateType, err)
				}
			}
		})
	}
}

// TestCosignSignsAttestationManifests signs the attestation manifests of a
// DHI-shaped image the way Docker does (cosign simple signing, stored as
// OCI 1.1 referrers) and in cosign's bundle format.
func TestCosignSignsAttestationManifests(t *testing.T) {
	t.Parallel()
	for _, r := range cosignRegistries() {
		for _, bundle := range []bool{false, true} {
			name := r.name + "/simple signing"
			if bundle {
				name = r.name + "/bundle"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				c := newCosign(t)
				reg := r.server(t)
				repo := reg.Host + "/dhi/signed-" + strings.ToLower(randText(8))
				img := push(t, repo+":1", "", dhitest.Spec{Docs: smallDocs(t)[:2]})
				for _, a := range img.Attestations {
					ref := repo + "@" + a.Manifest.Digest.String()
					if bundle {
						c.run(t, "sign", "--key", "cosign.key", "--signing-config", "signing_config.json", "--trusted-root", "trusted_root.json", "--allow-http-registry", "-y", ref)
					} else {
						c.run(t, append(append([]string{"sign"}, legacy()...), "--registry-referrers-mode=oci-1-1", ref)...)
					}
				}
				d, err := attest.Discover(context.Background(), registrySource(t), img.Ref)
				if err != nil {
					t.Fatalf("Discover() error = %v", err)
				}
				if len(d.Attestations) != len(img.Attestations) {
					t.Fatalf("Discover() found %d attestations, want %d", len(d.Attestations), len(img.Attestations))
				}
				for _, a := range d.Attestations {
					if len(a.Signatures) != 1 {
						t.Errorf("attestation %s has %d signatures, want 1", a.Manifest.Digest, len(a.Signatures))
						continue
					}
					s := a.Signatures[0]
					if s.Err != nil || s.Target.Digest != a.Manifest.Digest || s.Locations[0].Mechanism != r.mech {
						t.Errorf("signature of %s: target %s, mechanism %s, err %v", a.Manifest.Digest, s.Target.Digest, s.Locations[0].Mechanism, s.Err)
					}
					switch {
					case bundle && (s.Kind != attest.SignatureBundle || s.Bundle == nil || !s.Bundle.Statement.HasSubject(a.Manifest.Digest.String())):
						t.Errorf("signature of %s: kind %s, want a bundle naming the attestation manifest", a.Manifest.Digest, s.Kind)
					case !bundle && (s.Kind != attest.SignatureSimpleSigning || len(s.Value) == 0 || !strings.Contains(string(s.Payload), a.Manifest.Digest.String())):
						t.Errorf("signature of %s: kind %s, payload %s, want simple signing naming the attestation manifest", a.Manifest.Digest, s.Kind, s.Payload)
					}
					res, err := c.verifier(t, nil).Verify(a)
					if err != nil {
						t.Errorf("Verify(%s) error = %v", a.Manifest.Digest, err)
						continue
					}
					for _, l := range []attest.Link{attest.LinkSignature, attest.LinkManifest, attest.LinkLayer, attest.LinkStatement, attest.LinkSubject, attest.LinkPredicateType} {
						if c, ok := res.Check(l); !ok || c.Status != attest.CheckPassed {
							t.Errorf("Verify(%s): link %s = %+v, want passed", a.Manifest.Digest, l, c)
						}
					}
				}
			})
		}
	}
}

func randText(n int) string { return rand.Text()[:n] }
