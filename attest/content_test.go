package attest_test

import (
	"errors"
	"testing"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/attest/intoto"
	"github.com/dhisdk/dhisdk/internal/fixture"
)

func TestParseRealContent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file          string
		format        attest.Format
		predicateType string // "" when the content carries no statement
		statementType string
		signatures    int // DSSE signatures
	}{
		{"slsa-provenance/buildkit_slsa1_mode-max.intoto-statement.json", attest.FormatStatement, "https://slsa.dev/provenance/v1", intoto.StatementTypeV01, 0},
		{"cosign-generated/legacy-att.openvex.dsse.json", attest.FormatDSSE, "https://openvex.dev/ns", intoto.StatementTypeV01, 1},
		{"cosign-dsse/trivy_centos-7-cyclonedx.cosign-dsse.json", attest.FormatDSSE, "https://cyclonedx.org/bom", intoto.StatementTypeV01, 1},
		{"cosign-dsse/trivy_hello-1.cdx-1.4.cosign-dsse-legacy-predicate.json", attest.FormatDSSE, "https://cyclonedx.org/bom", intoto.StatementTypeV01, 1},
		{"vsa/google-gce_gke-gce-pre.bcid-vsa.dsse.json", attest.FormatDSSE, "https://slsa.dev/verification_summary/v1", intoto.StatementTypeV1, 1},
		{"cosign-generated/slsaprovenance1.sigstore.json", attest.FormatBundle, "https://slsa.dev/provenance/v1", intoto.StatementTypeV01, 1},
		{"cosign-generated/cyclonedx.sigstore.json", attest.FormatBundle, "https://cyclonedx.org/bom", intoto.StatementTypeV01, 1},
		{"cosign-generated/vsa.sigstore.json", attest.FormatBundle, "https://slsa.dev/verification_summary/v1", intoto.StatementTypeV01, 1},
		{"cosign-generated/cosign-sign.sigstore.json", attest.FormatBundle, attest.PredicateTypeCosignSign, intoto.StatementTypeV1, 1},
		{"sigstore-bundles/sigstore-go_bundle-provenance.v0.1.json", attest.FormatBundle, "https://slsa.dev/provenance/v0.2", intoto.StatementTypeV01, 1},
		{"sigstore-bundles/sigstore-go_sigstore.js-2.0.0-provenance-slsa1.sigstore.json", attest.FormatBundle, "https://slsa.dev/provenance/v1", intoto.StatementTypeV1, 1},
		{"sigstore-bundles/conformance_happy-path-intoto-in-dsse-v3.sigstore.json", attest.FormatBundle, "https://slsa.dev/provenance/v1", intoto.StatementTypeV1, 1},
		{"slsa-provenance/slsa-github-generator_generic-v2.1.0_slsa0.2.bundle-v0.3.json", attest.FormatBundle, "https://slsa.dev/provenance/v0.2", intoto.StatementTypeV01, 1},
		{"slsa-provenance/slsa-github-generator_delegator-v1.10.0_slsa1.bundle-v0.1.json", attest.FormatBundle, "https://slsa.dev/provenance/v1", intoto.StatementTypeV01, 1},
		{"dhi/signed-feed/dhi-nginx.vex.json.sha256.sig", attest.FormatBundle, "", "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			c, err := attest.Parse(fixture.Bytes(t, tc.file))
			if err != nil {
				t.Fatalf("Parse() error = %v", err)
			}
			if c.Format != tc.format {
				t.Errorf("Format = %s, want %s", c.Format, tc.format)
			}
			if got := c.PredicateType(); got != tc.predicateType {
				t.Errorf("PredicateType() = %q, want %q", got, tc.predicateType)
			}
			if tc.predicateType == "" {
				if c.Statement != nil || c.Envelope != nil || c.Bundle == nil {
					t.Errorf("a message-signature bundle should carry neither statement nor envelope")
				}
				return
			}
			if c.Statement.Type != tc.statementType {
				t.Errorf("statement _type = %q, want %q", c.Statement.Type, tc.statementType)
			}
			if len(c.Statement.Subject) == 0 || len(c.Statement.Predicate) == 0 {
				t.Errorf("statement has %d subjects and %d predicate bytes", len(c.Statement.Subject), len(c.Statement.Predicate))
			}
			if tc.format != attest.FormatStatement && len(c.Envelope.Signatures) != tc.signatures {
				t.Errorf("envelope has %d signatures, want %d", len(c.Envelope.Signatures), tc.signatures)
			}
			if (tc.format == attest.FormatBundle) != (c.Bundle != nil) {
				t.Errorf("Bundle = %v for format %s", c.Bundle, tc.format)
			}
		})
	}
}

