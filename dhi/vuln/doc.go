// Package vuln defines the vulnerability finding that every report the SDK
// reads comes down to: Docker Scout's and in-toto's scan predicates, the
// scanner reports users bring (Trivy, Grype, SARIF, CycloneDX; package
// dhi/scanreport) and OSV advisories (package dhi/osv). [Finding] names
// the vulnerability, the package and versions it affects, its severity and
// CVSS scores with their sources, and where the report came from;
// [Severity] normalizes the scanners' severity words.
//
// Each field of [Finding] documents where it comes from in each report
// format; a field a format does not carry stays at its zero value.
//
// The package uses only the standard library, so a program that reads
// findings links no registry client and no signature library.
package vuln
