package sbom

import (
	"encoding/json"
	"fmt"
	"strings"

	cyclonedx "github.com/CycloneDX/cyclonedx-go"
)

const (
	cdxFormatName = "CycloneDX"
	// cdxRelComponents is the Original of the contains relationships that
	// component nesting stands for.
	cdxRelComponents = "components"
	cdxRelDependsOn  = "dependsOn"
	cdxRelProvides   = "provides"
)

// cdxSupported reports whether this package reads CycloneDX spec version v.
func cdxSupported(v string) bool {
	switch v {
	case "1.4", "1.5", "1.6":
		return true
	}
	return false
}

// parseCycloneDX decodes b with cyclonedx-go and builds the model from it.
func parseCycloneDX(b []byte, tl topLevel) (*Document, error) {
	if tl.bomFormat != cdxFormatName {
		return nil, fmt.Errorf("%w: bomFormat %q is not %q", ErrUnknownFormat, tl.bomFormat, cdxFormatName)
	}
	if !cdxSupported(tl.specVersion) {
		return nil, fmt.Errorf("%w: CycloneDX %q (supported: 1.4, 1.5, 1.6)", ErrUnsupportedVersion, tl.specVersion)
	}
	// cyclonedx-go's JSON BOMDecoder is io.ReadAll and json.Unmarshal; the
	// bytes are here already.
	raw := new(cyclonedx.BOM)
	if err := json.Unmarshal(b, raw); err != nil {
		return nil, decodeError(b, "", err)
	}
	if raw.BOMFormat != tl.bomFormat || raw.SpecVersion.String() != tl.specVersion {
		// Only when the document names them twice (encoding/json also
		// matches keys without regard to case).
		return nil, fmt.Errorf("%w: bomFormat %q and specVersion %q decode as %q and %q", ErrInvalid, tl.bomFormat, tl.specVersion, raw.BOMFormat, raw.SpecVersion)
	}
	return fromCycloneDX(raw), nil
}

// fromCycloneDX builds the model of a decoded CycloneDX BOM.
func fromCycloneDX(raw *cyclonedx.BOM) *Document {
	d := &Document{
		format:      FormatCycloneDX,
		specVersion: raw.SpecVersion.String(),
		namespace:   raw.SerialNumber,
		rawCDX:      raw,
	}
	n := 0
	if raw.Components != nil {
		n = len(*raw.Components)
	}
	b := newBuilder(d, n, 0)
	d.packages = make([]*Package, 0, n)
	rels := n
	if raw.Dependencies != nil {
		for _, dep := range *raw.Dependencies {
			if dep.Dependencies != nil {
				rels += len(*dep.Dependencies)
			}
		}
	}
	d.rels = make([]Relationship, 0, rels)

	if md := raw.Metadata; md != nil {
		d.created = d.parseTime("metadata.timestamp", md.Timestamp)
		d.tools = cdxTools(md.Tools)
		if md.Component != nil {
			d.subject = d.packageFromCDX(md.Component, at("metadata.component"))
			b.addPackage(d.subject, at("metadata.component"))
			d.walkComponents(b, md.Component.Components, "metadata.component.components", d.subject.ID)
		}
	}
	parent := ""
	if d.subject != nil {
		parent = d.subject.ID
	}
	d.walkComponents(b, raw.Components, "components", parent)

	if raw.Dependencies != nil {
		for i, dep := range *raw.Dependencies {
			l := loc{"dependencies", i}
			if !b.has(dep.Ref) {
				d.warn(l.sub(".ref"), "%q names no component in the document", dep.Ref)
			}
			d.cdxDependencies(b, l, dep.Ref, dep.Dependencies, cdxRelDependsOn, RelationshipDependsOn)
			d.cdxDependencies(b, l, dep.Ref, dep.Provides, cdxRelProvides, RelationshipOther)
		}
	}
	b.finish()
	return d
}

// cdxDependencies adds the relationships of one dependencies entry.
func (d *Document) cdxDependencies(b *builder, l loc, from string, to *[]string, original string, typ RelationshipType) {
	if to == nil {
		return
	}
	for j, ref := range *to {
		if !b.has(ref) {
			d.warn(l.sub(fmt.Sprintf(".%s[%d]", original, j)), "%q names no component in the document", ref)
		}
		d.rels = append(d.rels, Relationship{From: from, To: ref, Type: typ, Original: original})
	}
}

// walkComponents adds components and, depth first, their nested components.
// parent is the bom-ref of the containing component, "" for none.
func (d *Document) walkComponents(b *builder, cs *[]cyclonedx.Component, base, parent string) {
	if cs == nil {
		return
	}
	for i := range *cs {
		c := &(*cs)[i]
		l := loc{base, i}
		if c.Type == cyclonedx.ComponentTypeFile {
			b.addFile(&File{ID: c.BOMRef, Name: c.Name, Checksums: cdxHashes(c.Hashes), rawCDX: c}, l)
		} else {
			p := d.packageFromCDX(c, l)
			b.addPackage(p, l)
			d.packages = append(d.packages, p)
		}
		if parent != "" && c.BOMRef != "" {
			d.rels = append(d.rels, Relationship{From: parent, To: c.BOMRef, Type: RelationshipContains, Original: cdxRelComponents})
		}
		if c.Components != nil && len(*c.Components) > 0 {
			d.walkComponents(b, c.Components, l.sub(".components"), c.BOMRef)
		}
	}
}

