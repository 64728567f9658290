package main

import (
	"context"
	"encoding/json"
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
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
)

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "inspect:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var platforms, keys multiFlag
	fs.Var(&platforms, "platform", "inspect only this platform, as os/arch[/variant] (repeatable)")
	fs.Var(&keys, "key", "trust this PEM public key file too (repeatable)")
	asJSON := fs.Bool("json", false, "print the model as JSON")
	plainHTTP := fs.Bool("plain-http", false, "allow plain HTTP to the registry")
	layoutDir := fs.String("layout", "", "read the image from this OCI layout directory; the reference is its tag")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: inspect [flags] [reference]\n\nWith no reference, inspect the built-in sample image.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return errors.New("give at most one reference")
	}

	var opts []dhi.Option
	for _, p := range platforms {
		pl, err := v1.ParsePlatform(p)
		if err == nil && (pl.OS == "" || pl.Architecture == "") {
			err = errors.New("want os/arch[/variant]")
		}
		if err != nil {
			return fmt.Errorf("-platform %q: %w", p, err)
		}
		opts = append(opts, dhi.WithPlatforms(*pl))
	}
	for _, k := range keys {
		b, err := os.ReadFile(k)
		if err != nil {
			return fmt.Errorf("-key: %w", err)
		}
		key, err := attest.ParseKey(b, attest.WithKeyName(k))
		if err != nil {
			return fmt.Errorf("-key %s: %w", k, err)
		}
		opts = append(opts, dhi.WithKeys(key))
	}
	if *plainHTTP {
		opts = append(opts, dhi.WithRegistry(attest.WithPlainHTTP()))
	}

	ref, note := fs.Arg(0), ""
	if *layoutDir != "" {
		if ref == "" {
			return errors.New("-layout: give the tag to inspect")
		}
		src, err := attest.Layout(*layoutDir)
		if err != nil {
			return fmt.Errorf("-layout: %w", err)
		}
		opts = append(opts, dhi.WithSource(src))
		note = "from the OCI layout " + *layoutDir
	} else if ref == "" {
		smp, err := dhitest.ServeSample(ctx)
		if err != nil {
			return fmt.Errorf("starting the sample image: %w", err)
		}
		defer smp.Close()
		sampleRef, key := smp.Ref, smp.Key
		ref, note = sampleRef, "built-in sample: real documents, signed with a key made for this run"
		opts = append(opts, dhi.WithKeys(key))
	}

	progress := func(string, ...any) {}
	if isTerminal(stderr) {
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
	opened := time.Since(start)
	// Parse every predicate and join the model now, to time it.
	report := img.Report()
	modelled := time.Since(start) - opened
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	printImage(stdout, img, note, opened, modelled)
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
