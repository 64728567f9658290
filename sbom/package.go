package sbom

import (
	cyclonedx "github.com/CycloneDX/cyclonedx-go"
	packageurl "github.com/package-url/packageurl-go"
	spdx "github.com/spdx/tools-golang/spdx/v2/v2_3"
)

// Package is a software package an SBOM lists, with the fields the SPDX and
// CycloneDX formats share. Every other field the document gives stays
// reachable through [Package.SPDX] or [Package.CycloneDX].
type Package struct {
	// ID is the package's SPDXID (with its "SPDXRef-" prefix) or CycloneDX
	// bom-ref; "" for a CycloneDX component without a bom-ref.
	ID string
	// Name is the package name (SPDX name, CycloneDX name).
	Name string
	// Version is the package version (SPDX versionInfo, CycloneDX version);
	// "" when not stated.
	Version string
	// PURLs are the package's package URLs, parsed and normalized (see
	// [Package.PURL]); the first is the primary one. SPDX lists them as
	// externalRefs of type purl; CycloneDX has one purl field. Package URLs
	// that do not parse are left out and recorded as a [Warning].
	PURLs []packageurl.PackageURL
	// Ecosystem is the type of the primary package URL ("deb", "apk",
	// "npm", "golang", "dhi", ...); "" when the package has none.
	Ecosystem string
	// Purpose is what the package is, in lowercase: the CycloneDX component
	// type ("library", "application", "operating-system", "container", ...)
	// or the SPDX primaryPackagePurpose ("library", "operating-system",
	// ...); "" when not stated.
	Purpose string
	// DeclaredLicense is the licence the package's authors declare, as an
	// SPDX license expression: SPDX licenseDeclared, or the CycloneDX
	// licences acknowledged as "declared" or without acknowledgement,
	// joined with AND. It is "" when the document makes no assertion
	// (NOASSERTION or absent) and "NONE" when it says there is no licence.
	// CycloneDX licences given by name only become LicenseRef- identifiers
	// whose names [Document.LicenseName] returns.
	DeclaredLicense string
	// ConcludedLicense is the licence the SBOM's author concluded, as an
	// SPDX license expression: SPDX licenseConcluded, or the CycloneDX
	// licences acknowledged as "concluded". Empty and NONE as for
	// DeclaredLicense.
	ConcludedLicense string
	// Supplier is the name of the package's supplier (SPDX supplier without
	// its "Organization:"/"Person:" prefix, CycloneDX supplier.name); ""
	// when not stated or NOASSERTION.
	Supplier string
	// CPEs are the package's CPE names: SPDX externalRefs of type cpe23Type
	// or cpe22Type; the CycloneDX cpe field followed by any "syft:cpe23"
	// properties (syft writes the extra CPEs of a component there).
	CPEs []string
	// Checksums are the package's digests (SPDX checksums, CycloneDX
	// hashes).
	Checksums []Checksum
	// Source is the source package the package was built from, when the
	// SBOM says so; nil otherwise. See [Source] for where it is read from.
	Source *Source

	rawSPDX   *spdxRaw // the document, when read from SPDX
	spdxIndex int      // the package's index in the document's packages
	rawCDX    *cyclonedx.Component
}

// PURL returns the package's primary package URL as a string, or "" when it
// has none.
func (p *Package) PURL() string {
	if len(p.PURLs) == 0 {
		return ""
	}
	return p.PURLs[0].ToString()
}

// Licenses returns the distinct licence identifiers in the package's
// declared and concluded licences, in order of appearance, without
// NONE and NOASSERTION: "GPL-2.0-only", "LicenseRef-Expat", ... For
// an expression that does not parse, its words other than AND, OR and WITH.
func (p *Package) Licenses() []string {
	var out []string
	seen := map[string]bool{}
	for _, e := range [...]string{p.DeclaredLicense, p.ConcludedLicense} {
		for _, id := range licenseIDs(e) {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// SPDX returns the package as decoded by tools-golang, or nil when it was not
// read from SPDX. The first call of SPDX on any package or file of a
// document decodes the whole document (see [Document.SPDX]). The caller
// must not modify the result.
func (p *Package) SPDX() *spdx.Package {
	if p.rawSPDX == nil {
		return nil
	}
	if doc := p.rawSPDX.document(); doc != nil && p.spdxIndex < len(doc.Packages) {
		return doc.Packages[p.spdxIndex]
	}
	return nil
}

// CycloneDX returns the component as decoded by cyclonedx-go, or nil when it
// was not read from CycloneDX. The caller must not modify it.
func (p *Package) CycloneDX() *cyclonedx.Component { return p.rawCDX }

// Source is the source package a binary package was built from, such as
// Debian's glibc for libc6. It is read from, in this order:
//
//   - SPDX sourceInfo of the form "built package from: <name> <version>"
//     (trivy);
//   - CycloneDX properties aquasecurity:trivy:SrcName, SrcVersion,
//     SrcRelease and SrcEpoch (trivy), or syft:metadata:source and
//     syft:metadata:sourceVersion (syft);
//   - a CycloneDX external reference of type source-distribution whose URL
//     is a package URL (syft, CycloneDX 1.6);
//   - the "upstream" qualifier of the package URL, "name" or
//     "name@version" (syft).
//
// When the SBOM names the source without a version, the source version is
// the package's version (syft leaves it out when they are equal).
type Source struct {
	// Name is the source package's name.
	Name string
	// Version is the source package's version; for deb it carries the epoch
	// as "epoch:version-revision" when the SBOM gives one.
	Version string
	// PURL is the source package's package URL, derived from the binary's
	// primary package URL: the same type and namespace, the source name and
	// version, and the binary's qualifiers other than arch, upstream, epoch,
	// package-id and those naming files or download locations. Its Type is
	// "" when the package has no package URL.
	PURL packageurl.PackageURL
}
