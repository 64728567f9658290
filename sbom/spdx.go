package sbom

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
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

	spdxDocRefPrefix = "DocumentRef-"
)

// parseSPDX reads b, whose spdxVersion is version, and builds the model
// from it. It reads b with readSPDX, which decodes only what the model
// needs, and leaves tools-golang's decoding to the first call of
// Document.SPDX (Package.SPDX, File.SPDX). A document readSPDX does not
// take (one tools-golang would reject, or one with repeated members) is
// decoded by tools-golang at once, as it would be later, and the model
// built from that: its errors are tools-golang's.
func parseSPDX(b []byte, version string) (*Document, error) {
	var v22 bool
	switch version {
	case spdx.Version:
	case v2_2.Version:
		v22 = true
	default:
		return nil, fmt.Errorf("%w: SPDX %q (supported: %s, %s)", ErrUnsupportedVersion, version, v2_2.Version, spdx.Version)
	}
	spec := strings.TrimPrefix(version, "SPDX-")
	if json.Valid(b) {
		src := string(b)
		if sd, ok := readSPDX(b, src, v22); ok {
			if sd.nullPackage >= 0 {
				// tools-golang's decoding fails on it (with a panic).
				return nil, fmt.Errorf("%w: packages[%d] is null", ErrInvalid, sd.nullPackage)
			}
			if err := checkSPDXVersion(version, sd.version); err != nil {
				return nil, err
			}
			return fromSPDX(sd, &spdxRaw{src: src, version: version}, spec), nil
		}
	}
	raw, err := decodeSPDX(b, version)
	if err != nil {
		return nil, err
	}
	if err := checkSPDXVersion(version, raw.SPDXVersion); err != nil {
		return nil, err
	}
	return fromSPDX(spdxDocOf(raw), &spdxRaw{doc: raw}, spec), nil
}

// checkSPDXVersion fails when the spdxVersion decoded is not the one the
// detection found: only when the document names its version twice
// (encoding/json also matches keys without regard to case).
func checkSPDXVersion(version, decoded string) error {
	if decoded != version && !(version == v2_2.Version && decoded == spdx.Version) {
		return fmt.Errorf("%w: spdxVersion is both %q and %q", ErrInvalid, version, decoded)
	}
	return nil
}

// decodeSPDX decodes b, whose spdxVersion is version, with tools-golang's
// types, converting SPDX 2.2 to 2.3. This is what tools-golang's json.Read
// does, without its first pass that decodes the whole document into
// map[string]any to find spdxVersion.
func decodeSPDX(b []byte, version string) (doc *spdx.Document, err error) {
	defer func() {
		// tools-golang panics on some documents that decode (a null
		// package); Parse does not.
		if p := recover(); p != nil {
			doc, err = nil, fmt.Errorf("%w: tools-golang cannot decode the document: %v", ErrInvalid, p)
		}
	}()
	raw := new(spdx.Document)
	if version == v2_2.Version {
		var old v2_2.Document
		if err := json.Unmarshal(b, &old); err != nil {
			return nil, decodeError(b, "", err)
		}
		if err := convert.Document(&old, raw); err != nil {
			return nil, fmt.Errorf("%w: converting SPDX 2.2 to 2.3: %v", ErrInvalid, err)
		}
		return raw, nil
	}
	if err := json.Unmarshal(b, raw); err != nil {
		return nil, decodeError(b, "", err)
	}
	return raw, nil
}

// spdxRaw is the tools-golang decoding of an SPDX document, made from the
// document's text on first use.
type spdxRaw struct {
	once    sync.Once
	src     string // the document
	version string // its spdxVersion
	doc     *spdx.Document
}

// document returns the decoded document, decoding it on the first call. It
// returns nil only if tools-golang fails on a document readSPDX took, which
// readSPDX is made never to allow.
func (r *spdxRaw) document() *spdx.Document {
	r.once.Do(func() {
		if r.doc == nil {
			r.doc, _ = decodeSPDX([]byte(r.src), r.version)
		}
	})
	return r.doc
}

// spdxDoc is what the model reads of an SPDX document, as tools-golang
// decodes it (SPDX 2.2 converted to 2.3): read from the JSON by readSPDX,
// or taken from a decoded document by spdxDocOf.
type spdxDoc struct {
	version   string // spdxVersion
	name      string
	namespace string
	created   string
	creators  []common.Creator
	licenses  []spdxLicense // hasExtractedLicensingInfos with both id and name
	packages  []*spdxPackage
	// nullPackage is the index of the first null package, or -1.
	nullPackage int
	files       []*spdxFileEntry // null files are nil
	// rels are the relationships as tools-golang makes them: without the
	// null ones, followed by those documentDescribes and hasFiles imply;
	// for SPDX 2.2, empty ones are nil.
	rels []*spdxRelEntry
}

