package dhi

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
)

func mustRepo(t *testing.T, s string) name.Repository {
	t.Helper()
	r, err := name.NewRepository(s)
	if err != nil {
		t.Fatalf("name.NewRepository(%q): %v", s, err)
	}
	return r
}

// The repository names below are those of dhi-metadata.md §2.2 and §6
// (Docker's documentation, the DHI keyring README and catalog issues).
func TestClassifyRepository(t *testing.T) {
	t.Parallel()
	tests := []struct {
		repo      string
		want      RepositoryInfo
		ok        bool
		referrers string // "" when ReferrersRepository returns false
		scout     string // "" when ScoutRepository returns false
	}{
		{"dhi.io/python", RepositoryInfo{Kind: RepositoryDHI, Image: "python"}, true, "", "registry.scout.docker.com/dhi/python"},
		{"dhi.io/golang", RepositoryInfo{Kind: RepositoryDHI, Image: "golang"}, true, "", "registry.scout.docker.com/dhi/golang"},
		{"dhi.io/alpine-base", RepositoryInfo{Kind: RepositoryDHI, Image: "alpine-base"}, true, "", "registry.scout.docker.com/dhi/alpine-base"},
		{"dhi.io/external-dns-chart", RepositoryInfo{Kind: RepositoryDHI, Image: "external-dns-chart"}, true, "", "registry.scout.docker.com/dhi/external-dns-chart"},
		{"dhi.io/a/b", RepositoryInfo{Kind: RepositoryDHI, Image: "a/b"}, true, "", ""},
		{"dhi/golang", RepositoryInfo{Kind: RepositoryHubCatalog, Namespace: "dhi", Image: "golang"}, true, "registry.scout.docker.com/dhi/golang", "registry.scout.docker.com/dhi/golang"},
		{"docker.io/dhi/python", RepositoryInfo{Kind: RepositoryHubCatalog, Namespace: "dhi", Image: "python"}, true, "registry.scout.docker.com/dhi/python", "registry.scout.docker.com/dhi/python"},
		{"index.docker.io/dhi/prometheus-chart", RepositoryInfo{Kind: RepositoryHubCatalog, Namespace: "dhi", Image: "prometheus-chart"}, true, "registry.scout.docker.com/dhi/prometheus-chart", "registry.scout.docker.com/dhi/prometheus-chart"},
		{"docs/dhi-python", RepositoryInfo{Kind: RepositoryHubMirror, Namespace: "docs", Image: "python"}, true, "registry.scout.docker.com/docs/dhi-python", "registry.scout.docker.com/docs/dhi-python"},
		{"docker.io/my-org/dhi-golang", RepositoryInfo{Kind: RepositoryHubMirror, Namespace: "my-org", Image: "golang"}, true, "registry.scout.docker.com/my-org/dhi-golang", "registry.scout.docker.com/my-org/dhi-golang"},
		{"docker.io/docker/dhi-python", RepositoryInfo{Kind: RepositoryHubMirror, Namespace: "docker", Image: "python"}, true, "registry.scout.docker.com/docker/dhi-python", "registry.scout.docker.com/docker/dhi-python"},
		{"registry-1.docker.io/acme/dhi-node", RepositoryInfo{Kind: RepositoryHubMirror, Namespace: "acme", Image: "node"}, true, "registry.scout.docker.com/acme/dhi-node", "registry.scout.docker.com/acme/dhi-node"},
		{"registry.scout.docker.com/docker/dhi-python", RepositoryInfo{Kind: RepositoryScout, Namespace: "docker", Image: "python"}, true, "", "registry.scout.docker.com/docker/dhi-python"},
		{"registry.scout.docker.com/dhi/python", RepositoryInfo{Kind: RepositoryScout, Namespace: "dhi", Image: "python"}, true, "", "registry.scout.docker.com/dhi/python"},
		// Not DHI names.
		{"python", RepositoryInfo{}, false, "", ""},
		{"docker.io/library/python", RepositoryInfo{}, false, "", ""},
		{"docker.io/acme/node", RepositoryInfo{}, false, "", ""},
		{"docker.io/acme/dhi-", RepositoryInfo{}, false, "", ""},
		{"docker.io/acme/my-dhi-node", RepositoryInfo{}, false, "", ""},
		{"docker.io/dhi/a/b", RepositoryInfo{}, false, "", ""},
		{"registry.scout.docker.com/acme/node", RepositoryInfo{}, false, "", ""},
		{"ghcr.io/acme/dhi-node", RepositoryInfo{}, false, "", ""},
		{"registry.example.com/dhi/python", RepositoryInfo{}, false, "", ""},
		{"127.0.0.1:5004/m/app", RepositoryInfo{}, false, "", ""},
		{"dhi.io.example.com/python", RepositoryInfo{}, false, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.repo, func(t *testing.T) {
			t.Parallel()
			repo := mustRepo(t, tc.repo)
			got, ok := ClassifyRepository(repo)
			if ok != tc.ok || IsDHI(repo) != tc.ok {
				t.Fatalf("ClassifyRepository(%s) ok = %v, IsDHI = %v; want %v", repo, ok, IsDHI(repo), tc.ok)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ClassifyRepository(%s) (-want +got):\n%s", repo, diff)
			}
			if ok && !got.Kind.Valid() {
				t.Errorf("Kind %q is not valid", got.Kind)
			}
			ref, ok := ReferrersRepository(repo)
			if ok != (tc.referrers != "") || (ok && ref.String() != tc.referrers) {
				t.Errorf("ReferrersRepository(%s) = %s, %v; want %q", repo, ref, ok, tc.referrers)
			}
			sc, ok := ScoutRepository(repo)
			if ok != (tc.scout != "") || (ok && sc.String() != tc.scout) {
				t.Errorf("ScoutRepository(%s) = %s, %v; want %q", repo, sc, ok, tc.scout)
			}
		})
	}
}

