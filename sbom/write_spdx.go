package sbom

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx/v2/common"
	spdx "github.com/spdx/tools-golang/spdx/v2/v2_3"
)

// spdxPurposes are the SPDX 2.3 primaryPackagePurpose values, lowercased.
var spdxPurposes = map[string]bool{
	"application": true, "framework": true, "library": true, "container": true,
	"operating-system": true, "device": true, "firmware": true, "source": true,
	"archive": true, "file": true, "install": true, "other": true,
}

// spdxAlgorithms maps the model's digest algorithms to SPDX's.
var spdxAlgorithms = map[string]common.ChecksumAlgorithm{
	"sha1": common.SHA1, "sha224": common.SHA224, "sha256": common.SHA256,
	"sha384": common.SHA384, "sha512": common.SHA512, "md2": common.MD2,
	"md4": common.MD4, "md5": common.MD5, "md6": common.MD6,
	"sha3-256": common.SHA3_256, "sha3-384": common.SHA3_384, "sha3-512": common.SHA3_512,
	"blake2b-256": common.BLAKE2b_256, "blake2b-384": common.BLAKE2b_384,
	"blake2b-512": common.BLAKE2b_512, "blake3": common.BLAKE3, "adler32": common.ADLER32,
}

// WriteSPDX writes the document as SPDX 2.3 JSON through tools-golang (see
// [Document.ToSPDX]). Values tools-golang reads but cannot write back (a
// creator, supplier or originator with a type and no name) are left out.
// It fails only when w does, or when tools-golang refuses a value carried
// over from the original document.
func (d *Document) WriteSPDX(w io.Writer) error {
	doc := d.ToSPDX()
	// Without HTML escaping: tools-golang reads supplier, originator and
	// creator strings without decoding JSON escapes, so "<" written as
	// "\u003c" would come back as those six characters.
	if err := spdxjson.Write(doc, w, spdxjson.Indent("  "), spdxjson.EscapeHTML(false)); err != nil {
		return fmt.Errorf("sbom: writing SPDX: %v", err)
	}
	return nil
}

// ToSPDX returns the document as a tools-golang SPDX 2.3 document, built
// from the model: subject, packages, files, relationships, licences,
// creation time and tools. Fields the model does not type are carried over
// from the document's own SPDX value when it was read from SPDX, so that an
// SPDX document written back keeps them.
//
// From CycloneDX, these do not carry over: component fields other than the
// model's; tool vendors, and tool versions that do not start with a digit
// (SPDX writes a tool as "name-version"); fractions of a second of the
// creation time; purposes SPDX has no value for (written as OTHER);
// "provides" dependencies (written as OTHER relationships); and digest
// algorithms SPDX does not know. The serial number becomes the namespace; a
// document without one gets a namespace derived from its content, and the
// subject's name when it has no name.
//
// The result shares memory with d; the caller must not modify it.
func (d *Document) ToSPDX() *spdx.Document {
	out := &spdx.Document{}
	raw := d.SPDX()
	if raw != nil {
		*out = *raw
	}
	out.SPDXVersion = spdx.Version
	out.DataLicense = spdx.DataLicense
	out.SPDXIdentifier = "DOCUMENT"
	if d.name != "" || out.DocumentName == "" {
		out.DocumentName = d.name
	}
	if out.DocumentName == "" && d.subject != nil {
		out.DocumentName = d.subject.Name
	}
	out.DocumentNamespace = d.namespace
	if out.DocumentNamespace == "" {
		out.DocumentNamespace = d.derivedNamespace()
	}
	out.CreationInfo = d.spdxCreationInfo(raw)

	ids := newSPDXIDs()
	all := d.allPackages()
	// Reserve the identifiers the document has before making any.
	for _, p := range all {
		if p.ID != "" {
			ids.add(p.ID)
		}
	}
	for _, f := range d.files {
		if f.ID != "" {
			ids.add(f.ID)
		}
	}

	out.Packages = make([]*spdx.Package, 0, len(all))
	for _, p := range all {
		out.Packages = append(out.Packages, d.spdxPackage(p, ids.of(p.ID)))
	}
	out.Files = make([]*spdx.File, 0, len(d.files))
	for _, f := range d.files {
		out.Files = append(out.Files, spdxFile(f, ids.of(f.ID)))
	}

	out.Relationships = make([]*spdx.Relationship, 0, len(d.rels)+1)
	describes := false
	for _, r := range d.rels {
		if r.Type == RelationshipDescribes {
			describes = true
		}
		out.Relationships = append(out.Relationships, spdxRel(r, ids, d.format == FormatSPDX))
	}
	if !describes && d.subject != nil {
		out.Relationships = append(out.Relationships, &spdx.Relationship{
			RefA:         common.MakeDocElementID("", "DOCUMENT"),
			RefB:         common.MakeDocElementID("", string(ids.of(d.subject.ID))),
			Relationship: common.TypeRelationshipDescribe,
		})
	}
	out.OtherLicenses = d.spdxOtherLicenses(raw, all)
	return out
}

