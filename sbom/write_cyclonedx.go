package sbom

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	cyclonedx "github.com/CycloneDX/cyclonedx-go"
)

// cdxTypes are the CycloneDX 1.6 component types a package's purpose can
// be written as (file is left out: a component of type file is a file).
var cdxTypes = map[string]bool{
	"application": true, "container": true, "cryptographic-asset": true, "data": true,
	"device": true, "device-driver": true, "firmware": true, "framework": true,
	"library": true, "machine-learning-model": true, "operating-system": true, "platform": true,
}

// cdxAlgorithms maps the model's digest algorithms to CycloneDX's.
var cdxAlgorithms = map[string]cyclonedx.HashAlgorithm{
	"md5": cyclonedx.HashAlgoMD5, "sha1": cyclonedx.HashAlgoSHA1, "sha256": cyclonedx.HashAlgoSHA256,
	"sha384": cyclonedx.HashAlgoSHA384, "sha512": cyclonedx.HashAlgoSHA512,
	"sha3-256": cyclonedx.HashAlgoSHA3_256, "sha3-384": cyclonedx.HashAlgoSHA3_384, "sha3-512": cyclonedx.HashAlgoSHA3_512,
	"blake2b-256": cyclonedx.HashAlgoBlake2b_256, "blake2b-384": cyclonedx.HashAlgoBlake2b_384,
	"blake2b-512": cyclonedx.HashAlgoBlake2b_512, "blake3": cyclonedx.HashAlgoBlake3,
	"streebog256": cyclonedx.HashAlgoStreebog256, "streebog512": cyclonedx.HashAlgoStreebog512,
}

// WriteCycloneDX writes the document as CycloneDX 1.6 JSON through
// cyclonedx-go (see [Document.ToCycloneDX]). A licence with neither id nor
// name, which cyclonedx-go reads but cannot write, is left out. It fails
// only when w does, or when cyclonedx-go refuses a value carried over from
// the original document.
func (d *Document) WriteCycloneDX(w io.Writer) error {
	bom := d.ToCycloneDX()
	if err := cyclonedx.NewBOMEncoder(w, cyclonedx.BOMFileFormatJSON).SetPretty(true).Encode(bom); err != nil {
		return fmt.Errorf("sbom: writing CycloneDX: %v", err)
	}
	return nil
}

