// Package sbom reads software bills of materials in SPDX and CycloneDX into
// one typed model, answers questions about them, compares them, and writes
// them back in either format.
//
// # Formats
//
// [Parse] reads [SPDX 2.2 and 2.3] JSON into [tools-golang]'s types and
// [CycloneDX 1.4, 1.5 and 1.6] JSON through [cyclonedx-go], and detects
// which by content. The document may be given bare, inside an in-toto
// statement (v0.1 or v1, the form DHI attestations take), or inside
// cosign's legacy {"Data": ..., "Timestamp": ...} predicate wrapper. DSSE
// envelopes and sigstore bundles are not accepted: opening and verifying
// them is package attest's job. Nothing is verified here, and the subject
// of a statement is recorded ([Document.Statement]) but not checked.
// Other versions (SPDX 2.1 and 3, CycloneDX 1.3 and older or 1.7) fail
// with [ErrUnsupportedVersion].
//
// # Model
//
// A [Document] has its format and spec version, creation time, the tools
// that made it, the [Package] it describes (the image: the SPDX described
// package or the CycloneDX metadata.component), its packages and files,
// and the relationships between them ([Relationship]), normalized to
// contains, depends-on and describes (anything else is kept as other, with
// the original type).
// A Package has a name, version, package URLs (parsed with
// [packageurl-go] and normalized), ecosystem, purpose, declared and
// concluded licences as SPDX license expressions, supplier, CPEs,
// checksums, and the [Source] package it was built from when the SBOM says
// so (Debian binary packages name their source through the purl upstream
// qualifier, trivy's and syft's properties or SPDX sourceInfo; DHI VEX
// statements name source packages). Fields the model does not type stay
// reachable through the library values: [Document.SPDX],
// [Document.CycloneDX], [Package.SPDX], [Package.CycloneDX].
//
// # Queries, diff, export
//
// A Document looks packages up by package URL at the [Precision] the
// caller asks ([Document.ByPURL]), by source package URL
// ([Document.BySourcePURL], [Document.SourcePURLs]), by name, ecosystem
// and licence, and gives the path from the subject to a package
// ([Document.Path]). Lookups are map accesses into tables built on first
// use; none scans the packages. [Compare] diffs two documents,
// in the same format or not. [Document.WriteSPDX] and
// [Document.WriteCycloneDX] write SPDX 2.3 and CycloneDX 1.6 JSON through
// the same libraries; written in its own format, a document keeps every
// field it had, and written in the other, every field of the model that
// the other format can hold (the writers' documentation lists the rest).
//
// # Limits and flaws
//
// Parse reads at most 64 MiB by default ([DefaultMaxSize], [WithMaxSize])
// and fails with [ErrTooLarge] beyond. Input that is not JSON, or that the
// library cannot decode, fails with [ErrInvalid] and says where. Flaws
// that leave the document usable (duplicate identifiers, relationships to
// missing elements, package URLs or licence expressions that do not parse,
// unparsable times, a statement predicate type that names the other
// format) are recorded with their JSON location as a [Warning]
// ([Document.Warnings]); [WithStrict] turns them into an error. Parse never
// panics on input, and keeps no reference to it.
//
// # What is decoded when
//
// For CycloneDX, Parse decodes the document with cyclonedx-go and builds
// the model over its values, which costs little beyond the library's own
// decode.
//
// For SPDX, Parse does not decode with tools-golang, whose decoding is
// several times slower than reading the JSON: it checks that the input is
// JSON, then reads, in one pass, the members the model uses (name,
// namespace, creation info, packages' identifiers, names, versions,
// licences, suppliers, checksums, external references, purposes and
// source info, files' identifiers, names and checksums, relationships,
// documentDescribes, hasFiles and the extracted licences' names), and
// checks the JSON type of every other member tools-golang decodes, and the
// form of its identifiers and "Type: name" values (creators, suppliers,
// ...), so that Parse fails where tools-golang would, with tools-golang's
// error; tools-golang panics on a null package, which fails Parse. The
// document's text is kept, and tools-golang decodes it (converting SPDX 2.2
// to 2.3) on the first call of [Document.SPDX], [Package.SPDX],
// [File.SPDX], [Document.ToSPDX] or [Document.WriteSPDX], once per
// document, giving exactly what tools-golang's own reader gives for the
// same bytes. A document the reader
// does not handle exactly as encoding/json would (a member that appears
// twice in an object, a member name with escapes or in another case) is
// decoded by tools-golang at once, as before.
//
// An SPDX Document holds a copy of the document's text; the strings of its
// model (identifiers, names, versions, ...) share that copy's memory, so a
// string kept from the model keeps the copy alive.
//
// [SPDX 2.2 and 2.3]: https://spdx.github.io/spdx-spec/v2.3/
// [CycloneDX 1.4, 1.5 and 1.6]: https://cyclonedx.org/specification/overview/
// [tools-golang]: https://github.com/spdx/tools-golang
// [cyclonedx-go]: https://github.com/CycloneDX/cyclonedx-go
// [packageurl-go]: https://github.com/package-url/packageurl-go
package sbom
