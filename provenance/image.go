package provenance

import (
	"strings"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/dhisdk/dhisdk/internal/imageref"
)

// ImageRole tells what a container image input was used for in a build.
type ImageRole string

// Image roles.
const (
	// ImageRoleUnknown means the provenance does not tell: it has no build
	// definition (BuildKit mode=min, or another builder).
	ImageRoleUnknown ImageRole = ""
	// ImageRoleBase marks an image the build definition reads from: a FROM
	// image or a COPY --from image (BuildKit mode=max).
	ImageRoleBase ImageRole = "base"
	// ImageRoleFrontend marks BuildKit's gateway frontend image, such as
	// docker/dockerfile:1 named by a # syntax= line.
	ImageRoleFrontend ImageRole = "frontend"
	// ImageRoleOther marks an image that the build recorded but its build
	// definition does not read, such as BuildKit's SBOM scanner image.
	ImageRoleOther ImageRole = "other"
)

// ImageRoles returns every [ImageRole].
func ImageRoles() []ImageRole {
	return []ImageRole{ImageRoleUnknown, ImageRoleBase, ImageRoleFrontend, ImageRoleOther}
}

// Valid reports whether r is one of the constants of this package.
func (r ImageRole) Valid() bool {
	for _, k := range ImageRoles() {
		if r == k {
			return true
		}
	}
	return false
}

// Image is a container image a build consumed, read from a pkg:docker package
// URL input such as
// pkg:docker/dhi.io/bash@5-alpine3.24?digest=sha256:...&platform=linux%2Farm64.
type Image struct {
	// PURL is the input's URI as written.
	PURL string `json:"purl"`
	// Repository is the image repository as the package URL names it, in
	// Docker's short form: "dhi.io/bash", "docker/dockerfile", "alpine"
	// (docker.io/library/alpine).
	Repository string `json:"repository"`
	// Tag is the tag the build asked for; empty when it asked for a digest.
	Tag string `json:"tag"`
	// Digest is the image's digest, "sha256:<hex>": the digest qualifier,
	// else a digest version, else the input's sha256 digest. Empty when
	// none is recorded.
	Digest string `json:"digest"`
	// Platform is the platform qualifier, such as "linux/arm64"; empty when
	// absent.
	Platform string `json:"platform"`
	// Role tells what the build used the image for.
	Role ImageRole `json:"role"`
}

// Reference returns the image reference "repository[:tag][@digest]".
func (i Image) Reference() string {
	ref := i.Repository
	if i.Tag != "" {
		ref += ":" + i.Tag
	}
	if i.Digest != "" {
		ref += "@" + i.Digest
	}
	return ref
}

// images returns the container images among inputs, with their roles told
// from BuildKit's request and build definition when present.
func images(inputs []ResourceDescriptor, bk *BuildKit) []Image {
	var (
		out     []Image
		sources []string // image references of the build definition's source steps
		haveDef bool
	)
	if bk != nil && bk.Config != nil && len(bk.Config.Definition) > 0 {
		haveDef = true
		for _, step := range bk.Config.Definition {
			if ref, ok := strings.CutPrefix(step.SourceIdentifier(), "docker-image://"); ok {
				sources = append(sources, ref)
			}
		}
	}
	for _, in := range inputs {
		if len(in.URI) < len("pkg:docker/") || !strings.EqualFold(in.URI[:len("pkg:docker/")], "pkg:docker/") {
			continue
		}
		p, err := packageurl.FromString(in.URI)
		if err != nil || p.Name == "" {
			continue
		}
		img := Image{PURL: in.URI, Repository: p.Name}
		if p.Namespace != "" {
			img.Repository = p.Namespace + "/" + p.Name
		}
		if imageref.IsDigest(p.Version) {
			img.Digest = p.Version
		} else {
			img.Tag = p.Version
		}
		q := p.Qualifiers.Map()
		if d := q["digest"]; d != "" {
			img.Digest = d
		} else if img.Digest == "" && in.Digest["sha256"] != "" {
			img.Digest = "sha256:" + in.Digest["sha256"]
		}
		img.Platform = q["platform"]
		img.Role = imageRole(img, bk, haveDef, sources)
		out = append(out, img)
	}
	return out
}

// imageRole tells an image's role from BuildKit's gateway frontend argument
// and the image sources of its build definition.
func imageRole(img Image, bk *BuildKit, haveDef bool, sources []string) ImageRole {
	if bk == nil {
		return ImageRoleUnknown
	}
	if bk.Frontend == "gateway.v0" && bk.Args["source"] != "" && refMatches(bk.Args["source"], img) {
		return ImageRoleFrontend
	}
	if !haveDef {
		return ImageRoleUnknown
	}
	for _, ref := range sources {
		if refMatches(ref, img) {
			return ImageRoleBase
		}
	}
	return ImageRoleOther
}

// refMatches reports whether an image reference names img: the same
// repository (docker.io and library/ prefixes aside) and, where both give
// them, the same digest, and else the same tag.
func refMatches(ref string, img Image) bool {
	repo, tag, digest := splitReference(ref)
	if shortRepository(repo) != shortRepository(img.Repository) {
		return false
	}
	if digest != "" && img.Digest != "" {
		return strings.EqualFold(digest, img.Digest)
	}
	if tag == "" {
		tag = "latest"
	}
	imgTag := img.Tag
	if imgTag == "" {
		imgTag = "latest"
	}
	return tag == imgTag
}

// splitReference splits "repo[:tag][@digest]".
func splitReference(ref string) (repo, tag, digest string) {
	repo, digest, _ = strings.Cut(ref, "@")
	if i := strings.LastIndexByte(repo, ':'); i > strings.LastIndexByte(repo, '/') {
		repo, tag = repo[:i], repo[i+1:]
	}
	return repo, tag, digest
}

// shortRepository removes Docker Hub's implicit parts from a repository name.
func shortRepository(repo string) string {
	for _, p := range []string{"docker.io/", "index.docker.io/", "registry-1.docker.io/"} {
		if r, ok := strings.CutPrefix(repo, p); ok {
			repo = r
			break
		}
	}
	if r, ok := strings.CutPrefix(repo, "library/"); ok && !strings.Contains(r, "/") {
		repo = r
	}
	return repo
}
