package cache

import "errors"

// Sentinel errors of [Cache.Put].
var (
	// ErrDigestMismatch reports content that does not hash to the digest it
	// was given with.
	ErrDigestMismatch = errors.New("cache: content does not match its digest")
	// ErrUnsupportedDigest reports a digest that is neither sha256 nor
	// sha512 in lowercase hexadecimal.
	ErrUnsupportedDigest = errors.New("cache: unsupported digest")
)
