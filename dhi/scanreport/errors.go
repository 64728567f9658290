package scanreport

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors of the package. Callers branch on them with [errors.Is].
var (
	// ErrInvalid is returned by [Parse] for input that cannot be read as a
	// scanner report. The other parse errors wrap it.
	ErrInvalid = errors.New("scanreport: invalid report")

	// ErrUnknownFormat is returned by [Parse] and [Detect] for input that is
	// none of the formats of [Formats]. It wraps [ErrInvalid].
	ErrUnknownFormat = fmt.Errorf("%w: unknown format", ErrInvalid)

	// ErrTooLarge is returned for input larger than [MaxSize]. It wraps
	// [ErrInvalid].
	ErrTooLarge = fmt.Errorf("%w: larger than the size limit", ErrInvalid)

	// ErrSubject is returned, wrapped in a [*SubjectError], by
	// [Report.CheckSubject] when the report cannot be shown to be about
	// the given image. ErrSubjectMismatch and ErrSubjectUnknown wrap it.
	ErrSubject = errors.New("scanreport: report subject")

	// ErrSubjectMismatch is returned, wrapped in a [*SubjectError], when
	// the report names digests and none is one of those given: it is a
	// report about another image.
	ErrSubjectMismatch = fmt.Errorf("%w: another image", ErrSubject)

	// ErrSubjectUnknown is returned, wrapped in a [*SubjectError], when the
	// report names no digest at all (a scan of a tar file or a directory),
	// so it cannot be tied to an image.
	ErrSubjectUnknown = fmt.Errorf("%w: no digest in the report", ErrSubject)

	// ErrDecisions is returned by [Report.Encode] for decisions that do not
	// fit the report: a count other than the number of findings, or an
	// invalid status or justification.
	ErrDecisions = errors.New("scanreport: invalid decisions")
)

// ParseError is a report that could not be decoded: where, and why.
type ParseError struct {
	// Format is the format the input was detected as, "" when detection
	// itself failed.
	Format Format
	// Line and Column locate the error in the input, 1-based; 0 when the
	// decoder gave no offset.
	Line, Column int
	// Path is the JSON path of the value that did not decode, such as
	// "Results.Vulnerabilities.InstalledVersion"; "" for syntax errors.
	Path string
	// Err is the decoder's error.
	Err error
}

// Error names the format, the position or path, and the reason.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("scanreport: ")
	if e.Format != "" {
		b.WriteString(string(e.Format) + " ")
	}
	b.WriteString("report")
	if e.Line > 0 {
		fmt.Fprintf(&b, " at line %d, column %d", e.Line, e.Column)
	}
	if e.Path != "" {
		fmt.Fprintf(&b, " at %s", e.Path)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

// Unwrap returns [ErrInvalid], so that errors.Is(err, ErrInvalid) holds.
func (e *ParseError) Unwrap() error { return ErrInvalid }

// SubjectError reports that a report could not be shown to be about the
// image given to [Report.CheckSubject].
type SubjectError struct {
	// Want are the digests given.
	Want []string
	// Got are the digests the report names (manifest digests, repo
	// digests, image config ids); empty for [ErrSubjectUnknown].
	Got []string
	// Artifact is the report's artifact name, for the message.
	Artifact string
	// Err is [ErrSubjectMismatch] or [ErrSubjectUnknown].
	Err error
}

// Error names the artifact, the digests the report names and those wanted.
func (e *SubjectError) Error() string {
	if len(e.Got) == 0 {
		return fmt.Sprintf("%v: the report on %q names no digest, want one of %s", e.Err, e.Artifact, strings.Join(e.Want, ", "))
	}
	return fmt.Sprintf("%v: the report on %q is about %s, want one of %s", e.Err, e.Artifact, strings.Join(e.Got, ", "), strings.Join(e.Want, ", "))
}

// Unwrap returns Err.
func (e *SubjectError) Unwrap() error { return e.Err }
