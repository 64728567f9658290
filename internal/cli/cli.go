// Package cli holds what the example programs share: the exit-code
// convention, the flags that choose and trust an image (-platform,
// -layout, -plain-http, -json, -key, -add-key), and the built-in sample
// image used when no reference is given.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/attest/cache"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
)

// The exit codes of every example program.
const (
	// ExitPass means the image was checked and passed.
	ExitPass = 0
	// ExitFail means the image was checked and failed the policy.
	ExitFail = 1
	// ExitError means the image could not be checked: bad usage, an image
	// that cannot be read, nothing that could be verified.
	ExitError = 2
)

// ExitCodes is the paragraph each program's usage ends with.
const ExitCodes = "Exit status: 0 pass, 1 policy failure, 2 could not check (bad usage, unreadable image)."

// ErrPolicy reports that the image was checked and does not meet the
// policy; programs wrap it, and [ExitCode] maps it to [ExitFail].
var ErrPolicy = errors.New("policy not met")

// ExitCode returns the exit code for the error run returned: [ExitPass]
// for nil and for [flag.ErrHelp] (-h printed the usage), [ExitFail] for
// [ErrPolicy], [ExitError] for anything else.
func ExitCode(err error) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return ExitPass
	case errors.Is(err, ErrPolicy):
		return ExitFail
	default:
		return ExitError
	}
}

// Main runs a program's run function with the process's arguments and
// streams, cancelled on interrupt, prints its error after the program's
// name, and exits with [ExitCode].
func Main(name string, run func(ctx context.Context, args []string, stdout, stderr io.Writer) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
	}
	os.Exit(ExitCode(err))
}

// IsTerminal reports whether w is a file that is a character device, such
// as a terminal: programs write progress to stderr only then.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Usage sets fs's usage text: the synopsis line, a description, the flags,
// and [ExitCodes].
func Usage(fs *flag.FlagSet, synopsis, description string) {
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "usage: %s\n\n%s\n\nFlags:\n", synopsis, description)
		fs.PrintDefaults()
		fmt.Fprintf(w, "\n%s\n", ExitCodes)
	}
}

// Flag names a flag of [Image].
type Flag string

// The flags [Image] can register.
const (
	FlagPlatform  Flag = "platform"
	FlagLayout    Flag = "layout"
	FlagPlainHTTP Flag = "plain-http"
	FlagJSON      Flag = "json"
	FlagKey       Flag = "key"
	FlagAddKey    Flag = "add-key"
	// FlagCache registers -cache and -cache-ttl.
	FlagCache Flag = "cache"
)

// AllFlags are every flag of [Image].
func AllFlags() []Flag {
	return []Flag{FlagPlatform, FlagLayout, FlagPlainHTTP, FlagJSON, FlagKey, FlagAddKey, FlagCache}
}

// Strings is a repeatable string flag: each use adds one value.
type Strings []string

// String returns the values joined by commas.
func (m *Strings) String() string { return strings.Join(*m, ",") }

// Set adds one value.
func (m *Strings) Set(s string) error { *m = append(*m, s); return nil }

// Image holds the flags that choose an image and the keys to trust.
type Image struct {
	// Platforms are the -platform values, os/arch[/variant].
	Platforms []string
	// Layout is the -layout directory.
	Layout string
	// PlainHTTP is -plain-http.
	PlainHTTP bool
	// JSON is -json.
	JSON bool
	// Keys are the -key files: trusted instead of Docker's keys.
	Keys []string
	// AddKeys are the -add-key files: trusted as well as Docker's keys.
	AddKeys []string
	// Cache is the -cache directory; CacheTTL is -cache-ttl.
	Cache    string
	CacheTTL time.Duration
}

// Register registers the flags named on fs (all of them when none is
// named) and returns where their values go.
func Register(fs *flag.FlagSet, flags ...Flag) *Image {
	if len(flags) == 0 {
		flags = AllFlags()
	}
	im := &Image{}
	for _, f := range flags {
		switch f {
		case FlagPlatform:
			fs.Var((*Strings)(&im.Platforms), string(f), "only this platform, as os/arch[/variant] (repeatable); one the image lacks is an error")
		case FlagLayout:
			fs.StringVar(&im.Layout, string(f), "", "read the image from this OCI layout directory; the reference is its tag")
		case FlagPlainHTTP:
			fs.BoolVar(&im.PlainHTTP, string(f), false, "allow plain HTTP to the registry")
		case FlagJSON:
			fs.BoolVar(&im.JSON, string(f), false, "print the result as JSON")
		case FlagKey:
			fs.Var((*Strings)(&im.Keys), string(f), "trust this PEM public key file instead of Docker's keys (repeatable)")
		case FlagAddKey:
			fs.Var((*Strings)(&im.AddKeys), string(f), "trust this PEM public key file as well as Docker's keys (repeatable)")
		case FlagCache:
			fs.StringVar(&im.Cache, string(f), "", "keep what is read from registries by digest in this `directory` (an OCI layout), and read it from there next time")
			fs.DurationVar(&im.CacheTTL, "cache-ttl", 0, "with -cache, also keep tag resolutions and referrers listings this long (default 0: always ask the registry)")
		}
	}
	return im
}

