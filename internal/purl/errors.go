package purl

import "errors"

// ErrInvalid is returned, wrapped, by [Parse] for a string that is not a valid
// package URL.
var ErrInvalid = errors.New("purl: invalid package url")
