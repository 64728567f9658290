package provenance

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Parse errors wrap [ErrInvalid] or [ErrUnsupported]; the
// Check methods return a [*PolicyError] (which wraps [ErrPolicy]) or an error
// wrapping [ErrInvalidPolicy].
var (
	// ErrInvalid reports a document that is not JSON, or whose fields
	// defined by the SLSA specifications are missing or of the wrong type.
	ErrInvalid = errors.New("provenance: invalid document")
	// ErrUnsupported reports a document that is not a SLSA provenance
	// (v0.1, v0.2, v1) or SLSA verification summary (v1) predicate: an
	// unknown predicate type, another version, or another shape such as a
	// DSSE envelope or a sigstore bundle that must be opened first.
	ErrUnsupported = errors.New("provenance: unsupported document")
	// ErrPolicy reports that a document does not meet a policy. The error
	// returned is a [*PolicyError] that lists every mismatch.
	ErrPolicy = errors.New("provenance: policy not met")
	// ErrInvalidPolicy reports a policy that cannot be checked: it expects
	// nothing, or an expected value is malformed.
	ErrInvalidPolicy = errors.New("provenance: invalid policy")
)

// Check names one expectation of a [BuildPolicy] or [VSAPolicy].
type Expectation string

// The checks a policy can make.
const (
	// ExpectBuilderID compares the provenance's builder ID with
	// BuildPolicy.BuilderIDs.
	ExpectBuilderID Expectation = "builder-id"
	// ExpectSourceRepository compares the provenance's source repository
	// with BuildPolicy.SourceRepository.
	ExpectSourceRepository Expectation = "source-repository"
	// ExpectSourceRef compares the provenance's source ref with
	// BuildPolicy.SourceRef.
	ExpectSourceRef Expectation = "source-ref"
	// ExpectVerificationResult requires a VSA's verificationResult to be
	// PASSED.
	ExpectVerificationResult Expectation = "verification-result"
	// ExpectVerifierID compares a VSA's verifier ID with
	// VSAPolicy.VerifierIDs.
	ExpectVerifierID Expectation = "verifier-id"
	// ExpectResourceURI requires a VSA's resourceUri to name
	// VSAPolicy.ResourceDigest.
	ExpectResourceURI Expectation = "resource-uri"
	// ExpectPolicyURI compares a VSA's policy URI with VSAPolicy.PolicyURI.
	ExpectPolicyURI Expectation = "policy-uri"
	// ExpectVerifiedLevel compares a VSA's verifiedLevels with
	// VSAPolicy.MinLevels.
	ExpectVerifiedLevel Expectation = "verified-level"
)

// Checks returns every [Expectation], in the order a policy applies them.
func Expectations() []Expectation {
	return []Expectation{
		ExpectBuilderID, ExpectSourceRepository, ExpectSourceRef,
		ExpectVerificationResult, ExpectVerifierID, ExpectResourceURI,
		ExpectPolicyURI, ExpectVerifiedLevel,
	}
}

// Valid reports whether c is one of the constants of this package.
func (c Expectation) Valid() bool {
	for _, k := range Expectations() {
		if c == k {
			return true
		}
	}
	return false
}

// Mismatch is one expectation of a policy that a document does not meet.
type Mismatch struct {
	// Check names the expectation.
	Expectation Expectation
	// Want describes what the policy expects.
	Want string
	// Got is the value the document holds; empty when the document has
	// none.
	Got string
}

// String returns the mismatch as "check: got X, want Y".
func (m Mismatch) String() string {
	got := "none"
	if m.Got != "" {
		got = fmt.Sprintf("%q", m.Got)
	}
	return fmt.Sprintf("%s: got %s, want %s", m.Expectation, got, m.Want)
}

// PolicyError is returned by [Provenance.CheckPolicy] and
// [VerificationSummary.CheckPolicy] when a document does not meet a policy. It
// lists every mismatch, not only the first, and wraps [ErrPolicy].
type PolicyError struct {
	// Mismatches lists the failed expectations, in the order of [Expectations].
	Mismatches []Mismatch
}

// Error lists the mismatches.
func (e *PolicyError) Error() string {
	parts := make([]string, len(e.Mismatches))
	for i, m := range e.Mismatches {
		parts[i] = m.String()
	}
	return ErrPolicy.Error() + ": " + strings.Join(parts, "; ")
}

// Unwrap returns [ErrPolicy].
func (e *PolicyError) Unwrap() error { return ErrPolicy }