// ToCycloneDX returns the document as a cyclonedx-go CycloneDX 1.6 BOM,
// built from the model: the subject as metadata.component, packages and
// files as components (nested where a package other than the subject
// contains another), depends-on relationships as dependencies, licences,
// creation time and tools. Fields the model does not type are carried over
// from the document's own CycloneDX value when it was read from CycloneDX,
// so that a CycloneDX document written back keeps them.
//
// From SPDX, these do not carry over: the document name, and the namespace
// unless it is a urn:uuid (then it becomes the serial number);
// relationships other than contains, depends-on and describes (CycloneDX
// has no place for them); package URLs after the first; licences of
// "NONE"; package fields other than the model's; and purposes CycloneDX has
// no component type for. Those, and packages without a purpose, are written
// as "library", as CycloneDX requires a type. A package that both the
// subject and another package contain is nested in the other package only.
//
// The result shares memory with d; the caller must not modify it.
func (d *Document) ToCycloneDX() *cyclonedx.BOM {
	bom := &cyclonedx.BOM{}
	if d.rawCDX != nil {
		*bom = *d.rawCDX
	}
	bom.BOMFormat = cdxFormatName
	bom.SpecVersion = cyclonedx.SpecVersion1_6
	bom.JSONSchema = "http://cyclonedx.org/schema/bom-1.6.schema.json"
	if bom.Version == 0 {
		bom.Version = 1
	}
	bom.SerialNumber = ""
	if strings.HasPrefix(d.namespace, "urn:uuid:") {
		bom.SerialNumber = d.namespace
	}

	md := &cyclonedx.Metadata{}
	if bom.Metadata != nil {
		*md = *bom.Metadata
	}
	md.Timestamp = writeTime(md.Timestamp, d.created, time.RFC3339Nano)
	if !slices.Equal(cdxTools(md.Tools), d.tools) {
		md.Tools = nil
		if len(d.tools) > 0 {
			comps := make([]cyclonedx.Component, 0, len(d.tools))
			for _, t := range d.tools {
				c := cyclonedx.Component{Type: cyclonedx.ComponentTypeApplication, Name: t.Name, Version: t.Version}
				if t.Vendor != "" {
					c.Manufacturer = &cyclonedx.OrganizationalEntity{Name: t.Vendor}
				}
				comps = append(comps, c)
			}
			md.Tools = &cyclonedx.ToolsChoice{Components: &comps}
		}
	}

	// Nesting: a package or file goes inside the first package that
	// contains it, other than the subject; everything else is top level.
	parent := map[string]string{}
	for _, r := range d.rels {
		if r.Type != RelationshipContains || (d.subject != nil && r.From == d.subject.ID) || r.From == r.To {
			continue
		}
		if _, ok := d.idx.byID[r.From]; !ok {
			continue
		}
		if _, done := parent[r.To]; !done {
			parent[r.To] = r.From
		}
	}
	// Break cycles: a chain of containers that comes back to an element
	// leaves that element at the top level.
	for id := range parent {
		seen := map[string]bool{id: true}
		for p, ok := parent[id]; ok; p, ok = parent[p] {
			if seen[p] {
				delete(parent, id)
				break
			}
			seen[p] = true
		}
	}

	// The elements in model order: packages, then files. Only the first
	// element with an identifier (the one relationships name) is nested;
	// later ones with the same identifier stay at the top level.
	type element struct {
		c         *cyclonedx.Component
		canonical string // the identifier, when this element owns it
	}
	elems := make([]element, 0, len(d.packages)+len(d.files))
	at := map[string]int{}
	for _, p := range d.packages {
		e := element{c: d.cdxComponent(p)}
		if p.ID != "" && d.idx.byID[p.ID] == p {
			e.canonical = p.ID
			at[p.ID] = len(elems)
		}
		elems = append(elems, e)
	}
	for _, f := range d.files {
		e := element{c: cdxFileComponent(f)}
		if f.ID != "" && d.idx.fileByID[f.ID] == f {
			if _, taken := at[f.ID]; !taken {
				e.canonical = f.ID
				at[f.ID] = len(elems)
			}
		}
		elems = append(elems, e)
	}
	children := map[int][]int{}
	var top []int
	for i, e := range elems {
		if pid, ok := parent[e.canonical]; ok && e.canonical != "" {
			if pi, ok := at[pid]; ok {
				children[pi] = append(children[pi], i)
				continue
			}
		}
		top = append(top, i)
	}
	var assemble func(i int) cyclonedx.Component
	assemble = func(i int) cyclonedx.Component {
		c := *elems[i].c
		c.Components = nil
		if kids := children[i]; len(kids) > 0 {
			nested := make([]cyclonedx.Component, 0, len(kids))
			for _, k := range kids {
				nested = append(nested, assemble(k))
			}
			c.Components = &nested
		}
		return c
	}
	bom.Components = nil
	if len(top) > 0 {
		comps := make([]cyclonedx.Component, 0, len(top))
		for _, i := range top {
			comps = append(comps, assemble(i))
		}
		bom.Components = &comps
	}
	md.Component = nil
	if d.subject != nil {
		md.Component = d.cdxComponent(d.subject)
	}
	bom.Metadata = md

	bom.Dependencies = d.cdxDependencyList()
	return bom
}

// cdxDependencyList groups depends-on and provides relationships by their
// source, in order of first appearance.
func (d *Document) cdxDependencyList() *[]cyclonedx.Dependency {
	var deps []cyclonedx.Dependency
	at := map[string]int{}
	for _, r := range d.rels {
		provides := r.Type == RelationshipOther && r.Original == cdxRelProvides
		if r.Type != RelationshipDependsOn && !provides {
			continue
		}
		i, ok := at[r.From]
		if !ok {
			i = len(deps)
			at[r.From] = i
			deps = append(deps, cyclonedx.Dependency{Ref: r.From})
		}
		dep := &deps[i]
		list := &dep.Dependencies
		if provides {
			list = &dep.Provides
		}
		if *list == nil {
			*list = &[]string{}
		}
		**list = append(**list, r.To)
	}
	if len(deps) == 0 {
		return nil
	}
	return &deps
}

