// Package vuln defines the vulnerability finding that every report the SDK
// reads comes down to: Docker Scout's and in-toto's scan predicates, and the
// scanner reports users bring. [Finding] names the vulnerability, the
// package and versions it affects, its severity and where the report came
// from; [Severity] normalizes the scanners' severity words.
//
// The package uses only the standard library, so a program that reads
// findings links no registry client and no signature library.
package vuln
