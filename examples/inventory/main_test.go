package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/internal/cli"
)

// fleet is a registry holding three signed images shaped like the sample,
// in one repository, each with its own label so that digests differ. The
// first has two platforms and all the sample's documents; the others have
// one platform each and lack the SPDX SBOM and the VEX document, so that
// more of their vulnerabilities are exploitable (and there are fewer bytes
// to push and parse). The first is in a repository of its own; the
// others are the tags 2 and 3 of repo.
type fleet struct {
	host    string
	repo    string
	refs    []string
	keyFile string
	// want are the rows of each reference, from dhi.Open.
	want map[string][]row
}

func newFleet(t *testing.T) *fleet {
	t.Helper()
	reg, err := dhitest.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Close() })
	docs, err := dhitest.SampleDocs()
	if err != nil {
		t.Fatal(err)
	}
	priv, pub, err := dhitest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	key, err := attest.ParseKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	f := &fleet{host: reg.Host, repo: reg.Host + "/fleet/app", want: map[string][]row{}}
	f.keyFile = filepath.Join(t.TempDir(), "key.pub")
	if err := os.WriteFile(f.keyFile, pub, 0o600); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		labels := dhitest.SampleLabels()
		labels["org.example.fleet.index"] = fmt.Sprint(i)
		spec := dhitest.Spec{Docs: docs, Signer: priv, Labels: labels}
		if i > 0 {
			spec.Platforms = []v1.Platform{{OS: "linux", Architecture: []string{"", "arm64", "amd64"}[i]}}
			spec.Docs = slices.DeleteFunc(slices.Clone(docs), func(d dhitest.Doc) bool {
				return d.PredicateType == "https://spdx.dev/Document" || d.PredicateType == "https://openvex.dev/ns/v0.2.0"
			})
		}
		ref := fmt.Sprintf("%s:%d", f.repo, i+1)
		if i == 0 {
			ref = f.host + "/fleet/full:1"
		}
		img, err := dhitest.Push(context.Background(), ref, "", spec)
		if err != nil {
			t.Fatal(err)
		}
		f.refs = append(f.refs, img.Ref)
		f.want[img.Ref] = expectedRows(t, img.Ref, key)
	}
	return f
}

// expectedRows opens ref alone with dhi.Open and returns the rows the
// inventory should write for it.
func expectedRows(t *testing.T, ref string, key *attest.Key) []row {
	t.Helper()
	img, err := dhi.Open(context.Background(), ref, dhi.WithKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	var rows []row
	for _, p := range img.Platforms {
		pkgs, err := p.Packages()
		if err != nil {
			t.Fatal(err)
		}
		vulns, err := p.Exploitable()
		if err != nil {
			t.Fatal(err)
		}
		lc := p.Lifecycle()
		np, nv := len(pkgs), len(vulns)
		rows = append(rows, row{Reference: ref, Platform: p.Descriptor.Platform.OS + "/" + p.Descriptor.Platform.Architecture,
			Digest: p.Descriptor.Digest.String(), Name: lc.Name, Version: lc.Version, EndOfLife: lc.EndOfLife.Format("2006-01-02"),
			Packages: &np, Exploitable: &nv, Verification: "verified"})
	}
	if len(rows) == 0 {
		t.Fatalf("%s has no platform", ref)
	}
	return rows
}

// rowsFor returns the rows wanted for refs, in order.
func (f *fleet) rowsFor(refs ...string) []row {
	var out []row
	for _, r := range refs {
		out = append(out, f.want[r]...)
	}
	return out
}

// runInventory runs the program with stdin and returns its output and
// error; stderr must stay empty, as it is not a terminal.
func runInventory(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := inventory(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	if errOut.Len() > 0 {
		t.Errorf("inventory(%v) wrote to stderr, which is not a terminal:\n%q", args, errOut.String())
	}
	return out.String(), err
}

// parseCSV decodes the CSV output into rows, checking the header.
func parseCSV(t *testing.T, out string) []row {
	t.Helper()
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, out)
	}
	if len(records) == 0 || !slices.Equal(records[0], columns) {
		t.Fatalf("CSV header = %v, want %v", records, columns)
	}
	count := func(s string) *int {
		if s == "" {
			return nil
		}
		var n int
		if _, err := fmt.Sscan(s, &n); err != nil {
			t.Fatalf("count %q: %v", s, err)
		}
		return &n
	}
	var rows []row
	for _, r := range records[1:] {
		rows = append(rows, row{Reference: r[0], Platform: r[1], Digest: r[2], Name: r[3], Version: r[4], EndOfLife: r[5],
			Packages: count(r[6]), Exploitable: count(r[7]), Verification: r[8], Error: r[9]})
	}
	return rows
}