// spdxLicense is an element of hasExtractedLicensingInfos.
type spdxLicense struct{ id, name string }

// spdxPackage is what the model reads of an SPDX package.
type spdxPackage struct {
	id         string // SPDXID, "SPDXRef-" when absent
	name       string
	version    string // versionInfo
	purpose    string // primaryPackagePurpose
	declared   string // licenseDeclared
	concluded  string // licenseConcluded
	sourceInfo string
	supplier   string // name of the supplier; "" when absent or NOASSERTION
	checksums  []common.Checksum
	refs       []spdxExtRef
}

// spdxExtRef is an element of a package's externalRefs.
type spdxExtRef struct {
	null         bool
	typ, locator string
}

// spdxFileEntry is what the model reads of an SPDX file.
type spdxFileEntry struct {
	id        string // SPDXID, "SPDXRef-" when absent
	name      string
	checksums []common.Checksum
}

// spdxRelEntry is an SPDX relationship.
type spdxRelEntry struct {
	a, b         spdxRef // spdxElementId, relatedSpdxElement
	typ, comment string
}

// spdxRef is an end of a relationship, as common.DocElementID decodes it:
// its kind and its rendering by common.RenderDocElementID ("" when absent).
type spdxRef struct {
	kind spdxRefKind
	s    string
}

// spdxRefKind says what a relationship end names.
type spdxRefKind uint8

const (
	spdxRefAbsent   spdxRefKind = iota // the member is absent
	spdxRefElement                     // SPDXRef-id
	spdxRefDocument                    // DocumentRef-doc, or DocumentRef-doc:SPDXRef-id
	spdxRefSpecial                     // NONE or NOASSERTION
)

// rendered returns the reference as common.RenderDocElementID renders it.
func (r spdxRef) rendered() string {
	if r.s == "" {
		return spdxRefPrefix // common.RenderDocElementID of the zero value
	}
	return r.s
}

// spdxDocOf takes what the model reads from a decoded document.
func spdxDocOf(raw *spdx.Document) *spdxDoc {
	d := &spdxDoc{
		version:     raw.SPDXVersion,
		name:        raw.DocumentName,
		namespace:   raw.DocumentNamespace,
		nullPackage: -1,
	}
	if ci := raw.CreationInfo; ci != nil {
		d.created, d.creators = ci.Created, ci.Creators
	}
	for _, ol := range raw.OtherLicenses {
		if ol != nil && ol.LicenseIdentifier != "" && ol.LicenseName != "" {
			d.licenses = append(d.licenses, spdxLicense{id: ol.LicenseIdentifier, name: ol.LicenseName})
		}
	}
	d.packages = make([]*spdxPackage, len(raw.Packages))
	for i, sp := range raw.Packages {
		if sp == nil {
			if d.nullPackage < 0 {
				d.nullPackage = i
			}
			continue
		}
		d.packages[i] = spdxPackageOf(sp)
	}
	d.files = make([]*spdxFileEntry, len(raw.Files))
	for i, sf := range raw.Files {
		if sf != nil {
			d.files[i] = &spdxFileEntry{id: common.RenderElementID(sf.FileSPDXIdentifier), name: sf.FileName, checksums: sf.Checksums}
		}
	}
	d.rels = make([]*spdxRelEntry, len(raw.Relationships))
	for i, r := range raw.Relationships {
		if r != nil {
			d.rels[i] = spdxRelOf(r)
		}
	}
	return d
}

// spdxPackageOf takes what the model reads from a decoded package.
func spdxPackageOf(sp *spdx.Package) *spdxPackage {
	p := &spdxPackage{
		id:         common.RenderElementID(sp.PackageSPDXIdentifier),
		name:       sp.PackageName,
		version:    sp.PackageVersion,
		purpose:    sp.PrimaryPackagePurpose,
		declared:   sp.PackageLicenseDeclared,
		concluded:  sp.PackageLicenseConcluded,
		sourceInfo: sp.PackageSourceInfo,
		checksums:  sp.PackageChecksums,
	}
	if s := sp.PackageSupplier; s != nil && s.Supplier != noAssertion {
		p.supplier = s.Supplier
	}
	for _, r := range sp.PackageExternalReferences {
		if r == nil {
			p.refs = append(p.refs, spdxExtRef{null: true})
			continue
		}
		p.refs = append(p.refs, spdxExtRef{typ: r.RefType, locator: r.Locator})
	}
	return p
}

