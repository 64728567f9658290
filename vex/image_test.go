package vex

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/internal/purl"
)

func TestImageIdentity(t *testing.T) {
	t.Parallel()
	digest := "sha256:" + strings.Repeat("ab", 32)
	tests := []struct {
		in     string
		want   image
		wantOK bool
	}{
		{"dhi.io/python@" + digest, image{repo: "dhi.io/python", digest: digest}, true},
		{"dhi.io/python:3.13", image{repo: "dhi.io/python", tag: "3.13"}, true},
		{"dhi.io/python:3.13@" + digest, image{repo: "dhi.io/python", tag: "3.13", digest: digest}, true},
		{"registry.scout.docker.com/dhi/python", image{repo: "registry.scout.docker.com/dhi/python"}, true},
		{"docker.io/library/alpine@" + strings.ToUpper(digest[:7]) + digest[7:], image{repo: "docker.io/library/alpine", digest: digest}, true},
		{"alpine", image{repo: "docker.io/library/alpine"}, true},
		{"index.docker.io/dhi/python:3", image{repo: "docker.io/dhi/python", tag: "3"}, true},
		{"myorg/dhi-python:3.13", image{repo: "docker.io/myorg/dhi-python", tag: "3.13"}, true},
		{"localhost:5000/m/app:v1", image{repo: "localhost:5000/m/app", tag: "v1"}, true},
		{"127.0.0.1:5004/m/app@" + digest, image{repo: "127.0.0.1:5004/m/app", digest: digest}, true},
		{"ghcr.io/Org/Tool:1", image{repo: "ghcr.io/org/tool", tag: "1"}, true},
		{"pkg:docker/dhi/python", image{repo: "docker.io/dhi/python"}, true},
		{"pkg:docker/dhi/python@3.13", image{repo: "docker.io/dhi/python", tag: "3.13"}, true},
		{"pkg:docker/dhi.io/bash@5-alpine3.24?digest=" + digest + "&platform=linux%2Farm64", image{repo: "dhi.io/bash", tag: "5-alpine3.24", digest: digest}, true},
		{"pkg:docker/python@" + digest + "?repository_url=dhi.io", image{repo: "dhi.io/python", digest: digest}, true},
		{"pkg:oci/dhi%2Fpython", image{repo: "docker.io/dhi/python"}, true},
		{"pkg:oci/python@sha256%3A" + digest[7:] + "?repository_url=dhi.io/python", image{repo: "dhi.io/python", digest: digest}, true},
		// DHI's 2026 form: repository_url is the registry, the name stays.
		{"pkg:oci/python?repository_url=dhi.io", image{repo: "dhi.io/python"}, true},
		{"pkg:oci/node?repository_url=dhi.io", image{repo: "dhi.io/node"}, true},
		{"pkg:oci/python?repository_url=ghcr.io/org", image{repo: "ghcr.io/org/python"}, true},
		{"pkg:oci/dhi.io%2Fpython", image{repo: "dhi.io/python"}, true},
		{"pkg:docker/python?repository_url=dhi.io", image{repo: "dhi.io/python"}, true},
		{"dhi.io/python@sha512:" + strings.Repeat("ab", 64), image{repo: "dhi.io/python", digest: "sha512:" + strings.Repeat("ab", 64)}, true},
		{"dhi.io/python@sha256:" + strings.Repeat("ab", 20), image{}, false},
		{"dhi.io/python@md5:" + strings.Repeat("ab", 16), image{}, false},
		{"pkg:oci/alpine?tag=3.18", image{repo: "docker.io/library/alpine", tag: "3.18"}, true},
		{"pkg:deb/debian/glibc@2.41-12", image{}, false},
		{"dhi.io/python@sha256:short", image{}, false},
		{"https://example.com/product", image{}, false},
		{"dhi.io/python:", image{}, false},
		{"", image{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			var got image
			var ok bool
			if hasPURLScheme(tc.in) {
				p, err := purl.Parse(tc.in)
				if err == nil {
					got, ok = imageFromPURL(p)
				}
			} else {
				got, ok = imageFromReference(tc.in)
			}
			if ok != tc.wantOK {
				t.Fatalf("ok = %v, want %v (%+v)", ok, tc.wantOK, got)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(image{})); ok && diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestImageMatches(t *testing.T) {
	t.Parallel()
	d1 := "sha256:" + strings.Repeat("1", 64)
	d2 := "sha256:" + strings.Repeat("2", 64)
	tests := []struct {
		pattern, im image
		want        bool
	}{
		{image{repo: "dhi/python"}, image{repo: "dhi/python", tag: "3.13", digest: d1}, true},
		{image{repo: "dhi/python"}, image{repo: "dhi/node"}, false},
		{image{repo: "dhi/python", tag: "3.13"}, image{repo: "dhi/python", tag: "3.13"}, true},
		{image{repo: "dhi/python", tag: "3.13"}, image{repo: "dhi/python", digest: d1}, false},
		{image{repo: "library/alpine", digest: d1}, image{repo: "myorg/mirror", digest: d1}, true},
		{image{repo: "dhi/python", digest: d1}, image{repo: "dhi/python", digest: d2}, false},
		{image{digest: d1}, image{digest: d1}, true},
		{image{}, image{}, false},
	}
	for _, tc := range tests {
		if got := tc.pattern.matches(tc.im); got != tc.want {
			t.Errorf("%+v.matches(%+v) = %v, want %v", tc.pattern, tc.im, got, tc.want)
		}
	}
}

// TestHashProduct checks a product identified only by its sha-256 hash.
func TestHashProduct(t *testing.T) {
	t.Parallel()
	hex := strings.Repeat("cd", 32)
	doc, err := Parse([]byte(`{"@context":"https://openvex.dev/ns/v0.2.0","@id":"x","author":"a","version":1,
		"timestamp":"2025-10-01T00:00:00Z","statements":[{"vulnerability":{"name":"CVE-2025-2"},
		"products":[{"hashes":{"sha-256":"` + hex + `"}}],"status":"not_affected","justification":"component_not_present"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	ix := NewIndex(doc)
	for img, want := range map[string]Status{
		"dhi.io/anything@sha256:" + hex:                     StatusNotAffected,
		"dhi.io/anything@sha256:" + strings.Repeat("0", 64): "",
		"dhi.io/anything:1":                                 "",
	} {
		d, err := ix.Decide(Query{Vulnerability: "CVE-2025-2", Package: "pkg:npm/x@1", Image: img})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != want {
			t.Errorf("image %s: %q, want %q", img, d.Status, want)
		}
	}
}

// dhiAliases gives the names Docker Hardened Images go by, as package dhi
// does (dhi.RepositoryAliases), for the tests of this package, which cannot
// import dhi.
func dhiAliases(repo string) []string {
	var name string
	switch {
	case strings.HasPrefix(repo, "dhi.io/"):
		name = strings.TrimPrefix(repo, "dhi.io/")
	case strings.HasPrefix(repo, "docker.io/dhi/"):
		name = strings.TrimPrefix(repo, "docker.io/dhi/")
	case strings.HasPrefix(repo, "registry.scout.docker.com/dhi/"):
		name = strings.TrimPrefix(repo, "registry.scout.docker.com/dhi/")
	default:
		return nil
	}
	return []string{"dhi.io/" + name, "docker.io/dhi/" + name, "registry.scout.docker.com/dhi/" + name}
}
