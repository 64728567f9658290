package vex

import (
	"errors"
	"fmt"
)

// DefaultMaxSize is the default limit on the size of one document read by
// [Parse] or [ParseReader]: 64 MiB. The largest real DHI VEX documents are
// about 2 MB.
const DefaultMaxSize = 64 << 20

// Option configures [Parse] and [ParseReader].
type Option func(*options) error

type options struct {
	source  string
	maxSize int64
	strict  bool
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

// WithSource names the document (a file name, a URL, an image reference) in
// the [Document] and in every error and problem reported about it. The
// default is no name; messages then say "document".
func WithSource(name string) Option {
	return func(o *options) error {
		o.source = name
		return nil
	}
}

// WithMaxSize sets the largest input, in bytes, that [Parse] and
// [ParseReader] accept; larger input is an error wrapping [ErrTooLarge]. The
// default is [DefaultMaxSize]. n must be positive.
func WithMaxSize(n int64) Option {
	return func(o *options) error {
		if n <= 0 {
			return fmt.Errorf("vex: WithMaxSize: size must be positive, got %d", n)
		}
		o.maxSize = n
		return nil
	}
}

// WithStrict makes every problem that the specification's rules find in a
// statement (see [Document.Problems]) an error of Parse, joined with
// errors.Join so that each is a [*ValidationError]. The default is lenient:
// the document is returned with its problems listed.
func WithStrict() Option {
	return func(o *options) error {
		o.strict = true
		return nil
	}
}

// MatchOption configures [Index.Decide] and [Index.Apply].
type MatchOption func(*matchOptions) error

type matchOptions struct {
	sources  func(binaryPURL string) []string
	upstream bool
}

func makeMatchOptions(opts []MatchOption) (matchOptions, error) {
	o := matchOptions{upstream: true}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return matchOptions{}, err
		}
	}
	return o, nil
}

// WithSourceMapping supplies the source packages of binary packages:
// sources returns the purls of the source packages a binary package purl was
// built from (the sbom package's (*sbom.Document).SourcePURLs has this
// signature). A finding on a binary package then also meets statements on
// its source packages, so a finding on libc6 meets a statement on glibc.
// The default is no mapping beyond the upstream qualifier (see
// [WithoutUpstreamQualifier]).
func WithSourceMapping(sources func(binaryPURL string) []string) MatchOption {
	return func(o *matchOptions) error {
		if sources == nil {
			return errors.New("vex: WithSourceMapping: nil mapping")
		}
		o.sources = sources
		return nil
	}
}

// WithoutUpstreamQualifier stops the matcher from deriving a source package
// from the upstream qualifier that syft and trivy write on binary package
// purls (pkg:deb/debian/libc6@2.36-9?upstream=glibc stands for
// pkg:deb/debian/glibc@2.36-9; upstream=glibc%402.36-8 names the version
// too). The default derives it.
func WithoutUpstreamQualifier() MatchOption {
	return func(o *matchOptions) error {
		o.upstream = false
		return nil
	}
}
