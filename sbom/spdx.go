package sbom

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	packageurl "github.com/package-url/packageurl-go"
	"github.com/spdx/tools-golang/convert"
	"github.com/spdx/tools-golang/spdx/v2/common"
	"github.com/spdx/tools-golang/spdx/v2/v2_2"
	spdx "github.com/spdx/tools-golang/spdx/v2/v2_3"

	"github.com/dhisdk/dhisdk/internal/purl"
)

const (
	spdxDocumentID = "SPDXRef-DOCUMENT"
	spdxRefPrefix  = "SPDXRef-"
	spdxRefPURL    = "purl"
	spdxRefCPE23   = "cpe23Type"
	spdxRefCPE22   = "cpe22Type"
	spdxToolPrefix = "Tool"
)

// parseSPDX decodes b, whose spdxVersion is version, with tools-golang's
// types and builds the model from it.
func parseSPDX(b []byte, version string) (*Document, error) {
	raw := new(spdx.Document)
	switch version {
	case spdx.Version:
		// This is what tools-golang's json.Read does for 2.3 documents, without
		// its first pass that decodes the whole document into map[string]any
		// to find spdxVersion: the version is already known here.
		if err := json.Unmarshal(b, raw); err != nil {
			return nil, decodeError(b, "", err)
		}
	case v2_2.Version:
		var old v2_2.Document
		if err := json.Unmarshal(b, &old); err != nil {
			return nil, decodeError(b, "", err)
		}
		if err := convert.Document(&old, raw); err != nil {
			return nil, fmt.Errorf("%w: converting SPDX 2.2 to 2.3: %v", ErrInvalid, err)
		}
	default:
		return nil, fmt.Errorf("%w: SPDX %q (supported: %s, %s)", ErrUnsupportedVersion, version, v2_2.Version, spdx.Version)
	}
	if raw.SPDXVersion != version && !(version == v2_2.Version && raw.SPDXVersion == spdx.Version) {
		// Only when the document names its version twice (encoding/json
		// also matches keys without regard to case).
		return nil, fmt.Errorf("%w: spdxVersion is both %q and %q", ErrInvalid, version, raw.SPDXVersion)
	}
	return fromSPDX(raw, strings.TrimPrefix(version, "SPDX-")), nil
}

// fromSPDX builds the model of a decoded SPDX document.
func fromSPDX(raw *spdx.Document, specVersion string) *Document {
	d := &Document{
		format:      FormatSPDX,
		specVersion: specVersion,
		name:        raw.DocumentName,
		namespace:   raw.DocumentNamespace,
		rawSPDX:     raw,
	}
	if ci := raw.CreationInfo; ci != nil {
		d.created = d.parseTime("creationInfo.created", ci.Created)
		for _, c := range ci.Creators {
			if strings.EqualFold(c.CreatorType, spdxToolPrefix) {
				d.tools = append(d.tools, spdxTool(c.Creator))
			}
		}
	}
	for _, ol := range raw.OtherLicenses {
		if ol == nil || ol.LicenseIdentifier == "" || ol.LicenseName == "" || ol.LicenseName == noAssertion {
			continue
		}
		if d.licenseNames == nil {
			d.licenseNames = make(map[string]string, len(raw.OtherLicenses))
		}
		d.licenseNames[ol.LicenseIdentifier] = ol.LicenseName
	}

	b := newBuilder(d, len(raw.Packages), len(raw.Files))
	pkgs := make([]*Package, 0, len(raw.Packages))
	for i, sp := range raw.Packages {
		l := loc{"packages", i}
		if sp == nil {
			d.warn(l.String(), "null package")
			continue
		}
		p := d.packageFromSPDX(sp, l)
		b.addPackage(p, l)
		pkgs = append(pkgs, p)
	}
	for i, sf := range raw.Files {
		l := loc{"files", i}
		if sf == nil {
			d.warn(l.String(), "null file")
			continue
		}
		f := &File{
			ID:        common.RenderElementID(sf.FileSPDXIdentifier),
			Name:      sf.FileName,
			Checksums: spdxChecksums(sf.Checksums),
			rawSPDX:   sf,
		}
		b.addFile(f, l)
	}

	d.rels = make([]Relationship, 0, len(raw.Relationships))
	var described []string
	for i, r := range raw.Relationships {
		l := loc{"relationships", i}
		if r == nil {
			continue
		}
		if r.RefA == (common.DocElementID{}) || r.RefB == (common.DocElementID{}) {
			d.warn(l.String(), "relationship without spdxElementId or relatedSpdxElement left out")
			continue
		}
		rel := spdxRelationship(r)
		d.checkRef(b, l, ".spdxElementId", r.RefA)
		d.checkRef(b, l, ".relatedSpdxElement", r.RefB)
		if rel.Type == RelationshipDescribes && rel.From == spdxDocumentID {
			described = append(described, rel.To)
		}
		d.rels = append(d.rels, rel)
	}

	// The subject is the first described package.
	for _, id := range described {
		if p, ok := b.idx.byID[id]; ok {
			d.subject = p
			break
		}
	}
	d.packages = pkgs
	if d.subject != nil {
		d.packages = make([]*Package, 0, len(pkgs))
		for _, p := range pkgs {
			if p != d.subject {
				d.packages = append(d.packages, p)
			}
		}
	}
	b.finish()
	return d
}