// checkMissing checks the row of a reference that cannot be opened, and
// blanks its error for comparison.
func checkMissing(t *testing.T, rows []row, i int, ref string) {
	t.Helper()
	if i >= len(rows) {
		t.Fatalf("no row %d for %s", i, ref)
	}
	r := rows[i]
	if r.Reference != ref || r.Verification != "not opened" || !strings.Contains(r.Error, "not found") || r.Platform != "" || r.Packages != nil {
		t.Errorf("row of the missing image = %+v", r)
	}
	rows[i].Error = ""
}

func TestInventory(t *testing.T) {
	t.Parallel()
	f := newFleet(t)
	missing := f.host + "/fleet/missing:1"

	t.Run("csv in input order, with the missing image", func(t *testing.T) {
		refs := []string{f.refs[2], missing, f.refs[0], f.refs[1]}
		out, err := runInventory(t, "", append([]string{"-key", f.keyFile, "-concurrency", "3"}, refs...)...)
		if code := cli.ExitCode(err); code != cli.ExitFail || !strings.Contains(err.Error(), "1 of 4 images have errors") {
			t.Errorf("error = %v (exit %d), want exit 1 naming 1 of 4 images", err, code)
		}
		got := parseCSV(t, out)
		checkMissing(t, got, len(f.want[f.refs[2]]), missing)
		want := f.rowsFor(f.refs[2])
		want = append(want, row{Reference: missing, Verification: "not opened"})
		want = append(want, f.rowsFor(f.refs[0], f.refs[1])...)
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("rows (-want +got):\n%s", d)
		}
	})

	t.Run("jsonl", func(t *testing.T) {
		out, err := runInventory(t, "", "-format", "jsonl", "-key", f.keyFile, f.refs[2], f.refs[1])
		if err != nil {
			t.Fatal(err)
		}
		var got []row
		for line := range strings.Lines(out) {
			var fields map[string]any
			if err := json.Unmarshal([]byte(line), &fields); err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			if names := slices.Sorted(maps.Keys(fields)); !slices.Equal(names, slices.Sorted(slices.Values(columns))) {
				t.Errorf("fields %v, want %v", names, columns)
			}
			var r row
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatal(err)
			}
			got = append(got, r)
		}
		if d := cmp.Diff(f.rowsFor(f.refs[2], f.refs[1]), got); d != "" {
			t.Errorf("rows (-want +got):\n%s", d)
		}
	})

	t.Run("with a cache, the same rows twice", func(t *testing.T) {
		dir := t.TempDir()
		args := []string{"-cache", dir, "-key", f.keyFile, f.refs[0], f.refs[1]}
		want := f.rowsFor(f.refs[0], f.refs[1])
		for run := range 2 {
			out, err := runInventory(t, "", args...)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, parseCSV(t, out)); d != "" {
				t.Errorf("run %d: rows (-want +got):\n%s", run, d)
			}
		}
		// The cache is an OCI layout with the images' content in it.
		blobs, err := os.ReadDir(filepath.Join(dir, "blobs", "sha256"))
		if err != nil || len(blobs) == 0 {
			t.Errorf("cache holds %d blobs (%v); want the images' content", len(blobs), err)
		}
		if _, err := attest.Layout(dir); err != nil {
			t.Errorf("the cache is not an OCI layout: %v", err)
		}
	})

	t.Run("every tag of a repository", func(t *testing.T) {
		out, err := runInventory(t, "", "-repo", f.repo, "-key", f.keyFile, "-plain-http")
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(f.rowsFor(f.refs[1], f.refs[2]), parseCSV(t, out)); d != "" {
			t.Errorf("rows (-want +got):\n%s", d)
		}
	})

	t.Run("a file of references after the arguments", func(t *testing.T) {
		list := fmt.Sprintf("# nightly\n\n  %s  \n# %s\n%s\n", f.refs[1], f.refs[0], missing)
		file := filepath.Join(t.TempDir(), "images.txt")
		if err := os.WriteFile(file, []byte(list), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := runInventory(t, "", "-key", f.keyFile, "-f", file, f.refs[2])
		if cli.ExitCode(err) != cli.ExitFail {
			t.Errorf("error = %v, want exit 1", err)
		}
		got := parseCSV(t, out)
		checkMissing(t, got, len(f.rowsFor(f.refs[2], f.refs[1])), missing)
		want := append(f.rowsFor(f.refs[2], f.refs[1]), row{Reference: missing, Verification: "not opened"})
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("rows (-want +got):\n%s", d)
		}
	})

	t.Run("references on stdin", func(t *testing.T) {
		out, err := runInventory(t, "# one image\n"+missing+"\n", "-f", "-")
		if cli.ExitCode(err) != cli.ExitFail {
			t.Errorf("error = %v, want exit 1", err)
		}
		got := parseCSV(t, out)
		checkMissing(t, got, 0, missing)
		if len(got) != 1 {
			t.Errorf("rows = %+v, want the missing image's", got)
		}
	})

	t.Run("images signed with another key", func(t *testing.T) {
		// Without -key, Docker's keys are trusted and the sample's key is
		// not: no attestation verifies, so nothing can be counted.
		out, err := runInventory(t, "", f.refs[0])
		if cli.ExitCode(err) != cli.ExitFail {
			t.Errorf("error = %v, want exit 1", err)
		}
		for _, r := range parseCSV(t, out) {
			if r.Verification != "unverified" || r.Packages != nil || !strings.Contains(r.Error, "packages: ") || r.Name != "dhi/python" {
				t.Errorf("row = %+v", r)
			}
		}
	})
}

