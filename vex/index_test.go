package vex

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

// parseFixture parses a fixture document named by its path.
func parseFixture(tb testing.TB, name string) *Document {
	tb.Helper()
	d, err := Parse(fixture.Bytes(tb, name), WithDocumentName(name))
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// allDocuments parses every test document: the DHI ones, trivy's and
// go-vex's.
func allDocuments(tb testing.TB) []*Document {
	tb.Helper()
	var docs []*Document
	for _, n := range append(dhiDocuments(tb), "openvex/trivy-project.openvex.json", "openvex/go-vex_v0.2.0.json") {
		docs = append(docs, parseFixture(tb, n))
	}
	return docs
}

var (
	indexOnce sync.Once
	indexAll  *Index
)

// mergedIndex returns the index of all test documents, built once.
func mergedIndex(tb testing.TB) *Index {
	tb.Helper()
	indexOnce.Do(func() { indexAll = NewIndex(allDocuments(tb)...) })
	return indexAll
}

// outcome is the part of a decision a lookup test checks.
type outcome struct {
	Status        Status
	Justification Justification
	Source        string
	Statement     int
	Product       string
	Subcomponent  string
	Via           string
}

func outcomeOf(d Decision) outcome {
	if d.Match == nil {
		return outcome{Status: d.Status}
	}
	return outcome{
		Status:        d.Status,
		Justification: d.Justification,
		Source:        d.Match.Document.Name,
		Statement:     d.Match.Statement.Index,
		Product:       d.Match.Product,
		Subcomponent:  d.Match.Subcomponent,
		Via:           d.Match.Via,
	}
}

const (
	curlDoc    = "dhi/advisories/vex/dhi-curl.vex.json"
	busyboxDoc = "dhi/advisories/vex/dhi-busybox.vex.json"
	nodeDoc    = "dhi/advisories/vex/dhi-node.vex.json"
	pythonDoc  = "dhi/advisories/vex/dhi-python.vex.json"
	trivyDHI   = "dhi/advisories/vex/dhi-trivy.vex.json"
	trivyProj  = "openvex/trivy-project.openvex.json"
	goVexDoc   = "openvex/go-vex_v0.2.0.json"

	curlTrixie = "pkg:deb/debian/curl@8.14.1-2?os_distro=trixie&os_name=debian&os_version=13"
	alpineSHA  = "sha256:124c7d2707904eea7431fffe91522a01e5a861a624ee31d03372cc1d138a3126"
)

// TestLookups checks decisions chosen by reading the JSON of the real
// documents, across the three DHI product shapes, with and without versions
// and qualifiers, and with trivy's and go-vex's documents merged in.
func TestLookups(t *testing.T) {
	t.Parallel()
	ix := mergedIndex(t)
	glibcSource := func(bin string) []string {
		if strings.HasPrefix(bin, "pkg:deb/debian/locales@2.41-12") {
			return []string{"pkg:deb/debian/glibc@2.41-12?distro=debian-13"}
		}
		return nil
	}
	tests := []struct {
		name string
		f    Query
		opts []MatchOption
		want outcome
	}{
		{
			name: "bare versioned purl with os qualifiers meets syft's distro form",
			f:    Query{Vulnerability: "CVE-2025-9086", Package: "pkg:deb/debian/curl@8.14.1-2?arch=amd64&distro=debian-13&upstream=curl"},
			opts: []MatchOption{WithLiteralProducts()},
			want: outcome{StatusNotAffected, VulnerableCodeCannotBeControlledByAdversary, curlDoc, 0, curlTrixie, "", "pkg:deb/debian/curl@8.14.1-2?arch=amd64&distro=debian-13&upstream=curl"},
		},
		{
			name: "vulnerability id compared without case",
			f:    Query{Vulnerability: "cve-2025-9086", Package: "pkg:deb/debian/curl@8.14.1-2?distro=trixie"},
			opts: []MatchOption{WithLiteralProducts()},
			want: outcome{StatusNotAffected, VulnerableCodeCannotBeControlledByAdversary, curlDoc, 0, curlTrixie, "", "pkg:deb/debian/curl@8.14.1-2?distro=trixie"},
		},
		{
			name: "versioned product does not meet another version",
			f:    Query{Vulnerability: "CVE-2025-9086", Package: "pkg:deb/debian/curl@8.14.1-3?distro=debian-13"},
			want: outcome{},
		},
		{
			name: "product's distro qualifier does not meet another distro",
			f:    Query{Vulnerability: "CVE-2025-9086", Package: "pkg:deb/debian/curl@8.14.1-2?distro=debian-12"},
			want: outcome{},
		},
		{
			name: "product's distro qualifier does not meet a package without distro",
			f:    Query{Vulnerability: "CVE-2025-9086", Package: "pkg:deb/debian/curl@8.14.1-2"},
			want: outcome{},
		},
		{
			name: "unversioned bare purl meets any version and qualifiers",
			f:    Query{Vulnerability: "CVE-2025-9086", Package: "pkg:deb/debian/libcurl4t64@8.14.1-2?arch=arm64&distro=debian-13"},
			opts: []MatchOption{WithLiteralProducts()},
			want: outcome{StatusNotAffected, VulnerableCodeCannotBeControlledByAdversary, curlDoc, 0, "pkg:deb/debian/libcurl4t64", "", "pkg:deb/debian/libcurl4t64@8.14.1-2?arch=arm64&distro=debian-13"},
		},
		{
			name: "docker image product with subcomponents, image given as reference",
			f:    Query{Vulnerability: "CVE-2025-9086", Package: "pkg:deb/debian/curl@8.14.1-2?distro=debian-13", Image: "dhi.io/curl:8.14"},
			opts: []MatchOption{WithRepositoryAliases(dhiAliases)},
			want: outcome{StatusNotAffected, VulnerableCodeCannotBeControlledByAdversary, curlDoc, 0, "pkg:docker/dhi/curl", curlTrixie, "pkg:deb/debian/curl@8.14.1-2?distro=debian-13"},
		},
		{
			name: "image given as oci purl with repository_url and digest",
			f: Query{Vulnerability: "CVE-2024-58251", Package: "pkg:apk/alpine/busybox@1.37.0-r19?arch=x86_64&distro=3.22.1",
				Image: "pkg:oci/busybox@sha256%3A" + strings.Repeat("0", 64) + "?repository_url=dhi.io/busybox"},
			opts: []MatchOption{WithRepositoryAliases(dhiAliases)},
			want: outcome{StatusUnderInvestigation, "", busyboxDoc, 0, "pkg:docker/dhi/busybox", "pkg:apk/alpine/busybox@1.37.0-r19?os_name=alpine&os_version=3.22", "pkg:apk/alpine/busybox@1.37.0-r19?arch=x86_64&distro=3.22.1"},
		},
		{
			name: "apk with trivy's bare distro, no image",
			f:    Query{Vulnerability: "CVE-2025-46394", Package: "pkg:apk/alpine/busybox@1.37.0-r19?distro=alpine-3.22.2"},
			// dhi-alpine-base, given first, holds the same statement.
			opts: []MatchOption{WithLiteralProducts()},
			want: outcome{StatusUnderInvestigation, "", "dhi/advisories/vex/dhi-alpine-base.vex.json", 1, "pkg:apk/alpine/busybox@1.37.0-r19?os_name=alpine&os_version=3.22", "", "pkg:apk/alpine/busybox@1.37.0-r19?distro=alpine-3.22.2"},
		},
		{
			name: "pkg:dhi product",
			f:    Query{Vulnerability: "CVE-2025-8194", Package: "pkg:dhi/python@3.12.12"},
			opts: []MatchOption{WithLiteralProducts()},
			want: outcome{StatusNotAffected, InlineMitigationsAlreadyExist, pythonDoc, 256, "pkg:dhi/python@3.12.12", "", "pkg:dhi/python@3.12.12"},
		},
		{
			name: "the latest statement prevails (DHI updates statements in place)",
			f:    Query{Vulnerability: "CVE-2025-48384", Package: "pkg:deb/debian/git@1:2.39.5-0+deb12u2?arch=amd64&distro=debian-12"},
			opts: []MatchOption{WithLiteralProducts()},
			want: outcome{StatusUnderInvestigation, "", nodeDoc, 49, "pkg:deb/debian/git@1%3A2.39.5-0%2Bdeb12u2?os_distro=bookworm&os_name=debian&os_version=12", "", "pkg:deb/debian/git@1:2.39.5-0+deb12u2?arch=amd64&distro=debian-12"},
		},
		{
			name: "trivy's deb epoch qualifier meets DHI's epoch in the version",
			f:    Query{Vulnerability: "CVE-2025-48384", Package: "pkg:deb/debian/git@2.39.5-0%2Bdeb12u2?arch=amd64&distro=debian-12.11&epoch=1"},
			opts: []MatchOption{WithLiteralProducts()},
			want: outcome{StatusUnderInvestigation, "", nodeDoc, 49, "pkg:deb/debian/git@1%3A2.39.5-0%2Bdeb12u2?os_distro=bookworm&os_name=debian&os_version=12", "", "pkg:deb/debian/git@2.39.5-0%2Bdeb12u2?arch=amd64&distro=debian-12.11&epoch=1"},
		},
		{
			name: "binary package meets its source package through the caller's mapping",
			f:    Query{Vulnerability: "CVE-2025-4802", Package: "pkg:deb/debian/locales@2.41-12?arch=all&distro=debian-13"},
			opts: []MatchOption{WithLiteralProducts(), WithSourceMapping(glibcSource)},
			// dhi-curl, given before dhi-python, holds the same statement
			// with the same time: the earlier document is cited.
			want: outcome{StatusNotAffected, VulnerableCodeCannotBeControlledByAdversary, curlDoc, 11, "pkg:deb/debian/glibc@2.41-12?os_distro=trixie&os_name=debian&os_version=13", "", "pkg:deb/debian/glibc@2.41-12?distro=debian-13"},
		},
		{
			name: "without the mapping the binary package meets nothing",
			f:    Query{Vulnerability: "CVE-2025-4802", Package: "pkg:deb/debian/locales@2.41-12?arch=all&distro=debian-13"},
			want: outcome{},
		},
		{
			name: "syft's upstream qualifier names the source package",
			f:    Query{Vulnerability: "CVE-2025-4802", Package: "pkg:deb/debian/locales@2.41-12?arch=all&distro=debian-13&upstream=glibc"},
			opts: []MatchOption{WithLiteralProducts()},
			want: outcome{StatusNotAffected, VulnerableCodeCannotBeControlledByAdversary, curlDoc, 11, "pkg:deb/debian/glibc@2.41-12?os_distro=trixie&os_name=debian&os_version=13", "", "pkg:deb/debian/glibc@2.41-12?distro=debian-13"},
		},
		{
			name: "upstream qualifier ignored on request",
			f:    Query{Vulnerability: "CVE-2025-4802", Package: "pkg:deb/debian/locales@2.41-12?arch=all&distro=debian-13&upstream=glibc"},
			opts: []MatchOption{WithoutUpstreamQualifier()},
			want: outcome{},
		},
		{
			name: "DHI trivy image: golang subcomponent in docker product",
			f:    Query{Vulnerability: "CVE-2020-8552", Package: "pkg:golang/k8s.io/apiserver@0.34.0", Image: "pkg:docker/dhi/trivy@0.66"},
			want: outcome{StatusNotAffected, InlineMitigationsAlreadyExist, trivyDHI, 0, "pkg:docker/dhi/trivy", "pkg:golang/k8s.io/apiserver@0.34.0", "pkg:golang/k8s.io/apiserver@0.34.0"},
		},
		{
			name: "trivy project VEX: alias of a GO id, subcomponent of a Go module product",
			f:    Query{Vulnerability: "CVE-2024-26147", Package: "pkg:golang/helm.sh/helm/v3@v3.14.0", Image: "pkg:golang/github.com/aquasecurity/trivy@v0.52.0"},
			want: outcome{StatusNotAffected, VulnerableCodeNotInExecutePath, trivyProj, 0, "pkg:golang/github.com/aquasecurity/trivy", "pkg:golang/helm.sh/helm/v3", "pkg:golang/helm.sh/helm/v3@v3.14.0"},
		},
		{
			name: "trivy project VEX: subcomponent outside its product meets nothing",
			f:    Query{Vulnerability: "GO-2024-2575", Package: "pkg:golang/helm.sh/helm/v3@v3.14.0"},
			want: outcome{},
		},
		{
			name: "go-vex: oci product with digest meets an image reference with that digest",
			f:    Query{Vulnerability: "CVE-2023-1255", Package: "pkg:apk/alpine/libssl3@3.0.8-r3?arch=x86_64&distro=3.18.2", Image: "docker.io/library/alpine@" + alpineSHA},
			want: outcome{StatusFixed, "", goVexDoc, 0, "pkg:oci/alpine@sha256%3A124c7d2707904eea7431fffe91522a01e5a861a624ee31d03372cc1d138a3126", "pkg:apk/alpine/libssl3@3.0.8-r3", "pkg:apk/alpine/libssl3@3.0.8-r3?arch=x86_64&distro=3.18.2"},
		},
		{
			name: "go-vex: digest product does not meet another digest",
			f:    Query{Vulnerability: "CVE-2023-1255", Package: "pkg:apk/alpine/libssl3@3.0.8-r3", Image: "alpine@sha256:" + strings.Repeat("1", 64)},
			want: outcome{},
		},
		{
			name: "unknown vulnerability",
			f:    Query{Vulnerability: "CVE-1999-0001", Package: "pkg:deb/debian/curl@8.14.1-2?distro=debian-13"},
			want: outcome{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := ix.Decide(tc.f, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, outcomeOf(d)); diff != "" {
				t.Errorf("Decide(%+v) (-want +got):\n%s", tc.f, diff)
			}
		})
	}
}

// TestLatestWinsReportsOthers checks the whole decision for the DHI
// statements that were updated in place.
func TestLatestWinsReportsOthers(t *testing.T) {
	t.Parallel()
	ix := NewIndex(parseFixture(t, nodeDoc))
	d, err := ix.Decide(Query{Vulnerability: "CVE-2025-48384", Package: "pkg:deb/debian/git@1:2.39.5-0+deb12u2?distro=debian-12", Image: "dhi.io/node:22"}, WithRepositoryAliases(dhiAliases))
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != StatusUnderInvestigation || d.Match.Statement.Index != 49 || d.Match.Product != "pkg:docker/dhi/node" {
		t.Fatalf("decision %+v, want under_investigation from statement 49 through pkg:docker/dhi/node", outcomeOf(d))
	}
	var others []int
	for _, o := range d.Others {
		others = append(others, o.Statement.Index)
	}
	if diff := cmp.Diff([]int{70}, others); diff != "" {
		t.Errorf("others (-want +got):\n%s", diff)
	}
	if d.Conflict {
		t.Error("Conflict set for a statement superseded by a later one")
	}
	if !d.Exploitable() {
		t.Error("under_investigation not exploitable")
	}
}

// singleShape returns a copy of a real document in which every statement
// keeps only the products of one shape: "bare" (package purls), "docker" or
// "oci".
func singleShape(t *testing.T, name, shape string) *Document {
	t.Helper()
	var raw map[string]any
	if err := json.Unmarshal(fixture.Bytes(t, name), &raw); err != nil {
		t.Fatal(err)
	}
	for _, s := range raw["statements"].([]any) {
		st := s.(map[string]any)
		var keep []any
		for _, p := range st["products"].([]any) {
			id := p.(map[string]any)["@id"].(string)
			kind := "bare"
			switch {
			case strings.HasPrefix(id, "pkg:docker/"):
				kind = "docker"
			case strings.HasPrefix(id, "pkg:oci/"):
				kind = "oci"
			}
			if slices.Contains(strings.Split(shape, ","), kind) {
				keep = append(keep, p)
			}
		}
		st["products"] = keep
	}
	b, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Parse(b, WithDocumentName(name+"#"+shape))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestProductShapes isolates each of the three product shapes of the DHI
// documents.
func TestProductShapes(t *testing.T) {
	t.Parallel()
	pkg := "pkg:deb/debian/curl@8.14.1-2?arch=amd64&distro=debian-13"
	images := []string{"", "dhi.io/curl:8", "dhi.io/curl@sha256:" + strings.Repeat("a", 64), "pkg:docker/dhi/curl@8", "pkg:oci/dhi%2Fcurl", "registry.scout.docker.com/dhi/curl:8", "dhi.io/python:3.13"}
	tests := []struct {
		shape string
		opts  []MatchOption
		// want lists, per image above, whether the statement meets.
		want []bool
	}{
		{shape: "bare", want: []bool{true, true, true, true, true, true, true}},
		{shape: "docker", want: []bool{false, true, true, true, true, true, false}},
		{shape: "oci", want: []bool{false, true, true, true, true, true, false}},
		// The feed's own shape: bare, docker and oci products together. By
		// default the bare products apply in the curl image only.
		{shape: "bare,docker,oci", want: []bool{false, true, true, true, true, true, false}},
		{shape: "bare,docker,oci", opts: []MatchOption{WithLiteralProducts()}, want: []bool{true, true, true, true, true, true, true}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s/%d-options", tc.shape, len(tc.opts)), func(t *testing.T) {
			t.Parallel()
			ix := NewIndex(singleShape(t, curlDoc, tc.shape))
			var got []bool
			for _, img := range images {
				d, err := ix.Decide(Query{Vulnerability: "CVE-2025-9086", Package: pkg, Image: img}, append([]MatchOption{WithRepositoryAliases(dhiAliases)}, tc.opts...)...)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, d.Status == StatusNotAffected)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("meets per image %q (-want +got):\n%s", images, diff)
			}
		})
	}
}

