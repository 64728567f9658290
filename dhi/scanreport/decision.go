package scanreport

// Status is the decision on a finding, in VEX terms.
type Status string

// The statuses of a [Decision].
const (
	// StatusNotAffected: the image is not affected. The finding is
	// suppressed.
	StatusNotAffected Status = "not_affected"
	// StatusAffected: the image is affected. The finding stays.
	StatusAffected Status = "affected"
	// StatusFixed: the image contains the fix. The finding is suppressed.
	StatusFixed Status = "fixed"
	// StatusUnderInvestigation: not yet known. The finding stays.
	StatusUnderInvestigation Status = "under_investigation"
)

// Statuses returns every [Status].
func Statuses() []Status {
	return []Status{StatusNotAffected, StatusAffected, StatusFixed, StatusUnderInvestigation}
}

// Valid reports whether s is one of [Statuses].
func (s Status) Valid() bool {
	return s == StatusNotAffected || s == StatusAffected || s == StatusFixed || s == StatusUnderInvestigation
}

// Justification is why a finding does not affect the image, in the
// OpenVEX vocabulary.
type Justification string

// The justifications of OpenVEX, which DHI's VEX statements use.
const (
	// JustificationComponentNotPresent: the vulnerable component is not in
	// the image.
	JustificationComponentNotPresent Justification = "component_not_present"
	// JustificationVulnerableCodeNotPresent: the vulnerable code is not in
	// the component.
	JustificationVulnerableCodeNotPresent Justification = "vulnerable_code_not_present"
	// JustificationVulnerableCodeNotInExecutePath: the vulnerable code is
	// present but never run.
	JustificationVulnerableCodeNotInExecutePath Justification = "vulnerable_code_not_in_execute_path"
	// JustificationVulnerableCodeCannotBeControlledByAdversary: an
	// attacker cannot reach the vulnerable code with controlled input.
	JustificationVulnerableCodeCannotBeControlledByAdversary Justification = "vulnerable_code_cannot_be_controlled_by_adversary"
	// JustificationInlineMitigationsAlreadyExist: mitigations in the image
	// prevent exploitation (DHI's word for backported fixes).
	JustificationInlineMitigationsAlreadyExist Justification = "inline_mitigations_already_exist"
)

// Justifications returns every [Justification].
func Justifications() []Justification {
	return []Justification{JustificationComponentNotPresent, JustificationVulnerableCodeNotPresent,
		JustificationVulnerableCodeNotInExecutePath, JustificationVulnerableCodeCannotBeControlledByAdversary,
		JustificationInlineMitigationsAlreadyExist}
}

// Valid reports whether j is one of [Justifications].
func (j Justification) Valid() bool {
	for _, x := range Justifications() {
		if j == x {
			return true
		}
	}
	return false
}

// Decision is what was decided about one finding, to be written back into
// the report by [Report.Encode]. The zero Decision means no decision: the
// finding is written back unchanged.
type Decision struct {
	// Status is the decision; "" for none.
	Status Status
	// Justification is why the image is not affected; "" when the status is
	// not not_affected or no justification was given.
	Justification Justification
	// Statement references the statement the decision came from, such as a
	// VEX document's @id with the statement's @id; "" when none.
	Statement string
	// Impact is the statement's free text: an impact statement, status
	// notes or an action statement; "" when none.
	Impact string
	// Source names who decided, such as "DHI VEX" or "OSV DHI"; "" when
	// not given.
	Source string
	// Inconsistent flags a finding whose installed version is at or above
	// the scanner's own fixed version (see [Inconsistent]): the scanner
	// contradicts itself, so the finding is neither kept nor dropped
	// silently.
	Inconsistent bool
}

// IsZero reports whether d is the zero Decision.
func (d Decision) IsZero() bool { return d == Decision{} }

// Suppresses reports whether the decision removes the finding from the
// report's findings: not_affected and fixed do, as Trivy and Grype do for
// VEX statements.
func (d Decision) Suppresses() bool { return d.Status == StatusNotAffected || d.Status == StatusFixed }

// validate checks the decision's vocabularies.
func (d Decision) validate() error {
	if d.Status != "" && !d.Status.Valid() {
		return errorf("invalid status %q", d.Status)
	}
	if d.Justification != "" && !d.Justification.Valid() {
		return errorf("invalid justification %q", d.Justification)
	}
	return nil
}

// text is the decision in one line, for formats with one free-text field.
func (d Decision) text() string {
	s := string(d.Status)
	if d.Justification != "" {
		s += ": " + string(d.Justification)
	}
	if d.Impact != "" {
		s += ": " + d.Impact
	}
	if d.Statement != "" {
		s += " (" + d.Statement + ")"
	}
	if d.Inconsistent {
		s += " [inconsistent: installed version at or above the scanner's fixed version]"
	}
	return s
}
