package attest

import (
	"errors"
	"fmt"

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
			if len(e.Ref) > 7 && e.Ref[:7] == "sha256:" {
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

// Unwrap returns the underlying error.
func (e *FetchError) Unwrap() error { return e.Err }
