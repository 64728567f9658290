// Package dhi is the SDK's facade for Docker Hardened Images (DHI): it opens
// an image, finds and verifies every attestation of each platform, and joins
// the verified ones into one model that answers what users ask: which
// packages are inside, which vulnerabilities remain after VEX, who built it
// from what, its FIPS and STIG evidence, its test, secret and virus scans,
// and where it stands in its lifecycle. It is the only package that knows
// DHI's conventions: Docker's signing keys ([Keys]: dhi-2 active, dhi-1
// retired), the kinds of DHI attestations ([Kind], [KindOf]) and where the
// attestations of a repository live.
//
// [Open] reads an image from a registry, an OCI layout or an OCI archive
// through package attest, verifies each platform's attestations with
// Docker's keys unless [WithKeys], [WithKeyring] or [WithVerifier] say
// otherwise, and returns an [Image] whose [Platform] values list every
// [Attestation] with its verification. Only verified attestations feed the
// queries ([Platform.Packages], [Platform.Vulnerabilities],
// [Platform.Exploitable], [Platform.Provenance], [Platform.FIPS],
// [Platform.Lifecycle], ...), unless [WithUnverifiedUnsafe]; a query with no
// verified attestation of its kind fails with [ErrNoAttestation].
// [Image.Report] gives the whole model in a stable JSON shape, [Compare]
// diffs two platforms, and [Image.Export] writes the metadata to an OCI
// layout for offline use. The DHI and Scout predicates are read by package
// github.com/dhisdk/dhisdk/dhi/predicate.
//
// [Image.Triage] and [Platform.Triage] decide the findings of the user's
// own scanner report (package github.com/dhisdk/dhisdk/dhi/scanreport)
// with the platform's verified VEX and write the report back with the
// decisions; [Platform.ScannerVEX] writes the verified VEX rewritten for
// Trivy and Grype.
//
// DHI images live at dhi.io/<name>, where attestations are referrers in the
// same repository; the 2025 catalog (docker.io/dhi/<name>) and mirrors
// (docker.io/<org>/dhi-<name>) keep theirs in registry.scout.docker.com
// ([ReferrersRepository], [ClassifyRepository]). Attestations hang on each
// platform's manifest, not on the index. [ParseTag] takes a tag such as
// 3.13.15-debian13-fips-dev apart.
//
// Images built FROM a DHI carry BuildKit's unsigned attestations; each
// [Attestation] says the [Trust] it reached, and [WithBoundByDigest] lets
// queries use those bound by digest to an index opened as name@sha256:....
// [Platform.Lineage] proves which DHI a platform was built from (provenance
// claim, layer prefix, chain-id label, the base's signature, verified with
// [Keys] or [WithBaseKeys]), and [Platform.BaseJoin] marks each package as
// from the base or added and applies the base's VEX to the packages from
// the base only.
//
// Many images: [OpenAll] and a [Fleet] open a list of references a few at
// a time over one registry source, yield each image as it is ready so that
// memory follows the concurrency and not the number of images, and parse a
// document that several images carry (the same VEX or SBOM bytes) once
// while a bounded memo holds it. With [WithRegistry] and
// [github.com/dhisdk/dhisdk/attest.WithCache], what registries serve by
// digest is read from a cache on disk that later runs and other processes
// share; signatures are verified on every open.
//
//	img, err := dhi.Open(ctx, "dhi.io/python:3.13")
//	if err != nil {
//		return err
//	}
//	vulns, err := img.Platforms[0].Exploitable() // after VEX
//	for _, v := range vulns {
//		fmt.Println(v.ID, v.Severity, v.PURL)
//	}
package dhi
