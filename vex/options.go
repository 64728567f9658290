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
	name    string
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

// WithDocumentName names the document (a file name, a URL, an image
// reference) in [Document.Name] and in every error and problem reported
// about it. The default is no name; messages then say "document".
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
	aliases  func(repository string) []string
	literal  bool
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

// WithRepositoryAliases supplies the other names of image repositories:
// aliases returns, for a full repository name (registry host and path, in
// lower case, as in dhi.io/python or docker.io/dhi/python), the other full
// names under which the same images are published or attested. The image of
// each [Query] is then also known by those names, with the same tag, so that
// a product written with any of them meets it. Package dhi supplies the
// names Docker Hardened Images go by (dhi.RepositoryAliases). The default
// is no aliases: a repository is known by its own name only (Docker Hub's
// defaults aside, see package documentation).
func WithRepositoryAliases(aliases func(repository string) []string) MatchOption {
	return func(o *matchOptions) error {
		if aliases == nil {
			return errors.New("vex: WithRepositoryAliases: nil function")
		}
		o.aliases = aliases
		return nil
	}
}

// WithLiteralProducts reads every bare package product as its statement
// writes it: it applies in any image, even in a document whose statements
// name images. Matches then say [ReadingLiteral]. The default is the
// image-scoped reading: a bare package product of a statement that names
// images applies only in those images, and one of a statement that names
// none, in a document whose other statements name images, applies only in
// the images the document names ([ReadingImageScoped]); a bare product in a
// document that names no image applies in any image ([ReadingAsWritten]).
func WithLiteralProducts() MatchOption {
	return func(o *matchOptions) error {
		o.literal = true
		return nil
	}
}