// allPackages returns the subject, if any, followed by the packages.
func (d *Document) allPackages() []*Package {
	if d.subject == nil {
		return d.packages
	}
	all := make([]*Package, 0, len(d.packages)+1)
	all = append(all, d.subject)
	return append(all, d.packages...)
}

// derivedNamespace makes a namespace URI for a document that has none, from
// its content, so that writing the same document twice gives the same URI.
func (d *Document) derivedNamespace() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", d.format, d.name, d.created.Format(time.RFC3339Nano))
	for _, p := range d.allPackages() {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", p.ID, p.Name, p.Version)
	}
	return "urn:sha256:" + hex.EncodeToString(h.Sum(nil))
}

// spdxCreationInfo builds the creation info: the model's time and tools,
// and the other creators and fields of the original raw, if any.
func (d *Document) spdxCreationInfo(raw *spdx.Document) *spdx.CreationInfo {
	ci := &spdx.CreationInfo{}
	var others []common.Creator
	var rawTools []Tool
	var kept []common.Creator
	if raw != nil && raw.CreationInfo != nil {
		*ci = *raw.CreationInfo
		for _, c := range ci.Creators {
			if c.Creator == "" {
				continue // tools-golang reads "Person: " but cannot write it
			}
			kept = append(kept, c)
			if strings.EqualFold(c.CreatorType, spdxToolPrefix) {
				rawTools = append(rawTools, spdxTool(c.Creator))
			} else {
				others = append(others, c)
			}
		}
	}
	// SPDX times have no fractions of a second.
	ci.Created = writeTime(ci.Created, d.created, time.RFC3339)
	if raw != nil && slices.Equal(rawTools, d.tools) {
		ci.Creators = kept
		return ci
	}
	ci.Creators = others
	for _, t := range d.tools {
		name := t.Name
		if t.Version != "" {
			name += "-" + t.Version
		}
		if name == "" {
			continue // SPDX cannot say "Tool: " with nothing after it
		}
		ci.Creators = append(ci.Creators, common.Creator{CreatorType: spdxToolPrefix, Creator: name})
	}
	return ci
}

