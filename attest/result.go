package attest

import (
	"slices"
	"time"

	"github.com/dhisdk/dhisdk/attest/intoto"
)

// Link names one link of the chain of trust from a signature to the image an
// attestation is about, or one check within the signature link. The chain,
// in order: signature -> attestation manifest digest (LinkManifest) -> layer
// digest (LinkLayer) -> statement (LinkStatement) -> statement subject
// (LinkSubject) -> predicate-type annotation (LinkPredicateType).
type Link string

// The links and checks.
const (
	// LinkSignature: enough signatures verify under trusted keys or
	// identities.
	LinkSignature Link = "signature"
	// LinkTransparencyLog: a transparency-log entry of the signature
	// verifies against the trusted root.
	LinkTransparencyLog Link = "transparency-log"
	// LinkTimestamp: an RFC 3161 timestamp of the signature verifies against
	// the trusted root's timestamping authorities.
	LinkTimestamp Link = "signed-timestamp"
	// LinkKeyStatus: the signing key is active (or retired keys are
	// accepted).
	LinkKeyStatus Link = "key-status"
	// LinkKeyValidity: the signature was made inside its key's validity
	// window.
	LinkKeyValidity Link = "key-validity"
	// LinkIdentity: a keyless signature's certificate chains to the trusted
	// root and names a trusted identity.
	LinkIdentity Link = "identity"
	// LinkCertificateTransparency: a keyless signature's certificate has a
	// signed certificate timestamp (SCT) from a CT log of the trusted root.
	// It is skipped, and listed in [Result].NotChecked, when the trusted
	// root lists no CT log.
	LinkCertificateTransparency Link = "certificate-transparency"
	// LinkManifest: the signature is over the attestation manifest's digest,
	// and the manifest bytes hash to that digest.
	LinkManifest Link = "manifest"
	// LinkLayer: the signed manifest lists the attestation's layer at its
	// position, with the same digest.
	LinkLayer Link = "layer"
	// LinkStatement: the signed content holds a well-formed in-toto
	// statement.
	LinkStatement Link = "statement"
	// LinkSubject: the statement names the image manifest (or artifact) it
	// is verified for as a subject.
	LinkSubject Link = "subject"
	// LinkPredicateType: every predicate-type annotation agrees with the
	// statement's predicate type.
	LinkPredicateType Link = "predicate-type"
	// LinkDockerReference: the repository a cosign simple-signing payload
	// names. It is reported, never required to match where the signature
	// was found.
	LinkDockerReference Link = "docker-reference"
)

// Links returns every Link, in chain order with the signature's checks
// after the signature.
func Links() []Link {
	return []Link{LinkSignature, LinkTransparencyLog, LinkTimestamp, LinkKeyStatus, LinkKeyValidity,
		LinkIdentity, LinkCertificateTransparency, LinkManifest, LinkLayer, LinkStatement, LinkSubject, LinkPredicateType, LinkDockerReference}
}

// Valid reports whether l is one of the defined links.
func (l Link) Valid() bool { return slices.Contains(Links(), l) }

// CheckStatus is the outcome of one check.
type CheckStatus string

// The check outcomes.
const (
	// CheckPassed: the check was made and passed.
	CheckPassed CheckStatus = "passed"
	// CheckFailed: the check was made and failed.
	CheckFailed CheckStatus = "failed"
	// CheckSkipped: the check was not made; Detail says why. A skipped
	// check was not required by the policy (a required one that cannot be
	// made fails).
	CheckSkipped CheckStatus = "skipped"
	// CheckFlagged: the check passed under the policy, but the result
	// deserves attention (a retired key, a docker-reference naming another
	// repository).
	CheckFlagged CheckStatus = "flagged"
)

// CheckStatuses returns every CheckStatus, in a fixed order.
func CheckStatuses() []CheckStatus {
	return []CheckStatus{CheckPassed, CheckFailed, CheckSkipped, CheckFlagged}
}

// Valid reports whether s is one of the defined check statuses.
func (s CheckStatus) Valid() bool { return slices.Contains(CheckStatuses(), s) }

// Check is the outcome of one link or check.
type Check struct {
	// Link is the link or check.
	Link Link `json:"link"`
	// Status is its outcome.
	Status CheckStatus `json:"status"`
	// Detail says what was compared, or why the check failed or was skipped.
	Detail string `json:"detail,omitempty"`
}

// SignatureDSSE is one signature inside a DSSE envelope, which is not
// stored beside a manifest; the detached kinds are [SignatureSimpleSigning]
// and [SignatureBundle]. A [SignatureResult] may have any of the three.
const SignatureDSSE SignatureKind = "dsse"

// SignatureKinds returns every SignatureKind, in a fixed order.
func SignatureKinds() []SignatureKind {
	return []SignatureKind{SignatureSimpleSigning, SignatureDSSE, SignatureBundle}
}

// Valid reports whether k is one of the defined signature kinds.
func (k SignatureKind) Valid() bool { return slices.Contains(SignatureKinds(), k) }

// KeyInfo describes the key that made a signature.
type KeyInfo struct {
	// ID is the key's ID (hex sha256 of its DER SubjectPublicKeyInfo).
	ID string `json:"id"`
	// Name is the key's name; empty when it has none.
	Name string `json:"name,omitempty"`
	// Status is the key's status.
	Status KeyStatus `json:"status"`
	// NotBefore and NotAfter are the key's validity window; zero when open.
	NotBefore time.Time `json:"notBefore,omitzero"`
	NotAfter  time.Time `json:"notAfter,omitzero"`
}

// Identity is the identity a keyless (certificate) signature was made by.
type Identity struct {
	// Issuer is the OIDC issuer recorded in the certificate (Fulcio
	// extension 1.3.6.1.4.1.57264.1.8 or its predecessor).
	Issuer string `json:"issuer"`
	// Subject is the certificate's subject alternative name (an email
	// address or a URI such as a workflow reference).
	Subject string `json:"subject"`
}

