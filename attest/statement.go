package attest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/dhisdk/dhisdk/internal/intoto"
)

// Statement types of the in-toto attestation framework.
const (
	// StatementTypeV01 is the _type of an in-toto Statement v0.1.
	StatementTypeV01 = intoto.StatementTypeV01
	// StatementTypeV1 is the _type of an in-toto Statement v1.
	StatementTypeV1 = intoto.StatementTypeV1
)

// Statement is an in-toto attestation statement (v0.1 or v1). The predicate
// is kept as raw JSON; packages sbom, vex and provenance parse the predicate
// types they know.
type Statement struct {
	// Type is the statement's _type: StatementTypeV01 or StatementTypeV1.
	Type string `json:"_type"`
	// Subject lists the artifacts the statement is about, by digest.
	Subject []Subject `json:"subject"`
	// PredicateType is the URI of the predicate's type. The set of types is
	// open: unknown types are kept, never rejected.
	PredicateType string `json:"predicateType"`
	// Predicate is the predicate exactly as the statement holds it.
	Predicate json.RawMessage `json:"predicate,omitempty"`
}

// Subject is one artifact that a statement is about.
type Subject struct {
	// Name is the artifact's name (for images, often a purl or a
	// reference); in-toto allows it to be empty.
	Name string `json:"name,omitempty"`
	// Digest maps a digest algorithm, such as "sha256", to a hex value.
	Digest map[string]string `json:"digest"`
}

// ParseStatement decodes an in-toto statement. It checks the _type, that the
// predicate type is set and that every subject has a digest; it does not
// check signatures or what the subjects name.
func ParseStatement(b []byte) (*Statement, error) {
	st, err := intoto.DecodeStatement(b)
	if err != nil {
		if errors.Is(err, intoto.ErrNotStatement) {
			return nil, fmt.Errorf("%w: %v", ErrUnknownFormat, err)
		}
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	s := &Statement{Type: st.Type, PredicateType: st.PredicateType, Predicate: st.Predicate}
	s.Subject = make([]Subject, len(st.Subject))
	for i, sub := range st.Subject {
		s.Subject[i] = Subject{Name: sub.Name, Digest: sub.Digest}
	}
	if err := s.validate(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Statement) validate() error {
	if s.PredicateType == "" {
		return fmt.Errorf("%w: statement has no predicateType", ErrInvalid)
	}
	if len(s.Subject) == 0 {
		return fmt.Errorf("%w: statement of predicate type %q has no subject", ErrInvalid, s.PredicateType)
	}
	for i, sub := range s.Subject {
		if len(sub.Digest) == 0 {
			return fmt.Errorf("%w: statement subject %d (%q) has no digest", ErrInvalid, i, sub.Name)
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
	doc, _ := intoto.UnwrapLegacy(s.Predicate)
	return doc
}
