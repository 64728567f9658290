package sbom

import (
	"sync"
	"time"

	cyclonedx "github.com/CycloneDX/cyclonedx-go"
	"github.com/dhisdk/dhisdk/attest/intoto"
	spdx "github.com/spdx/tools-golang/spdx/v2/v2_3"
)

// Document is one SBOM, read from SPDX or CycloneDX: what it is about, who
// made it and when, its packages and files, and the relationships between
// them.
//
// A Document is built by [Parse] and is safe for concurrent use by readers.
// Its lookups ([Document.ByPURL], [Document.ByName], [Document.Path], ...)
// are map accesses into tables that the first lookup of each kind builds,
// once, in time linear in the number of packages; no lookup scans the
// packages. Changing a [Package] is seen by the writers
// ([Document.WriteSPDX], [Document.WriteCycloneDX]) but not by lookups
// whose tables exist already.
type Document struct {
	format      Format
	specVersion string
	name        string
	namespace   string
	created     time.Time
	tools       []Tool
	subject     *Package
	packages    []*Package
	files       []*File
	rels        []Relationship
	statement   *intoto.Statement
	warnings    []Warning
	// licenseNames maps a LicenseRef- identifier to the licence name the
	// document gives it.
	licenseNames map[string]string
	// licenseRefs maps a CycloneDX licence name to the LicenseRef-
	// identifier made for it.
	licenseRefs map[string]string
	// frozen is set on the scratch documents the writers use to re-read a
	// package: they look licence names up but add none.
	frozen bool

	rawSPDX *spdxRaw // nil for CycloneDX
	rawCDX  *cyclonedx.BOM

	idx   index
	query queryIndex
	path  pathIndex
}

// pathIndex holds the breadth-first trees from the subject, built on first
// use: over depends-on relationships, and over depends-on and contains.
type pathIndex struct {
	once sync.Once
	deps map[string]string
	all  map[string]string
}

// Format returns the format the document was read from.
func (d *Document) Format() Format { return d.format }

// SpecVersion returns the version of the format's specification the document
// declares, without prefix: "2.3" for SPDX-2.3, "1.6" for CycloneDX 1.6.
func (d *Document) SpecVersion() string { return d.specVersion }

// Name returns the SPDX document name; CycloneDX has no document name and
// gives "".
func (d *Document) Name() string { return d.name }

// Namespace returns the document's unique identifier: the SPDX
// documentNamespace or the CycloneDX serialNumber ("urn:uuid:..."); "" when
// absent.
func (d *Document) Namespace() string { return d.namespace }

// Created returns when the document was made (SPDX creationInfo.created,
// CycloneDX metadata.timestamp), or the zero time when it does not say or
// says it in a form that does not parse (then a [Warning] is recorded).
func (d *Document) Created() time.Time { return d.created }

// Tools returns the tools that made the document (SPDX "Tool:" creators,
// CycloneDX metadata.tools), in document order. The caller must not modify
// the returned slice.
func (d *Document) Tools() []Tool { return d.tools }

// Subject returns the package the document describes: the package an SPDX
// document DESCRIBES (the first, when it describes several), or the
// CycloneDX metadata.component. It is nil when the document names none. The
// subject is not part of [Document.Packages], but the lookups find it.
func (d *Document) Subject() *Package { return d.subject }

// Packages returns the document's packages other than the subject, in
// document order (CycloneDX nested components follow their parent). The
// caller must not modify the returned slice.
func (d *Document) Packages() []*Package { return d.packages }

// Files returns the document's files: SPDX files and CycloneDX components of
// type "file", in document order. The caller must not modify the returned
// slice.
func (d *Document) Files() []*File { return d.files }

// Relationships returns the relationships between the document's elements,
// normalized so that contains and depends-on always point from the container
// or dependent to the contained or dependency. The caller must not modify
// the returned slice.
func (d *Document) Relationships() []Relationship { return d.rels }

// Statement returns the in-toto statement the document was wrapped in, or
// nil when it was given bare: its type, predicate type (such as
// [PredicateTypeSPDX]) and subjects. The predicate itself is the document and
// is not kept in the statement. Nothing about the statement is verified here.
func (d *Document) Statement() *intoto.Statement { return d.statement }

// Warnings returns what [Parse] found wrong in the document without failing:
// duplicate identifiers, relationships to missing elements, package URLs
// that do not parse, and the like. The caller must not modify the returned
// slice.
func (d *Document) Warnings() []Warning { return d.warnings }

