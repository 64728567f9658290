package policy_test

// An end-to-end test with real cosign v3: the VSA the SDK signs and
// attaches verifies with cosign verify-attestation, on an in-process
// conformant registry and on the real registry server CI starts.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi/policy"
	"github.com/dhisdk/dhisdk/internal/fixture"
	"github.com/dhisdk/dhisdk/internal/registrytest"
)

// envCosign names the cosign binary the test runs; .ci/run installs cosign
// v3.1.3 and sets it. Without it, cosign is looked up on PATH.
const envCosign = "DHISDK_COSIGN"

func cosignBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv(envCosign); bin != "" {
		return bin
	}
	bin, err := exec.LookPath("cosign")
	if err != nil {
		registrytest.Require(t, "cosign v3 is not installed (set %s or put cosign on PATH; .ci/run installs it)", envCosign)
	}
	return bin
}

// verifyAttestation runs cosign verify-attestation for VSAs of image with
// the public key pub and returns its combined output and error.
func verifyAttestation(t *testing.T, bin string, pub []byte, image string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "key.pub"), pub, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "trusted_root.json"), fixture.Bytes(t, "sigstore-bundles/sigstore-go_trusted-root-public-good.json"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "verify-attestation", "--key", "key.pub", "--type", ptVSA,
		"--insecure-ignore-tlog", "--trusted-root", "trusted_root.json", "--allow-http-registry", image)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir, "TUF_ROOT="+filepath.Join(dir, "tuf"))
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestCosignVerifiesVSA(t *testing.T) {
	t.Parallel()
	bin := cosignBinary(t)
	s, _ := keys(t)
	for _, r := range []struct {
		name   string
		server func(t *testing.T) *registrytest.Server
	}{
		{"conformant registry", func(t *testing.T) *registrytest.Server { return registrytest.New(t) }},
		{"real registry server", func(t *testing.T) *registrytest.Server { return registrytest.External(t) }},
	} {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			srv := r.server(t)
			var suffix [4]byte
			if _, err := rand.Read(suffix[:]); err != nil {
				t.Fatal(err)
			}
			b := buildImage(t, srv.Host, "policy/vsa-"+hex.EncodeToString(suffix[:]), s, spec{user: "nonroot", docs: defaultDocs(t, nil)})
			p := openPlatform(t, b.ref, s.key)
			ev, err := engine(t, testPolicies(t), s, policy.WithConfig(sampleConfig(t, ""))).Evaluate(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			stmt, err := ev.VSA(verifierID)
			if err != nil {
				t.Fatal(err)
			}
			vsaSigner, stranger := newSigner(t, "vsa"), newSigner(t, "stranger")
			bundle, err := attest.SignBundle(stmt, vsaSigner.sv)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := attest.Attach(context.Background(), ev.Image, bundle); err != nil {
				t.Fatal(err)
			}
			out, err := verifyAttestation(t, bin, publicPEM(t, vsaSigner), ev.Image)
			if err != nil {
				t.Fatalf("cosign verify-attestation with the signer's key: %v\n%s", err, out)
			}
			if !strings.Contains(out, `"payloadType":"application/vnd.in-toto+json"`) {
				t.Errorf("cosign printed no envelope:\n%s", out)
			}
			if out, err := verifyAttestation(t, bin, publicPEM(t, stranger), ev.Image); err == nil {
				t.Errorf("cosign verify-attestation with another key succeeded:\n%s", out)
			}
		})
	}
}
