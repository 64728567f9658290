package dhi

import (
	"strings"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/dhisdk/dhisdk/internal/imageref"
)

// Registries that serve Docker Hardened Images and their attestations.
const (
	// DHIRegistry serves the DHI catalog since December 2025, images and
	// their attestations (as OCI referrers) in the same repositories:
	// dhi.io/<name>.
	DHIRegistry = "dhi.io"
	// ScoutRegistry holds the attestations of DHI images kept on Docker
	// Hub, under the same repository path as the image:
	// registry.scout.docker.com/<org>/dhi-<name> and
	// registry.scout.docker.com/dhi/<name>.
	ScoutRegistry = "registry.scout.docker.com"
)

// RepositoryKind is where a DHI repository lives, which decides where its
// attestations are (see [ReferrersRepository]).
type RepositoryKind string

// The kinds of DHI repository.
const (
	// RepositoryDHI is a repository of the dhi.io registry: dhi.io/<name>,
	// such as dhi.io/python or dhi.io/prometheus-chart.
	RepositoryDHI RepositoryKind = "dhi.io"
	// RepositoryHubCatalog is the DHI catalog on Docker Hub as documented
	// in 2025: docker.io/dhi/<name>.
	RepositoryHubCatalog RepositoryKind = "hub-catalog"
	// RepositoryHubMirror is a DHI image mirrored into an organization on
	// Docker Hub: docker.io/<org>/dhi-<name>.
	RepositoryHubMirror RepositoryKind = "hub-mirror"
	// RepositoryScout is a repository of attestations in
	// registry.scout.docker.com: registry.scout.docker.com/dhi/<name> or
	// registry.scout.docker.com/<org>/dhi-<name>.
	RepositoryScout RepositoryKind = "scout"
)

// RepositoryKinds returns every [RepositoryKind].
func RepositoryKinds() []RepositoryKind {
	return []RepositoryKind{RepositoryDHI, RepositoryHubCatalog, RepositoryHubMirror, RepositoryScout}
}

// Valid reports whether k is one of [RepositoryKinds].
func (k RepositoryKind) Valid() bool {
	for _, c := range RepositoryKinds() {
		if k == c {
			return true
		}
	}
	return false
}

// RepositoryInfo describes a DHI repository name (see
// [ClassifyRepository]).
type RepositoryInfo struct {
	// Kind is where the repository lives.
	Kind RepositoryKind
	// Namespace is the first element of the repository path: "dhi" for
	// the Docker Hub catalog, the organization for a mirror (in
	// registry.scout.docker.com too), "" on dhi.io.
	Namespace string
	// Image is the DHI image's name without any "dhi-" prefix, such as
	// "python" or "prometheus-chart". On dhi.io it is the whole
	// repository path.
	Image string
}

// Chart reports whether the repository holds a Helm chart, which DHI names
// <name>-chart.
func (r RepositoryInfo) Chart() bool { return strings.HasSuffix(r.Image, "-chart") }

// ClassifyRepository reports whether repo names a DHI repository, and how
// (sources: Docker's DHI documentation, docker/docs content/manuals/dhi):
//
//   - dhi.io/<path>: the DHI registry (any path; DHI's own names have one
//     element, such as dhi.io/python).
//   - docker.io/dhi/<name>: the catalog on Docker Hub (2025 documentation).
//   - docker.io/<org>/dhi-<name>: a mirror on Docker Hub (how-to/mirror.md:
//     "the prefix dhi- is added").
//   - registry.scout.docker.com/dhi/<name> and
//     registry.scout.docker.com/<org>/dhi-<name>: where Docker keeps the
//     attestations of the two above.
//
// Docker Hub is any of index.docker.io (the name go-containerregistry gives
// docker.io), docker.io and registry-1.docker.io. Any other name,
// including a copy of a DHI image in another registry, is not recognized:
// its name says nothing of where it came from.
func ClassifyRepository(repo name.Repository) (RepositoryInfo, bool) {
	reg, path := repo.RegistryStr(), repo.RepositoryStr()
	switch {
	case reg == DHIRegistry:
		if path == "" {
			return RepositoryInfo{}, false
		}
		return RepositoryInfo{Kind: RepositoryDHI, Image: path}, true
	case isDockerHub(reg), reg == ScoutRegistry:
		kind := RepositoryHubCatalog
		if reg == ScoutRegistry {
			kind = RepositoryScout
		}
		ns, rest, ok := strings.Cut(path, "/")
		if !ok || ns == "" || rest == "" || strings.Contains(rest, "/") {
			return RepositoryInfo{}, false
		}
		if ns == "dhi" {
			return RepositoryInfo{Kind: kind, Namespace: ns, Image: rest}, true
		}
		img, ok := strings.CutPrefix(rest, "dhi-")
		if !ok || img == "" {
			return RepositoryInfo{}, false
		}
		if kind == RepositoryHubCatalog {
			kind = RepositoryHubMirror
		}
		return RepositoryInfo{Kind: kind, Namespace: ns, Image: img}, true
	}
	return RepositoryInfo{}, false
}

