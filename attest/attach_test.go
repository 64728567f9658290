package attest_test

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/sigstore/sigstore/pkg/signature"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/attest/intoto"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/internal/fixture"
	"github.com/dhisdk/dhisdk/internal/registrytest"
)

// attachSigner returns a signer and a verifier trusting only its key.
func attachSigner(t *testing.T) (signature.Signer, *attest.Verifier) {
	t.Helper()
	priv, pub, err := dhitest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	s, err := signature.LoadECDSASigner(priv, crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	k, err := attest.ParseKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	kr, err := attest.NewKeyring(k)
	if err != nil {
		t.Fatal(err)
	}
	v, err := attest.NewVerifier(kr)
	if err != nil {
		t.Fatal(err)
	}
	return s, v
}

func statementAbout(t *testing.T, d v1.Hash) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"_type":         intoto.StatementTypeV1,
		"subject":       []map[string]any{{"name": "image", "digest": map[string]string{d.Algorithm: d.Hex}}},
		"predicateType": "https://slsa.dev/verification_summary/v1",
		"predicate":     map[string]any{"verificationResult": "PASSED"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// manifestShape is what cosign v3 writes in a bundle referrer manifest,
// without digests and dates.
type manifestShape struct {
	ArtifactType       string
	ConfigMediaType    string
	ConfigArtifactType string
	LayerMediaTypes    []string
	AnnotationKeys     []string
	HasSubject         bool
}

func shapeOf(t *testing.T, raw []byte) manifestShape {
	t.Helper()
	var m v1.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	s := manifestShape{ArtifactType: m.ArtifactType, ConfigMediaType: string(m.Config.MediaType), ConfigArtifactType: m.Config.ArtifactType, HasSubject: m.Subject != nil}
	for _, l := range m.Layers {
		s.LayerMediaTypes = append(s.LayerMediaTypes, string(l.MediaType))
	}
	for k := range m.Annotations {
		s.AnnotationKeys = append(s.AnnotationKeys, k)
	}
	slices.Sort(s.AnnotationKeys)
	return s
}

// Attach writes what discovery finds and verification accepts, in cosign
// v3's shape, with and without the referrers API.
func TestAttachRoundTrip(t *testing.T) {
	t.Parallel()
	want := shapeOf(t, fixture.Bytes(t, "cosign-generated/vsa.referrer-manifest.json"))
	for _, tc := range []struct {
		name string
		opts []registrytest.Option
		mech attest.Mechanism
	}{
		{"referrers API", nil, attest.MechanismReferrersAPI},
		{"referrers tag schema", []registrytest.Option{registrytest.WithoutReferrersAPI()}, attest.MechanismReferrersTag},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			reg := registrytest.New(t, tc.opts...)
			img, err := dhitest.Push(context.Background(), reg.Host+"/attach/app:1", "", dhitest.Spec{})
			if err != nil {
				t.Fatal(err)
			}
			target := img.Platforms[0]
			s, v := attachSigner(t)
			_, stranger := attachSigner(t)
			bundle, err := attest.SignBundle(statementAbout(t, target.Digest), s)
			if err != nil {
				t.Fatal(err)
			}
			desc, err := attest.Attach(context.Background(), reg.Host+"/attach/app@"+target.Digest.String(), bundle, attest.WithAttachTime(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)))
			if err != nil {
				t.Fatal(err)
			}
			src, err := attest.Registry()
			if err != nil {
				t.Fatal(err)
			}
			d, err := attest.Discover(context.Background(), src, img.Ref)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Attestations) != 1 {
				t.Fatalf("%d attestations found, want 1", len(d.Attestations))
			}
			a := d.Attestations[0]
			if a.Manifest.Digest != desc.Digest || a.Mechanism() != tc.mech || a.Content.Format != attest.FormatBundle {
				t.Errorf("found %s through %s as %s; want %s through %s as a bundle", a.Manifest.Digest, a.Mechanism(), a.Content.Format, desc.Digest, tc.mech)
			}
			if diff := cmp.Diff(want, shapeOf(t, a.RawManifest)); diff != "" {
				t.Errorf("referrer manifest differs from cosign's (-cosign +attach):\n%s", diff)
			}
			if a.PredicateType != "https://slsa.dev/verification_summary/v1" {
				t.Errorf("predicate type = %q", a.PredicateType)
			}
			if _, err := v.Verify(a); err != nil {
				t.Errorf("Verify() with the signer's key error = %v", err)
			}
			if _, err := stranger.Verify(a); !errors.Is(err, attest.ErrUntrustedKey) {
				t.Errorf("Verify() with another key error = %v, want ErrUntrustedKey", err)
			}
		})
	}
}

func TestAttachRejects(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	img, err := dhitest.Push(context.Background(), reg.Host+"/attach/bad:1", "", dhitest.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	target := img.Platforms[0]
	s, _ := attachSigner(t)
	bundle, err := attest.SignBundle(statementAbout(t, target.Digest), s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := attest.SignBundle([]byte(`{"not": "a statement"}`), s); !errors.Is(err, attest.ErrInvalid) {
		t.Errorf("SignBundle(not a statement) error = %v, want ErrInvalid", err)
	}
	if _, err := attest.Attach(context.Background(), reg.Host+"/attach/bad@"+target.Digest.String(), statementAbout(t, target.Digest)); !errors.Is(err, attest.ErrInvalid) {
		t.Errorf("Attach(a bare statement) error = %v, want ErrInvalid", err)
	}
	missing := "sha256:0000000000000000000000000000000000000000000000000000000000000000"
	var fe *attest.FetchError
	if _, err := attest.Attach(context.Background(), reg.Host+"/attach/bad@"+missing, bundle); !errors.As(err, &fe) {
		t.Errorf("Attach(missing subject) error = %v, want a *FetchError", err)
	}
	if _, err := attest.Attach(context.Background(), "not a reference", bundle); err == nil {
		t.Errorf("Attach(bad reference) succeeded")
	}
}

func TestAttachLayout(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	img, err := dhitest.WriteLayout(dir, "app:1", dhitest.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	target := img.Platforms[0]
	s, v := attachSigner(t)
	bundle, err := attest.SignBundle(statementAbout(t, target.Digest), s)
	if err != nil {
		t.Fatal(err)
	}
	desc, err := attest.AttachLayout(context.Background(), dir, target.Digest, bundle)
	if err != nil {
		t.Fatal(err)
	}
	src, err := attest.Layout(dir)
	if err != nil {
		t.Fatal(err)
	}
	d, err := attest.Discover(context.Background(), src, "app:1")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Attestations) != 1 || d.Attestations[0].Manifest.Digest != desc.Digest {
		t.Fatalf("attestations = %d, want the one attached (%s)", len(d.Attestations), desc.Digest)
	}
	if _, err := v.Verify(d.Attestations[0]); err != nil {
		t.Errorf("Verify() error = %v", err)
	}
	if _, err := attest.AttachLayout(context.Background(), dir, v1.Hash{Algorithm: "sha256", Hex: "00"}, bundle); !errors.Is(err, attest.ErrNotFound) {
		t.Errorf("AttachLayout(missing subject) error = %v, want ErrNotFound", err)
	}
}
