package policy

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Status is the outcome of one policy.
type Status string

// The statuses.
const (
	// StatusPass is a policy whose pass rule is true and that has no
	// violation.
	StatusPass Status = "pass"
	// StatusFail is a policy that evaluated and did not pass.
	StatusFail Status = "fail"
	// StatusError is a policy that could not be evaluated (it does not
	// parse or compile, a built-in failed, its configuration is wrong); it
	// counts as failed.
	StatusError Status = "error"
	// StatusSkipped is a policy that the configuration disabled
	// ("enabled": false).
	StatusSkipped Status = "skipped"
)

// Statuses returns every Status, in a fixed order.
func Statuses() []Status { return []Status{StatusPass, StatusFail, StatusError, StatusSkipped} }

// Valid reports whether s is one of the defined statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusPass, StatusFail, StatusError, StatusSkipped:
		return true
	}
	return false
}

// Evaluation is the outcome of every policy of an [Engine] on one image
// platform.
type Evaluation struct {
	// Image is the platform manifest the policies were evaluated on, as
	// "repository@sha256:...".
	Image string `json:"image"`
	// Platform is the platform, as "os/arch[/variant]".
	Platform string `json:"platform"`
	// Digest is the platform manifest digest (input.source.image.digest).
	Digest string `json:"digest"`
	// Time is when the policies were evaluated, by the engine's clock.
	Time time.Time `json:"time"`
	// PolicyDigest is the digest of the policy set and its configuration
	// ([Engine.Digest]).
	PolicyDigest string `json:"policyDigest"`
	// Results are the policies' results, in the engine's policy order,
	// followed by configuration entries that name no policy.
	Results []Result `json:"results"`
	// Inputs are the attestations the policies read, through oci.referrer
	// or cosign.verify_images, sorted by manifest digest.
	Inputs []Input `json:"inputs"`
}

// Passed reports whether no policy failed or had an error (skipped
// policies do not count).
func (e *Evaluation) Passed() bool {
	for _, r := range e.Results {
		if r.Status == StatusFail || r.Status == StatusError {
			return false
		}
	}
	return true
}

// Result is the outcome of one policy.
type Result struct {
	// Policy is the policy's name (METADATA custom.name).
	Policy string `json:"policy"`
	// Title is the METADATA title.
	Title string `json:"title,omitempty"`
	// File is the policy's file; empty for a configuration entry that
	// names no policy.
	File string `json:"file,omitempty"`
	// ResultType is the policy's custom.result_type.
	ResultType ResultType `json:"resultType,omitempty"`
	// NotCompliantTitle is the policy's custom.not_compliant_title.
	NotCompliantTitle string `json:"notCompliantTitle,omitempty"`
	// Status is the outcome.
	Status Status `json:"status"`
	// Violations are the policy's violations, sorted by message then
	// detail; empty when it passed.
	Violations []Violation `json:"violations,omitempty"`
	// Err is the *Error of a policy with StatusError.
	Err error `json:"-"`
	// Error is Err's text, for JSON output.
	Error string `json:"error,omitempty"`
	// Inputs are the manifest digests of the attestations this policy read.
	Inputs []string `json:"inputs,omitempty"`
}

// Violation is one element of a policy's violation set.
type Violation struct {
	// Message is the violation's message.
	Message string `json:"message"`
	// Detail is the violation's detail, in the policy's details_order,
	// then any other keys by name.
	Detail []Field `json:"detail,omitempty"`
}

// Field is one key of a violation's detail.
type Field struct {
	// Name is the key.
	Name string `json:"name"`
	// Value is the value: a string as it is, other values as JSON text.
	Value string `json:"value"`
}

// Input is an attestation a policy read.
type Input struct {
	// Image names the attestation manifest as "repository@sha256:...", the
	// way oci.referrer returns it.
	Image string `json:"image"`
	// Digest is the attestation manifest's digest.
	Digest string `json:"digest"`
	// PredicateType is the attestation's predicate type.
	PredicateType string `json:"predicateType"`
	// Verified is true when the attestation verified under the caller's
	// trust settings (attestations that oci.referrer returned always did).
	Verified bool `json:"verified"`
}

// sortViolations sorts violations by message, then detail, so that results
// do not depend on OPA's set order.
func sortViolations(vs []Violation) {
	slices.SortFunc(vs, func(a, b Violation) int {
		return cmp.Or(strings.Compare(a.Message, b.Message), slices.CompareFunc(a.Detail, b.Detail, func(x, y Field) int {
			return cmp.Or(strings.Compare(x.Name, y.Name), strings.Compare(x.Value, y.Value))
		}))
	})
}
