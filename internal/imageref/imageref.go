package imageref

import (
	"fmt"
	"strings"
)

// DockerHub is the registry name that references without a registry, and
// Docker Hub's other names, are given.
const DockerHub = "docker.io"

// Reference is an image reference taken apart and normalized.
type Reference struct {
	// Registry is the registry host (with its port, if any), in lower case;
	// [DockerHub] when the reference names none.
	Registry string
	// Path is the repository path within the registry, in lower case, with
	// library/ added to a one-part path on Docker Hub.
	Path string
	// Tag is the tag, "" when absent.
	Tag string
	// Digest is the digest in lower case ("sha256:<hex>"), "" when absent.
	Digest string
}

// Repository returns the full repository name, Registry/Path, such as
// docker.io/library/alpine or dhi.io/python.
func (r Reference) Repository() string { return r.Registry + "/" + r.Path }

// String returns the reference as Repository[:Tag][@Digest].
func (r Reference) String() string {
	s := r.Repository()
	if r.Tag != "" {
		s += ":" + r.Tag
	}
	if r.Digest != "" {
		s += "@" + r.Digest
	}
	return s
}

// Parse parses an image reference, [registry/]path[:tag][@digest], and
// normalizes it as the package documentation says. A digest must be one
// [ParseDigest] accepts. It returns an error wrapping [ErrInvalid] for
// anything else, such as a URL or a string with white space.
func Parse(s string) (Reference, error) {
	var r Reference
	rest := s
	if s == "" || strings.ContainsAny(s, " \t\r\n?#\\") || strings.Contains(s, "://") {
		return Reference{}, fmt.Errorf("%w: %q", ErrInvalid, s)
	}
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		d, ok := ParseDigest(rest[at+1:])
		if !ok {
			return Reference{}, fmt.Errorf("%w: %q: bad digest", ErrInvalid, s)
		}
		r.Digest = d
		rest = rest[:at]
	}
	if colon := strings.LastIndexByte(rest, ':'); colon > strings.LastIndexByte(rest, '/') {
		r.Tag = rest[colon+1:]
		rest = rest[:colon]
		if r.Tag == "" {
			return Reference{}, fmt.Errorf("%w: %q: empty tag", ErrInvalid, s)
		}
	}
	if rest == "" || strings.HasPrefix(rest, "/") || strings.HasSuffix(rest, "/") || strings.Contains(rest, "//") {
		return Reference{}, fmt.Errorf("%w: %q: bad repository", ErrInvalid, s)
	}
	r.Registry, r.Path = splitRepository(rest)
	return r, nil
}

// NormalizeRepository returns the full, lower-case name of a repository
// written as [registry/]path, with Docker's defaults applied (see the package
// documentation): "python" and "index.docker.io/python" are
// "docker.io/library/python", "dhi.io/Python" is "dhi.io/python". Leading and
// trailing slashes are ignored.
func NormalizeRepository(repo string) string {
	reg, path := splitRepository(strings.Trim(repo, "/"))
	return reg + "/" + path
}

// Familiar returns a full repository name as Docker shows it, without the
// docker.io/ registry: "docker.io/dhi/python" is "dhi/python",
// "docker.io/library/alpine" stays "library/alpine", "dhi.io/python" stays.
func Familiar(repo string) string {
	return strings.TrimPrefix(repo, DockerHub+"/")
}

// HasRegistry reports whether repo, written as [registry/]path, starts with a
// registry host, by Docker's rule: the first part has a dot or a port, or is
// localhost.
func HasRegistry(repo string) bool {
	host, _, ok := strings.Cut(repo, "/")
	return ok && isHost(host)
}

// splitRepository splits [registry/]path into a normalized registry and path.
func splitRepository(repo string) (registry, path string) {
	repo = strings.ToLower(repo)
	host, p, ok := strings.Cut(repo, "/")
	if !ok || !isHost(host) {
		host, p = "", repo
	}
	switch host {
	case "", DockerHub, "index.docker.io", "registry-1.docker.io":
		host = DockerHub
		if !strings.Contains(p, "/") {
			p = "library/" + p
		}
	}
	return host, p
}

func isHost(s string) bool {
	return strings.ContainsAny(s, ".:") || s == "localhost"
}
