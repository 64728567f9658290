package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/internal/cli"
)

func main() { cli.Main("inspect", run) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	flags := cli.Register(fs)
	cli.Usage(fs, "inspect [flags] [reference]",
		"Inspect an image: its attestations, what verified, and the model joined from them.\n"+
			"With no reference, inspect the built-in sample image. Exits 1 when a platform\n"+
			"has no verified attestation.")
	var base baseFlags
	base.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return errors.New("give at most one reference")
	}
	opened, err := flags.Options(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	defer opened.Close()
	ref, note, opts := opened.Ref, opened.Note, opened.Options

	opts, err = base.options(opts)
	if err != nil {
		return err
	}
	progress := func(string, ...any) {}
	if cli.IsTerminal(stderr) {
		progress = func(format string, a ...any) { fmt.Fprintf(stderr, format, a...) }
	}
	progress("opening %s ...\r", ref)
	start := time.Now()
	img, err := dhi.Open(ctx, ref, opts...)
	progress("%s\r", strings.Repeat(" ", len(ref)+16))
	if err != nil {
		return err
	}
	defer img.Close()
	openTime := time.Since(start)
	base.walk(ctx, img)
	// Parse every predicate and join the model now, to time it.
	report := img.Report()
	modelled := time.Since(start) - openTime
	if flags.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			return err
		}
	} else {
		printImage(stdout, img, note, openTime, modelled)
	}
	return unverified(img)
}

// unverified returns an error wrapping [cli.ErrPolicy] naming the
// platforms of which no attestation verified or was accepted (bound by
// digest, with -bound-by-digest): nothing could be trusted
// there.
func unverified(img *dhi.Image) error {
	var none []string
	for _, p := range img.Platforms {
		verified := false
		for _, a := range p.Attestations {
			verified = verified || a.Verified || a.Used
		}
		if !verified {
			none = append(none, p.String())
		}
	}
	if len(none) > 0 {
		return fmt.Errorf("%w: no attestation verified for %s", cli.ErrPolicy, strings.Join(none, ", "))
	}
	return nil
}
