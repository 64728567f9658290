// Package osv reads vulnerability advisories in the [OSV schema] 1.x and
// decides whether a package version is affected by them, with each
// ecosystem's own version order.
//
// [Parse] decodes one advisory: its identifiers (id, aliases, related),
// dates (published, modified, withdrawn), text, severity[] and affected[]
// with package, ranges (SEMVER, ECOSYSTEM, GIT), versions and the raw
// database_specific and ecosystem_specific objects. [Advisory.Match]
// evaluates it for one package version ([Query]) and returns a [Match]:
// whether the version is affected, the advisory's id and aliases, and the
// version that fixes it. [Match.Finding] turns an affected match into the
// SDK's [vuln.Finding].
//
// Versions are never compared as strings. Each ecosystem maps to an
// [Order] (Debian, Alpine, SemVer, PyPI, Maven, ...) implemented by the
// version parsers of github.com/google/osv-scalibr/semantic; see
// [OrderForEcosystem] and [OrderForPURL]. An ecosystem with no known order is
// an error wrapping [ErrUnknownEcosystem], never a guess. SEMVER ranges are
// compared in SemVer order whatever the ecosystem, as the schema says; GIT
// ranges name commits and are not evaluated against versions.
//
// Docker Hardened Images publish advisories in two forms, both read here:
// the feed of 2025 uses ecosystem "DHI" and purls "pkg:dhi/<name>" (the
// image's main software, with SEMVER ranges); the planned form uses
// "DHI-" identifiers with aliases, purls "pkg:deb/dhi/<name>" and
// "pkg:apk/dhi/<name>", and ecosystems such as
// "Docker Hardened Images:Debian:13". The planned ecosystems take the order
// of the distribution they name (Debian or Alpine) and the release after
// it. For plain "DHI" the order comes from the query's purl type (deb:
// Debian, apk: Alpine, any other type or pkg:dhi: SemVer, because pkg:dhi
// versions are the upstream software's release numbers, such as 3.12.12).
//
// A withdrawn advisory matches nothing: its Match says Withdrawn. An
// affected[] entry that lists neither ranges nor versions, as some DHI
// advisories do, affects every version of its package (Match.AllVersions).
//
// [OSV schema]: https://ossf.github.io/osv-schema/
package osv
