// Package dhisdk is a Go SDK for the supply-chain metadata of Docker Hardened
// Images (DHI): it finds every attestation attached to an image, proves who
// signed it and what it is about, parses each kind into typed Go values, and
// joins them into one model that other programs embed.
//
// This package holds no code; it is the tour. The SDK is a set of small
// packages:
//
//   - [github.com/dhisdk/dhisdk/attest]: in-toto statements (v0.1 and v1),
//     DSSE envelopes, sigstore bundles and cosign signatures; discovery of
//     every attestation of an image in a registry, an OCI layout or an OCI
//     archive (OCI 1.1 referrers API and tag schema, external referrers
//     repositories, BuildKit attestation manifests, cosign's tags and
//     bundles); keyrings, verification and the chain of trust from a
//     signature to the image digest.
//   - [github.com/dhisdk/dhisdk/attest/intoto]: the in-toto statement,
//     subject and digest set that every package shares.
//   - [github.com/dhisdk/dhisdk/attest/cache]: an on-disk cache, shaped as
//     an OCI layout, of the content a registry serves by digest, re-hashed
//     on every read (attest.WithCache).
//   - [github.com/dhisdk/dhisdk/sbom]: one SBOM model over SPDX 2.3 and
//     CycloneDX 1.4 to 1.6.
//   - [github.com/dhisdk/dhisdk/vex]: OpenVEX documents merged into one index
//     that decides a status per vulnerability, product and component.
//   - [github.com/dhisdk/dhisdk/vex/csaf]: CSAF 2.0 VEX documents read into
//     the same index.
//   - [github.com/dhisdk/dhisdk/provenance]: SLSA provenance v0.2 and v1 and
//     SLSA verification summaries in one normalized view, with policy checks.
//   - [github.com/dhisdk/dhisdk/dhi]: the facade and the DHI conventions
//     (dhi.io and registry.scout.docker.com naming, Docker's signing keys).
//   - [github.com/dhisdk/dhisdk/dhi/predicate]: the DHI and Scout predicates
//     (FIPS, STIG, scans, tests, secrets, virus scans), producing
//     [github.com/dhisdk/dhisdk/dhi/vuln] findings.
//
// Packages attest/intoto, sbom, vex, provenance, dhi/predicate and dhi/vuln
// are leaves: they parse bytes and import
// neither a registry client nor a signature library, so programs that only
// read documents stay small.
//
// # Quick start
//
// Find and verify the attestations of an image:
//
//	src, err := attest.Registry() // credentials from "docker login"
//	d, err := attest.Discover(ctx, src, "dhi.io/python:3.13")
//	keys, err := attest.LoadKeyring(os.DirFS("."), "keys")
//	v, err := attest.NewVerifier(keys)
//	for _, a := range d.Attestations {
//		res, err := v.Verify(a) // err != nil unless every link holds
//		...
//	}
package dhisdk
