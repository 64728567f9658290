package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/vex"
)

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "triage:", err)
		stop()
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("triage", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var advisories, keys multiFlag
	fs.Var(&advisories, "advisory", "apply this OpenVEX document too (repeatable)")
	fs.Var(&keys, "key", "trust this PEM public key file too (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: triage [flags] [reference] [advisory.vex.json ...]\n\nWith no reference, triage the built-in sample image.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	var ref string
	for _, a := range fs.Args() {
		switch {
		case strings.HasSuffix(a, ".json"):
			advisories = append(advisories, a)
		case ref == "":
			ref = a
		default:
			fs.Usage()
			return fmt.Errorf("give at most one reference (advisory files end in .json): %q", a)
		}
	}

	var opts []dhi.Option
	var feed []*vex.Document
	for _, path := range advisories {
		doc, err := readAdvisory(path)
		if err != nil {
			return err
		}
		feed = append(feed, doc)
	}
	if len(feed) > 0 {
		opts = append(opts, dhi.WithAdvisories(feed...))
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
	note := ""
	if ref == "" {
		smp, err := dhitest.ServeSample(ctx)
		if err != nil {
			return fmt.Errorf("starting the sample image: %w", err)
		}
		defer smp.Close()
		sampleRef, key := smp.Ref, smp.Key
		ref, note = sampleRef, " (built-in sample: real documents, signed with a key made for this run)"
		opts = append(opts, dhi.WithKeys(key))
	}

	img, err := dhi.Open(ctx, ref, opts...)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Image %s %s%s\n", ref, img.Root.Digest, note)
	for _, d := range feed {
		fmt.Fprintf(stdout, "Advisory %s: %d VEX statement(s)\n", d.Name, len(d.Statements))
	}
	for _, p := range img.Platforms {
		if err := triage(stdout, p, feed); err != nil {
			return err
		}
	}
	return nil
}

// readAdvisory reads an OpenVEX document from a file.
func readAdvisory(path string) (*vex.Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("advisory: %w", err)
	}
	defer f.Close()
	return vex.ParseReader(f, vex.WithDocumentName(path))
}

// triage prints the platform's exploitable vulnerabilities and a summary.
func triage(w io.Writer, p *dhi.Platform, feed []*vex.Document) error {
	all, err := p.Vulnerabilities()
	if errors.Is(err, dhi.ErrNoAttestation) {
		return fmt.Errorf("%s: no verified vulnerability scan attestation: nothing to triage", p)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n== %s\n", p)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	var exploitable, settled, byFeed int
	for _, v := range all {
		if !v.Exploitable() {
			settled++
			if v.Statement != nil && slices.Contains(feed, v.Statement.Document) {
				byFeed++
			}
			continue
		}
		exploitable++
		row := []string{strings.ToUpper(string(v.Severity)), v.ID, v.PURL, string(v.Status)}
		if v.Status == "" {
			row[3] = "no VEX statement"
		}
		if v.Statement != nil {
			row = append(row, "decided by "+v.Statement.Document.Name)
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	summary := fmt.Sprintf("%s: %d exploitable, %d settled by VEX", p, exploitable, settled)
	if len(feed) > 0 {
		summary += fmt.Sprintf(" (%d by the advisories)", byFeed)
	}
	fmt.Fprintf(w, "%s, %d found\n", summary, len(all))
	return nil
}
