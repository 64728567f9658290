package csaf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	gocsaf "github.com/gocsaf/csaf/v3/csaf"

	"github.com/dhisdk/dhisdk/vex"
)

// Context is the value of [vex.Document.Context] for documents read from
// CSAF: the CSAF 2.0 JSON schema.
const Context = "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json"

// CategoryVEX is the document.category of a CSAF VEX document, the only
// category read.
const CategoryVEX = "csaf_vex"

// DefaultMaxSize is the default limit on the size of one document read by
// [Parse] or [ParseReader]: 64 MiB. Red Hat's largest VEX documents (the
// kernel's) are a few tens of megabytes.
const DefaultMaxSize = 64 << 20

// Parse reads one CSAF 2.0 document of category csaf_vex from b and returns
// it as a [vex.Document], ready for [vex.NewIndex] beside OpenVEX documents.
//
// The document is decoded by gocsaf (github.com/gocsaf/csaf/v3), which
// checks each field's shape, and validated by its Validate method. It is
// recognised by content: a document whose document.category is not
// csaf_vex wraps [ErrUnsupported]; input that is not CSAF JSON wraps
// [ErrInvalid]; input larger than the size limit wraps [ErrTooLarge].
//
// Each vulnerability becomes one statement per status and justification
// (or action), whose products are the product tree's products named in
// product_status:
//
//   - known_not_affected is not_affected, fixed is fixed, known_affected is
//     affected, under_investigation is under_investigation;
//   - a flag's label (component_not_present, vulnerable_code_not_present,
//     ...) is the justification of the not_affected products it names,
//     directly or through product groups; a threat of category impact gives
//     the impact statement;
//   - a remediation's details are the action statement of the affected
//     products it names.
//
// A product is identified by the purl of its product_identification_helper
// (its @id) and its CPE (an identifier of type cpe22 or cpe23), found in
// full_product_names and, at any depth, in branches. A product that a
// default_component_of relationship defines is the product it relates to
// with the component as a subcomponent, so a statement on a package in a
// container image (pkg:oci/...) meets that package in that image only.
// Products of other relationship categories, and products with neither purl
// nor CPE, are left out; a statement left with no product is listed in
// [vex.Document.Problems].
//
// The CSAF document's tracking gives the document's ID, version and times:
// current_release_date is LastUpdated, the time every statement takes.
func Parse(b []byte, opts ...Option) (*vex.Document, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > o.maxSize {
		return nil, fmt.Errorf("%w: %s is %d bytes, limit %d", ErrTooLarge, o.docName(), len(b), o.maxSize)
	}
	return parse(b, o)
}

// ParseReader reads one document from r, as [Parse] does, reading at most
// the size limit ([DefaultMaxSize] unless [WithMaxSize] says otherwise); a
// longer input is an error wrapping [ErrTooLarge].
func ParseReader(r io.Reader, opts ...Option) (*vex.Document, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(r, o.maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("csaf: reading %s: %w", o.docName(), err)
	}
	if int64(len(b)) > o.maxSize {
		return nil, fmt.Errorf("%w: %s exceeds the limit of %d bytes", ErrTooLarge, o.docName(), o.maxSize)
	}
	return parse(b, o)
}

// IsVEX reports whether b looks like a CSAF VEX document: a JSON object whose
// document.category is csaf_vex. It decodes only that member.
func IsVEX(b []byte) bool {
	var head struct {
		Document struct {
			Category string `json:"category"`
		} `json:"document"`
	}
	if !bytes.Contains(b, []byte(`"csaf_version"`)) || json.Unmarshal(b, &head) != nil {
		return false
	}
	return head.Document.Category == CategoryVEX
}

