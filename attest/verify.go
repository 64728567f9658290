package attest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dhisdk/dhisdk/attest/intoto"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Verifier verifies attestations and signatures against trusted keys and
// identities, under a policy. Verification is offline: it reads nothing
// from the network, and takes no context. A Verifier is immutable and safe
// for concurrent use.
type Verifier struct {
	keys *Keyring
	cfg  verifierConfig
}

// NewVerifier returns a verifier that trusts the keys of keys (which may be
// nil when only keyless identities are trusted) under the policy the
// options set. With no key and no identity it returns an error: it would
// verify nothing.
//
// The defaults fail closed: one valid signature from a trusted key is
// required ([WithThreshold]); keyless signatures are refused unless
// [WithTrustedRoot] and [WithIdentity] are given; transparency-log entries
// and signed timestamps are verified when present and a trusted root is
// given, and required only with [WithTransparencyLog] and
// [WithSignedTimestamp]; retired keys are accepted and flagged unless
// [WithRetiredKeysRefused].
func NewVerifier(keys *Keyring, opts ...VerifierOption) (*Verifier, error) {
	cfg, err := makeVerifierConfig(keys, opts)
	if err != nil {
		return nil, err
	}
	if keys == nil {
		keys = &Keyring{byID: map[string]*Key{}}
	}
	return &Verifier{keys: keys, cfg: cfg}, nil
}

// Verify verifies one discovered attestation by every means it offers: the
// signatures stored beside its manifest (cosign simple-signing signatures,
// sigstore bundles over the manifest) and the signatures inside its content
// (each signature of a DSSE envelope, a sigstore bundle). Enough of them
// must verify under trusted keys or identities ([WithThreshold]). It then
// follows the chain of trust link by link:
//
//   - signature -> attestation manifest: a detached signature names the
//     attestation manifest's digest (a simple-signing payload's
//     critical.image.docker-manifest-digest, a bundle statement's subject),
//     and the manifest bytes hash to it;
//   - manifest -> layer: the signed manifest lists the attestation's layer
//     at its position with its digest (discovery checked the layer's bytes
//     against that digest when it read them);
//   - layer -> statement: the content is an in-toto statement (when a
//     signature inside the layer verified, the statement decoded from the
//     payload it signs);
//   - statement -> subject: the statement names the image manifest the
//     attestation was found for (att.Target), so an attestation about
//     another image is rejected however valid its signature;
//   - predicate type: every predicate-type annotation agrees with the
//     statement.
//
// When only content signatures verify, the manifest and layer links are
// skipped: the statement is signed directly. Verify always returns a
// [Result]; the error is nil exactly when Result.Verified is true, and is
// otherwise a [*VerificationError] naming the first broken link.
//
// Verify does not check a simple-signing payload's docker-reference against
// the repository (Docker Hardened Images sign with registry.scout.docker.com
// names); it reports it. It does not re-hash the layer blob, which
// [Attestation] does not keep: it relies on discovery having checked it. It
// does not check the manifest's subject field, nor the attestation's
// freshness: an old attestation verifies as long as its key is trusted.
//
// Callers must pass an attestation found for the image they are about to
// use (att.Target), use its content only when the error is nil (preferably
// through [Result.Statement]), and read Result.NotChecked when it matters
// what was not proven (no transparency-log entry, no timestamp, a retired
// key).
func (v *Verifier) Verify(att *Attestation) (*Result, error) {
	if att == nil {
		return nil, errors.New("attest: Verify of a nil attestation")
	}
	res := &Result{
		Manifest:      att.Manifest.Digest.String(),
		Target:        att.Target.Digest.String(),
		PredicateType: att.PredicateType,
		Checks:        []Check{},
		Signatures:    []SignatureResult{},
	}
	digest := res.Manifest
	c := att.Content
	if c == nil {
		reason := "attestation content was not read"
		var err error = ErrInvalid
		if att.Err != nil {
			reason += ": " + att.Err.Error()
			err = att.Err
		}
		res.add(LinkStatement, CheckFailed, reason)
		return v.finish(res, digest, &VerificationError{Link: LinkStatement, Reason: reason, Err: err})
	}

	for _, s := range att.Signatures {
		if s != nil {
			res.Signatures = append(res.Signatures, v.verifyDetached(s, att.Manifest.Digest))
		}
	}
	switch {
	case c.Format == FormatDSSE && c.Envelope != nil:
		ev := cosignEvidence{
			rekor:     annotationBytes(att.Layer, AnnotationCosignBundle),
			timestamp: annotationBytes(att.Layer, AnnotationCosignRFC3161Timestamp),
		}
		res.Signatures = append(res.Signatures, v.verifyEnvelopeSigs(c.Envelope, ev)...)
	case c.Format == FormatBundle && c.Bundle != nil:
		res.Signatures = append(res.Signatures, v.verifyBundleSig(c.Bundle, AnyArtifactUnsafe(), nil))
	}
	failure := v.tallySignatures(res)
	var detachedOK, contentOK bool
	for _, s := range res.Signatures {
		if s.Verified {
			detachedOK = detachedOK || s.Detached
			contentOK = contentOK || !s.Detached
		}
	}

	m := parseAttestationManifest(att.RawManifest)
	switch {
	case detachedOK:
		failure = firstFailure(failure, v.manifestLinks(res, att, m))
	case contentOK:
		why := "the statement is signed inside the layer (" + string(c.Format) + "); the manifest is not part of the chain"
		res.add(LinkManifest, CheckSkipped, why)
		res.add(LinkLayer, CheckSkipped, why)
	default:
		manifestCheck := Check{Link: LinkManifest, Status: CheckSkipped, Detail: "no signature verified"}
		for _, s := range res.Signatures {
			if s.err != nil && s.err.Link == LinkManifest {
				manifestCheck = Check{Link: LinkManifest, Status: CheckFailed, Detail: s.err.Reason}
				break
			}
		}
		res.Checks = append(res.Checks, manifestCheck)
		res.add(LinkLayer, CheckSkipped, "no signature verified")
	}

	target := ArtifactDigest(att.Target.Digest.String())
	if isIndex(att.Target.MediaType) {
		// Attestations hung on the index concern every platform; say so,
		// since a platform's statement never names the index.
		target.what = "the image index "
	}
	var st *intoto.Statement
	if contentOK {
		pt, payload := signedPayload(c)
		st, failure = v.decodeStatement(res, failure, pt, payload)
	} else if c.Statement == nil {
		reason := "the " + string(c.Format) + " carries no in-toto statement"
		res.add(LinkStatement, CheckFailed, reason)
		failure = firstFailure(failure, &VerificationError{Link: LinkStatement, Reason: reason, Err: ErrInvalid})
	} else {
		st = c.Statement
		res.PredicateType = st.PredicateType
		res.add(LinkStatement, CheckPassed, fmt.Sprintf("in-toto statement %s, predicate type %s", st.Type, st.PredicateType))
	}
	if st != nil {
		failure = v.subjectCheck(res, failure, st, target)
		failure = firstFailure(failure, predicateTypeCheck(res, att, m, st))
	}
	res.Statement = st
	return v.finish(res, digest, failure)
}

