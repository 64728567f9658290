// Package provenance reads SLSA build provenance and SLSA verification
// summaries into one normalized view, so that a program asks the same
// questions of any version: who built this, from what source and inputs,
// and did a verifier pass it.
//
// [Parse] reads [SLSA provenance v1] ([PredicateTypeV1]), [SLSA provenance
// v0.2] ([PredicateTypeV02]), v0.1 ([PredicateTypeV01]) and the [SLSA VSA
// v1] ([PredicateTypeVSAV1]), bare or inside an in-toto statement of either
// version; [ParsePredicate] reads a predicate already taken out of its
// statement. A [Provenance] gives the builder, build type, times, the
// [Source] (repository, commit, ref), every input, and the container images
// among them ([Image]: for an image built FROM a Docker Hardened Image, the
// base); BuildKit's and GitHub Actions' own fields are typed in [BuildKit]
// and [GitHubWorkflow]. A [VerificationSummary] gives the verifier, the
// result and the verified levels.
//
// [Provenance.CheckPolicy] and [VerificationSummary.CheckPolicy] compare a
// document with a [BuildPolicy] or [VSAPolicy] and return a [*PolicyError]
// listing every [Mismatch]. Nothing here verifies a signature or checks a
// statement's subject: package attest does both. Parsing is pure.
//
//	st, err := provenance.Parse(b)
//	if err != nil {
//		return err
//	}
//	if p := st.Provenance; p != nil {
//		fmt.Println(p.Builder.ID, p.Source.Repository, p.Source.Commit)
//	}
//
// [SLSA provenance v1]: https://slsa.dev/spec/v1.1/provenance
// [SLSA provenance v0.2]: https://slsa.dev/spec/v0.2/provenance
// [SLSA VSA v1]: https://slsa.dev/spec/v1.0/verification_summary
package provenance