// spdxRelOf takes a decoded relationship.
func spdxRelOf(r *spdx.Relationship) *spdxRelEntry {
	ref := func(id common.DocElementID) spdxRef {
		switch {
		case id.SpecialID != "":
			return spdxRef{kind: spdxRefSpecial, s: id.SpecialID}
		case id.DocumentRefID != "":
			return spdxRef{kind: spdxRefDocument, s: common.RenderDocElementID(id)}
		case id.ElementRefID != "":
			return spdxRef{kind: spdxRefElement, s: common.RenderDocElementID(id)}
		}
		return spdxRef{}
	}
	return &spdxRelEntry{a: ref(r.RefA), b: ref(r.RefB), typ: r.Relationship, comment: r.RelationshipComment}
}

// fromSPDX builds the model of an SPDX document; raw gives its tools-golang
// decoding.
func fromSPDX(sd *spdxDoc, raw *spdxRaw, specVersion string) *Document {
	d := &Document{
		format:      FormatSPDX,
		specVersion: specVersion,
		name:        sd.name,
		namespace:   sd.namespace,
		rawSPDX:     raw,
	}
	d.created = d.parseTime("creationInfo.created", sd.created)
	for _, c := range sd.creators {
		if strings.EqualFold(c.CreatorType, spdxToolPrefix) {
			d.tools = append(d.tools, spdxTool(c.Creator))
		}
	}
	for _, ol := range sd.licenses {
		if ol.name == noAssertion {
			continue
		}
		if d.licenseNames == nil {
			d.licenseNames = make(map[string]string, len(sd.licenses))
		}
		d.licenseNames[ol.id] = ol.name
	}

	b := newBuilder(d, len(sd.packages), len(sd.files))
	pkgs := make([]*Package, 0, len(sd.packages))
	for i, sp := range sd.packages {
		l := loc{"packages", i}
		if sp == nil {
			continue // only from a document Parse refuses
		}
		p := d.packageFromSPDX(sp, l)
		p.rawSPDX, p.spdxIndex = raw, i
		b.addPackage(p, l)
		pkgs = append(pkgs, p)
	}
	if len(sd.files) > 0 {
		d.files = make([]*File, 0, len(sd.files))
	}
	for i, sf := range sd.files {
		l := loc{"files", i}
		if sf == nil {
			d.warn(l.String(), "null file")
			continue
		}
		b.addFile(&File{
			ID:        sf.id,
			Name:      sf.name,
			Checksums: spdxChecksums(sf.checksums),
			rawSPDX:   raw,
			spdxIndex: i,
		}, l)
	}

	d.rels = make([]Relationship, 0, len(sd.rels))
	var described []string
	for i, r := range sd.rels {
		l := loc{"relationships", i}
		if r == nil {
			continue
		}
		if r.a.kind == spdxRefAbsent || r.b.kind == spdxRefAbsent {
			d.warn(l.String(), "relationship without spdxElementId or relatedSpdxElement left out")
			continue
		}
		rel := spdxRelationship(r)
		d.checkRef(b, l, ".spdxElementId", r.a)
		d.checkRef(b, l, ".relatedSpdxElement", r.b)
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
func (d *Document) checkRef(b *builder, l loc, field string, ref spdxRef) {
	if ref.kind != spdxRefElement || ref.s == spdxDocumentID {
		return
	}
	if !b.has(ref.s) {
		d.warn(l.sub(field), "%q names no package or file in the document", ref.s)
	}
}

// packageFromSPDX builds the model of an SPDX package.
func (d *Document) packageFromSPDX(sp *spdxPackage, l loc) *Package {
	p := &Package{
		ID:               sp.id,
		Name:             sp.name,
		Version:          sp.version,
		Purpose:          spdxPurpose(sp.purpose),
		DeclaredLicense:  d.checkLicense(l, ".licenseDeclared", licenseValue(sp.declared)),
		ConcludedLicense: d.checkLicense(l, ".licenseConcluded", licenseValue(sp.concluded)),
		Checksums:        spdxChecksums(sp.checksums),
		Supplier:         sp.supplier,
	}
	for i, r := range sp.refs {
		switch {
		case r.null:
		case strings.EqualFold(r.typ, spdxRefPURL):
			if err := addPURL(p, r.locator); err != nil {
				d.warn(l.sub(fmt.Sprintf(".externalRefs[%d]", i)), "%v", err)
			}
		case strings.EqualFold(r.typ, spdxRefCPE23), strings.EqualFold(r.typ, spdxRefCPE22):
			p.CPEs = append(p.CPEs, r.locator)
		}
	}
	if len(p.PURLs) > 0 {
		p.Ecosystem = p.PURLs[0].Type
	}
	p.Source = spdxSource(sp.sourceInfo, p.Version, p.PURLs)
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

// spdxRelationship normalizes an SPDX relationship whose ends are both
// present.
func spdxRelationship(r *spdxRelEntry) Relationship {
	a, b := r.a.s, r.b.s
	rel := Relationship{From: a, To: b, Type: RelationshipOther, Original: r.typ, Comment: r.comment}
	switch strings.ToUpper(r.typ) {
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
