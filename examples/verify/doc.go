// Command verify is a policy gate for CI: it passes an image only when its
// signed attestations show that it meets a policy.
//
// Usage:
//
//	go run ./examples/verify [flags] [reference]
//
// For each platform of the image it checks that:
//
//   - every required kind of attestation is present and verified (-require);
//   - the build provenance names the expected builder (-builder) and source
//     repository (-source); each is not checked when its flag is unset;
//   - the image is not past the end of life its labels state;
//   - no vulnerability that is still exploitable after VEX (affected, under
//     investigation, or with no VEX statement) is at or above a severity
//     (-severity).
//
// It prints one line per check on stdout, starting with PASS, FAIL or SKIP
// (a check that was not asked for), then the platform:
//
//	PASS linux/amd64 vex: 1 verified attestation
//	FAIL linux/amd64 CVE-2025-9230 HIGH pkg:deb/debian/libssl-dev@3.0.19-1~deb12u2?... under_investigation
//
// The exit status is 0 when no check failed, 1 when one did, and 2 when the
// image could not be checked (a bad reference, a registry error, a bad flag,
// a platform the image lacks). -h prints the usage and exits 0.
//
// With no reference it checks the built-in sample image (see
// examples/inspect), which fails with the default flags: CVE-2025-9230, a
// high-severity OpenSSL vulnerability, is still under investigation. With
// -severity critical it passes.
//
// Flags:
//
//	-require kinds     attestation kinds that must be present and verified,
//	                   comma-separated (default sbom,vex,provenance)
//	-builder id        the builder ID the provenance must name
//	-source repo       the source repository the provenance must name,
//	                   such as github.com/org/repo
//	-severity level    fail on exploitable vulnerabilities at or above this
//	                   severity: critical, high, medium, low (default high)
//	-builder-prefix p  a prefix the builder ID must start with, such as
//	                   https://github.com/docker/ (with -builder: either)
//	-unknown-as level  count vulnerabilities of unknown severity as this
//	                   severity (default: below low, so never blocking)
//	-skip checks       checks not to run, comma-separated: end-of-life,
//	                   vulnerabilities (an image with no scan attestation
//	                   passes with -skip vulnerabilities)
//	-json              print the checks as JSON
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
//
// For images built FROM a DHI, -base-max-age turns on the base gate: each
// platform's base must be proven (provenance claim, layer prefix, chain-id
// label, base signature; see dhi.Platform.Lineage), the base must not be
// past its end of life, and when the tag the build named the base by has
// moved to a newer image, the base must not be older than the age given:
//
//	go run ./examples/verify -require= -bound-by-digest -base-max-age 720h myorg/app@sha256:...
//
//	-base-max-age d    fail when an update of the base is available and the
//	                   base is older than d (such as 720h); unset: no base gate
//	-base-key file.pub verify bases with this key instead of Docker's (repeatable)
//	-bound-by-digest   use the image's unsigned BuildKit attestations when the
//	                   reference pins the index digest
package main
