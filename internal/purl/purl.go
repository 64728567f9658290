package purl

import (
	"fmt"
	"strings"

	packageurl "github.com/package-url/packageurl-go"
)

// Parse parses s as a package URL and normalizes it by the rules in the
// package documentation. It returns an error wrapping [ErrInvalid] when s is
// not a valid package URL.
func Parse(s string) (packageurl.PackageURL, error) {
	s = strings.TrimSpace(s)
	// packageurl-go lowercases golang namespaces and names; parse golang purls
	// as the generic type, which has no type rules, to keep their case.
	golang := false
	if len(s) >= 4 && strings.EqualFold(s[:4], "pkg:") {
		rest := strings.TrimLeft(s[4:], "/")
		if typ, tail, ok := strings.Cut(rest, "/"); ok && strings.EqualFold(typ, packageurl.TypeGolang) {
			s = "pkg:" + packageurl.TypeGeneric + "/" + tail
			golang = true
		}
	}
	p, err := packageurl.FromString(s)
	if err != nil {
		return packageurl.PackageURL{}, fmt.Errorf("%w %q: %v", ErrInvalid, s, err)
	}
	if golang {
		p.Type = packageurl.TypeGolang
	}
	if lowercaseType(p.Type) {
		p.Namespace = strings.ToLower(p.Namespace)
		p.Name = strings.ToLower(p.Name)
	}
	if p.Type == packageurl.TypePyPi {
		p.Name = strings.ReplaceAll(p.Name, "_", "-")
	}
	if p.Type == packageurl.TypeDebian {
		if v, ok := foldEpoch(p.Version, p.Qualifiers); ok {
			p.Version = v
			p.Qualifiers = without(p.Qualifiers, "epoch")
		}
	}
	if len(p.Qualifiers) == 0 {
		p.Qualifiers = nil
	}
	return p, nil
}

// lowercaseType reports whether the purl specification declares the
// namespace and name of type t case-insensitive (lowercase).
func lowercaseType(t string) bool {
	switch t {
	case "alpm", "apk", "bitbucket", "bitnami", "composer", "deb", "github",
		"hex", "luarocks", "npm", "oci", "otp", "pub", "pypi":
		return true
	}
	return false
}

// foldEpoch returns version prefixed with the value of an epoch qualifier
// and true, or version and false when there is no epoch to fold (no epoch
// qualifier, no version, or a version that already carries an epoch).
func foldEpoch(version string, qs packageurl.Qualifiers) (string, bool) {
	epoch := qualifierFold(qs, "epoch")
	if epoch == "" || version == "" {
		return version, false
	}
	if strings.Contains(version, ":") {
		// The version already names its epoch; the qualifier is redundant.
		return version, true
	}
	return epoch + ":" + version, true
}

// without returns a copy of qs without the qualifier with key k.
func without(qs packageurl.Qualifiers, k string) packageurl.Qualifiers {
	out := make(packageurl.Qualifiers, 0, len(qs))
	for _, q := range qs {
		if q.Key != k {
			out = append(out, q)
		}
	}
	return out
}

// Precision says how much of a purl takes part in a [Key].
type Precision int

const (
	// NameOnly keys on type, namespace and name.
	NameOnly Precision = iota
	// WithVersion keys on type, namespace, name and version.
	WithVersion
	// WithQualifiers keys on type, namespace, name, version and the
	// identifying qualifiers (normalized distro, arch, classifier, type,
	// platform).
	WithQualifiers
)

// String returns the name of the precision.
func (pr Precision) String() string {
	switch pr {
	case NameOnly:
		return "NameOnly"
	case WithVersion:
		return "WithVersion"
	case WithQualifiers:
		return "WithQualifiers"
	}
	return fmt.Sprintf("Precision(%d)", int(pr))
}

// Key returns a canonical, deterministic string for p at precision prec, for
// use as a lookup key; two purls that name the same package at that precision
// have the same key. p is expected to come from [Parse]; Key applies the case
// rules again so that a hand-built value keys the same way. A precision above
// [WithQualifiers] counts as WithQualifiers. The key is itself a valid purl.
func Key(p packageurl.PackageURL, prec Precision) string {
	k := packageurl.PackageURL{
		Type:      strings.ToLower(p.Type),
		Namespace: p.Namespace,
		Name:      p.Name,
	}
	if lowercaseType(k.Type) || k.Type == packageurl.TypeGolang {
		k.Namespace = strings.ToLower(k.Namespace)
		k.Name = strings.ToLower(k.Name)
	}
	if k.Type == packageurl.TypePyPi {
		k.Name = strings.ReplaceAll(k.Name, "_", "-")
	}
	if prec >= WithVersion {
		k.Version = Version(p)
	}
	if prec >= WithQualifiers {
		k.Qualifiers = KeyQualifiers(p)
	}
	return k.ToString()
}

// Version returns the version of p as it takes part in a [WithVersion] key:
// for deb and rpm, an epoch qualifier is folded into the version as
// "<epoch>:<version>".
func Version(p packageurl.PackageURL) string {
	switch strings.ToLower(p.Type) {
	case packageurl.TypeDebian, packageurl.TypeRPM:
		v, _ := foldEpoch(p.Version, p.Qualifiers)
		return v
	}
	return p.Version
}

// KeyQualifiers returns the qualifiers of p that take part in a
// [WithQualifiers] key, normalized and sorted by key: "arch" (lowercased),
// "classifier", "distro" (the value of [Distro]), "platform" and "type". It
// returns nil when p has none of them.
func KeyQualifiers(p packageurl.PackageURL) packageurl.Qualifiers {
	var out packageurl.Qualifiers
	// Emitted in key order: arch, classifier, distro, platform, type.
	if v := qualifierFold(p.Qualifiers, "arch"); v != "" {
		out = append(out, packageurl.Qualifier{Key: "arch", Value: strings.ToLower(v)})
	}
	if v := qualifierFold(p.Qualifiers, "classifier"); v != "" {
		out = append(out, packageurl.Qualifier{Key: "classifier", Value: v})
	}
	if d := Distro(p); d != "" {
		out = append(out, packageurl.Qualifier{Key: "distro", Value: d})
	}
	if v := qualifierFold(p.Qualifiers, "platform"); v != "" {
		out = append(out, packageurl.Qualifier{Key: "platform", Value: v})
	}
	if v := qualifierFold(p.Qualifiers, "type"); v != "" {
		out = append(out, packageurl.Qualifier{Key: "type", Value: v})
	}
	return out
}

// qualifierFold returns the value of the qualifier whose key equals k without
// regard to case, or "". Parsed purls have lowercase keys already; this keeps
// hand-built values working too.
func qualifierFold(qs packageurl.Qualifiers, k string) string {
	for _, q := range qs {
		if strings.EqualFold(q.Key, k) {
			return q.Value
		}
	}
	return ""
}
