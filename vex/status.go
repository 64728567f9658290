package vex

// Status is the VEX status of a statement: whether the products it names are
// affected by its vulnerability. The values are those of the OpenVEX
// specification.
type Status string

// The statuses defined by OpenVEX v0.2.0.
const (
	// StatusNotAffected says no remediation is required: the product is not
	// affected. A justification or an impact statement is required.
	StatusNotAffected Status = "not_affected"
	// StatusAffected says action is recommended to remediate or address the
	// vulnerability. An action statement is required.
	StatusAffected Status = "affected"
	// StatusFixed says the product contains a fix for the vulnerability.
	StatusFixed Status = "fixed"
	// StatusUnderInvestigation says it is not yet known whether the product
	// is affected.
	StatusUnderInvestigation Status = "under_investigation"
)

// Statuses returns the valid statuses, in the order the specification lists
// them.
func Statuses() []Status {
	return []Status{StatusNotAffected, StatusAffected, StatusFixed, StatusUnderInvestigation}
}

// Valid reports whether s is one of the statuses OpenVEX defines.
func (s Status) Valid() bool {
	switch s {
	case StatusNotAffected, StatusAffected, StatusFixed, StatusUnderInvestigation:
		return true
	}
	return false
}

// Exploitable reports whether a finding with status s still needs attention:
// affected, under investigation, or no statement at all (the empty status).
// It is false for not_affected and fixed.
func (s Status) Exploitable() bool {
	return s != StatusNotAffected && s != StatusFixed
}

// caution ranks statuses for breaking ties between statements of the same
// time and precedence: the higher rank is the more cautious reading.
func (s Status) caution() int {
	switch s {
	case StatusAffected:
		return 3
	case StatusUnderInvestigation:
		return 2
	case StatusFixed:
		return 1
	}
	return 0
}

// Justification says why a product is not affected; OpenVEX requires one (or
// an impact statement) with [StatusNotAffected].
type Justification string

// The justifications defined by OpenVEX v0.2.0.
const (
	// ComponentNotPresent says the vulnerable component is not included in
	// the product.
	ComponentNotPresent Justification = "component_not_present"
	// VulnerableCodeNotPresent says the vulnerable component is included,
	// but the vulnerable code is not.
	VulnerableCodeNotPresent Justification = "vulnerable_code_not_present"
	// VulnerableCodeNotInExecutePath says the vulnerable code is present but
	// cannot be executed.
	VulnerableCodeNotInExecutePath Justification = "vulnerable_code_not_in_execute_path"
	// VulnerableCodeCannotBeControlledByAdversary says the vulnerable code
	// cannot be controlled by an attacker to exploit the vulnerability.
	VulnerableCodeCannotBeControlledByAdversary Justification = "vulnerable_code_cannot_be_controlled_by_adversary"
	// InlineMitigationsAlreadyExist says the product includes built-in
	// protections; DHI uses it for backported fixes.
	InlineMitigationsAlreadyExist Justification = "inline_mitigations_already_exist"
)

// Justifications returns the valid justifications, in the order the
// specification lists them.
func Justifications() []Justification {
	return []Justification{
		ComponentNotPresent,
		VulnerableCodeNotPresent,
		VulnerableCodeNotInExecutePath,
		VulnerableCodeCannotBeControlledByAdversary,
		InlineMitigationsAlreadyExist,
	}
}

// Valid reports whether j is one of the justifications OpenVEX defines.
func (j Justification) Valid() bool {
	switch j {
	case ComponentNotPresent, VulnerableCodeNotPresent, VulnerableCodeNotInExecutePath,
		VulnerableCodeCannotBeControlledByAdversary, InlineMitigationsAlreadyExist:
		return true
	}
	return false
}