// spdxPackage builds the SPDX package for p, over its original when it has
// one.
func (d *Document) spdxPackage(p *Package, id common.ElementID) *spdx.Package {
	sp := &spdx.Package{
		PackageDownloadLocation:   noAssertion,
		IsFilesAnalyzedTagPresent: true,
		PackageCopyrightText:      noAssertion,
	}
	var orig *Package
	if raw := p.SPDX(); raw != nil {
		*sp = *raw
		orig = d.scratch().packageFromSPDX(spdxPackageOf(raw), loc{})
	}
	sp.PackageSPDXIdentifier = id
	sp.PackageName = p.Name
	sp.PackageVersion = p.Version
	if orig == nil || orig.DeclaredLicense != p.DeclaredLicense {
		sp.PackageLicenseDeclared = orNoAssertion(p.DeclaredLicense)
	}
	if orig == nil || orig.ConcludedLicense != p.ConcludedLicense {
		sp.PackageLicenseConcluded = orNoAssertion(p.ConcludedLicense)
	}
	if orig == nil || orig.Purpose != p.Purpose {
		sp.PrimaryPackagePurpose = ""
		if p.Purpose != "" {
			pp := "OTHER"
			if spdxPurposes[p.Purpose] {
				pp = strings.ToUpper(p.Purpose)
			}
			sp.PrimaryPackagePurpose = pp
		}
	}
	// tools-golang reads "Organization: " but cannot write it back.
	if s := sp.PackageSupplier; s != nil && s.Supplier != noAssertion && (s.Supplier == "" || s.SupplierType == "") {
		sp.PackageSupplier = nil
	}
	if o := sp.PackageOriginator; o != nil && o.Originator != noAssertion && (o.Originator == "" || o.OriginatorType == "") {
		sp.PackageOriginator = nil
	}
	if orig == nil || orig.Supplier != p.Supplier {
		sp.PackageSupplier = nil
		if p.Supplier != "" {
			sp.PackageSupplier = &common.Supplier{SupplierType: "Organization", Supplier: p.Supplier}
		}
	}
	if orig == nil || !slices.Equal(orig.Checksums, p.Checksums) {
		sp.PackageChecksums = spdxChecksumsOf(p.Checksums)
	}
	if orig == nil || !slices.EqualFunc(orig.PURLs, p.PURLs, samePURL) || !slices.Equal(orig.CPEs, p.CPEs) {
		var refs []*spdx.PackageExternalReference
		for _, r := range sp.PackageExternalReferences {
			if r == nil || strings.EqualFold(r.RefType, spdxRefPURL) || strings.EqualFold(r.RefType, spdxRefCPE23) || strings.EqualFold(r.RefType, spdxRefCPE22) {
				continue
			}
			refs = append(refs, r)
		}
		for _, c := range p.CPEs {
			t := spdxRefCPE23
			if strings.HasPrefix(c, "cpe:/") {
				t = spdxRefCPE22
			}
			refs = append(refs, &spdx.PackageExternalReference{Category: common.CategorySecurity, RefType: t, Locator: c})
		}
		for _, u := range p.PURLs {
			refs = append(refs, &spdx.PackageExternalReference{Category: common.CategoryPackageManager, RefType: spdxRefPURL, Locator: u.ToString()})
		}
		sp.PackageExternalReferences = refs
	}
	// The source: keep the original sourceInfo when, with the package URLs,
	// it says what the model says; otherwise say it in trivy's form.
	if !sameSource(spdxSource(sp.PackageSourceInfo, p.Version, p.PURLs), p.Source) {
		if sourceFromSPDXInfo(sp.PackageSourceInfo) != nil {
			sp.PackageSourceInfo = ""
		}
		if p.Source != nil && !sameSource(spdxSource(sp.PackageSourceInfo, p.Version, p.PURLs), p.Source) {
			sp.PackageSourceInfo = strings.TrimSpace(spdxSourcePrefix + " " + p.Source.Name + " " + p.Source.Version)
		}
	}
	return sp
}

// spdxFile builds the SPDX file for f, over its original when it has one.
func spdxFile(f *File, id common.ElementID) *spdx.File {
	sf := &spdx.File{FileCopyrightText: noAssertion, LicenseConcluded: noAssertion}
	raw := f.SPDX()
	if raw != nil {
		*sf = *raw
	}
	sf.FileSPDXIdentifier = id
	sf.FileName = f.Name
	if raw == nil || !slices.Equal(spdxChecksums(raw.Checksums), f.Checksums) {
		sf.Checksums = spdxChecksumsOf(f.Checksums)
	}
	if sf.Checksums == nil {
		sf.Checksums = []common.Checksum{}
	}
	return sf
}

// spdxRel writes a relationship, in its original form when it was read from
// SPDX.
func spdxRel(r Relationship, ids *spdxIDs, fromSPDX bool) *spdx.Relationship {
	from, to := ids.ref(r.From), ids.ref(r.To)
	out := &spdx.Relationship{RefA: from, RefB: to, RelationshipComment: r.Comment}
	if orig := strings.ToUpper(r.Original); fromSPDX && isSPDXRelType(orig) {
		back := spdxRelationship(spdxRelOf(&spdx.Relationship{RefA: to, RefB: from, Relationship: orig}))
		if back.Type == r.Type && back.From == common.RenderDocElementID(from) {
			// The original type points the other way (DEPENDENCY_OF,
			// CONTAINED_BY, DESCRIBED_BY).
			out.RefA, out.RefB = to, from
		}
		out.Relationship = orig
		return out
	}
	switch r.Type {
	case RelationshipContains:
		out.Relationship = common.TypeRelationshipContains
	case RelationshipDependsOn:
		out.Relationship = common.TypeRelationshipDependsOn
	case RelationshipDescribes:
		out.Relationship = common.TypeRelationshipDescribe
	default:
		out.Relationship = "OTHER"
		if r.Original != "" && out.RelationshipComment == "" {
			out.RelationshipComment = r.Original
		}
	}
	return out
}

