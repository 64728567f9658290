// Command triage lists the vulnerabilities of an image that still need
// attention after VEX: those its scans find that no VEX statement settles as
// not_affected or fixed. VEX statements come from the image's own signed VEX
// attestations and, optionally, from OpenVEX or CSAF VEX documents given as
// files, such as those of the public DHI advisories feed
// (https://github.com/docker-hardened-images/advisories).
//
// With -report it triages a scanner report instead of the image's own
// scans: Trivy JSON, Grype JSON, SARIF or CycloneDX (detected by content).
// The report must name the image's index or platform digest (as Trivy's
// RepoDigests and Grype's manifestDigest do); a report about another image
// is refused. A report that names only the index is about the platform
// -platform names (by default the host's, as the scanners choose). Each
// finding is printed with its VEX status, the statement and reading that
// decided it, and a mark when the scanner's fixed version is not above the
// installed one; -o writes the report back in its own format with the
// suppressions recorded.
//
// -vex-out writes the image's verified VEX rewritten for scanners (see
// dhi.Platform.ScannerVEX), for the platform of the report or else the
// first platform, to use with:
//
//	trivy image --vex scanner.vex.json IMAGE@DIGEST
//	grype IMAGE@DIGEST --vex scanner.vex.json
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
//	-advisory file.json   an OpenVEX or CSAF VEX document to apply too (repeatable)
//	-report scan.json     triage this scanner report (Trivy JSON, Grype JSON,
//	                      SARIF or CycloneDX)
//	-o file               with -report, write the report back with the decisions
//	-vex-out file         write the verified VEX for scanners (OpenVEX)
//	-report-without-digest-unsafe
//	                      accept a report that names no digest
//	-platform os/arch     only this platform (repeatable); a platform the image
//	                      lacks is an error that lists those it has. With
//	                      -report, the platform of a report that names only the
//	                      index (default linux/<this machine's arch>)
//	-layout dir           read the image from an OCI layout (see examples/export),
//	                      where the reference is its tag; no network is used
//	-plain-http           allow plain HTTP to the registry
//	-key file.pub         trust this public key instead of Docker's (repeatable)
//	-add-key file.pub     trust this public key as well as Docker's (repeatable)
//	-cache dir            keep what registries serve by digest in dir (an OCI
//	                      layout) and read it from there next time
//	-cache-ttl d          with -cache, keep tag resolutions and referrers
//	                      listings for d too (default 0: always ask)
//	-json                 print each platform's exploitable vulnerabilities as JSON
//
// Exit status: 0 pass, 1 policy failure, 2 could not check (bad usage, an
// image that cannot be read). -h prints the usage and exits 0.
package main
