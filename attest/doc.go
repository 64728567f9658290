// Package attest finds the attestations attached to a container image,
// decodes them, and verifies who signed them and what they are about.
//
// [Parse] decodes attestation content in any of its stored forms, detected by
// content: bare [in-toto statements] (v0.1 and v1, as Docker Hardened Images
// and BuildKit store them), [DSSE envelopes] and [sigstore bundles] v0.1 to
// v0.3. Statements are [intoto.Statement] values with the predicate kept raw:
// packages sbom, vex, provenance and dhi/predicate parse the types they know.
//
// [Discover] lists every attestation of an image from a [Storage] (a
// [Registry], an OCI [Layout] or an [Archive]), for each platform manifest
// and the index, through every mechanism in use: the OCI 1.1 referrers API
// and tag schema, other repositories ([WithReferrersRepository]; Docker
// keeps mirrored images' attestations in registry.scout.docker.com),
// BuildKit attestation manifests, cosign's tags and bundles, and the
// signatures on each attestation manifest. Reads are concurrent and bounded
// in size ([ErrTooLarge]); failures are [*FetchError] values.
//
// Nothing discovery returns is trusted. A [Verifier] built from a [Keyring]
// (and optionally a sigstore trusted root with keyless identities) checks
// each attestation's signatures and then the chain of trust link by link:
// signature, manifest, layer, statement, subject (the statement must name
// the image manifest it was found for) and predicate-type annotation. The
// [Result] records what was checked and what was not; a broken link is a
// [*VerificationError] naming its [Link]. Defaults fail closed, and
// verification is offline. Docker's keys and naming live in package dhi.
// [SignBundle] and [Attach] write: a statement signed into a sigstore bundle
// and stored as a referrer in the form cosign v3 writes.
//
// [WithCache] makes a [Registry] read what is addressed by digest
// (manifests, layers, signatures, configs) through a directory on disk
// (package github.com/dhisdk/dhisdk/attest/cache), and tags and referrers
// listings too when the cache has a time-to-live. Cached bytes are hashed on
// every read, so a damaged or poisoned cache costs a refetch, never content
// other than its digest names; signatures are verified on every use.
//
//	src, err := attest.Registry() // credentials from "docker login"
//	d, err := attest.Discover(ctx, src, "dhi.io/python:3.13")
//	v, err := attest.NewVerifier(keys)
//	for _, a := range d.Attestations {
//		res, err := v.Verify(a) // err != nil unless every link holds
//		...
//	}
//
// [in-toto statements]: https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md
// [DSSE envelopes]: https://github.com/secure-systems-lab/dsse/blob/master/envelope.md
// [sigstore bundles]: https://github.com/sigstore/protobuf-specs
package attest
