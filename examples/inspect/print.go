package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/vuln"
)

func printImage(w io.Writer, img *dhi.Image, note string, opened, modelled time.Duration) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	defer tw.Flush()
	line := func(format string, a ...any) { fmt.Fprintf(tw, format+"\n", a...) }
	line("Image\t%s", img.Reference)
	if note != "" {
		line("\t(%s)", note)
	}
	line("Digest\t%s", img.Root.Digest)
	var names []string
	for _, p := range img.Platforms {
		names = append(names, p.String())
	}
	line("Platforms\t%s", strings.Join(names, ", "))
	if len(img.ReferrersRepositories) > 0 {
		line("Attestations also in\t%s", strings.Join(img.ReferrersRepositories, ", "))
	}
	line("Time\t%s to find, read and verify the attestations, %s to parse and join them", opened.Round(time.Millisecond), modelled.Round(time.Millisecond))
	for _, e := range img.Problems {
		line("Problem\t%v", e)
	}
	printLookups(line, img)
	for _, p := range img.Platforms {
		line("")
		line("== %s %s", p, p.Descriptor.Digest)
		printLifecycle(line, p, time.Now())
		printBuiltOn(line, p)
		printAttestations(line, p)
		printPackages(line, p)
		printVulnerabilities(line, p)
		printBuild(line, p)
		printCompliance(line, p)
		printChecks(line, p)
	}
}

type printer func(format string, a ...any)

// printLookups prints, per subject and repository, what each discovery
// mechanism answered, so that a registry without the referrers API shows.
func printLookups(line printer, img *dhi.Image) {
	type key struct{ subject, repo string }
	var keys []key
	parts := map[key][]string{}
	for _, l := range img.Lookups {
		k := key{l.Subject.String(), l.Repository}
		if _, ok := parts[k]; !ok {
			keys = append(keys, k)
		}
		p := string(l.Mechanism) + " " + string(l.Outcome)
		switch {
		case l.Outcome == attest.OutcomeFound:
			p += fmt.Sprintf(" %d", l.Found)
		case l.Answer != "":
			p += " (" + l.Answer + ")"
		}
		parts[k] = append(parts[k], p)
	}
	for _, k := range keys {
		short := k.subject
		if len(short) > 19 {
			short = short[:19]
		}
		line("Lookup\t%s in %s: %s", short, k.repo, strings.Join(parts[k], ", "))
	}
}

// missing says why a section is empty, or "" when the error is worth
// showing as such.
func missing(err error) string {
	if errors.Is(err, dhi.ErrNoAttestation) {
		return "none verified"
	}
	return "error: " + err.Error()
}

func printLifecycle(line printer, p *dhi.Platform, now time.Time) {
	lc := p.Lifecycle()
	if lc.Name == "" {
		line("Lifecycle\tnot a DHI image (no com.docker.dhi labels)")
		return
	}
	desc := fmt.Sprintf("%s %s", lc.Name, lc.Version)
	var attrs []string
	for _, a := range []string{lc.Variant, lc.Distro} {
		if a != "" {
			attrs = append(attrs, a)
		}
	}
	if len(lc.Compliance) > 0 {
		attrs = append(attrs, "compliance "+strings.Join(lc.Compliance, ","))
	}
	if len(attrs) > 0 {
		desc += " (" + strings.Join(attrs, ", ") + ")"
	}
	line("Lifecycle\t%s", desc)
	switch {
	case lc.EndOfLife.IsZero():
		line("\tend of life not stated")
	case lc.PastEndOfLife(now):
		line("\tPAST END OF LIFE since %s: move to a supported version", lc.EndOfLife.Format(time.DateOnly))
	default:
		line("\tsupported until %s", lc.EndOfLife.Format(time.DateOnly))
	}
}

func printAttestations(line printer, p *dhi.Platform) {
	verified := 0
	for _, a := range p.Attestations {
		if a.Verified {
			verified++
		}
	}
	line("Attestations\t%d found, %d verified", len(p.Attestations), verified)
	// What was not checked is usually the same for every attestation: say
	// it once.
	var common []string
	for i, a := range p.Attestations {
		if !a.Verified {
			continue
		}
		if i == 0 || common == nil {
			common = a.Result.NotChecked
		} else if strings.Join(common, "\n") != strings.Join(a.Result.NotChecked, "\n") {
			common = []string{}
			break
		}
	}
	for _, a := range p.Attestations {
		mark, who := "ok", ""
		if !a.Verified {
			mark, who = "NO", a.Reason
		} else if signers := a.Result.Signers(); len(signers) > 0 {
			s := signers[0]
			switch {
			case s.Key != nil && s.Key.Name != "":
				who = "signed by " + s.Key.Name
			case s.Key != nil:
				who = "signed by key " + s.Key.ID[:12]
			case s.Identity != nil:
				who = "signed by " + s.Identity.Subject
			}
			if s.Key != nil && s.Key.Status != "active" {
				who += " (" + string(s.Key.Status) + " key)"
			}
			if len(common) == 0 && len(a.Result.NotChecked) > 0 {
				who += "; not checked: " + strings.Join(a.Result.NotChecked, "; ")
			}
		}
		line("  %s %s\t%s", mark, a.PredicateType, who)
	}
	for _, n := range common {
		line("  not checked\t%s", n)
	}
}

