package dhi

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dhisdk/dhisdk/dhi/vuln"

	"github.com/dhisdk/dhisdk/internal/purl"
	"github.com/dhisdk/dhisdk/vex"
)

// Section is a part of a platform's metadata that [Compare] compares.
type Section string

// The sections of a [Diff].
const (
	// SectionPackages is the packages of the platform's SBOM attestations.
	SectionPackages Section = "packages"
	// SectionVulnerabilities is the findings of the platform's
	// vulnerability scan attestations.
	SectionVulnerabilities Section = "vulnerabilities"
	// SectionVEX is the platform's VEX statements: its VEX attestations and
	// the documents given with [WithAdvisories].
	SectionVEX Section = "vex"
	// SectionProvenance is the platform's SLSA build provenance.
	SectionProvenance Section = "provenance"
	// SectionLifecycle is what the DHI labels of the platform's image
	// config say about its lifecycle (see [Platform.Lifecycle]).
	SectionLifecycle Section = "lifecycle"
)

// Sections returns every [Section], in the order a [Diff] lists them.
func Sections() []Section {
	return []Section{SectionPackages, SectionVulnerabilities, SectionVEX, SectionProvenance, SectionLifecycle}
}

// Valid reports whether s is one of [Sections].
func (s Section) Valid() bool { return slices.Contains(Sections(), s) }

// Side is one of the two platforms a [Diff] compares.
type Side string

// The sides of a [Diff].
const (
	// SideBefore is the first platform given to [Compare].
	SideBefore Side = "before"
	// SideAfter is the second platform given to [Compare].
	SideAfter Side = "after"
)

// Sides returns every [Side].
func Sides() []Side { return []Side{SideBefore, SideAfter} }

// Valid reports whether s is one of [Sides].
func (s Side) Valid() bool { return s == SideBefore || s == SideAfter }

// Diff is what changed in the supply-chain metadata of an image platform
// from one version (before) to another (after): packages, vulnerabilities
// and their VEX status, build provenance and lifecycle. [Compare] makes it.
//
// Lists are never nil, so that a Diff encodes to JSON with every field
// present; the JSON field names are stable.
type Diff struct {
	// Before names the first platform compared.
	Before DiffPlatform `json:"before"`
	// After names the second platform compared.
	After DiffPlatform `json:"after"`
	// Missing lists the sections that one side has and the other lacks (no
	// attestation of that kind, or none verified), in the order of
	// [Sections]. Such a section is not compared. A section both sides lack
	// is not listed and compares empty.
	Missing []MissingSection `json:"missing"`
	// Packages is what changed in the packages.
	Packages PackagesDiff `json:"packages"`
	// Vulnerabilities is what changed in the vulnerabilities found and in
	// their VEX status.
	Vulnerabilities VulnerabilitiesDiff `json:"vulnerabilities"`
	// Provenance lists the build facts that changed, with these Field
	// names, in this order: "builder-id", "build-type", "source-uri",
	// "source-commit", "base-image".
	Provenance []FieldChange `json:"provenance"`
	// Lifecycle lists the lifecycle facts that changed, with these Field
	// names, in this order: "name", "version", "variant", "distro",
	// "end-of-life" (a date, YYYY-MM-DD).
	Lifecycle []FieldChange `json:"lifecycle"`
}

// DiffPlatform names one of the platforms a [Diff] compares.
type DiffPlatform struct {
	// Image is the reference the platform's image was opened by.
	Image string `json:"image"`
	// Platform is the platform, "os/arch[/variant]" or "unknown".
	Platform string `json:"platform"`
	// Digest is the platform manifest's digest.
	Digest string `json:"digest"`
}

// MissingSection is a section of a [Diff] that one side lacks.
type MissingSection struct {
	// Section is the section.
	Section Section `json:"section"`
	// From is the side that lacks it.
	From Side `json:"from"`
}

