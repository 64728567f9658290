package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/scanreport"
	"github.com/dhisdk/dhisdk/internal/cli"
	"github.com/dhisdk/dhisdk/vex"
	"github.com/dhisdk/dhisdk/vex/csaf"
)

func main() { cli.Main("triage", run) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("triage", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var advisories cli.Strings
	fs.Var(&advisories, "advisory", "apply this OpenVEX or CSAF VEX document too (repeatable)")
	var f files
	fs.StringVar(&f.report, "report", "", "triage this scanner report (Trivy JSON, Grype JSON, SARIF or CycloneDX) instead of the image's own scans")
	fs.StringVar(&f.out, "o", "", "with -report, write the report back to this file with the decisions recorded")
	fs.StringVar(&f.vexOut, "vex-out", "", "write the image's verified VEX for scanners (OpenVEX) to this file")
	fs.BoolVar(&f.noDigest, "report-without-digest-unsafe", false, "accept a report that names no image digest (it cannot be shown to be about this image)")
	flags := cli.Register(fs)
	cli.Usage(fs, "triage [flags] [reference] [advisory.vex.json ...]",
		"List the vulnerabilities still exploitable after VEX, or triage a scanner report\n"+
			"(-report) with the image's verified VEX and SBOM. With no reference, triage the\n"+
			"built-in sample image. With -report, the platform of a report that names only\n"+
			"the image index is the one -platform gives, else linux/<this machine's arch>.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f.platform = "linux/" + runtime.GOARCH
	if len(flags.Platforms) == 1 {
		f.platform = flags.Platforms[0]
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
	if f.report != "" {
		return triageReport(stdout, img, f)
	}
	if f.out != "" {
		return errors.New("-o needs -report")
	}
	if f.vexOut != "" {
		if err := writeScannerVEX(stdout, img.Platforms[0], f.vexOut); err != nil {
			return err
		}
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

// readAdvisory reads an OpenVEX or a CSAF VEX document from a file.
func readAdvisory(path string) (*vex.Document, error) {
	b, err := readFile(path, vex.DefaultMaxSize)
	if err != nil {
		return nil, fmt.Errorf("advisory: %w", err)
	}
	if csaf.IsVEX(b) {
		return csaf.Parse(b, csaf.WithDocumentName(path))
	}
	return vex.Parse(b, vex.WithDocumentName(path))
}

// readFile reads at most limit bytes of a file.
func readFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, limit)
	}
	return b, nil
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

// files are the files the -report, -o and -vex-out flags name.
type files struct {
	report, out, vexOut, platform string
	noDigest                      bool
}

// triageReport triages a scanner report against the platform of img it is
// about, prints each finding with its decision, and writes the files asked
// for.
func triageReport(w io.Writer, img *dhi.Image, f files) error {
	b, err := readFile(f.report, scanreport.MaxSize)
	if err != nil {
		return fmt.Errorf("-report: %w", err)
	}
	r, err := scanreport.Parse(b)
	if err != nil {
		return fmt.Errorf("-report %s: %w", f.report, err)
	}
	fmt.Fprintf(w, "Report %s: %s by %s on %q, %d finding(s)\n", f.report, r.Format, cmp.Or(r.Scanner.Name, "an unnamed scanner"), r.Artifact.Name, len(r.Findings))
	opts := []dhi.TriageOption{dhi.WithReportPlatform(f.platform)}
	if f.noDigest {
		opts = append(opts, dhi.WithReportWithoutDigestUnsafe())
	}
	tr, err := img.Triage(r, opts...)
	if err != nil {
		return fmt.Errorf("-report %s: %w", f.report, err)
	}
	p := tr.Platform
	fmt.Fprintf(w, "\n== %s\n", p)
	if tr.Unbound {
		fmt.Fprintln(w, "warning: the report names no digest; triaged as asked, but nothing shows it is about this image")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	var inconsistent int
	for _, t := range tr.Findings {
		status := string(t.Decision.Status)
		if status == "" {
			status = "no VEX statement"
		}
		row := []string{strings.ToUpper(string(t.Finding.Severity)), t.Finding.ID, cmp.Or(t.PURL, t.Finding.Package), status}
		if t.Match != nil {
			row = append(row, "decided by "+t.Decision.Statement+" ("+string(t.Match.Reading)+")")
		}
		if t.Inconsistent {
			inconsistent++
			row = append(row, "INCONSISTENT: installed "+t.Finding.InstalledVersion+" is not below the scanner's fix "+t.Finding.FixedIn)
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %d finding(s), %d suppressed by VEX, %d inconsistent, %d to look at\n",
		p, len(tr.Findings), tr.Suppressed(), inconsistent, len(tr.Findings)-tr.Suppressed())
	if f.out != "" {
		if err := os.WriteFile(f.out, tr.Encoded, 0o644); err != nil {
			return fmt.Errorf("-o: %w", err)
		}
		fmt.Fprintf(w, "Wrote %s: the %s report with %d finding(s) suppressed\n", f.out, r.Format, tr.Suppressed())
	}
	if f.vexOut != "" {
		return writeScannerVEX(w, p, f.vexOut)
	}
	return nil
}

// writeScannerVEX writes the platform's verified VEX for scanners.
func writeScannerVEX(w io.Writer, p *dhi.Platform, path string) error {
	sv, err := p.ScannerVEX()
	if err != nil {
		return fmt.Errorf("-vex-out: %w", err)
	}
	b, err := sv.OpenVEX()
	if err != nil {
		return fmt.Errorf("-vex-out: %w", err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("-vex-out: %w", err)
	}
	fmt.Fprintf(w, "Wrote %s: %d verified VEX statement(s) of %s %s for scanners; use it with\n", path, len(sv.Statements), sv.Image, p)
	fmt.Fprintf(w, "  trivy image --vex %s %s\n  grype %s --vex %s\n", path, sv.Image, sv.Image, path)
	return nil
}