// annotationBytes returns the annotation k of d, or nil when it is absent
// or empty.
func annotationBytes(d v1.Descriptor, k string) []byte {
	if v := d.Annotations[k]; v != "" {
		return []byte(v)
	}
	return nil
}

// signedPayload returns the payload type and payload that the content's own
// signatures sign: the DSSE envelope's, or the bundle's envelope's.
func signedPayload(c *Content) (string, []byte) {
	if c.Format == FormatBundle && c.Bundle != nil {
		env := c.Bundle.GetDsseEnvelope()
		return env.GetPayloadType(), env.GetPayload()
	}
	if c.Envelope != nil {
		return c.Envelope.PayloadType, c.Envelope.Payload
	}
	return "", nil
}

// attestationManifest is the part of an attestation manifest that
// verification reads.
type attestationManifest struct {
	Layers      []v1.Descriptor   `json:"layers"`
	Annotations map[string]string `json:"annotations"`
	err         error
}

func parseAttestationManifest(b []byte) *attestationManifest {
	m := &attestationManifest{}
	if len(b) == 0 {
		m.err = errors.New("the attestation manifest's bytes are missing")
		return m
	}
	if err := json.Unmarshal(b, m); err != nil {
		m.err = fmt.Errorf("decoding the attestation manifest: %v", err)
	}
	return m
}