// PackagesDiff is what changed in the packages of a platform.
//
// A package is the same package on both sides when its package URL has the
// same type, namespace and name, and the same identifying qualifiers other
// than the distribution (arch, classifier, platform, type): a package that
// moves to a new distribution release changes version, it is not removed and
// added. A package without a package URL is known by its name. When a side
// holds a package at several versions, equal versions are paired first,
// then the others in the order of their versions as strings; what is left
// is added or removed.
type PackagesDiff struct {
	// Added are the packages only the after side has.
	Added []Package `json:"added"`
	// Removed are the packages only the before side has.
	Removed []Package `json:"removed"`
	// VersionChanged pairs a package of each side whose versions differ.
	// Versions are not ordered (that is ecosystem-specific): a downgrade is
	// listed too.
	VersionChanged []PackageChange `json:"versionChanged"`
	// LicenseChanged pairs a package of each side (at the same or another
	// version) whose licences differ; licences are compared as sets of the
	// identifiers of [Package].Licenses.
	LicenseChanged []PackageChange `json:"licenseChanged"`
}

// PackageChange pairs a package with its form on the other side.
type PackageChange struct {
	// Before is the package on the before side.
	Before Package `json:"before"`
	// After is the package on the after side.
	After Package `json:"after"`
}

// VulnerabilitiesDiff is what changed in the vulnerabilities of a platform.
//
// A vulnerability is the same on both sides when it is found in the same
// package (package URL type, namespace and name; the version may differ)
// under the same ID or, failing that, under IDs one of which is an alias of
// the other.
type VulnerabilitiesDiff struct {
	// Fixed are the vulnerabilities the before side's scans find and the
	// after side's do not, with their status before.
	Fixed []VulnerabilityState `json:"fixed"`
	// Introduced are the vulnerabilities only the after side's scans find,
	// with their status after.
	Introduced []VulnerabilityState `json:"introduced"`
	// StatusChanged pairs the vulnerabilities found on both sides whose VEX
	// status or justification differs.
	StatusChanged []VulnerabilityChange `json:"statusChanged"`
}

// VulnerabilityState is a vulnerability of one side of a [Diff], with the
// VEX status decided for it on that side.
type VulnerabilityState struct {
	// ID is the vulnerability's identifier, such as "CVE-2025-9230".
	ID string `json:"id"`
	// PURL is the package URL of the package it is found in; empty when the
	// scan names no package.
	PURL string `json:"purl,omitempty"`
	// Severity is the vulnerability's severity.
	Severity vuln.Severity `json:"severity"`
	// FixedIn is the version that fixes it, when known.
	FixedIn string `json:"fixedIn,omitempty"`
	// Status is the VEX status; empty when no statement applies.
	Status vex.Status `json:"status,omitempty"`
	// Justification is the justification of a not_affected status.
	Justification vex.Justification `json:"justification,omitempty"`
	// Exploitable reports whether it still needs attention (see
	// [Vulnerability.Exploitable]).
	Exploitable bool `json:"exploitable"`
	// VEXSource names the VEX document whose statement decided the status
	// (see [vex.WithDocumentName]); empty when none applies.
	VEXSource string `json:"vexSource,omitempty"`
}

// VulnerabilityChange pairs a vulnerability with its state on the other
// side.
type VulnerabilityChange struct {
	// Before is the vulnerability on the before side.
	Before VulnerabilityState `json:"before"`
	// After is the vulnerability on the after side.
	After VulnerabilityState `json:"after"`
}

// FieldChange is a fact that differs between the sides of a [Diff]. An
// empty value means the side does not state it.
type FieldChange struct {
	// Field names the fact, such as "builder-id" or "end-of-life".
	Field string `json:"field"`
	// Before is the value on the before side.
	Before string `json:"before"`
	// After is the value on the after side.
	After string `json:"after"`
}

// Empty reports whether the diff records no change and no missing section.
func (d *Diff) Empty() bool {
	return len(d.Missing) == 0 && len(d.Provenance) == 0 && len(d.Lifecycle) == 0 &&
		len(d.Packages.Added) == 0 && len(d.Packages.Removed) == 0 &&
		len(d.Packages.VersionChanged) == 0 && len(d.Packages.LicenseChanged) == 0 &&
		len(d.Vulnerabilities.Fixed) == 0 && len(d.Vulnerabilities.Introduced) == 0 &&
		len(d.Vulnerabilities.StatusChanged) == 0
}

