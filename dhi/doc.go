// Package dhi is the SDK's facade for Docker Hardened Images (DHI): it opens
// an image, finds and verifies every attestation of each platform, and
// joins the verified ones into one model that answers what users ask: which
// packages are inside, which vulnerabilities remain after VEX, who built it
// from what, its FIPS and STIG evidence, its test, secret and virus scan
// results, and where it stands in its lifecycle. It also holds DHI's
// conventions: Docker's signing keys, the kinds of DHI attestations, and
// the rules that map a DHI repository name to the place its
// attestations live.
//
// # Opening an image
//
// [Open] reads an image from a registry (with the credentials of "docker
// login"), an OCI layout or an OCI archive ([WithSource]), through
// package github.com/dhisdk/dhisdk/attest: discovery on each platform
// manifest, then verification of each attestation with Docker's DHI keys
// ([Keys]: dhi-2 active, dhi-1 retired) unless [WithKeys], [WithKeyring] or
// [WithVerifier] say otherwise. The result, an [Image], lists each
// [Platform] with its [Attestation] values, verified or not, with the
// reason. Only verified attestations feed the model, unless
// [WithUnverifiedUnsafe].
//
// A [Platform] parses what it is asked for, once: [Platform.Packages] (the
// union of its SPDX and CycloneDX SBOMs, with [Platform.SBOMDisagreements]),
// [Platform.FindPackages], [Platform.Licenses], [Platform.Vulnerabilities]
// and [Platform.Exploitable] (scan findings with the VEX status decided over
// every VEX attestation and the documents of [WithAdvisories]),
// [Platform.Provenance], [Platform.VSA], [Platform.BaseImage],
// [Platform.FIPS], [Platform.STIG], [Platform.Tests], [Platform.Secrets],
// [Platform.VirusScan] and [Platform.Lifecycle] (from the DHI labels);
// [Image.CheckUpdate] tells whether the tag has moved to a newer image.
// [Image.Report] builds the whole model in a stable JSON shape ([Report]);
// [Compare] diffs two platforms; [Image.Export] writes the image's
// metadata to an OCI layout for offline use. Queries that find no verified
// attestation of their kind fail with [ErrNoAttestation].
//
// # Predicate types
//
// [KindOf] maps a predicate type URI to a [Kind]: a standard SBOM, VEX,
// SLSA provenance or verification summary, or one of the DHI and Docker
// Scout predicates. The set of predicate types is open: DHI adds types over
// time and image definitions may declare their own, so an unknown type is
// [KindUnknown], never an error. [PredicateTypes] lists the known URIs of
// chosen kinds. The standard documents themselves are read by packages
// github.com/dhisdk/dhisdk/sbom, github.com/dhisdk/dhisdk/vex and
// github.com/dhisdk/dhisdk/provenance.
//
// # Predicates
//
// The DHI and Docker Scout predicates (FIPS, STIG, vulnerability scans,
// tests, secrets, virus scans, image sources) are read by package
// github.com/dhisdk/dhisdk/dhi/predicate, which uses the standard library
// only; [Platform.FIPS] and the other queries call it on verified
// attestations. [SourceReference] resolves an image sources predicate to
// the image it names.
//
// # Names
//
// DHI images have lived in three places, and their attestations in two:
//
//   - dhi.io/<name>, since December 2025, serves images and attestations
//     (as OCI referrers) in the same repository.
//   - docker.io/dhi/<name> (the 2025 catalog) and docker.io/<org>/dhi-<name>
//     (mirrors) keep their attestations in registry.scout.docker.com under
//     the same path.
//   - Copies in other registries carry their referrers with them.
//
// [ClassifyRepository] and [IsDHI] recognize these names,
// [ReferrersRepository] says where the attestations of a repository live
// when not in the repository itself, and [ScoutRepository] gives the
// registry.scout.docker.com name that DHI signatures carry. [ParseTag]
// takes a tag such as 3.13.15-debian13-fips-dev apart. These functions take
// github.com/google/go-containerregistry/pkg/name values and do no I/O.
//
// Attestations of DHI images hang on each platform's manifest digest, not
// on the image index: look them up per platform.
package dhi
