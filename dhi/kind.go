package dhi

import (
	"strings"

	"github.com/dhisdk/dhisdk/dhi/predicate"
)

// Predicate type URIs of the standard documents that Docker Hardened Images
// carry; the DHI and Docker Scout predicate types are in package
// [predicate]. The set is open: DHI adds predicate types over time and image
// definitions may declare their own, so a type missing here is not an error
// (see [KindOf]).
const (
	// PredicateTypeSPDX is an SPDX document.
	PredicateTypeSPDX = "https://spdx.dev/Document"
	// PredicateTypeCycloneDX is a CycloneDX BOM without a version; the
	// versioned forms below extend it.
	PredicateTypeCycloneDX = "https://cyclonedx.org/bom"
	// PredicateTypeCycloneDXV14 is a CycloneDX 1.4 BOM.
	PredicateTypeCycloneDXV14 = "https://cyclonedx.org/bom/v1.4"
	// PredicateTypeCycloneDXV15 is a CycloneDX 1.5 BOM, which older DHI
	// images carry.
	PredicateTypeCycloneDXV15 = "https://cyclonedx.org/bom/v1.5"
	// PredicateTypeCycloneDXV16 is a CycloneDX 1.6 BOM, which current DHI
	// images carry.
	PredicateTypeCycloneDXV16 = "https://cyclonedx.org/bom/v1.6"
	// PredicateTypeCycloneDXV17 is a CycloneDX 1.7 BOM.
	PredicateTypeCycloneDXV17 = "https://cyclonedx.org/bom/v1.7"

	// PredicateTypeOpenVEX is an OpenVEX v0.2.0 document, the VEX of DHI
	// images.
	PredicateTypeOpenVEX = "https://openvex.dev/ns/v0.2.0"
	// PredicateTypeOpenVEXUnversioned is the OpenVEX context without a
	// version, which `cosign attest --type openvex` writes.
	PredicateTypeOpenVEXUnversioned = "https://openvex.dev/ns"

	// PredicateTypeSLSAProvenanceV01 is SLSA provenance v0.1.
	PredicateTypeSLSAProvenanceV01 = "https://slsa.dev/provenance/v0.1"
	// PredicateTypeSLSAProvenanceV02 is SLSA provenance v0.2; DHI images
	// carry it, listing every installed package as a material.
	PredicateTypeSLSAProvenanceV02 = "https://slsa.dev/provenance/v0.2"
	// PredicateTypeSLSAProvenanceV1 is SLSA provenance v1.
	PredicateTypeSLSAProvenanceV1 = "https://slsa.dev/provenance/v1"
	// PredicateTypeVSAV1 is a SLSA verification summary v1.
	PredicateTypeVSAV1 = "https://slsa.dev/verification_summary/v1"
)

// Kind is what an attestation is about, whatever the version or format of
// its predicate. It is a closed vocabulary: predicate types that are not
// known have [KindUnknown].
type Kind string

// The kinds of attestation.
const (
	// KindSBOM is a standard SBOM: SPDX or CycloneDX.
	KindSBOM Kind = "sbom"
	// KindVEX is an OpenVEX document.
	KindVEX Kind = "vex"
	// KindProvenance is SLSA build provenance, any version.
	KindProvenance Kind = "provenance"
	// KindVSA is a SLSA verification summary.
	KindVSA Kind = "vsa"
	// KindVulnerabilityScan is a vulnerability report: Docker Scout's or
	// in-toto's (see [predicate.ParseFindings]).
	KindVulnerabilityScan Kind = "vulnerability-scan"
	// KindFIPS is the DHI FIPS compliance attestation.
	KindFIPS Kind = "fips"
	// KindSTIG is the DHI STIG scan.
	KindSTIG Kind = "stig"
	// KindTests is Docker Scout's test record.
	KindTests Kind = "tests"
	// KindSecrets is Docker Scout's secrets scan.
	KindSecrets Kind = "secrets"
	// KindVirusScan is Docker Scout's virus scan.
	KindVirusScan Kind = "virus-scan"
	// KindHealthScore is Docker Scout's health score.
	KindHealthScore Kind = "health-score"
	// KindScoutSBOM is Docker Scout's own SBOM format.
	KindScoutSBOM Kind = "scout-sbom"
	// KindScoutProvenance is Docker Scout's own provenance format.
	KindScoutProvenance Kind = "scout-provenance"
	// KindImageSource is the DHI link to an image of source materials.
	KindImageSource Kind = "image-source"
	// KindUnknown is any other predicate type. Such attestations are kept
	// as opaque JSON.
	KindUnknown Kind = "unknown"
)

// Kinds returns every [Kind], [KindUnknown] last.
func Kinds() []Kind {
	return []Kind{
		KindSBOM, KindVEX, KindProvenance, KindVSA, KindVulnerabilityScan,
		KindFIPS, KindSTIG, KindTests, KindSecrets, KindVirusScan,
		KindHealthScore, KindScoutSBOM, KindScoutProvenance, KindImageSource,
		KindUnknown,
	}
}

