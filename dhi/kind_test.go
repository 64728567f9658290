package dhi

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/dhi/predicate"
	"github.com/dhisdk/dhisdk/provenance"
	"github.com/dhisdk/dhisdk/sbom"
	"github.com/dhisdk/dhisdk/vex"
)

func TestKindOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		predicateType string
		want          Kind
	}{
		{"https://docker.com/dhi/fips/v0.1", KindFIPS},
		{"https://docker.com/dhi/stig/v0.1", KindSTIG},
		{"https://docker.com/dhi/source/v0.1", KindImageSource},
		{"https://scout.docker.com/vulnerabilities/v0.1", KindVulnerabilityScan},
		{"https://scout.docker.com/tests/v0.1", KindTests},
		{"https://scout.docker.com/secrets/v0.1", KindSecrets},
		{"https://scout.docker.com/virus/v0.1", KindVirusScan},
		{"https://scout.docker.com/health/v0.1", KindHealthScore},
		{"https://scout.docker.com/sbom/v0.1", KindScoutSBOM},
		{"https://scout.docker.com/provenance/v0.1", KindScoutProvenance},
		{"https://in-toto.io/attestation/vulns/v0.1", KindVulnerabilityScan},
		{"https://in-toto.io/attestation/vulns/v0.2", KindVulnerabilityScan},
		{"https://in-toto.io/attestation/vulns", KindVulnerabilityScan},
		{"https://in-toto.io/attestation/vulns/v0.3", KindVulnerabilityScan},
		{"https://spdx.dev/Document", KindSBOM},
		{"https://spdx.dev/Document/v2.3", KindSBOM},
		{"https://cyclonedx.org/bom", KindSBOM},
		{"https://cyclonedx.org/bom/v1.4", KindSBOM},
		{"https://cyclonedx.org/bom/v1.5", KindSBOM},
		{"https://cyclonedx.org/bom/v1.6", KindSBOM},
		{"https://cyclonedx.org/bom/v1.7", KindSBOM},
		{"https://cyclonedx.org/bom/v1.10", KindSBOM},
		{"https://openvex.dev/ns/v0.2.0", KindVEX},
		{"https://openvex.dev/ns", KindVEX},
		{"https://openvex.dev/ns/v0.0.1", KindVEX},
		{"https://slsa.dev/provenance/v0.1", KindProvenance},
		{"https://slsa.dev/provenance/v0.2", KindProvenance},
		{"https://slsa.dev/provenance/v1", KindProvenance},
		{"https://slsa.dev/provenance/v1.1", KindProvenance},
		{"https://slsa.dev/verification_summary/v1", KindVSA},
		{"https://slsa.dev/verification_summary/v0.2", KindVSA},
		// Unknown: other versions of DHI and Scout types, near misses,
		// custom types.
		{"https://docker.com/dhi/fips/v0.2", KindUnknown},
		{"https://scout.docker.com/vulnerabilities/v1", KindUnknown},
		{"https://slsa.dev/provenance", KindUnknown},
		{"https://slsa.dev/provenance/", KindUnknown},
		{"https://slsa.dev/provenance/v", KindUnknown},
		{"https://slsa.dev/provenance/v1.", KindUnknown},
		{"https://slsa.dev/provenance/v1/extra", KindUnknown},
		{"https://cyclonedx.org/bomb", KindUnknown},
		{"https://cyclonedx.org/bom/", KindUnknown},
		{"https://cyclonedx.org/bom/1.6", KindUnknown},
		{"https://openvex.dev/ns/v0.2.0/", KindUnknown},
		{"http://spdx.dev/Document", KindUnknown},
		{"HTTPS://SPDX.DEV/DOCUMENT", KindUnknown},
		{"https://modelcontextprotocol.io/server.json/v1", KindUnknown},
		{"https://sigstore.dev/cosign/sign/v1", KindUnknown},
		{"", KindUnknown},
	}
	for _, tc := range tests {
		t.Run(tc.predicateType, func(t *testing.T) {
			t.Parallel()
			if got := KindOf(tc.predicateType); got != tc.want {
				t.Errorf("KindOf(%q) = %q, want %q", tc.predicateType, got, tc.want)
			}
		})
	}
}

func TestKinds(t *testing.T) {
	t.Parallel()
	kinds := Kinds()
	if kinds[len(kinds)-1] != KindUnknown {
		t.Errorf("Kinds() does not end with KindUnknown")
	}
	seen := map[Kind]bool{}
	for _, k := range kinds {
		if !k.Valid() || seen[k] {
			t.Errorf("kind %q: valid %v, duplicate %v", k, k.Valid(), seen[k])
		}
		seen[k] = true
	}
	if Kind("").Valid() || Kind("SBOM").Valid() {
		t.Errorf("Valid() accepts a kind not listed")
	}
	// Every kind but KindUnknown has at least one known predicate type.
	for _, k := range kinds[:len(kinds)-1] {
		if len(PredicateTypes(k)) == 0 {
			t.Errorf("PredicateTypes(%q) is empty", k)
		}
	}
}

func TestPredicateTypes(t *testing.T) {
	t.Parallel()
	all := PredicateTypes()
	if len(all) != 25 {
		t.Errorf("PredicateTypes() has %d types, want 25", len(all))
	}
	seen := map[string]bool{}
	for _, pt := range all {
		if seen[pt] {
			t.Errorf("%s listed twice", pt)
		}
		seen[pt] = true
		if KindOf(pt) == KindUnknown {
			t.Errorf("KindOf(%s) = unknown", pt)
		}
	}
	for _, k := range Kinds() {
		for _, pt := range PredicateTypes(k) {
			if KindOf(pt) != k {
				t.Errorf("PredicateTypes(%q) lists %s, of kind %q", k, pt, KindOf(pt))
			}
		}
	}
	want := []string{predicate.TypeScoutVulnerabilities, predicate.TypeInTotoVulns, predicate.TypeInTotoVulnsV01, predicate.TypeInTotoVulnsV02, predicate.TypeFIPS}
	if diff := cmp.Diff(want, PredicateTypes(KindFIPS, KindVulnerabilityScan)); diff != "" {
		t.Errorf("PredicateTypes(fips, vulnerability-scan) (-want +got):\n%s", diff)
	}
	if got := PredicateTypes(KindUnknown); got != nil {
		t.Errorf("PredicateTypes(unknown) = %v, want nil", got)
	}
}

// TestPredicateTypesAgree checks the constants shared with the packages
// that read the standard documents.
func TestPredicateTypesAgree(t *testing.T) {
	t.Parallel()
	pairs := []struct{ here, there string }{
		{PredicateTypeSPDX, sbom.PredicateTypeSPDX},
		{PredicateTypeCycloneDX, sbom.PredicateTypeCycloneDX},
		{PredicateTypeOpenVEX, vex.PredicateType},
		{PredicateTypeOpenVEX, vex.ContextV020},
		{PredicateTypeOpenVEXUnversioned, vex.ContextUnversioned},
		{PredicateTypeSLSAProvenanceV01, provenance.PredicateTypeV01},
		{PredicateTypeSLSAProvenanceV02, provenance.PredicateTypeV02},
		{PredicateTypeSLSAProvenanceV1, provenance.PredicateTypeV1},
		{PredicateTypeVSAV1, provenance.PredicateTypeVSAV1},
	}
	for _, p := range pairs {
		if p.here != p.there {
			t.Errorf("%q here, %q in its package", p.here, p.there)
		}
		if !slices.Contains(PredicateTypes(), p.here) {
			t.Errorf("%s is not in PredicateTypes()", p.here)
		}
	}
}