// IsDHI reports whether repo names a DHI repository (see
// [ClassifyRepository]).
func IsDHI(repo name.Repository) bool {
	_, ok := ClassifyRepository(repo)
	return ok
}

// isDockerHub reports whether reg is a name of Docker Hub's registry.
func isDockerHub(reg string) bool {
	return reg == name.DefaultRegistry || reg == "docker.io" || reg == "registry-1.docker.io"
}

// ReferrersRepository returns the repository that holds the attestations
// of the images in repo, when it is not repo itself:
//
//   - docker.io/<org>/dhi-<name> -> registry.scout.docker.com/<org>/dhi-<name>
//     (docker/docs how-to/mirror.md, SRC_ATT_REPO; how-to/verify.md,
//     regctl artifact list ... --external registry.scout.docker.com/...).
//   - docker.io/dhi/<name> -> registry.scout.docker.com/dhi/<name>
//     (docker-hardened-images/keyring README, April 2025: regctl artifact
//     list dhi/golang:... --external registry.scout.docker.com/dhi/golang).
//
// It returns false for every other repository:
//
//   - dhi.io/<name> serves its referrers in place (keyring README since
//     December 2025: regctl artifact list dhi.io/golang:... with no
//     --external; cosign verify dhi.io/golang@sha256:... --experimental-oci11).
//   - registry.scout.docker.com/... is itself where attestations are.
//   - Any other registry holds copies, and the documented ways of copying
//     (regctl image copy --referrers, regsync referrerSource/referrerTarget)
//     put the referrers beside the image.
//
// Attestations hang on per-platform manifest digests, not on the index:
// look up the referrers of each platform digest in the repository returned.
func ReferrersRepository(repo name.Repository) (name.Repository, bool) {
	info, ok := ClassifyRepository(repo)
	if !ok || (info.Kind != RepositoryHubCatalog && info.Kind != RepositoryHubMirror) {
		return name.Repository{}, false
	}
	return scoutRepo(repo.RepositoryStr()), true
}

// ScoutRepository returns the registry.scout.docker.com repository that
// stands for a DHI repository: the name DHI's signatures give as their
// docker-reference, whichever registry serves the attestation. The Hub
// names map as [ReferrersRepository] says; dhi.io/<name> maps to
// registry.scout.docker.com/dhi/<name> (docker-hardened-images/catalog
// issue #38: cosign verify dhi.io/python@sha256:... prints the
// docker-reference registry.scout.docker.com/dhi/python); a Scout
// repository maps to itself. It returns false for other repositories,
// including dhi.io paths of more than one element.
//
// Callers must not use it to reject a signature whose docker-reference
// differs: the reference is not part of the documented contract, and
// mirrors keep the original signature.
func ScoutRepository(repo name.Repository) (name.Repository, bool) {
	info, ok := ClassifyRepository(repo)
	if !ok {
		return name.Repository{}, false
	}
	switch info.Kind {
	case RepositoryDHI:
		if strings.Contains(info.Image, "/") {
			return name.Repository{}, false
		}
		return scoutRepo("dhi/" + info.Image), true
	default:
		return scoutRepo(repo.RepositoryStr()), true
	}
}

// scoutRepo returns path in registry.scout.docker.com.
func scoutRepo(path string) name.Repository {
	reg, err := name.NewRegistry(ScoutRegistry)
	if err != nil {
		// ScoutRegistry is a valid constant host name; NewRegistry only
		// rejects malformed ones.
		return name.Repository{}
	}
	return reg.Repo(path)
}

// Tag is a DHI image tag taken apart (see [ParseTag]).
type Tag struct {
	// Version is the leading part: the image's version, such as "3.13"
	// or "3.13.15", or whatever the tag starts with ("latest").
	Version string
	// Distro is the distribution suffix as written, such as "debian13"
	// or "alpine3.22"; "" when the tag has none.
	Distro string
	// Variants are the other suffixes in the order written: "dev",
	// "fips", "sfw", "sfw-ent", "compat", and any unrecognized part that
	// follows a recognized one.
	Variants []string
	// Timestamp is the build timestamp that ends older tags, such as
	// "20250701182639" (YYYYMMDDhhmmss); "" when the tag has none.
	Timestamp string
}

