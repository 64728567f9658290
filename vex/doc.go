// Package vex reads [OpenVEX] v0.2.0 documents, merges any number of them
// into one [Index], and decides, for each vulnerability found in a package of
// an image, which statement prevails and what status it gives.
//
// It is built for the documents Docker Hardened Images (DHI) publish: the VEX
// attestation on each image and the public advisories feed. It decodes them
// with encoding/json into types that follow [go-vex]'s, field for field, and
// depends on no registry client and no signature library: callers fetch and
// verify documents (package attest) and hand the bytes to [Parse].
//
// # Documents
//
// [Parse] and [ParseReader] accept a bare document or an in-toto statement
// (v0.1 or v1) with predicate type https://openvex.dev/ns/v0.2.0 or cosign's
// https://openvex.dev/ns, including cosign's legacy {"Data": ...} wrapper.
// ParseReader reads at most [DefaultMaxSize] bytes unless [WithMaxSize] says
// otherwise. Malformed JSON (the real feed has a truncated file) is a
// [*ParseError] that names the document ([WithDocumentName]) and the byte
// offset.
//
// Statements are checked against the specification's rules: a valid status,
// a justification or impact statement for not_affected, an action statement
// for affected, a vulnerability name, products, a time. Every violation is
// listed in [Document.Problems] and [Index.Problems]; nothing is dropped
// without a word. [WithStrict] turns violations into errors. In an index,
// statements with an invalid status or no vulnerability name take no part in
// decisions; all others do, violations and all, because their status is
// still the author's word (a not_affected without justification is
// reported, and still counts).
//
// Real DHI documents repeat statement @ids, share one document @id across
// the feed, and name products without versions; none of that is an error.
//
// # Matching
//
// A statement meets a [Query] (vulnerability, package purl, image and the
// image's other names) when the vulnerability is its name or one of its aliases (compared
// without case; aliases join across documents, so GO-2024-2575 with alias
// CVE-2024-26147 and a statement on CVE-2024-26147 are one vulnerability)
// and one of its products meets the package:
//
//   - A product without subcomponents that is a package purl (DHI's
//     pkg:deb/debian/libc6, pkg:deb/debian/glibc@2.41-12?os_distro=trixie&...)
//     meets the query's package: by default only in the images its
//     statement names (or, when it names none, those its document names),
//     and in any image when the document names no image or with
//     [WithLiteralProducts]. [Match.Reading] says which reading decided.
//   - A product with subcomponents meets a query whose image is the
//     product and whose package is one of the subcomponents. Image products
//     are pkg:docker purls (pkg:docker/dhi/python,
//     pkg:docker/dhi.io/python@sha256:...?digest=...), pkg:oci purls
//     (pkg:oci/dhi%2Fpython, pkg:oci/python@sha256%3A...?repository_url=dhi.io/python,
//     pkg:oci/python?repository_url=dhi.io), image references with a digest
//     (dhi.io/python@sha256:...), and products identified only by a sha-256
//     or sha-512 hash. Any other product (such as the Go module of a binary)
//     meets a query whose Image is its purl.
//   - An image product without subcomponents meets every package of that
//     image.
//
// The query's image is known by every name in Image and ImageAliases (the
// reference it was opened with, its digest, its repository, its vendor's
// name for it), and by the repository names [WithRepositoryAliases] gives
// each of them. Images meet by digest when the product has one (the
// repository is then ignored); otherwise by repository, and by tag when the
// product has one. Repositories are full names compared in lower case with
// Docker's defaults (docker.io, index.docker.io and registry-1.docker.io are
// one registry, a one-part name there gets library/), so that
// pkg:docker/dhi/python, pkg:oci/dhi%2Fpython and dhi/python are one
// repository; no other registry is renamed here: that dhi.io/python is
// docker.io/dhi/python is a DHI convention that package dhi supplies. In
// pkg:oci purls, repository_url is the whole repository when it ends with
// the name (the purl specification's form) and the registry otherwise
// (pkg:oci/python?repository_url=dhi.io is dhi.io/python). A product with a
// tag does not meet a query whose image has no name with that tag: tags are
// not resolved here.
//
// Purls compare by the rules of package internal/purl: type, namespace and
// name after the purl specification's case rules; an unversioned product
// meets every version and a versioned one only its own (a Debian epoch
// qualifier counts as part of the version); every identifying qualifier of
// the product (distro, arch, classifier, type, platform) must be present in
// the package with the same value, where distro is normalized so that DHI's
// os_distro=trixie&os_name=debian&os_version=13 and syft's or trivy's
// distro=debian-13 are the same. Qualifiers such as upstream,
// repository_url and package-id are ignored. A package without a distro
// does not meet a product that names one. Go module versions compare by
// Go's own rules (golang.org/x/mod): DHI's pkg:golang/x@1.18.1 and syft's
// or trivy's @v1.18.1 are one version, and v28.0.0 of a module path without
// a major version suffix is v28.0.0+incompatible.
//
// A query on a binary package also meets statements on its source
// packages: those named by the upstream qualifier that syft writes
// (pkg:deb/debian/libc6@2.36-9?upstream=glibc), and those returned by the
// caller's mapping, [WithSourceMapping] (the sbom package's
// (*sbom.Document).SourcePURLs), so a query on libc6 meets a statement on
// glibc.
//
// # Precedence
//
// The OpenVEX specification lets the latest statement on a product and a
// vulnerability prevail. Among the statements that meet a query, the
// prevailing one is chosen by these rules, in order:
//
//  1. The narrowest product: a statement naming the package within the
//     query's image beats one naming the whole image, which beats one
//     naming the package alone. Statements about different products do not
//     supersede each other; the one about this image is the one about this
//     query.
//  2. The latest time: the statement's last_updated, else its timestamp,
//     else the document's last_updated, else the document's timestamp.
//  3. The more specific package: a versioned product beats an unversioned
//     one, and one with identifying qualifiers beats one without.
//  4. A statement on the package itself beats one on its source package.
//  5. The more cautious status: affected, then under_investigation, then
//     fixed, then not_affected.
//  6. The earlier document in the order given to [NewIndex], then the
//     earlier statement in it.
//
// Each [Decision] records the prevailing [Match] (document, statement,
// product and subcomponent) and every other statement that met the query.
// [Decision.Conflict] says when a statement of another status lost only by
// rules 3 to 6; [Index.Conflicts] lists every group of statements on the
// same vulnerability, product and component that give different statuses.
// Nothing is hidden.
//
// DHI's feed documents are per image, and each statement lists every
// package both bare and as a subcomponent of its image. Read literally, a
// statement about one image's build of a library would decide that library
// in every image of a merged index; the default, image-scoped reading keeps
// each statement to its images, and a query that names no image meets no
// bare product of such a document.
//
// An Index answers a lookup in time that depends on the number of statements
// on that vulnerability and package, not on the size of the index.
//
// [OpenVEX]: https://github.com/openvex/spec/blob/main/OPENVEX-SPEC.md
// [go-vex]: https://github.com/openvex/go-vex
package vex
