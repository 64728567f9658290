package intoto

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

// dssePayload returns the decoded payload of a DSSE envelope fixture.
func dssePayload(t *testing.T, name string) []byte {
	t.Helper()
	var env struct {
		Payload string `json:"payload"`
	}
	if err := json.Unmarshal(fixture.Bytes(t, name), &env); err != nil {
		t.Fatal(err)
	}
	b, err := base64.StdEncoding.DecodeString(env.Payload)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOpen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		in            []byte
		wantType      string
		wantPredType  string
		wantDocPrefix string
	}{
		{
			name:          "buildkit statement v0.1 with slsa v1",
			in:            fixture.Bytes(t, "slsa-provenance/buildkit_slsa1_mode-max.intoto-statement.json"),
			wantType:      StatementTypeV01,
			wantPredType:  "https://slsa.dev/provenance/v1",
			wantDocPrefix: `{`,
		},
		{
			name:          "cosign legacy Data wrapper",
			in:            dssePayload(t, "cosign-dsse/trivy_hello-1.cdx-1.4.cosign-dsse-legacy-predicate.json"),
			wantType:      StatementTypeV01,
			wantPredType:  "https://cyclonedx.org/bom",
			wantDocPrefix: `{"bomFormat":"CycloneDX"`,
		},
		{
			name:          "bare OpenVEX document",
			in:            fixture.Bytes(t, "openvex/go-vex_v0.2.0.json"),
			wantDocPrefix: "{",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st, doc, err := Open(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			gotType, gotPred := "", ""
			if st != nil {
				gotType, gotPred = st.Type, st.PredicateType
			}
			if gotType != tc.wantType || gotPred != tc.wantPredType {
				t.Errorf("Open() statement = %q/%q, want %q/%q", gotType, gotPred, tc.wantType, tc.wantPredType)
			}
			if len(doc) < len(tc.wantDocPrefix) || string(doc[:len(tc.wantDocPrefix)]) != tc.wantDocPrefix {
				t.Errorf("Open() document starts %.40q, want prefix %q", doc, tc.wantDocPrefix)
			}
			if !json.Valid(doc) {
				t.Errorf("Open() document is not valid JSON")
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
	}{
		{"not json", `{"_type": `},
		{"statement without predicate", `{"_type":"https://in-toto.io/Statement/v1","predicateType":"x","subject":[]}`},
		{"statement with null predicate", `{"_type":"https://in-toto.io/Statement/v1","predicateType":"x","predicate":null}`},
		{"array", `[1,2]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, _, err := Open([]byte(tc.in)); err == nil {
				t.Errorf("Open(%s) succeeded, want an error", tc.in)
			}
		})
	}
}

func TestDecodeStatementUnknownType(t *testing.T) {
	t.Parallel()
	_, err := Decode([]byte(`{"_type":"https://example.com/Other"}`))
	if !errors.Is(err, ErrNotStatement) {
		t.Fatalf("Decode() error = %v, want ErrNotStatement", err)
	}
}

func TestUnwrapLegacy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     string
		want   string
		wantOK bool
	}{
		{"object data", `{"Data":{"a":1},"Timestamp":"2023-01-01T00:00:00Z"}`, `{"a":1}`, true},
		{"string data holding json", `{"Data":"{\"a\":1}","Timestamp":"t"}`, `{"a":1}`, true},
		{"data only", `{"Data":[1]}`, `[1]`, true},
		{"extra keys are not the wrapper", `{"Data":1,"Timestamp":"t","x":2}`, `{"Data":1,"Timestamp":"t","x":2}`, false},
		{"other second key", `{"Data":1,"Other":"t"}`, `{"Data":1,"Other":"t"}`, false},
		{"plain document", `{"spdxVersion":"SPDX-2.3"}`, `{"spdxVersion":"SPDX-2.3"}`, false},
		{"array", `[{"Data":1}]`, `[{"Data":1}]`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := UnwrapLegacy(json.RawMessage(tc.in))
			if string(got) != tc.want || ok != tc.wantOK {
				t.Errorf("UnwrapLegacy(%s) = %s, %v; want %s, %v", tc.in, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func FuzzOpen(f *testing.F) {
	for _, name := range []string{
		"slsa-provenance/buildkit_slsa1_mode-max.intoto-statement.json",
		"openvex/go-vex_v0.2.0.json",
	} {
		f.Add(fixture.Bytes(f, name))
	}
	f.Add([]byte(`{"_type":"https://in-toto.io/Statement/v1","predicateType":"x","predicate":{"Data":"{}"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, doc, err := Open(b)
		if err == nil && st != nil && doc == nil {
			t.Errorf("Open() returned a statement without a document and no error")
		}
	})
}