// TestImageScopePrevails merges two DHI documents that disagree about a bare
// package and checks that the finding's image picks its own document.
func TestImageScopePrevails(t *testing.T) {
	t.Parallel()
	node := parseFixture(t, nodeDoc)
	python := parseFixture(t, pythonDoc)
	for _, order := range [][]*Document{{node, python}, {python, node}} {
		ix := NewIndex(order...)
		f := Query{Vulnerability: "CVE-2024-28757", Package: "pkg:deb/debian/libexpat1@2.5.0-1+deb12u1?distro=debian-12"}
		// Read literally, without an image, the later statement (node's,
		// under_investigation) prevails over python's not_affected.
		d, err := ix.Decide(f, WithLiteralProducts())
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != StatusUnderInvestigation || d.Match.Document != node || len(d.Others) != 1 || d.Others[0].Document != python {
			t.Errorf("no image: %+v, others %d", outcomeOf(d), len(d.Others))
		}
		if d.Match.Reading != ReadingLiteral {
			t.Errorf("no image, literal: reading %q", d.Match.Reading)
		}
		// By default, both documents' bare products apply in their own
		// images only: without an image, none applies.
		if d, err := ix.Decide(f); err != nil || d.Match != nil {
			t.Errorf("no image, image-scoped: %+v, %v", outcomeOf(d), err)
		}
		// In the python image, python's statement about its image prevails.
		f.Image = "dhi.io/python:3.13"
		d, err = ix.Decide(f, WithRepositoryAliases(dhiAliases))
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != StatusNotAffected || d.Match.Document != python || d.Match.Product != "pkg:docker/dhi/python" {
			t.Errorf("python image: %+v", outcomeOf(d))
		}
	}
}

