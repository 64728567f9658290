package attest

import (
	"errors"
	"fmt"
)

// Verification sentinels. Every error that [Verifier] methods return for a
// failed check is a [*VerificationError] wrapping one of these (or
// [ErrPredicateTypeMismatch]), and errors.Is(err, ErrVerification) holds for
// all of them.
var (
	// ErrVerification reports that verification failed; every other
	// verification sentinel wraps it.
	ErrVerification = errors.New("attest: verification failed")
	// ErrUnsigned reports an attestation or envelope without any signature.
	ErrUnsigned = fmt.Errorf("%w: no signature", ErrVerification)
	// ErrSignature reports a signature that does not verify over what it
	// claims to sign under any trusted key or certificate.
	ErrSignature = fmt.Errorf("%w: invalid signature", ErrVerification)
	// ErrUntrustedKey reports a signature made with a key that policy does
	// not trust: a key the keyring does not hold, or one of its sub-cases.
	ErrUntrustedKey = fmt.Errorf("%w: signing key not trusted", ErrVerification)
	// ErrRetiredKey reports a signature made with a retired key when the
	// verifier refuses retired keys ([WithRetiredKeysRefused]).
	ErrRetiredKey = fmt.Errorf("%w: retired key", ErrUntrustedKey)
	// ErrKeyValidity reports a signature made outside its key's validity
	// window, or, with [WithKeyValidityEnforced], one whose time could not be
	// established.
	ErrKeyValidity = fmt.Errorf("%w: outside the key's validity window", ErrUntrustedKey)
	// ErrUntrustedIdentity reports a keyless signature whose certificate
	// does not chain to the trusted root or names an identity the policy
	// does not trust.
	ErrUntrustedIdentity = fmt.Errorf("%w: certificate identity not trusted", ErrVerification)
	// ErrTransparencyLog reports a transparency-log entry that is missing
	// although required, or present but invalid.
	ErrTransparencyLog = fmt.Errorf("%w: transparency log", ErrVerification)
	// ErrTimestamp reports a signed (RFC 3161) timestamp that is missing
	// although required, or present but invalid.
	ErrTimestamp = fmt.Errorf("%w: signed timestamp", ErrVerification)
	// ErrThreshold reports fewer valid signatures from distinct signers than
	// the policy requires ([WithThreshold]).
	ErrThreshold = fmt.Errorf("%w: too few valid signatures", ErrVerification)
	// ErrManifestMismatch reports a signature over another manifest than the
	// attestation manifest, or manifest bytes that do not hash to its digest.
	ErrManifestMismatch = fmt.Errorf("%w: signature is over another manifest", ErrVerification)
	// ErrLayerMismatch reports an attestation layer that the signed
	// manifest does not list at the attestation's position.
	ErrLayerMismatch = fmt.Errorf("%w: layer not listed in the signed manifest", ErrVerification)
	// ErrSubjectMismatch reports a statement that is not about the artifact
	// being verified (for attestations, the image manifest they were found
	// for), however valid its signature.
	ErrSubjectMismatch = fmt.Errorf("%w: statement is about another artifact", ErrVerification)
)

// VerificationError reports the first broken link of a chain of trust: what
// was being verified, which link or check failed, and why. Its Err wraps a
// verification sentinel such as [ErrSignature] or [ErrSubjectMismatch];
// errors.Is(err, ErrVerification) holds for every VerificationError.
type VerificationError struct {
	// Link is the link or check that failed.
	Link Link
	// Digest is the digest of what was being verified: the attestation
	// manifest for [Verifier.Verify], the signed manifest for
	// [Verifier.VerifySignature]; empty when there is none.
	Digest string
	// PredicateType is the predicate type of the statement being verified,
	// when known.
	PredicateType string
	// Reason says what was wrong, in words.
	Reason string
	// Err is the sentinel (possibly wrapped with more detail).
	Err error
}

// Error implements error.
func (e *VerificationError) Error() string {
	msg := "attest: verifying"
	if e.PredicateType != "" {
		msg += " " + e.PredicateType
	}
	if e.Digest != "" {
		msg += " " + e.Digest
	}
	if msg == "attest: verifying" {
		msg = "attest: verification"
	}
	msg += ": " + string(e.Link) + " link broken"
	if e.Reason != "" {
		return msg + ": " + e.Reason
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *VerificationError) Unwrap() error { return e.Err }

// Is reports whether target is [ErrVerification], which every
// VerificationError is.
func (e *VerificationError) Is(target error) bool { return target == ErrVerification }