// manifestLinks checks that the manifest bytes hash to the signed digest and
// list the attestation's layer.
func (v *Verifier) manifestLinks(res *Result, att *Attestation, m *attestationManifest) *VerificationError {
	fail := func(l Link, sentinel error, reason string) *VerificationError {
		res.add(l, CheckFailed, reason)
		if l == LinkManifest {
			res.add(LinkLayer, CheckSkipped, "the manifest link is broken")
		}
		return &VerificationError{Link: l, Reason: reason, Err: sentinel}
	}
	d := att.Manifest.Digest
	if len(att.RawManifest) == 0 {
		return fail(LinkManifest, ErrManifestMismatch, "the attestation manifest's bytes are missing, so the signed digest cannot be linked to a layer")
	}
	sum := sha256.Sum256(att.RawManifest)
	if got := "sha256:" + hex.EncodeToString(sum[:]); d.Algorithm != "sha256" || got != d.String() {
		return fail(LinkManifest, ErrManifestMismatch, fmt.Sprintf("the manifest bytes hash to %s, not the signed digest %s", got, d))
	}
	res.add(LinkManifest, CheckPassed, "signature names "+d.String()+", and the manifest bytes hash to it")
	if m.err != nil {
		return fail(LinkLayer, ErrLayerMismatch, m.err.Error())
	}
	i := att.LayerIndex
	if i < 0 || i >= len(m.Layers) {
		return fail(LinkLayer, ErrLayerMismatch, fmt.Sprintf("the signed manifest has %d layers, none at position %d", len(m.Layers), i))
	}
	l := m.Layers[i]
	if l.Digest != att.Layer.Digest || l.Size != att.Layer.Size || l.MediaType != att.Layer.MediaType {
		return fail(LinkLayer, ErrLayerMismatch, fmt.Sprintf("the signed manifest lists layer %d as %s (%d bytes, %s), but the attestation was read from %s (%d bytes, %s)",
			i, l.Digest, l.Size, l.MediaType, att.Layer.Digest, att.Layer.Size, att.Layer.MediaType))
	}
	res.add(LinkLayer, CheckPassed, fmt.Sprintf("the signed manifest lists layer %d as %s; its bytes were checked against that digest when read", i, l.Digest))
	return nil
}

// predicateTypeCheck checks every predicate-type annotation of the
// attestation against the statement.
func predicateTypeCheck(res *Result, att *Attestation, m *attestationManifest, st *intoto.Statement) *VerificationError {
	type claim struct{ where, value string }
	var claims []claim
	keys := []string{AnnotationPredicateType, AnnotationCosignPredicateType, AnnotationBundlePredicateType}
	for _, k := range keys {
		if val := att.Layer.Annotations[k]; val != "" {
			claims = append(claims, claim{"layer annotation " + k, val})
		}
	}
	if m.err == nil {
		if i := att.LayerIndex; i >= 0 && i < len(m.Layers) {
			for _, k := range keys {
				if val := m.Layers[i].Annotations[k]; val != "" {
					claims = append(claims, claim{"manifest layer annotation " + k, val})
				}
			}
		}
		for _, k := range keys {
			if val := m.Annotations[k]; val != "" {
				claims = append(claims, claim{"manifest annotation " + k, val})
			}
		}
	}
	if att.PredicateType != "" {
		claims = append(claims, claim{"discovered predicate type", att.PredicateType})
	}
	for _, c := range claims {
		if c.value != st.PredicateType {
			reason := fmt.Sprintf("%s says %q, the statement says %q", c.where, c.value, st.PredicateType)
			res.add(LinkPredicateType, CheckFailed, reason)
			return &VerificationError{Link: LinkPredicateType, Reason: reason, Err: ErrPredicateTypeMismatch}
		}
	}
	if len(claims) == 0 {
		res.add(LinkPredicateType, CheckSkipped, "no predicate-type annotation")
		return nil
	}
	res.add(LinkPredicateType, CheckPassed, fmt.Sprintf("%d annotation(s) agree with %s", len(claims), st.PredicateType))
	return nil
}

// decodeStatement decodes the statement of a verified payload, recording
// the statement link.
func (v *Verifier) decodeStatement(res *Result, failure *VerificationError, payloadType string, payload []byte) (*intoto.Statement, *VerificationError) {
	if payloadType != PayloadTypeInToto {
		reason := fmt.Sprintf("payload type %q is not an in-toto statement", payloadType)
		res.add(LinkStatement, CheckFailed, reason)
		return nil, firstFailure(failure, &VerificationError{Link: LinkStatement, Reason: reason, Err: ErrInvalid})
	}
	st, err := ParseStatement(payload)
	if err != nil {
		reason := "decoding the signed statement: " + err.Error()
		res.add(LinkStatement, CheckFailed, reason)
		return nil, firstFailure(failure, &VerificationError{Link: LinkStatement, Reason: reason, Err: err})
	}
	res.PredicateType = st.PredicateType
	res.add(LinkStatement, CheckPassed, fmt.Sprintf("in-toto statement %s, predicate type %s", st.Type, st.PredicateType))
	return st, failure
}