func TestConflicts(t *testing.T) {
	t.Parallel()
	ix := mergedIndex(t)
	cs := ix.Conflicts()
	if len(cs) == 0 {
		t.Fatal("no conflicts among the merged DHI documents")
	}
	found := false
	for _, c := range cs {
		if len(c.Statements) < 2 {
			t.Errorf("conflict with %d statements", len(c.Statements))
		}
		statuses := map[Status]bool{}
		for i, m := range c.Statements {
			statuses[m.Status()] = true
			if i > 0 && compareMatches(c.Statements[i-1], m) > 0 {
				t.Errorf("conflict %s %s %s not in precedence order", c.Vulnerability, c.Product, c.Component)
			}
		}
		if len(statuses) < 2 {
			t.Errorf("conflict %s %s %s has one status", c.Vulnerability, c.Product, c.Component)
		}
		if c.Vulnerability == "CVE-2025-48384" && c.Product == "dhi/node" && strings.HasPrefix(c.Component, "pkg:deb/debian/git@1:2.39.5-0%2Bdeb12u2?distro=debian-12") {
			found = true
			if c.Statements[0].Statement.Index != 49 || c.Statements[1].Statement.Index != 70 || c.Tie {
				t.Errorf("git conflict: %+v", c)
			}
		}
	}
	if !found {
		t.Error("the git conflict in dhi-node (statements 49 and 70) is not reported")
	}
	sorted := slices.IsSortedFunc(cs, func(a, b Conflict) int {
		return strings.Compare(a.Vulnerability+"\x00"+a.Product+"\x00"+a.Component, b.Vulnerability+"\x00"+b.Product+"\x00"+b.Component)
	})
	if !sorted {
		t.Error("conflicts not sorted")
	}
}