func printPackages(line printer, p *dhi.Platform) {
	pkgs, err := p.Packages()
	if err != nil {
		line("Packages\t%s", missing(err))
		return
	}
	var formats []string
	if docs, err := p.SBOMs(); err == nil {
		for _, d := range docs {
			formats = append(formats, fmt.Sprintf("%s %s", d.Format(), d.SpecVersion()))
		}
	}
	line("Packages\t%d (from %s)", len(pkgs), strings.Join(formats, ", "))
	lic, err := p.Licenses()
	if err == nil && len(lic) > 0 {
		var top []string
		for i, l := range lic {
			if i == 5 {
				break
			}
			top = append(top, fmt.Sprintf("%s (%d)", l.License, l.Packages))
		}
		line("  top licences\t%s", strings.Join(top, ", "))
	}
	if dis, err := p.SBOMDisagreements(); err == nil && len(dis) > 0 {
		what := "point"
		if len(dis) > 1 {
			what = "points"
		}
		line("  SBOMs disagree\ton %d %s (see -json)", len(dis), what)
	}
}

func printVulnerabilities(line printer, p *dhi.Platform) {
	vulns, err := p.Vulnerabilities()
	if err != nil {
		line("Vulnerabilities\t%s", missing(err))
		return
	}
	bySev := map[vuln.Severity]int{}
	byStatus := map[string]int{}
	for _, v := range vulns {
		bySev[v.Severity]++
		st := string(v.Status)
		if st == "" {
			st = "no VEX statement"
		}
		byStatus[st]++
	}
	var sev []string
	for _, s := range vuln.Severities() {
		if n := bySev[s]; n > 0 {
			sev = append(sev, fmt.Sprintf("%d %s", n, s))
		}
	}
	var st []string
	for _, s := range []string{"not_affected", "fixed", "affected", "under_investigation", "no VEX statement"} {
		if n := byStatus[s]; n > 0 {
			st = append(st, fmt.Sprintf("%d %s", n, s))
		}
	}
	line("Vulnerabilities\t%d found (%s)", len(vulns), strings.Join(sev, ", "))
	if len(vulns) > 0 {
		line("  after VEX\t%s", strings.Join(st, ", "))
	}
	exp, _ := p.Exploitable()
	line("  exploitable\t%d", len(exp))
	for _, v := range exp {
		status := string(v.Status)
		if status == "" {
			status = "no VEX statement"
		}
		fix := ""
		if v.FixedIn != "" {
			fix = ", fixed in " + v.FixedIn
		}
		if v.FixInstalled {
			fix += ", which is installed: the scan contradicts itself"
		}
		line("    %-8s %s\t%s (%s%s)", strings.ToUpper(string(v.Severity)), v.ID, v.PURL, status, fix)
	}
}

func printBuild(line printer, p *dhi.Platform) {
	prov, err := p.Provenance()
	if err != nil {
		line("Build\t%s", missing(err))
	} else {
		builder := prov.Builder.ID
		if builder == "" {
			builder = "(builder not named)"
		}
		line("Build\t%s, SLSA %s", builder, strings.TrimPrefix(prov.PredicateType, "https://slsa.dev/provenance/"))
		line("  build type\t%s", prov.BuildType)
		if prov.Source.URI != "" {
			line("  source\t%s", prov.Source.URI)
		}
		line("  inputs\t%d", len(prov.Inputs))
	}
	if base, err := p.BaseImage(); err == nil {
		line("  base image\t%s", base)
	}
	if vsa, err := p.VSA(); err == nil {
		line("  verification summary\t%s by %s, levels %s", vsa.Result, vsa.Verifier.ID, strings.Join(vsa.VerifiedLevels, ", "))
	} else if errors.Is(err, dhi.ErrIncoherent) {
		line("  verification summary\tnot used: %v", err)
	}
}

func printCompliance(line printer, p *dhi.Platform) {
	if f, err := p.FIPS(); err == nil {
		var mods []string
		for _, m := range f.Modules {
			s := fmt.Sprintf("%s %s (%s, %s", m.Name, m.Version, m.Standard, m.Status)
			if m.Certification != "" {
				s += ", " + m.Certification
			}
			mods = append(mods, s+")")
		}
		line("FIPS\t%s", strings.Join(mods, "; "))
	} else if !errors.Is(err, dhi.ErrNoAttestation) {
		line("FIPS\t%s", missing(err))
	}
	if s, err := p.STIG(); err == nil {
		for _, prof := range s.Profiles {
			if pct, ok := prof.Summary.ScorePercent(); ok {
				line("STIG\t%s: %.1f%%", prof.Name, pct)
			} else {
				line("STIG\t%s", prof.Name)
			}
		}
	} else if !errors.Is(err, dhi.ErrNoAttestation) {
		line("STIG\t%s", missing(err))
	}
}

func printChecks(line printer, p *dhi.Platform) {
	var parts []string
	if t, err := p.Tests(); err == nil {
		parts = append(parts, fmt.Sprintf("tests %d passed, %d failed", t.Summary.Passed, t.Summary.Failed))
	}
	if s, err := p.Secrets(); err == nil {
		parts = append(parts, fmt.Sprintf("secrets %d found", s.Count()))
	}
	if v, err := p.VirusScan(); err == nil {
		parts = append(parts, fmt.Sprintf("virus scan %d infected files", v.InfectedFiles))
	}
	if len(parts) > 0 {
		line("Checks\t%s", strings.Join(parts, "; "))
	}
}
