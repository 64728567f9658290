package provenance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/dhisdk/dhisdk/attest/intoto"
)

// Predicate types read by [Parse].
const (
	// PredicateTypeV01 is the predicate type of SLSA provenance v0.1, still
	// written by Google Cloud Build.
	PredicateTypeV01 = "https://slsa.dev/provenance/v0.1"
	// PredicateTypeV02 is the predicate type of SLSA provenance v0.2.
	PredicateTypeV02 = "https://slsa.dev/provenance/v0.2"
	// PredicateTypeV1 is the predicate type of SLSA provenance v1 (v1.0 and
	// v1.1 share it).
	PredicateTypeV1 = "https://slsa.dev/provenance/v1"
	// PredicateTypeVSAV1 is the predicate type of the SLSA verification
	// summary attestation (VSA) v1.
	PredicateTypeVSAV1 = "https://slsa.dev/verification_summary/v1"
)

// Statement is a parsed provenance or verification-summary attestation: its
// predicate in one normalized form and, when the input was an in-toto
// statement, the statement's type and subjects. Exactly one of Provenance and
// VSA is set.
type Statement struct {
	// Type is the in-toto statement _type (v0.1 or v1), or empty when a bare
	// predicate was parsed.
	Type string `json:"type"`
	// PredicateType is the statement's predicateType, or the type detected
	// from the shape of a bare predicate. It is one of the PredicateType
	// constants.
	PredicateType string `json:"predicateType"`
	// Subject lists the artifacts the statement is about, as written; nil
	// for a bare predicate. This package does not check them: a caller that
	// trusts the statement must check that a subject names the artifact it
	// holds.
	Subject []intoto.Subject `json:"subject"`
	// Provenance is set when the predicate is SLSA provenance.
	Provenance *Provenance `json:"provenance"`
	// VSA is set when the predicate is a SLSA verification summary.
	VSA *VerificationSummary `json:"vsa"`
}

// Parse reads a SLSA provenance (v0.1, v0.2 or v1) or SLSA verification
// summary (v1) predicate, either bare or inside an in-toto statement (v0.1 or
// v1, in any combination with the predicate version). For a statement the
// predicateType decides the version and the predicate must match it; for a
// bare predicate the version is detected from its fields. Cosign's legacy
// {"Data": ...} predicate wrapper is removed.
//
// Parse verifies nothing: signatures, and whether a subject names the artifact
// at hand, are the caller's to check (package attest does both).
//
// Errors wrap [ErrInvalid] for malformed input and [ErrUnsupported] for
// anything else, including DSSE envelopes and sigstore bundles, whose
// statement must be taken out first.
func Parse(b []byte) (*Statement, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil, fmt.Errorf("%w: empty input", ErrInvalid)
	}
	if b[0] != '{' {
		return nil, fmt.Errorf("%w: not a JSON object", ErrInvalid)
	}
	st, pred, err := intoto.Open(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrInvalid, strings.TrimPrefix(err.Error(), "intoto: "))
	}
	if st == nil {
		return parseBare(b)
	}
	// intoto.Open has removed any legacy wrapper, and pred is a copy.
	out, err := parsePredicate(st.PredicateType, pred, false)
	if err != nil {
		return nil, err
	}
	out.Type = st.Type
	if len(st.Subject) > 0 {
		out.Subject = st.Subject
	}
	return out, nil
}

// ParsePredicate reads a predicate already taken out of its statement, such as
// one held by package attest, given the statement's predicateType. It removes
// cosign's legacy {"Data": ...} wrapper. The result has no statement type and
// no subjects. Errors are those of [Parse].
func ParsePredicate(predicateType string, predicate []byte) (*Statement, error) {
	return parsePredicate(predicateType, predicate, true)
}

