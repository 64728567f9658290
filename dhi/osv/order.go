package osv

import (
	"errors"
	"fmt"
	"strings"

	"github.com/google/osv-scalibr/semantic"
	"github.com/package-url/packageurl-go"
)

// Order is a version order: the rules by which one ecosystem sorts its
// versions. Each is implemented by github.com/google/osv-scalibr/semantic.
type Order string

// The version orders.
const (
	// OrderSemVer is Semantic Versioning 2.0, lenient: a leading "v" and
	// more than three numeric components are accepted, build metadata
	// ("+incompatible") is ignored. Go, npm, crates.io, Hex, and the image
	// versions of pkg:dhi use it, and so does every SEMVER range.
	OrderSemVer Order = "semver"
	// OrderDebian is dpkg's order: epochs ("1:2.3-1"), tildes sorting
	// before anything ("1.0~rc1" < "1.0"), Debian revisions. Debian,
	// Ubuntu and the Debian-based DHI ecosystems use it.
	OrderDebian Order = "debian"
	// OrderAlpine is apk's order: letters, suffixes ("_rc1", "_p2") and
	// "-r" revisions ("1.2.3-r0" < "1.2.3-r10"). Alpine, Wolfi, Chainguard
	// and the Alpine-based DHI ecosystems use it.
	OrderAlpine Order = "alpine"
	// OrderPyPI is PEP 440: pre-, post- and dev-releases, epochs, local
	// versions.
	OrderPyPI Order = "pypi"
	// OrderMaven is Maven's ComparableVersion order, with qualifiers
	// (alpha < beta < milestone < rc < snapshot < release < sp).
	OrderMaven Order = "maven"
	// OrderRedHat is rpm's order (epoch:version-release).
	OrderRedHat Order = "redhat"
	// OrderRubyGems is RubyGems' order.
	OrderRubyGems Order = "rubygems"
	// OrderNuGet is NuGet's order.
	OrderNuGet Order = "nuget"
	// OrderPackagist is Composer's order.
	OrderPackagist Order = "packagist"
	// OrderPub is Dart's pub order.
	OrderPub Order = "pub"
)

// Orders returns every [Order].
func Orders() []Order {
	return []Order{OrderSemVer, OrderDebian, OrderAlpine, OrderPyPI, OrderMaven,
		OrderRedHat, OrderRubyGems, OrderNuGet, OrderPackagist, OrderPub}
}

// Valid reports whether o is one of [Orders].
func (o Order) Valid() bool {
	for _, x := range Orders() {
		if o == x {
			return true
		}
	}
	return false
}

// Compare compares versions a and b in order o: -1 when a sorts before b,
// 0 when they are equal in this order, +1 when a sorts after b. A version
// the order cannot read gives a [*VersionError]; an invalid o gives an
// error wrapping [ErrUnknownEcosystem].
func (o Order) Compare(a, b string) (int, error) {
	va, err := o.parse(a)
	if err != nil {
		return 0, err
	}
	vb, err := o.parse(b)
	if err != nil {
		return 0, err
	}
	c, err := va.Compare(vb)
	if err != nil {
		return 0, &VersionError{Version: b, Order: o, Err: err}
	}
	return c, nil
}

// parse reads v in order o. The parsers are called under recover, so that
// input they do not expect gives an error rather than a panic.
func (o Order) parse(v string) (ver semantic.Version, err error) {
	if strings.TrimSpace(v) == "" {
		return nil, &VersionError{Version: v, Order: o, Err: errors.New("empty version")}
	}
	defer func() {
		if r := recover(); r != nil {
			ver, err = nil, &VersionError{Version: v, Order: o, Err: fmt.Errorf("unreadable: %v", r)}
		}
	}()
	switch o {
	case OrderSemVer:
		ver = semantic.ParseSemverVersion(v)
	case OrderDebian:
		ver, err = semantic.ParseDebianVersion(v)
	case OrderAlpine:
		ver, err = semantic.ParseAlpineVersion(v)
	case OrderPyPI:
		ver, err = semantic.ParsePyPIVersion(v)
	case OrderMaven:
		ver = semantic.ParseMavenVersion(v)
	case OrderRedHat:
		ver = semantic.ParseRedHatVersion(v)
	case OrderRubyGems:
		ver = semantic.ParseRubyGemsVersion(v)
	case OrderNuGet:
		ver = semantic.ParseNuGetVersion(v)
	case OrderPackagist:
		ver = semantic.ParsePackagistVersion(v)
	case OrderPub:
		ver = semantic.ParsePubVersion(v)
	default:
		return nil, &EcosystemError{Ecosystem: "order " + string(o)}
	}
	if err != nil {
		return nil, &VersionError{Version: v, Order: o, Err: err}
	}
	return ver, nil
}

// DHI ecosystem names.
const (
	// EcosystemDHI is the ecosystem of the DHI advisory feed of 2025,
	// with purls "pkg:dhi/<name>".
	EcosystemDHI = "DHI"
	// EcosystemDockerHardenedImages is the base of the planned DHI
	// ecosystems, written "Docker Hardened Images:<distribution>:<release>",
	// such as "Docker Hardened Images:Debian:13".
	EcosystemDockerHardenedImages = "Docker Hardened Images"
)

