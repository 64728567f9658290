package osv_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dhisdk/dhisdk/dhi/osv"
	"github.com/dhisdk/dhisdk/dhi/vuln"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// realAdvisories returns the paths of the real DHI advisories in testdata.
func realAdvisories(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

// load parses one advisory of testdata.
func load(t testing.TB, path string) *osv.Advisory {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, err := osv.Parse(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return a
}

func TestParseRealAdvisories(t *testing.T) {
	t.Parallel()
	paths := realAdvisories(t)
	if len(paths) != 35 {
		t.Fatalf("%d advisories in testdata, want 35", len(paths))
	}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			t.Parallel()
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			a, err := osv.Parse(b)
			if err != nil {
				t.Fatal(err)
			}
			// An independent decode to count what Parse should have kept.
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			affected, _ := m["affected"].([]any)
			wantRanges, wantEvents := 0, 0
			for _, af := range affected {
				rs, _ := af.(map[string]any)["ranges"].([]any)
				wantRanges += len(rs)
				for _, r := range rs {
					ev, _ := r.(map[string]any)["events"].([]any)
					wantEvents += len(ev)
				}
			}
			gotRanges, gotEvents := 0, 0
			for _, af := range a.Affected {
				gotRanges += len(af.Ranges)
				for _, r := range af.Ranges {
					gotEvents += len(r.Events)
				}
			}
			got := []any{a.ID, len(a.Affected), gotRanges, gotEvents, len(a.Aliases), a.Modified.IsZero()}
			want := []any{strings.TrimSuffix(filepath.Base(p), ".json"), len(affected), wantRanges, wantEvents, len(anySlice(m["aliases"])), false}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			for _, af := range a.Affected {
				if af.Package.Ecosystem != osv.EcosystemDHI || af.Package.PURL != "pkg:dhi/"+filepath.Base(filepath.Dir(p)) {
					t.Errorf("package %+v", af.Package)
				}
			}
		})
	}
}

// anySlice returns v as a slice, nil when it is not one.
func anySlice(v any) []any {
	s, _ := v.([]any)
	return s
}