// isSPDXRelType reports whether s looks like an SPDX relationshipType:
// upper-case letters and underscores.
func isSPDXRelType(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c == '_') {
			return false
		}
	}
	return s != ""
}

// spdxOtherLicenses returns the extracted licences of the original raw, if
// any, plus one for each LicenseRef- the packages use that has none.
func (d *Document) spdxOtherLicenses(raw *spdx.Document, all []*Package) []*spdx.OtherLicense {
	var out []*spdx.OtherLicense
	have := map[string]bool{}
	if raw != nil {
		for _, ol := range raw.OtherLicenses {
			if ol != nil {
				out = append(out, ol)
				have[ol.LicenseIdentifier] = true
			}
		}
	}
	for _, p := range all {
		for _, id := range p.Licenses() {
			if _, ok := cutPrefixFold(id, licenseRefPrefix); !ok || have[id] {
				continue
			}
			have[id] = true
			out = append(out, &spdx.OtherLicense{LicenseIdentifier: id, ExtractedText: noAssertion, LicenseName: d.LicenseName(id)})
		}
	}
	return out
}

// spdxChecksumsOf converts the model's checksums, leaving out algorithms SPDX
// does not know.
func spdxChecksumsOf(cs []Checksum) []common.Checksum {
	var out []common.Checksum
	for _, c := range cs {
		if a, ok := spdxAlgorithms[c.Algorithm]; ok {
			out = append(out, common.Checksum{Algorithm: a, Value: c.Value})
		}
	}
	return out
}

// writeTime returns the time to write: the original text when it says t (or
// t is zero: then the original did not parse, and is kept as it was), else t
// in layout, in UTC.
func writeTime(orig string, t time.Time, layout string) string {
	if t.IsZero() {
		return orig
	}
	if o, err := time.Parse(time.RFC3339, orig); err == nil && o.Equal(t) {
		return orig
	}
	return t.UTC().Format(layout)
}

func orNoAssertion(s string) string {
	if s == "" {
		return noAssertion
	}
	return s
}

// spdxIDs maps model identifiers to SPDX element identifiers.
type spdxIDs struct {
	m    map[string]common.ElementID
	used map[common.ElementID]bool
}

func newSPDXIDs() *spdxIDs {
	return &spdxIDs{m: map[string]common.ElementID{}, used: map[common.ElementID]bool{}}
}

// add assigns an SPDX identifier to a model identifier: the identifier
// itself when it is an SPDXRef- idstring, else one made from it. An empty
// identifier gets a new SPDX identifier at each call.
func (s *spdxIDs) add(id string) common.ElementID {
	if e, ok := s.m[id]; ok && id != "" {
		return e
	}
	base := spdxIDString(strings.TrimPrefix(id, spdxRefPrefix))
	e := common.ElementID(base)
	for n := 2; s.used[e]; n++ {
		e = common.ElementID(fmt.Sprintf("%s-%d", base, n))
	}
	s.used[e] = true
	if id != "" {
		s.m[id] = e
	}
	return e
}

func (s *spdxIDs) of(id string) common.ElementID { return s.add(id) }

// ref returns the SPDX reference for a relationship end: special values
// and references into other documents as they are, model identifiers
// mapped.
func (s *spdxIDs) ref(id string) common.DocElementID {
	switch {
	case id == none || id == noAssertion:
		return common.MakeDocElementSpecial(id)
	case id == spdxDocumentID:
		return common.MakeDocElementID("", "DOCUMENT")
	case strings.HasPrefix(id, "DocumentRef-"):
		doc, elt, _ := strings.Cut(strings.TrimPrefix(id, "DocumentRef-"), ":")
		return common.MakeDocElementID(doc, strings.TrimPrefix(elt, spdxRefPrefix))
	}
	return common.MakeDocElementID("", string(s.add(id)))
}

// spdxIDString makes an SPDX idstring ([A-Za-z0-9.-]+) from s.
func spdxIDString(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			b[i] = '-'
		}
	}
	if len(b) == 0 {
		return "Package"
	}
	return string(b)
}
