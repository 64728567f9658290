package dhi

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi/vuln"
	"github.com/dhisdk/dhisdk/internal/purl"
	"github.com/dhisdk/dhisdk/vex"
)

// Origin says whether a package of a derived image came from its base.
type Origin string

// Origins of packages.
const (
	// OriginBase marks a package the base's verified SBOM lists with the
	// same package URL and version.
	OriginBase Origin = "base"
	// OriginAdded marks a package the derived build added or changed.
	OriginAdded Origin = "added"
)

// Origins returns every [Origin].
func Origins() []Origin { return []Origin{OriginBase, OriginAdded} }

// Valid reports whether o is one of the constants of this package.
func (o Origin) Valid() bool { return slices.Contains(Origins(), o) }

// PackageOrigin is a package of a derived platform with its origin.
type PackageOrigin struct {
	Package
	// Origin says whether the package came from the base.
	Origin Origin `json:"origin"`
	// Base is the base platform manifest's digest, for a package from the
	// base; zero otherwise.
	Base v1.Hash `json:"base,omitzero"`
}

// InheritedVulnerability is a finding of a derived platform, with the VEX
// status the base's verified VEX decided for it when its package came from
// the base.
type InheritedVulnerability struct {
	Vulnerability
	// Origin says whether the vulnerable package came from the base.
	Origin Origin `json:"origin"`
	// InheritedFrom is the digest of the base platform manifest whose VEX
	// statement decided the status (Vulnerability.Statement); zero when no
	// base statement applies.
	InheritedFrom v1.Hash `json:"inheritedFrom,omitzero"`
}

// BaseLifecycle is where a derived platform's base stands in its life.
type BaseLifecycle struct {
	// Lifecycle is what the base's labels say.
	Lifecycle
	// PastEndOfLife is true when the base's end of life is known and past.
	PastEndOfLife bool `json:"pastEndOfLife"`
	// Age is how long ago the base was created (its com.docker.dhi.created
	// label, else its release date); zero when unknown.
	Age time.Duration `json:"-"`
	// AgeDays is Age in whole days, for the JSON report.
	AgeDays int `json:"ageDays,omitempty"`
	// Update says whether the tag the build named the base by now names
	// another image: an update of the base is available and the derived
	// image should be rebuilt. Nil when the claim names no tag or the tag
	// could not be read (see UpdateError).
	Update *Update `json:"update,omitempty"`
	// UpdateError says why the tag could not be checked; empty otherwise.
	UpdateError string `json:"updateError,omitempty"`
}

// UpdateAvailableFor reports whether an update of the base is available
// and the base is older than maxAge: the derived image should have been
// rebuilt on the newer base.
func (b BaseLifecycle) UpdateAvailableFor(maxAge time.Duration) bool {
	return b.Update != nil && b.Update.Available && b.Age > maxAge
}

// BaseJoin is a derived platform joined with the signed base its lineage
// proved.
type BaseJoin struct {
	// Lineage is the platform's lineage.
	Lineage *Lineage
	// Base is the signed base (the DHI image).
	Base *BaseLink
	// Packages are the derived platform's packages (from its SBOM), each
	// with its origin; nil when the platform has no usable SBOM.
	Packages []PackageOrigin
	// Vulnerabilities are the derived platform's findings, each decided by
	// the base's VEX when its package came from the base.
	Vulnerabilities []InheritedVulnerability
	// Lifecycle is the base's lifecycle.
	Lifecycle BaseLifecycle
}

// BaseJoin joins the platform with the signed base its lineage proved
// ([Platform.Lineage]):
//
//   - packages come from the platform's SBOM; a package is from the base
//     when the base's verified SBOM lists the same package URL and
//     version, else added;
//   - vulnerabilities are findings, or the platform's scan findings
//     ([Platform.Findings]) when findings is nil; the base's verified VEX
//     (and the documents of [WithAdvisories]) decide only the findings
//     whose package (package URL and version) came from the base, as
//     statements about the base image product, with the base SBOM's
//     binary-to-source mapping. Packages the derived build added or
//     changed get no status from the base. Each decision keeps its
//     statement and the base digest it was inherited from;
//   - the base's lifecycle: its end of life, its age, and whether the tag
//     the build named it by has moved to a newer image.
//
// The join with the platform's own findings (findings nil) is computed
// once and kept.
//
// BaseJoin fails with the lineage's error (matching [ErrLineage]) when no
// signed base was proven: nothing is inherited from a base that failed a
// check. The platform's own queries do not depend on it.
func (p *Platform) BaseJoin(ctx context.Context, findings []vuln.Finding) (*BaseJoin, error) {
	if findings == nil {
		p.lineage.mu.Lock()
		j := p.lineage.join
		p.lineage.mu.Unlock()
		if j != nil {
			return j, nil
		}
	}
	l, err := p.Lineage(ctx)
	if err != nil {
		return nil, err
	}
	link := l.Base()
	j := &BaseJoin{Lineage: l, Base: link}
	basePkgs, err := link.Platform.Packages()
	if err != nil && !errors.Is(err, ErrNoAttestation) {
		return nil, fmt.Errorf("dhi: base %s of %s: %w", link.Claim.Reference, p, err)
	}
	fromBase := map[string]bool{}
	for _, pk := range basePkgs {
		if k := versionKey(pk.PURL); k != "" {
			fromBase[k] = true
		}
	}
	pkgs, err := p.Packages()
	if err != nil && !errors.Is(err, ErrNoAttestation) {
		return nil, err
	}
	inDerived := map[string]bool{}
	for _, pk := range pkgs {
		po := PackageOrigin{Package: pk, Origin: OriginAdded}
		if k := versionKey(pk.PURL); k != "" {
			inDerived[k] = true
			if fromBase[k] {
				po.Origin, po.Base = OriginBase, link.Digest
			}
		}
		j.Packages = append(j.Packages, po)
	}
	own := findings == nil
	if own {
		if findings, err = p.Findings(); err != nil && !errors.Is(err, ErrNoAttestation) {
			return nil, err
		}
	}
	if j.Vulnerabilities, err = inherit(link, findings, fromBase, inDerived, pkgs != nil); err != nil {
		return nil, err
	}
	j.Lifecycle = baseLifecycle(ctx, p.img, link)
	if own {
		p.lineage.mu.Lock()
		p.lineage.join = j
		p.lineage.mu.Unlock()
	}
	return j, nil
}

