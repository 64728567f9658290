package attest

import (
	"encoding/json"
	"fmt"
	"strings"

	sgbundle "github.com/sigstore/sigstore-go/pkg/bundle"

	"github.com/dhisdk/dhisdk/attest/intoto"
)

// Format is the form in which attestation content is stored.
type Format string

// The forms attestation content takes in OCI storage.
const (
	// FormatStatement is a bare, unsigned in-toto statement, as Docker
	// Hardened Images and BuildKit store them; a separate signature (such as
	// a cosign simple-signing signature on the manifest) may cover it.
	FormatStatement Format = "in-toto-statement"
	// FormatDSSE is a DSSE envelope, as cosign's legacy .att tags and
	// docker/attest store them.
	FormatDSSE Format = "dsse-envelope"
	// FormatBundle is a sigstore bundle (v0.1 to v0.3), as cosign v3 stores
	// attestations and signatures.
	FormatBundle Format = "sigstore-bundle"
)

// Formats returns every Format, in a fixed order.
func Formats() []Format { return []Format{FormatStatement, FormatDSSE, FormatBundle} }

// Valid reports whether f is one of the defined formats.
func (f Format) Valid() bool {
	switch f {
	case FormatStatement, FormatDSSE, FormatBundle:
		return true
	}
	return false
}

// Content is attestation content decoded from its storage form. Nothing in
// it has been verified: package attest's verification functions decide what
// may be trusted.
type Content struct {
	// Format is the form the content was stored in.
	Format Format
	// Statement is the in-toto statement the content carries, decoded but
	// unverified. It is nil only for a sigstore bundle that carries a message
	// signature instead of a DSSE envelope.
	Statement *intoto.Statement
	// Envelope is the DSSE envelope, for FormatDSSE and for bundles that
	// carry one.
	Envelope *Envelope
	// Bundle is the sigstore bundle, for FormatBundle.
	Bundle *sgbundle.Bundle
}

// sniff holds the top-level fields that tell the storage forms apart, plus
// those of the two forms decoded without a second pass.
type sniff struct {
	// in-toto statement
	Type          string           `json:"_type"`
	Subject       []intoto.Subject `json:"subject"`
	PredicateType string           `json:"predicateType"`
	Predicate     json.RawMessage  `json:"predicate"`
	// DSSE envelope
	PayloadType string              `json:"payloadType"`
	Payload     []byte              `json:"payload"`
	Signatures  []EnvelopeSignature `json:"signatures"`
	// sigstore bundle
	MediaType string `json:"mediaType"`
}

// decodeSniff decodes the top-level fields of b in one pass over it: the
// predicate, which may be megabytes, is kept as a slice of b, not decoded
// (its parser checks it).
func decodeSniff(b []byte) (sniff, error) {
	var s sniff
	m, err := intoto.MembersJSON(b, "_type", "subject", "predicateType", "predicate", "payloadType", "payload", "signatures", "mediaType")
	if err != nil {
		return s, err
	}
	for _, f := range []struct {
		key string
		v   any
	}{
		{"_type", &s.Type}, {"subject", &s.Subject}, {"predicateType", &s.PredicateType},
		{"payloadType", &s.PayloadType}, {"payload", &s.Payload}, {"signatures", &s.Signatures}, {"mediaType", &s.MediaType},
	} {
		if raw, ok := m[f.key]; ok {
			if err := json.Unmarshal(raw, f.v); err != nil {
				return s, fmt.Errorf("%s: %w", f.key, err)
			}
		}
	}
	s.Predicate = m["predicate"]
	return s, nil
}

// bundleMediaTypePrefix starts the media type of every sigstore bundle
// version ("application/vnd.dev.sigstore.bundle+json;version=0.1",
// "application/vnd.dev.sigstore.bundle.v0.3+json").
const bundleMediaTypePrefix = "application/vnd.dev.sigstore.bundle"

// Parse decodes attestation content, detecting its form by content rather
// than by labels: a top-level "_type" means a bare in-toto statement,
// "payloadType" a DSSE envelope, and a sigstore bundle media type a bundle.
// For envelopes and bundles carrying in-toto payloads it also decodes the
// statement inside.
//
// Parse verifies nothing; see [Verifier] for what may be trusted.
func Parse(b []byte) (*Content, error) {
	s, err := decodeSniff(b)
	if err != nil {
		return nil, fmt.Errorf("%w: decoding attestation content: %v", ErrInvalid, err)
	}
	switch {
	case s.Type != "":
		if s.PayloadType != "" || s.MediaType != "" {
			return nil, fmt.Errorf("%w: content has fields of more than one form (_type with payloadType or mediaType)", ErrInvalid)
		}
		st := &intoto.Statement{Type: s.Type, Subject: s.Subject, PredicateType: s.PredicateType, Predicate: s.Predicate}
		if !intoto.IsStatementType(st.Type) {
			return nil, fmt.Errorf("%w: unknown in-toto statement _type %q", ErrUnknownFormat, st.Type)
		}
		if err := st.Validate(); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		return &Content{Format: FormatStatement, Statement: st}, nil
	case s.PayloadType != "":
		if s.MediaType != "" {
			return nil, fmt.Errorf("%w: content has fields of more than one form (payloadType with mediaType)", ErrInvalid)
		}
		env := &Envelope{PayloadType: s.PayloadType, Payload: s.Payload, Signatures: s.Signatures}
		if len(env.Payload) == 0 {
			return nil, fmt.Errorf("%w: DSSE envelope has no payload", ErrInvalid)
		}
		c := &Content{Format: FormatDSSE, Envelope: env}
		if err := c.decodeEnvelopeStatement(); err != nil {
			return nil, err
		}
		return c, nil
	case strings.HasPrefix(s.MediaType, bundleMediaTypePrefix):
		return parseBundle(b)
	}
	return nil, ErrUnknownFormat
}

func parseBundle(b []byte) (*Content, error) {
	var bun sgbundle.Bundle
	if err := bun.UnmarshalJSON(b); err != nil {
		return nil, fmt.Errorf("%w: decoding sigstore bundle: %v", ErrInvalid, err)
	}
	c := &Content{Format: FormatBundle, Bundle: &bun}
	if pe := bun.GetDsseEnvelope(); pe != nil {
		env := &Envelope{PayloadType: pe.GetPayloadType(), Payload: pe.GetPayload()}
		for _, sig := range pe.GetSignatures() {
			env.Signatures = append(env.Signatures, EnvelopeSignature{KeyID: sig.GetKeyid(), Sig: sig.GetSig()})
		}
		c.Envelope = env
		if err := c.decodeEnvelopeStatement(); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// decodeEnvelopeStatement decodes the in-toto statement of an envelope whose
// payload type says it carries one.
func (c *Content) decodeEnvelopeStatement() error {
	if c.Envelope.PayloadType != PayloadTypeInToto {
		return nil
	}
	st, err := ParseStatement(c.Envelope.Payload)
	if err != nil {
		return fmt.Errorf("decoding the statement in a %s: %w", c.Format, err)
	}
	c.Statement = st
	return nil
}

// PredicateType returns the predicate type of the statement the content
// carries, or "" when it carries none.
func (c *Content) PredicateType() string {
	if c.Statement == nil {
		return ""
	}
	return c.Statement.PredicateType
}