// Compare reports what changed from the platform before to the platform
// after, typically the same platform of two versions of an image: packages
// added, removed, and changed in version or licence ([PackagesDiff]);
// vulnerabilities fixed and introduced, and changes of VEX status of those
// found on both sides ([VulnerabilitiesDiff]); build provenance (builder,
// build type, source, base image); and lifecycle (version, end of life).
//
// Each side is read as its own queries read it ([Platform.Packages],
// [Platform.Vulnerabilities], [Platform.Provenance], [Platform.BaseImage],
// [Platform.Lifecycle]), so only attestations that verified count unless
// the image was opened with [WithUnverifiedUnsafe], and VEX statuses
// include the documents given with [WithAdvisories]. A section that neither
// side has compares empty; one that only one side has is listed in
// [Diff].Missing and not compared. Compare returns an error only when a
// side's attestation cannot be read, such as an SBOM that does not parse.
//
// Every list is in a deterministic order: packages by identity (package
// URL without version, or name) then version; vulnerabilities by severity
// (highest first), ID and package URL.
func Compare(before, after *Platform) (*Diff, error) {
	if before == nil || after == nil {
		return nil, errors.New("dhi: Compare: nil platform")
	}
	d := &Diff{
		Before: diffPlatform(before), After: diffPlatform(after),
		Missing:         []MissingSection{},
		Packages:        PackagesDiff{Added: []Package{}, Removed: []Package{}, VersionChanged: []PackageChange{}, LicenseChanged: []PackageChange{}},
		Vulnerabilities: VulnerabilitiesDiff{Fixed: []VulnerabilityState{}, Introduced: []VulnerabilityState{}, StatusChanged: []VulnerabilityChange{}},
		Provenance:      []FieldChange{},
		Lifecycle:       []FieldChange{},
	}
	for _, step := range []func(before, after *Platform) error{d.comparePackages, d.compareVulnerabilities, d.compareProvenance} {
		if err := step(before, after); err != nil {
			return nil, err
		}
	}
	d.compareLifecycle(before, after)
	slices.SortStableFunc(d.Missing, func(x, y MissingSection) int {
		return cmp.Compare(slices.Index(Sections(), x.Section), slices.Index(Sections(), y.Section))
	})
	return d, nil
}

func diffPlatform(p *Platform) DiffPlatform {
	dp := DiffPlatform{Platform: p.String(), Digest: p.Descriptor.Digest.String()}
	if p.img != nil {
		dp.Image = p.img.Reference
	}
	return dp
}

// both reports whether both sides have section s, given the errors of
// reading it on each side: it records a section one side lacks in
// d.Missing, and returns an error that is not ErrNoAttestation.
func (d *Diff) both(s Section, errBefore, errAfter error) (bool, error) {
	for i, err := range []error{errBefore, errAfter} {
		if err != nil && !errors.Is(err, ErrNoAttestation) {
			return false, fmt.Errorf("dhi: comparing %s (%s): %w", s, Sides()[i], err)
		}
	}
	switch {
	case errBefore == nil && errAfter == nil:
		return true, nil
	case errBefore != nil && errAfter == nil:
		d.Missing = append(d.Missing, MissingSection{Section: s, From: SideBefore})
	case errBefore == nil && errAfter != nil:
		d.Missing = append(d.Missing, MissingSection{Section: s, From: SideAfter})
	}
	return false, nil
}

// diffPackageKey is the identity of a package across versions: its
// package URL without version and without the distro qualifier, or its
// name.
func diffPackageKey(pk Package) string {
	for _, sp := range pk.In {
		if len(sp.PURLs) == 0 {
			continue
		}
		u := sp.PURLs[0]
		k := purl.Key(u, purl.NameOnly)
		for _, q := range purl.KeyQualifiers(u) {
			if q.Key != "distro" {
				k += "\x00" + q.Key + "=" + q.Value
			}
		}
		return k
	}
	return "name:" + strings.ToLower(pk.Name)
}