// checkRef records a warning when an SPDX relationship end names no element
// of the document. References to other documents and NONE/NOASSERTION are
// fine.
func (d *Document) checkRef(b *builder, l loc, field string, ref common.DocElementID) {
	if ref.SpecialID != "" || ref.DocumentRefID != "" || ref.ElementRefID == "DOCUMENT" {
		return
	}
	id := common.RenderElementID(ref.ElementRefID)
	if !b.has(id) {
		d.warn(l.sub(field), "%q names no package or file in the document", id)
	}
}

// packageFromSPDX builds the model of an SPDX package.
func (d *Document) packageFromSPDX(sp *spdx.Package, l loc) *Package {
	p := &Package{
		ID:               common.RenderElementID(sp.PackageSPDXIdentifier),
		Name:             sp.PackageName,
		Version:          sp.PackageVersion,
		Purpose:          spdxPurpose(sp.PrimaryPackagePurpose),
		DeclaredLicense:  d.checkLicense(l, ".licenseDeclared", licenseValue(sp.PackageLicenseDeclared)),
		ConcludedLicense: d.checkLicense(l, ".licenseConcluded", licenseValue(sp.PackageLicenseConcluded)),
		Checksums:        spdxChecksums(sp.PackageChecksums),
		rawSPDX:          sp,
	}
	if s := sp.PackageSupplier; s != nil && s.Supplier != noAssertion {
		p.Supplier = s.Supplier
	}
	for i, r := range sp.PackageExternalReferences {
		if r == nil {
			continue
		}
		switch {
		case strings.EqualFold(r.RefType, spdxRefPURL):
			if err := addPURL(p, r.Locator); err != nil {
				d.warn(l.sub(fmt.Sprintf(".externalRefs[%d]", i)), "%v", err)
			}
		case strings.EqualFold(r.RefType, spdxRefCPE23), strings.EqualFold(r.RefType, spdxRefCPE22):
			p.CPEs = append(p.CPEs, r.Locator)
		}
	}
	if len(p.PURLs) > 0 {
		p.Ecosystem = p.PURLs[0].Type
	}
	p.Source = spdxSource(sp.PackageSourceInfo, p.Version, p.PURLs)
	return p
}

// spdxSource derives a package's source from its sourceInfo, else its
// package URLs.
func spdxSource(info, version string, purls []packageurl.PackageURL) *Source {
	s := sourceFromSPDXInfo(info)
	if s == nil && len(purls) > 0 {
		s = sourceFromPURL(purls[0])
	}
	return completeSource(s, version, purls)
}

// checkLicense records a warning when expr is not an SPDX license expression,
// and returns it unchanged.
func (d *Document) checkLicense(l loc, field, expr string) string {
	if expr == "" || expr == none {
		return expr
	}
	if _, err := parseLicense(expr); err != nil {
		d.warn(l.sub(field), "%q is %v", expr, err)
	}
	return expr
}

// addPURL parses s and adds it to p.
func addPURL(p *Package, s string) error {
	u, err := purl.Parse(s)
	if err != nil {
		return err
	}
	p.PURLs = append(p.PURLs, u)
	return nil
}

// parseTime parses an RFC 3339 time, recording a warning when it does not
// parse.
func (d *Document) parseTime(where, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		d.warn(where, "%q is not an RFC 3339 time", s)
		return time.Time{}
	}
	return t
}

// spdxRelationship normalizes an SPDX relationship.
func spdxRelationship(r *spdx.Relationship) Relationship {
	a := common.RenderDocElementID(r.RefA)
	b := common.RenderDocElementID(r.RefB)
	rel := Relationship{From: a, To: b, Type: RelationshipOther, Original: r.Relationship, Comment: r.RelationshipComment}
	switch strings.ToUpper(r.Relationship) {
	case common.TypeRelationshipContains:
		rel.Type = RelationshipContains
	case common.TypeRelationshipContainedBy:
		rel.Type, rel.From, rel.To = RelationshipContains, b, a
	case common.TypeRelationshipDependsOn:
		rel.Type = RelationshipDependsOn
	case common.TypeRelationshipDependencyOf:
		rel.Type, rel.From, rel.To = RelationshipDependsOn, b, a
	case common.TypeRelationshipDescribe:
		rel.Type = RelationshipDescribes
	case common.TypeRelationshipDescribeBy:
		rel.Type, rel.From, rel.To = RelationshipDescribes, b, a
	}
	return rel
}

// spdxTool splits an SPDX tool creator "name-version" into a Tool.
func spdxTool(s string) Tool {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '-'); i > 0 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
		return Tool{Name: s[:i], Version: s[i+1:]}
	}
	return Tool{Name: s}
}

// spdxPurpose lowercases an SPDX primaryPackagePurpose.
func spdxPurpose(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "_", "-")
}

// spdxChecksums converts SPDX checksums.
func spdxChecksums(cs []common.Checksum) []Checksum {
	if len(cs) == 0 {
		return nil
	}
	out := make([]Checksum, 0, len(cs))
	for _, c := range cs {
		out = append(out, Checksum{Algorithm: normalizeAlgorithm(string(c.Algorithm)), Value: strings.ToLower(c.Value)})
	}
	return out
}

// normalizeAlgorithm maps an SPDX or CycloneDX digest algorithm name to the
// model's form: lowercase, "SHA-256" and "SHA256" both "sha256",
// "SHA3-256" "sha3-256", "BLAKE2b-256" "blake2b-256".
func normalizeAlgorithm(a string) string {
	a = strings.ToLower(strings.TrimSpace(a))
	switch {
	case strings.HasPrefix(a, "sha-"):
		return "sha" + a[len("sha-"):]
	case strings.HasPrefix(a, "sha3"), strings.HasPrefix(a, "blake"):
		return a
	}
	return strings.ReplaceAll(a, "-", "")
}
