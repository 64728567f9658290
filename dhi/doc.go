// Package dhi holds the conventions of Docker Hardened Images (DHI): the
// predicate types of their attestations and typed readers for the
// DHI-specific and Docker Scout predicates, and the rules that map a DHI
// repository name to the place its attestations live.
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
//     [ParseFindings] reads either into one list of [Finding].
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
