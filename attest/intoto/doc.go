// Package intoto is the SDK's one vocabulary for [in-toto attestation]
// statements: [Statement], [Subject] and [DigestSet], the statement types
// [StatementTypeV01] and [StatementTypeV1], and the decoding that every
// reader of attestations shares.
//
// [Decode] reads a statement and leaves its predicate as raw bytes, located
// by [Members] in one pass without decoding it (attestation layers reach
// several megabytes). [Open] returns the document a statement carries with
// cosign's legacy {"Data": ..., "Timestamp": ...} wrapper removed
// ([UnwrapLegacy]), or the input itself when it is not a statement.
//
// The package uses the standard library only, so the leaf packages (sbom,
// vex, provenance, dhi/predicate) share these types without linking a
// registry client or a signature library. Nothing here verifies anything:
// package attest checks signatures and subjects.
//
//	st, doc, err := intoto.Open(b)
//	if err != nil {
//		return err
//	}
//	if st != nil && !st.HasSubject("sha256:9e9a...") {
//		return errors.New("statement is about another artifact")
//	}
//	_ = doc // the predicate, ready for its parser
//
// [in-toto attestation]: https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md
package intoto
