package csaf

import "fmt"

// Option configures [Parse] and [ParseReader].
type Option func(*options) error

type options struct {
	name    string
	maxSize int64
}

func makeOptions(opts []Option) (options, error) {
	o := options{maxSize: DefaultMaxSize}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return options{}, err
		}
	}
	return o, nil
}

// docName returns the name used for the document in messages.
func (o options) docName() string {
	if o.name == "" {
		return "document"
	}
	return o.name
}

// WithDocumentName names the document (a file name, a URL) in
// [vex.Document.Name] and in every error and problem reported about it. The
// default is no name; messages then say "document".
func WithDocumentName(name string) Option {
	return func(o *options) error {
		o.name = name
		return nil
	}
}

// WithMaxSize sets the largest input, in bytes, that [Parse] and
// [ParseReader] accept; larger input is an error wrapping [ErrTooLarge]. The
// default is [DefaultMaxSize]. n must be positive.
func WithMaxSize(n int64) Option {
	return func(o *options) error {
		if n <= 0 {
			return fmt.Errorf("csaf: WithMaxSize: size must be positive, got %d", n)
		}
		o.maxSize = n
		return nil
	}
}
