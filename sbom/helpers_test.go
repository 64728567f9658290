package sbom_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/dhisdk/dhisdk/internal/fixture"
	"github.com/dhisdk/dhisdk/sbom"
)

// Fixture names.
const (
	syftSPDX   = "spdx/syft-1.57.1_debian-pkgs-image.spdx-2.3.json"
	syftCDX15  = "cyclonedx/syft-1.57.1_debian-pkgs-image.cdx-1.5.json"
	syftCDX16  = "cyclonedx/syft-1.57.1_debian-pkgs-image.cdx-1.6.json"
	trivyCDX16 = "cyclonedx/trivy_fluentd-container.cdx-1.6.json"
	// cosign DSSE envelopes whose payload is an in-toto statement holding a
	// CycloneDX 1.4 BOM: inside cosign's legacy {"Data": ...} wrapper, and
	// directly.
	cosignLegacyCDX14 = "cosign-dsse/trivy_hello-1.cdx-1.4.cosign-dsse-legacy-predicate.json"
	cosignCDX14       = "cosign-dsse/trivy_centos-7-cyclonedx.cosign-dsse.json"
)

// fixtureBytes returns a fixture's bytes and fails tb when it is missing.
func fixtureBytes(tb testing.TB, name string) []byte {
	tb.Helper()
	return fixture.Bytes(tb, name)
}

// parsed caches the documents parseFixture returns: a Document is safe
// for concurrent readers, and parsing the large fixtures once keeps the
// suite fast under the race detector.
var parsed sync.Map // fixture name -> func() (*sbom.Document, error)

// parseFixture parses a fixture, once per test binary, and fails tb on
// error. Callers must not modify the document.
func parseFixture(tb testing.TB, name string) *sbom.Document {
	tb.Helper()
	f, _ := parsed.LoadOrStore(name, sync.OnceValues(func() (*sbom.Document, error) {
		b, err := fixture.Read(name)
		if err != nil {
			return nil, err
		}
		return sbom.Parse(b)
	}))
	d, err := f.(func() (*sbom.Document, error))()
	if err != nil {
		tb.Fatalf("Parse(%s): %v", name, err)
	}
	return d
}

// mustParse parses b and fails tb on error.
func mustParse(tb testing.TB, b []byte, opts ...sbom.Option) *sbom.Document {
	tb.Helper()
	d, err := sbom.Parse(b, opts...)
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return d
}

// dssePayload returns the base64-decoded payload of a DSSE envelope fixture:
// taking the statement out of the envelope is package attest's job, with
// verification; the tests do it by hand.
func dssePayload(tb testing.TB, name string) []byte {
	tb.Helper()
	var env struct {
		PayloadType string `json:"payloadType"`
		Payload     string `json:"payload"`
	}
	if err := json.Unmarshal(fixture.Bytes(tb, name), &env); err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	b, err := base64.StdEncoding.DecodeString(env.Payload)
	if err != nil {
		tb.Fatalf("%s: payload: %v", name, err)
	}
	return b
}

// writeSPDX and writeCycloneDX export d and fail tb on error.
func writeSPDX(tb testing.TB, d *sbom.Document) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := d.WriteSPDX(&buf); err != nil {
		tb.Fatalf("WriteSPDX: %v", err)
	}
	return buf.Bytes()
}

func writeCycloneDX(tb testing.TB, d *sbom.Document) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := d.WriteCycloneDX(&buf); err != nil {
		tb.Fatalf("WriteCycloneDX: %v", err)
	}
	return buf.Bytes()
}

// cmpIgnorePURL ignores the derived package URL of a Source.
var cmpIgnorePURL = cmpopts.IgnoreFields(sbom.Source{}, "PURL")
