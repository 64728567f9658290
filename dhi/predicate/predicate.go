package predicate

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Predicate type URIs of the DHI, Docker Scout and in-toto vulnerability
// predicates this package reads. The set is open: DHI adds predicate types
// over time, so a type missing here is not an error.
const (
	// TypeFIPS is the FIPS compliance attestation: the FIPS
	// validated cryptographic modules an image ships (see [ParseFIPS]).
	TypeFIPS = "https://docker.com/dhi/fips/v0.1"
	// TypeSTIG is the STIG scan attestation: OpenSCAP results per
	// scanned profile (see [ParseSTIG]).
	TypeSTIG = "https://docker.com/dhi/stig/v0.1"
	// TypeImageSource links an image to an image of its source
	// materials (see [ParseImageSource]).
	TypeImageSource = "https://docker.com/dhi/source/v0.1"

	// TypeScoutVulnerabilities is Docker Scout's vulnerability
	// report (see [ParseScoutVulnerabilities]).
	TypeScoutVulnerabilities = "https://scout.docker.com/vulnerabilities/v0.1"
	// TypeScoutTests is the record of the tests run against an
	// image (see [ParseTests]).
	TypeScoutTests = "https://scout.docker.com/tests/v0.1"
	// TypeScoutSecrets is the secrets scan: what was found, an
	// empty list when nothing was (see [ParseSecrets]).
	TypeScoutSecrets = "https://scout.docker.com/secrets/v0.1"
	// TypeScoutVirus is the virus scan with a ClamAV report (see
	// [ParseVirusScan]).
	TypeScoutVirus = "https://scout.docker.com/virus/v0.1"
	// TypeScoutHealthScore is Docker Scout's health score (see
	// [ParseHealthScore]).
	TypeScoutHealthScore = "https://scout.docker.com/health/v0.1"
	// TypeScoutSBOM is Docker Scout's own SBOM (see
	// [ParseScoutSBOM]).
	TypeScoutSBOM = "https://scout.docker.com/sbom/v0.1"
	// TypeScoutProvenance is Docker Scout's provenance (see
	// [ParseScoutProvenance]).
	TypeScoutProvenance = "https://scout.docker.com/provenance/v0.1"

	// TypeInTotoVulns is the in-toto vulnerability predicate type
	// without its version; [TypeInTotoVulnsV01] and
	// [TypeInTotoVulnsV02] extend it.
	TypeInTotoVulns = "https://in-toto.io/attestation/vulns"
	// TypeInTotoVulnsV01 is the in-toto vulnerability predicate
	// v0.1, which the DHI documentation lists (see [ParseInTotoVulns]).
	TypeInTotoVulnsV01 = "https://in-toto.io/attestation/vulns/v0.1"
	// TypeInTotoVulnsV02 is the in-toto vulnerability predicate
	// v0.2, seen on live DHI images (see [ParseInTotoVulns]).
	TypeInTotoVulnsV02 = "https://in-toto.io/attestation/vulns/v0.2"
)

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