func TestStatementDocumentUnwrapsLegacyCosign(t *testing.T) {
	t.Parallel()
	c, err := attest.Parse(fixture.Bytes(t, "cosign-dsse/trivy_hello-1.cdx-1.4.cosign-dsse-legacy-predicate.json"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(c.Statement.Document())
	if want := `{"bomFormat":"CycloneDX"`; len(doc) < len(want) || doc[:len(want)] != want {
		t.Errorf("Document() starts %.40q, want the CycloneDX document", doc)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"not json", `{"_type":`, attest.ErrInvalid},
		{"empty object", `{}`, attest.ErrUnknownFormat},
		{"array", `[]`, attest.ErrInvalid},
		{"unknown statement type", `{"_type":"https://example.com/Statement/v9","predicateType":"x","subject":[{"digest":{"sha256":"ab"}}]}`, attest.ErrUnknownFormat},
		{"statement without subject", `{"_type":"https://in-toto.io/Statement/v1","predicateType":"x","predicate":{}}`, attest.ErrInvalid},
		{"statement subject without digest", `{"_type":"https://in-toto.io/Statement/v1","predicateType":"x","subject":[{"name":"a"}]}`, attest.ErrInvalid},
		{"statement without predicate type", `{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"ab"}}]}`, attest.ErrInvalid},
		{"envelope without payload", `{"payloadType":"application/vnd.in-toto+json","signatures":[]}`, attest.ErrInvalid},
		{"envelope with bad base64", `{"payloadType":"application/vnd.in-toto+json","payload":"!!!"}`, attest.ErrInvalid},
		{"envelope with a non-statement in-toto payload", `{"payloadType":"application/vnd.in-toto+json","payload":"e30="}`, attest.ErrInvalid},
		{"two forms at once", `{"_type":"https://in-toto.io/Statement/v1","payloadType":"x"}`, attest.ErrInvalid},
		{"bundle without content", `{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}`, attest.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := attest.Parse([]byte(tc.in))
			if !errors.Is(err, tc.want) || c != nil {
				t.Errorf("Parse(%s) = %v, %v; want nil and %v", tc.in, c, err, tc.want)
			}
		})
	}
}

func TestPAE(t *testing.T) {
	t.Parallel()
	// The example from the DSSE specification.
	got := string(attest.PAE("http://example.com/HelloWorld", []byte("hello world")))
	want := "DSSEv1 29 http://example.com/HelloWorld 11 hello world"
	if got != want {
		t.Errorf("PAE() = %q, want %q", got, want)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{
		"slsa-provenance/buildkit_slsa1_mode-max.intoto-statement.json",
		"cosign-generated/legacy-att.openvex.dsse.json",
		"cosign-generated/slsaprovenance1.sigstore.json",
		"cosign-generated/cosign-sign.sigstore.json",
		"vsa/google-gce_gke-gce-pre.bcid-vsa.dsse.json",
		"dhi/signed-feed/dhi-nginx.vex.json.sha256.sig",
	} {
		f.Add(fixture.Bytes(f, name))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := attest.Parse(b)
		if err != nil {
			if c != nil {
				t.Errorf("Parse() returned content with error %v", err)
			}
			if !errors.Is(err, attest.ErrInvalid) {
				t.Errorf("Parse() error %v does not wrap ErrInvalid", err)
			}
			return
		}
		if !c.Format.Valid() {
			t.Errorf("Parse() format %q is not valid", c.Format)
		}
		if c.Statement != nil && (c.Statement.PredicateType == "" || len(c.Statement.Subject) == 0) {
			t.Errorf("Parse() accepted a statement without predicate type or subject")
		}
	})
}
