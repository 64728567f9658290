package vex

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dhisdk/dhisdk/attest/intoto"
)

// Context and predicate type URIs.
const (
	// ContextV020 is the @context of an OpenVEX v0.2.0 document, and the
	// predicate type of an in-toto statement carrying one.
	ContextV020 = "https://openvex.dev/ns/v0.2.0"
	// ContextUnversioned is the @context without a version, which the
	// specification reads as the current version; cosign writes it as the
	// predicate type of `cosign attest --type openvex`.
	ContextUnversioned = "https://openvex.dev/ns"
	// PredicateType is the predicate type of a VEX attestation on a DHI
	// image.
	PredicateType = ContextV020
)

// Document is one OpenVEX document. Its statements keep the order they have
// in the input.
type Document struct {
	// Name names the document, as given by [WithDocumentName]; it may be
	// empty.
	Name string
	// PredicateType is the predicate type of the in-toto statement the
	// document came in, or "" for a bare document.
	PredicateType string
	// Subjects are the subjects of the in-toto statement the document came
	// in (the image digests it is about), or nil for a bare document. They
	// are not verified here.
	Subjects []intoto.Subject

	// Context is the document's @context.
	Context string
	// ID is the document's @id. Real DHI feed documents share one @id, so it
	// does not tell documents apart.
	ID string
	// Author is the document's author.
	Author string
	// AuthorRole is the author's role, "" when absent.
	AuthorRole string
	// Timestamp is the document's timestamp; zero when absent.
	Timestamp time.Time
	// LastUpdated is the document's last_updated time; zero when absent.
	LastUpdated time.Time
	// Version is the document's version.
	Version int
	// Tooling names the tool that wrote the document, "" when absent.
	Tooling string
	// Supplier is the document's supplier, "" when absent.
	Supplier string

	// Statements are the document's statements, in document order.
	Statements []Statement
	// Problems lists, in statement order, every way in which a statement
	// breaks the specification's rules. Statements with problems are kept;
	// see [Index] for how each kind takes part in decisions.
	Problems []*ValidationError
}

// Parse reads one OpenVEX v0.2.0 document from b: a bare document, or an
// in-toto statement (v0.1 or v1) whose predicate type is [ContextV020] or
// [ContextUnversioned] and whose predicate is the document, possibly inside
// cosign's legacy {"Data": ...} wrapper. DSSE envelopes must be opened (and
// verified) first, by package attest.
//
// Input that is not well-formed JSON is a [*ParseError] naming the document and
// the byte offset; input that is not OpenVEX wraps [ErrUnsupported]; input
// larger than the size limit wraps [ErrTooLarge]. Statements that break the
// specification's rules are kept and listed in [Document.Problems], or make
// Parse fail under [WithStrict].
func Parse(b []byte, opts ...Option) (*Document, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > o.maxSize {
		return nil, fmt.Errorf("%w: %s is %d bytes, limit %d", ErrTooLarge, sourceName(o.name), len(b), o.maxSize)
	}
	return parse(b, o)
}

// ParseReader reads one document from r, as [Parse] does, reading at most the
// size limit ([DefaultMaxSize] unless [WithMaxSize] says otherwise); a longer
// input is an error wrapping [ErrTooLarge].
func ParseReader(r io.Reader, opts ...Option) (*Document, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(r, o.maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("vex: reading %s: %w", sourceName(o.name), err)
	}
	if int64(len(b)) > o.maxSize {
		return nil, fmt.Errorf("%w: %s exceeds the limit of %d bytes", ErrTooLarge, sourceName(o.name), o.maxSize)
	}
	return parse(b, o)
}

func parse(b []byte, o options) (*Document, error) {
	body := b
	var st *intoto.Statement
	// Only a JSON object with a _type member can be a statement; skip the
	// statement decode (a full scan of the input) for bare documents.
	if bytes.Contains(b, []byte(`"_type"`)) {
		var err error
		st, body, err = intoto.Open(b)
		if err != nil {
			if pe := parseError(o.name, err, false); pe != nil {
				return nil, pe
			}
			return nil, fmt.Errorf("%w: %s: %v", ErrUnsupported, sourceName(o.name), err)
		}
		if st != nil && st.PredicateType != ContextV020 && st.PredicateType != ContextUnversioned {
			return nil, fmt.Errorf("%w: %s: in-toto statement of predicate type %q", ErrUnsupported, sourceName(o.name), st.PredicateType)
		}
	}
	v, err := decode(body)
	if err != nil {
		if pe := parseError(o.name, err, st != nil); pe != nil {
			return nil, pe
		}
		return nil, fmt.Errorf("%w: %s: %v", ErrMalformedJSON, sourceName(o.name), err)
	}
	if err := checkContext(v, body, o.name); err != nil {
		return nil, err
	}
	doc := newDocument(v, o.name)
	if st != nil {
		doc.PredicateType = st.PredicateType
		doc.Subjects = st.Subject
	}
	if o.strict && len(doc.Problems) > 0 {
		errs := make([]error, len(doc.Problems))
		for i, p := range doc.Problems {
			errs[i] = p
		}
		return nil, errors.Join(errs...)
	}
	return doc, nil
}

