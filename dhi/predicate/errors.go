package predicate

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dhisdk/dhisdk/internal/sizelimit"
)

// Sentinel errors. Every problem with a predicate's content wraps
// [ErrInvalid], so errors.Is(err, predicate.ErrInvalid) catches
// them all; the error returned is a [*Error] that names the
// predicate type.
var (
	// ErrInvalid reports a predicate that is not JSON, or whose
	// fields are missing or of the wrong type or format for its predicate
	// type.
	ErrInvalid = errors.New("predicate: invalid predicate")
	// ErrUnsupported reports a predicate type that a function does
	// not read, such as an SBOM passed to [ParseFindings].
	ErrUnsupported = errors.New("predicate: unsupported predicate type")
	// ErrNotFound reports that something asked for is absent, such as a
	// report format that a STIG profile does not carry.
	ErrNotFound = errors.New("predicate: not found")
	// ErrTooLarge reports content larger than the limit the caller set, such
	// as a STIG report that would decode to more than the given size.
	// It is the SDK's one size-limit error, the value of attest.ErrTooLarge
	// too.
	ErrTooLarge = sizelimit.ErrTooLarge
)

// Error reports a predicate whose content does not have the shape
// its predicate type documents. It wraps [ErrInvalid].
type Error struct {
	// PredicateType is the predicate type URI whose shape was expected,
	// such as [TypeFIPS].
	PredicateType string
	// Detail says what is wrong and where, such as
	// "module 1: sunsetDate: \"2030-13-10\" is not a date".
	Detail string
}

// Error returns the message, naming the predicate type and the problem.
func (e *Error) Error() string {
	return fmt.Sprintf("%s %s: %s", ErrInvalid.Error(), e.PredicateType, e.Detail)
}

// Unwrap returns [ErrInvalid].
func (e *Error) Unwrap() error { return ErrInvalid }

// invalid returns a *Error for predicateType.
func invalid(predicateType, format string, args ...any) error {
	return &Error{PredicateType: predicateType, Detail: fmt.Sprintf(format, args...)}
}

// jsonDetail describes a decoding error from encoding/json without naming
// this package's internal types.
func jsonDetail(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("malformed json at byte offset %d: %s", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		msg := fmt.Sprintf("got a json %s, want %s", typ.Value, jsonKind(typ.Type.Kind().String()))
		if typ.Field != "" {
			msg = typ.Field + ": " + msg
		}
		return msg
	default:
		return err.Error()
	}
}

// jsonKind names a Go kind as the JSON type it is decoded from.
func jsonKind(kind string) string {
	switch kind {
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "an integer"
	case "float32", "float64":
		return "a number"
	default:
		return kind
	}
}

// describeJSON names the JSON type of the value b starts with.
func describeJSON(b []byte) string {
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	default:
		return "number"
	}
}
