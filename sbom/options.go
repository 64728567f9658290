package sbom

import "fmt"

// DefaultMaxSize is the size limit [Parse] and [ParseReader] apply when no
// [WithMaxSize] option is given: 64 MiB.
const DefaultMaxSize int64 = 64 << 20

// Option configures [Parse] and [ParseReader].
type Option func(*options) error

type options struct {
	maxSize int64
	strict  bool
}

// makeOptions applies opts over the defaults.
func makeOptions(opts []Option) (*options, error) {
	o := &options{maxSize: DefaultMaxSize}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(o); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// WithMaxSize sets the largest input, in bytes, that [Parse] and
// [ParseReader] accept; larger input fails with [ErrTooLarge] before any
// decoding. The limit applies to the input as given, wrapper included. n must
// be positive. The default is [DefaultMaxSize] (64 MiB).
func WithMaxSize(n int64) Option {
	return func(o *options) error {
		if n <= 0 {
			return fmt.Errorf("sbom: max size must be positive, got %d", n)
		}
		o.maxSize = n
		return nil
	}
}

// WithStrict makes [Parse] and [ParseReader] fail with an error wrapping
// [ErrInvalid] when the document produced any [Warning] (duplicate
// identifiers, relationships to missing elements, unparsable package URLs,
// ...), instead of returning the document with its warnings recorded. The
// default is lenient: real SBOMs often carry such flaws, and the rest of the
// document is still useful.
func WithStrict() Option {
	return func(o *options) error {
		o.strict = true
		return nil
	}
}