// subjectCheck checks that st names the artifact, recording the subject
// link.
func (v *Verifier) subjectCheck(res *Result, failure *VerificationError, st *intoto.Statement, artifact Artifact) *VerificationError {
	if artifact.any {
		res.add(LinkSubject, CheckSkipped, "any artifact accepted (AnyArtifactUnsafe); subjects: "+subjectDigests(st))
		return failure
	}
	ok, want := artifact.named(st)
	want = artifact.what + want
	if !ok {
		reason := fmt.Sprintf("statement names %s, not %s", subjectDigests(st), want)
		res.add(LinkSubject, CheckFailed, reason)
		return firstFailure(failure, &VerificationError{Link: LinkSubject, Reason: reason, Err: ErrSubjectMismatch})
	}
	res.add(LinkSubject, CheckPassed, "statement names "+want)
	return failure
}

// tallySignatures records the signature link: whether enough distinct
// signers verified. It returns the failure when they did not.
func (v *Verifier) tallySignatures(res *Result) *VerificationError {
	signers := map[string]bool{}
	valid := 0
	for _, s := range res.Signatures {
		if s.Verified {
			valid++
			signers[s.signer] = true
		}
	}
	n, want := len(signers), v.cfg.threshold
	if n >= want {
		res.add(LinkSignature, CheckPassed, fmt.Sprintf("%d valid signature(s) from %d distinct signer(s), %d required", valid, n, want))
		return nil
	}
	var f *VerificationError
	switch {
	case len(res.Signatures) == 0:
		f = &VerificationError{Link: LinkSignature, Reason: "no signature: nothing signs the manifest or the content", Err: ErrUnsigned}
	case n == 0:
		best := bestFailure(res.Signatures)
		f = &VerificationError{Link: best.Link, Reason: best.Reason, Err: best.Err}
		if len(res.Signatures) > 1 {
			f.Reason = fmt.Sprintf("none of %d signatures verified; %s", len(res.Signatures), best.Reason)
		}
	default:
		f = &VerificationError{Link: LinkSignature, Reason: fmt.Sprintf("%d distinct signer(s) verified, %d required", n, want), Err: ErrThreshold}
	}
	res.add(LinkSignature, CheckFailed, f.Reason)
	return f
}

// bestFailure returns the failure of the signature that got furthest along
// the chain: one over another manifest says more than one that does not
// verify at all.
func bestFailure(sigs []SignatureResult) *VerificationError {
	rank := func(l Link) int {
		switch l {
		case LinkManifest:
			return 4
		case LinkKeyStatus, LinkKeyValidity:
			return 3
		case LinkTransparencyLog, LinkTimestamp, LinkIdentity:
			return 2
		}
		return 1
	}
	var best *VerificationError
	for _, s := range sigs {
		if s.err != nil && (best == nil || rank(s.err.Link) > rank(best.Link)) {
			best = s.err
		}
	}
	if best == nil {
		best = &VerificationError{Link: LinkSignature, Reason: "no signature verified", Err: ErrSignature}
	}
	return best
}

// finish completes a result: it lists what was not checked and sets
// Verified, or attaches the failure.
func (v *Verifier) finish(res *Result, digest string, failure *VerificationError) (*Result, error) {
	if res.Checks == nil {
		res.Checks = []Check{}
	}
	if res.Signatures == nil {
		res.Signatures = []SignatureResult{}
	}
	note := func(c Check) {
		switch c.Status {
		case CheckSkipped:
			res.notChecked(string(c.Link) + ": " + c.Detail)
		case CheckFlagged:
			res.notChecked(string(c.Link) + " (flagged): " + c.Detail)
		}
	}
	for _, s := range res.Signatures {
		if s.Verified {
			for _, c := range s.Checks {
				note(c)
			}
		}
	}
	for _, c := range res.Checks {
		note(c)
	}
	if failure != nil {
		if failure.Digest == "" {
			failure.Digest = digest
		}
		if failure.PredicateType == "" {
			failure.PredicateType = res.PredicateType
		}
		res.Verified = false
		res.Statement = nil
		return res, failure
	}
	res.Verified = true
	return res, nil
}