func (d *Diff) comparePackages(before, after *Platform) error {
	pb, errB := before.Packages()
	pa, errA := after.Packages()
	if ok, err := d.both(SectionPackages, errB, errA); !ok {
		return err
	}
	groups := func(pkgs []Package) map[string][]Package {
		m := map[string][]Package{}
		for _, pk := range pkgs {
			k := diffPackageKey(pk)
			m[k] = append(m[k], pk)
		}
		return m
	}
	gb, ga := groups(pb), groups(pa)
	byVersion := func(a, b Package) int { return strings.Compare(a.Version, b.Version) }
	for _, k := range unionKeys(gb, ga) {
		b, a := slices.Clone(gb[k]), slices.Clone(ga[k])
		slices.SortStableFunc(b, byVersion)
		slices.SortStableFunc(a, byVersion)
		var pairs []PackageChange
		// Equal versions first.
		for i := 0; i < len(b); i++ {
			if j := slices.IndexFunc(a, func(p Package) bool { return p.Version == b[i].Version }); j >= 0 {
				pairs = append(pairs, PackageChange{Before: b[i], After: a[j]})
				b = slices.Delete(b, i, i+1)
				a = slices.Delete(a, j, j+1)
				i--
			}
		}
		n := min(len(b), len(a))
		for i := range n {
			c := PackageChange{Before: b[i], After: a[i]}
			pairs = append(pairs, c)
			d.Packages.VersionChanged = append(d.Packages.VersionChanged, c)
		}
		d.Packages.Removed = append(d.Packages.Removed, b[n:]...)
		d.Packages.Added = append(d.Packages.Added, a[n:]...)
		slices.SortStableFunc(pairs, func(x, y PackageChange) int { return byVersion(x.Before, y.Before) })
		for _, c := range pairs {
			if !sameLicenses(c.Before.Licenses, c.After.Licenses) {
				d.Packages.LicenseChanged = append(d.Packages.LicenseChanged, c)
			}
		}
	}
	return nil
}

// unionKeys returns the keys of both maps, sorted.
func unionKeys[T any](a, b map[string]T) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