// parseError returns a *ParseError for a JSON decoding error that carries an
// offset, or nil.
func parseError(source string, err error, inPredicate bool) *ParseError {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return &ParseError{DocumentName: source, Offset: syn.Offset, InPredicate: inPredicate, Err: syn}
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return &ParseError{DocumentName: source, Offset: typ.Offset, InPredicate: inPredicate, Err: typ}
	}
	return nil
}

// checkContext rejects documents that are not OpenVEX v0.2.0.
func checkContext(v *wireDocument, body []byte, source string) error {
	switch {
	case v.Context == ContextV020 || v.Context == ContextUnversioned:
		return nil
	case v.Context == "" && bytes.Contains(body, []byte(`"payloadType"`)) && bytes.Contains(body, []byte(`"payload"`)):
		return fmt.Errorf("%w: %s is a DSSE envelope; open it (package attest) and parse its payload", ErrUnsupported, sourceName(source))
	case v.Context == "" && bytes.Contains(body, []byte(`"csaf_version"`)):
		return fmt.Errorf("%w: %s is a CSAF document; read it with package vex/csaf", ErrUnsupported, sourceName(source))
	case v.Context == "":
		return fmt.Errorf("%w: %s has no @context", ErrUnsupported, sourceName(source))
	case strings.HasPrefix(v.Context, ContextUnversioned+"/v0.2."):
		// A later patch version of v0.2 keeps the v0.2.0 fields.
		return nil
	}
	return fmt.Errorf("%w: %s has @context %q", ErrUnsupported, sourceName(source), v.Context)
}

// wireDocument is an OpenVEX document as it is decoded: the fields of
// go-vex's vex.VEX, with the statements decoded straight into [Statement].
type wireDocument struct {
	Context     string      `json:"@context"`
	ID          string      `json:"@id"`
	Author      string      `json:"author"`
	AuthorRole  string      `json:"role"`
	Timestamp   time.Time   `json:"timestamp"`
	LastUpdated time.Time   `json:"last_updated"`
	Version     int         `json:"version"`
	Tooling     string      `json:"tooling"`
	Supplier    string      `json:"supplier"`
	Statements  []Statement `json:"statements"`
}

// decode decodes an OpenVEX document with encoding/json, as go-vex's Parse
// does, into the package's own types, so that no copy follows the decode.
func decode(b []byte) (*wireDocument, error) {
	v := &wireDocument{}
	if err := json.Unmarshal(b, v); err != nil {
		return nil, err
	}
	return v, nil
}

// NewDocument completes a document that another reader built (such as
// package vex/csaf, from a CSAF VEX document), as [Parse] completes the
// documents it decodes: it numbers the statements (Statement.Index), sets
// each statement's Time from its own times or else the document's, and
// lists in Problems, and in each statement's Problem, every way in which a
// statement breaks the OpenVEX specification's rules. It returns d.
func NewDocument(d *Document) *Document {
	d.Problems = nil
	docTime := d.LastUpdated
	if docTime.IsZero() {
		docTime = d.Timestamp
	}
	if d.Statements == nil {
		d.Statements = []Statement{}
	}
	for i := range d.Statements {
		s := &d.Statements[i]
		s.Index = i
		s.Problem = nil
		switch {
		case !s.LastUpdated.IsZero():
			s.Time = s.LastUpdated
		case !s.Timestamp.IsZero():
			s.Time = s.Timestamp
		default:
			s.Time = docTime
		}
		for _, p := range validate(s, d.Name) {
			if s.Problem == nil {
				s.Problem = p
			}
			d.Problems = append(d.Problems, p)
		}
	}
	return d
}

// newDocument completes a decoded document and validates its statements.
func newDocument(v *wireDocument, source string) *Document {
	return NewDocument(&Document{
		Name:        source,
		Context:     v.Context,
		ID:          v.ID,
		Author:      v.Author,
		AuthorRole:  v.AuthorRole,
		Timestamp:   v.Timestamp,
		LastUpdated: v.LastUpdated,
		Version:     v.Version,
		Tooling:     v.Tooling,
		Supplier:    v.Supplier,
		Statements:  v.Statements,
	})
}
