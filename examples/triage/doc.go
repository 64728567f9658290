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
//	-key file.pub         trust this public key too (repeatable)
//	-report scan.json     triage this scanner report
//	-o file               with -report, write the report back with the decisions
//	-platform os/arch     with -report, the platform of a report that names only the index
//	-vex-out file         write the verified VEX for scanners (OpenVEX)
//	-report-without-digest-unsafe
//	                      accept a report that names no digest
package main
