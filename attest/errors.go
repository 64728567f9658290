package attest

import (
	"errors"
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/internal/sizelimit"
)

// Sentinel errors. Sub-cases wrap their parent, so errors.Is(err, ErrInvalid)
// catches every kind of malformed content.
var (
	// ErrInvalid reports content that is not a well-formed statement,
	// envelope, bundle, manifest or signature.
	ErrInvalid = errors.New("attest: invalid content")
	// ErrUnknownFormat reports content that is valid JSON but neither an
	// in-toto statement, a DSSE envelope nor a sigstore bundle.
	ErrUnknownFormat = fmt.Errorf("%w: not an in-toto statement, DSSE envelope or sigstore bundle", ErrInvalid)
	// ErrPredicateTypeMismatch reports an in-toto.io/predicate-type
	// annotation that names another predicate type than the statement it
	// labels.
	ErrPredicateTypeMismatch = fmt.Errorf("%w: predicate-type annotation disagrees with the statement", ErrInvalid)

	// ErrNotFound reports a reference, manifest, blob or tag that the storage
	// does not hold.
	ErrNotFound = errors.New("attest: not found")
	// ErrTooLarge reports a manifest or blob over the configured size limit.
	// It is the SDK's one size-limit error: what sbom, vex and dhi/predicate
	// refuse as too large matches it as well.
	ErrTooLarge = sizelimit.ErrTooLarge
	// ErrDigestMismatch reports content whose digest or size differs from
	// the descriptor that named it.
	ErrDigestMismatch = errors.New("attest: digest mismatch")
	// ErrInsecure reports a registry that asks for credentials over plain
	// HTTP, where they are not sent unless the caller allows it.
	ErrInsecure = errors.New("attest: credentials withheld over plain HTTP")
	// ErrLimit reports a registry whose answers exceed a bound on the work
	// of one discovery; see [LimitError].
	ErrLimit = errors.New("attest: discovery limit exceeded")
	// ErrIncomplete reports a discovery cut short because its context
	// ended: what was read before is returned, and each unfinished request
	// has its own [*FetchError].
	ErrIncomplete = errors.New("attest: discovery cut short")
	// ErrTagListRefused reports a registry that refuses to list a
	// repository's tags ([Tags]): it asks for credentials, forbids the
	// listing or does not implement it.
	ErrTagListRefused = errors.New("attest: tag list refused")
	// ErrUnsupported reports storage or content the SDK does not handle,
	// such as a compressed OCI archive.
	ErrUnsupported = errors.New("attest: unsupported")
)

// FetchError reports a failure to read from OCI storage. It names the
// operation, the repository or layout, the digest or tag, and the discovery
// mechanism that was being followed.
type FetchError struct {
	// Op is what was being done, such as "listing referrers" or "reading blob".
	Op string
	// Repository is the repository (or OCI layout path) read from.
	Repository string
	// Ref is the digest or tag being read; empty when none applies.
	Ref string
	// Mechanism is the discovery mechanism being followed; empty when the
	// failure was not specific to one.
	Mechanism Mechanism
	// Err is the underlying error.
	Err error
}

// Error implements error.
func (e *FetchError) Error() string {
	msg := "attest: " + e.Op
	if e.Repository != "" {
		msg += " " + e.Repository
		if e.Ref != "" {
			if isDigest(e.Ref) {
				msg += "@" + e.Ref
			} else {
				msg += ":" + e.Ref
			}
		}
	} else if e.Ref != "" {
		msg += " " + e.Ref
	}
	if e.Mechanism != "" {
		msg += " (" + string(e.Mechanism) + ")"
	}
	return msg + ": " + e.Err.Error()
}

// isDigest reports whether ref has the form of an OCI digest,
// algorithm ":" encoded, whatever the algorithm: tags cannot hold a colon.
func isDigest(ref string) bool {
	algo, enc, ok := strings.Cut(ref, ":")
	if !ok || algo == "" || enc == "" {
		return false
	}
	for _, r := range algo {
		if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || strings.ContainsRune("+._-", r)) {
			return false
		}
	}
	for _, r := range enc {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("=_-", r)) {
			return false
		}
	}
	return true
}

// Unwrap returns the underlying error.
func (e *FetchError) Unwrap() error { return e.Err }

// LimitKind names a bound on the work of one discovery.
type LimitKind string

// The bounds on discovery's work, each set by an option.
const (
	// LimitReferrers bounds the entries of one referrers listing, summed
	// over its pages ([WithMaxReferrers]).
	LimitReferrers LimitKind = "referrers"
	// LimitAttestations bounds the attestations of one subject
	// ([WithMaxAttestations]).
	LimitAttestations LimitKind = "attestations"
	// LimitSignatures bounds the signatures of one attestation manifest
	// ([WithMaxSignatures]).
	LimitSignatures LimitKind = "signatures"
	// LimitBytes bounds the bytes read by one discovery ([WithMaxBytes]).
	LimitBytes LimitKind = "bytes"
)

// LimitKinds returns every LimitKind, in a fixed order.
func LimitKinds() []LimitKind {
	return []LimitKind{LimitReferrers, LimitAttestations, LimitSignatures, LimitBytes}
}

// Valid reports whether k is one of the defined kinds.
func (k LimitKind) Valid() bool {
	for _, x := range LimitKinds() {
		if k == x {
			return true
		}
	}
	return false
}

// LimitError reports that a registry's answers exceeded a bound on the work
// of one discovery. What fits within the bound is kept; the rest is not
// read. It wraps [ErrLimit].
type LimitError struct {
	// Kind is the bound exceeded.
	Kind LimitKind
	// Max is the bound's value: entries, attestations, signatures or bytes.
	Max int64
	// Subject is the digest of the manifest whose referrers, attestations
	// or signatures exceeded the bound; empty for LimitBytes.
	Subject string
}

// Error implements error.
func (e *LimitError) Error() string {
	msg := fmt.Sprintf("attest: more than %d %s", e.Max, e.Kind)
	if e.Subject != "" {
		msg += " for " + e.Subject
	}
	return msg + "; the rest is not read"
}

// Unwrap returns [ErrLimit].
func (e *LimitError) Unwrap() error { return ErrLimit }

// ErrNoPlatform reports a platform filter ([WithPlatforms]) that matches
// none of the image's platforms; see [PlatformError].
var ErrNoPlatform = errors.New("attest: no platform matches")

// PlatformError reports a platform filter that matches none of the image's
// platforms, and lists the platforms the image has, so that a gate never
// passes an image it did not look at.
type PlatformError struct {
	// Reference is the image's reference.
	Reference string
	// Wanted are the platforms asked for.
	Wanted []v1.Platform
	// Available are the platforms the image has, in index order; empty when
	// its manifests name none.
	Available []v1.Platform
}

// Error implements error.
func (e *PlatformError) Error() string {
	wanted := make([]string, len(e.Wanted))
	for i, p := range e.Wanted {
		wanted[i] = p.String()
	}
	have := make([]string, len(e.Available))
	for i, p := range e.Available {
		have[i] = p.String()
	}
	list := strings.Join(have, ", ")
	if list == "" {
		list = "none named"
	}
	return fmt.Sprintf("attest: %s has no platform %s (it has: %s)", e.Reference, strings.Join(wanted, " or "), list)
}

// Unwrap returns [ErrNoPlatform].
func (e *PlatformError) Unwrap() error { return ErrNoPlatform }
