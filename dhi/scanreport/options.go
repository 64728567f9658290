package scanreport

import "fmt"

// Option configures [Parse] and [ParseReader].
type Option func(*options) error

// options are the settings of a parse.
type options struct {
	maxSize int64
}

// WithMaxSize sets the largest report read, in bytes; larger input gives
// [ErrTooLarge]. The default is [MaxSize].
func WithMaxSize(n int64) Option {
	return func(o *options) error {
		if n <= 0 {
			return fmt.Errorf("scanreport: WithMaxSize(%d): the size must be positive", n)
		}
		o.maxSize = n
		return nil
	}
}

// makeOptions applies opts over the defaults.
func makeOptions(opts []Option) (options, error) {
	o := options{maxSize: MaxSize}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return o, err
		}
	}
	return o, nil
}
