// Package provenance reads SLSA build provenance and SLSA verification
// summaries into one normalized view, so that a program can ask the same
// questions of any version: who built this, from what source, from which
// inputs, and did a verifier pass it.
//
// [Parse] reads:
//
//   - [SLSA provenance v1] (predicate type [PredicateTypeV1]), as written by
//     BuildKit (mode=min and mode=max), slsa-github-generator and GitHub's
//     own build type;
//   - [SLSA provenance v0.2] ([PredicateTypeV02]), as written by BuildKit and
//     slsa-github-generator, and the v0.2 provenance of Docker Hardened
//     Images, which lists every package installed as a material;
//   - SLSA provenance v0.1 ([PredicateTypeV01]), as written by Google Cloud
//     Build;
//   - [SLSA VSA v1] ([PredicateTypeVSAV1]).
//
// Each may be bare or inside an in-toto statement, v0.1 or v1, in any
// combination (generators commonly put a v1 predicate in a v0.1 statement).
// A statement's predicateType decides the version; a bare predicate's version
// is detected from its fields. DSSE envelopes, sigstore bundles and other
// containers are reported with an error that says what to take out of them.
//
// A [Provenance] gives the builder, build type, start and finish times, raw
// parameters, the [Source] (repository, commit, ref) from whichever field
// the version uses, every input with its digests, and the container images
// among the inputs as an [Image] list (reference, digest, platform, role):
// for an image built FROM a Docker Hardened Image, BuildKit's provenance
// names the base as pkg:docker/dhi.io/<name>@<tag>?digest=...&platform=....
// BuildKit's own fields (build definition, metadata, completeness) and GitHub
// Actions workflow details are typed in [BuildKit] and [GitHubWorkflow];
// everything else stays reachable as raw JSON.
//
// [Provenance.CheckPolicy] and [VerificationSummary.CheckPolicy] compare a document with
// what the caller expects ([BuildPolicy]: builder IDs, source repository and
// ref; [VSAPolicy]: verifier IDs, the resource's digest, the policy, minimum
// SLSA levels) and return a [*PolicyError] that lists every mismatch.
//
// Nothing in this package verifies a signature or checks that a statement's
// subject names the artifact at hand: package attest does both, and package
// dhi applies them to images. Parsing is pure: no network, no files.
//
// [SLSA provenance v1]: https://slsa.dev/spec/v1.1/provenance
// [SLSA provenance v0.2]: https://slsa.dev/spec/v0.2/provenance
// [SLSA VSA v1]: https://slsa.dev/spec/v1.0/verification_summary
package provenance
