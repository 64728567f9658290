package sbom

import (
	"errors"
	"slices"
	"strings"
)

const (
	licenseRefPrefix = "LicenseRef-"
	noAssertion      = "NOASSERTION"
	none             = "NONE"
)

// licenseNode is a parsed SPDX license expression: a leaf (id, with its "+"
// and WITH exception) or an AND/OR of its kids.
type licenseNode struct {
	op   string // "", "AND" or "OR"
	id   string // leaf: license identifier as written, "+" included
	with string // leaf: exception identifier
	kids []*licenseNode
}

var errLicenseSyntax = errors.New("not a valid SPDX license expression")

// parseLicense parses an SPDX license expression (SPDX 2.3 Annex D). The
// operators are accepted in any case.
func parseLicense(expr string) (*licenseNode, error) {
	p := licenseParser{toks: licenseTokens(expr)}
	if len(p.toks) == 0 {
		return nil, errLicenseSyntax
	}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i != len(p.toks) {
		return nil, errLicenseSyntax
	}
	return n, nil
}

// licenseTokens splits an expression into words and parentheses.
func licenseTokens(expr string) []string {
	var toks []string
	start := -1
	flush := func(i int) {
		if start >= 0 {
			toks = append(toks, expr[start:i])
			start = -1
		}
	}
	for i := 0; i < len(expr); i++ {
		switch c := expr[i]; c {
		case ' ', '\t', '\n', '\r':
			flush(i)
		case '(', ')':
			flush(i)
			toks = append(toks, expr[i:i+1])
		default:
			if start < 0 {
				start = i
			}
		}
	}
	flush(len(expr))
	return toks
}

type licenseParser struct {
	toks []string
	i    int
}

func (p *licenseParser) peekOp(op string) bool {
	return p.i < len(p.toks) && strings.EqualFold(p.toks[p.i], op)
}

func (p *licenseParser) or() (*licenseNode, error) {
	return p.binary("OR", p.and)
}

func (p *licenseParser) and() (*licenseNode, error) {
	return p.binary("AND", p.term)
}

func (p *licenseParser) binary(op string, next func() (*licenseNode, error)) (*licenseNode, error) {
	first, err := next()
	if err != nil {
		return nil, err
	}
	if !p.peekOp(op) {
		return first, nil
	}
	n := &licenseNode{op: op, kids: []*licenseNode{first}}
	for p.peekOp(op) {
		p.i++
		k, err := next()
		if err != nil {
			return nil, err
		}
		n.kids = append(n.kids, k)
	}
	return n, nil
}

func (p *licenseParser) term() (*licenseNode, error) {
	if p.i >= len(p.toks) {
		return nil, errLicenseSyntax
	}
	t := p.toks[p.i]
	if t == "(" {
		p.i++
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.i >= len(p.toks) || p.toks[p.i] != ")" {
			return nil, errLicenseSyntax
		}
		p.i++
		return n, nil
	}
	if !validLicenseID(t) {
		return nil, errLicenseSyntax
	}
	p.i++
	n := &licenseNode{id: t}
	if p.peekOp("WITH") {
		p.i++
		if p.i >= len(p.toks) || !validLicenseID(p.toks[p.i]) {
			return nil, errLicenseSyntax
		}
		n.with = p.toks[p.i]
		p.i++
	}
	return n, nil
}