// Valid reports whether k is one of [Kinds].
func (k Kind) Valid() bool {
	for _, c := range Kinds() {
		if k == c {
			return true
		}
	}
	return false
}

// knownTypes lists the predicate type constants with their kinds, in the
// order [PredicateTypes] returns them.
func knownTypes() []struct {
	uri  string
	kind Kind
} {
	return []struct {
		uri  string
		kind Kind
	}{
		{PredicateTypeSPDX, KindSBOM},
		{PredicateTypeCycloneDX, KindSBOM},
		{PredicateTypeCycloneDXV14, KindSBOM},
		{PredicateTypeCycloneDXV15, KindSBOM},
		{PredicateTypeCycloneDXV16, KindSBOM},
		{PredicateTypeCycloneDXV17, KindSBOM},
		{PredicateTypeOpenVEX, KindVEX},
		{PredicateTypeOpenVEXUnversioned, KindVEX},
		{PredicateTypeSLSAProvenanceV01, KindProvenance},
		{PredicateTypeSLSAProvenanceV02, KindProvenance},
		{PredicateTypeSLSAProvenanceV1, KindProvenance},
		{PredicateTypeVSAV1, KindVSA},
		{predicate.TypeScoutVulnerabilities, KindVulnerabilityScan},
		{predicate.TypeInTotoVulns, KindVulnerabilityScan},
		{predicate.TypeInTotoVulnsV01, KindVulnerabilityScan},
		{predicate.TypeInTotoVulnsV02, KindVulnerabilityScan},
		{predicate.TypeFIPS, KindFIPS},
		{predicate.TypeSTIG, KindSTIG},
		{predicate.TypeScoutTests, KindTests},
		{predicate.TypeScoutSecrets, KindSecrets},
		{predicate.TypeScoutVirus, KindVirusScan},
		{predicate.TypeScoutHealthScore, KindHealthScore},
		{predicate.TypeScoutSBOM, KindScoutSBOM},
		{predicate.TypeScoutProvenance, KindScoutProvenance},
		{predicate.TypeImageSource, KindImageSource},
	}
}

// versionedFamilies are the predicate types that come in several versions:
// the base URI alone, or followed by "/v" and a version, are one kind.
func versionedFamilies() []struct {
	base string
	// bare reports whether the base URI without a version is itself a
	// predicate type.
	bare bool
	kind Kind
} {
	return []struct {
		base string
		bare bool
		kind Kind
	}{
		{PredicateTypeSPDX, true, KindSBOM},
		{PredicateTypeCycloneDX, true, KindSBOM},
		{PredicateTypeOpenVEXUnversioned, true, KindVEX},
		{predicate.TypeInTotoVulns, true, KindVulnerabilityScan},
		{"https://slsa.dev/provenance", false, KindProvenance},
		{"https://slsa.dev/verification_summary", false, KindVSA},
	}
}

// KindOf returns the kind of attestation that predicateType names.
//
// Every constant of this package maps to its kind. The standard types that
// exist in several versions also map whatever their version: the SPDX,
// CycloneDX, OpenVEX and in-toto vulnerability URIs without a version or
// followed by "/v<version>" (such as https://cyclonedx.org/bom/v1.8 or
// https://in-toto.io/attestation/vulns/v0.3), and SLSA provenance and
// verification summaries of any "/v<version>". The DHI and Docker Scout
// types map in the one version known (v0.1), since another version may
// change the shape. Anything else, including the empty string, is
// [KindUnknown]: an unknown predicate type is never an error.
func KindOf(predicateType string) Kind {
	for _, t := range knownTypes() {
		if predicateType == t.uri {
			return t.kind
		}
	}
	for _, f := range versionedFamilies() {
		rest, ok := strings.CutPrefix(predicateType, f.base)
		if !ok {
			continue
		}
		if rest == "" && f.bare {
			return f.kind
		}
		if v, ok := strings.CutPrefix(rest, "/v"); ok && isVersion(v) {
			return f.kind
		}
	}
	return KindUnknown
}

// isVersion reports whether v is dot-separated decimal numbers: "1",
// "0.2", "0.2.0".
func isVersion(v string) bool {
	if v == "" {
		return false
	}
	for part := range strings.SplitSeq(v, ".") {
		if part == "" {
			return false
		}
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return false
			}
		}
	}
	return true
}

// PredicateTypes returns the predicate type constants of this package whose
// kind is one of kinds, or all of them when kinds is empty. It lists the
// versions known; [KindOf] also accepts later versions of the standard
// types.
func PredicateTypes(kinds ...Kind) []string {
	var out []string
	for _, t := range knownTypes() {
		if len(kinds) == 0 || containsKind(kinds, t.kind) {
			out = append(out, t.uri)
		}
	}
	return out
}

// containsKind reports whether k is in ks.
func containsKind(ks []Kind, k Kind) bool {
	for _, c := range ks {
		if c == k {
			return true
		}
	}
	return false
}