// parsePredicate reads a predicate of the given type. Unless the caller has
// done so, it removes a legacy wrapper and copies the predicate before
// keeping it.
func parsePredicate(predicateType string, predicate []byte, foreign bool) (*Statement, error) {
	pred := bytes.TrimSpace(predicate)
	if len(pred) == 0 || bytes.Equal(pred, []byte("null")) {
		return nil, fmt.Errorf("%w: empty predicate", ErrInvalid)
	}
	if foreign {
		pred, _ = intoto.UnwrapLegacy(pred)
		pred = bytes.Clone(pred)
	}
	switch predicateType {
	case PredicateTypeV01, PredicateTypeV02, PredicateTypeV1:
		p, err := parseProvenance(predicateType, pred)
		if err != nil {
			return nil, err
		}
		return &Statement{PredicateType: predicateType, Provenance: p}, nil
	case PredicateTypeVSAV1:
		v, err := parseVSA(pred)
		if err != nil {
			return nil, err
		}
		return &Statement{PredicateType: predicateType, VSA: v}, nil
	case "":
		return nil, fmt.Errorf("%w: statement has no predicate type", ErrUnsupported)
	default:
		return nil, fmt.Errorf("%w: predicate type %q", ErrUnsupported, predicateType)
	}
}

// probe holds the top-level fields that tell the kind of a bare document
// apart. Every field is raw, so probing never fails on a field's type.
type probe struct {
	Type                  json.RawMessage `json:"_type"`
	BuildDefinition       json.RawMessage `json:"buildDefinition"`
	RunDetails            json.RawMessage `json:"runDetails"`
	Recipe                json.RawMessage `json:"recipe"`
	BuildType             json.RawMessage `json:"buildType"`
	Builder               json.RawMessage `json:"builder"`
	Invocation            json.RawMessage `json:"invocation"`
	Materials             json.RawMessage `json:"materials"`
	Verifier              json.RawMessage `json:"verifier"`
	VerificationResult    json.RawMessage `json:"verificationResult"`
	TimeVerified          json.RawMessage `json:"timeVerified"`
	VerificationResultV02 json.RawMessage `json:"verification_result"`
	PayloadType           json.RawMessage `json:"payloadType"`
	DSSEEnvelope          json.RawMessage `json:"dsseEnvelope"`
	MessageSignature      json.RawMessage `json:"messageSignature"`
	ProvenanceSummary     json.RawMessage `json:"provenance_summary"`
	BuildxProvenance      json.RawMessage `json:"buildx.build.provenance"`
}

// parseBare detects the kind of a document that is not an in-toto statement.
func parseBare(b []byte) (*Statement, error) {
	var p probe
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	var predicateType string
	switch {
	case p.BuildDefinition != nil || p.RunDetails != nil:
		predicateType = PredicateTypeV1
	case p.Verifier != nil && (p.VerificationResult != nil || p.TimeVerified != nil):
		predicateType = PredicateTypeVSAV1
	case p.VerificationResultV02 != nil:
		return nil, fmt.Errorf("%w: verification summary with snake_case fields (VSA v0.2); only v1 is read", ErrUnsupported)
	case p.Recipe != nil:
		predicateType = PredicateTypeV01
	case p.BuildType != nil || p.Builder != nil || p.Invocation != nil || p.Materials != nil:
		predicateType = PredicateTypeV02
	case p.Type != nil:
		var t string
		_ = json.Unmarshal(p.Type, &t) // a non-string _type is reported as empty
		return nil, fmt.Errorf("%w: unknown statement _type %q", ErrUnsupported, t)
	case p.PayloadType != nil:
		return nil, fmt.Errorf("%w: a DSSE envelope; decode its payload and parse the statement inside", ErrUnsupported)
	case p.DSSEEnvelope != nil || p.MessageSignature != nil:
		return nil, fmt.Errorf("%w: a sigstore bundle; take the statement out of its DSSE envelope first", ErrUnsupported)
	case p.ProvenanceSummary != nil:
		return nil, fmt.Errorf("%w: a gcloud provenance summary; parse the statement in a provenance_summary.provenance[].envelope payload", ErrUnsupported)
	case p.BuildxProvenance != nil:
		return nil, fmt.Errorf("%w: a buildx metadata file; parse its \"buildx.build.provenance\" value", ErrUnsupported)
	default:
		return nil, fmt.Errorf("%w: not a SLSA provenance or verification summary predicate", ErrUnsupported)
	}
	return ParsePredicate(predicateType, b)
}
