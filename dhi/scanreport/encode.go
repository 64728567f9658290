package scanreport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// errorf returns an error wrapping [ErrDecisions].
func errorf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrDecisions}, args...)...)
}

// Encode writes the report back in its own format with decisions[i]
// recorded for Findings[i], the way that format records suppressions:
//
//   - Trivy JSON: a finding whose decision suppresses it (not_affected,
//     fixed) moves from Results[].Vulnerabilities to
//     Results[].ExperimentalModifiedFindings as
//     {Type "vulnerability", Status, Statement, Source, Finding}.
//   - Grype JSON: it moves from matches to ignoredMatches, with an
//     appliedIgnoreRules entry in the form of Grype's own VEX rules
//     (namespace "vex", vulnerability, vex-status, vex-justification).
//   - SARIF: the result gets a suppression of kind "external", status
//     "accepted" (or "underReview" for under_investigation) and the
//     decision as justification; its properties keep the decision's
//     fields.
//   - CycloneDX: the vulnerability gets analysis.state (not_affected,
//     resolved, exploitable, in_triage), analysis.justification (the
//     CycloneDX word for the OpenVEX one) and analysis.detail. A
//     vulnerability whose affected components got different decisions is
//     split into one entry per decision.
//
// An Inconsistent decision is recorded in SARIF result properties and
// CycloneDX vulnerability properties ("dhisdk:inconsistent"), and in the
// statement text of a suppressed Trivy or Grype finding; Trivy and Grype
// JSON have no place for it on a finding that stays.
//
// Everything else is written back as read: members keep their order and
// values their bytes, and the indentation is the input's (the scanners'
// own output comes back byte for byte outside the changed findings). With
// only zero decisions, the output is the input unchanged.
//
// len(decisions) must be len(r.Findings); a zero [Decision] leaves its
// finding unchanged. Invalid decisions give an error wrapping
// [ErrDecisions].
func (r *Report) Encode(decisions []Decision) ([]byte, error) {
	if len(decisions) != len(r.Findings) {
		return nil, errorf("%d decisions for %d findings", len(decisions), len(r.Findings))
	}
	for i, d := range decisions {
		if err := d.validate(); err != nil {
			return nil, fmt.Errorf("decision %d: %w", i, err)
		}
	}
	if !slices.ContainsFunc(decisions, func(d Decision) bool { return !d.IsZero() }) {
		return bytes.Clone(r.raw), nil
	}
	var top object
	if err := json.Unmarshal(r.raw, &top); err != nil {
		return nil, parseError(r.Format, r.raw, err)
	}
	var err error
	switch r.Format {
	case FormatTrivy:
		err = r.encodeTrivy(&top, decisions)
	case FormatGrype:
		err = r.encodeGrype(&top, decisions)
	case FormatSARIF:
		err = r.encodeSARIF(&top, decisions)
	case FormatCycloneDX:
		err = r.encodeCycloneDX(&top, decisions)
	default:
		err = fmt.Errorf("scanreport: cannot write format %q", r.Format)
	}
	if err != nil {
		return nil, fmt.Errorf("scanreport: writing %s report: %v", r.Format, err)
	}
	return layoutOf(r.raw).write(top)
}