func sameLicenses(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// vulnPackageKey is the identity of the package a vulnerability is found
// in: its package URL without version and qualifiers (scanners differ in
// the qualifiers they write).
func vulnPackageKey(u string) string {
	if u == "" {
		return ""
	}
	if p, err := purl.Parse(u); err == nil {
		return purl.Key(p, purl.NameOnly)
	}
	return strings.ToLower(u)
}

func vulnState(v Vulnerability) VulnerabilityState {
	s := VulnerabilityState{
		ID: v.ID, PURL: v.PURL, Severity: v.Severity, FixedIn: v.FixedIn,
		Status: v.Status, Justification: v.Justification, Exploitable: v.Exploitable(),
	}
	if v.Statement != nil && v.Statement.Document != nil {
		s.VEXSource = v.Statement.Document.Name
	}
	return s
}

// sameVulnerability reports whether a and b name the same vulnerability by
// ID or alias.
func sameVulnerability(a, b Vulnerability, aliases bool) bool {
	if strings.EqualFold(a.ID, b.ID) {
		return true
	}
	if !aliases {
		return false
	}
	for _, x := range append([]string{a.ID}, a.Aliases...) {
		for _, y := range append([]string{b.ID}, b.Aliases...) {
			if strings.EqualFold(x, y) {
				return true
			}
		}
	}
	return false
}

func (d *Diff) compareVulnerabilities(before, after *Platform) error {
	_, errB := before.VEX()
	_, errA := after.VEX()
	if _, err := d.both(SectionVEX, errB, errA); err != nil {
		return err
	}
	vb, errB := before.Vulnerabilities()
	va, errA := after.Vulnerabilities()
	if ok, err := d.both(SectionVulnerabilities, errB, errA); !ok {
		return err
	}
	groups := func(vs []Vulnerability) map[string][]Vulnerability {
		m := map[string][]Vulnerability{}
		for _, v := range vs {
			k := vulnPackageKey(v.PURL)
			m[k] = append(m[k], v)
		}
		return m
	}
	gb, ga := groups(vb), groups(va)
	vd := &d.Vulnerabilities
	for _, k := range unionKeys(gb, ga) {
		b, a := gb[k], ga[k]
		matched := make([]int, len(b))
		taken := make([]bool, len(a))
		// By ID first, then by alias among what is left.
		for _, aliases := range []bool{false, true} {
			for i := range b {
				if matched[i] != 0 {
					continue
				}
				for j := range a {
					if !taken[j] && sameVulnerability(b[i], a[j], aliases) {
						matched[i], taken[j] = j+1, true
						break
					}
				}
			}
		}
		for i, v := range b {
			if matched[i] == 0 {
				vd.Fixed = append(vd.Fixed, vulnState(v))
				continue
			}
			w := a[matched[i]-1]
			if v.Status != w.Status || v.Justification != w.Justification {
				vd.StatusChanged = append(vd.StatusChanged, VulnerabilityChange{Before: vulnState(v), After: vulnState(w)})
			}
		}
		for j, w := range a {
			if !taken[j] {
				vd.Introduced = append(vd.Introduced, vulnState(w))
			}
		}
	}
	bySeverity := func(x, y VulnerabilityState) int {
		return cmp.Or(cmp.Compare(y.Severity.Rank(), x.Severity.Rank()), strings.Compare(x.ID, y.ID), strings.Compare(x.PURL, y.PURL))
	}
	slices.SortStableFunc(vd.Fixed, bySeverity)
	slices.SortStableFunc(vd.Introduced, bySeverity)
	slices.SortStableFunc(vd.StatusChanged, func(x, y VulnerabilityChange) int { return bySeverity(x.After, y.After) })
	return nil
}

func (d *Diff) compareProvenance(before, after *Platform) error {
	pb, errB := before.Provenance()
	pa, errA := after.Provenance()
	both, err := d.both(SectionProvenance, errB, errA)
	if err != nil {
		return err
	}
	if both {
		d.Provenance = appendChanges(d.Provenance,
			FieldChange{"builder-id", pb.Builder.ID, pa.Builder.ID},
			FieldChange{"build-type", pb.BuildType, pa.BuildType},
			FieldChange{"source-uri", pb.Source.URI, pa.Source.URI},
			FieldChange{"source-commit", pb.Source.Commit, pa.Source.Commit},
		)
	}
	bb, errB := before.BaseImage()
	ba, errA := after.BaseImage()
	for i, err := range []error{errB, errA} {
		if err != nil && !errors.Is(err, ErrNoAttestation) {
			return fmt.Errorf("dhi: comparing base images (%s): %w", Sides()[i], err)
		}
	}
	// A base image is compared when both sides name one, or both have
	// provenance (where naming none is a fact).
	if both || (errB == nil && errA == nil) {
		d.Provenance = appendChanges(d.Provenance, FieldChange{"base-image", bb, ba})
	}
	return nil
}

func (d *Diff) compareLifecycle(before, after *Platform) {
	hasB, hasA := before.IsDHIImage(), after.IsDHIImage()
	switch {
	case hasB && !hasA:
		d.Missing = append(d.Missing, MissingSection{Section: SectionLifecycle, From: SideAfter})
	case !hasB && hasA:
		d.Missing = append(d.Missing, MissingSection{Section: SectionLifecycle, From: SideBefore})
	}
	if !hasB || !hasA {
		return
	}
	lb, la := before.Lifecycle(), after.Lifecycle()
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	d.Lifecycle = appendChanges(d.Lifecycle,
		FieldChange{"name", lb.Name, la.Name},
		FieldChange{"version", lb.Version, la.Version},
		FieldChange{"variant", lb.Variant, la.Variant},
		FieldChange{"distro", lb.Distro, la.Distro},
		FieldChange{"end-of-life", date(lb.EndOfLife), date(la.EndOfLife)},
	)
}

// appendChanges appends the changes whose values differ.
func appendChanges(to []FieldChange, changes ...FieldChange) []FieldChange {
	for _, c := range changes {
		if c.Before != c.After {
			to = append(to, c)
		}
	}
	return to
}
