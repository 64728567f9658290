// Package scanreport reads the vulnerability reports of the scanners DHI
// users run, and writes them back with triage decisions recorded the way
// each format records suppressions.
//
// [Parse] detects the format by content and reads the report's findings as
// [vuln.Finding] values, with the report's metadata (scanner, artifact,
// time) in a [Report]. It reads:
//
//   - Trivy JSON, SchemaVersion 2: Results[].Vulnerabilities[] with
//     PkgIdentifier.PURL, and ExperimentalModifiedFindings as suppressed
//     findings;
//   - Grype JSON: matches[] with vulnerability, relatedVulnerabilities
//     (as aliases), artifact.purl and artifact.upstreams (kept on the
//     finding, for VEX statements that name source packages), and
//     ignoredMatches as suppressed findings;
//   - [SARIF 2.1.0] as Trivy and Grype write it, reading the package and
//     versions from the result message and rule help;
//   - [CycloneDX] JSON with vulnerabilities[] and affects[].ref (a VDR),
//     through github.com/CycloneDX/cyclonedx-go.
//
// A report names what it scanned: [Report.CheckSubject] returns an error
// when it names other digests than the image's, or none, so that a report
// about another image is never triaged silently against this one.
//
// [Report.Encode] writes the report back with one [Decision] per finding:
// suppressed findings move to Trivy's ExperimentalModifiedFindings or
// Grype's ignoredMatches, get a SARIF suppression, or a CycloneDX
// analysis. Unknown fields, member order and values are kept as written.
// [Inconsistent] flags a finding whose installed version is at or above
// the scanner's own fixed version, compared in the ecosystem's version
// order.
//
// The package parses bytes only: no registry client, no signature
// library, no network. Input is bounded by [MaxSize].
//
// [SARIF 2.1.0]: https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
// [CycloneDX]: https://cyclonedx.org/docs/1.6/json/#vulnerabilities
package scanreport
