package policy_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/policy"
)

// A tampered attestation (its statement changed after signing) is never
// visible to oci.referrer, and cosign.verify_images about it answers with
// an error entry.
func TestTamperedAttestation(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t)
	s, _ := keys(t)
	for _, form := range []struct {
		name   string
		bundle bool
	}{{"bare statement with a simple-signing signature", false}, {"sigstore bundle", true}} {
		t.Run(form.name, func(t *testing.T) {
			t.Parallel()
			docs := defaultDocs(t, map[string][]byte{ptTests: []byte(`{"results": {"summary": {"failed": 4, "passed": 8}}}`)})
			for i := range docs {
				if docs[i].predicateType == ptTests {
					docs[i].tamper, docs[i].bundle = true, form.bundle
				}
			}
			name := "dhi/tampered"
			if form.bundle {
				name += "-bundle"
			}
			b := buildImage(t, reg.Host, name, s, spec{user: "nonroot", docs: docs})
			p := openPlatform(t, b.ref, s.key)
			tampered := b.repo + "@" + b.atts[ptTests].Digest.String()
			e := engine(t, testPolicies(t), s, policy.WithConfig(sampleConfig(t, `, "images": ["`+tampered+`"]`)))
			ev, err := e.Evaluate(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			var tests, signed policy.Result
			for _, r := range ev.Results {
				switch r.Policy {
				case "sample-no-failing-tests":
					tests = r
				case "sample-signed-attestations":
					signed = r
				}
			}
			if tests.Status != policy.StatusFail || len(tests.Violations) != 1 || tests.Violations[0].Message != "no verified test record" {
				t.Errorf("no-failing-tests = %s %+v, want one violation: no verified test record (the tampered record must not be read)", tests.Status, tests.Violations)
			}
			if signed.Status != policy.StatusFail || len(signed.Violations) != 1 || signed.Violations[0].Message != tampered+" does not verify" {
				t.Fatalf("signed-attestations = %s %+v, want one violation about %s", signed.Status, signed.Violations, tampered)
			}
			reason := signed.Violations[0].Detail[1]
			if reason.Name != "reason" || !strings.Contains(reason.Value, "attest: verifying") {
				t.Errorf("verify_images error entry = %+v, want the verifier's reason", reason)
			}
			var found bool
			for _, in := range ev.Inputs {
				if in.Image == tampered {
					found = true
					if in.Verified {
						t.Errorf("input %s marked verified", tampered)
					}
				}
			}
			if !found {
				t.Errorf("inputs %+v do not list the tampered attestation the policy asked about", ev.Inputs)
			}
		})
	}
}

// Attestations that did not verify stay invisible to oci.referrer even when
// the image was opened with dhi.WithUnverifiedUnsafe.
func TestUnverifiedInvisibleUnderUnsafe(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t)
	s, other := keys(t)
	docs := defaultDocs(t, map[string][]byte{ptTests: []byte(`{"results": {"summary": {"failed": 3, "passed": 9}}}`)})
	for i := range docs {
		if docs[i].predicateType == ptTests {
			docs[i].by = other
		}
	}
	b := buildImage(t, reg.Host, "dhi/unsafe", s, spec{user: "nonroot", docs: docs})
	kr, err := attest.NewKeyring(s.key)
	if err != nil {
		t.Fatal(err)
	}
	img, err := dhi.Open(context.Background(), b.ref, dhi.WithKeyring(kr), dhi.WithUnverifiedUnsafe())
	if err != nil {
		t.Fatal(err)
	}
	p := img.Platforms[0]
	if len(p.Used()) != 8 || len(p.Unverified()) != 1 {
		t.Fatalf("used %d, unverified %d; want 8 and 1", len(p.Used()), len(p.Unverified()))
	}
	ev, err := engine(t, testPolicies(t), s, policy.WithConfig(sampleConfig(t, ""))).Evaluate(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range ev.Results {
		if r.Policy == "sample-no-failing-tests" && (len(r.Violations) != 1 || r.Violations[0].Message != "no verified test record") {
			t.Errorf("no-failing-tests = %+v, want the record signed by another key unseen", r.Violations)
		}
	}
}
