package dhi

// LineageReport is the lineage section of a [PlatformReport]: what the
// platform was built from, proven or not, and what it inherits.
type LineageReport struct {
	// Claims are the claims about the platform's base, in the order tried.
	Claims []BaseClaim `json:"claims,omitempty"`
	// Chain are the proven bases, nearest first.
	Chain []*BaseLink `json:"chain,omitempty"`
	// ChainIDLabel is the platform's com.docker.dhi.chain-id label.
	ChainIDLabel string `json:"chainIDLabel,omitempty"`
	// Proven is true when the lineage ends at a signed base.
	Proven bool `json:"proven"`
	// Failures are the claims that did not hold and the links that broke.
	Failures []string `json:"failures,omitempty"`
	// Inherited is the join with the signed base, when [Platform.BaseJoin]
	// was called without findings of the caller's.
	Inherited *InheritedReport `json:"inherited,omitempty"`
}

// InheritedReport summarises a platform's join with its base.
type InheritedReport struct {
	// Base is the signed base's reference, as the claim names it.
	Base string `json:"base"`
	// FromBase and Added count the platform's packages by origin.
	FromBase int `json:"fromBase"`
	Added    int `json:"added"`
	// Packages are the platform's packages with their origin.
	Packages []PackageOrigin `json:"packages,omitempty"`
	// Vulnerabilities are the platform's findings, with the statuses
	// inherited from the base.
	Vulnerabilities []InheritedVulnerability `json:"vulnerabilities,omitempty"`
	// Lifecycle is the base's lifecycle.
	Lifecycle BaseLifecycle `json:"lifecycle"`
}

// LineageSection returns the lineage section of the platform's report:
// the lineage [Platform.Lineage] walked and the join [Platform.BaseJoin]
// made with the platform's own findings, if any. It is nil when the
// lineage was not sought; it does no I/O.
func (p *Platform) LineageSection() *LineageReport { return p.lineageReport() }

// lineageReport reports the lineage walked so far; nil when none was.
func (p *Platform) lineageReport() *LineageReport {
	c := &p.lineage
	c.mu.Lock()
	l, j := c.l, c.join
	c.mu.Unlock()
	if l == nil {
		return nil
	}
	r := &LineageReport{Claims: l.Claims, Chain: l.Chain, ChainIDLabel: l.ChainIDLabel, Proven: l.Base() != nil}
	for _, f := range l.Failures {
		r.Failures = append(r.Failures, f.Error())
	}
	if j != nil {
		ir := &InheritedReport{Base: j.Base.Claim.Reference, Packages: j.Packages, Vulnerabilities: j.Vulnerabilities, Lifecycle: j.Lifecycle}
		for _, pk := range j.Packages {
			if pk.Origin == OriginBase {
				ir.FromBase++
			} else {
				ir.Added++
			}
		}
		r.Inherited = ir
	}
	return r
}
