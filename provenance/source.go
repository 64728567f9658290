package provenance

import (
	"strings"

	"github.com/dhisdk/dhisdk/attest/intoto"
	"github.com/dhisdk/dhisdk/internal/imageref"
)

// Source is the repository and revision a build was configured from, taken
// from whichever field the version and builder use.
type Source struct {
	// URI is the source as written: v0.2 invocation.configSource.uri,
	// BuildKit's v1 externalParameters.configSource.uri, GitHub's
	// externalParameters.workflow.repository, v0.1 the material named by
	// recipe.definedInMaterial. Without one, it is the first input that is
	// a git repository (a git+ URI, a .git URL, or a gitCommit digest), or
	// else the first input whose only digest is sha1 (as Google Cloud Build
	// writes its source); for BuildKit, which names any remote context in
	// configSource, it is instead the vcs:source hint. Examples:
	// "git+https://github.com/org/repo@refs/tags/v1",
	// "https://github.com/org/repo.git#<commit>".
	URI string `json:"uri"`
	// Repository is URI without a git+ prefix, an @ref suffix, a #fragment
	// and a .git suffix: "https://github.com/org/repo".
	Repository string `json:"repository"`
	// Digest holds the source's digests as written, e.g. {"sha1": ...} or
	// {"gitCommit": ...}. When the source field has none, the digest of the
	// input naming the same repository is used.
	Digest intoto.DigestSet `json:"digest"`
	// Commit is the commit ID: Digest's gitCommit or sha1 value, or
	// BuildKit's vcs:revision hint.
	Commit string `json:"commit"`
	// Ref is the git ref built, such as "refs/tags/v14": the @ref suffix or
	// the #ref fragment of URI, GitHub's workflow.ref, or the GitHub
	// workflow's ref when the workflow ran in the same repository at the
	// same commit. Empty when unknown.
	Ref string `json:"ref"`
	// EntryPoint is the build configuration file within the source (v0.2
	// configSource.entryPoint, BuildKit's v1 configSource.path, GitHub's
	// workflow.path, v0.1 recipe.entryPoint), such as "Dockerfile".
	EntryPoint string `json:"entryPoint"`
	// Hint reports that the repository and commit come from BuildKit's
	// vcs:source and vcs:revision build options, which the client supplies
	// and BuildKit does not verify. [Provenance.CheckPolicy] does not accept a
	// hinted source unless the policy says so.
	Hint bool `json:"hint"`
}

// sourceCandidate is the source field of one version, before normalizing.
type sourceCandidate struct {
	uri        string
	digest     intoto.DigestSet
	entryPoint string
	ref        string
}

// buildSource normalizes a source field, filling what it lacks from the
// inputs, BuildKit's vcs hints and the GitHub workflow details.
func buildSource(c sourceCandidate, inputs []ResourceDescriptor, bk *BuildKit, gh *GitHubWorkflow) Source {
	s := Source{URI: c.uri, Digest: c.digest, EntryPoint: c.entryPoint, Ref: c.ref}
	// BuildKit names a remote build context in configSource; a git input
	// of a BuildKit build without one is something the build fetched (ADD
	// of a git URL), not its source.
	fromInputs := bk == nil
	if s.URI == "" && fromInputs {
		for _, in := range inputs {
			if isGitInput(in) {
				s.URI, s.Digest = in.URI, in.Digest
				break
			}
		}
	}
	if s.URI == "" && fromInputs {
		// Google Cloud Build names its git source by URL and sha1 only.
		for _, in := range inputs {
			if in.Digest["sha1"] != "" && len(in.Digest) == 1 && !strings.HasPrefix(in.URI, "pkg:") {
				s.URI, s.Digest = in.URI, in.Digest
				break
			}
		}
	}
	if s.URI == "" && bk != nil && bk.Metadata != nil && bk.Metadata.VCS["source"] != "" {
		s.URI = bk.Metadata.VCS["source"]
		s.Commit = bk.Metadata.VCS["revision"]
		s.Hint = true
	}
	if s.URI == "" {
		return s
	}
	repo, ref, fragCommit := splitSourceURI(s.URI)
	s.Repository = repo
	if s.Ref == "" {
		s.Ref = ref
	}
	if len(s.Digest) == 0 {
		key := repositoryKey(repo)
		for _, in := range inputs {
			if len(in.Digest) > 0 && isGitInput(in) {
				r, _, _ := splitSourceURI(in.URI)
				if repositoryKey(r) == key {
					s.Digest = in.Digest
					break
				}
			}
		}
	}
	if s.Commit == "" {
		s.Commit = firstNonEmpty(s.Digest["gitCommit"], s.Digest["sha1"], fragCommit)
	}
	if s.Ref == "" && gh != nil && gh.Ref != "" && s.Commit != "" &&
		sameGitHubRepository(repo, gh.Repository) &&
		(strings.EqualFold(gh.SHA, s.Commit) || strings.EqualFold(gh.WorkflowSHA, s.Commit)) {
		s.Ref = gh.Ref
	}
	return s
}

