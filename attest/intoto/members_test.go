package intoto

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

var scanKeys = []string{"_type", "subject", "predicateType", "predicate", "payload", "a", "é"}

func TestMembers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want map[string]string
		ok   bool
	}{
		{`{}`, map[string]string{}, true},
		{` {"a" : [1, {"b": "}"}] , "x": 2} `, map[string]string{"a": `[1, {"b": "}"}]`}, true},
		{`{"a":1,"a":"last"}`, map[string]string{"a": `"last"`}, true},
		{`{"\u0061":true}`, map[string]string{"a": `true`}, true},
		{`{"\u00e9":"accent"}`, map[string]string{"é": `"accent"`}, true},
		{`{"a":"esc\"aped"}`, map[string]string{"a": `"esc\"aped"`}, true},
		{`{"a":1`, nil, false},
		{`{"a":1}x`, nil, false},
		{`{"a" 1}`, nil, false},
		{`{"a":[1,]}`, nil, false},
		{`{"a":"open}`, nil, false},
		{`[1]`, nil, false},
		{`{"a":{"b":1 "c":2}}`, nil, false},
		{"{\"a\":\"tab\tin string\"}", nil, false},
	}
	for _, tc := range tests {
		got, err := Members([]byte(tc.in), scanKeys...)
		if (err == nil) != tc.ok {
			t.Errorf("Members(%s) error = %v, want ok %v", tc.in, err, tc.ok)
			continue
		}
		if !tc.ok {
			continue
		}
		if len(got) != len(tc.want) {
			t.Errorf("Members(%s) = %q, want %q", tc.in, got, tc.want)
		}
		for k, v := range tc.want {
			if string(got[k]) != v {
				t.Errorf("Members(%s)[%s] = %s, want %s", tc.in, k, got[k], v)
			}
		}
	}
}

// FuzzMembers checks Members against encoding/json on every valid object.
func FuzzMembers(f *testing.F) {
	f.Add(fixture.Bytes(f, "slsa-provenance/buildkit_slsa1_mode-max.intoto-statement.json"))
	f.Add([]byte(`{"a":{"b":[1,2,{"c":"d\"}"}]},"predicate":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := Members(b, scanKeys...)
		var want map[string]json.RawMessage
		if json.Unmarshal(b, &want) != nil {
			return // not a valid object: Members may accept it, the decoders of its values check them
		}
		if err != nil {
			t.Fatalf("Members() error = %v on a valid object", err)
		}
		for _, k := range scanKeys {
			w, ok := want[k]
			if g, gok := got[k]; ok != gok || !bytes.Equal(g, w) {
				t.Errorf("Members()[%q] = %q (%v), encoding/json gives %q (%v)", k, g, gok, w, ok)
			}
		}
	})
}
