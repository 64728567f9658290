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
	"github.com/dhisdk/dhisdk/dhi/vuln"
	"github.com/dhisdk/dhisdk/internal/cli"
	"github.com/dhisdk/dhisdk/provenance"
)

func main() { cli.Main("verify", run) }

// The checks -skip can turn off.
const (
	checkEndOfLife       = "end-of-life"
	checkVulnerabilities = "vulnerabilities"
)

// policy is what the image must meet.
type policy struct {
	require  []dhi.Kind
	builder  string
	source   string
	severity vuln.Severity
	now      time.Time
	skip     map[string]bool
	// unknownAs is the severity findings of unknown severity count as;
	// empty: below low.
	unknownAs     vuln.Severity
	builderPrefix string
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	require := fs.String("require", "sbom,vex,provenance", "attestation kinds that must be present and verified, comma-separated (empty: none)")
	skip := fs.String("skip", "", "checks not to run, comma-separated: "+checkEndOfLife+", "+checkVulnerabilities)
	builder := fs.String("builder", "", "the builder ID the provenance must name (unset: not checked)")
	source := fs.String("source", "", "the source repository the provenance must name (unset: not checked)")
	severity := fs.String("severity", "high", "fail on exploitable vulnerabilities at or above this severity")
	unknownAs := fs.String("unknown-as", "", "count vulnerabilities of unknown severity as this severity (default: below low)")
	builderPrefix := fs.String("builder-prefix", "", "a prefix the provenance's builder ID must start with (unset: not checked)")
	flags := cli.Register(fs)
	cli.Usage(fs, "verify [flags] [reference]", "A policy gate: check an image's signed attestations against a policy.\n"+
		"With no reference, check the built-in sample image.")
	var base baseFlags
	base.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return errors.New("give at most one reference")
	}
	pol := policy{builder: *builder, source: *source, severity: vuln.Severity(strings.ToLower(*severity)), now: time.Now(), skip: map[string]bool{}}
	if !pol.severity.Valid() {
		return fmt.Errorf("-severity %q: want one of critical, high, medium, low", *severity)
	}
	if *unknownAs != "" {
		if pol.unknownAs = vuln.Severity(strings.ToLower(*unknownAs)); !pol.unknownAs.Valid() {
			return fmt.Errorf("-unknown-as %q: want one of critical, high, medium, low", *unknownAs)
		}
	}
	pol.builderPrefix = *builderPrefix
	for _, k := range strings.Split(*require, ",") {
		kind := dhi.Kind(strings.TrimSpace(k))
		if kind == "" {
			continue
		}
		if !kind.Valid() || kind == dhi.KindUnknown {
			return fmt.Errorf("-require: unknown kind %q (known: %s)", k, knownKinds())
		}
		pol.require = append(pol.require, kind)
	}
	for _, c := range strings.Split(*skip, ",") {
		switch c = strings.TrimSpace(c); c {
		case "":
		case checkEndOfLife, checkVulnerabilities:
			pol.skip[c] = true
		default:
			return fmt.Errorf("-skip: unknown check %q (known: %s, %s)", c, checkEndOfLife, checkVulnerabilities)
		}
	}

	opened, err := flags.Options(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	defer opened.Close()
	ref, note := opened.Ref, ""
	if opened.Note != "" {
		note = " (" + opened.Note + ")"
	}
	opts, err := base.options(opened.Options)
	if err != nil {
		return err
	}
	img, err := dhi.Open(ctx, ref, opts...)
	if err != nil {
		return err
	}
	defer img.Close()
	g := &gate{}
	if !flags.JSON {
		g.out = stdout
		fmt.Fprintf(stdout, "IMAGE %s %s%s\n", ref, img.Root.Digest, note)
	}
	for _, p := range img.Platforms {
		if err := g.check(p, pol); err != nil {
			return err
		}
		base.check(ctx, g, p)
	}
	if flags.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(verdict{Image: ref, Digest: img.Root.Digest.String(), Passed: g.failed == 0, Checks: g.results}); err != nil {
			return err
		}
	}
	if g.failed > 0 {
		return fmt.Errorf("%w: %d of %d checks failed", cli.ErrPolicy, g.failed, g.checks)
	}
	return nil
}

// verdict is the -json output.
type verdict struct {
	Image  string   `json:"image"`
	Digest string   `json:"digest"`
	Passed bool     `json:"passed"`
	Checks []result `json:"checks"`
}

// result is one check's line.
type result struct {
	Verdict  string `json:"verdict"`
	Platform string `json:"platform"`
	Message  string `json:"message"`
}

// gate prints the result of each check and counts them.
type gate struct {
	out            io.Writer // nil: record only
	checks, failed int
	results        []result
}

func (g *gate) line(verdict string, p *dhi.Platform, format string, a ...any) {
	r := result{Verdict: verdict, Platform: p.String(), Message: fmt.Sprintf(format, a...)}
	g.results = append(g.results, r)
	if g.out != nil {
		fmt.Fprintf(g.out, "%s %s %s\n", r.Verdict, r.Platform, r.Message)
	}
}