// LogEntry is a transparency-log entry that was checked.
type LogEntry struct {
	// LogID is the log's ID (hex sha256 of its public key).
	LogID string `json:"logID"`
	// LogIndex is the entry's index in the log.
	LogIndex int64 `json:"logIndex"`
	// Kind is the entry's kind and version, such as "hashedrekord/0.0.1".
	Kind string `json:"kind,omitempty"`
	// IntegratedTime is when the log says it recorded the entry; zero for
	// logs (Rekor v2) that do not sign one.
	IntegratedTime time.Time `json:"integratedTime,omitzero"`
}

// Timestamp is a verified time at which a signature existed.
type Timestamp struct {
	// Source is "transparency-log" (an integrated time signed by the log) or
	// "timestamp-authority" (an RFC 3161 timestamp).
	Source string `json:"source"`
	// Authority is the log's or authority's URI, when the trusted root
	// names it.
	Authority string `json:"authority,omitempty"`
	// Time is the verified time.
	Time time.Time `json:"time"`
}

// Timestamp sources.
const (
	timestampSourceLog = "transparency-log"
	timestampSourceTSA = "timestamp-authority"
)

// SignatureResult is the outcome of verifying one signature.
type SignatureResult struct {
	// Kind is the signature's form (JSON "form").
	Kind SignatureKind `json:"form"`
	// Detached is true for signatures stored beside the attestation
	// manifest (cosign simple-signing, sigstore bundles over the manifest)
	// and false for signatures inside the attestation content.
	Detached bool `json:"detached"`
	// Manifest is the digest of the manifest holding a detached signature.
	Manifest string `json:"manifest,omitempty"`
	// Index is the signature's position among the envelope's signatures
	// (DSSE) or the signature layer's position in its manifest (detached).
	Index int `json:"index"`
	// Verified is true when the signature counts toward the threshold:
	// every check of the signature passed.
	Verified bool `json:"verified"`
	// Key is the trusted key the signature verified under, if any.
	Key *KeyInfo `json:"key,omitempty"`
	// Identity is the certificate identity of a keyless signature that
	// verified.
	Identity *Identity `json:"identity,omitempty"`
	// SignedDigest is the manifest digest a simple-signing payload names.
	SignedDigest string `json:"signedDigest,omitempty"`
	// DockerReference is the repository a simple-signing payload names.
	DockerReference string `json:"dockerReference,omitempty"`
	// TransparencyLog lists the transparency-log entries the signature
	// carries and, when LinkTransparencyLog passed, that were verified.
	TransparencyLog []LogEntry `json:"transparencyLog,omitempty"`
	// Timestamps lists the verified times of the signature.
	Timestamps []Timestamp `json:"timestamps,omitempty"`
	// Checks lists the signature's checks, in the order they were made.
	Checks []Check `json:"checks"`
	// Error is why the signature does not count; empty when Verified.
	Error string `json:"error,omitempty"`

	// err is the failure, kept for choosing the error Verify returns.
	err *VerificationError
	// signer identifies the signer for the threshold (key ID or identity).
	signer string
}

// Result says what a verification proved. It is returned whether or not
// verification succeeded; Verified is true only when every required check
// passed, and then the error returned beside it is nil.
type Result struct {
	// Verified is true when every required link and check passed.
	Verified bool `json:"verified"`
	// Manifest is the digest of the attestation manifest verified; empty for
	// verifications that involve none.
	Manifest string `json:"manifest,omitempty"`
	// Target is the digest the statement had to name as a subject: the
	// image manifest the attestation was found for, or the artifact given.
	Target string `json:"target,omitempty"`
	// PredicateType is the verified statement's predicate type.
	PredicateType string `json:"predicateType,omitempty"`
	// Checks lists the chain's links and checks, in chain order.
	Checks []Check `json:"checks"`
	// Signatures lists every signature examined, verified or not.
	Signatures []SignatureResult `json:"signatures"`
	// NotChecked says, in words, what was not verified: no
	// transparency-log entry, no signed timestamp, a retired key, a key
	// window that no trusted time could be checked against, a
	// docker-reference naming another repository.
	NotChecked []string `json:"notChecked,omitempty"`
	// Statement is the statement whose signature and subject were verified;
	// nil unless Verified.
	Statement *intoto.Statement `json:"-"`
}

// Check returns the outcome of link l in the chain's checks.
func (r *Result) Check(l Link) (Check, bool) {
	for _, c := range r.Checks {
		if c.Link == l {
			return c, true
		}
	}
	return Check{}, false
}

// Signers returns the signatures that verified, each with its key or
// identity.
func (r *Result) Signers() []SignatureResult {
	var out []SignatureResult
	for _, s := range r.Signatures {
		if s.Verified {
			out = append(out, s)
		}
	}
	return out
}

func (r *Result) add(l Link, s CheckStatus, detail string) {
	r.Checks = append(r.Checks, Check{Link: l, Status: s, Detail: detail})
}

func (r *Result) notChecked(what string) {
	if !slices.Contains(r.NotChecked, what) {
		r.NotChecked = append(r.NotChecked, what)
	}
}

func (s *SignatureResult) add(l Link, st CheckStatus, detail string) {
	s.Checks = append(s.Checks, Check{Link: l, Status: st, Detail: detail})
}

// fail records a failed check and the failure of the signature.
func (s *SignatureResult) fail(l Link, sentinel error, reason string) {
	s.add(l, CheckFailed, reason)
	s.Verified = false
	s.err = &VerificationError{Link: l, Reason: reason, Err: sentinel}
	s.Error = reason
}
