package sbom_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/attest/intoto"
	"github.com/dhisdk/dhisdk/sbom"
)

// TestParseFixtures checks what each real document yields as a whole.
func TestParseFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		input       func(t *testing.T) *sbom.Document
		format      sbom.Format
		specVersion string
		created     time.Time
		tools       []sbom.Tool
		subject     string
		packages    int
		files       int
		rels        int
		statement   *intoto.Statement
		warnings    []sbom.Warning
	}{
		{
			name: "syft SPDX 2.3", input: fixtureInput(syftSPDX),
			format: sbom.FormatSPDX, specVersion: "2.3",
			created: time.Date(2026, 11, 27, 6, 34, 29, 0, time.UTC),
			tools:   []sbom.Tool{{Name: "syft", Version: "1.57.1"}},
			subject: "127.0.0.1:5004/sbomsrc/debian-pkgs", packages: 704, files: 705, rels: 5014,
		},
		{
			name: "syft CycloneDX 1.5", input: fixtureInput(syftCDX15),
			format: sbom.FormatCycloneDX, specVersion: "1.5",
			created: time.Date(2026, 11, 27, 6, 34, 29, 0, time.UTC),
			tools:   []sbom.Tool{{Vendor: "anchore", Name: "syft", Version: "1.57.1"}},
			subject: "127.0.0.1:5004/sbomsrc/debian-pkgs", packages: 705, files: 705, rels: 1410 + 2196,
		},
		{
			name: "syft CycloneDX 1.6", input: fixtureInput(syftCDX16),
			format: sbom.FormatCycloneDX, specVersion: "1.6",
			created: time.Date(2026, 11, 27, 6, 34, 29, 0, time.UTC),
			tools:   []sbom.Tool{{Vendor: "anchore", Name: "syft", Version: "1.57.1"}},
			subject: "127.0.0.1:5004/sbomsrc/debian-pkgs", packages: 705, files: 705, rels: 1410 + 2196,
		},
		{
			name: "trivy CycloneDX 1.6 container", input: fixtureInput(trivyCDX16),
			format: sbom.FormatCycloneDX, specVersion: "1.6",
			created: time.Date(2021, 8, 25, 12, 20, 30, 0, time.UTC),
			tools:   []sbom.Tool{{Vendor: "aquasecurity", Name: "trivy", Version: "dev"}},
			subject: "testdata/fixtures/images/fluentd-multiple-lockfiles.tar.gz", packages: 161, rels: 161 + 265,
		},
		{
			// A cosign DSSE envelope's statement; the BOM sits in cosign's
			// legacy {"Data": ..., "Timestamp": ...} predicate wrapper.
			name: "cosign legacy-wrapped CycloneDX 1.4", input: payloadInput(cosignLegacyCDX14),
			format: sbom.FormatCycloneDX, specVersion: "1.4",
			created: time.Date(2022, 5, 28, 10, 20, 3, 795270000, time.UTC),
			tools:   []sbom.Tool{{Vendor: "aquasecurity", Name: "trivy", Version: "dev"}},
			subject: "maven-test-project", packages: 9, rels: 9 + 9,
			statement: &intoto.Statement{
				Type: "https://in-toto.io/Statement/v0.1", PredicateType: "https://cyclonedx.org/bom",
				Subject: []intoto.Subject{{Name: "index.docker.io/otms61/hello-1", Digest: intoto.DigestSet{"sha256": "20d3f693dcffa44d6b24eae88783324d25cc132c22089f70e4fbfb858625b062"}}},
			},
		},
		{
			name: "cosign CycloneDX 1.4", input: payloadInput(cosignCDX14),
			format: sbom.FormatCycloneDX, specVersion: "1.4",
			created: time.Date(2022, 6, 14, 15, 8, 48, 0, time.UTC),
			tools:   []sbom.Tool{{Vendor: "aquasecurity", Name: "trivy", Version: "dev"}},
			subject: "integration/testdata/fixtures/images/centos-7.tar.gz", packages: 3, rels: 3 + 3,
			statement: &intoto.Statement{
				Type: "https://in-toto.io/Statement/v0.1", PredicateType: "https://cyclonedx.org/bom",
				Subject: []intoto.Subject{{Name: "index.docker.io/library/centos", Digest: intoto.DigestSet{"sha256": "be65f488b7764ad3638f236b7b515b3678369a5124c47b8d32916d6487418ea4"}}},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := tc.input(t)
			got := []any{d.Format(), d.SpecVersion(), d.Created(), d.Tools(), d.Subject().Name, len(d.Packages()), len(d.Files()), len(d.Relationships())}
			want := []any{tc.format, tc.specVersion, tc.created, tc.tools, tc.subject, tc.packages, tc.files, tc.rels}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("format, spec version, created, tools, subject, #packages, #files, #relationships (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.statement, d.Statement()); diff != "" {
				t.Errorf("statement (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.warnings, d.Warnings()); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func fixtureInput(name string) func(t *testing.T) *sbom.Document {
	return func(t *testing.T) *sbom.Document { return parseFixture(t, name) }
}

func payloadInput(name string) func(t *testing.T) *sbom.Document {
	return func(t *testing.T) *sbom.Document { return mustParse(t, dssePayload(t, name)) }
}
