package vex

import (
	"path"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	packageurl "github.com/package-url/packageurl-go"

	"github.com/dhisdk/dhisdk/internal/purl"
)

// statementDoc returns a document with one not_affected statement on vuln
// whose products are given as JSON.
func statementDoc(t *testing.T, name, vuln, products string) *Document {
	t.Helper()
	d, err := Parse([]byte(`{"@context":"https://openvex.dev/ns/v0.2.0","@id":"x","author":"a","version":1,
		"timestamp":"2025-10-01T00:00:00Z","statements":[{"vulnerability":{"name":"`+vuln+`"},
		"products":`+products+`,"status":"not_affected","justification":"vulnerable_code_not_present"}]}`), WithDocumentName(name))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestGoModuleVersions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, product, pkg string
		want               bool
	}{
		{"DHI's bare version meets trivy's v form", "pkg:golang/golang.org/x/net@0.38.0", "pkg:golang/golang.org/x/net@v0.38.0", true},
		{"v form meets bare form", "pkg:golang/golang.org/x/net@v0.38.0", "pkg:golang/golang.org/x/net@0.38.0", true},
		{"another version does not meet", "pkg:golang/golang.org/x/net@0.38.0", "pkg:golang/golang.org/x/net@v0.38.1", false},
		{"v1.2 is v1.2.0", "pkg:golang/example.com/m@1.2", "pkg:golang/example.com/m@v1.2.0", true},
		{"+incompatible written on both sides", "pkg:golang/github.com/docker/docker@28.0.0+incompatible", "pkg:golang/github.com/docker/docker@v28.0.0+incompatible", true},
		{"+incompatible implied by a path without major suffix", "pkg:golang/github.com/docker/docker@28.0.0", "pkg:golang/github.com/docker/docker@v28.0.0+incompatible", true},
		{"major suffix path: v2 is not +incompatible", "pkg:golang/github.com/go-jose/go-jose/v4@4.0.5", "pkg:golang/github.com/go-jose/go-jose/v4@v4.0.5", true},
		{"major suffix path does not take +incompatible", "pkg:golang/github.com/go-jose/go-jose/v4@4.0.5+incompatible", "pkg:golang/github.com/go-jose/go-jose/v4@v4.0.5", false},
		{"pseudo-version", "pkg:golang/golang.org/x/crypto@0.0.0-20240101000000-abcdefabcdef", "pkg:golang/golang.org/x/crypto@v0.0.0-20240101000000-abcdefabcdef", true},
		{"stdlib in syft's go form", "pkg:golang/stdlib@1.24.6", "pkg:golang/stdlib@go1.24.6", true},
		{"stdlib in trivy's v form", "pkg:golang/stdlib@1.24.6", "pkg:golang/stdlib@v1.24.6", true},
		{"module path case", "pkg:golang/github.com/BurntSushi/toml@1.5.0", "pkg:golang/github.com/burntsushi/toml@v1.5.0", true},
		{"not semantic: compared as written", "pkg:golang/example.com/m@(devel)", "pkg:golang/example.com/m@(devel)", true},
		{"npm keeps its own versions", "pkg:npm/ws@8.18.0", "pkg:npm/ws@v8.18.0", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ix := NewIndex(statementDoc(t, "go", "CVE-2025-1", `[{"@id":"`+tc.product+`"}]`))
			d, err := ix.Decide(Query{Vulnerability: "CVE-2025-1", Package: tc.pkg, Image: "ghcr.io/org/app:1"})
			if err != nil {
				t.Fatal(err)
			}
			if got := d.Match != nil; got != tc.want {
				t.Errorf("%s meets %s: %v, want %v", tc.product, tc.pkg, got, tc.want)
			}
		})
	}
}

func TestGoVersion(t *testing.T) {
	t.Parallel()
	tests := []struct{ path, in, want string }{
		{"golang.org/x/net", "0.38.0", "v0.38.0"},
		{"golang.org/x/net", "v0.38.0", "v0.38.0"},
		{"golang.org/x/net", "v0.38", "v0.38.0"},
		{"golang.org/x/net", "v0.38.0+meta", "v0.38.0"},
		{"github.com/docker/docker", "28.0.0", "v28.0.0+incompatible"},
		{"github.com/docker/docker", "v28.0.0+incompatible", "v28.0.0+incompatible"},
		{"github.com/go-jose/go-jose/v4", "4.0.5", "v4.0.5"},
		{"gopkg.in/yaml.v3", "3.0.1", "v3.0.1"},
		{"stdlib", "go1.24.6", "v1.24.6"},
		{"example.com/m", "(devel)", "(devel)"},
		{"example.com/m", "", ""},
	}
	for _, tc := range tests {
		if got := goVersion(tc.path, tc.in); got != tc.want {
			t.Errorf("goVersion(%q, %q) = %q, want %q", tc.path, tc.in, got, tc.want)
		}
	}
}

