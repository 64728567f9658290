package sbom

import (
	"errors"
	"fmt"

	"github.com/dhisdk/dhisdk/internal/sizelimit"
)

// Sentinel errors returned, wrapped, by [Parse] and [ParseReader]. Callers
// branch on them with [errors.Is].
var (
	// ErrInvalid is returned for input that cannot be read as an SBOM: bytes
	// that are not JSON, JSON that the format library cannot decode, or, with
	// [WithStrict], a document that produced warnings. The other parse
	// errors below wrap it, so errors.Is(err, ErrInvalid) catches every
	// failure to parse.
	ErrInvalid = errors.New("sbom: invalid document")

	// ErrUnknownFormat is returned for a JSON document that is neither SPDX
	// nor CycloneDX, nor an in-toto statement or legacy cosign wrapper
	// around one.
	ErrUnknownFormat = fmt.Errorf("%w: not an SPDX or CycloneDX document", ErrInvalid)

	// ErrUnsupportedVersion is returned for an SPDX or CycloneDX document
	// whose spec version this package does not read (see the package
	// documentation for the supported versions).
	ErrUnsupportedVersion = fmt.Errorf("%w: unsupported spec version", ErrInvalid)

	// ErrTooLarge is returned for input larger than the size limit (see
	// [WithMaxSize]). It wraps ErrInvalid and the SDK's one size-limit
	// error, so errors.Is(err, attest.ErrTooLarge) matches it too.
	ErrTooLarge = sizelimit.Under(ErrInvalid, "document too large")
)

// ErrInvalidQuery is returned, wrapped, by the lookups of a [Document] for a
// query they cannot run: a package URL that does not parse, or an unknown
// [Precision].
var ErrInvalidQuery = errors.New("sbom: invalid query")
