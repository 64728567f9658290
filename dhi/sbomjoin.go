package dhi

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/dhisdk/dhisdk/internal/purl"
	"github.com/dhisdk/dhisdk/sbom"
)

// SBOMs returns the platform's SBOMs (SPDX and CycloneDX attestations),
// parsed in parallel on first use, in attestation order.
//
// Platforms whose attestations carry the same SBOM, byte for byte (an
// attestation about the index, which concerns every platform, or platforms
// whose SBOMs list the same packages), share one parse of it, as they share
// VEX documents, and so do the images of one [Fleet]: they return the same
// [sbom.Document], which callers must treat as read-only.
func (p *Platform) SBOMs() ([]*sbom.Document, error) {
	v, err := p.memo("sboms", func() (any, error) {
		used := p.Used(KindSBOM)
		if len(used) == 0 {
			return nil, p.noAttestation(KindSBOM)
		}
		docs := make([]*sbom.Document, len(used))
		errs := make([]error, len(used))
		var wg sync.WaitGroup
		for i, a := range used {
			wg.Go(func() {
				doc := a.statement.Document()
				v, err := p.img.sharedParse(KindSBOM, doc, func() (any, error) { return sbom.Parse(doc) })
				if d, ok := v.(*sbom.Document); ok && err == nil {
					docs[i] = d
				}
				if errs[i] = err; err != nil {
					errs[i] = fmt.Errorf("dhi: SBOM attestation %s of %s: %w", a.Discovered.Manifest.Digest, p, errs[i])
				}
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return nil, err
			}
		}
		return docs, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]*sbom.Document), nil
}

// Package is a package of the image: the same package in each of the
// image's SBOMs that lists it, joined by package URL.
type Package struct {
	// PURL is the package URL, as the first SBOM listing the package gives
	// it; empty for a package without one (joined by name and version).
	PURL string `json:"purl,omitempty"`
	// Name, Version and Ecosystem are as the first SBOM listing the package
	// gives them.
	Name      string `json:"name"`
	Version   string `json:"version,omitempty"`
	Ecosystem string `json:"ecosystem,omitempty"`
	// Licenses are the licence identifiers of the package in every SBOM,
	// without duplicates (a LicenseRef- licence that several SBOMs name
	// differently is listed once, as the first SBOM names it).
	Licenses []string `json:"licenses,omitempty"`
	// LicenseExpressions are the package's SPDX licence expressions as the
	// SBOMs give them (declared, then concluded; an expression another SBOM
	// gave with its operands in another order is left out), with
	// their OR and AND, which Licenses flattens.
	LicenseExpressions []string `json:"licenseExpressions,omitempty"`
	// SourcePURL is the source package's package URL when an SBOM gives it.
	SourcePURL string `json:"sourcePurl,omitempty"`
	// Formats lists the SBOM formats that list the package, such as
	// ["spdx", "cyclonedx"], in attestation order.
	Formats []sbom.Format `json:"formats"`
	// In holds the package as each SBOM listing it describes it, in the
	// order of Formats.
	In []*sbom.Package `json:"-"`

	// licenseIDs holds, per SBOM in In, the package's licences as
	// [sbom.Package.Licenses] gives them, and licenseNames the same with
	// document-local LicenseRef identifiers replaced by their names.
	licenseIDs, licenseNames [][]string
}

// licenseNames returns the licences ids of a package of d as comparable
// across documents: LicenseRef- identifiers are local to a document (syft
// names the same licence LicenseRef-<hash> in SPDX and
// LicenseRef-sha256-<hash> in CycloneDX), so they are replaced by the name
// the document gives them.
func licenseNames(d *sbom.Document, ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id
		if strings.HasPrefix(id, "LicenseRef-") {
			if n := d.LicenseName(id); n != "" {
				out[i] = "LicenseRef:" + n
			}
		}
	}
	return out
}

// Disagreement is a difference between the image's SBOMs about a package.
type Disagreement struct {
	// PURL (or "name@version" for a package without one) names the package.
	PURL string `json:"purl"`
	// Field is what differs: "presence", "version" or "licenses".
	Field string `json:"field"`
	// Values maps each SBOM format to its value ("listed"/"absent" for
	// presence; licences joined with ", "). Licences are compared as sets,
	// and LicenseRef- identifiers by the names their documents give them.
	Values map[sbom.Format]string `json:"values"`
}

type packageJoin struct {
	packages      []Package
	byKey         map[string]int
	disagreements []Disagreement
}

// packageKey is the join key of an SBOM package: its package URL without
// the qualifiers producers disagree on, else its name and version.
func packageKey(sp *sbom.Package) string {
	if len(sp.PURLs) > 0 {
		return purl.Key(sp.PURLs[0], purl.WithQualifiers)
	}
	return "name:" + strings.ToLower(sp.Name) + "@" + sp.Version
}