// TestImagesNeverMeet checks that the products of two images never meet
// each other's queries, in every form DHI and scanners write them.
func TestImagesNeverMeet(t *testing.T) {
	t.Parallel()
	pythonDigest := "sha256:" + strings.Repeat("1", 64)
	nodeDigest := "sha256:" + strings.Repeat("2", 64)
	forms := func(name, digest string) []string {
		return []string{
			"pkg:oci/" + name + "?repository_url=dhi.io",
			"pkg:oci/" + name + "@" + strings.Replace(digest, ":", "%3A", 1) + "?repository_url=dhi.io",
			"pkg:oci/" + name + "?repository_url=dhi.io/" + name,
			"pkg:oci/dhi%2F" + name,
			"pkg:oci/dhi.io%2F" + name,
			"pkg:docker/dhi/" + name,
			"pkg:docker/dhi.io/" + name + "@3?digest=" + digest,
			"pkg:docker/" + name + "?repository_url=dhi.io",
			"dhi.io/" + name + "@" + digest,
		}
	}
	images := map[string][]string{"python": forms("python", pythonDigest), "node": forms("node", nodeDigest)}
	queries := map[string]Query{
		"python": {Image: "dhi.io/python@" + pythonDigest, ImageAliases: []string{"dhi.io/python:3", "dhi/python"}},
		"node":   {Image: "dhi.io/node@" + nodeDigest, ImageAliases: []string{"dhi.io/node:3", "dhi/node"}},
	}
	for product, ids := range images {
		for _, id := range ids {
			for qname, q := range queries {
				for _, opts := range [][]MatchOption{nil, {WithRepositoryAliases(dhiAliases)}} {
					ix := NewIndex(statementDoc(t, product, "CVE-2025-7", `[{"@id":"`+id+`","subcomponents":[{"@id":"pkg:deb/debian/zlib1g"}]}]`))
					q.Vulnerability, q.Package = "CVE-2025-7", "pkg:deb/debian/zlib1g@1.3?distro=debian-13"
					d, err := ix.Decide(q, opts...)
					if err != nil {
						t.Fatal(err)
					}
					met := d.Match != nil
					if qname != product && met {
						t.Errorf("product %s met the %s image (%d options)", id, qname, len(opts))
					}
					if qname == product && len(opts) > 0 && !met {
						t.Errorf("product %s did not meet its own image", id)
					}
				}
			}
		}
	}
}

func TestReading(t *testing.T) {
	t.Parallel()
	doc := statementDoc(t, "curl", "CVE-2025-9", `[{"@id":"pkg:deb/debian/libcurl4t64"},
		{"@id":"pkg:oci/curl?repository_url=dhi.io","subcomponents":[{"@id":"pkg:deb/debian/libcurl4t64"}]}]`)
	other := statementDoc(t, "no-image", "CVE-2025-9", `[{"@id":"pkg:deb/debian/libssl3"}]`)
	ix := NewIndex(doc, other)
	tests := []struct {
		name    string
		q       Query
		opts    []MatchOption
		want    Reading
		wantSub string
	}{
		{"the image: the subcomponent decides", Query{Package: "pkg:deb/debian/libcurl4t64@8.14.1-2", Image: "dhi.io/curl:8"}, nil, ReadingAsWritten, "pkg:deb/debian/libcurl4t64"},
		{"another image: nothing", Query{Package: "pkg:deb/debian/libcurl4t64@8.14.1-2", Image: "dhi.io/python:3"}, nil, "", ""},
		{"no image: nothing", Query{Package: "pkg:deb/debian/libcurl4t64@8.14.1-2"}, nil, "", ""},
		{"another image, literal", Query{Package: "pkg:deb/debian/libcurl4t64@8.14.1-2", Image: "dhi.io/python:3"}, []MatchOption{WithLiteralProducts()}, ReadingLiteral, ""},
		{"document without images: as written", Query{Package: "pkg:deb/debian/libssl3@3.5", Image: "dhi.io/python:3"}, nil, ReadingAsWritten, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.q.Vulnerability = "CVE-2025-9"
			d, err := ix.Decide(tc.q, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			var got Reading
			var sub string
			if d.Match != nil {
				got, sub = d.Match.Reading, d.Match.Subcomponent
			}
			if got != tc.want || sub != tc.wantSub {
				t.Errorf("reading %q, subcomponent %q; want %q, %q", got, sub, tc.want, tc.wantSub)
			}
		})
	}
	// The image-scoped reading is what decides when only the bare product
	// meets: its statement names the image with other subcomponents.
	scoped := statementDoc(t, "scoped", "CVE-2025-9", `[{"@id":"pkg:deb/debian/libcurl4t64"},{"@id":"pkg:docker/dhi/curl","subcomponents":[{"@id":"pkg:deb/debian/curl"}]}]`)
	d, err := NewIndex(scoped).Decide(Query{Vulnerability: "CVE-2025-9", Package: "pkg:deb/debian/libcurl4t64@8.14.1-2", Image: "docker.io/dhi/curl:8"})
	if err != nil {
		t.Fatal(err)
	}
	var reading []Reading
	for _, m := range append([]*Match{d.Match}, d.Others...) {
		if m != nil {
			reading = append(reading, m.Reading)
		}
	}
	if diff := cmp.Diff([]Reading{ReadingImageScoped}, reading); diff != "" {
		t.Errorf("readings (-want +got):\n%s", diff)
	}
	for _, r := range Readings() {
		if !r.Valid() {
			t.Errorf("%q not valid", r)
		}
	}
	if Reading("other").Valid() {
		t.Error("unknown reading valid")
	}
}