func TestMatchRealAdvisories(t *testing.T) {
	t.Parallel()
	// Expectations read by hand from the advisories' ranges.
	tests := []struct {
		name     string
		path     string
		purl     string
		affected bool
		fixedIn  string
		all      bool
	}{
		{"redis below first range", "redis/CVE-2021-21309.json", "pkg:dhi/redis@3.2.12", false, "", false},
		{"redis in first range", "redis/CVE-2021-21309.json", "pkg:dhi/redis@5.0.10", true, "5.0.11", false},
		{"redis at first fix", "redis/CVE-2021-21309.json", "pkg:dhi/redis@5.0.11", false, "", false},
		{"redis between ranges", "redis/CVE-2021-21309.json", "pkg:dhi/redis@5.9.0", false, "", false},
		{"redis in second range", "redis/CVE-2021-21309.json", "pkg:dhi/redis@6.0.9", true, "6.0.11", false},
		{"redis 6.0.10 is not 6.0.1", "redis/CVE-2021-21309.json", "pkg:dhi/redis@6.0.10", true, "6.0.11", false},
		{"redis in third range", "redis/CVE-2021-21309.json", "pkg:dhi/redis@6.1.5", true, "6.2.0", false},
		{"redis fixed", "redis/CVE-2021-21309.json", "pkg:dhi/redis@7.2.4", false, "", false},
		{"node 5.11", "node/CVE-2016-1669.json", "pkg:dhi/node@5.11.1", true, "5.12.0", false},
		{"node 6.10", "node/CVE-2016-1669.json", "pkg:dhi/node@6.10.0", false, "", false},
		{"another package", "node/CVE-2016-1669.json", "pkg:dhi/python@5.11.1", false, "", false},
		{"no ranges: every version", "python/CVE-2011-1015.json", "pkg:dhi/python@3.13.1", true, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := load(t, filepath.Join("testdata", tc.path))
			m, err := a.Match(osv.Query{PURL: tc.purl})
			if err != nil {
				t.Fatal(err)
			}
			got := []any{m.Affected, m.FixedIn, m.AllVersions, m.Withdrawn}
			want := []any{tc.affected, tc.fixedIn, tc.all, false}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestOrderCompare(t *testing.T) {
	t.Parallel()
	// Each want is read by hand from the ecosystem's rules.
	tests := []struct {
		order osv.Order
		a, b  string
		want  int
	}{
		{osv.OrderDebian, "1:2.3-1", "2.4", 1},         // the epoch wins
		{osv.OrderDebian, "2.4", "1:2.3-1", -1},        // and the other way
		{osv.OrderDebian, "1.0~rc1", "1.0", -1},        // tilde sorts first
		{osv.OrderDebian, "1.0~rc1", "1.0~rc1+b1", -1}, // plus sorts after
		{osv.OrderDebian, "9.7-3+dhi3", "9.7-3", 1},    // the DHI revision suffix
		{osv.OrderDebian, "9.7-3+dhi10", "9.7-3+dhi9", 1},
		{osv.OrderDebian, "2.36-9+deb12u4", "2.36-9+deb12u10", -1},
		{osv.OrderAlpine, "1.2.3-r0", "1.2.3-r10", -1}, // not a string compare
		{osv.OrderAlpine, "1.2.3-r9", "1.2.3-r10", -1},
		{osv.OrderAlpine, "1.2.3_rc1-r0", "1.2.3-r0", -1},
		{osv.OrderAlpine, "9.11-r0", "9.9-r5", 1},
		{osv.OrderSemVer, "v1.18.1", "1.18.1", 0}, // Go's v prefix
		{osv.OrderSemVer, "v2.7.1+incompatible", "v2.8.0", -1},
		{osv.OrderSemVer, "1.10.0", "1.9.0", 1},
		{osv.OrderSemVer, "1.0.0-alpha", "1.0.0", -1}, // npm pre-release
		{osv.OrderSemVer, "1.0.0-alpha.1", "1.0.0-beta", -1},
		{osv.OrderSemVer, "1.0.0-rc.2", "1.0.0-rc.10", -1},
		{osv.OrderPyPI, "1.0rc1", "1.0", -1}, // PEP 440 pre-release
		{osv.OrderPyPI, "1.0.dev1", "1.0a1", -1},
		{osv.OrderPyPI, "1.0.post1", "1.0", 1},
		{osv.OrderPyPI, "1!0.5", "2.0", 1}, // epoch
		{osv.OrderPyPI, "2.0", "2.0.0", 0},
		{osv.OrderMaven, "1.0-alpha-1", "1.0", -1},
		{osv.OrderMaven, "1.0", "1.0.0", 0},
		{osv.OrderMaven, "1.0-SNAPSHOT", "1.0", -1},
		{osv.OrderMaven, "1.0-sp1", "1.0", 1},
		{osv.OrderMaven, "2.10", "2.9", 1},
	}
	for _, tc := range tests {
		t.Run(string(tc.order)+" "+tc.a+" "+tc.b, func(t *testing.T) {
			t.Parallel()
			got, err := tc.order.Compare(tc.a, tc.b)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Compare(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
			}
		})
	}
}

// advisory builds an advisory with one affected entry.
func advisory(t *testing.T, ecosystem, name, purl string, ranges []osv.Range, versions []string) *osv.Advisory {
	t.Helper()
	type ev = map[string]string
	af := map[string]any{"package": map[string]string{"ecosystem": ecosystem, "name": name, "purl": purl}}
	var rs []any
	for _, r := range ranges {
		var evs []ev
		for _, e := range r.Events {
			switch {
			case e.Introduced != "":
				evs = append(evs, ev{"introduced": e.Introduced})
			case e.Fixed != "":
				evs = append(evs, ev{"fixed": e.Fixed})
			case e.LastAffected != "":
				evs = append(evs, ev{"last_affected": e.LastAffected})
			case e.Limit != "":
				evs = append(evs, ev{"limit": e.Limit})
			}
		}
		rs = append(rs, map[string]any{"type": string(r.Type), "events": evs})
	}
	if rs != nil {
		af["ranges"] = rs
	}
	if versions != nil {
		af["versions"] = versions
	}
	b, err := json.Marshal(map[string]any{"id": "DHI-TEST-1", "aliases": []string{"CVE-2099-0001"},
		"modified": "2026-01-02T03:04:05Z", "affected": []any{af}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := osv.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// eco returns one ECOSYSTEM range.
func eco(events ...osv.Event) []osv.Range {
	return []osv.Range{{Type: osv.RangeEcosystem, Events: events}}
}

func TestMatchEcosystems(t *testing.T) {
	t.Parallel()
	intro := func(v string) osv.Event { return osv.Event{Introduced: v} }
	fixed := func(v string) osv.Event { return osv.Event{Fixed: v} }
	last := func(v string) osv.Event { return osv.Event{LastAffected: v} }
	tests := []struct {
		name      string
		ecosystem string
		pkg, purl string
		ranges    []osv.Range
		versions  []string
		q         osv.Query
		affected  bool
		fixedIn   string
		order     osv.Order
	}{
		{"debian epoch: 2.4 is before 1:2.3-1", "Debian:12", "foo", "", eco(intro("0"), fixed("1:2.3-1")), nil,
			osv.Query{Ecosystem: "Debian:12", Name: "foo", Version: "2.4"}, true, "1:2.3-1", osv.OrderDebian},
		{"debian tilde: rc before release", "Debian:12", "foo", "", eco(intro("0"), fixed("1.0")), nil,
			osv.Query{Ecosystem: "Debian:12", Name: "foo", Version: "1.0~rc1"}, true, "1.0", osv.OrderDebian},
		{"debian other release", "Debian:12", "foo", "", eco(intro("0"), fixed("1.0")), nil,
			osv.Query{Ecosystem: "Debian:13", Name: "foo", Version: "0.9"}, false, "", ""},
		{"alpine r9 before r10", "Alpine:v3.20", "busybox", "", eco(intro("0"), fixed("1.2.3-r10")), nil,
			osv.Query{Ecosystem: "Alpine:v3.20", Name: "busybox", Version: "1.2.3-r9"}, true, "1.2.3-r10", osv.OrderAlpine},
		{"alpine at fix", "Alpine:v3.20", "busybox", "", eco(intro("0"), fixed("1.2.3-r10")), nil,
			osv.Query{Ecosystem: "Alpine:v3.20", Name: "busybox", Version: "1.2.3-r10"}, false, "", osv.OrderAlpine},
		{"go v prefix", "Go", "golang.org/x/text", "pkg:golang/golang.org/x/text", eco(intro("0"), fixed("0.3.7")), nil,
			osv.Query{PURL: "pkg:golang/golang.org/x/text@v0.3.6"}, true, "0.3.7", osv.OrderSemVer},
		{"go v prefix fixed", "Go", "golang.org/x/text", "pkg:golang/golang.org/x/text", eco(intro("0"), fixed("0.3.7")), nil,
			osv.Query{PURL: "pkg:golang/golang.org/x/text@v0.3.7"}, false, "", osv.OrderSemVer},
		{"pypi pre-release before fix", "PyPI", "django", "", eco(intro("4.0"), fixed("4.2")), nil,
			osv.Query{Ecosystem: "PyPI", Name: "django", Version: "4.2rc1"}, true, "4.2", osv.OrderPyPI},
		{"pypi pre-release before introduced", "PyPI", "django", "", eco(intro("4.0"), fixed("4.2")), nil,
			osv.Query{Ecosystem: "PyPI", Name: "django", Version: "4.0b1"}, false, "", osv.OrderPyPI},
		{"npm last_affected", "npm", "lodash", "pkg:npm/lodash", eco(intro("0"), last("4.17.20")), nil,
			osv.Query{PURL: "pkg:npm/lodash@4.17.20"}, true, "", osv.OrderSemVer},
		{"npm after last_affected", "npm", "lodash", "pkg:npm/lodash", eco(intro("0"), last("4.17.20")), nil,
			osv.Query{PURL: "pkg:npm/lodash@4.17.21"}, false, "", osv.OrderSemVer},
		{"npm scoped", "npm", "@babel/core", "pkg:npm/%40babel/core", eco(intro("7.0.0"), fixed("7.23.2")), nil,
			osv.Query{PURL: "pkg:npm/%40babel/core@7.22.0"}, true, "7.23.2", osv.OrderSemVer},
		{"maven 1.9 before 1.10", "Maven", "org.example:lib", "", eco(intro("0"), fixed("1.10")), nil,
			osv.Query{Ecosystem: "Maven", Name: "org.example:lib", Version: "1.9"}, true, "1.10", osv.OrderMaven},
		{"maven snapshot before release", "Maven", "org.example:lib", "", eco(intro("1.10-SNAPSHOT"), fixed("1.10")), nil,
			osv.Query{Ecosystem: "Maven", Name: "org.example:lib", Version: "1.10-SNAPSHOT"}, true, "1.10", osv.OrderMaven},
		{"dhi debian planned form", "Docker Hardened Images:Debian:13", "coreutils", "pkg:deb/dhi/coreutils", eco(intro("0"), fixed("9.7-3+dhi3")), nil,
			osv.Query{PURL: "pkg:deb/dhi/coreutils@9.7-3+dhi2?os_distro=debian&os_name=dhi&os_version=13"}, true, "9.7-3+dhi3", osv.OrderDebian},
		{"dhi debian planned form, fixed", "Docker Hardened Images:Debian:13", "coreutils", "pkg:deb/dhi/coreutils", eco(intro("0"), fixed("9.7-3+dhi3")), nil,
			osv.Query{PURL: "pkg:deb/dhi/coreutils@9.7-3+dhi10?os_version=13"}, false, "", osv.OrderDebian},
		{"dhi debian planned form, other release", "Docker Hardened Images:Debian:13", "coreutils", "pkg:deb/dhi/coreutils", eco(intro("0"), fixed("9.7-3+dhi3")), nil,
			osv.Query{PURL: "pkg:deb/dhi/coreutils@9.7-3+dhi2?distro=dhi-12"}, false, "", ""},
		{"dhi alpine planned form", "Docker Hardened Images:Alpine:3.22", "busybox", "pkg:apk/dhi/busybox", eco(intro("0"), fixed("1.37.0-r20")), nil,
			osv.Query{PURL: "pkg:apk/dhi/busybox@1.37.0-r3"}, true, "1.37.0-r20", osv.OrderAlpine},
		{"plain DHI ecosystem range", "DHI", "python", "pkg:dhi/python", eco(intro("3.12.0"), fixed("3.12.10")), nil,
			osv.Query{PURL: "pkg:dhi/python@3.12.9"}, true, "3.12.10", osv.OrderSemVer},
		{"listed versions", "PyPI", "foo", "", nil, []string{"1.0", "1.1.0"},
			osv.Query{Ecosystem: "PyPI", Name: "foo", Version: "1.1"}, true, "", osv.OrderPyPI},
		{"listed versions miss", "PyPI", "foo", "", nil, []string{"1.0", "1.1.0"},
			osv.Query{Ecosystem: "PyPI", Name: "foo", Version: "1.2"}, false, "", osv.OrderPyPI},
		{"limit", "npm", "x", "", eco(intro("0"), osv.Event{Limit: "2.0.0"}), nil,
			osv.Query{Ecosystem: "npm", Name: "x", Version: "2.1.0"}, false, "", osv.OrderSemVer},
		{"unsorted events", "npm", "x", "", eco(fixed("2.0.0"), intro("1.0.0"), fixed("1.5.0"), intro("1.8.0")), nil,
			osv.Query{Ecosystem: "npm", Name: "x", Version: "1.9.0"}, true, "2.0.0", osv.OrderSemVer},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := advisory(t, tc.ecosystem, tc.pkg, tc.purl, tc.ranges, tc.versions)
			m, err := a.Match(tc.q)
			if err != nil {
				t.Fatal(err)
			}
			got := []any{m.Affected, m.FixedIn, m.Order}
			want := []any{tc.affected, tc.fixedIn, tc.order}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestMatchErrors(t *testing.T) {
	t.Parallel()
	fixedAt := eco(osv.Event{Introduced: "0"}, osv.Event{Fixed: "1.0"})
	t.Run("unknown ecosystem", func(t *testing.T) {
		t.Parallel()
		a := advisory(t, "Foo", "x", "", fixedAt, nil)
		_, err := a.Match(osv.Query{Ecosystem: "Foo", Name: "x", Version: "0.5"})
		var ee *osv.EcosystemError
		if !errors.As(err, &ee) || !errors.Is(err, osv.ErrUnknownEcosystem) || ee.Ecosystem != "Foo" {
			t.Errorf("err = %v, want an EcosystemError for Foo", err)
		}
	})
	t.Run("dhi without distribution", func(t *testing.T) {
		t.Parallel()
		if _, err := osv.OrderForEcosystem("Docker Hardened Images:Fedora:40"); !errors.Is(err, osv.ErrUnknownEcosystem) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("bad version", func(t *testing.T) {
		t.Parallel()
		a := advisory(t, "Debian:12", "x", "", fixedAt, nil)
		_, err := a.Match(osv.Query{Ecosystem: "Debian:12", Name: "x", Version: "a:1.0"})
		var ve *osv.VersionError
		if !errors.As(err, &ve) || ve.Order != osv.OrderDebian {
			t.Errorf("err = %v, want a VersionError", err)
		}
	})
	t.Run("no version", func(t *testing.T) {
		t.Parallel()
		a := advisory(t, "npm", "x", "", fixedAt, nil)
		if _, err := a.Match(osv.Query{PURL: "pkg:npm/x"}); !errors.Is(err, osv.ErrInvalidQuery) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestWithdrawn(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("testdata", "redis", "CVE-2021-21309.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m["withdrawn"] = "2025-07-01T00:00:00Z"
	b, err = json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	a, err := osv.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	got, err := a.Match(osv.Query{PURL: "pkg:dhi/redis@5.0.10"})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Withdrawn || got.Affected {
		t.Errorf("Withdrawn %v Affected %v, want true false", got.Withdrawn, got.Affected)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
	}{
		{"not json", "CVE-1"},
		{"array", "[]"},
		{"truncated", `{"id":"CVE-1","affected":[{`},
		{"no id", `{"modified":"2025-01-01T00:00:00Z"}`},
		{"bad date", `{"id":"X","modified":"yesterday"}`},
		{"bad range type", `{"id":"X","affected":[{"ranges":[{"type":"RPM","events":[]}]}]}`},
		{"two fields in one event", `{"id":"X","affected":[{"ranges":[{"type":"SEMVER","events":[{"introduced":"0","fixed":"1"}]}]}]}`},
		{"too large", `{"id":"X","details":"` + strings.Repeat("a", osv.MaxSize) + `"}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := osv.Parse([]byte(tc.in)); !errors.Is(err, osv.ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestFinding(t *testing.T) {
	t.Parallel()
	a := load(t, filepath.Join("testdata", "node", "CVE-2016-1669.json"))
	m, err := a.Match(osv.Query{PURL: "pkg:dhi/node@5.11.1"})
	if err != nil {
		t.Fatal(err)
	}
	got := m.Finding()
	want := vuln.Finding{
		ID: "CVE-2016-1669", Aliases: []string{"NSWG-COR-24"}, PURL: "pkg:dhi/node@5.11.1",
		Severity: vuln.SeverityHigh, FixedIn: "5.12.0", Source: "osv", Package: "node",
		InstalledVersion: "5.11.1", DataSource: "DHI",
	}
	if d := cmp.Diff(want, got, cmpopts.IgnoreFields(vuln.Finding{}, "Published", "Modified")); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if got.Published.IsZero() || got.Modified.IsZero() {
		t.Errorf("dates not set")
	}
}

func TestParseEcosystem(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want osv.Ecosystem
	}{
		{"DHI", osv.Ecosystem{Name: "DHI"}},
		{"Debian:12", osv.Ecosystem{Name: "Debian", Release: "12"}},
		{"Docker Hardened Images:Debian:13", osv.Ecosystem{Name: "Docker Hardened Images", Distribution: "Debian", Release: "13"}},
		{"Docker Hardened Images:Alpine:3.22", osv.Ecosystem{Name: "Docker Hardened Images", Distribution: "Alpine", Release: "3.22"}},
		{"Ubuntu:Pro:18.04:LTS", osv.Ecosystem{Name: "Ubuntu", Release: "Pro:18.04:LTS"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got := osv.ParseEcosystem(tc.in)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
			if got.String() != tc.in {
				t.Errorf("String() = %q", got.String())
			}
		})
	}
}

func TestMatchAllPlannedDHIForm(t *testing.T) {
	t.Parallel()
	live := []byte(`{"id":"DHI-CVE-2016-2781-coreutils","aliases":["CVE-2016-2781"],"modified":"2026-07-01T00:00:00Z",
	 "affected":[{"package":{"ecosystem":"Docker Hardened Images:Debian:13","name":"coreutils","purl":"pkg:deb/dhi/coreutils"},
	 "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"9.7-3+dhi3"}]}],
	 "database_specific":{"severity":"low"}}]}`)
	gone := []byte(`{"id":"DHI-CVE-2016-0001-coreutils","aliases":["CVE-2016-0001"],"modified":"2026-07-01T00:00:00Z","withdrawn":"2026-08-01T00:00:00Z",
	 "affected":[{"package":{"ecosystem":"Docker Hardened Images:Debian:13","name":"coreutils","purl":"pkg:deb/dhi/coreutils"}}]}`)
	other := []byte(`{"id":"DHI-CVE-2016-0002-bash","modified":"2026-07-01T00:00:00Z","withdrawn":"2026-08-01T00:00:00Z",
	 "affected":[{"package":{"ecosystem":"Docker Hardened Images:Debian:13","name":"bash","purl":"pkg:deb/dhi/bash"}}]}`)
	var advs []*osv.Advisory
	for _, b := range [][]byte{live, gone, other} {
		a, err := osv.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		advs = append(advs, a)
	}
	const purl = "pkg:deb/dhi/coreutils@9.7-3+dhi1?os_distro=debian&os_name=dhi&os_version=13"
	ms, err := osv.MatchAll(advs, osv.Query{PURL: purl})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		ID                  string
		Affected, Withdrawn bool
	}
	var got []row
	for _, m := range ms {
		got = append(got, row{m.ID, m.Affected, m.Withdrawn})
	}
	want := []row{{"DHI-CVE-2016-2781-coreutils", true, false}, {"DHI-CVE-2016-0001-coreutils", false, true}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	f := ms[0].Finding()
	wantF := vuln.Finding{ID: "DHI-CVE-2016-2781-coreutils", Aliases: []string{"CVE-2016-2781"}, PURL: purl, Package: "coreutils",
		InstalledVersion: "9.7-3+dhi1", FixedIn: "9.7-3+dhi3", Severity: vuln.SeverityLow,
		DataSource: "Docker Hardened Images:Debian:13", Source: "osv"}
	if d := cmp.Diff(wantF, f, cmpopts.IgnoreFields(vuln.Finding{}, "Modified")); d != "" {
		t.Errorf("finding (-want +got):\n%s", d)
	}
}
