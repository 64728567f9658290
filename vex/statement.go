package vex

import (
	"fmt"
	"strings"
	"time"
)

// Statement is one VEX statement: the status of one vulnerability in a set of
// products. Its JSON form is the OpenVEX statement's.
type Statement struct {
	// Index is the position of the statement in the document's statements
	// array, counted from 0.
	Index int `json:"-"`
	// ID is the statement's @id; it may be empty and is not always unique.
	ID string `json:"@id,omitempty"`
	// Vulnerability is the vulnerability the statement is about.
	Vulnerability Vulnerability `json:"vulnerability"`
	// Timestamp is the statement's own timestamp; zero when absent (the
	// document's then applies, see Time).
	Timestamp time.Time `json:"timestamp,omitzero"`
	// LastUpdated is the statement's last_updated time; zero when absent.
	LastUpdated time.Time `json:"last_updated,omitzero"`
	// Time is the time that decides which statement prevails: the
	// statement's last_updated, else its timestamp, else the document's
	// last_updated, else the document's timestamp; zero when none is set.
	Time time.Time `json:"-"`
	// Products are the products the statement is about.
	Products []Product `json:"products,omitempty"`
	// Status is the statement's status.
	Status Status `json:"status"`
	// StatusNotes is free text on the status, "" when absent.
	StatusNotes string `json:"status_notes,omitempty"`
	// Justification says why a not_affected product is not affected.
	Justification Justification `json:"justification,omitempty"`
	// ImpactStatement explains how a not_affected product avoids the
	// vulnerability, "" when absent.
	ImpactStatement string `json:"impact_statement,omitempty"`
	// ActionStatement says what to do about an affected product.
	ActionStatement string `json:"action_statement,omitempty"`
	// ActionStatementTimestamp is when the action statement was written;
	// zero when absent.
	ActionStatementTimestamp time.Time `json:"action_statement_timestamp,omitzero"`
	// Problem is the first problem found in the statement, nil when it
	// follows the specification's rules; all of them are listed in
	// [Document.Problems].
	Problem *ValidationError `json:"-"`
}

// Vulnerability names a vulnerability.
type Vulnerability struct {
	// ID is the vulnerability's @id IRI, "" when absent.
	ID string `json:"@id,omitempty"`
	// Name is the vulnerability's identifier, such as CVE-2025-9086.
	Name string `json:"name,omitempty"`
	// Description is free text, "" when absent.
	Description string `json:"description,omitempty"`
	// Aliases are other identifiers of the same vulnerability (GHSA, GO,
	// CVE).
	Aliases []string `json:"aliases,omitempty"`
}

// Product is a product named by a statement: a package, or an image with the
// packages (subcomponents) in which the vulnerability lives.
type Product struct {
	Component
	// Subcomponents are the components of the product the statement is
	// about; nil when the statement is about the product itself.
	Subcomponents []Component `json:"subcomponents,omitempty"`
}

// Component identifies a product or subcomponent.
type Component struct {
	// ID is the component's @id: a purl, an image reference, or another
	// IRI.
	ID string `json:"@id,omitempty"`
	// Identifiers maps an identifier type ("purl", "cpe22", "cpe23") to a
	// value.
	Identifiers map[string]string `json:"identifiers,omitempty"`
	// Hashes maps a hash algorithm ("sha-256") to a hex value.
	Hashes map[string]string `json:"hashes,omitempty"`
}

// validate returns the ways in which s breaks the rules of OpenVEX v0.2.0
// (the MUSTs on status, justification and action statement, and the
// presence of a vulnerability, products and a time).
func validate(s *Statement, source string) []*ValidationError {
	var out []*ValidationError
	add := func(err error, detail string) {
		out = append(out, &ValidationError{
			DocumentName:  source,
			Statement:     s.Index,
			StatementID:   s.ID,
			Vulnerability: s.Vulnerability.Name,
			Detail:        detail,
			Err:           err,
		})
	}
	if strings.TrimSpace(s.Vulnerability.Name) == "" {
		add(ErrMissingVulnerability, "")
	}
	if len(s.Products) == 0 {
		add(ErrNoProducts, "")
	}
	switch s.Status {
	case StatusNotAffected:
		if s.Justification == "" && s.ImpactStatement == "" {
			add(ErrMissingJustification, "")
		}
	case StatusAffected:
		if s.ActionStatement == "" {
			add(ErrMissingActionStatement, "")
		}
	case StatusFixed, StatusUnderInvestigation:
	default:
		add(ErrInvalidStatus, fmt.Sprintf("%q", s.Status))
	}
	if s.Justification != "" && !s.Justification.Valid() {
		add(ErrInvalidJustification, fmt.Sprintf("%q", s.Justification))
	}
	if s.Time.IsZero() {
		add(ErrMissingTimestamp, "")
	}
	return out
}
