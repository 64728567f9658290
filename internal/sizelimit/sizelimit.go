package sizelimit

import "errors"

// ErrTooLarge is the parent of every size-limit error. Packages export it as
// their own ErrTooLarge, or a sentinel made by [Under].
var ErrTooLarge = errors.New("dhisdk: content over the size limit")

// Under returns a sentinel for a package whose size-limit errors also belong
// to parent (such as "invalid document"): its message is parent's followed
// by ": " and detail, and errors.Is matches both parent and [ErrTooLarge].
func Under(parent error, detail string) error {
	return &tooLarge{parent: parent, msg: parent.Error() + ": " + detail}
}

// tooLarge is a sentinel with two parents.
type tooLarge struct {
	parent error
	msg    string
}

func (e *tooLarge) Error() string { return e.msg }

// Unwrap returns the sentinel's parents.
func (e *tooLarge) Unwrap() []error { return []error{e.parent, ErrTooLarge} }
