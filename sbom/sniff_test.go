package sbom

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSniff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want topLevel
		ok   bool
	}{
		{`{}`, topLevel{}, true},
		{` {"spdxVersion":"SPDX-2.3"} `, topLevel{spdxVersion: "SPDX-2.3", keys: 1}, true},
		{`{"a":{"spdxVersion":"no"},"b":["}",{"x":"\"]"}],"bomFormat":"CycloneDX","specVersion":"1.6"}`, topLevel{bomFormat: "CycloneDX", specVersion: "1.6", keys: 4}, true},
		{`{"spec\u0056ersion":"1.5","bomFormat":"Cyclone\u0044X"}`, topLevel{specVersion: "1.5", bomFormat: "CycloneDX", keys: 2}, true},
		{`{"_type":"x","predicate":{}}`, topLevel{hasType: true, keys: 2}, true},
		{`{"Data":{},"Timestamp":"t"}`, topLevel{hasData: true, keys: 2}, true},
		{`{"specVersion":1.6,"n":null,"t":true}`, topLevel{keys: 3}, true},
		// The scan stops at the first spdxVersion; the decoder sees the second.
		{`{"a":1,"a":2,"spdxVersion":"x","spdxVersion":"y"} garbage`, topLevel{spdxVersion: "x", keys: 3}, true},
		{`{"bomFormat":"CycloneDX","x":[1],"specVersion":"1.5","y":}`, topLevel{bomFormat: "CycloneDX", specVersion: "1.5", keys: 3}, true},
		{``, topLevel{}, false},
		{`[]`, topLevel{}, false},
		{`{"a"}`, topLevel{}, false},
		{`{"a":}`, topLevel{}, false},
		{`{"a":1`, topLevel{}, false},
		{`{"a":"\`, topLevel{}, false},
		{`{"a":[1,2}`, topLevel{}, false},
		{`{"a":1} x`, topLevel{}, false},
		{`{"a":1,}`, topLevel{}, false},
		{`{"a":{"b":"c}`, topLevel{}, false},
	}
	for _, tc := range tests {
		got, ok := sniff([]byte(tc.in))
		if ok != tc.ok {
			t.Errorf("sniff(%q) ok = %v, want %v", tc.in, ok, tc.ok)
			continue
		}
		if ok {
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(topLevel{})); diff != "" {
				t.Errorf("sniff(%q) (-want +got):\n%s", tc.in, diff)
			}
		}
	}
}