func (p *Platform) join() (*packageJoin, error) {
	v, err := p.memo("packages", func() (any, error) {
		docs, err := p.SBOMs()
		if err != nil {
			return nil, err
		}
		j := &packageJoin{byKey: map[string]int{}}
		// Licenses parses the package's two licence expressions: parse
		// each pair once, as many packages share them.
		licenses := map[[2]string][]string{}
		for _, d := range docs {
			seen := map[string]bool{}
			for _, sp := range d.Packages() {
				if d.Subject() == sp {
					continue // the image itself, not a package in it
				}
				k := packageKey(sp)
				if seen[k] {
					continue // listed twice in one SBOM: the first counts
				}
				seen[k] = true
				i, ok := j.byKey[k]
				if !ok {
					i = len(j.packages)
					j.byKey[k] = i
					j.packages = append(j.packages, Package{PURL: sp.PURL(), Name: sp.Name, Version: sp.Version, Ecosystem: sp.Ecosystem})
				}
				pk := &j.packages[i]
				pk.Formats = append(pk.Formats, d.Format())
				pk.In = append(pk.In, sp)
				ids, ok := licenses[[2]string{sp.DeclaredLicense, sp.ConcludedLicense}]
				if !ok {
					ids = sp.Licenses()
					licenses[[2]string{sp.DeclaredLicense, sp.ConcludedLicense}] = ids
				}
				names := licenseNames(d, ids)
				// A licence already listed under its name (by an earlier
				// SBOM, or earlier in this one) is not listed again.
				for k, l := range ids {
					if !slices.ContainsFunc(pk.licenseNames, func(prev []string) bool { return slices.Contains(prev, names[k]) }) &&
						!slices.Contains(names[:k], names[k]) {
						pk.Licenses = append(pk.Licenses, l)
					}
				}
				pk.licenseIDs = append(pk.licenseIDs, ids)
				pk.licenseNames = append(pk.licenseNames, names)
				for _, e := range sp.LicenseExpressions() {
					if !slices.ContainsFunc(pk.LicenseExpressions, func(prev string) bool { return sbom.SameLicense(prev, e) }) {
						pk.LicenseExpressions = append(pk.LicenseExpressions, e)
					}
				}
				if pk.SourcePURL == "" && sp.Source != nil && sp.Source.PURL.Type != "" {
					pk.SourcePURL = sp.Source.PURL.ToString()
				}
			}
		}
		formats := make([]sbom.Format, len(docs))
		for i, d := range docs {
			formats[i] = d.Format()
		}
		for _, pk := range j.packages {
			j.disagreements = append(j.disagreements, disagreements(pk, formats)...)
		}
		return j, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*packageJoin), nil
}

func disagreements(pk Package, formats []sbom.Format) []Disagreement {
	id := pk.PURL
	if id == "" {
		id = pk.Name + "@" + pk.Version
	}
	var out []Disagreement
	if len(pk.Formats) < len(formats) {
		d := Disagreement{PURL: id, Field: "presence", Values: map[sbom.Format]string{}}
		for _, f := range formats {
			d.Values[f] = "absent"
		}
		for _, f := range pk.Formats {
			d.Values[f] = "listed"
		}
		out = append(out, d)
	}
	versions := Disagreement{PURL: id, Field: "version", Values: map[sbom.Format]string{}}
	licenses := Disagreement{PURL: id, Field: "licenses", Values: map[sbom.Format]string{}}
	distinctV, distinctL := map[string]bool{}, map[string]bool{}
	for i, sp := range pk.In {
		versions.Values[pk.Formats[i]] = sp.Version
		distinctV[sp.Version] = true
		names := slices.Clone(pk.licenseNames[i])
		slices.Sort(names)
		distinctL[strings.Join(slices.Compact(names), ", ")] = true
		licenses.Values[pk.Formats[i]] = strings.Join(pk.licenseIDs[i], ", ")
	}
	if len(distinctV) > 1 {
		out = append(out, versions)
	}
	if len(distinctL) > 1 {
		out = append(out, licenses)
	}
	return out
}

// Packages returns the packages of the platform: the union of its SBOMs,
// joined by package URL (type, namespace, name, version and the
// identifying qualifiers, see [sbom.PrecisionQualifiers]), in the order the
// SBOMs list them. Each says which SBOMs list it.
func (p *Platform) Packages() ([]Package, error) {
	j, err := p.join()
	if err != nil {
		return nil, err
	}
	return j.packages, nil
}

// SBOMDisagreements returns what the platform's SBOMs disagree on: packages
// only some of them list, and versions or licences that differ.
func (p *Platform) SBOMDisagreements() ([]Disagreement, error) {
	j, err := p.join()
	if err != nil {
		return nil, err
	}
	return j.disagreements, nil
}

// PackageQuery selects packages; empty fields select everything.
type PackageQuery struct {
	// PURL selects packages by package URL. Without a version it selects
	// every version; with one, that version. The identifying qualifiers the
	// query gives (arch, distro in any of its forms, ...) must be among the
	// package's; others it does not give are not compared.
	PURL string
	// Name selects packages by name, without regard to case.
	Name string
	// Ecosystem selects packages by package URL type, such as "deb".
	Ecosystem string
	// License selects packages whose licence expressions involve this
	// licence or family anywhere ([sbom.MatchLicense]): "GPL-3.0-only",
	// "GPL-3.0-or-later", "GPL-3.0" (both), "GPL" (every version), "MIT".
	License string
	// Version, when set, selects packages whose version it accepts; use it
	// for version ranges, which are ecosystem-specific.
	Version func(version string) bool
}

// matchLicense reports whether the package's licence expressions, or
// failing those its licences, involve the licence or family q.
func (pk *Package) matchLicense(q string) bool {
	for _, e := range pk.LicenseExpressions {
		if sbom.MatchLicense(e, q) {
			return true
		}
	}
	for _, l := range pk.Licenses {
		if sbom.MatchLicense(l, q) {
			return true
		}
	}
	return false
}

// FindPackages returns the platform's packages that q selects. A query by
// PURL is answered from an index; the other fields filter.
func (p *Platform) FindPackages(q PackageQuery) ([]Package, error) {
	j, err := p.join()
	if err != nil {
		return nil, err
	}
	candidates := j.packages
	if q.PURL != "" {
		want, err := purl.Parse(q.PURL)
		if err != nil {
			return nil, fmt.Errorf("dhi: FindPackages: %w", err)
		}
		candidates = nil
		docs, err := p.SBOMs()
		if err != nil {
			return nil, err
		}
		prec := sbom.PrecisionName
		if want.Version != "" {
			prec = sbom.PrecisionVersion
		}
		wantQ := purl.KeyQualifiers(want).Map()
		seen := map[int]bool{}
		for _, d := range docs {
			found, err := d.ByPURL(q.PURL, prec)
			if err != nil {
				return nil, fmt.Errorf("dhi: FindPackages: %w", err)
			}
			for _, sp := range found {
				if !hasQualifiers(sp, wantQ) {
					continue
				}
				if i, ok := j.byKey[packageKey(sp)]; ok && !seen[i] {
					seen[i] = true
					candidates = append(candidates, j.packages[i])
				}
			}
		}
		slices.SortFunc(candidates, func(a, b Package) int { return cmp.Compare(j.byKey[keyOf(a)], j.byKey[keyOf(b)]) })
	}
	var out []Package
	for _, pk := range candidates {
		switch {
		case q.Name != "" && !strings.EqualFold(pk.Name, q.Name),
			q.Ecosystem != "" && pk.Ecosystem != q.Ecosystem,
			q.License != "" && !pk.matchLicense(q.License),
			q.Version != nil && !q.Version(pk.Version):
			continue
		}
		out = append(out, pk)
	}
	return out, nil
}

func keyOf(pk Package) string { return packageKey(pk.In[0]) }

// hasQualifiers reports whether one of sp's package URLs has every
// identifying qualifier in want (distributions compared in their
// normalized form).
func hasQualifiers(sp *sbom.Package, want map[string]string) bool {
	if len(want) == 0 {
		return true
	}
	for _, u := range sp.PURLs {
		have := purl.KeyQualifiers(u).Map()
		ok := true
		for k, v := range want {
			if have[k] != v {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// HasPackage reports whether the platform contains a package that q
// selects.
func (p *Platform) HasPackage(q PackageQuery) (bool, error) {
	found, err := p.FindPackages(q)
	return len(found) > 0, err
}

// LicenseCount is how many packages carry a licence.
type LicenseCount struct {
	License  string `json:"license"`
	Packages int    `json:"packages"`
}

// Licenses returns the licences of the platform's packages with how many
// packages carry each, most frequent first.
func (p *Platform) Licenses() ([]LicenseCount, error) {
	pkgs, err := p.Packages()
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	for _, pk := range pkgs {
		for _, l := range pk.Licenses {
			counts[l]++
		}
	}
	out := make([]LicenseCount, 0, len(counts))
	for l, n := range counts {
		out = append(out, LicenseCount{License: l, Packages: n})
	}
	slices.SortFunc(out, func(a, b LicenseCount) int {
		return cmp.Or(cmp.Compare(b.Packages, a.Packages), strings.Compare(a.License, b.License))
	})
	return out, nil
}

// sourceMapping returns the binary-to-source package mapping of the
// platform's SBOMs, or nil when it has none that parse.
func (p *Platform) sourceMapping() func(string) []string {
	docs, err := p.SBOMs()
	if err != nil || len(docs) == 0 {
		return nil
	}
	return func(u string) []string {
		var out []string
		for _, d := range docs {
			for _, s := range d.SourcePURLs(u) {
				if !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
		}
		return out
	}
}
