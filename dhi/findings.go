package dhi

import (
	"slices"
	"strings"

	"github.com/dhisdk/dhisdk/dhi/osv"
	"github.com/dhisdk/dhisdk/dhi/vuln"
	"github.com/dhisdk/dhisdk/internal/purl"
)

// mergeFindings merges the findings of several scans: findings of the same
// vulnerability ID and package URL become one, and a finding that names no
// package merges into the one finding of the same ID that does, when there
// is exactly one. A merged finding keeps the first report's values, takes
// the values it lacks from the others, and lists every report in Sources.
func mergeFindings(scans [][]vuln.Finding) []vuln.Finding {
	var out []vuln.Finding
	byKey := map[string]int{}
	byID := map[string][]int{}
	var unnamed []vuln.Finding
	for _, fs := range scans {
		for _, f := range fs {
			if f.PURL == "" {
				unnamed = append(unnamed, f)
				continue
			}
			k := f.ID + "\x00" + f.PURL
			if i, ok := byKey[k]; ok {
				mergeFinding(&out[i], f)
				continue
			}
			byKey[k] = len(out)
			byID[f.ID] = append(byID[f.ID], len(out))
			out = append(out, f)
		}
	}
	for _, f := range unnamed {
		if is := byID[f.ID]; len(is) == 1 {
			mergeFinding(&out[is[0]], f)
			continue
		}
		k := f.ID + "\x00"
		if i, ok := byKey[k]; ok {
			mergeFinding(&out[i], f)
			continue
		}
		byKey[k] = len(out)
		out = append(out, f)
	}
	return out
}

// mergeFinding merges src into dst.
func mergeFinding(dst *vuln.Finding, src vuln.Finding) {
	if len(dst.Sources) == 0 {
		dst.Sources = []string{dst.Source}
	}
	if !slices.Contains(dst.Sources, src.Source) {
		dst.Sources = append(dst.Sources, src.Source)
	}
	if len(dst.Sources) == 1 {
		dst.Sources = nil // the same report twice
	}
	for _, a := range src.Aliases {
		if !slices.Contains(dst.Aliases, a) {
			dst.Aliases = append(dst.Aliases, a)
		}
	}
	if !dst.Severity.Valid() && src.Severity.Valid() {
		dst.Severity, dst.SeveritySource = src.Severity, src.SeveritySource
	}
	fill := func(d *string, s string) {
		if *d == "" {
			*d = s
		}
	}
	fill(&dst.FixedIn, src.FixedIn)
	fill(&dst.Package, src.Package)
	fill(&dst.InstalledVersion, src.InstalledVersion)
	fill(&dst.FixState, src.FixState)
	if dst.Score == 0 {
		dst.Score = src.Score
	}
	if dst.Published.IsZero() {
		dst.Published = src.Published
	}
	if len(dst.CVSS) == 0 {
		dst.CVSS = src.CVSS
	}
}

// fixInstalled reports whether the finding's installed version (its
// InstalledVersion, else the version in its package URL) is at or above its
// one fixed version, in the order of the package's ecosystem. A finding
// with no fixed version, several ("1.5.13, 1.3.15"), no installed version,
// or versions its ecosystem order cannot read, is not flagged.
func fixInstalled(f vuln.Finding) bool {
	if f.FixedIn == "" || strings.ContainsAny(f.FixedIn, ", ") || f.PURL == "" {
		return false
	}
	installed := f.InstalledVersion
	if installed == "" {
		p, err := purl.Parse(f.PURL)
		if err != nil {
			return false
		}
		installed = purl.Version(p)
	}
	if installed == "" {
		return false
	}
	order, err := osv.OrderForPURL(f.PURL)
	if err != nil {
		return false
	}
	c, err := order.Compare(installed, f.FixedIn)
	return err == nil && c >= 0
}
