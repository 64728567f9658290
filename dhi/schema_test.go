package dhi_test

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/vuln"
	"github.com/dhisdk/dhisdk/vex"
)

// schemaFile is the JSON Schema of [dhi.Report].
const schemaFile = "report.schema.json"

// enums are the closed vocabularies of the report, by Go type.
func enums() map[reflect.Type][]string {
	strs := func(v any) []string {
		rv := reflect.ValueOf(v)
		out := make([]string, rv.Len())
		for i := range out {
			out[i] = rv.Index(i).String()
		}
		return out
	}
	return map[reflect.Type][]string{
		reflect.TypeFor[dhi.Kind]():           strs(dhi.Kinds()),
		reflect.TypeFor[vuln.Severity]():      strs(vuln.Severities()),
		reflect.TypeFor[vex.Status]():         append(strs(vex.Statuses()), ""),
		reflect.TypeFor[attest.Mechanism]():   strs(attest.Mechanisms()),
		reflect.TypeFor[attest.Outcome]():     strs(attest.Outcomes()),
		reflect.TypeFor[attest.Link]():        strs(attest.Links()),
		reflect.TypeFor[attest.CheckStatus](): strs(attest.CheckStatuses()),
		reflect.TypeFor[attest.KeyStatus]():   strs(attest.KeyStatuses()),
	}
}

// schemaOf derives the JSON Schema of values of type t as encoding/json
// writes them, in the subset schemaValidate checks.
func schemaOf(t reflect.Type, nullable bool, defs map[string]any, en map[reflect.Type][]string) map[string]any {
	rawMessage := reflect.TypeFor[json.RawMessage]()
	timeType := reflect.TypeFor[time.Time]()
	withNull := func(typ string) any {
		if nullable {
			return []any{typ, "null"}
		}
		return typ
	}
	if t.Kind() == reflect.Pointer {
		return schemaOf(t.Elem(), true, defs, en)
	}
	switch {
	case t == rawMessage:
		return map[string]any{}
	case t == timeType:
		return map[string]any{"type": withNull("string")}
	case en[t] != nil:
		return map[string]any{"type": "string", "enum": en[t]}
	case t.Implements(reflect.TypeFor[json.Marshaler]()) || reflect.PointerTo(t).Implements(reflect.TypeFor[json.Marshaler]()):
		return map[string]any{}
	case t.Implements(reflect.TypeFor[encoding.TextMarshaler]()):
		return map[string]any{"type": "string"}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": withNull("string")}
		}
		return map[string]any{"type": []any{"array", "null"}, "items": schemaOf(t.Elem(), false, defs, en)}
	case reflect.Map:
		return map[string]any{"type": []any{"object", "null"}, "additionalProperties": schemaOf(t.Elem(), false, defs, en)}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		props, required := map[string]any{}, []string{}
		structFields(t, props, &required, defs, en)
		sort.Strings(required)
		return map[string]any{"type": withNull("object"), "properties": props, "required": required, "additionalProperties": false}
	}
	return map[string]any{}
}

