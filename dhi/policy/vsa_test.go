package policy_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/dhi/policy"
	"github.com/dhisdk/dhisdk/internal/registrytest"
	"github.com/dhisdk/dhisdk/provenance"
)

const verifierID = "https://verifier.example.test/dhisdk-policy"

// summaryOf is what the tests compare of a re-read VSA.
type summaryOf struct {
	Verifier       string
	ResourceURI    string
	PolicyDigest   string
	Inputs         int
	Result         provenance.VerificationResult
	VerifiedLevels []string
	TimeVerified   time.Time
}

// The VSA written for an evaluation is found again by the SDK's discovery
// and verifies with the signer's key, and only with it; on registries with
// and without the referrers API.
func TestVSARoundTrip(t *testing.T) {
	t.Parallel()
	s, other := keys(t)
	vsaSigner := newSigner(t, "vsa")
	now := time.Date(2025, 10, 3, 12, 0, 0, 0, time.UTC)
	for _, reg := range []struct {
		name string
		opts []registrytest.Option
	}{{"referrers API", nil}, {"referrers tag schema", []registrytest.Option{registrytest.WithoutReferrersAPI()}}} {
		t.Run(reg.name, func(t *testing.T) {
			t.Parallel()
			srv := registrytest.New(t, reg.opts...)
			b := buildImage(t, srv.Host, "dhi/python", s, spec{user: "nonroot", labels: map[string]string{"com.docker.dhi.shell": "bash", "com.docker.dhi.package-manager": "apt"}, docs: defaultDocs(t, nil)})
			p := openPlatform(t, b.ref, s.key)
			e := engine(t, testPolicies(t), s, policy.WithConfig(sampleConfig(t, "")), policy.WithClock(fixedClock(now)))
			ev, err := e.Evaluate(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			if !ev.Passed() {
				t.Fatalf("evaluation failed: %+v", ev.Results)
			}
			stmt, err := ev.VSA(verifierID, policy.WithVerifiedLevels("SLSA_BUILD_LEVEL_3"))
			if err != nil {
				t.Fatal(err)
			}
			bundle, err := attest.SignBundle(stmt, vsaSigner.sv)
			if err != nil {
				t.Fatal(err)
			}
			desc, err := attest.Attach(context.Background(), ev.Image, bundle)
			if err != nil {
				t.Fatal(err)
			}

			// With the VSA signer's key: found, verified, and read back.
			p = openPlatform(t, b.ref, s.key, vsaSigner.key)
			var att *dhi.Attestation
			for _, a := range p.Used(dhi.KindVSA) {
				if a.Discovered.Manifest.Digest == desc.Digest {
					att = a
				}
			}
			if att == nil || !att.Verified {
				t.Fatalf("the attached VSA %s is not among the verified VSAs of %s", desc.Digest, b.ref)
			}
			if c, ok := att.Result.Check(attest.LinkSubject); !ok || c.Status != attest.CheckPassed {
				t.Errorf("subject check = %+v, want passed", c)
			}
			vsa, err := p.VSA()
			if err != nil {
				t.Fatal(err)
			}
			got := summaryOf{Verifier: vsa.Verifier.ID, ResourceURI: vsa.ResourceURI, Inputs: len(vsa.InputAttestations),
				Result: vsa.Result, VerifiedLevels: vsa.VerifiedLevels, TimeVerified: vsa.TimeVerified, PolicyDigest: "sha256:" + vsa.Policy.Digest["sha256"]}
			want := summaryOf{Verifier: verifierID, ResourceURI: b.repo + "@" + b.platform.String(), PolicyDigest: e.Digest(),
				Inputs: len(ev.Inputs), Result: provenance.ResultPassed, VerifiedLevels: []string{"SLSA_BUILD_LEVEL_3"}, TimeVerified: now}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("VSA (-want +got):\n%s", diff)
			}
			if len(ev.Inputs) != 8 {
				t.Errorf("the policies read %d attestations, want the 8 of the image", len(ev.Inputs))
			}

			// With another key in place of the VSA signer's: rejected.
			p = openPlatform(t, b.ref, s.key, other.key)
			for _, a := range p.Attestations {
				if a.Discovered.Manifest.Digest == desc.Digest && (a.Verified || a.Err == nil) {
					t.Errorf("the VSA verified with another key")
				}
			}
			if _, err := p.VSA(); !errors.Is(err, dhi.ErrNoAttestation) {
				t.Errorf("VSA() with another key error = %v, want ErrNoAttestation", err)
			}
		})
	}
}

// A failing evaluation gives a FAILED summary with no verified level.
func TestVSAFailed(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t)
	s, _ := keys(t)
	b := buildImage(t, reg.Host, "dhi/python", s, spec{docs: defaultDocs(t, nil, ptSPDX)})
	p := openPlatform(t, b.ref, s.key)
	ev, err := engine(t, testPolicies(t), s, policy.WithConfig(sampleConfig(t, ""))).Evaluate(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	stmt, err := ev.VSA(verifierID, policy.WithVerifiedLevels("SLSA_BUILD_LEVEL_3"), policy.WithPolicyURI("https://policies.example.test/sample"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := provenance.Parse(stmt)
	if err != nil {
		t.Fatal(err)
	}
	if st.VSA == nil || st.VSA.Result != provenance.ResultFailed || len(st.VSA.VerifiedLevels) != 0 || st.VSA.Policy.URI != "https://policies.example.test/sample" {
		t.Errorf("VSA = %+v, want FAILED, no level, the policy URI given", st.VSA)
	}
}

// AttachLayout writes the VSA into an OCI layout, where opening the layout
// finds it.
func TestVSAInLayout(t *testing.T) {
	t.Parallel()
	s, _ := keys(t)
	vsaSigner := newSigner(t, "vsa")
	docs := defaultDocs(t, nil)
	var dd []dhitest.Doc
	for _, d := range docs {
		dd = append(dd, dhitest.Doc{PredicateType: d.predicateType, Predicate: d.predicate})
	}
	dir := t.TempDir()
	if _, err := dhitest.WriteLayout(dir, "python:3.13", dhitest.Spec{Docs: dd, Signer: s.priv, Platforms: nil}); err != nil {
		t.Fatal(err)
	}
	open := func(keys ...*attest.Key) *dhi.Platform {
		t.Helper()
		src, err := attest.Layout(dir)
		if err != nil {
			t.Fatal(err)
		}
		kr, err := attest.NewKeyring(keys...)
		if err != nil {
			t.Fatal(err)
		}
		img, err := dhi.Open(context.Background(), "python:3.13", dhi.WithStorage(src), dhi.WithKeyring(kr))
		if err != nil {
			t.Fatal(err)
		}
		return img.Platforms[0]
	}
	p := open(s.key)
	ev, err := engine(t, testPolicies(t), s, policy.WithConfig(sampleConfig(t, ""))).Evaluate(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	stmt, err := ev.VSA(verifierID)
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := attest.SignBundle(stmt, vsaSigner.sv)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := attest.AttachLayout(context.Background(), dir, p.Descriptor.Digest, bundle); err != nil {
		t.Fatal(err)
	}
	vsa, err := open(s.key, vsaSigner.key).VSA()
	if err != nil {
		t.Fatal(err)
	}
	if vsa.Verifier.ID != verifierID || vsa.Result != provenance.ResultFailed {
		t.Errorf("VSA = %s %s, want %s FAILED (the sample runs as root)", vsa.Verifier.ID, vsa.Result, verifierID)
	}
}
