package dhi

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Predicate type URIs of the attestations of Docker Hardened Images, and of
// the standard documents they carry. The set is open: DHI adds predicate
// types over time and image definitions may declare their own, so a type
// missing here is not an error (see [KindOf]).
const (
	// PredicateTypeFIPS is the FIPS compliance attestation: the FIPS
	// validated cryptographic modules an image ships (see [ParseFIPS]).
	PredicateTypeFIPS = "https://docker.com/dhi/fips/v0.1"
	// PredicateTypeSTIG is the STIG scan attestation: OpenSCAP results per
	// scanned profile (see [ParseSTIG]).
	PredicateTypeSTIG = "https://docker.com/dhi/stig/v0.1"
	// PredicateTypeImageSource links an image to an image of its source
	// materials (see [ParseImageSource]).
	PredicateTypeImageSource = "https://docker.com/dhi/source/v0.1"

	// PredicateTypeScoutVulnerabilities is Docker Scout's vulnerability
	// report (see [ParseScoutVulnerabilities]).
	PredicateTypeScoutVulnerabilities = "https://scout.docker.com/vulnerabilities/v0.1"
	// PredicateTypeScoutTests is the record of the tests run against an
	// image (see [ParseTests]).
	PredicateTypeScoutTests = "https://scout.docker.com/tests/v0.1"
	// PredicateTypeScoutSecrets is the secrets scan: what was found, an
	// empty list when nothing was (see [ParseSecrets]).
	PredicateTypeScoutSecrets = "https://scout.docker.com/secrets/v0.1"
	// PredicateTypeScoutVirus is the virus scan with a ClamAV report (see
	// [ParseVirusScan]).
	PredicateTypeScoutVirus = "https://scout.docker.com/virus/v0.1"
	// PredicateTypeScoutHealthScore is Docker Scout's health score (see
	// [ParseHealthScore]).
	PredicateTypeScoutHealthScore = "https://scout.docker.com/health/v0.1"
	// PredicateTypeScoutSBOM is Docker Scout's own SBOM (see
	// [ParseScoutSBOM]).
	PredicateTypeScoutSBOM = "https://scout.docker.com/sbom/v0.1"
	// PredicateTypeScoutProvenance is Docker Scout's provenance (see
	// [ParseScoutProvenance]).
	PredicateTypeScoutProvenance = "https://scout.docker.com/provenance/v0.1"

	// PredicateTypeInTotoVulns is the in-toto vulnerability predicate type
	// without its version; [PredicateTypeInTotoVulnsV01] and
	// [PredicateTypeInTotoVulnsV02] extend it.
	PredicateTypeInTotoVulns = "https://in-toto.io/attestation/vulns"
	// PredicateTypeInTotoVulnsV01 is the in-toto vulnerability predicate
	// v0.1, which the DHI documentation lists (see [ParseInTotoVulns]).
	PredicateTypeInTotoVulnsV01 = "https://in-toto.io/attestation/vulns/v0.1"
	// PredicateTypeInTotoVulnsV02 is the in-toto vulnerability predicate
	// v0.2, seen on live DHI images (see [ParseInTotoVulns]).
	PredicateTypeInTotoVulnsV02 = "https://in-toto.io/attestation/vulns/v0.2"

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
	// in-toto's (see [ParseFindings]).
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
		{PredicateTypeScoutVulnerabilities, KindVulnerabilityScan},
		{PredicateTypeInTotoVulns, KindVulnerabilityScan},
		{PredicateTypeInTotoVulnsV01, KindVulnerabilityScan},
		{PredicateTypeInTotoVulnsV02, KindVulnerabilityScan},
		{PredicateTypeFIPS, KindFIPS},
		{PredicateTypeSTIG, KindSTIG},
		{PredicateTypeScoutTests, KindTests},
		{PredicateTypeScoutSecrets, KindSecrets},
		{PredicateTypeScoutVirus, KindVirusScan},
		{PredicateTypeScoutHealthScore, KindHealthScore},
		{PredicateTypeScoutSBOM, KindScoutSBOM},
		{PredicateTypeScoutProvenance, KindScoutProvenance},
		{PredicateTypeImageSource, KindImageSource},
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
		{PredicateTypeInTotoVulns, true, KindVulnerabilityScan},
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

// decodeJSON decodes the predicate b of type predicateType into v,
// rejecting empty input and a JSON null with an error that names the type.
func decodeJSON(predicateType string, b []byte, v any) error {
	t := bytes.TrimSpace(b)
	switch {
	case len(t) == 0:
		return invalid(predicateType, "empty predicate")
	case string(t) == "null":
		return invalid(predicateType, "predicate is null")
	}
	if err := json.Unmarshal(b, v); err != nil {
		return invalid(predicateType, "%s", jsonDetail(err))
	}
	return nil
}

// decodeItem decodes item i of a predicate's array, labelled label in
// messages ("module 2"). A null item is an error.
func decodeItem(predicateType, label string, i int, b []byte, v any) error {
	if isNull(b) {
		return invalid(predicateType, "%s: null, want an object", at(label, i))
	}
	if err := json.Unmarshal(b, v); err != nil {
		return invalid(predicateType, "%s: %s", at(label, i), jsonDetail(err))
	}
	return nil
}

// at names item i of a list in messages: "module 2".
func at(label string, i int) string { return label + " " + strconv.Itoa(i) }

// isNull reports whether b is absent or the JSON null.
func isNull(b json.RawMessage) bool {
	t := bytes.TrimSpace(b)
	return len(t) == 0 || string(t) == "null"
}

// base64DecodedLen returns the number of bytes s decodes to as standard
// base64, ignoring line breaks and padding; for input that is not base64
// it is an upper bound.
func base64DecodedLen(s string) int64 {
	n := int64(len(s)) - int64(strings.Count(s, "\n")) - int64(strings.Count(s, "\r"))
	t := strings.TrimRight(s, "\r\n")
	for i := 0; i < 2 && strings.HasSuffix(t, "="); i++ {
		t = t[:len(t)-1]
		n--
	}
	if n < 0 {
		return 0
	}
	return n * 3 / 4
}

// decodeBase64 decodes s as standard base64, with or without padding; line
// breaks (\r and \n) are ignored.
func decodeBase64(s string) ([]byte, error) {
	enc := base64.StdEncoding
	if !strings.HasSuffix(strings.TrimRight(s, "\r\n"), "=") {
		enc = base64.RawStdEncoding
	}
	b, err := enc.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("not base64: %v", err)
	}
	return b, nil
}
