package scanreport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Format is a scanner report format.
type Format string

// The formats read and written.
const (
	// FormatTrivy is Trivy's JSON report, SchemaVersion 2
	// (trivy image --format json).
	FormatTrivy Format = "trivy-json"
	// FormatGrype is Grype's JSON report (grype -o json).
	FormatGrype Format = "grype-json"
	// FormatSARIF is SARIF 2.1.0 as Trivy and Grype write it
	// (--format sarif, -o sarif).
	FormatSARIF Format = "sarif"
	// FormatCycloneDX is a CycloneDX JSON BOM with vulnerabilities[] (a
	// VDR), as Trivy and Grype write it (--format cyclonedx with
	// vulnerabilities, -o cyclonedx-json).
	FormatCycloneDX Format = "cyclonedx"
)

// Formats returns every [Format].
func Formats() []Format { return []Format{FormatTrivy, FormatGrype, FormatSARIF, FormatCycloneDX} }

// Valid reports whether f is one of [Formats].
func (f Format) Valid() bool {
	return f == FormatTrivy || f == FormatGrype || f == FormatSARIF || f == FormatCycloneDX
}

// Detect tells the format of a report of at most [MaxSize] bytes from its
// content: a JSON object with
// SchemaVersion and Results or ArtifactName is Trivy's; with matches,
// Grype's; with runs and a version starting "2.1", SARIF; with bomFormat
// "CycloneDX", CycloneDX. Anything else gives an error wrapping
// [ErrUnknownFormat]; JSON that does not parse gives a [*ParseError].
func Detect(b []byte) (Format, error) {
	if len(b) > MaxSize {
		return "", fmt.Errorf("%w (more than %d bytes)", ErrTooLarge, MaxSize)
	}
	return detect(b)
}

// detect is [Detect] without the size check.
func detect(b []byte) (Format, error) {
	t := bytes.TrimLeft(b, " \t\r\n\ufeff")
	if len(t) == 0 || t[0] != '{' {
		return "", fmt.Errorf("%w: not a JSON object", ErrUnknownFormat)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return "", parseError("", b, err)
	}
	has := func(k string) bool { _, ok := top[k]; return ok }
	switch {
	case has("SchemaVersion") && (has("Results") || has("ArtifactName")):
		return FormatTrivy, nil
	case has("matches") && (has("source") || has("descriptor") || has("distro")):
		return FormatGrype, nil
	case has("runs"):
		var v string
		if json.Unmarshal(top["version"], &v) == nil && strings.HasPrefix(v, "2.1") {
			return FormatSARIF, nil
		}
		return "", fmt.Errorf("%w: SARIF version %s, want 2.1.0", ErrUnknownFormat, top["version"])
	case has("bomFormat"):
		var v string
		if json.Unmarshal(top["bomFormat"], &v) == nil && v == "CycloneDX" {
			return FormatCycloneDX, nil
		}
	}
	return "", fmt.Errorf("%w: a JSON object of no known scanner format", ErrUnknownFormat)
}

// parseError builds a [*ParseError] from a decoder error, with the line
// and column of its offset in b.
func parseError(f Format, b []byte, err error) *ParseError {
	pe := &ParseError{Format: f, Err: err}
	var off int64 = -1
	switch e := err.(type) {
	case *json.SyntaxError:
		off = e.Offset
	case *json.UnmarshalTypeError:
		off, pe.Path = e.Offset, e.Field
	}
	if off >= 0 {
		if off > int64(len(b)) {
			off = int64(len(b))
		}
		pre := b[:off]
		pe.Line = bytes.Count(pre, []byte("\n")) + 1
		pe.Column = int(off) - (bytes.LastIndexByte(pre, '\n') + 1) + 1
	}
	return pe
}