func parse(b []byte, o options) (*vex.Document, error) {
	var head struct {
		Document *struct {
			Category    *string `json:"category"`
			CSAFVersion *string `json:"csaf_version"`
		} `json:"document"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, o.docName(), err)
	}
	switch {
	case head.Document == nil || head.Document.CSAFVersion == nil:
		return nil, fmt.Errorf("%w: %s is not a CSAF document (no document.csaf_version)", ErrUnsupported, o.docName())
	case head.Document.Category == nil || *head.Document.Category != CategoryVEX:
		cat := ""
		if head.Document.Category != nil {
			cat = *head.Document.Category
		}
		return nil, fmt.Errorf("%w: %s has document.category %q, not %q", ErrUnsupported, o.docName(), cat, CategoryVEX)
	}
	side, rest, err := splitGroups(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, o.docName(), err)
	}
	var adv gocsaf.Advisory
	if err := json.Unmarshal(rest, &adv); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, o.docName(), err)
	}
	if err := adv.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, o.docName(), err)
	}
	return convert(&adv, side, o.name), nil
}

// Sentinel errors.
var (
	// ErrInvalid is the parent of every error about a document's content.
	ErrInvalid = errors.New("csaf: invalid document")
	// ErrUnsupported is returned for input that is not a CSAF 2.0 document
	// of category csaf_vex.
	ErrUnsupported = fmt.Errorf("%w: not a csaf vex document", ErrInvalid)
	// ErrTooLarge is returned when the input exceeds the size limit (see
	// [WithMaxSize]).
	ErrTooLarge = fmt.Errorf("%w: document too large", ErrInvalid)
)

// convert turns a validated advisory into a vex.Document.
func convert(adv *gocsaf.Advisory, side *sideGroups, name string) *vex.Document {
	d := &vex.Document{Name: name, Context: Context}
	if doc := adv.Document; doc != nil {
		if doc.Publisher != nil {
			d.Author = str(doc.Publisher.Name)
			if doc.Publisher.Category != nil {
				d.AuthorRole = string(*doc.Publisher.Category)
			}
		}
		if t := doc.Tracking; t != nil {
			if t.ID != nil {
				d.ID = string(*t.ID)
			}
			d.Timestamp = parseTime(str(t.InitialReleaseDate))
			d.LastUpdated = parseTime(str(t.CurrentReleaseDate))
			if t.Version != nil {
				d.Version, _ = strconv.Atoi(string(*t.Version))
			}
			if g := t.Generator; g != nil && g.Engine != nil {
				d.Tooling = strings.TrimSpace(str(g.Engine.Name) + " " + str(g.Engine.Version))
			}
		}
	}
	tree := newTree(adv.ProductTree, side)
	for vi, v := range adv.Vulnerabilities {
		if v != nil {
			d.Statements = append(d.Statements, statements(vi, v, tree)...)
		}
	}
	return vex.NewDocument(d)
}

// statements returns the statements of one vulnerability: one per status
// and justification, impact or action statement, in the order of
// product_status.
func statements(vi int, v *gocsaf.Vulnerability, tree *tree) []vex.Statement {
	vuln := vulnerability(v)
	ps := v.ProductStatus
	if ps == nil {
		return nil
	}
	var out []vex.Statement
	add := func(status vex.Status, ids *gocsaf.Products, detail func(id string) (vex.Justification, string)) {
		if ids == nil {
			return
		}
		type key struct {
			j    vex.Justification
			text string
		}
		var order []key
		groups := map[key][]vex.Product{}
		for _, id := range *ids {
			if id == nil {
				continue
			}
			var k key
			if detail != nil {
				k.j, k.text = detail(string(*id))
			}
			if _, ok := groups[k]; !ok {
				order = append(order, k)
				groups[k] = []vex.Product{}
			}
			if p, ok := tree.product(string(*id)); ok {
				groups[k] = append(groups[k], p)
			}
		}
		for _, k := range order {
			s := vex.Statement{Vulnerability: vuln, Status: status, Products: groups[k], Justification: k.j}
			switch status {
			case vex.StatusNotAffected:
				s.ImpactStatement = k.text
			case vex.StatusAffected:
				s.ActionStatement = k.text
			}
			out = append(out, s)
		}
	}
	add(vex.StatusNotAffected, ps.KnownNotAffected, func(id string) (vex.Justification, string) {
		return justification(vi, v, tree, id), threat(vi, v, tree, id, gocsaf.CSAFThreatCategoryImpact)
	})
	add(vex.StatusFixed, ps.Fixed, nil)
	add(vex.StatusAffected, ps.KnownAffected, func(id string) (vex.Justification, string) {
		return "", action(vi, v, tree, id)
	})
	add(vex.StatusUnderInvestigation, ps.UnderInvestigation, nil)
	return out
}

// vulnerability names a CSAF vulnerability: its CVE, else its first id;
// the other ids are aliases.
func vulnerability(v *gocsaf.Vulnerability) vex.Vulnerability {
	var out vex.Vulnerability
	var ids []string
	if v.CVE != nil {
		ids = append(ids, string(*v.CVE))
	}
	for _, id := range v.IDs {
		if id != nil && id.Text != nil && !slices.Contains(ids, *id.Text) {
			ids = append(ids, *id.Text)
		}
	}
	if len(ids) > 0 {
		out.Name = ids[0]
		out.Aliases = ids[1:]
		if len(out.Aliases) == 0 {
			out.Aliases = nil
		}
	}
	out.Description = str(v.Title)
	for _, n := range v.Notes {
		if n != nil && n.NoteCategory != nil && *n.NoteCategory == gocsaf.CSAFNoteCategoryDescription && n.Text != nil {
			out.Description = *n.Text
			break
		}
	}
	return out
}

// justification returns the label of the first flag that names product id,
// as a justification; the labels are OpenVEX's justifications.
func justification(vi int, v *gocsaf.Vulnerability, t *tree, id string) vex.Justification {
	for i, f := range v.Flags {
		if f != nil && f.Label != nil && t.names(f.ProductIds, t.side.groupIDs(vi, "flags", i), id) {
			return vex.Justification(*f.Label)
		}
	}
	return ""
}

// threat returns the details of the first threat of category cat that names
// product id.
func threat(vi int, v *gocsaf.Vulnerability, t *tree, id string, cat gocsaf.ThreatCategory) string {
	for i, th := range v.Threats {
		if th != nil && th.Category != nil && *th.Category == cat && t.names(th.ProductIds, t.side.groupIDs(vi, "threats", i), id) {
			return str(th.Details)
		}
	}
	return ""
}

// action returns the details of the remediations that name product id,
// each prefixed by its category, joined by "; ".
func action(vi int, v *gocsaf.Vulnerability, t *tree, id string) string {
	var parts []string
	for i, r := range v.Remediations {
		if r == nil || !t.names(r.ProductIds, t.side.groupIDs(vi, "remediations", i), id) {
			continue
		}
		text := str(r.Details)
		if r.Category != nil {
			text = string(*r.Category) + ": " + text
		}
		parts = append(parts, text)
	}
	return strings.Join(parts, "; ")
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// parseTime parses a CSAF date-time (RFC 3339); zero when absent or
// malformed (gocsaf's validation has checked required dates are present).
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
