package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/internal/cli"
)

func main() { cli.Main("inventory", run) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return inventory(ctx, args, os.Stdin, stdout, stderr)
}

// config holds the flags of inventory's own.
type config struct {
	file        string
	repo        string
	format      string
	concurrency int
}

// inventory is run with the standard input given, for -f -.
func inventory(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("inventory", flag.ContinueOnError)
	fs.SetOutput(stderr)
	flags := cli.Register(fs, cli.FlagPlatform, cli.FlagLayout, cli.FlagPlainHTTP, cli.FlagKey, cli.FlagAddKey, cli.FlagCache)
	cli.Usage(fs, "inventory [flags] [reference...]",
		"Open many images and write one row per image and platform, in the order given:\n"+
			"name, version, end of life, packages, exploitable vulnerabilities, verification.\n"+
			"References come from the arguments, -f and -repo, in that order; with none, the\n"+
			"built-in sample image. Exits 1 when a row has an error (an image that could not\n"+
			"be opened, a query that could not be answered); its rows are still written.")
	var c config
	fs.StringVar(&c.file, "f", "", "read references from `file`, one a line; # comments and blank lines are skipped; - is the standard input")
	fs.StringVar(&c.repo, "repo", "", "inventory every tag of `repository` (host/name), but cosign's and the referrers tag schema's")
	fs.StringVar(&c.format, "format", formatCSV, "output `format`: csv (with a header row) or jsonl (one JSON object a line)")
	fs.IntVar(&c.concurrency, "concurrency", 4, "open `n` images at a time")
	if err := fs.Parse(args); err != nil {
		return err
	}
	out, err := newWriter(c.format, stdout)
	if err != nil {
		fs.Usage()
		return err
	}
	if c.concurrency < 1 {
		return fmt.Errorf("-concurrency %d: must be at least 1", c.concurrency)
	}
	if c.repo != "" && flags.Layout != "" {
		return errors.New("-repo lists a registry repository; with -layout, give the tags to read")
	}
	refs, err := references(ctx, fs.Args(), c, flags, stdin)
	if err != nil {
		return err
	}
	given := fs.NArg() > 0 || c.file != "" || c.repo != ""
	if given && len(refs) == 0 {
		// An empty list or repository: nothing to inventory.
		if err := out.header(); err != nil {
			return err
		}
		return out.flush()
	}
	first := ""
	if given {
		// Options reads no reference but the first's presence: with none
		// it serves the sample, with -layout it needs one.
		first = refs[0]
	}
	opened, err := flags.Options(ctx, first)
	if err != nil {
		return err
	}
	defer opened.Close()
	if !given {
		refs = []string{opened.Ref}
	}
	fleet, err := dhi.NewFleet(fleetOptions(opened.Options, c)...)
	if err != nil {
		return err
	}
	defer fleet.Close()
	return write(ctx, fleet, refs, out, newProgress(stderr, cli.IsTerminal(stderr), len(refs)))
}

// fleetOptions returns the options of the fleet: those of the shared
// flags, and -concurrency.
func fleetOptions(opts []dhi.Option, c config) []dhi.Option {
	return append(opts, dhi.WithOpenConcurrency(c.concurrency))
}

// write opens refs with fleet and writes their rows to out in the order of
// refs, reporting progress as images are opened. Results arrive in the
// order the opens finish: a result whose predecessors are not all written
// waits in a reorder buffer as its rows (a few hundred bytes each), never
// as its image, so memory stays small however many references there are.
func write(ctx context.Context, fleet *dhi.Fleet, refs []string, out writer, prog *progress) error {
	start := time.Now()
	if err := out.header(); err != nil {
		return err
	}
	pending := map[int][]row{}
	next, failed, rows := 0, 0, 0
	var werr error
	for r := range fleet.OpenAll(ctx, refs) {
		rs := rowsOf(r)
		bad := hasError(rs)
		if bad {
			failed++
		}
		prog.update(bad)
		pending[r.Index] = rs
		for ; werr == nil; next++ {
			rs, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			for _, rw := range rs {
				if werr = out.row(rw); werr != nil {
					break
				}
				rows++
			}
		}
		if werr == nil {
			werr = out.flush()
		}
		if werr != nil {
			break // stops the opens in flight
		}
	}
	prog.finish(fmt.Sprintf("inventoried %d images (%d rows) in %s; %d with errors",
		len(refs), rows, time.Since(start).Round(time.Millisecond), failed))
	if werr != nil {
		return fmt.Errorf("writing the inventory: %w", werr)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("inventory cut short: %w", err)
	}
	if failed > 0 {
		return &incompleteError{failed: failed, total: len(refs)}
	}
	return nil
}

// incompleteError reports images whose rows have errors; it matches
// [cli.ErrPolicy], so that the program exits 1.
type incompleteError struct{ failed, total int }

func (e *incompleteError) Error() string {
	return fmt.Sprintf("%d of %d images have errors (see the error column)", e.failed, e.total)
}

func (e *incompleteError) Unwrap() error { return cli.ErrPolicy }
