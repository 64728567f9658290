package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/internal/cli"
)

// baseFlags are the flags for images built FROM a DHI.
type baseFlags struct {
	keys    cli.Strings
	bound   bool
	lineage bool
}

func (b *baseFlags) register(fs *flag.FlagSet) {
	fs.Var(&b.keys, "base-key", "verify base images with this PEM public key file instead of Docker's DHI keys (repeatable)")
	fs.BoolVar(&b.bound, "bound-by-digest", false, "use the image's unsigned BuildKit attestations when the reference pins the index digest (name@sha256:...)")
	fs.BoolVar(&b.lineage, "lineage", false, "seek the base of every platform (by default only of platforms with no signed attestation: images built FROM a DHI)")
}

// options adds the options the flags ask for to opts.
func (b *baseFlags) options(opts []dhi.Option) ([]dhi.Option, error) {
	base, err := cli.BaseOptions(b.keys, b.bound)
	if err != nil {
		return nil, err
	}
	return append(opts, base...), nil
}

// walk seeks the base of the platforms built FROM another image, and joins
// each with its base, so that the report and printBuiltOn show them.
func (b *baseFlags) walk(ctx context.Context, img *dhi.Image) {
	for _, p := range img.Platforms {
		if b.lineage || derived(p) {
			// Failures are kept in the lineage, which printBuiltOn shows.
			_, _ = p.BaseJoin(ctx, nil)
		}
	}
}

// derived reports whether the platform has attestations and none signed
// with a trusted key: an image built FROM a DHI rather than a DHI.
func derived(p *dhi.Platform) bool {
	for _, a := range p.Attestations {
		if a.Trust == dhi.TrustSigned {
			return false
		}
	}
	return len(p.Attestations) > 0
}

// printBuiltOn prints the "Built on" section of a platform whose lineage
// was sought.
func printBuiltOn(line printer, p *dhi.Platform) {
	r := p.LineageSection()
	if r == nil {
		return
	}
	if !r.Proven {
		line("Built on\tnot proven")
		for _, f := range r.Failures {
			line("\t%s", f)
		}
		return
	}
	for i, c := range r.Chain {
		what := "unsigned intermediate image"
		if c.Signed {
			what = "signed"
		}
		label := "Built on"
		if i > 0 {
			label = "  FROM"
		}
		line("%s\t%s (%s; %s, %d layers proven)", label, c.Claim.Reference, c.Claim.Source, what, c.Layers)
	}
	if in := r.Inherited; in != nil {
		lc := in.Lifecycle
		line("  base\t%s %s, end of life %s, %s old", lc.Name, lc.Version, date(lc.EndOfLife), days(lc.Age))
		switch {
		case lc.Update != nil && lc.Update.Available:
			line("  update\t%s now names %s: rebuild", lc.Update.Tag, lc.Update.Latest)
		case lc.Update != nil:
			line("  update\tnone: %s still names the base", lc.Update.Tag)
		case lc.UpdateError != "":
			line("  update\tcannot check: %s", lc.UpdateError)
		}
		var decided int
		for _, v := range in.Vulnerabilities {
			if v.Statement != nil {
				decided++
			}
		}
		if in.Packages != nil {
			line("  packages\t%d from the base, %d added", in.FromBase, in.Added)
		}
		line("  inherited VEX\t%d of %d findings decided by the base's VEX", decided, len(in.Vulnerabilities))
	}
}

func date(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.Format(time.DateOnly)
}

func days(d time.Duration) string {
	if d == 0 {
		return "unknown"
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}