// versionKey returns the package URL's key with its version, or "".
func versionKey(u string) string {
	if u == "" {
		return ""
	}
	pu, err := purl.Parse(u)
	if err != nil {
		return ""
	}
	return purl.Key(pu, purl.WithVersion)
}

// inherit decides findings with the base's VEX where their package came
// from the base (and, when the derived platform has an SBOM, is in it at
// the same version).
func inherit(link *BaseLink, findings []vuln.Finding, fromBase, inDerived map[string]bool, haveSBOM bool) ([]InheritedVulnerability, error) {
	bp := link.Platform
	idx, err := bp.VEX()
	if err != nil && !errors.Is(err, ErrNoAttestation) {
		return nil, fmt.Errorf("dhi: base %s: %w", link.Claim.Reference, err)
	}
	image, aliases := bp.vexImage(), bp.vexImageAliases()
	mopts := []vex.MatchOption{vex.WithRepositoryAliases(RepositoryAliases)}
	if m := bp.sourceMapping(); m != nil {
		mopts = append(mopts, vex.WithSourceMapping(m))
	}
	out := make([]InheritedVulnerability, len(findings))
	for i, f := range findings {
		out[i] = InheritedVulnerability{Vulnerability: Vulnerability{Finding: f}, Origin: OriginAdded}
		k := versionKey(f.PURL)
		if k == "" || !fromBase[k] || haveSBOM && !inDerived[k] {
			continue
		}
		out[i].Origin = OriginBase
		if idx == nil {
			continue
		}
		for _, id := range append([]string{f.ID}, f.Aliases...) {
			d, err := idx.Decide(vex.Query{Vulnerability: id, Package: f.PURL, Image: image, ImageAliases: aliases}, mopts...)
			if err != nil {
				return nil, err
			}
			if d.Match != nil {
				v := &out[i].Vulnerability
				v.Status, v.Justification, v.Statement, v.Conflict = d.Status, d.Justification, d.Match, d.Conflict
				out[i].InheritedFrom = link.Digest
				break
			}
		}
	}
	slices.SortStableFunc(out, func(a, b InheritedVulnerability) int {
		return cmp.Or(cmp.Compare(b.Severity.Rank(), a.Severity.Rank()), strings.Compare(a.ID, b.ID), strings.Compare(a.PURL, b.PURL))
	})
	return out, nil
}

// baseLifecycle reads the base's lifecycle and checks its tag for an
// update.
func baseLifecycle(ctx context.Context, img *Image, link *BaseLink) BaseLifecycle {
	now := img.opts.now()
	lc := BaseLifecycle{Lifecycle: link.Platform.Lifecycle()}
	lc.PastEndOfLife = lc.Lifecycle.PastEndOfLife(now)
	created := lc.Created
	if created.IsZero() {
		created = lc.Released
	}
	if !created.IsZero() && now.After(created) {
		lc.Age = now.Sub(created)
		lc.AgeDays = int(lc.Age.Hours() / 24)
	}
	ref, err := name.ParseReference(link.Claim.Reference)
	if err != nil {
		return lc
	}
	var tag string
	switch r := ref.(type) {
	case name.Tag:
		tag = r.String()
	case name.Digest:
		// "repo:tag@sha256:...": the tag the build asked for.
		if repoTag, _, ok := strings.Cut(link.Claim.Reference, "@"); ok {
			if t, err := name.NewTag(repoTag); err == nil && strings.Contains(repoTag[strings.LastIndexByte(repoTag, '/')+1:], ":") {
				tag = t.String()
			}
		}
	}
	if tag == "" {
		return lc
	}
	desc, raw, err := attest.ReadManifest(ctx, img.src, tag)
	if err != nil {
		lc.UpdateError = err.Error()
		return lc
	}
	lc.Update = &Update{Tag: tag, Current: link.Index, Latest: desc.Digest, Available: desc.Digest != link.Index && !lists(raw, link.Digest)}
	return lc
}

// lists reports whether raw is an index that lists the manifest d: a claim
// that named the platform manifest of an index the tag still names.
func lists(raw []byte, d v1.Hash) bool {
	var idx v1.IndexManifest
	if json.Unmarshal(raw, &idx) != nil {
		return false
	}
	for _, m := range idx.Manifests {
		if m.Digest == d {
			return true
		}
	}
	return false
}
