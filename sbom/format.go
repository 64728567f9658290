package sbom

// Format is the format an SBOM was read from.
type Format string

const (
	// FormatSPDX is SPDX 2.x JSON.
	FormatSPDX Format = "spdx"
	// FormatCycloneDX is CycloneDX JSON.
	FormatCycloneDX Format = "cyclonedx"
)

// Formats returns every [Format].
func Formats() []Format { return []Format{FormatSPDX, FormatCycloneDX} }

// Valid reports whether f is one of [Formats].
func (f Format) Valid() bool { return f == FormatSPDX || f == FormatCycloneDX }

// Predicate types of in-toto statements that carry SBOMs.
const (
	// PredicateTypeSPDX is the predicate type of an SPDX document in an
	// in-toto statement.
	PredicateTypeSPDX = "https://spdx.dev/Document"
	// PredicateTypeCycloneDX is the unversioned predicate type of a
	// CycloneDX document in an in-toto statement; versioned forms such as
	// "https://cyclonedx.org/bom/v1.6" extend it.
	PredicateTypeCycloneDX = "https://cyclonedx.org/bom"
)

// Precision says which parts of a package URL a lookup compares.
type Precision string

const (
	// PrecisionName compares type, namespace and name: any version, any
	// qualifiers.
	PrecisionName Precision = "name"
	// PrecisionVersion compares type, namespace, name and version (for deb
	// and rpm, an epoch qualifier counts as part of the version).
	PrecisionVersion Precision = "version"
	// PrecisionQualifiers compares type, namespace, name, version and the
	// qualifiers that identify a package rather than say where it came
	// from: the distribution release (os_name, os_version, os_distro and
	// distro, normalized so that os_name=debian&os_version=13 equals
	// distro=debian-13), arch, classifier, type and platform. Other
	// qualifiers (upstream, repository_url, package-id, ...) are ignored.
	PrecisionQualifiers Precision = "qualifiers"
)

// Precisions returns every [Precision], from the loosest to the strictest.
func Precisions() []Precision {
	return []Precision{PrecisionName, PrecisionVersion, PrecisionQualifiers}
}

// Valid reports whether p is one of [Precisions].
func (p Precision) Valid() bool {
	return p == PrecisionName || p == PrecisionVersion || p == PrecisionQualifiers
}

// RelationshipType is the kind of a [Relationship], normalized over the
// formats.
type RelationshipType string

const (
	// RelationshipContains says that From contains To: SPDX CONTAINS (and
	// CONTAINED_BY, reversed), CycloneDX component nesting, and the subject
	// of a CycloneDX BOM containing its top-level components.
	RelationshipContains RelationshipType = "contains"
	// RelationshipDependsOn says that From depends on To: SPDX DEPENDS_ON
	// (and DEPENDENCY_OF, reversed), CycloneDX dependencies.
	RelationshipDependsOn RelationshipType = "depends-on"
	// RelationshipDescribes says that the document From describes To: SPDX
	// DESCRIBES (and DESCRIBED_BY, reversed).
	RelationshipDescribes RelationshipType = "describes"
	// RelationshipOther is any other relationship; [Relationship.Original]
	// says which.
	RelationshipOther RelationshipType = "other"
)

// RelationshipTypes returns every [RelationshipType].
func RelationshipTypes() []RelationshipType {
	return []RelationshipType{RelationshipContains, RelationshipDependsOn, RelationshipDescribes, RelationshipOther}
}

// Valid reports whether t is one of [RelationshipTypes].
func (t RelationshipType) Valid() bool {
	switch t {
	case RelationshipContains, RelationshipDependsOn, RelationshipDescribes, RelationshipOther:
		return true
	}
	return false
}