// cdxComponent builds the component for p, over its original when it has
// one. Nested components are left to the caller.
func (d *Document) cdxComponent(p *Package) *cyclonedx.Component {
	c := &cyclonedx.Component{}
	var orig *Package
	if p.rawCDX != nil {
		*c = *p.rawCDX
		orig = d.scratch().packageFromCDX(p.rawCDX, loc{})
	}
	c.BOMRef = p.ID
	c.Name = p.Name
	c.Version = p.Version
	c.Components = nil // the caller nests components
	if orig == nil || orig.Purpose != p.Purpose {
		c.Type = cyclonedx.ComponentTypeLibrary
		if cdxTypes[p.Purpose] {
			c.Type = cyclonedx.ComponentType(p.Purpose)
		}
	}
	if orig == nil || orig.Supplier != p.Supplier {
		c.Supplier = nil
		if p.Supplier != "" {
			c.Supplier = &cyclonedx.OrganizationalEntity{Name: p.Supplier}
		}
	}
	if orig == nil || !slices.Equal(orig.Checksums, p.Checksums) {
		c.Hashes = cdxHashesOf(p.Checksums)
	}
	if orig == nil || !slices.EqualFunc(orig.PURLs, p.PURLs, samePURL) {
		c.PackageURL = ""
		if len(p.PURLs) > 0 {
			c.PackageURL = p.PURLs[0].ToString()
		}
	}
	if orig == nil || !slices.Equal(orig.CPEs, p.CPEs) {
		c.CPE = ""
		props := withoutProperties(c.Properties, propSyftCPE)
		for i, cpe := range p.CPEs {
			if i == 0 {
				c.CPE = cpe
				continue
			}
			props = append(props, cyclonedx.Property{Name: propSyftCPE, Value: cpe})
		}
		c.Properties = propertiesOrNil(props)
	}
	if orig == nil || orig.DeclaredLicense != p.DeclaredLicense || orig.ConcludedLicense != p.ConcludedLicense || !cdxLicensesWritable(c.Licenses) {
		c.Licenses = d.cdxLicenseChoices(p.DeclaredLicense, p.ConcludedLicense)
	}
	// The source: keep the original's way of saying it when, with the
	// package URL, it says what the model says.
	cur := &Package{Version: p.Version, PURLs: p.PURLs}
	if !sameSource(cdxSource(c, cur), p.Source) {
		c.Properties = propertiesOrNil(withoutProperties(c.Properties,
			propTrivySrcName, propTrivySrcVersion, propTrivySrcRelease, propTrivySrcEpoch, propSyftSource, propSyftSourceVer))
		c.ExternalReferences = withoutSourceRefs(c.ExternalReferences)
		if p.Source != nil && !sameSource(cdxSource(c, cur), p.Source) {
			if p.Source.PURL.Type != "" {
				refs := []cyclonedx.ExternalReference{}
				if c.ExternalReferences != nil {
					refs = *c.ExternalReferences
				}
				refs = append(refs, cyclonedx.ExternalReference{Type: extRefSourceDistribution, URL: p.Source.PURL.ToString()})
				c.ExternalReferences = &refs
			} else {
				props := withoutProperties(c.Properties)
				props = append(props, cyclonedx.Property{Name: propSyftSource, Value: p.Source.Name})
				if p.Source.Version != "" {
					props = append(props, cyclonedx.Property{Name: propSyftSourceVer, Value: p.Source.Version})
				}
				c.Properties = &props
			}
		}
	}
	return c
}

// scratch returns a document for re-reading packages while writing d: it
// shares d's licence names without changing them and collects warnings of
// its own.
func (d *Document) scratch() *Document {
	return &Document{licenseNames: d.licenseNames, licenseRefs: d.licenseRefs, frozen: true}
}

