package vex

import (
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	govex "github.com/openvex/go-vex/pkg/vex"
	packageurl "github.com/package-url/packageurl-go"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

// aggregateMinSize is the size the aggregate document must reach: Docker's
// aggregate feed document is about 15 MB.
const aggregateMinSize = 15 << 20

var aggregate struct {
	once sync.Once
	b    []byte
	err  error
}

// aggregateDocument returns one OpenVEX document of at least
// aggregateMinSize bytes made of the statements of every real DHI feed
// document, repeated with distinct products: copy k renames every product
// and subcomponent purl's name with the suffix "-k<k>", so that no two copies
// name the same package or image.
func aggregateDocument(tb testing.TB) []byte {
	tb.Helper()
	aggregate.once.Do(func() { aggregate.b, aggregate.err = buildAggregate() })
	if aggregate.err != nil {
		tb.Fatal(aggregate.err)
	}
	return aggregate.b
}

func buildAggregate() ([]byte, error) {
	names, err := fixture.Glob("dhi/advisories/vex/*.json")
	if err != nil {
		return nil, err
	}
	type doc struct {
		Context    string            `json:"@context"`
		ID         string            `json:"@id"`
		Author     string            `json:"author"`
		Role       string            `json:"role,omitempty"`
		Timestamp  string            `json:"timestamp"`
		Version    int               `json:"version"`
		Statements []json.RawMessage `json:"statements"`
	}
	var base []map[string]any
	var head doc
	for _, n := range names {
		b, err := fixture.Read(n)
		if err != nil {
			return nil, err
		}
		var d doc
		if err := json.Unmarshal(b, &d); err != nil {
			return nil, fmt.Errorf("%s: %v", n, err)
		}
		head = d
		for _, s := range d.Statements {
			var m map[string]any
			if err := json.Unmarshal(s, &m); err != nil {
				return nil, err
			}
			base = append(base, m)
		}
	}
	head.Statements = nil
	size := 0
	for k := 0; size < aggregateMinSize; k++ {
		for _, s := range base {
			b, err := json.Marshal(renameProducts(s, k))
			if err != nil {
				return nil, err
			}
			head.Statements = append(head.Statements, b)
			size += len(b) + 1
		}
	}
	return json.MarshalIndent(head, "", "  ")
}

// renameProducts returns a copy of statement s whose product and
// subcomponent purls have "-k<k>" appended to their names.
func renameProducts(s map[string]any, k int) map[string]any {
	out := make(map[string]any, len(s))
	for key, v := range s {
		out[key] = v
	}
	var rename func(c map[string]any) map[string]any
	rename = func(c map[string]any) map[string]any {
		n := make(map[string]any, len(c))
		for key, v := range c {
			n[key] = v
		}
		if id, ok := c["@id"].(string); ok {
			if p, err := packageurl.FromString(id); err == nil {
				p.Name = fmt.Sprintf("%s-k%d", p.Name, k)
				n["@id"] = p.ToString()
			}
		}
		if subs, ok := c["subcomponents"].([]any); ok {
			ns := make([]any, len(subs))
			for i, sc := range subs {
				ns[i] = rename(sc.(map[string]any))
			}
			n["subcomponents"] = ns
		}
		return n
	}
	if ps, ok := s["products"].([]any); ok {
		np := make([]any, len(ps))
		for i, p := range ps {
			np[i] = rename(p.(map[string]any))
		}
		out["products"] = np
	}
	return out
}

// BenchmarkAggregate parses and indexes an aggregate feed document of at
// least 15 MB, beside go-vex's own decode of the same bytes in the same run.
// The interleaved sub-benchmark runs both in each iteration, each after a
// garbage collection, so that both see the same machine load and each pays
// for its own garbage, and reports the ratio of their wall times and of
// their process CPU times.
func BenchmarkAggregate(b *testing.B) {
	data := aggregateDocument(b)
	b.Run("vex.Parse+NewIndex", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			d, err := Parse(data)
			if err != nil {
				b.Fatal(err)
			}
			if NewIndex(d).Len() == 0 {
				b.Fatal("empty index")
			}
		}
	})
	benchParseBeside(b, data)
	b.Run("interleaved", func(b *testing.B) {
		var ours, theirs, oursCPU, theirsCPU, indexCPU time.Duration
		for b.Loop() {
			runtime.GC()
			t0, c0 := time.Now(), cpuTime()
			d, err := Parse(data)
			if err != nil {
				b.Fatal(err)
			}
			cp := cpuTime()
			NewIndex(d)
			t1, c1 := time.Now(), cpuTime()
			indexCPU += c1 - cp
			runtime.GC()
			t2, c2 := time.Now(), cpuTime()
			if _, err := govex.Parse(data); err != nil {
				b.Fatal(err)
			}
			t3, c3 := time.Now(), cpuTime()
			ours += t1.Sub(t0)
			theirs += t3.Sub(t2)
			oursCPU += c1 - c0
			theirsCPU += c3 - c2
		}
		b.ReportMetric(float64(ours.Nanoseconds())/float64(b.N), "vex-ns/op")
		b.ReportMetric(float64(theirs.Nanoseconds())/float64(b.N), "go-vex-ns/op")
		b.ReportMetric(float64(ours)/float64(theirs), "ratio")
		if oursCPU > 0 && theirsCPU > 0 {
			// CPU time of the process (all threads, the garbage collector's
			// included): other processes on a loaded machine do not count.
			b.ReportMetric(float64(oursCPU)/float64(theirsCPU), "cpu-ratio")
			b.ReportMetric(float64(indexCPU)/float64(theirsCPU), "index-cpu-ratio")
		}
	})
}

func TestAggregateSize(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds a 15 MB document")
	}
	data := aggregateDocument(t)
	if len(data) < aggregateMinSize {
		t.Fatalf("aggregate document is %d bytes, want at least %d", len(data), aggregateMinSize)
	}
}

// BenchmarkAggregateIndex indexes the parsed aggregate document: the part
// of BenchmarkAggregate that go-vex does not do.
func BenchmarkAggregateIndex(b *testing.B) {
	d, err := Parse(aggregateDocument(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if NewIndex(d).Len() == 0 {
			b.Fatal("empty index")
		}
	}
}
