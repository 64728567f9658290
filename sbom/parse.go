package sbom

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/dhisdk/dhisdk/attest/intoto"
)

// Parse reads an SBOM from b: an SPDX 2.2 or 2.3 JSON document, a CycloneDX
// 1.4, 1.5 or 1.6 JSON document, either one inside an in-toto statement
// (v0.1 or v1), or either one inside cosign's legacy {"Data": ...} predicate
// wrapper, at the top level or inside a statement. The format is detected by
// content. Parse does not accept DSSE envelopes or sigstore bundles: open
// and verify those first (package attest).
//
// Parse fails with an error wrapping [ErrTooLarge], [ErrUnknownFormat],
// [ErrUnsupportedVersion] or [ErrInvalid]; flaws that leave the document
// usable are recorded as [Document.Warnings] unless [WithStrict] is given.
// Parse keeps no reference to b.
func Parse(b []byte, opts ...Option) (*Document, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > o.maxSize {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(b), o.maxSize)
	}
	return parse(b, o)
}

// ParseReader reads r to its end and parses what it read, as [Parse] does.
// It reads at most the size limit plus one byte, so that an oversized input
// fails with [ErrTooLarge] without being read whole (see [WithMaxSize]).
func ParseReader(r io.Reader, opts ...Option) (*Document, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(r, o.maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("sbom: reading: %w", err)
	}
	if int64(len(b)) > o.maxSize {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, o.maxSize)
	}
	return parse(b, o)
}

// parse detects the format of b, unwrapping statements and legacy wrappers,
// and decodes it.
func parse(b []byte, o *options) (*Document, error) {
	var st *intoto.Statement
	tl, ok := sniff(b)
	if !ok {
		return nil, syntaxError(b, "")
	}
	// At most two layers: a statement, then a legacy wrapper in it (intoto.Open
	// removes that), or a legacy wrapper at the top level.
	if tl.hasType && tl.spdxVersion == "" && tl.bomFormat == "" {
		s, doc, err := intoto.Open(b)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		if s != nil {
			st = s
			b = doc
			if tl, ok = sniff(b); !ok {
				return nil, syntaxError(b, "statement predicate: ")
			}
		}
	}
	if tl.hasData && tl.keys <= 2 && tl.spdxVersion == "" && tl.bomFormat == "" {
		if doc, unwrapped := intoto.UnwrapLegacy(b); unwrapped {
			b = doc
			if tl, ok = sniff(b); !ok {
				return nil, syntaxError(b, "legacy wrapper Data: ")
			}
		}
	}

	var d *Document
	var err error
	switch {
	case tl.spdxVersion != "":
		d, err = parseSPDX(b, tl.spdxVersion)
	case tl.bomFormat != "" || tl.specVersion != "":
		d, err = parseCycloneDX(b, tl)
	case st != nil:
		return nil, fmt.Errorf("%w: the statement's predicate (type %q)", ErrUnknownFormat, st.PredicateType)
	default:
		return nil, ErrUnknownFormat
	}
	if err != nil {
		return nil, err
	}
	if st != nil {
		d.statement = statementOf(st)
		d.checkPredicateType()
	}
	if o.strict && len(d.warnings) > 0 {
		msgs := make([]string, 0, 3)
		for i, w := range d.warnings {
			if i == 3 {
				msgs = append(msgs, fmt.Sprintf("and %d more", len(d.warnings)-3))
				break
			}
			msgs = append(msgs, w.String())
		}
		return nil, fmt.Errorf("%w: %s", ErrInvalid, strings.Join(msgs, "; "))
	}
	return d, nil
}

// statementOf copies what the model keeps of an in-toto statement: all of it
// but the predicate, which is the document itself.
func statementOf(st *intoto.Statement) *intoto.Statement {
	return &intoto.Statement{Type: st.Type, PredicateType: st.PredicateType, Subject: st.Subject}
}

// checkPredicateType records a warning when the statement's predicate type
// does not name the format of the document it carries.
func (d *Document) checkPredicateType() {
	pt := d.statement.PredicateType
	var want string
	switch d.format {
	case FormatSPDX:
		want = PredicateTypeSPDX
	case FormatCycloneDX:
		want = PredicateTypeCycloneDX
	}
	if pt == want || strings.HasPrefix(pt, want+"/") {
		return
	}
	d.warn("predicateType", "statement predicate type %q does not name the %s document it carries", pt, d.format)
}

// warn records a warning.
func (d *Document) warn(where, format string, args ...any) {
	d.warnings = append(d.warnings, Warning{Where: where, Message: fmt.Sprintf(format, args...)})
}

// syntaxError returns the error for input the detection scan rejected: an
// error wrapping ErrInvalid that says where b stops being valid JSON, or
// ErrUnknownFormat for valid JSON that is not an object. in prefixes the
// message with the part of the input b is.
func syntaxError(b []byte, in string) error {
	if json.Valid(b) {
		return fmt.Errorf("%w: %snot a JSON object", ErrUnknownFormat, in)
	}
	var v any
	err := json.Unmarshal(b, &v)
	if err == nil {
		return fmt.Errorf("%w: %snot a JSON object", ErrInvalid, in)
	}
	return decodeError(b, in, err)
}

// decodeError wraps a JSON decoding error in ErrInvalid, with the line and
// column where it occurred when it says. in prefixes the message with the
// part of the input b is.
func decodeError(b []byte, in string, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := lineCol(b, se.Offset)
		return fmt.Errorf("%w: %sJSON syntax error at line %d, column %d: %v", ErrInvalid, in, line, col, err)
	}
	var ue *json.UnmarshalTypeError
	if errors.As(err, &ue) {
		line, col := lineCol(b, ue.Offset)
		where := ue.Field
		if where == "" {
			where = "top level"
		}
		return fmt.Errorf("%w: %s%s at line %d, column %d: JSON %s where %v is expected", ErrInvalid, in, where, line, col, ue.Value, ue.Type)
	}
	return fmt.Errorf("%w: %s%v", ErrInvalid, in, err)
}

// lineCol returns the 1-based line and column of the byte that ends the
// first off bytes of b: encoding/json reports errors "after reading off
// bytes", so that byte is the one in error.
func lineCol(b []byte, off int64) (line, col int) {
	off = min(max(off-1, 0), int64(len(b)))
	pre := b[:off]
	line = bytes.Count(pre, []byte{'\n'}) + 1
	col = int(off) - bytes.LastIndexByte(pre, '\n')
	return line, col
}
