// Package dhi is the SDK's facade for Docker Hardened Images (DHI): it opens
// an image, finds and verifies every attestation of each platform, and
// joins the verified ones into one model that answers what users ask: which
// packages are inside, which vulnerabilities remain after VEX, who built it
// from what, its FIPS and STIG evidence, its test, secret and virus scan
// results, and where it stands in its lifecycle. It also holds DHI's
// conventions: Docker's signing keys, the predicate types of DHI
// attestations with typed readers for the DHI-specific and Docker Scout
// predicates, and the rules that map a DHI repository name to the place its
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
// Each reader takes the bare predicate (the "predicate" member of an
// in-toto statement, already taken out of its statement and envelope) and
// returns a typed value:
//
//   - [ParseFIPS]: the FIPS validated modules ([PredicateTypeFIPS]).
//   - [ParseSTIG]: OpenSCAP STIG results per profile, with the HTML and
//     XCCDF reports decoded on demand ([PredicateTypeSTIG]).
//   - [ParseScoutVulnerabilities] and [ParseInTotoVulns]: vulnerability
//     reports in Docker Scout's format and in-toto's (v0.1 and v0.2);
//     [ParseFindings] reads either into one list of [vuln.Finding].
//   - [ParseTests], [ParseSecrets], [ParseVirusScan]: Docker Scout's test
//     record, secrets scan and virus scan, each with the figure DHI's
//     policies check (failed tests, secrets found, infected files).
//   - [ParseScoutSBOM], [ParseScoutProvenance], [ParseHealthScore]: Docker
//     Scout's SBOM, provenance and health score.
//   - [ParseImageSource]: the link to an image of the source materials.
//
// Docker documents these shapes only in part (its DHI documentation and
// the Rego policies of github.com/docker-hardened-images/policies); each
// type says what is typed and from where. Fields that are not typed stay
// reachable: every value keeps the whole predicate in Raw, and the items
// of lists keep their own JSON object. Missing optional fields are
// tolerated; a predicate of the wrong JSON type, a malformed field, or a
// missing field that the type cannot do without gives a [*PredicateError]
// that names the predicate type and the problem and wraps
// [ErrInvalidPredicate].
//
// Readers are pure functions over bytes: no network, no files, no state.
// Nothing here verifies a signature or checks that an attestation is about
// the image at hand; package github.com/dhisdk/dhisdk/attest does both.
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
