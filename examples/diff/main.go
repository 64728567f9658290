package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/internal/cli"
)

func main() { cli.Main("diff", run) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	flags := cli.Register(fs, cli.FlagPlatform, cli.FlagPlainHTTP, cli.FlagJSON, cli.FlagKey, cli.FlagAddKey)
	cli.Usage(fs, "diff [flags] before after", "Compare two images.\nWith no arguments, compare two built-in sample images.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 && fs.NArg() != 2 {
		fs.Usage()
		return errors.New("give two references, before and after, or none")
	}

	opts, replaced, err := flags.Base()
	if err != nil {
		return err
	}
	beforeRef, afterRef, note := fs.Arg(0), fs.Arg(1), ""
	if fs.NArg() == 0 {
		b, a, key, closeSamples, err := startSamples(ctx)
		if err != nil {
			return fmt.Errorf("starting the sample images: %w", err)
		}
		defer closeSamples()
		beforeRef, afterRef = b, a
		note = "built-in samples: real documents, and a variant with made-up changes, signed with a key made for this run"
		if !replaced {
			opts = append(opts, dhi.WithKeys(key))
		}
	}

	before, err := dhi.Open(ctx, beforeRef, opts...)
	if err != nil {
		return err
	}
	after, err := dhi.Open(ctx, afterRef, opts...)
	if err != nil {
		return err
	}
	pairs, unpaired := pairPlatforms(before, after)
	if len(pairs) == 0 {
		return fmt.Errorf("the images have no platform in common (%s)", strings.Join(unpaired, "; "))
	}
	diffs := make([]*dhi.Diff, 0, len(pairs))
	for _, pair := range pairs {
		for i, ref := range []string{beforeRef, afterRef} {
			if len(pair[i].Used()) == 0 {
				return fmt.Errorf("%s (%s): no verified attestation: nothing to compare", ref, pair[i])
			}
		}
		d, err := dhi.Compare(pair[0], pair[1])
		if err != nil {
			return err
		}
		diffs = append(diffs, d)
	}
	if flags.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(diffs)
	}

	fmt.Fprintf(stdout, "Before  %s %s\nAfter   %s %s\n", beforeRef, before.Root.Digest, afterRef, after.Root.Digest)
	if note != "" {
		fmt.Fprintf(stdout, "        (%s)\n", note)
	}
	for _, u := range unpaired {
		fmt.Fprintf(stdout, "Not compared: %s\n", u)
	}
	for _, d := range diffs {
		printDiff(stdout, d)
	}
	return nil
}

// pairPlatforms pairs the platforms of the two images that have the same
// os/arch/variant, or the only platform of each; it also says which
// platforms only one image has.
func pairPlatforms(before, after *dhi.Image) (pairs [][2]*dhi.Platform, unpaired []string) {
	if len(before.Platforms) == 1 && len(after.Platforms) == 1 {
		return [][2]*dhi.Platform{{before.Platforms[0], after.Platforms[0]}}, nil
	}
	inAfter := map[string]*dhi.Platform{}
	for _, p := range after.Platforms {
		inAfter[p.String()] = p
	}
	for _, p := range before.Platforms {
		if q, ok := inAfter[p.String()]; ok {
			pairs = append(pairs, [2]*dhi.Platform{p, q})
			delete(inAfter, p.String())
		} else {
			unpaired = append(unpaired, p.String()+" only in before")
		}
	}
	for _, p := range after.Platforms {
		if _, ok := inAfter[p.String()]; ok {
			unpaired = append(unpaired, p.String()+" only in after")
		}
	}
	return pairs, unpaired
}

func printDiff(w io.Writer, d *dhi.Diff) {
	fmt.Fprintf(w, "\n== %s %s -> %s\n", d.Before.Platform, short(d.Before.Digest), short(d.After.Digest))
	if d.Empty() {
		fmt.Fprintln(w, "no change")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	defer tw.Flush()
	line := func(format string, a ...any) { fmt.Fprintf(tw, format+"\n", a...) }
	for _, m := range d.Missing {
		line("Not compared\t%s: no verified attestation %s", m.Section, m.From)
	}

	pd := d.Packages
	line("Packages\t%d added, %d removed, %d changed version, %d changed licence",
		len(pd.Added), len(pd.Removed), len(pd.VersionChanged), len(pd.LicenseChanged))
	for _, p := range pd.Added {
		line("  + %s\t%s (%s)", p.Name, p.Version, strings.Join(p.Licenses, ", "))
	}
	for _, p := range pd.Removed {
		line("  - %s\t%s (%s)", p.Name, p.Version, strings.Join(p.Licenses, ", "))
	}
	for _, c := range pd.VersionChanged {
		line("  ~ %s\t%s -> %s", c.Before.Name, c.Before.Version, c.After.Version)
	}
	for _, c := range pd.LicenseChanged {
		line("  licence %s\t%s -> %s", c.After.Name, strings.Join(c.Before.Licenses, ", "), strings.Join(c.After.Licenses, ", "))
	}

	vd := d.Vulnerabilities
	line("Vulnerabilities\t%d fixed, %d introduced, %d with another VEX status",
		len(vd.Fixed), len(vd.Introduced), len(vd.StatusChanged))
	for _, v := range vd.Fixed {
		line("  fixed %s\t%s %s (%s)", v.ID, strings.ToUpper(string(v.Severity)), v.PURL, status(v))
	}
	for _, v := range vd.Introduced {
		line("  introduced %s\t%s %s (%s)", v.ID, strings.ToUpper(string(v.Severity)), v.PURL, status(v))
	}
	for _, c := range vd.StatusChanged {
		line("  VEX %s\t%s %s: %s -> %s", c.After.ID, strings.ToUpper(string(c.After.Severity)), c.After.PURL, status(c.Before), status(c.After))
	}

	for _, section := range []struct {
		name    string
		changes []dhi.FieldChange
	}{{"Provenance", d.Provenance}, {"Lifecycle", d.Lifecycle}} {
		if len(section.changes) == 0 {
			line("%s\tno change", section.name)
			continue
		}
		line("%s\t%d changed", section.name, len(section.changes))
		for _, c := range section.changes {
			line("  %s\t%s -> %s", c.Field, orNone(c.Before), orNone(c.After))
		}
	}
}

// status describes a vulnerability's VEX status and whether it is
// exploitable.
func status(v dhi.VulnerabilityState) string {
	s := string(v.Status)
	if s == "" {
		s = "no VEX statement"
	}
	if v.Justification != "" {
		s += ": " + string(v.Justification)
	}
	if v.Exploitable {
		s += ", exploitable"
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// short abbreviates a digest for headings.
func short(digest string) string {
	if i := strings.IndexByte(digest, ':'); i >= 0 && len(digest) > i+13 {
		return digest[:i+13]
	}
	return digest
}