// structFields adds the JSON fields of struct type t, embedded structs
// flattened, as encoding/json writes them.
func structFields(t reflect.Type, props map[string]any, required *[]string, defs map[string]any, en map[reflect.Type][]string) {
	for f := range t.Fields() {
		if !f.IsExported() && !f.Anonymous {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			structFields(f.Type, props, required, defs, en)
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = schemaOf(f.Type, false, defs, en)
		if !slices.Contains(strings.Split(opts, ","), "omitempty") && !slices.Contains(strings.Split(opts, ","), "omitzero") {
			*required = append(*required, name)
		}
	}
}

// schemaValidate checks v, decoded from JSON, against schema s: type,
// properties, required, items, additionalProperties and enum.
func schemaValidate(s map[string]any, v any, path string) []string {
	var errs []string
	if typ, ok := s["type"]; ok {
		var types []string
		switch tt := typ.(type) {
		case string:
			types = []string{tt}
		case []any:
			for _, x := range tt {
				types = append(types, x.(string))
			}
		}
		if !slices.Contains(types, jsonType(v)) && !(jsonType(v) == "integer" && slices.Contains(types, "number")) {
			return []string{fmt.Sprintf("%s: %s, want %s", path, jsonType(v), strings.Join(types, " or "))}
		}
	}
	if en, ok := s["enum"].([]any); ok && !slices.Contains(en, v) {
		errs = append(errs, fmt.Sprintf("%s: %v is not one of %v", path, v, en))
	}
	switch x := v.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for _, r := range asStrings(s["required"]) {
			if _, ok := x[r]; !ok {
				errs = append(errs, fmt.Sprintf("%s: required %q missing", path, r))
			}
		}
		for k, val := range x {
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, schemaValidate(ps, val, path+"."+k)...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					errs = append(errs, fmt.Sprintf("%s: property %q is not in the schema", path, k))
				}
			case map[string]any:
				errs = append(errs, schemaValidate(ap, val, path+"."+k)...)
			}
		}
	case []any:
		if items, ok := s["items"].(map[string]any); ok {
			for i, val := range x {
				errs = append(errs, schemaValidate(items, val, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	}
	return errs
}

func asStrings(v any) []string {
	var out []string
	if l, ok := v.([]any); ok {
		for _, x := range l {
			out = append(out, x.(string))
		}
	}
	return out
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if !strings.ContainsAny(x.String(), ".eE") {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// TestReportSchema checks the sample's report against report.schema.json,
// and that the schema is the one the report's Go types give (go test
// -update rewrites it).
func TestReportSchema(t *testing.T) {
	t.Parallel()
	s := schemaOf(reflect.TypeFor[dhi.Report](), false, nil, enums())
	s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	s["$id"] = "https://github.com/dhisdk/dhisdk/dhi/report.schema.json"
	s["title"] = "dhi.Report"
	s["description"] = "The JSON report of an image opened with the dhisdk dhi package (dhi.Image.Report). Source says where the image and its attestations were found; everything else is the same for the same image read from a registry or a layout."
	want, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	if *update {
		if err := os.WriteFile(schemaFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not the schema of dhi.Report's Go types; run go test -run TestReportSchema -update and review the diff", schemaFile)
	}
	var schema map[string]any
	if err := json.Unmarshal(got, &schema); err != nil {
		t.Fatal(err)
	}

	pushed, key := sharedSample(t)
	img := open(t, pushed.Ref, dhi.WithKeys(key))
	for _, opts := range [][]dhi.ReportOption{nil, {dhi.WithRawPredicates()}} {
		b, err := json.Marshal(img.Report(opts...))
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		for _, e := range schemaValidate(schema, v, "$") {
			t.Error(e)
		}
	}
}

// The validator rejects what it should: a wrong type, a missing required
// property, an unknown property, a value outside an enum.
func TestSchemaValidator(t *testing.T) {
	t.Parallel()
	s := map[string]any{"type": "object", "required": []any{"a"}, "additionalProperties": false, "properties": map[string]any{
		"a": map[string]any{"type": "string", "enum": []any{"x"}},
		"b": map[string]any{"type": "array", "items": map[string]any{"type": "integer"}},
	}}
	tests := []struct {
		name, doc string
		wantErr   bool
	}{
		{"valid", `{"a":"x","b":[1,2]}`, false},
		{"missing required", `{"b":[]}`, true},
		{"unknown property", `{"a":"x","c":1}`, true},
		{"not in enum", `{"a":"y"}`, true},
		{"wrong item type", `{"a":"x","b":["1"]}`, true},
		{"wrong type", `[]`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dec := json.NewDecoder(strings.NewReader(tc.doc))
			dec.UseNumber()
			var v any
			if err := dec.Decode(&v); err != nil {
				t.Fatal(err)
			}
			if errs := schemaValidate(s, v, "$"); (len(errs) > 0) != tc.wantErr {
				t.Errorf("schemaValidate(%s) = %v, want an error: %v", tc.doc, errs, tc.wantErr)
			}
		})
	}
}