// validLicenseID reports whether w can be a license identifier, license
// reference or exception: idstring characters, an optional trailing "+", and
// a ":" after a DocumentRef-; not an operator or parenthesis.
func validLicenseID(w string) bool {
	switch strings.ToUpper(w) {
	case "AND", "OR", "WITH", "(", ")", "":
		return false
	}
	core := strings.TrimSuffix(w, "+")
	if core == "" {
		return false
	}
	for i := 0; i < len(core); i++ {
		c := core[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

// licenseIDs returns the license identifiers in expr in order of appearance
// (repeats included, exceptions and NONE/NOASSERTION excluded). For an
// expression that does not parse, its words other than operators.
func licenseIDs(expr string) []string {
	if expr == "" {
		return nil
	}
	var out []string
	add := func(id string) {
		if id != none && id != noAssertion {
			out = append(out, id)
		}
	}
	n, err := parseLicense(expr)
	if err != nil {
		for _, t := range licenseTokens(expr) {
			if validLicenseID(t) {
				add(t)
			}
		}
		return out
	}
	var walk func(*licenseNode)
	walk = func(n *licenseNode) {
		if n.op == "" {
			add(n.id)
			return
		}
		for _, k := range n.kids {
			walk(k)
		}
	}
	walk(n)
	return out
}

// canonicalLicense renders expr in a canonical form for comparison: operands
// of AND and OR flattened and sorted, operators in upper case, and each
// identifier replaced by name(id). An expression that does not parse is
// returned with its white space collapsed.
func canonicalLicense(expr string, name func(string) string) string {
	if expr == "" {
		return ""
	}
	n, err := parseLicense(expr)
	if err != nil {
		return strings.Join(strings.Fields(expr), " ")
	}
	return renderCanonical(n, name, false)
}

func renderCanonical(n *licenseNode, name func(string) string, nested bool) string {
	if n.op == "" {
		s := name(n.id)
		if n.with != "" {
			s += " WITH " + n.with
		}
		return s
	}
	var parts []string
	var collect func(*licenseNode)
	collect = func(k *licenseNode) {
		if k.op == n.op {
			for _, kk := range k.kids {
				collect(kk)
			}
			return
		}
		parts = append(parts, renderCanonical(k, name, true))
	}
	collect(n)
	slices.Sort(parts)
	parts = slices.Compact(parts)
	s := strings.Join(parts, " "+n.op+" ")
	if nested && len(parts) > 1 {
		s = "(" + s + ")"
	}
	return s
}

// joinLicenses joins expressions with AND, parenthesizing compound ones.
func joinLicenses(exprs []string) string {
	switch len(exprs) {
	case 0:
		return ""
	case 1:
		return exprs[0]
	}
	var b strings.Builder
	for i, e := range exprs {
		if i > 0 {
			b.WriteString(" AND ")
		}
		if strings.ContainsAny(e, " \t\n\r()") {
			b.WriteString("(" + e + ")")
		} else {
			b.WriteString(e)
		}
	}
	return b.String()
}

// andOperands splits expr into the operands of its top-level AND, or returns
// expr alone when its top level is not an AND or it does not parse. Leaves
// are rendered as written; compound operands without outer parentheses.
func andOperands(expr string) []string {
	n, err := parseLicense(expr)
	if err != nil || n.op != "AND" {
		return []string{expr}
	}
	out := make([]string, 0, len(n.kids))
	for _, k := range n.kids {
		out = append(out, renderLicense(k, false))
	}
	return out
}

// renderLicense renders n as an expression, in the order written.
func renderLicense(n *licenseNode, nested bool) string {
	if n.op == "" {
		if n.with != "" {
			return n.id + " WITH " + n.with
		}
		return n.id
	}
	parts := make([]string, len(n.kids))
	for i, k := range n.kids {
		parts[i] = renderLicense(k, true)
	}
	s := strings.Join(parts, " "+n.op+" ")
	if nested {
		s = "(" + s + ")"
	}
	return s
}

// isSimpleLicenseID reports whether expr is one license identifier from the
// SPDX list (not a reference, no "+", no exception).
func isSimpleLicenseID(expr string) bool {
	if !validLicenseID(expr) || strings.HasSuffix(expr, "+") || strings.Contains(expr, ":") {
		return false
	}
	_, isRef := cutPrefixFold(expr, licenseRefPrefix)
	return !isRef && !strings.HasPrefix(expr, "DocumentRef-") && expr != none && expr != noAssertion
}

// licenseRefID makes a LicenseRef- identifier from a licence name: characters
// an SPDX idstring cannot hold become "-".
func licenseRefID(name string) string {
	var b strings.Builder
	b.WriteString(licenseRefPrefix)
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' {
			b.WriteByte(c)
		} else {
			b.WriteByte('-')
		}
	}
	if b.Len() == len(licenseRefPrefix) {
		b.WriteString("unnamed")
	}
	return b.String()
}

// licenseValue returns an SPDX licence field as the model holds it: trimmed,
// and "" for NOASSERTION.
func licenseValue(s string) string {
	s = strings.TrimSpace(s)
	if s == noAssertion {
		return ""
	}
	return s
}

// cutPrefixFold is strings.CutPrefix without regard to ASCII case.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