func (g *gate) pass(p *dhi.Platform, format string, a ...any) {
	g.checks++
	g.line("PASS", p, format, a...)
}

func (g *gate) fail(p *dhi.Platform, format string, a ...any) {
	g.checks++
	g.failed++
	g.line("FAIL", p, format, a...)
}

func (g *gate) skip(p *dhi.Platform, format string, a ...any) { g.line("SKIP", p, format, a...) }

// check runs every check of pol on the platform p.
func (g *gate) check(p *dhi.Platform, pol policy) error {
	for _, k := range pol.require {
		var found, verified int
		reason := ""
		for _, a := range p.Attestations {
			if a.Kind != k {
				continue
			}
			found++
			if a.Verified {
				verified++
			} else if reason == "" {
				reason = a.Reason
			}
		}
		switch {
		case verified > 0:
			g.pass(p, "%s: %d verified %s", k, verified, plural(verified, "attestation"))
		case found > 0:
			g.fail(p, "%s: no verified attestation (%d found; %s)", k, found, reason)
		default:
			g.fail(p, "%s: no verified attestation", k)
		}
	}

	if err := g.checkBuild(p, pol); err != nil {
		return err
	}

	lc := p.Lifecycle()
	switch {
	case pol.skip[checkEndOfLife]:
		g.skip(p, "end-of-life: skipped (-skip)")
	case lc.EndOfLife.IsZero():
		g.skip(p, "end-of-life: not stated in the image's labels")
	case lc.PastEndOfLife(pol.now):
		g.fail(p, "end-of-life: past since %s", lc.EndOfLife.Format(time.DateOnly))
	default:
		g.pass(p, "end-of-life: supported until %s", lc.EndOfLife.Format(time.DateOnly))
	}

	if pol.skip[checkVulnerabilities] {
		g.skip(p, "vulnerabilities: skipped (-skip)")
		return nil
	}
	exploitable, err := p.Exploitable()
	if err != nil {
		g.fail(p, "vulnerabilities: %s", why(err))
		return nil
	}
	var blocking int
	for _, v := range exploitable {
		rank := v.Severity.Rank()
		if pol.unknownAs != "" && (v.Severity == vuln.SeverityUnspecified || !v.Severity.Valid()) {
			rank = pol.unknownAs.Rank()
		}
		if rank < pol.severity.Rank() {
			continue
		}
		blocking++
		status := string(v.Status)
		if status == "" {
			status = "no_vex_statement"
		}
		g.fail(p, "%s %s %s %s", v.ID, strings.ToUpper(string(v.Severity)), v.PURL, status)
	}
	if blocking == 0 {
		g.pass(p, "vulnerabilities: none exploitable at %s or above (%d exploitable below)", pol.severity, len(exploitable))
	}
	return nil
}

// checkBuild checks the builder and source repository that the platform's
// provenance names.
func (g *gate) checkBuild(p *dhi.Platform, pol policy) error {
	checks := []struct {
		check      provenance.Expectation
		want, flag string
		got        func(*provenance.Provenance) string
	}{
		{provenance.ExpectBuilderID, pol.builder + pol.builderPrefix, "-builder", func(pr *provenance.Provenance) string { return pr.Builder.ID }},
		{provenance.ExpectSourceRepository, pol.source, "-source", func(pr *provenance.Provenance) string { return pr.Source.Repository }},
	}
	var prov *provenance.Provenance
	mismatches := map[provenance.Expectation]provenance.Mismatch{}
	if pol.builder != "" || pol.builderPrefix != "" || pol.source != "" {
		var err error
		if prov, err = p.Provenance(); err != nil {
			g.fail(p, "provenance: %s", why(err))
			return nil
		}
		bp := provenance.BuildPolicy{SourceRepository: pol.source}
		if pol.builderPrefix != "" {
			bp.BuilderIDPrefixes = []string{pol.builderPrefix}
		}
		if pol.builder != "" {
			bp.BuilderIDs = []string{pol.builder}
		}
		var pe *provenance.PolicyError
		switch err := prov.CheckPolicy(bp); {
		case errors.As(err, &pe):
			for _, m := range pe.Mismatches {
				mismatches[m.Expectation] = m
			}
		case err != nil:
			return err
		}
	}
	for _, c := range checks {
		m, failed := mismatches[c.check]
		switch {
		case c.want == "":
			g.skip(p, "%s: not checked (no %s given)", c.check, c.flag)
		case failed:
			g.fail(p, "%s", m)
		default:
			g.pass(p, "%s: %s", c.check, c.got(prov))
		}
	}
	return nil
}

// why says why a section of the model is not there, in one line.
func why(err error) string {
	if errors.Is(err, dhi.ErrNoAttestation) {
		return "no verified attestation"
	}
	return err.Error()
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func knownKinds() string {
	var ks []string
	for _, k := range dhi.Kinds() {
		if k != dhi.KindUnknown {
			ks = append(ks, string(k))
		}
	}
	return strings.Join(ks, ", ")
}