// scannerPURL rewrites a DHI product purl in the form a scanner reports the
// installed package in: trivy's and syft's distro and arch qualifiers
// instead of DHI's os_* ones, an apk point release, Go versions with "v",
// and a version for unversioned products.
func scannerPURL(t *testing.T, id string, syft bool) string {
	t.Helper()
	p, err := purl.Parse(id)
	if err != nil {
		t.Fatal(err)
	}
	distro := purl.Distro(p)
	p.Qualifiers = nil
	switch p.Type {
	case packageurl.TypeDebian:
		if p.Version == "" {
			p.Version = "1.0-1"
		}
		p.Qualifiers = packageurl.QualifiersFromMap(map[string]string{"arch": "amd64", "distro": distro})
		if syft {
			p.Qualifiers = append(p.Qualifiers, packageurl.Qualifier{Key: "upstream", Value: p.Name})
		}
	case packageurl.TypeApk:
		if p.Version == "" {
			p.Version = "1.0-r0"
		}
		p.Qualifiers = packageurl.QualifiersFromMap(map[string]string{"arch": "x86_64", "distro": strings.TrimPrefix(distro, "alpine-") + ".1"})
	case packageurl.TypeGolang:
		if p.Version == "" {
			p.Version = "0.1.0"
		}
		p.Version = "v" + strings.TrimPrefix(p.Version, "v")
	default:
		if p.Version == "" {
			p.Version = "1.0.0"
		}
	}
	return p.ToString()
}

// TestFeedImagesStayApart feeds every real DHI feed document into one index
// and queries each subcomponent of each statement as trivy and syft report
// it, in the document's own image (a statement of that document decides)
// and in the image of every other document (no statement of this document
// takes part).
func TestFeedImagesStayApart(t *testing.T) {
	t.Parallel()
	docs := allDocuments(t)
	type feedDoc struct {
		doc   *Document
		image string
	}
	var feed []feedDoc
	for _, d := range docs {
		if !strings.HasPrefix(d.Name, "dhi/advisories/vex/") {
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(path.Base(d.Name), "dhi-"), ".vex.json")
		feed = append(feed, feedDoc{doc: d, image: name})
	}
	if len(feed) < 11 {
		t.Fatalf("%d feed documents", len(feed))
	}
	ix := NewIndex(docs...)
	queries := 0
	for i, fd := range feed {
		other := feed[(i+1)%len(feed)]
		for si := range fd.doc.Statements {
			st := &fd.doc.Statements[si]
			if !usable(st) {
				continue
			}
			for _, p := range st.Products {
				for _, sc := range p.Subcomponents {
					for _, syft := range []bool{false, true} {
						pkg := scannerPURL(t, sc.ID, syft)
						own := Query{Vulnerability: st.Vulnerability.Name, Package: pkg,
							Image: "dhi.io/" + fd.image + "@sha256:" + strings.Repeat("a", 64), ImageAliases: []string{"dhi.io/" + fd.image + ":1"}}
						d, err := ix.Decide(own, WithRepositoryAliases(dhiAliases))
						if err != nil {
							t.Fatal(err)
						}
						queries++
						if d.Match == nil || d.Match.Document != fd.doc {
							t.Fatalf("%s: statement %d on %s, %s in its image: decided by %+v", fd.doc.Name, si, st.Vulnerability.Name, pkg, outcomeOf(d))
						}
						elsewhere := own
						elsewhere.Image, elsewhere.ImageAliases = "dhi.io/"+other.image+"@sha256:"+strings.Repeat("b", 64), []string{"dhi.io/" + other.image + ":1"}
						d, err = ix.Decide(elsewhere, WithRepositoryAliases(dhiAliases))
						if err != nil {
							t.Fatal(err)
						}
						for _, m := range append([]*Match{d.Match}, d.Others...) {
							if m != nil && m.Document == fd.doc {
								t.Fatalf("%s: statement %d on %s, %s met in %s", fd.doc.Name, si, st.Vulnerability.Name, pkg, other.image)
							}
						}
					}
				}
			}
		}
	}
	if queries < 1000 {
		t.Errorf("only %d queries", queries)
	}
	t.Logf("%d queries in own images", queries)
}
