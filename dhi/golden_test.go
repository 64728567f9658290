package dhi_test

import (
	"encoding/json"
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/internal/goldentest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// stableHex returns the hex values written in the documents, which stay
// the same from run to run; the digests of what the test registry holds
// and the key made for the run do not.
func stableHex(t *testing.T, docSets ...[]dhitest.Doc) map[string]bool {
	t.Helper()
	var all [][]byte
	for _, docs := range docSets {
		for _, d := range docs {
			all = append(all, d.Predicate)
		}
	}
	return goldentest.StableHex(all...)
}

// indentJSON marshals v as indented JSON ending in a newline.
func indentJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// TestReportGolden pins the JSON shape and content of the sample image's
// report. The registry's address becomes registry.test, and the digests of
// manifests, layers and signatures made for the run (and the run's key)
// become numbered stand-ins.
func TestReportGolden(t *testing.T) {
	t.Parallel()
	pushed, key := sharedSample(t)
	img := open(t, pushed.Ref, dhi.WithKeys(key), dhi.WithClock(func() time.Time { return time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC) }))
	docs, err := dhitest.SampleDocs()
	if err != nil {
		t.Fatal(err)
	}
	host, _, _ := strings.Cut(pushed.Ref, "/")
	m := goldentest.Masker{Replace: []string{host, "registry.test"}, Stable: stableHex(t, docs)}
	goldentest.Check(t, "testdata/report.golden", m.Mask(indentJSON(t, img.Report())), *update)
}