// TestTie checks the tie-breaking rules and the Conflict flag on a
// hand-made pair of documents with the same time.
func TestTie(t *testing.T) {
	t.Parallel()
	doc := func(status, extra string) *Document {
		d, err := Parse([]byte(`{"@context":"https://openvex.dev/ns/v0.2.0","@id":"x","author":"a","version":1,
			"timestamp":"2025-10-01T00:00:00Z","statements":[{"vulnerability":{"name":"CVE-2025-1"},
			"products":[{"@id":"pkg:npm/lodash"}],"status":"`+status+`"`+extra+`}]}`), WithDocumentName(status))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	na := doc("not_affected", `,"justification":"vulnerable_code_not_present"`)
	aff := doc("affected", `,"action_statement":"upgrade"`)
	for _, order := range [][]*Document{{na, aff}, {aff, na}} {
		ix := NewIndex(order...)
		d, err := ix.Decide(Query{Vulnerability: "CVE-2025-1", Package: "pkg:npm/lodash@4.17.21"})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != StatusAffected || !d.Conflict || len(d.Others) != 1 {
			t.Fatalf("order %s,%s: %+v conflict %v", order[0].Name, order[1].Name, outcomeOf(d), d.Conflict)
		}
		if d.Match.Statement.ActionStatement != "upgrade" || d.Others[0].Statement.Justification != VulnerableCodeNotPresent {
			t.Errorf("action statement %q, other's justification %q", d.Match.Statement.ActionStatement, d.Others[0].Statement.Justification)
		}
		cs := ix.Conflicts()
		if len(cs) != 1 || !cs[0].Tie || cs[0].Statements[0].Document != aff {
			t.Errorf("conflicts = %+v", cs)
		}
	}
}

// TestMergeDeterministic checks that the order of documents changes no
// decision on the real documents and that every statement is indexed.
func TestMergeDeterministic(t *testing.T) {
	t.Parallel()
	docs := allDocuments(t)
	rev := slices.Clone(docs)
	slices.Reverse(rev)
	a, b := NewIndex(docs...), NewIndex(rev...)
	if a.Len() != b.Len() {
		t.Fatalf("Len %d vs %d", a.Len(), b.Len())
	}
	wantLen := 0
	for _, d := range docs {
		for _, s := range d.Statements {
			for _, p := range s.Products {
				if len(p.Subcomponents) == 0 {
					wantLen++
				}
				wantLen += len(p.Subcomponents)
			}
		}
	}
	// trivy's products carry the same purl in @id and identifiers.purl.
	if a.Len() != wantLen {
		t.Errorf("Len = %d, want %d (one per product and subcomponent)", a.Len(), wantLen)
	}
	findings := findingsFrom(t, docs, 3000)
	ra, err := a.Apply(findings)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := b.Apply(findings)
	if err != nil {
		t.Fatal(err)
	}
	met := 0
	for i := range ra {
		if ra[i].Status != "" {
			met++
		}
		if ra[i].Status != rb[i].Status || (ra[i].Match == nil) != (rb[i].Match == nil) ||
			(ra[i].Match != nil && ra[i].Match.Statement != rb[i].Match.Statement && !ra[i].Conflict) {
			t.Errorf("finding %+v: %+v vs %+v", findings[i], outcomeOf(ra[i].Decision), outcomeOf(rb[i].Decision))
		}
	}
	if met < len(findings)/2 {
		t.Errorf("only %d of %d findings met a statement", met, len(findings))
	}
	if diff := cmp.Diff(conflictKeys(a.Conflicts()), conflictKeys(b.Conflicts())); diff != "" {
		t.Errorf("conflicts differ with the order (-a +b):\n%s", diff)
	}
}

func conflictKeys(cs []Conflict) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Vulnerability+" "+c.Product+" "+c.Component+" "+string(c.Statements[0].Status()))
	}
	return out
}

