package purl

import (
	"strings"

	packageurl "github.com/package-url/packageurl-go"
)

// Distro returns the distribution release that p's qualifiers name, as
// "<name>-<release>" ("debian-13", "alpine-3.22"), by the rules in the
// package documentation. It reads os_name, os_version, os_distro and distro,
// and falls back to the namespace of a distribution package type for the
// name. It returns "" when p has none of those qualifiers, the bare name
// ("debian") when no release is known, and the bare release when no name is.
func Distro(p packageurl.PackageURL) string {
	name := strings.ToLower(strings.TrimSpace(qualifierFold(p.Qualifiers, "os_name")))
	release := strings.ToLower(strings.TrimSpace(qualifierFold(p.Qualifiers, "os_version")))
	codename := strings.ToLower(strings.TrimSpace(qualifierFold(p.Qualifiers, "os_distro")))
	distro := strings.ToLower(strings.TrimSpace(qualifierFold(p.Qualifiers, "distro")))
	if name == "" && release == "" && codename == "" && distro == "" {
		return ""
	}
	if distro != "" {
		dn, dr := splitDistro(distro)
		if name == "" {
			name = dn
		}
		if release == "" {
			release = dr
		}
	}
	if codename != "" && (name == "" || release == "") {
		if cn, cr, ok := codenameRelease(codename); ok && (name == "" || name == cn) {
			name = cn
			if release == "" {
				release = cr
			}
		}
	}
	if name == "" {
		switch strings.ToLower(p.Type) {
		case packageurl.TypeDebian, packageurl.TypeApk, packageurl.TypeRPM, packageurl.TypeAlpm:
			name = strings.ToLower(strings.TrimSpace(p.Namespace))
		}
	}
	release = shortRelease(name, release)
	switch {
	case name == "":
		return release
	case release == "":
		return name
	}
	return name + "-" + release
}

// splitDistro splits the value of a distro qualifier into a name and a
// release: "debian-12" -> ("debian", "12"), "3.16.0" -> ("", "3.16.0"),
// "bookworm" -> ("debian", "12"), "opensuse-leap-15.5" -> ("opensuse-leap",
// "15.5"). An unknown word without a release is returned as the name.
func splitDistro(d string) (name, release string) {
	if d == "" {
		return "", ""
	}
	// The release starts after the last '-' followed by a digit (or by "v"
	// and a digit).
	for i := len(d) - 2; i > 0; i-- {
		if d[i] == '-' && startsRelease(d[i+1:]) {
			return d[:i], d[i+1:]
		}
	}
	if startsRelease(d) {
		return "", d
	}
	if n, r, ok := codenameRelease(d); ok {
		return n, r
	}
	return d, ""
}

// shortRelease shortens release to the granularity at which distribution
// name publishes releases: the major version for debian, major.minor for
// alpine and ubuntu (alpine's "v" prefix dropped); others unchanged.
func shortRelease(name, release string) string {
	switch name {
	case "debian":
		return leadingParts(release, 1)
	case "alpine":
		return leadingParts(strings.TrimPrefix(release, "v"), 2)
	case "ubuntu":
		return leadingParts(release, 2)
	}
	return release
}

// leadingParts returns the first n dot-separated numeric parts of a release
// ("3.16.0", 2 -> "3.16"; "3.23_alpha2025", 2 -> "3.23"). A release that does
// not start with a digit ("sid", "edge") is returned unchanged.
func leadingParts(release string, n int) string {
	if release == "" || !isDigit(release[0]) {
		return release
	}
	parts := 0
	i := 0
	for i < len(release) {
		j := i
		for j < len(release) && isDigit(release[j]) {
			j++
		}
		if j == i {
			// A dot not followed by a digit ends the numeric release.
			return strings.TrimSuffix(release[:i], ".")
		}
		parts++
		if parts == n || j == len(release) || release[j] != '.' {
			return release[:j]
		}
		i = j + 1
	}
	return release
}

// codenameRelease returns the distribution and release that a release
// codename stands for (Debian and Ubuntu codenames), and whether it knows it.
func codenameRelease(codename string) (name, release string, ok bool) {
	switch codename {
	case "wheezy":
		return "debian", "7", true
	case "jessie":
		return "debian", "8", true
	case "stretch":
		return "debian", "9", true
	case "buster":
		return "debian", "10", true
	case "bullseye":
		return "debian", "11", true
	case "bookworm":
		return "debian", "12", true
	case "trixie":
		return "debian", "13", true
	case "forky":
		return "debian", "14", true
	case "duke":
		return "debian", "15", true
	case "sid":
		return "debian", "sid", true
	case "xenial":
		return "ubuntu", "16.04", true
	case "bionic":
		return "ubuntu", "18.04", true
	case "focal":
		return "ubuntu", "20.04", true
	case "jammy":
		return "ubuntu", "22.04", true
	case "noble":
		return "ubuntu", "24.04", true
	case "oracular":
		return "ubuntu", "24.10", true
	case "plucky":
		return "ubuntu", "25.04", true
	case "questing":
		return "ubuntu", "25.10", true
	}
	return "", "", false
}

// startsRelease reports whether s starts like a release number: a digit, or
// "v" and a digit.
func startsRelease(s string) bool {
	return (len(s) > 0 && isDigit(s[0])) || (len(s) > 1 && s[0] == 'v' && isDigit(s[1]))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