// isGitInput reports whether an input names a git repository.
func isGitInput(in ResourceDescriptor) bool {
	u := in.URI
	if u == "" || strings.HasPrefix(u, "pkg:") {
		return false
	}
	if strings.HasPrefix(u, "git+") || strings.HasPrefix(u, "git://") || strings.HasPrefix(u, "git@") {
		return true
	}
	if in.Digest["gitCommit"] != "" {
		return true
	}
	base, _, _ := strings.Cut(u, "#")
	return strings.HasSuffix(base, ".git")
}

// splitSourceURI splits a source URI into the repository, the ref it names
// (an @ref suffix, or a #ref or #ref:subdir fragment), and the commit a
// fragment names when the fragment is a commit ID rather than a ref.
func splitSourceURI(uri string) (repo, ref, commit string) {
	u := strings.TrimPrefix(uri, "git+")
	if base, frag, ok := strings.Cut(u, "#"); ok {
		u = base
		frag, _, _ = strings.Cut(frag, ":") // BuildKit: #ref:subdir
		if imageref.IsHex(frag) && (len(frag) == 40 || len(frag) == 64) {
			commit = frag
		} else {
			ref = frag
		}
	}
	// An @ suffix after the host names a ref (slsa-github-generator writes
	// git+https://github.com/org/repo@refs/tags/v1); an @ before the host
	// is user information.
	prefix, rest := "", u
	if i := strings.Index(u, "://"); i >= 0 {
		prefix, rest = u[:i+3], u[i+3:]
	}
	if slash := strings.IndexByte(rest, '/'); slash >= 0 {
		if at := strings.LastIndexByte(rest[slash:], '@'); at >= 0 {
			if ref == "" {
				ref = rest[slash+at+1:]
			}
			rest = rest[:slash+at]
		}
	}
	u = prefix + rest
	u = strings.TrimSuffix(u, "/")
	u = strings.TrimSuffix(u, ".git")
	return u, ref, commit
}

// repositoryKey reduces a repository URI to host/path with the host in lower
// case, for comparing repositories written in different forms:
// "git+https://github.com/org/repo.git", "https://github.com/org/repo",
// "git@github.com:org/repo.git" and "github.com/org/repo" have the same key.
func repositoryKey(uri string) string {
	repo, _, _ := splitSourceURI(uri)
	if _, rest, ok := strings.Cut(repo, "://"); ok {
		repo = rest
	} else if user, rest, ok := strings.Cut(repo, "@"); ok && !strings.Contains(user, "/") {
		// scp-like git@host:path
		host, path, _ := strings.Cut(rest, ":")
		repo = host + "/" + path
	}
	host, path, _ := strings.Cut(repo, "/")
	if at := strings.LastIndexByte(host, '@'); at >= 0 {
		host = host[at+1:]
	}
	host = strings.ToLower(host)
	path = strings.TrimSuffix(strings.TrimSuffix(path, "/"), ".git")
	if path == "" {
		return host
	}
	return host + "/" + path
}

// sameGitHubRepository reports whether repo (a URI) is github.com/<ownerRepo>.
func sameGitHubRepository(repo, ownerRepo string) bool {
	if ownerRepo == "" {
		return false
	}
	return strings.EqualFold(repositoryKey(repo), "github.com/"+ownerRepo)
}