// Opened is what [Image.Options] decided.
type Opened struct {
	// Ref is the reference to open: the one given, or the sample's.
	Ref string
	// Note says where the image comes from when that is not the
	// reference: the built-in sample, or a layout.
	Note string
	// Sample is the built-in sample when no reference was given; nil
	// otherwise.
	Sample *dhitest.Sample
	// Options are the options for [dhi.Open].
	Options []dhi.Option
}

// Close stops the sample's registry, if any.
func (o *Opened) Close() {
	if o.Sample != nil {
		o.Sample.Close()
	}
}

// SampleNote is the note of the built-in sample.
const SampleNote = "built-in sample: real documents, signed with a key made for this run"

// Options turns the flags into options for [dhi.Open]. With no reference
// and no layout, it serves the built-in sample ([dhitest.ServeSample]) and
// trusts its key; close the result to stop it.
func (im *Image) Options(ctx context.Context, ref string) (*Opened, error) {
	opts, replaced, err := im.Base()
	if err != nil {
		return nil, err
	}
	out := &Opened{Ref: ref, Options: opts}
	switch {
	case im.Layout != "":
		if ref == "" {
			return nil, errors.New("-layout: give the tag to read")
		}
		out.Options = append(out.Options, dhi.WithLayout(im.Layout))
		out.Note = "from the OCI layout " + im.Layout
	case ref == "":
		s, err := dhitest.ServeSample(ctx)
		if err != nil {
			return nil, fmt.Errorf("starting the sample image: %w", err)
		}
		out.Sample, out.Ref, out.Note = s, s.Ref, SampleNote
		if !replaced {
			out.Options = append(out.Options, dhi.WithKeys(s.Key))
		}
	}
	return out, nil
}

// Base turns the -platform, -key, -add-key and -plain-http flags into
// options for [dhi.Open]; replaced reports whether -key replaced Docker's
// keys. -layout is [Image.Options]'s.
func (im *Image) Base() (opts []dhi.Option, replaced bool, err error) {
	for _, p := range im.Platforms {
		pl, err := v1.ParsePlatform(p)
		if err == nil && (pl.OS == "" || pl.Architecture == "") {
			err = errors.New("want os/arch[/variant]")
		}
		if err != nil {
			return nil, false, fmt.Errorf("-platform %q: %w", p, err)
		}
		opts = append(opts, dhi.WithPlatforms(*pl))
	}
	var replace, add []*attest.Key
	for _, f := range im.Keys {
		k, err := attest.LoadKeyFile(f)
		if err != nil {
			return nil, false, fmt.Errorf("-key: %w", err)
		}
		replace = append(replace, k)
	}
	for _, f := range im.AddKeys {
		k, err := attest.LoadKeyFile(f)
		if err != nil {
			return nil, false, fmt.Errorf("-add-key: %w", err)
		}
		add = append(add, k)
	}
	if len(replace) > 0 {
		kr, err := attest.NewKeyring(replace...)
		if err != nil {
			return nil, false, fmt.Errorf("-key: %w", err)
		}
		opts = append(opts, dhi.WithKeyring(kr))
	}
	if len(add) > 0 {
		opts = append(opts, dhi.WithKeys(add...))
	}
	if im.PlainHTTP && im.Layout == "" {
		opts = append(opts, dhi.WithRegistry(attest.WithPlainHTTP()))
	}
	switch {
	case im.Cache != "" && im.Layout != "":
		return nil, false, errors.New("-cache keeps what registries serve; a -layout is read from disk already")
	case im.CacheTTL != 0 && im.Cache == "":
		return nil, false, errors.New("-cache-ttl: give the -cache directory")
	case im.CacheTTL < 0:
		return nil, false, fmt.Errorf("-cache-ttl %s: must not be negative", im.CacheTTL)
	case im.Cache != "":
		c, err := cache.Open(im.Cache, cache.WithTTL(im.CacheTTL))
		if err != nil {
			return nil, false, fmt.Errorf("-cache: %w", err)
		}
		opts = append(opts, dhi.WithRegistry(attest.WithCache(c)))
	}
	return opts, len(replace) > 0, nil
}

// BaseOptions returns the options of the base flags shared by the programs
// that walk an image's lineage: each -base-key file verifies base images
// instead of Docker's keys, and bound asks for the image's unsigned
// BuildKit attestations bound by the index digest the reference pins.
func BaseOptions(keys []string, bound bool) ([]dhi.Option, error) {
	var opts []dhi.Option
	for _, k := range keys {
		key, err := attest.LoadKeyFile(k)
		if err != nil {
			return nil, fmt.Errorf("-base-key: %w", err)
		}
		opts = append(opts, dhi.WithBaseKeys(key))
	}
	if bound {
		opts = append(opts, dhi.WithBoundByDigest())
	}
	return opts, nil
}
