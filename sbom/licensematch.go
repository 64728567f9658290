package sbom

import "strings"

// MatchLicense reports whether the SPDX licence expression expr involves
// the licence query, anywhere in it (either side of OR and AND, before
// WITH). The query is a licence identifier or a family, compared without
// regard to case:
//
//   - "GPL-3.0-only" matches GPL-3.0-only and the deprecated GPL-3.0;
//   - "GPL-3.0-or-later" matches GPL-3.0-or-later and GPL-3.0+;
//   - "GPL-3.0" (no suffix) is the family of both: GPL-3.0, GPL-3.0-only,
//     GPL-3.0-or-later, GPL-3.0+;
//   - "GPL" (no version) is the family of every version: GPL-2.0-only,
//     GPL-3.0-or-later, ... but not LGPL-2.1-only or AGPL-3.0-only;
//   - any other identifier, such as "MIT" or "LicenseRef-Expat", matches
//     itself.
//
// An expression that does not parse is read as its words other than
// operators.
func MatchLicense(expr, query string) bool {
	q := strings.ToLower(strings.TrimSpace(query))
	if q == "" {
		return false
	}
	for _, id := range licenseIDs(expr) {
		if licenseInFamily(strings.ToLower(id), q) {
			return true
		}
	}
	return false
}

// licenseInFamily reports whether the identifier id (lower case) is the
// query q (lower case) or in its family.
func licenseInFamily(id, q string) bool {
	if id == q {
		return true
	}
	base, suffix := splitLicenseSuffix(id)
	switch qb, qs := splitLicenseSuffix(q); {
	case qs == "-only":
		return base == qb && (suffix == "-only" || suffix == "")
	case qs == "-or-later":
		return base == qb && (suffix == "-or-later" || suffix == "+")
	case qs == "+":
		return base == qb && (suffix == "-or-later" || suffix == "+")
	}
	if base == q {
		return true // a versioned family: GPL-3.0
	}
	// A family without a version: GPL is GPL-<version>, not LGPL.
	rest, ok := strings.CutPrefix(base, q+"-")
	return ok && rest != "" && rest[0] >= '0' && rest[0] <= '9'
}

// splitLicenseSuffix splits "gpl-3.0-or-later" into "gpl-3.0" and
// "-or-later"; the suffixes are -only, -or-later and +.
func splitLicenseSuffix(id string) (base, suffix string) {
	for _, s := range []string{"-only", "-or-later", "+"} {
		if b, ok := strings.CutSuffix(id, s); ok {
			return b, s
		}
	}
	return id, ""
}

// LicenseExpressions returns the package's declared and concluded licence
// expressions as the SBOM gives them, without NONE, NOASSERTION and
// repeats: the form that keeps OR and AND, which [Package.Licenses]
// flattens.
func (p *Package) LicenseExpressions() []string {
	var out []string
	for _, e := range [...]string{p.DeclaredLicense, p.ConcludedLicense} {
		if e == "" || e == none || e == noAssertion {
			continue
		}
		dup := false
		for _, o := range out {
			dup = dup || o == e
		}
		if !dup {
			out = append(out, e)
		}
	}
	return out
}

// SameLicense reports whether two SPDX licence expressions are the same
// once the operands of AND and OR are sorted and operators upper-cased:
// "MIT AND Apache-2.0" and "Apache-2.0 and MIT" are.
func SameLicense(a, b string) bool {
	if a == b {
		return true // the canonical form is a function of the text
	}
	id := func(s string) string { return s }
	return canonicalLicense(a, id) == canonicalLicense(b, id)
}
