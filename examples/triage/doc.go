// Command triage lists the vulnerabilities of an image that still need
// attention after VEX: those its scans find that no VEX statement settles as
// not_affected or fixed. VEX statements come from the image's own signed VEX
// attestations and, optionally, from OpenVEX documents given as files, such
// as those of the public DHI advisories feed
// (https://github.com/docker-hardened-images/advisories).
//
// Usage:
//
//	go run ./examples/triage [flags] [reference] [advisory.vex.json ...]
//
// An argument ending in .json is an advisory file; the first other argument
// is the image reference. With no reference it triages the built-in sample
// image (see examples/inspect), which has two exploitable vulnerabilities per
// platform: CVE-2025-9230 (high, under investigation) and CVE-2025-27587
// (medium, no VEX statement).
//
// For each platform it prints each exploitable vulnerability with its
// severity, ID, package, VEX status and the document of the statement that
// decided it (when one did), then a summary line:
//
//	linux/amd64: 2 exploitable, 3 settled by VEX, 5 found
//
// Flags:
//
//	-advisory file.json an OpenVEX document to apply too (repeatable)
//	-platform os/arch   only this platform (repeatable); a platform the image
//	                    lacks is an error that lists those it has
//	-layout dir         read the image from an OCI layout (see examples/export),
//	                    where the reference is its tag; no network is used
//	-plain-http         allow plain HTTP to the registry
//	-key file.pub       trust this public key instead of Docker's (repeatable)
//	-add-key file.pub   trust this public key as well as Docker's (repeatable)
//	-json               print each platform's exploitable vulnerabilities as JSON
//
// Exit status: 0 pass, 1 policy failure, 2 could not check (bad usage, an
// image that cannot be read). -h prints the usage and exits 0.
package main