// findingsFrom makes up to n findings from the statements of docs: each
// statement's vulnerability on each of its package purls, with a version
// and distro when the purl has none, in the image its docker product names.
func findingsFrom(tb testing.TB, docs []*Document, n int) []Query {
	tb.Helper()
	var out []Query
	for _, d := range docs {
		for _, s := range d.Statements {
			image := ""
			for _, p := range s.Products {
				if strings.HasPrefix(p.ID, "pkg:docker/") {
					image = p.ID
				}
			}
			for _, p := range s.Products {
				if len(p.Subcomponents) > 0 || !strings.HasPrefix(p.ID, "pkg:") {
					continue
				}
				pkg := p.ID
				if !strings.Contains(pkg, "@") {
					pkg += "@1.0-1?arch=amd64&distro=debian-13"
				}
				out = append(out, Query{Vulnerability: s.Vulnerability.Name, Package: pkg, Image: image})
				if len(out) == n {
					return out
				}
			}
		}
	}
	return out
}

func TestApplyAndExploitable(t *testing.T) {
	t.Parallel()
	ix := NewIndex(parseFixture(t, curlDoc), parseFixture(t, busyboxDoc))
	findings := []Query{
		{Vulnerability: "CVE-2025-9086", Package: "pkg:deb/debian/curl@8.14.1-2?distro=debian-13", Image: "dhi.io/curl:8"},
		{Vulnerability: "CVE-2024-58251", Package: "pkg:apk/alpine/busybox@1.37.0-r19?distro=alpine-3.22", Image: "dhi.io/busybox:1"},
		{Vulnerability: "CVE-2099-0001", Package: "pkg:deb/debian/curl@8.14.1-2?distro=debian-13", Image: "dhi.io/curl:8"},
		{Vulnerability: "CVE-2025-9086", Package: "pkg:deb/debian/curl@8.14.1-2?distro=debian-13", Image: "dhi.io/curl:8"},
	}
	res, err := ix.Apply(findings, WithRepositoryAliases(dhiAliases))
	if err != nil {
		t.Fatal(err)
	}
	var got []Status
	for i, r := range res {
		if !cmp.Equal(r.Query, findings[i]) {
			t.Errorf("result %d is for %+v", i, r.Query)
		}
		got = append(got, r.Status)
	}
	if diff := cmp.Diff([]Status{StatusNotAffected, StatusUnderInvestigation, "", StatusNotAffected}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	var left []string
	for _, r := range Exploitable(res) {
		left = append(left, r.Vulnerability)
	}
	if diff := cmp.Diff([]string{"CVE-2024-58251", "CVE-2099-0001"}, left); diff != "" {
		t.Errorf("exploitable (-want +got):\n%s", diff)
	}
	if _, err := ix.Apply(findings, WithSourceMapping(nil)); err == nil {
		t.Error("WithSourceMapping(nil) accepted")
	}
	if _, err := ix.Decide(findings[0], WithSourceMapping(nil)); err == nil {
		t.Error("WithSourceMapping(nil) accepted by Decide")
	}
}

func TestStatusVocabulary(t *testing.T) {
	t.Parallel()
	for _, s := range Statuses() {
		if !s.Valid() {
			t.Errorf("%q not valid", s)
		}
	}
	for _, j := range Justifications() {
		if !j.Valid() {
			t.Errorf("%q not valid", j)
		}
	}
	if Status("patched").Valid() || Status("").Valid() || Justification("because").Valid() {
		t.Error("invalid values reported valid")
	}
	want := map[Status]bool{StatusAffected: true, StatusUnderInvestigation: true, "": true, StatusFixed: false, StatusNotAffected: false}
	for s, w := range want {
		if s.Exploitable() != w {
			t.Errorf("%q.Exploitable() = %v", s, !w)
		}
	}
}

func TestConcurrentLookups(t *testing.T) {
	t.Parallel()
	ix := mergedIndex(t)
	findings := findingsFrom(t, ix.Documents(), 200)
	want, err := ix.Apply(findings)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, f := range findings {
				d, err := ix.Decide(f)
				if err != nil || d.Status != want[i].Status {
					t.Errorf("concurrent Decide(%+v) = %q, %v", f, d.Status, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
