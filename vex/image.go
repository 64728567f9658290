package vex

import (
	"strings"

	packageurl "github.com/package-url/packageurl-go"
)

// image is the identity of a container image as a product or as the image of
// a finding: a normalized repository, a tag and a digest, any of which may be
// empty.
type image struct {
	repo   string
	tag    string
	digest string
}

// key returns a string that identifies the image for grouping, in the form
// of an image reference: repo[:tag][@digest].
func (im image) key() string {
	k := im.repo
	if im.tag != "" {
		k += ":" + im.tag
	}
	if im.digest != "" {
		k += "@" + im.digest
	}
	return k
}

// matches reports whether the image of a statement's product (pattern) names
// the image of a finding (im). A pattern with a digest matches exactly that
// digest, whatever the repository. Without a digest, the repositories must be
// the same, and a pattern tag must equal the finding's tag.
func (pattern image) matches(im image) bool {
	if pattern.digest != "" {
		return pattern.digest == im.digest
	}
	if pattern.repo == "" || pattern.repo != im.repo {
		return false
	}
	return pattern.tag == "" || pattern.tag == im.tag
}

// imageFromPURL returns the image a pkg:docker or pkg:oci purl names.
//
//   - pkg:docker/<namespace>/<name>@<tag or digest>?repository_url=<registry>&digest=<digest>:
//     the repository is namespace/name, under the registry when given (a
//     namespace such as dhi.io that looks like a host name is the registry).
//   - pkg:oci/<name>@<digest>?repository_url=<registry>/<path>&tag=<tag>: the
//     repository is repository_url when given, else the name (DHI writes
//     pkg:oci/dhi%2Fpython, whose name is dhi/python).
func imageFromPURL(p packageurl.PackageURL) (image, bool) {
	var im image
	q := p.Qualifiers.Map()
	switch p.Type {
	case packageurl.TypeDocker:
		repo := p.Name
		if p.Namespace != "" {
			repo = p.Namespace + "/" + p.Name
		}
		if r := q["repository_url"]; r != "" && !hasHost(repo) {
			repo = strings.TrimSuffix(r, "/") + "/" + repo
		}
		im.repo = normalizeRepo(repo)
		if isDigest(p.Version) {
			im.digest = strings.ToLower(p.Version)
		} else {
			im.tag = p.Version
		}
		if d := q["digest"]; isDigest(d) {
			im.digest = strings.ToLower(d)
		}
	case packageurl.TypeOCI:
		repo := p.Name
		if p.Namespace != "" {
			repo = p.Namespace + "/" + p.Name
		}
		if r := q["repository_url"]; r != "" {
			repo = r
		}
		im.repo = normalizeRepo(repo)
		if isDigest(p.Version) {
			im.digest = strings.ToLower(p.Version)
		} else {
			im.tag = p.Version
		}
		if t := q["tag"]; t != "" && im.tag == "" {
			im.tag = t
		}
	default:
		return image{}, false
	}
	return im, true
}

// imageFromReference returns the image an image reference names:
// [registry/]repository[:tag][@algorithm:hex], such as
// dhi.io/python@sha256:... or dhi.io/python:3.13. It reports false for a
// string that is not shaped like a reference.
func imageFromReference(s string) (image, bool) {
	if s == "" || strings.ContainsAny(s, " \t\n?#\\") || strings.Contains(s, "://") {
		return image{}, false
	}
	var im image
	if at := strings.LastIndexByte(s, '@'); at >= 0 {
		if !isDigest(s[at+1:]) {
			return image{}, false
		}
		im.digest = strings.ToLower(s[at+1:])
		s = s[:at]
	}
	if colon := strings.LastIndexByte(s, ':'); colon > strings.LastIndexByte(s, '/') {
		im.tag = s[colon+1:]
		s = s[:colon]
		if im.tag == "" {
			return image{}, false
		}
	}
	if s == "" || strings.HasPrefix(s, "/") || strings.HasSuffix(s, "/") || strings.Contains(s, "//") {
		return image{}, false
	}
	im.repo = normalizeRepo(s)
	return im, true
}

// normalizeRepo returns the repository name by which images are compared.
// It lowercases, and it drops the registry of Docker's own registries, so that
// the names DHI uses for one image meet:
//
//   - dhi.io/<name> becomes dhi/<name> (the pull name and the catalog name);
//   - docker.io, index.docker.io, registry-1.docker.io and
//     registry.scout.docker.com (where DHI attestations are minted) are
//     dropped: registry.scout.docker.com/dhi/python becomes dhi/python;
//   - a one-part name on Docker Hub gets the library/ namespace;
//   - any other registry stays part of the name.
func normalizeRepo(repo string) string {
	repo = strings.ToLower(strings.Trim(repo, "/"))
	host, path, ok := strings.Cut(repo, "/")
	if !ok || !looksLikeHost(host) {
		host, path = "", repo
	}
	switch host {
	case "dhi.io":
		return "dhi/" + path
	case "", "docker.io", "index.docker.io", "registry-1.docker.io", "registry.scout.docker.com":
		if !strings.Contains(path, "/") {
			return "library/" + path
		}
		return path
	}
	return host + "/" + path
}

// hasHost reports whether repo starts with a registry host name.
func hasHost(repo string) bool {
	host, _, ok := strings.Cut(repo, "/")
	return ok && looksLikeHost(host)
}

// looksLikeHost reports whether the first part of a repository is a registry
// host, by the rule Docker uses: it has a dot or a port, or is localhost.
func looksLikeHost(s string) bool {
	return strings.ContainsAny(s, ".:") || s == "localhost"
}

// isDigest reports whether s is shaped like a content digest,
// <algorithm>:<hex> with at least 32 hex digits.
func isDigest(s string) bool {
	algo, hex, ok := strings.Cut(s, ":")
	if !ok || algo == "" || len(hex) < 32 {
		return false
	}
	for i := 0; i < len(algo); i++ {
		c := algo[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	for i := 0; i < len(hex); i++ {
		c := hex[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