func TestReferrersRepositoryIsParseable(t *testing.T) {
	t.Parallel()
	ref, ok := ReferrersRepository(mustRepo(t, "acme/dhi-node"))
	if !ok {
		t.Fatal("no referrers repository")
	}
	again := mustRepo(t, ref.String())
	if again.RegistryStr() != ScoutRegistry || again.RepositoryStr() != "acme/dhi-node" || again.Scheme() != "https" {
		t.Errorf("%s reparses as %s %s %s", ref, again.RegistryStr(), again.RepositoryStr(), again.Scheme())
	}
	if _, ok := ReferrersRepository(name.Repository{}); ok {
		t.Errorf("ReferrersRepository of the zero repository reports one")
	}
	if IsDHI(name.Repository{}) {
		t.Errorf("IsDHI of the zero repository")
	}
}

func TestRepositoryKinds(t *testing.T) {
	t.Parallel()
	for _, k := range RepositoryKinds() {
		if !k.Valid() {
			t.Errorf("%q.Valid() = false", k)
		}
	}
	if RepositoryKind("docker.io").Valid() {
		t.Errorf("Valid() accepts a kind not listed")
	}
	if !(RepositoryInfo{Image: "prometheus-chart"}).Chart() || (RepositoryInfo{Image: "python"}).Chart() {
		t.Errorf("Chart() is wrong")
	}
}

