package attest

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// PayloadTypeInToto is the DSSE payload type of in-toto statements.
const PayloadTypeInToto = "application/vnd.in-toto+json"

// Envelope is a [DSSE] envelope: a payload with its type and any number of
// signatures over the envelope's pre-authentication encoding ([Envelope.PAE]).
//
// [DSSE]: https://github.com/secure-systems-lab/dsse/blob/master/envelope.md
type Envelope struct {
	// PayloadType is the media type of Payload, PayloadTypeInToto for
	// attestations.
	PayloadType string `json:"payloadType"`
	// Payload is the signed content, decoded from base64.
	Payload []byte `json:"payload"`
	// Signatures are the signatures over PAE(PayloadType, Payload).
	Signatures []EnvelopeSignature `json:"signatures"`
}

// EnvelopeSignature is one signature of a DSSE envelope.
type EnvelopeSignature struct {
	// KeyID is an optional hint naming the signing key.
	KeyID string `json:"keyid,omitempty"`
	// Sig is the signature, decoded from base64. ECDSA signatures occur in
	// both ASN.1 DER and raw r||s form.
	Sig []byte `json:"sig"`
}

// ParseEnvelope decodes a DSSE envelope. It checks the shape (payload type,
// base64 payload and signatures); it verifies no signature.
func ParseEnvelope(b []byte) (*Envelope, error) {
	var env Envelope
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, fmt.Errorf("%w: decoding DSSE envelope: %v", ErrInvalid, err)
	}
	if env.PayloadType == "" {
		return nil, fmt.Errorf("%w: DSSE envelope has no payloadType", ErrInvalid)
	}
	if len(env.Payload) == 0 {
		return nil, fmt.Errorf("%w: DSSE envelope has no payload", ErrInvalid)
	}
	return &env, nil
}

// PAE returns the DSSE pre-authentication encoding of the envelope's payload,
// the bytes its signatures sign.
func (e *Envelope) PAE() []byte {
	return PAE(e.PayloadType, e.Payload)
}

// PAE returns the DSSE v1 pre-authentication encoding of payloadType and
// payload: "DSSEv1" SP LEN(type) SP type SP LEN(payload) SP payload.
func PAE(payloadType string, payload []byte) []byte {
	b := make([]byte, 0, 32+len(payloadType)+len(payload))
	b = append(b, "DSSEv1 "...)
	b = strconv.AppendInt(b, int64(len(payloadType)), 10)
	b = append(b, ' ')
	b = append(b, payloadType...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(len(payload)), 10)
	b = append(b, ' ')
	b = append(b, payload...)
	return b
}
