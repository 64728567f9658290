package attest

import (
	"errors"
	"fmt"
)

// VerifyEnvelope verifies the signatures of a DSSE envelope over its
// pre-authentication encoding against the keyring: each signature under
// the key its keyid names (when it is the key's ID), else under every key.
// ECDSA signatures may be ASN.1 DER or raw r||s. Enough signatures from
// distinct keys must verify ([WithThreshold]); the others are reported. The
// envelope's in-toto statement must then name the artifact as a subject.
//
// VerifyEnvelope does not check predicate types, and it cannot establish
// when the envelope was signed: a bare DSSE envelope carries no
// transparency-log entry or signed timestamp, so it fails when the policy
// requires either, and key validity windows are checked only as
// [WithKeyValidityEnforced] says.
//
// Callers must pass the artifact they are about to use, and must use
// [Result.Statement] only when the error is nil.
func (v *Verifier) VerifyEnvelope(env *Envelope, artifact Artifact) (*Result, error) {
	res := &Result{Target: artifact.String()}
	if env == nil {
		return v.finish(res, "", &VerificationError{Link: LinkSignature, Reason: "no envelope", Err: ErrUnsigned})
	}
	if !artifact.valid() {
		return nil, errors.New("attest: VerifyEnvelope needs an artifact (ArtifactBytes, ArtifactDigest or AnyArtifactUnsafe)")
	}
	res.Signatures = v.verifyEnvelopeSigs(env, cosignEvidence{})
	failure := v.tallySignatures(res)
	st, failure := v.statementChecks(res, failure, env.PayloadType, env.Payload, artifact)
	res.Statement = st
	return v.finish(res, res.Target, failure)
}

// verifyEnvelopeSigs verifies each signature of a DSSE envelope. ev is the
// evidence cosign stored beside a legacy .att layer (its Rekor bundle and
// timestamp), which covers an envelope of one signature.
func (v *Verifier) verifyEnvelopeSigs(env *Envelope, ev cosignEvidence) []SignatureResult {
	pae := env.PAE()
	hasEvidence := len(ev.rekor) > 0 || len(ev.timestamp) > 0
	out := make([]SignatureResult, 0, len(env.Signatures))
	for i, s := range env.Signatures {
		sr := SignatureResult{Kind: SignatureDSSE, Index: i, Checks: []Check{}}
		keys, named := v.keys.candidates(s.KeyID)
		var used *Key
		for _, k := range keys {
			if k.verify(pae, s.Sig) {
				used = k
				break
			}
		}
		if used == nil {
			switch id := keyIDFromHint(s.KeyID); {
			case named:
				sr.fail(LinkSignature, ErrSignature, fmt.Sprintf("signature does not verify under key %s, which its keyid names", keyLabel(keys[0])))
			case id != "":
				sr.fail(LinkSignature, ErrUntrustedKey, fmt.Sprintf("signed by key %s, which is not trusted (the envelope's keyid names it; no trusted key verifies the signature)", id))
			case len(keys) == 0:
				sr.fail(LinkSignature, ErrUntrustedKey, "the keyring holds no key")
			default:
				sr.fail(LinkSignature, ErrSignature, fmt.Sprintf("signature does not verify under any of the %d trusted keys (another key, or altered content)", len(keys)))
			}
			out = append(out, sr)
			continue
		}
		if hasEvidence && v.cfg.trusted != nil && len(env.Signatures) == 1 {
			// Verify the Rekor bundle and timestamp with sigstore-go, as
			// a DSSE bundle under the key found.
			b, err := envelopeBundle(env, ev, used)
			if err != nil {
				sr.add(LinkSignature, CheckPassed, "verifies under key "+keyLabel(used))
				sr.fail(LinkTransparencyLog, fmt.Errorf("%w: %w", ErrTransparencyLog, err), err.Error())
			} else {
				sr = v.verifyBundleSig(b, AnyArtifactUnsafe(), used)
				sr.Kind, sr.Index = SignatureDSSE, i
			}
			out = append(out, sr)
			continue
		}
		sr.Key = used.info()
		sr.signer = "key:" + used.id
		sr.add(LinkSignature, CheckPassed, "verifies under key "+keyLabel(used))
		why := "no trusted root"
		if v.cfg.trusted != nil {
			why = "it can cover an envelope of one signature only"
		}
		if !v.noEvidence(&sr, "the envelope", len(ev.rekor) > 0, len(ev.timestamp) > 0, why) {
			out = append(out, sr)
			continue
		}
		v.checkKey(&sr, used)
		out = append(out, sr)
	}
	return out
}

// noEvidence records the transparency-log entry and signed timestamp of a
// signature that is not verified through a sigstore bundle: absent, or
// present but not checkable (why says why). It fails the
// signature when the policy requires what is absent, and reports whether
// the signature may still count.
func (v *Verifier) noEvidence(sr *SignatureResult, form string, tlogPresent, tsaPresent bool, why string) bool {
	if v.cfg.requireTlog && !tlogPresent {
		sr.fail(LinkTransparencyLog, ErrTransparencyLog, form+" carries no transparency-log entry, and the policy requires one")
		return false
	}
	if v.cfg.requireTimestamp && !tsaPresent {
		sr.fail(LinkTimestamp, ErrTimestamp, form+" carries no signed timestamp, and the policy requires one")
		return false
	}
	if tlogPresent {
		sr.add(LinkTransparencyLog, CheckSkipped, "entry present but not checked: "+why)
	} else {
		sr.add(LinkTransparencyLog, CheckSkipped, "no transparency-log entry")
	}
	if tsaPresent {
		sr.add(LinkTimestamp, CheckSkipped, "timestamp present but not checked: "+why)
	} else {
		sr.add(LinkTimestamp, CheckSkipped, "no signed timestamp")
	}
	return true
}