// LicenseName returns the name the document gives a licence identifier: for
// a LicenseRef- identifier, the name in the SPDX hasExtractedLicensingInfos
// or the CycloneDX licence name it was made from, else the identifier
// without its "LicenseRef-" prefix; any other identifier is returned as is.
// LicenseRef- identifiers are local to a document; compare licences across
// documents by name.
func (d *Document) LicenseName(id string) string {
	if n, ok := d.licenseNames[id]; ok {
		return n
	}
	if rest, ok := cutPrefixFold(id, licenseRefPrefix); ok {
		return rest
	}
	return id
}

// SPDX returns the document as decoded by tools-golang (SPDX 2.2 converted to
// 2.3), holding every field the document has, or nil for a CycloneDX
// document. [Parse] reads only what the model needs; tools-golang decodes
// the document on the first call of SPDX, [Package.SPDX], [File.SPDX] or
// the SPDX writers, once, which costs several times what Parse did. The
// caller must not modify the result.
func (d *Document) SPDX() *spdx.Document {
	if d.rawSPDX == nil {
		return nil
	}
	return d.rawSPDX.document()
}

// CycloneDX returns the document as decoded by cyclonedx-go, holding every
// field the document has, or nil for an SPDX document. The caller must not
// modify it.
func (d *Document) CycloneDX() *cyclonedx.BOM { return d.rawCDX }

// Element returns the package (the subject included) or file with the given
// identifier (SPDXID or bom-ref). When the document repeats an identifier,
// the first element with it wins.
func (d *Document) Element(id string) (*Package, *File) {
	if p, ok := d.idx.byID[id]; ok {
		return p, nil
	}
	if f, ok := d.idx.fileByID[id]; ok {
		return nil, f
	}
	return nil, nil
}

// Tool is a tool that made a document.
type Tool struct {
	// Vendor is who makes the tool (CycloneDX vendor, group, author or
	// manufacturer); "" when not stated. SPDX does not name vendors.
	Vendor string
	// Name is the tool's name, e.g. "syft".
	Name string
	// Version is the tool's version; "" when not stated. SPDX writes tools
	// as "name-version"; the version is the part after the last "-" when it
	// starts with a digit.
	Version string
}

// Warning is a flaw [Parse] found in a document and did not fail on.
type Warning struct {
	// Where is the JSON location in the document, e.g.
	// "packages[3].externalRefs[1]" or "dependencies[0].dependsOn[2]";
	// locations inside a statement are relative to the SBOM it carries.
	Where string
	// Message says what is wrong.
	Message string
}

// String returns "where: message".
func (w Warning) String() string {
	if w.Where == "" {
		return w.Message
	}
	return w.Where + ": " + w.Message
}

// File is a file an SBOM lists: an SPDX file or a CycloneDX component of
// type "file".
type File struct {
	// ID is the file's SPDXID (with its "SPDXRef-" prefix) or bom-ref.
	ID string
	// Name is the file's path or name.
	Name string
	// Checksums are the file's digests.
	Checksums []Checksum

	rawSPDX   *spdxRaw // the document, when read from SPDX
	spdxIndex int      // the file's index in the document's files
	rawCDX    *cyclonedx.Component
}

// SPDX returns the file as decoded by tools-golang, or nil when it was not
// read from SPDX. The first call of SPDX on any file or package of a
// document decodes the whole document (see [Document.SPDX]). The caller
// must not modify the result.
func (f *File) SPDX() *spdx.File {
	if f.rawSPDX == nil {
		return nil
	}
	if doc := f.rawSPDX.document(); doc != nil && f.spdxIndex < len(doc.Files) {
		return doc.Files[f.spdxIndex]
	}
	return nil
}

// CycloneDX returns the component as decoded by cyclonedx-go, or nil when it
// was not read from CycloneDX. The caller must not modify it.
func (f *File) CycloneDX() *cyclonedx.Component { return f.rawCDX }

// Checksum is a digest of a package or file.
type Checksum struct {
	// Algorithm is the digest algorithm in lowercase, without separators
	// other than the one before a size: "sha1", "sha256", "sha512", "md5",
	// "sha3-256", "blake2b-256", "blake3".
	Algorithm string
	// Value is the digest in lowercase hex.
	Value string
}

// Relationship is a relationship between two elements of a document.
type Relationship struct {
	// From is the identifier of the element the relationship starts at
	// (the container, the dependent, the describing document).
	From string
	// To is the identifier of the element it points to. In SPDX it may
	// also be "NONE", "NOASSERTION" or an element of another document
	// ("DocumentRef-x:SPDXRef-y").
	To string
	// Type is the normalized kind of relationship.
	Type RelationshipType
	// Original is the relationship as the format wrote it: the SPDX
	// relationshipType ("DEPENDENCY_OF"), or for CycloneDX "dependsOn",
	// "provides" or "components" (nesting).
	Original string
	// Comment is the SPDX relationship comment; "" for CycloneDX.
	Comment string
}
