package vex

import (
	"fmt"
	"testing"
	"time"

	govex "github.com/openvex/go-vex/pkg/vex"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

// benchParseBeside runs Parse and go-vex's own decode of data as two
// sub-benchmarks of b, so that benchstat sets them side by side.
func benchParseBeside(b *testing.B, data []byte) {
	b.Run("vex.Parse", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Parse(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("go-vex.Parse", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := govex.Parse(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkParsePython compares Parse with go-vex's own decode of the largest
// real DHI document (1.87 MB, 1004 statements).
func BenchmarkParsePython(b *testing.B) {
	data := fixture.Bytes(b, pythonDoc)
	benchParseBeside(b, data)
}

// BenchmarkParsePythonInterleaved runs Parse and go-vex's decode one after
// the other in each iteration, so that both see the same machine load, and
// reports the time of each and their ratio.
func BenchmarkParsePythonInterleaved(b *testing.B) {
	data := fixture.Bytes(b, pythonDoc)
	var ours, theirs time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := govex.Parse(data); err != nil {
			b.Fatal(err)
		}
		ours += t1.Sub(t0)
		theirs += time.Since(t1)
	}
	b.ReportMetric(float64(ours.Nanoseconds())/float64(b.N), "vex-ns/op")
	b.ReportMetric(float64(theirs.Nanoseconds())/float64(b.N), "go-vex-ns/op")
	b.ReportMetric(float64(ours)/float64(theirs), "ratio")
}

// BenchmarkNewIndex builds the merged index of every test document (14
// documents, 2198 statements), parsed beforehand.
func BenchmarkNewIndex(b *testing.B) {
	docs := allDocuments(b)
	b.ReportAllocs()
	for b.Loop() {
		if ix := NewIndex(docs...); ix.Len() == 0 {
			b.Fatal("empty index")
		}
	}
}

// lookupFindings returns n findings made from the statements of the curl
// document, half of them for vulnerabilities no statement names.
func lookupFindings(b *testing.B, n int) []Query {
	base := findingsFrom(b, []*Document{parseFixture(b, curlDoc)}, n)
	out := make([]Query, 0, n)
	for i := 0; len(out) < n; i++ {
		f := base[i%len(base)]
		if i%2 == 1 {
			f.Vulnerability = fmt.Sprintf("CVE-2099-%05d", i)
		}
		out = append(out, f)
	}
	return out
}

// BenchmarkLookup answers 10,000 lookups against indexes of growing size
// and reports the time per lookup. The findings are the same for every
// index: curl-20 holds the curl document alone; curl+10-unrelated-10060 adds
// ten copies of the python document about other vulnerabilities (10,040
// statements that meet none of the findings); all-2198 merges every test
// document, several of which hold the same statements as the curl document,
// so each finding meets more statements there.
func BenchmarkLookup(b *testing.B) {
	findings := lookupFindings(b, 10000)
	curl := parseFixture(b, curlDoc)
	python := parseFixture(b, pythonDoc)
	unrelated := []*Document{curl}
	for k := range 10 {
		unrelated = append(unrelated, renamed(python, fmt.Sprintf("X%d-", k)))
	}
	indexes := []struct {
		name string
		ix   *Index
	}{
		{"curl-20", NewIndex(curl)},
		{"curl+10-unrelated-10060", NewIndex(unrelated...)},
		{"all-2198", NewIndex(allDocuments(b)...)},
	}
	for _, tc := range indexes {
		b.Run("Apply/"+tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := tc.ix.Apply(findings); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(findings)), "ns/lookup")
		})
		b.Run("Decide/"+tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, f := range findings {
					if _, err := tc.ix.Decide(f); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(findings)), "ns/lookup")
		})
	}
}

// renamed returns a copy of d whose vulnerability names carry prefix, so
// that none of its statements meets a finding on the original names.
func renamed(d *Document, prefix string) *Document {
	c := *d
	c.Statements = make([]Statement, len(d.Statements))
	for i, s := range d.Statements {
		s.Vulnerability.Name = prefix + s.Vulnerability.Name
		s.Vulnerability.Aliases = nil
		c.Statements[i] = s
	}
	return &c
}
