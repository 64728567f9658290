package scanreport_test

import (
	"encoding/json"
	"testing"

	"github.com/dhisdk/dhisdk/dhi/scanreport"
)

// bigTrivy returns a Trivy report with n findings, made by repeating the
// findings of trivy_alpine-310.json.
func bigTrivy(b *testing.B, n int) []byte {
	b.Helper()
	m := decodeMap(b, read(b, "trivy_alpine-310.json"))
	res := list(m, "Results")[0].(map[string]any)
	vs := list(res, "Vulnerabilities")
	out := make([]any, 0, n)
	for len(out) < n {
		out = append(out, vs[len(out)%len(vs)])
	}
	res["Vulnerabilities"] = out
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

// BenchmarkParseTrivy10k parses a Trivy report of 10,000 findings; divide
// ns/op by 10,000 for the cost per finding.
func BenchmarkParseTrivy10k(b *testing.B) {
	raw := bigTrivy(b, 10000)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := scanreport.Parse(raw); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeTrivy10k writes a Trivy report of 10,000 findings back
// with every other finding suppressed.
func BenchmarkEncodeTrivy10k(b *testing.B) {
	raw := bigTrivy(b, 10000)
	r, err := scanreport.Parse(raw)
	if err != nil {
		b.Fatal(err)
	}
	ds := decideEveryOther(len(r.Findings))
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Encode(ds); err != nil {
			b.Fatal(err)
		}
	}
}