// packageFromCDX builds the model of a CycloneDX component.
func (d *Document) packageFromCDX(c *cyclonedx.Component, l loc) *Package {
	p := &Package{
		ID:        c.BOMRef,
		Name:      c.Name,
		Version:   c.Version,
		Purpose:   string(c.Type),
		Checksums: cdxHashes(c.Hashes),
		rawCDX:    c,
	}
	if c.Supplier != nil {
		p.Supplier = c.Supplier.Name
	}
	if c.PackageURL != "" {
		if err := addPURL(p, c.PackageURL); err != nil {
			d.warn(l.sub(".purl"), "%v", err)
		}
	}
	if len(p.PURLs) > 0 {
		p.Ecosystem = p.PURLs[0].Type
	}
	if c.CPE != "" {
		p.CPEs = append(p.CPEs, c.CPE)
	}
	if c.Properties != nil {
		for _, pr := range *c.Properties {
			if pr.Name == propSyftCPE && pr.Value != "" {
				p.CPEs = append(p.CPEs, pr.Value)
			}
		}
	}
	p.DeclaredLicense, p.ConcludedLicense = d.cdxLicenses(c.Licenses, l)
	p.Source = cdxSource(c, p)
	return p
}

// cdxSource derives a component's source from its properties and external
// references, else its package URL.
func cdxSource(c *cyclonedx.Component, p *Package) *Source {
	s := sourceFromCDX(c)
	if s == nil && len(p.PURLs) > 0 {
		s = sourceFromPURL(p.PURLs[0])
	}
	return completeSource(s, p.Version, p.PURLs)
}

// cdxLicenses turns CycloneDX licence choices into declared and concluded
// SPDX expressions. Licences given by name only become LicenseRef-
// identifiers, remembered with their names.
func (d *Document) cdxLicenses(ls *cyclonedx.Licenses, l loc) (declared, concluded string) {
	if ls == nil {
		return "", ""
	}
	var decl, conc []string
	for i, lc := range *ls {
		var term string
		ack := lc.Acknowledgement
		switch {
		case lc.Expression != "":
			term = strings.TrimSpace(lc.Expression)
			if _, err := parseLicense(term); err != nil {
				d.warn(l.sub(fmt.Sprintf(".licenses[%d].expression", i)), "%q is %v", term, err)
			}
		case lc.License != nil && lc.License.ID != "":
			term = lc.License.ID
		case lc.License != nil && lc.License.Name != "":
			term = d.licenseRef(lc.License.Name)
		default:
			d.warn(l.sub(fmt.Sprintf(".licenses[%d]", i)), "licence has no id, name or expression")
			continue
		}
		if ack == nil && lc.License != nil && lc.License.Acknowledgement != "" {
			a := lc.License.Acknowledgement
			ack = &a
		}
		if ack != nil && *ack == cyclonedx.LicenseAcknowledgementConcluded {
			conc = append(conc, term)
		} else {
			decl = append(decl, term)
		}
	}
	return joinLicenses(decl), joinLicenses(conc)
}

// licenseRef returns the LicenseRef- identifier for a licence name, making
// one (unique in the document) the first time the name is seen.
func (d *Document) licenseRef(name string) string {
	if d.frozen {
		if id, ok := d.licenseRefs[name]; ok {
			return id
		}
		return licenseRefID(name)
	}
	if d.licenseNames == nil {
		d.licenseNames = make(map[string]string)
	}
	if d.licenseRefs == nil {
		d.licenseRefs = make(map[string]string)
	}
	if id, ok := d.licenseRefs[name]; ok {
		return id
	}
	base := licenseRefID(name)
	id := base
	for n := 2; ; n++ {
		if _, taken := d.licenseNames[id]; !taken {
			break
		}
		id = fmt.Sprintf("%s-%d", base, n)
	}
	d.licenseNames[id] = name
	d.licenseRefs[name] = id
	return id
}

// cdxTools converts metadata.tools in either of its forms.
func cdxTools(tc *cyclonedx.ToolsChoice) []Tool {
	if tc == nil {
		return nil
	}
	var out []Tool
	if tc.Tools != nil {
		for _, t := range *tc.Tools {
			out = append(out, Tool{Vendor: t.Vendor, Name: t.Name, Version: t.Version})
		}
	}
	if tc.Components != nil {
		for _, c := range *tc.Components {
			vendor := c.Group
			switch {
			case vendor != "":
			case c.Manufacturer != nil && c.Manufacturer.Name != "":
				vendor = c.Manufacturer.Name
			case c.Supplier != nil && c.Supplier.Name != "":
				vendor = c.Supplier.Name
			default:
				vendor = c.Author
			}
			out = append(out, Tool{Vendor: vendor, Name: c.Name, Version: c.Version})
		}
	}
	if tc.Services != nil {
		for _, s := range *tc.Services {
			vendor := s.Group
			if vendor == "" && s.Provider != nil {
				vendor = s.Provider.Name
			}
			out = append(out, Tool{Vendor: vendor, Name: s.Name, Version: s.Version})
		}
	}
	return out
}

// cdxHashes converts CycloneDX hashes.
func cdxHashes(hs *[]cyclonedx.Hash) []Checksum {
	if hs == nil || len(*hs) == 0 {
		return nil
	}
	out := make([]Checksum, 0, len(*hs))
	for _, h := range *hs {
		out = append(out, Checksum{Algorithm: normalizeAlgorithm(string(h.Algorithm)), Value: strings.ToLower(h.Value)})
	}
	return out
}
