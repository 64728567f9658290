package imageref

import "errors"

// ErrInvalid is returned, wrapped, by [Parse] for a string that is not an
// image reference.
var ErrInvalid = errors.New("imageref: invalid image reference")
