package vex

import (
	"slices"
	"strings"

	packageurl "github.com/package-url/packageurl-go"

	"github.com/dhisdk/dhisdk/internal/imageref"
)

// image is the identity of a container image as a product: a full,
// normalized repository (see package internal/imageref), a tag and a digest,
// any of which may be empty.
type image struct {
	repo   string
	tag    string
	digest string
}

// key returns a string that identifies the image for grouping, in the form
// of an image reference: repo[:tag][@digest], with Docker Hub's registry
// left out (dhi/python, library/alpine@sha256:...).
func (im image) key() string {
	k := imageref.Familiar(im.repo)
	if im.tag != "" {
		k += ":" + im.tag
	}
	if im.digest != "" {
		k += "@" + im.digest
	}
	return k
}

// matches reports whether the image of a statement's product (pattern) names
// the image of a query (im). A pattern with a digest matches exactly that
// digest, whatever the repository. Without a digest, the repositories must be
// the same, and a pattern tag must equal the query's tag.
func (pattern image) matches(im image) bool {
	if pattern.digest != "" {
		return pattern.digest == im.digest
	}
	if pattern.repo == "" || pattern.repo != im.repo {
		return false
	}
	return pattern.tag == "" || pattern.tag == im.tag
}

// identity is every name by which the image of a query is known: its
// repositories (each with the tag it was named with, if any) and its
// digests.
type identity struct {
	names   []image
	digests []string
}

// add adds the names of an image.
func (id *identity) add(im image) {
	if im.digest != "" && !slices.Contains(id.digests, im.digest) {
		id.digests = append(id.digests, im.digest)
	}
	if im.repo == "" {
		return
	}
	n := image{repo: im.repo, tag: im.tag}
	if !slices.Contains(id.names, n) {
		id.names = append(id.names, n)
	}
}

// alias adds, for each repository name, the names aliases gives it, with the
// same tag.
func (id *identity) alias(aliases func(repository string) []string) {
	if aliases == nil {
		return
	}
	for _, n := range slices.Clone(id.names) {
		for _, a := range aliases(n.repo) {
			if a = strings.TrimSpace(a); a != "" {
				id.add(image{repo: imageref.NormalizeRepository(a), tag: n.tag})
			}
		}
	}
}

// meets reports whether the image of a statement's product (pattern) names
// the image with this identity: by digest when the pattern has one,
// otherwise by repository and, when the pattern has a tag, by that tag.
func (id *identity) meets(pattern image) bool {
	if pattern.digest != "" {
		return slices.Contains(id.digests, pattern.digest)
	}
	for _, n := range id.names {
		if pattern.matches(n) {
			return true
		}
	}
	return false
}

// repos returns the distinct repositories of the identity.
func (id *identity) repos() []string {
	out := make([]string, 0, len(id.names))
	for _, n := range id.names {
		if !slices.Contains(out, n.repo) {
			out = append(out, n.repo)
		}
	}
	return out
}

// imageFromPURL returns the image a pkg:docker or pkg:oci purl names.
//
//   - pkg:docker/<namespace>/<name>@<tag or digest>?repository_url=<registry>&digest=<digest>:
//     the repository is namespace/name, under the registry when given (a
//     namespace such as dhi.io that looks like a host name is the registry).
//   - pkg:oci/<name>@<digest>?repository_url=<repository or registry>&tag=<tag>:
//     the repository is repository_url when it ends with the name (the purl
//     specification's form, repository_url=dhi.io/python), else the name
//     under repository_url (DHI's form, repository_url=dhi.io); without
//     repository_url, the name (DHI writes pkg:oci/dhi%2Fpython, whose name
//     is dhi/python).
func imageFromPURL(p packageurl.PackageURL) (image, bool) {
	var im image
	q := p.Qualifiers.Map()
	repo := p.Name
	if p.Namespace != "" {
		repo = p.Namespace + "/" + p.Name
	}
	switch p.Type {
	case packageurl.TypeDocker:
		if r := strings.Trim(q["repository_url"], "/"); r != "" && !imageref.HasRegistry(repo) {
			repo = r + "/" + repo
		}
	case packageurl.TypeOCI:
		if r := strings.Trim(q["repository_url"], "/"); r != "" {
			last := r[strings.LastIndexByte(r, '/')+1:]
			if strings.EqualFold(last, p.Name) || strings.EqualFold(r, repo) || strings.HasSuffix(strings.ToLower(r), "/"+strings.ToLower(repo)) {
				repo = r
			} else {
				repo = r + "/" + repo
			}
		}
	default:
		return image{}, false
	}
	if strings.Trim(repo, "/") == "" {
		return image{}, false
	}
	im.repo = imageref.NormalizeRepository(repo)
	if d, ok := imageref.ParseDigest(p.Version); ok {
		im.digest = d
	} else {
		im.tag = p.Version
	}
	switch p.Type {
	case packageurl.TypeDocker:
		if d, ok := imageref.ParseDigest(q["digest"]); ok {
			im.digest = d
		}
	case packageurl.TypeOCI:
		if t := q["tag"]; t != "" && im.tag == "" {
			im.tag = t
		}
	}
	return im, true
}

// imageFromReference returns the image an image reference names:
// [registry/]repository[:tag][@algorithm:hex], such as
// dhi.io/python@sha256:... or dhi.io/python:3.13. It reports false for a
// string that is not shaped like a reference.
func imageFromReference(s string) (image, bool) {
	r, err := imageref.Parse(s)
	if err != nil {
		return image{}, false
	}
	return image{repo: r.Repository(), tag: r.Tag, digest: r.Digest}, true
}
