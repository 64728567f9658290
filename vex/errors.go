package vex

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/dhisdk/dhisdk/internal/sizelimit"
)

// Sentinel errors. Every problem with a document's content wraps
// [ErrInvalid], so errors.Is(err, vex.ErrInvalid) catches them all.
var (
	// ErrInvalid is the parent of every error about a document's content.
	ErrInvalid = errors.New("vex: invalid document")
	// ErrMalformedJSON is wrapped by a [*ParseError] when the bytes are not
	// well-formed JSON of the expected shape (truncated, wrong types).
	ErrMalformedJSON = fmt.Errorf("%w: malformed json", ErrInvalid)
	// ErrUnsupported is returned for input that is not an OpenVEX v0.2.0
	// document: another @context, an in-toto statement of another predicate
	// type, a DSSE envelope.
	ErrUnsupported = fmt.Errorf("%w: not an openvex v0.2.0 document", ErrInvalid)
	// ErrTooLarge is returned when the input exceeds the size limit (see
	// [WithMaxSize]). It wraps ErrInvalid and the SDK's one size-limit
	// error, so errors.Is(err, attest.ErrTooLarge) matches it too.
	ErrTooLarge = sizelimit.Under(ErrInvalid, "document too large")

	// ErrInvalidStatement is the parent of every problem with one statement;
	// a [*ValidationError] wraps it.
	ErrInvalidStatement = fmt.Errorf("%w: invalid statement", ErrInvalid)
	// ErrInvalidStatus reports a status that is not one of [Statuses]. Such
	// a statement takes no part in any decision.
	ErrInvalidStatus = fmt.Errorf("%w: invalid status", ErrInvalidStatement)
	// ErrMissingJustification reports a not_affected statement with neither
	// a justification nor an impact statement.
	ErrMissingJustification = fmt.Errorf("%w: not_affected without justification or impact statement", ErrInvalidStatement)
	// ErrInvalidJustification reports a justification that is not one of
	// [Justifications].
	ErrInvalidJustification = fmt.Errorf("%w: invalid justification", ErrInvalidStatement)
	// ErrMissingActionStatement reports an affected statement without an
	// action statement.
	ErrMissingActionStatement = fmt.Errorf("%w: affected without action statement", ErrInvalidStatement)
	// ErrMissingVulnerability reports a statement that names no
	// vulnerability. Such a statement takes no part in any decision.
	ErrMissingVulnerability = fmt.Errorf("%w: no vulnerability name", ErrInvalidStatement)
	// ErrNoProducts reports a statement that names no product. Such a
	// statement matches nothing.
	ErrNoProducts = fmt.Errorf("%w: no products", ErrInvalidStatement)
	// ErrInvalidProduct reports a product or subcomponent identifier that
	// starts with "pkg:" but is not a valid package URL; [NewIndex] then
	// matches it as an exact string only.
	ErrInvalidProduct = fmt.Errorf("%w: invalid product identifier", ErrInvalidStatement)
	// ErrMissingTimestamp reports a statement without a time: neither it
	// nor its document has a timestamp. It then ranks as the oldest.
	ErrMissingTimestamp = fmt.Errorf("%w: no timestamp", ErrInvalidStatement)
)

// ParseError reports input that could not be decoded, with the byte offset
// at which decoding stopped. It wraps [ErrMalformedJSON] and the decoder's
// own error (a *json.SyntaxError or *json.UnmarshalTypeError).
type ParseError struct {
	// DocumentName names the document, as given by [WithDocumentName]; it
	// may be empty.
	DocumentName string
	// Offset is the byte offset in the input at which decoding failed. When
	// InPredicate is true it counts from the start of the in-toto statement's
	// predicate instead.
	Offset int64
	// InPredicate is true when the in-toto statement around the document
	// decoded but the OpenVEX document inside its predicate did not.
	InPredicate bool
	// Err is the decoder's error.
	Err error
}

// Error returns the message, naming the document and the offset.
func (e *ParseError) Error() string {
	where := "byte offset"
	if e.InPredicate {
		where = "predicate byte offset"
	}
	return fmt.Sprintf("vex: %s: malformed json at %s %d: %s", sourceName(e.DocumentName), where, e.Offset, describeJSONError(e.Err))
}

// describeJSONError says what the decoder found wrong in the words of the
// JSON document rather than of the Go types it was decoding into.
func describeJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return err.Error()
	}
	where := "the document"
	if te.Field != "" {
		where = "field " + te.Field
	}
	return fmt.Sprintf("%s: got a JSON %s, want %s", where, te.Value, jsonKind(te.Type))
}

// jsonKind names the JSON value a Go type is decoded from.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another value"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "another value"
}

// Unwrap returns [ErrMalformedJSON] and the decoder's error.
func (e *ParseError) Unwrap() []error { return []error{ErrMalformedJSON, e.Err} }

// ValidationError reports a statement (or a document-level field) that does
// not follow the OpenVEX specification. It wraps one of the sentinels that
// wrap [ErrInvalidStatement].
type ValidationError struct {
	// DocumentName names the document, as given by [WithDocumentName]; it
	// may be empty.
	DocumentName string
	// Statement is the index of the statement in the document's statements
	// array.
	Statement int
	// StatementID is the statement's @id, which may be empty and, in real
	// documents, is not always unique.
	StatementID string
	// Vulnerability is the statement's vulnerability name.
	Vulnerability string
	// Detail adds what was found, such as the invalid value; it may be empty.
	Detail string
	// Err is the sentinel naming the problem.
	Err error
}

// Error returns the message, naming the document, the statement and the
// problem.
func (e *ValidationError) Error() string {
	msg := fmt.Sprintf("vex: %s: statement %d", sourceName(e.DocumentName), e.Statement)
	if e.StatementID != "" {
		msg += fmt.Sprintf(" (@id %s)", e.StatementID)
	}
	if e.Vulnerability != "" {
		msg += " on " + e.Vulnerability
	}
	msg += ": " + strings.TrimPrefix(e.Err.Error(), ErrInvalidStatement.Error()+": ")
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Unwrap returns the sentinel naming the problem.
func (e *ValidationError) Unwrap() error { return e.Err }

// sourceName returns the name used for a document in messages.
func sourceName(s string) string {
	if s == "" {
		return "document"
	}
	return s
}
