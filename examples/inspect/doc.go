// Command inspect shows what an image's signed attestations say: who signed
// each one, the packages inside, the vulnerabilities left after VEX, who
// built it and from what, its FIPS and STIG evidence, its checks and its
// lifecycle.
//
// Usage:
//
//	go run ./examples/inspect [flags] [reference]
//
// With no reference it inspects a built-in sample: an image shaped like a
// Docker Hardened Image whose attestations are real documents (SPDX and
// CycloneDX SBOMs, DHI's OpenVEX document for python, BuildKit provenance, a
// SLSA verification summary, DHI and Scout predicates), signed with a key
// made for the run and served by an in-process registry, so that the whole
// path runs: discovery, verification, parsing, joining.
//
// With a reference (go run ./examples/inspect dhi.io/python:3.13) it inspects
// that image, with the credentials of "docker login", trusting Docker's DHI
// keys and those given with -add-key (or only those given with -key).
//
// A platform of which no attestation verified fails (exit status 1):
// nothing about it could be trusted.
//
// Flags:
//
//	-platform os/arch   only this platform (repeatable); a platform the image
//	                    lacks is an error that lists those it has
//	-layout dir         read the image from an OCI layout (see examples/export),
//	                    where the reference is its tag; no network is used
//	-plain-http         allow plain HTTP to the registry
//	-key file.pub       trust this public key instead of Docker's (repeatable)
//	-add-key file.pub   trust this public key as well as Docker's (repeatable)
//	-cache dir          keep what registries serve by digest in dir (an OCI
//	                    layout) and read it from there next time
//	-cache-ttl d        with -cache, keep tag resolutions and referrers
//	                    listings for d too (default 0: always ask)
//	-json               print the model as JSON
//	-base-key file.pub  verify base images with this key instead of Docker's
//	-bound-by-digest    use unsigned BuildKit attestations of an index the
//	                    reference pins by digest (name@sha256:...)
//	-lineage            seek the base of every platform
//
// For an image built FROM a DHI (a platform with no signed attestation, or
// every platform with -lineage), a "Built on" section shows the base the
// layers prove (dhi.Platform.Lineage), the base's end of life and age,
// whether its tag has moved to a newer image, and how many packages and
// findings the base's SBOM and VEX account for; or why the base is not
// proven.
//
// Exit status: 0 pass, 1 policy failure, 2 could not check (bad usage, an
// image that cannot be read). -h prints the usage and exits 0.
package main
