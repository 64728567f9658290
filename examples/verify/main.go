package main

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

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/dhi/vuln"
	"github.com/dhisdk/dhisdk/provenance"
)

// errFailed reports that the image does not meet the policy.
var errFailed = errors.New("policy not met")

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "verify:", err)
	}
	stop()
	os.Exit(exitCode(err))
}

// exitCode is 0 when the image passed, 1 when it failed a check, and 2
// when it could not be checked.
func exitCode(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errFailed):
		return 1
	default:
		return 2
	}
}

// policy is what the image must meet.
type policy struct {
	require  []dhi.Kind
	builder  string
	source   string
	severity vuln.Severity
	now      time.Time
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var keys multiFlag
	require := fs.String("require", "sbom,vex,provenance", "attestation kinds that must be present and verified, comma-separated")
	builder := fs.String("builder", "", "the builder ID the provenance must name (unset: not checked)")
	source := fs.String("source", "", "the source repository the provenance must name (unset: not checked)")
	severity := fs.String("severity", "high", "fail on exploitable vulnerabilities at or above this severity")
	fs.Var(&keys, "key", "trust this PEM public key file too (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: verify [flags] [reference]\n\nWith no reference, check the built-in sample image.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return errors.New("give at most one reference")
	}
	pol := policy{builder: *builder, source: *source, severity: vuln.Severity(strings.ToLower(*severity)), now: time.Now()}
	if !pol.severity.Valid() {
		return fmt.Errorf("-severity %q: want one of critical, high, medium, low", *severity)
	}
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

	var opts []dhi.Option
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
	ref, note := fs.Arg(0), ""
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
	fmt.Fprintf(stdout, "IMAGE %s %s%s\n", ref, img.Root.Digest, note)
	g := &gate{out: stdout}
	for _, p := range img.Platforms {
		if err := g.check(p, pol); err != nil {
			return err
		}
	}
	if g.failed > 0 {
		return fmt.Errorf("%w: %d of %d checks failed", errFailed, g.failed, g.checks)
	}
	return nil
}

// gate prints the result of each check and counts them.
type gate struct {
	out            io.Writer
	checks, failed int
}

func (g *gate) line(verdict string, p *dhi.Platform, format string, a ...any) {
	fmt.Fprintf(g.out, "%s %s %s\n", verdict, p, fmt.Sprintf(format, a...))
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
	case lc.EndOfLife.IsZero():
		g.skip(p, "end-of-life: not stated in the image's labels")
	case lc.PastEndOfLife(pol.now):
		g.fail(p, "end-of-life: past since %s", lc.EndOfLife.Format(time.DateOnly))
	default:
		g.pass(p, "end-of-life: supported until %s", lc.EndOfLife.Format(time.DateOnly))
	}

	exploitable, err := p.Exploitable()
	if err != nil {
		g.fail(p, "vulnerabilities: %s", why(err))
		return nil
	}
	var blocking int
	for _, v := range exploitable {
		if v.Severity.Rank() < pol.severity.Rank() {
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
		{provenance.ExpectBuilderID, pol.builder, "-builder", func(pr *provenance.Provenance) string { return pr.Builder.ID }},
		{provenance.ExpectSourceRepository, pol.source, "-source", func(pr *provenance.Provenance) string { return pr.Source.Repository }},
	}
	var prov *provenance.Provenance
	mismatches := map[provenance.Expectation]provenance.Mismatch{}
	if pol.builder != "" || pol.source != "" {
		var err error
		if prov, err = p.Provenance(); err != nil {
			g.fail(p, "provenance: %s", why(err))
			return nil
		}
		bp := provenance.BuildPolicy{SourceRepository: pol.source}
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