// The tags below are those of dhi-metadata.md §6 and §2 (DHI catalog
// definitions and Docker's documentation).
func TestParseTag(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tag   string
		want  Tag
		label string
	}{
		{"3.13", Tag{Version: "3.13"}, ""},
		{"3.13.15", Tag{Version: "3.13.15"}, ""},
		{"3.13-debian13", Tag{Version: "3.13", Distro: "debian13"}, "debian-13"},
		{"3.13.15-debian13", Tag{Version: "3.13.15", Distro: "debian13"}, "debian-13"},
		{"1-debian12-dev", Tag{Version: "1", Distro: "debian12", Variants: []string{"dev"}}, "debian-12"},
		{"20.19-debian12", Tag{Version: "20.19", Distro: "debian12"}, "debian-12"},
		{"20.19-debian12-fips-20250701182639", Tag{Version: "20.19", Distro: "debian12", Variants: []string{"fips"}, Timestamp: "20250701182639"}, "debian-12"},
		{"5-alpine3.24", Tag{Version: "5", Distro: "alpine3.24"}, "alpine-3.24"},
		{"1.25-alpine3.22-fips-dev", Tag{Version: "1.25", Distro: "alpine3.22", Variants: []string{"fips", "dev"}}, "alpine-3.22"},
		{"3.13-debian13-sfw-ent", Tag{Version: "3.13", Distro: "debian13", Variants: []string{"sfw-ent"}}, "debian-13"},
		{"3.13-sfw-dev", Tag{Version: "3.13", Variants: []string{"sfw", "dev"}}, ""},
		{"1.20.0-compat", Tag{Version: "1.20.0", Variants: []string{"compat"}}, ""},
		{"3.22", Tag{Version: "3.22"}, ""},
		{"20230311", Tag{Version: "20230311"}, ""},
		{"trixie", Tag{Version: "trixie"}, ""},
		{"latest", Tag{Version: "latest"}, ""},
		{"24.04-ubuntu24.04", Tag{Version: "24.04", Distro: "ubuntu24.04"}, "ubuntu-24.04"},
		{"1.0.0-rc1-debian13-dev", Tag{Version: "1.0.0-rc1", Distro: "debian13", Variants: []string{"dev"}}, "debian-13"},
		{"1-debian13-stig-x", Tag{Version: "1", Distro: "debian13", Variants: []string{"stig", "x"}}, "debian-13"},
		{"1-dev-debian13", Tag{Version: "1", Distro: "debian13", Variants: []string{"dev"}}, "debian-13"},
		{"1-debian13-debian12", Tag{Version: "1", Distro: "debian13", Variants: []string{"debian12"}}, "debian-13"},
		{"1-debian", Tag{Version: "1-debian"}, ""},
		{"20250701182639", Tag{Version: "20250701182639"}, ""},
		{"", Tag{}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.tag, func(t *testing.T) {
			t.Parallel()
			got := ParseTag(tc.tag)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseTag(%q) (-want +got):\n%s", tc.tag, diff)
			}
			if l := got.DistroLabel(); l != tc.label {
				t.Errorf("DistroLabel() = %q, want %q", l, tc.label)
			}
			if again := ParseTag(got.String()); !cmp.Equal(again, got) {
				t.Errorf("ParseTag(%q.String() = %q) = %+v", tc.tag, got.String(), again)
			}
		})
	}
	if tag := ParseTag("20.19-debian12-fips-20250701182639"); !tag.Has("fips") || tag.Has("dev") || tag.String() != "20.19-debian12-fips-20250701182639" {
		t.Errorf("Has/String wrong for %+v", tag)
	}
}

func TestRepositoryAliases(t *testing.T) {
	t.Parallel()
	dhiPython := []string{"dhi.io/python", "docker.io/dhi/python", "registry.scout.docker.com/dhi/python"}
	mirror := []string{"docker.io/myorg/dhi-python", "registry.scout.docker.com/myorg/dhi-python"}
	without := func(all []string, self string) []string {
		var out []string
		for _, a := range all {
			if a != self {
				out = append(out, a)
			}
		}
		return out
	}
	tests := []struct {
		repo string
		want []string
	}{
		{"dhi.io/python", without(dhiPython, "dhi.io/python")},
		{"docker.io/dhi/python", without(dhiPython, "docker.io/dhi/python")},
		{"index.docker.io/dhi/python", without(dhiPython, "docker.io/dhi/python")},
		{"registry.scout.docker.com/dhi/python", without(dhiPython, "registry.scout.docker.com/dhi/python")},
		{"docker.io/myorg/dhi-python", without(mirror, "docker.io/myorg/dhi-python")},
		{"registry.scout.docker.com/myorg/dhi-python", without(mirror, "registry.scout.docker.com/myorg/dhi-python")},
		{"dhi.io/team/python", nil},
		{"docker.io/library/python", nil},
		{"ghcr.io/org/dhi-python", nil},
		{"not a repository", nil},
	}
	for _, tc := range tests {
		t.Run(tc.repo, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, RepositoryAliases(tc.repo), cmpEmptyNil); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// cmpEmptyNil treats nil and empty slices as equal.
var cmpEmptyNil = cmp.FilterValues(func(a, b []string) bool { return len(a) == 0 && len(b) == 0 }, cmp.Comparer(func(a, b []string) bool { return true }))
