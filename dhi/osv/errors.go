package osv

import (
	"errors"
	"fmt"
)

// Sentinel errors of the package. Callers branch on them with [errors.Is].
var (
	// ErrInvalid is returned by [Parse] for input that is not an OSV
	// advisory: not JSON, not an object, no id, or too large.
	ErrInvalid = errors.New("osv: invalid advisory")

	// ErrTooLarge is returned by [Parse] for input larger than [MaxSize].
	// It wraps [ErrInvalid].
	ErrTooLarge = fmt.Errorf("%w: larger than the size limit", ErrInvalid)

	// ErrUnknownEcosystem is returned, wrapped in an [*EcosystemError], for
	// an ecosystem or purl type whose version order this package does not
	// know.
	ErrUnknownEcosystem = errors.New("osv: unknown ecosystem")

	// ErrInvalidVersion is returned, wrapped in a [*VersionError], for a
	// version that its ecosystem's order cannot read.
	ErrInvalidVersion = errors.New("osv: invalid version")

	// ErrInvalidQuery is returned by [Advisory.Match] for a [Query] without
	// a version, or without both a purl and an ecosystem and name.
	ErrInvalidQuery = errors.New("osv: invalid query")
)

// EcosystemError reports an ecosystem or purl type with no known version
// order.
type EcosystemError struct {
	// Ecosystem is the ecosystem as written, or "purl type <type>" for a
	// purl.
	Ecosystem string
}

// Error returns "osv: unknown ecosystem" and the ecosystem.
func (e *EcosystemError) Error() string {
	return fmt.Sprintf("%v %q: no version order is known for it", ErrUnknownEcosystem, e.Ecosystem)
}

// Unwrap returns [ErrUnknownEcosystem].
func (e *EcosystemError) Unwrap() error { return ErrUnknownEcosystem }

// VersionError reports a version that an [Order] cannot read.
type VersionError struct {
	// Version is the version as written.
	Version string
	// Order is the order it was read in.
	Order Order
	// Err is the reason the parser gave.
	Err error
}

// Error returns "osv: invalid version", the version, its order and the
// reason.
func (e *VersionError) Error() string {
	return fmt.Sprintf("%v %q in %s order: %v", ErrInvalidVersion, e.Version, e.Order, e.Err)
}

// Unwrap returns [ErrInvalidVersion].
func (e *VersionError) Unwrap() error { return ErrInvalidVersion }
