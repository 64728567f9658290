package policy

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every [*Error] wraps one of them, so callers can branch
// with errors.Is.
var (
	// ErrParse reports a policy file that is not valid Rego v1, or lacks
	// what a policy must have (package docker.scout, a METADATA block with
	// custom.name).
	ErrParse = errors.New("policy: cannot parse policy")
	// ErrCompile reports a policy that parses but does not compile: an
	// unknown built-in function, a type error, an unsafe variable.
	ErrCompile = errors.New("policy: cannot compile policy")
	// ErrEvaluation reports a policy that failed while it was evaluated,
	// such as a built-in called with arguments of the wrong type.
	ErrEvaluation = errors.New("policy: evaluation error")
	// ErrUnknownKey reports a cosign.verify_images key_ref that names no
	// key the caller supplied ([WithKey]).
	ErrUnknownKey = fmt.Errorf("%w: unknown key_ref", ErrEvaluation)
	// ErrConfig reports a policy configuration that cannot be used: not the
	// --policy-config shape, or naming a policy that does not exist.
	ErrConfig = errors.New("policy: invalid policy configuration")
	// ErrResult reports a policy whose pass or violation rules do not have
	// the shape docker scout reads (pass a boolean, violation a set of
	// objects with a message).
	ErrResult = errors.New("policy: unexpected policy result")
	// ErrNoPolicy reports a directory or set of files with no policy in it.
	ErrNoPolicy = errors.New("policy: no policy")
)

// Error is a problem with one policy: where it is and what went wrong. A
// policy with an Error never passes.
type Error struct {
	// Policy is the policy's name (its METADATA custom.name), or its file
	// name when the name could not be read.
	Policy string
	// File is the policy file; empty for a configuration entry.
	File string
	// Line and Column locate the problem in File, from 1; zero when unknown.
	Line, Column int
	// Reason says what went wrong.
	Reason string
	// Err is the sentinel ([ErrParse], [ErrCompile], [ErrEvaluation],
	// [ErrUnknownKey], [ErrConfig], [ErrResult]).
	Err error
}

// Error returns "policy: <policy> (<file>:<line>:<col>): <reason>".
func (e *Error) Error() string {
	where := e.File
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d", where, e.Line)
		if e.Column > 0 {
			where = fmt.Sprintf("%s:%d", where, e.Column)
		}
	}
	if where != "" {
		return fmt.Sprintf("policy: %s (%s): %s", e.Policy, where, e.Reason)
	}
	return fmt.Sprintf("policy: %s: %s", e.Policy, e.Reason)
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }
