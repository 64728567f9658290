package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/internal/cli"
)

// baseFlags are the flags of the base gate, for images built FROM a DHI.
type baseFlags struct {
	maxAge   string
	keys     cli.Strings
	bound    bool
	duration time.Duration
}

func (b *baseFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&b.maxAge, "base-max-age", "", "for images built FROM a DHI: prove the base, and fail when it is past its end of life or an update of it is available and it is older than this (such as 720h; unset: not checked)")
	fs.Var(&b.keys, "base-key", "verify bases with this PEM public key file instead of Docker's DHI keys (repeatable)")
	fs.BoolVar(&b.bound, "bound-by-digest", false, "use the image's unsigned BuildKit attestations when the reference pins the index digest (name@sha256:...)")
}

// options adds the options the base flags ask for to opts.
func (b *baseFlags) options(opts []dhi.Option) ([]dhi.Option, error) {
	if b.maxAge != "" {
		d, err := time.ParseDuration(b.maxAge)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("-base-max-age %q: want a duration such as 720h", b.maxAge)
		}
		b.duration = d
	}
	base, err := cli.BaseOptions(b.keys, b.bound)
	if err != nil {
		return nil, err
	}
	return append(opts, base...), nil
}

// check proves the platform's base and checks its lifecycle, when
// -base-max-age is given.
func (b *baseFlags) check(ctx context.Context, g *gate, p *dhi.Platform) {
	if b.maxAge == "" {
		return
	}
	j, err := p.BaseJoin(ctx, nil)
	if err != nil {
		var le *dhi.LineageError
		if errors.As(err, &le) {
			g.fail(p, "base: %s: %s", le.Link, err)
		} else {
			g.fail(p, "base: %s", err)
		}
		return
	}
	lc, ref := j.Lifecycle, j.Base.Claim.Reference
	g.pass(p, "base: built on %s (%d layers proven, signed)", ref, j.Base.Layers)
	switch {
	case lc.PastEndOfLife:
		g.fail(p, "base end-of-life: %s past since %s", ref, lc.EndOfLife.Format(time.DateOnly))
	case lc.EndOfLife.IsZero():
		g.skip(p, "base end-of-life: not stated in the base's labels")
	default:
		g.pass(p, "base end-of-life: supported until %s", lc.EndOfLife.Format(time.DateOnly))
	}
	switch {
	case lc.Update == nil && lc.UpdateError != "":
		g.fail(p, "base update: cannot check: %s", lc.UpdateError)
	case lc.Update == nil:
		g.skip(p, "base update: the build named the base by digest only")
	case lc.UpdateAvailableFor(b.duration):
		g.fail(p, "base update: %s now names %s; the base is %s old (more than %s): rebuild", lc.Update.Tag, lc.Update.Latest, days(lc.Age), b.maxAge)
	case lc.Update.Available:
		g.pass(p, "base update: %s now names %s; the base is %s old (within %s)", lc.Update.Tag, lc.Update.Latest, days(lc.Age), b.maxAge)
	default:
		g.pass(p, "base update: %s still names the base", lc.Update.Tag)
	}
	var fromBase, decided int
	for _, v := range j.Vulnerabilities {
		if v.Origin == dhi.OriginBase {
			fromBase++
			if v.Statement != nil {
				decided++
			}
		}
	}
	g.pass(p, "base VEX: %d of %d findings on packages from the base, %d decided by its VEX", fromBase, len(j.Vulnerabilities), decided)
}

// days writes a duration in days.
func days(d time.Duration) string { return fmt.Sprintf("%dd", int(d.Hours()/24)) }
