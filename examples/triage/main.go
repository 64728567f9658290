package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/internal/cli"
	"github.com/dhisdk/dhisdk/vex"
)

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func main() { cli.Main("triage", run) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("triage", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var advisories multiFlag
	fs.Var(&advisories, "advisory", "apply this OpenVEX document too (repeatable)")
	flags := cli.Register(fs)
	cli.Usage(fs, "triage [flags] [reference] [advisory.vex.json ...]",
		"List the vulnerabilities still exploitable after VEX.\nWith no reference, triage the built-in sample image.")
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
	opened, err := flags.Options(ctx, ref)
	if err != nil {
		return err
	}
	defer opened.Close()
	ref, note := opened.Ref, ""
	if opened.Note != "" {
		note = " (" + opened.Note + ")"
	}
	opts = append(opts, opened.Options...)

	img, err := dhi.Open(ctx, ref, opts...)
	if err != nil {
		return err
	}
	defer img.Close()
	if flags.JSON {
		return triageJSON(stdout, img)
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

// platformTriage is one platform of the -json output.
type platformTriage struct {
	Platform    string              `json:"platform"`
	Found       int                 `json:"found"`
	Exploitable []dhi.Vulnerability `json:"exploitable"`
}

// triageJSON writes every platform's exploitable vulnerabilities as JSON.
func triageJSON(w io.Writer, img *dhi.Image) error {
	out := struct {
		Image     string           `json:"image"`
		Digest    string           `json:"digest"`
		Platforms []platformTriage `json:"platforms"`
	}{Image: img.Reference, Digest: img.Root.Digest.String(), Platforms: []platformTriage{}}
	for _, p := range img.Platforms {
		all, err := p.Vulnerabilities()
		if errors.Is(err, dhi.ErrNoAttestation) {
			return fmt.Errorf("%s: no verified vulnerability scan attestation: nothing to triage", p)
		}
		if err != nil {
			return err
		}
		pt := platformTriage{Platform: p.String(), Found: len(all), Exploitable: []dhi.Vulnerability{}}
		for _, v := range all {
			if v.Exploitable() {
				pt.Exploitable = append(pt.Exploitable, v)
			}
		}
		out.Platforms = append(out.Platforms, pt)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
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