// With no reference, the program inventories the built-in sample, and
// writes nothing to a stderr that is a file rather than a terminal.
func TestInventorySample(t *testing.T) {
	t.Parallel()
	stderr, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer stderr.Close()
	var out bytes.Buffer
	if err := run(context.Background(), nil, &out, stderr); err != nil {
		t.Fatalf("run() = %v", err)
	}
	rows := parseCSV(t, out.String())
	if len(rows) != 2 || rows[0].Platform != "linux/amd64" || rows[1].Platform != "linux/arm64" {
		t.Fatalf("rows = %+v", rows)
	}
	for _, r := range rows {
		if r.Name != "dhi/python" || r.Version != "3.13.9-debian12" || r.EndOfLife != "2029-10-31" ||
			*r.Packages != 705 || *r.Exploitable != 2 || r.Verification != "verified" || r.Error != "" {
			t.Errorf("row = %+v", r)
		}
	}
	if b, err := os.ReadFile(stderr.Name()); err != nil || len(b) > 0 {
		t.Errorf("stderr, a regular file, holds %q (%v); want nothing", b, err)
	}
}

func TestInventoryUsage(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"unknown format", []string{"-format", "xml", "a"}, `-format "xml"`},
		{"no concurrency", []string{"-concurrency", "0", "a"}, "-concurrency 0"},
		{"repo and layout", []string{"-repo", "r", "-layout", "d"}, "-repo"},
		{"missing list", []string{"-f", "no-such-file"}, "-f"},
		{"layout without tag", []string{"-layout", t.TempDir()}, "give the tag"},
		{"bad repository", []string{"-repo", "Not A Repository"}, "-repo"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), tc.args, &out, &errOut)
			if cli.ExitCode(err) != cli.ExitError || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("run(%v) = %v (exit %d), want exit 2 with %q", tc.args, err, cli.ExitCode(err), tc.wantErr)
			}
		})
	}
	var errOut bytes.Buffer
	err := run(context.Background(), []string{"-h"}, &bytes.Buffer{}, &errOut)
	if cli.ExitCode(err) != cli.ExitPass || !strings.Contains(errOut.String(), cli.ExitCodes) || !strings.Contains(errOut.String(), "-concurrency") {
		t.Errorf("run(-h) = %v, usage:\n%s", err, errOut.String())
	}
}

// An empty list is an empty inventory: the header only.
func TestInventoryEmptyList(t *testing.T) {
	out, err := runInventory(t, "# nothing yet\n", "-f", "-")
	if err != nil || out != strings.Join(columns, ",")+"\n" {
		t.Errorf("inventory of an empty list = %q, %v", out, err)
	}
}

// On a terminal, the progress line is rewritten in place and replaced by
// the summary.
func TestProgress(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, true, 3)
	p.update(false)
	p.update(true)
	p.finish("inventoried 3 images")
	want := "\r1/3 opened, 0 failed\r" + "\r2/3 opened, 1 failed\r" + "\r" + strings.Repeat(" ", 20) + "\r" + "inventoried 3 images\n"
	if b.String() != want {
		t.Errorf("progress wrote %q, want %q", b.String(), want)
	}
	b.Reset()
	p = newProgress(&b, false, 3)
	p.update(true)
	p.finish("done")
	if b.Len() > 0 {
		t.Errorf("progress off wrote %q", b.String())
	}
}

func TestIsDigestTag(t *testing.T) {
	hex := strings.Repeat("ab", 32)
	for tag, want := range map[string]bool{
		"3.13": false, "latest": false, "sha256-": false, "sha256-" + hex: true, "sha256-" + hex + ".sig": true,
		"sha256-" + hex + ".att": true, "sha256-" + hex + "x": false, "sha256-" + hex[:10]: false,
		"sha512-" + hex + hex: true, "sha256-" + strings.ToUpper(hex): false,
	} {
		if got := isDigestTag(tag); got != want {
			t.Errorf("isDigestTag(%q) = %v, want %v", tag, got, want)
		}
	}
}
