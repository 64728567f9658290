// Package sbom reads software bills of materials in SPDX and CycloneDX into
// one typed model, answers questions about them, compares them, and writes
// them back in either format.
//
// [Parse] (or [ParseReader]) reads [SPDX 2.2 and 2.3] and [CycloneDX 1.4,
// 1.5 and 1.6] JSON, detected by content, bare or inside an in-toto
// statement or cosign's legacy predicate wrapper; the statement is kept
// ([Document.Statement]) but nothing is verified (package attest does that).
// The [Document] it returns has the [Package] it describes, its packages,
// files and [Relationship] values normalized across formats, and each
// package's purls, licences as SPDX expressions and [Source] package.
// Fields the model does not type stay reachable through [Document.SPDX] and
// [Document.CycloneDX].
//
// Lookups by purl ([Document.ByPURL], at a chosen [Precision]), by source
// package, name, ecosystem and licence, and [Document.Path] are map
// accesses. [Compare] diffs two documents; [Document.WriteSPDX] and
// [Document.WriteCycloneDX] write SPDX 2.3 and CycloneDX 1.6. Input over
// [DefaultMaxSize] fails with [ErrTooLarge], input that does not decode
// with [ErrInvalid]; flaws that leave the document usable are a [Warning]
// each, or an error under [WithStrict].
//
//	doc, err := sbom.Parse(b)
//	if err != nil {
//		return err
//	}
//	for _, p := range doc.ByName("openssl") {
//		fmt.Println(p.Name, p.Version, p.Licenses())
//	}
//
// [SPDX 2.2 and 2.3]: https://spdx.github.io/spdx-spec/v2.3/
// [CycloneDX 1.4, 1.5 and 1.6]: https://cyclonedx.org/specification/overview/
package sbom