// cdxFileComponent builds the component for f, over its original when it
// has one.
func cdxFileComponent(f *File) *cyclonedx.Component {
	c := &cyclonedx.Component{}
	if f.rawCDX != nil {
		*c = *f.rawCDX
	}
	c.Type = cyclonedx.ComponentTypeFile
	c.BOMRef = f.ID
	c.Name = f.Name
	if f.rawCDX == nil || !slices.Equal(cdxHashes(f.rawCDX.Hashes), f.Checksums) {
		c.Hashes = cdxHashesOf(f.Checksums)
	}
	c.Components = nil
	return c
}

// cdxLicenseChoices writes declared and concluded expressions as CycloneDX
// licences: each operand of a top-level AND as its own licence (by id for
// an SPDX list identifier, by name for a LicenseRef-), anything else as an
// expression. Concluded licences carry acknowledgement "concluded", and
// declared ones "declared" when there are concluded ones too.
func (d *Document) cdxLicenseChoices(declared, concluded string) *cyclonedx.Licenses {
	var out cyclonedx.Licenses
	add := func(expr string, ack cyclonedx.LicenseAcknowledgement) {
		if expr == "" || expr == none {
			return
		}
		for _, op := range andOperands(expr) {
			var lc cyclonedx.LicenseChoice
			switch {
			case isSimpleLicenseID(op):
				lc.License = &cyclonedx.License{ID: op, Acknowledgement: ack}
			case validLicenseID(op) && !strings.HasSuffix(op, "+") && hasLicenseRefPrefix(op):
				lc.License = &cyclonedx.License{Name: d.LicenseName(op), Acknowledgement: ack}
			default:
				lc.Expression = op
				if ack != "" {
					a := ack
					lc.Acknowledgement = &a
				}
			}
			out = append(out, lc)
		}
	}
	var declAck cyclonedx.LicenseAcknowledgement
	if concluded != "" && concluded != none {
		declAck = cyclonedx.LicenseAcknowledgementDeclared
	}
	add(declared, declAck)
	add(concluded, cyclonedx.LicenseAcknowledgementConcluded)
	if len(out) == 0 {
		return nil
	}
	return &out
}

// cdxLicensesWritable reports whether cyclonedx-go can encode ls: it
// refuses a licence with neither id nor name (which Parse left out of the
// model, with a warning).
func cdxLicensesWritable(ls *cyclonedx.Licenses) bool {
	if ls == nil {
		return true
	}
	for _, lc := range *ls {
		if lc.Expression == "" && (lc.License == nil || lc.License.ID == "" && lc.License.Name == "") {
			return false
		}
	}
	return true
}

func hasLicenseRefPrefix(s string) bool {
	_, ok := cutPrefixFold(s, licenseRefPrefix)
	return ok
}

// cdxHashesOf converts the model's checksums, leaving out algorithms
// CycloneDX does not know.
func cdxHashesOf(cs []Checksum) *[]cyclonedx.Hash {
	var out []cyclonedx.Hash
	for _, c := range cs {
		if a, ok := cdxAlgorithms[c.Algorithm]; ok {
			out = append(out, cyclonedx.Hash{Algorithm: a, Value: c.Value})
		}
	}
	if len(out) == 0 {
		return nil
	}
	return &out
}

// withoutProperties returns a copy of props without those named.
func withoutProperties(props *[]cyclonedx.Property, names ...string) []cyclonedx.Property {
	if props == nil {
		return nil
	}
	out := make([]cyclonedx.Property, 0, len(*props))
	for _, p := range *props {
		if !slices.Contains(names, p.Name) {
			out = append(out, p)
		}
	}
	return out
}

func propertiesOrNil(props []cyclonedx.Property) *[]cyclonedx.Property {
	if len(props) == 0 {
		return nil
	}
	return &props
}

// withoutSourceRefs returns a copy of refs without source-distribution
// references to package URLs.
func withoutSourceRefs(refs *[]cyclonedx.ExternalReference) *[]cyclonedx.ExternalReference {
	if refs == nil {
		return nil
	}
	out := make([]cyclonedx.ExternalReference, 0, len(*refs))
	for _, r := range *refs {
		if r.Type == extRefSourceDistribution && strings.HasPrefix(r.URL, "pkg:") {
			continue
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil
	}
	return &out
}