// ParseTag takes a DHI tag apart, best effort and without error. The tag is
// split at "-"; the first part is the Version. A later part is the Distro
// when it is a distribution and release ("debian13", "alpine3.22",
// "ubuntu24.04"; the first one only), a variant when it is one of "dev",
// "fips", "sfw", "compat" ("sfw" followed by "ent" is the variant
// "sfw-ent"), and the Timestamp when it is the last part and 14 digits.
// Unrecognized parts that come before any recognized one belong to the
// version ("1.0.0-rc1-debian13" has Version "1.0.0-rc1"); those after go to
// Variants. Sources: DHI catalog definitions (image/python/debian-13/3.13.yaml
// tags) and docker/docs (tag suffixes, such as
// 20.19-debian12-fips-20250701182639).
func ParseTag(tag string) Tag {
	parts := strings.Split(tag, "-")
	t := Tag{Version: parts[0]}
	recognized := false
	for i := 1; i < len(parts); i++ {
		p := parts[i]
		switch {
		case i == len(parts)-1 && isTimestamp(p):
			t.Timestamp = p
		case t.Distro == "" && isDistro(p):
			t.Distro = p
		case p == "sfw" && i+1 < len(parts) && parts[i+1] == "ent":
			t.Variants = append(t.Variants, "sfw-ent")
			i++
		case p == "dev" || p == "fips" || p == "sfw" || p == "compat":
			t.Variants = append(t.Variants, p)
		case !recognized:
			t.Version += "-" + p
			continue
		default:
			t.Variants = append(t.Variants, p)
		}
		recognized = true
	}
	return t
}

// Has reports whether the tag has variant v, such as "dev" or "fips".
func (t Tag) Has(v string) bool {
	for _, x := range t.Variants {
		if x == v {
			return true
		}
	}
	return false
}

// String returns the tag: Version, Distro, Variants and Timestamp joined
// by "-". For a tag whose parts are in that order, it is the tag
// ParseTag was given.
func (t Tag) String() string {
	parts := make([]string, 0, 3+len(t.Variants))
	parts = append(parts, t.Version)
	if t.Distro != "" {
		parts = append(parts, t.Distro)
	}
	parts = append(parts, t.Variants...)
	if t.Timestamp != "" {
		parts = append(parts, t.Timestamp)
	}
	return strings.Join(parts, "-")
}

// DistroLabel returns the distribution in the form of the
// com.docker.dhi.distro image label and of package URL distro qualifiers:
// "debian13" is "debian-13", "alpine3.22" is "alpine-3.22"; "" when the
// tag names no distribution.
func (t Tag) DistroLabel() string {
	if t.Distro == "" {
		return ""
	}
	i := strings.IndexFunc(t.Distro, func(r rune) bool { return r >= '0' && r <= '9' })
	if i <= 0 {
		return t.Distro
	}
	return t.Distro[:i] + "-" + t.Distro[i:]
}

// isDistro reports whether p is a distribution and release: debian, alpine
// or ubuntu followed by dot-separated numbers.
func isDistro(p string) bool {
	for _, d := range []string{"debian", "alpine", "ubuntu"} {
		if rest, ok := strings.CutPrefix(p, d); ok {
			return isVersion(rest)
		}
	}
	return false
}

// isTimestamp reports whether p is 14 digits (YYYYMMDDhhmmss).
func isTimestamp(p string) bool {
	if len(p) != 14 {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
	}
	return true
}

// RepositoryAliases returns the other names under which the images of a
// DHI repository are published or attested, as full repository names
// (registry host and path, in lower case), so that VEX statements written
// with any of them meet the image: it has the signature of
// [vex.WithRepositoryAliases], which [Platform.Vulnerabilities] passes it
// to.
//
//   - dhi.io/<name>, docker.io/dhi/<name> and
//     registry.scout.docker.com/dhi/<name> are one image's names (the DHI
//     registry, the 2025 catalog on Docker Hub, and where its attestations
//     were minted; DHI's VEX names products pkg:docker/dhi/<name>).
//   - docker.io/<org>/dhi-<name> and registry.scout.docker.com/<org>/dhi-<name>
//     are a mirror's names.
//
// It returns nil for any other repository (see [ClassifyRepository]),
// including dhi.io paths of more than one element.
func RepositoryAliases(repository string) []string {
	repo, err := name.NewRepository(repository)
	if err != nil {
		return nil
	}
	info, ok := ClassifyRepository(repo)
	if !ok {
		return nil
	}
	var all []string
	switch {
	case info.Kind == RepositoryDHI && !strings.Contains(info.Image, "/"),
		info.Namespace == "dhi" && (info.Kind == RepositoryHubCatalog || info.Kind == RepositoryScout):
		all = []string{
			DHIRegistry + "/" + info.Image,
			imageref.DockerHub + "/dhi/" + info.Image,
			ScoutRegistry + "/dhi/" + info.Image,
		}
	case info.Kind == RepositoryHubMirror || info.Kind == RepositoryScout:
		path := info.Namespace + "/dhi-" + info.Image
		all = []string{imageref.DockerHub + "/" + path, ScoutRegistry + "/" + path}
	default:
		return nil
	}
	self := imageref.NormalizeRepository(repository)
	out := make([]string, 0, len(all)-1)
	for _, a := range all {
		if a != self {
			out = append(out, a)
		}
	}
	return out
}