// Ecosystem is an OSV ecosystem string split into its parts.
type Ecosystem struct {
	// Name is the part before the first colon: "Debian" for "Debian:12",
	// "Docker Hardened Images" for "Docker Hardened Images:Debian:13".
	Name string
	// Distribution is, for the DHI ecosystems, the distribution the images
	// are built on ("Debian", "Alpine"); "" otherwise.
	Distribution string
	// Release is the rest: "12" for "Debian:12", "13" for
	// "Docker Hardened Images:Debian:13", "" when absent.
	Release string
}

// ParseEcosystem splits an OSV ecosystem string at its colons. Surrounding
// space is removed; nothing is validated.
func ParseEcosystem(s string) Ecosystem {
	parts := strings.SplitN(strings.TrimSpace(s), ":", 3)
	e := Ecosystem{Name: strings.TrimSpace(parts[0])}
	rest := parts[1:]
	if e.Name == EcosystemDockerHardenedImages && len(rest) > 0 {
		e.Distribution, rest = strings.TrimSpace(rest[0]), rest[1:]
	}
	if len(rest) > 0 {
		e.Release = strings.TrimSpace(strings.Join(rest, ":"))
	}
	return e
}

// String returns the ecosystem as OSV writes it.
func (e Ecosystem) String() string {
	s := e.Name
	if e.Distribution != "" {
		s += ":" + e.Distribution
	}
	if e.Release != "" {
		s += ":" + e.Release
	}
	return s
}

// ecosystemOrders maps OSV ecosystem names to their orders.
func ecosystemOrder(name string) (Order, bool) {
	switch name {
	case "Go", "npm", "crates.io", "Hex", "Bitnami", "SwiftURL", "ConanCenter", EcosystemDHI:
		return OrderSemVer, true
	case "Debian", "Ubuntu":
		return OrderDebian, true
	case "Alpine", "Wolfi", "Chainguard", "MinimOS", "Alpaquita", "BellSoft Hardened Containers":
		return OrderAlpine, true
	case "PyPI":
		return OrderPyPI, true
	case "Maven":
		return OrderMaven, true
	case "Red Hat", "AlmaLinux", "Rocky Linux", "SUSE", "openSUSE", "openEuler", "Mageia":
		return OrderRedHat, true
	case "RubyGems":
		return OrderRubyGems, true
	case "NuGet":
		return OrderNuGet, true
	case "Packagist":
		return OrderPackagist, true
	case "Pub":
		return OrderPub, true
	}
	return "", false
}

// OrderForEcosystem returns the version order of an OSV ecosystem, such as
// "Debian:12", "PyPI" or "Docker Hardened Images:Alpine:3.22". The
// planned DHI ecosystems take their distribution's order; plain "DHI",
// whose advisories name images, takes [OrderSemVer] (see [Advisory.Match]
// for how a query's purl refines it). An ecosystem with no known order
// gives an [*EcosystemError].
func OrderForEcosystem(ecosystem string) (Order, error) {
	e := ParseEcosystem(ecosystem)
	if e.Name == EcosystemDockerHardenedImages {
		if o, ok := ecosystemOrder(e.Distribution); ok && (o == OrderDebian || o == OrderAlpine) {
			return o, nil
		}
		return "", &EcosystemError{Ecosystem: ecosystem}
	}
	if o, ok := ecosystemOrder(e.Name); ok {
		return o, nil
	}
	return "", &EcosystemError{Ecosystem: ecosystem}
}

// OrderForPURL returns the version order of a package URL's type: deb is
// Debian, apk Alpine, golang, npm, cargo, hex and dhi SemVer, pypi PyPI,
// maven Maven, rpm Red Hat, gem RubyGems, nuget NuGet, composer Packagist,
// pub Pub. The namespace does not matter (pkg:deb/dhi is Debian). A purl
// that does not parse, or of another type, gives an error.
func OrderForPURL(purl string) (Order, error) {
	p, err := packageurl.FromString(purl)
	if err != nil {
		return "", fmt.Errorf("osv: purl %q: %v", purl, err)
	}
	return orderForPURLType(p.Type)
}

// orderForPURLType is [OrderForPURL] for a parsed type.
func orderForPURLType(t string) (Order, error) {
	switch strings.ToLower(t) {
	case "deb":
		return OrderDebian, nil
	case "apk":
		return OrderAlpine, nil
	case "golang", "npm", "cargo", "hex", "dhi", "swift", "conan":
		return OrderSemVer, nil
	case "pypi":
		return OrderPyPI, nil
	case "maven":
		return OrderMaven, nil
	case "rpm":
		return OrderRedHat, nil
	case "gem":
		return OrderRubyGems, nil
	case "nuget":
		return OrderNuGet, nil
	case "composer":
		return OrderPackagist, nil
	case "pub":
		return OrderPub, nil
	}
	return "", &EcosystemError{Ecosystem: "purl type " + t}
}
