package intoto

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Statement types of the in-toto attestation framework.
const (
	// StatementTypeV01 is the _type of in-toto Statement v0.1.
	StatementTypeV01 = "https://in-toto.io/Statement/v0.1"
	// StatementTypeV1 is the _type of in-toto Statement v1.
	StatementTypeV1 = "https://in-toto.io/Statement/v1"
)

// ErrNotStatement is returned by [Decode] for a JSON object that is not an
// in-toto statement (it has no in-toto _type).
var ErrNotStatement = errors.New("intoto: not an in-toto statement")

// Statement is an in-toto statement, v0.1 or v1, with its predicate kept raw.
type Statement struct {
	// Type is the statement's _type, one of StatementTypeV01 or StatementTypeV1.
	Type string `json:"_type"`
	// Subject lists the artifacts the statement is about, by digest.
	Subject []Subject `json:"subject"`
	// PredicateType is the URI of the predicate's type. The set of types is
	// open: unknown types are kept, never rejected.
	PredicateType string `json:"predicateType"`
	// Predicate is the predicate exactly as the statement holds it; it may be
	// absent (nil) or JSON null. Packages sbom, vex, provenance and
	// dhi/predicate parse the predicate types they know.
	Predicate json.RawMessage `json:"predicate,omitempty"`
}

// Subject is one artifact named by a statement.
type Subject struct {
	// Name is the artifact's name (for images, often a purl or a
	// reference); in-toto allows it to be empty.
	Name string `json:"name,omitempty"`
	// Digest holds the artifact's digests.
	Digest DigestSet `json:"digest"`
}

// DigestSet maps a digest algorithm, such as "sha256", "sha512" or
// "gitCommit", to the digest's value, as the in-toto DigestSet does. Hex
// values are usually lowercase.
type DigestSet map[string]string

// IsStatementType reports whether t is a known in-toto statement _type.
func IsStatementType(t string) bool {
	return t == StatementTypeV01 || t == StatementTypeV1
}

// Decode decodes b as an in-toto statement, checking only its _type. It
// returns an error wrapping [ErrNotStatement] when b is valid JSON whose _type
// is not an in-toto statement type, and a decoding error when b is not a JSON
// object. [Statement.Validate] checks the rest.
//
// The predicate is a slice of b, found without decoding it: its own JSON is
// checked by whoever parses it (see [Members]).
func Decode(b []byte) (*Statement, error) {
	m, err := Members(b, "_type", "subject", "predicateType", "predicate")
	if err != nil {
		return nil, fmt.Errorf("intoto: decoding statement: %w", jsonError(b, err))
	}
	var st Statement
	for _, f := range []struct {
		key string
		v   any
	}{{"_type", &st.Type}, {"subject", &st.Subject}, {"predicateType", &st.PredicateType}} {
		if raw, ok := m[f.key]; ok {
			if err := json.Unmarshal(raw, f.v); err != nil {
				return nil, fmt.Errorf("intoto: decoding statement %s: %w", f.key, err)
			}
		}
	}
	st.Predicate = m["predicate"]
	if !IsStatementType(st.Type) {
		if st.Type == "" {
			return nil, ErrNotStatement
		}
		return nil, fmt.Errorf("%w: unknown _type %q", ErrNotStatement, st.Type)
	}
	return &st, nil
}

// Validate checks that the predicate type is set and that there is at least
// one subject, each with a digest. It does not check the _type (see
// [IsStatementType]) nor what the subjects name.
func (s *Statement) Validate() error {
	if s.PredicateType == "" {
		return errors.New("statement has no predicateType")
	}
	if len(s.Subject) == 0 {
		return fmt.Errorf("statement of predicate type %q has no subject", s.PredicateType)
	}
	for i, sub := range s.Subject {
		if len(sub.Digest) == 0 {
			return fmt.Errorf("statement subject %d (%q) has no digest", i, sub.Name)
		}
	}
	return nil
}

// HasSubject reports whether one of the statement's subjects has the digest
// d, given as "algorithm:hex" (for example an image manifest digest
// "sha256:9e9a..."). Hex values are compared without regard to case.
func (s *Statement) HasSubject(d string) bool {
	alg, hex, ok := strings.Cut(d, ":")
	if !ok {
		return false
	}
	for _, sub := range s.Subject {
		if v, ok := sub.Digest[alg]; ok && strings.EqualFold(v, hex) {
			return true
		}
	}
	return false
}

// Document returns the document the predicate carries: the predicate itself,
// or, for predicates that cosign wrote in its legacy {"Data": ...,
// "Timestamp": ...} wrapper, the wrapped document.
func (s *Statement) Document() json.RawMessage {
	doc, _ := UnwrapLegacy(s.Predicate)
	return doc
}

// UnwrapLegacy returns the document inside cosign's legacy predicate wrapper
// (the shape cosign wrote before it stored custom predicates directly)
// {"Data": ..., "Timestamp": ...} and true, or pred itself and false when pred
// is not so wrapped. Data given as a JSON string holding JSON is decoded from
// the string; Data given as a plain-text string is returned as that text.
func UnwrapLegacy(pred json.RawMessage) (json.RawMessage, bool) {
	trimmed := bytes.TrimSpace(pred)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return pred, false
	}
	// Only objects whose keys are exactly Data and (optionally) Timestamp are
	// the legacy wrapper; a cheap check avoids decoding large documents twice.
	if !bytes.Contains(trimmed, []byte(`"Data"`)) {
		return pred, false
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &keys); err != nil {
		return pred, false
	}
	if _, ok := keys["Data"]; !ok || len(keys) > 2 {
		return pred, false
	}
	if _, ok := keys["Timestamp"]; len(keys) == 2 && !ok {
		return pred, false
	}
	data := bytes.TrimSpace(keys["Data"])
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return pred, false
		}
		return json.RawMessage(s), true
	}
	return json.RawMessage(data), true
}

// Open returns the document that b carries. When b is an in-toto statement it
// returns the statement and its predicate with any legacy cosign wrapper
// removed; otherwise it returns a nil statement and b unchanged. It returns an
// error only when b is not JSON, or is a statement without a predicate.
func Open(b []byte) (*Statement, []byte, error) {
	st, err := Decode(b)
	switch {
	case errors.Is(err, ErrNotStatement):
		return nil, b, nil
	case err != nil:
		return nil, nil, err
	}
	pred := bytes.TrimSpace(st.Predicate)
	if len(pred) == 0 || bytes.Equal(pred, []byte("null")) {
		return st, nil, fmt.Errorf("intoto: statement of predicate type %q has no predicate", st.PredicateType)
	}
	doc, _ := UnwrapLegacy(pred)
	return st, doc, nil
}

// jsonError returns encoding/json's error for the invalid input b (a
// *json.SyntaxError with its offset, which callers report), or err when
// encoding/json finds nothing wrong.
func jsonError(b []byte, err error) error {
	var v any
	if jerr := json.Unmarshal(b, &v); jerr != nil {
		return jerr
	}
	return err
}
