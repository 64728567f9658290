// Package attest finds the attestations attached to a container image,
// decodes them, and verifies who signed them and what they are about.
//
// # Content
//
// [Parse] decodes attestation content in any of the forms it is stored in,
// detected by content rather than by labels: bare [in-toto statements] (v0.1
// and v1; Docker Hardened Images and BuildKit store these), [DSSE envelopes]
// (cosign's legacy .att tags, docker/attest) and [sigstore bundles] v0.1 to
// v0.3 (cosign v3), decoded with sigstore-go. Predicates are kept as raw
// JSON: packages sbom, vex, provenance and dhi parse the types they know, and
// unknown types are never an error. [Statement.Document] also removes
// cosign's legacy {"Data": ..., "Timestamp": ...} predicate wrapper.
//
// # Discovery
//
// [Discover] lists every attestation of an image, for each platform manifest
// of an index (where Docker Hardened Images attach them) and for the index
// itself, through every mechanism in use:
//
//   - the OCI 1.1 referrers API, checking artifact types on the manifests
//     themselves, since registries misreport them and ignore filters;
//   - the OCI 1.1 referrers tag schema (an index tagged sha256-<hex>);
//   - repositories other than the image's ([WithReferrersRepository]), as
//     Docker keeps the attestations of mirrored images in
//     registry.scout.docker.com;
//   - BuildKit attestation manifests inside the index;
//   - cosign's legacy sha256-<hex>.att and .sig tags, and cosign v3 bundle
//     referrers;
//   - the signatures attached to each attestation manifest: cosign
//     simple-signing referrers (Docker's way of signing DHI attestations)
//     and .sig tags, and sigstore bundles.
//
// What several mechanisms find is listed once, with every [Location], in a
// deterministic order. Storage is a [Source]: a registry ([Registry], through
// go-containerregistry's authenticated transport and the caller's keychain,
// "docker login" by default), an OCI image layout ([Layout], [LayoutFS]) or
// an OCI archive ([Archive]). Every call takes a context; requests run
// concurrently ([WithConcurrency]); every manifest and blob is read within a
// size limit ([WithMaxManifestSize], [WithMaxBlobSize]) and checked against
// its digest. Failures are [*FetchError] values naming the operation,
// repository, digest and mechanism; a registry without the referrers API is
// not a failure.
//
// # Verification
//
// Nothing discovery returns is trusted. A [Verifier] holds the trust policy:
// a [Keyring] of public keys (ECDSA P-256 and P-384, Ed25519, RSA; each with
// an ID, the hex sha256 of its DER SubjectPublicKeyInfo, a status and an
// optional validity window), optionally a sigstore trusted root with
// keyless identities, and whether transparency-log entries and signed
// timestamps are required. [Verifier.Verify] verifies one discovered
// attestation by every signature it has (simple-signing signatures on its
// manifest, DSSE signatures in DER or raw r||s form, sigstore bundles with
// their transparency-log entries and RFC 3161 timestamps, through
// sigstore-go), then checks the chain of trust link by link: signature ->
// attestation manifest digest -> layer digest -> statement -> statement
// subject equals the image manifest the attestation was found for ->
// predicate-type annotation. An attestation about another image is rejected
// however valid its signature.
//
// Every verification returns a [Result] that records which links and checks
// passed, which key or identity signed, and what was not checked (no
// transparency-log entry, no timestamp, a retired key, a key window that no
// trusted time could be checked against). Failures are [*VerificationError]
// values naming the broken [Link]. Defaults fail closed: with no trusted key
// or identity nothing verifies, and unsigned content never does.
// Verification is offline: it needs no network and takes no context.
//
// # Writing
//
// [SignBundle] signs an in-toto statement with a caller's key (any
// sigstore signature.Signer) as a DSSE envelope in a sigstore bundle v0.3,
// and [Attach] stores the bundle as an OCI 1.1 referrer of an image
// manifest in the form cosign v3 writes, updating the referrers tag schema
// where the registry has no referrers API; [AttachLayout] does the same in
// an OCI image layout. What they write, [Discover] finds and cosign
// verify-attestation verifies.
//
// Package attest is vendor-neutral: Docker's keys and naming conventions
// live in package dhi.
//
// [in-toto statements]: https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md
// [DSSE envelopes]: https://github.com/secure-systems-lab/dsse/blob/master/envelope.md
// [sigstore bundles]: https://github.com/sigstore/protobuf-specs
package attest
