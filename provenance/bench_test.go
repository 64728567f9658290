package provenance

import (
	"encoding/json"
	"testing"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

// The benchmarks read the largest provenance fixture, BuildKit SLSA v1
// mode=max in a statement (20 KB), with Parse and, as the baseline, with a
// plain encoding/json decode into map[string]any.

func BenchmarkParse(b *testing.B) {
	in := fixture.Bytes(b, fxBuildKitV1)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeMapBaseline(b *testing.B) {
	in := fixture.Bytes(b, fxBuildKitV1)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		var m map[string]any
		if err := json.Unmarshal(in, &m); err != nil {
			b.Fatal(err)
		}
	}
}
