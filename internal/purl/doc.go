// Package purl parses and normalizes package URLs ([purl]) so that the SDK's
// parsers and matchers compare packages the same way, whichever tool wrote
// the purl: DHI's VEX documents and SBOMs, syft, trivy, go-vex.
//
// Parsing is done by [packageurl-go]; [Parse] then applies these rules:
//
//   - The type is lowercased (packageurl-go does this already).
//   - Namespace and name are lowercased for the types whose namespace and name
//     the purl specification declares case-insensitive: alpm, apk, bitbucket,
//     bitnami, composer, deb, github, hex, luarocks, npm, oci, otp, pub, pypi.
//     For pypi, "_" in the name is also replaced by "-".
//   - golang keeps the case it was written with. The specification asks for
//     lowercase, but Go module paths are case-sensitive (the module proxy
//     needs the original case), so the parsed value keeps it; [Key] compares
//     golang namespaces and names without case.
//   - Qualifier keys are lowercased and qualifiers with empty values are
//     dropped, as the specification says; qualifiers are sorted by key.
//     Duplicate keys are an error.
//   - For deb, an "epoch" qualifier (trivy writes pkg:deb/debian/x@2.5-1?epoch=1)
//     is moved into the version as "1:2.5-1", the form dpkg, syft and DHI use.
//   - Leading and trailing white space around the whole purl is ignored.
//
// # Distributions
//
// The same Linux distribution release is written in several ways:
// DHI writes os_distro=trixie&os_name=debian&os_version=13, syft and trivy
// write distro=debian-12 (trivy sometimes with a point release,
// distro=debian-10.2), trivy's apk purls carry a bare distro=3.16.0, and DHI's
// planned form is distro=dhi-13. [Distro] reduces all of them to
// "<name>-<release>": the name comes from os_name, else from the distro
// qualifier, else from a known release codename in os_distro or distro,
// else from the namespace of a distribution package type (deb, apk, rpm,
// alpm). The release is the os_version, else the one in distro, else the
// one a codename stands for, shortened to the granularity the distribution
// publishes advisories at: the major version for debian ("10.2" -> "10"),
// major.minor for alpine ("3.16.0" -> "3.16", a leading "v" dropped) and
// ubuntu; other distributions keep the release as written.
//
// # Keys
//
// [Key] renders a purl as a canonical string for use as a map key, at one of
// three precisions:
//
//   - [NameOnly]: type, namespace and name (golang compared without case).
//   - [WithVersion]: the above plus the version; for deb and rpm an epoch
//     qualifier is folded into the version as "<epoch>:<version>".
//   - [WithQualifiers]: the above plus the identifying qualifiers only:
//     "distro" (the value [Distro] returns, standing for os_distro,
//     os_name, os_version and distro), "arch" (lowercased), and "classifier",
//     "type" and "platform" as written. Every other qualifier, such as
//     upstream, repository_url, download_url, vcs_url, file_name, checksum,
//     package-id and epoch, describes where a package came from or how a tool
//     tracks it, not which package it is, and takes no part in the key.
//
// The subpath takes part in no key. Keys are themselves valid purls.
//
// [purl]: https://github.com/package-url/purl-spec
// [packageurl-go]: https://github.com/package-url/packageurl-go
package purl
