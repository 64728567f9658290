package vex

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

// dhiDocuments returns the names of the real DHI VEX documents.
func dhiDocuments(tb testing.TB) []string {
	tb.Helper()
	names, err := fixture.Glob("dhi/advisories/vex/dhi-*.vex.json")
	if err != nil {
		tb.Fatal(err)
	}
	if len(names) < 12 {
		tb.Fatalf("found %d DHI VEX documents, want at least 12", len(names))
	}
	return names
}

// genericCounts decodes a document with no knowledge of OpenVEX and counts
// its statements per status, the statements, and the product and
// subcomponent identifiers.
func genericCounts(tb testing.TB, b []byte) (statuses map[string]int, statements, ids int) {
	tb.Helper()
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		tb.Fatal(err)
	}
	statuses = map[string]int{}
	sts, _ := doc["statements"].([]any)
	for _, s := range sts {
		m := s.(map[string]any)
		statuses[m["status"].(string)]++
		ps, _ := m["products"].([]any)
		for _, p := range ps {
			pm := p.(map[string]any)
			ids++
			subs, _ := pm["subcomponents"].([]any)
			ids += len(subs)
		}
	}
	return statuses, len(sts), ids
}

func TestParseDHIDocuments(t *testing.T) {
	t.Parallel()
	total := map[Status]int{}
	for _, name := range dhiDocuments(t) {
		t.Run(name, func(t *testing.T) {
			b := fixture.Bytes(t, name)
			doc, err := Parse(b, WithDocumentName(name), WithStrict())
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			wantStatuses, wantStatements, wantIDs := genericCounts(t, b)
			got := map[string]int{}
			ids := 0
			for _, s := range doc.Statements {
				got[string(s.Status)]++
				total[s.Status]++
				for _, p := range s.Products {
					ids++
					ids += len(p.Subcomponents)
				}
			}
			if diff := cmp.Diff(wantStatuses, got); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
			if len(doc.Statements) != wantStatements {
				t.Errorf("got %d statements, want %d", len(doc.Statements), wantStatements)
			}
			if ids != wantIDs {
				t.Errorf("got %d product and subcomponent identifiers, want %d", ids, wantIDs)
			}
			if doc.Name != name || doc.Author != "Docker Hardened Images <dhi@docker.com>" || doc.Context != ContextV020 {
				t.Errorf("document metadata = %q, %q, %q", doc.Name, doc.Author, doc.Context)
			}
			if len(doc.Problems) != 0 {
				t.Errorf("problems in a real DHI document: %v", doc.Problems)
			}
			for _, s := range doc.Statements {
				if s.Time.IsZero() || !s.Time.Equal(s.Timestamp) {
					t.Errorf("statement %d: Time %v, Timestamp %v", s.Index, s.Time, s.Timestamp)
					break
				}
			}
		})
	}
}

// TestParsePythonDetails checks fields of concrete statements of the largest
// document against its JSON.
func TestParsePythonDetails(t *testing.T) {
	t.Parallel()
	doc, err := Parse(fixture.Bytes(t, "dhi/advisories/vex/dhi-python.vex.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Statements) != 1004 {
		t.Fatalf("got %d statements, want 1004", len(doc.Statements))
	}
	s := doc.Statements[256]
	want := Statement{
		Index:         256,
		ID:            s.ID,
		Vulnerability: Vulnerability{Name: "CVE-2025-8194"},
		Timestamp:     time.Date(2025, 8, 20, 5, 50, 21, 418e6, time.UTC),
		Time:          time.Date(2025, 8, 20, 5, 50, 21, 418e6, time.UTC),
		Status:        StatusNotAffected,
		StatusNotes:   s.StatusNotes,
		Justification: InlineMitigationsAlreadyExist,
		Products: []Product{
			{Component: Component{ID: "pkg:dhi/python@3.12.12"}},
			{Component: Component{ID: "pkg:docker/dhi/python"}, Subcomponents: []Component{{ID: "pkg:dhi/python@3.12.12"}}},
			{Component: Component{ID: "pkg:oci/dhi%2Fpython"}, Subcomponents: []Component{{ID: "pkg:dhi/python@3.12.12"}}},
		},
	}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("statement 256 (-want +got):\n%s", diff)
	}
	if s.ID == "" || s.StatusNotes == "" {
		t.Errorf("statement 256 has no @id or status notes: %q %q", s.ID, s.StatusNotes)
	}
	// Statement @ids repeat in real documents.
	seen := map[string]int{}
	dups := 0
	for _, st := range doc.Statements {
		if seen[st.ID]++; seen[st.ID] == 2 {
			dups++
		}
	}
	if dups == 0 {
		t.Error("want at least one repeated statement @id in dhi-python")
	}
}

func TestParseOpenVEXFixtures(t *testing.T) {
	t.Parallel()
	docTime := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name       string
		statements int
		statuses   map[Status]int
		first      Vulnerability
		time       time.Time
	}{
		{
			name:       "openvex/trivy-project.openvex.json",
			statements: 21,
			statuses:   map[Status]int{StatusNotAffected: 21},
			first: Vulnerability{
				ID:          "https://pkg.go.dev/vuln/GO-2024-2575",
				Name:        "GO-2024-2575",
				Description: "Helm's Missing YAML Content Leads To Panic in helm.sh/helm/v3",
				Aliases:     []string{"CVE-2024-26147", "GHSA-r53h-jv2g-vpx6"},
			},
			time: docTime("2024-07-09T11:38:00.115697+04:00"),
		},
		{
			name:       "openvex/go-vex_v0.2.0.json",
			statements: 5,
			statuses:   map[Status]int{StatusFixed: 3, StatusNotAffected: 2},
			first:      Vulnerability{Name: "CVE-2023-1255"},
			time:       docTime("2023-07-17T18:28:47.696004345-06:00"),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := fixture.Bytes(t, tc.name)
			doc, err := Parse(b, WithDocumentName(tc.name), WithStrict())
			if err != nil {
				t.Fatal(err)
			}
			gen, _, _ := genericCounts(t, b)
			got := map[Status]int{}
			for _, s := range doc.Statements {
				got[s.Status]++
				// No statement has its own timestamp: the document's applies.
				if !s.Timestamp.IsZero() || !s.Time.Equal(tc.time) {
					t.Errorf("statement %d: Timestamp %v Time %v, want inherited %v", s.Index, s.Timestamp, s.Time, tc.time)
				}
			}
			if diff := cmp.Diff(tc.statuses, got); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
			for st, n := range gen {
				if got[Status(st)] != n {
					t.Errorf("status %s: got %d, generic decode %d", st, got[Status(st)], n)
				}
			}
			if len(doc.Statements) != tc.statements {
				t.Errorf("got %d statements, want %d", len(doc.Statements), tc.statements)
			}
			if diff := cmp.Diff(tc.first, doc.Statements[0].Vulnerability); diff != "" {
				t.Errorf("first vulnerability (-want +got):\n%s", diff)
			}
		})
	}
}

// dssePayload returns the decoded payload of a DSSE envelope fixture.
func dssePayload(t testing.TB, name string) []byte {
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

// statementAround wraps a document in an in-toto statement.
func statementAround(t testing.TB, typ, predicateType string, doc []byte) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"_type":         typ,
		"subject":       []any{map[string]any{"name": "dhi.io/busybox", "digest": map[string]string{"sha256": strings.Repeat("ab", 32)}}},
		"predicateType": predicateType,
		"predicate":     json.RawMessage(doc),
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseInToto(t *testing.T) {
	t.Parallel()
	busybox := fixture.Bytes(t, "dhi/advisories/vex/dhi-busybox.vex.json")
	legacy, err := json.Marshal(map[string]any{"Data": json.RawMessage(busybox), "Timestamp": "2025-10-01T00:00:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name          string
		in            []byte
		predicateType string
		statements    int
		subject       string
	}{
		{
			name:          "statement v1, DHI predicate type",
			in:            statementAround(t, "https://in-toto.io/Statement/v1", ContextV020, busybox),
			predicateType: ContextV020,
			statements:    2,
			subject:       "dhi.io/busybox",
		},
		{
			name:          "statement v0.1, cosign predicate type, legacy Data wrapper",
			in:            statementAround(t, "https://in-toto.io/Statement/v0.1", ContextUnversioned, legacy),
			predicateType: ContextUnversioned,
			statements:    2,
			subject:       "dhi.io/busybox",
		},
		{
			name:          "cosign attest --type openvex payload",
			in:            dssePayload(t, "cosign-generated/legacy-att.openvex.dsse.json"),
			predicateType: ContextUnversioned,
			statements:    -1,
			subject:       "127.0.0.1:5004/m/app-legacy",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc, err := Parse(tc.in, WithStrict())
			if err != nil {
				t.Fatal(err)
			}
			if doc.PredicateType != tc.predicateType {
				t.Errorf("PredicateType = %q, want %q", doc.PredicateType, tc.predicateType)
			}
			if len(doc.Subjects) != 1 || doc.Subjects[0].Name != tc.subject || len(doc.Subjects[0].Digest["sha256"]) != 64 {
				t.Errorf("Subjects = %+v, want one named %q with a sha256", doc.Subjects, tc.subject)
			}
			if tc.statements >= 0 && len(doc.Statements) != tc.statements {
				t.Errorf("got %d statements, want %d", len(doc.Statements), tc.statements)
			}
			if len(doc.Statements) == 0 {
				t.Error("no statements")
			}
		})
	}
}

// TestParseLegacyAttestationCounts counts the statuses of the cosign
// attestation fixture independently of the parser.
func TestParseLegacyAttestationCounts(t *testing.T) {
	t.Parallel()
	payload := dssePayload(t, "cosign-generated/legacy-att.openvex.dsse.json")
	var st struct {
		Predicate json.RawMessage `json:"predicate"`
	}
	if err := json.Unmarshal(payload, &st); err != nil {
		t.Fatal(err)
	}
	want, n, _ := genericCounts(t, st.Predicate)
	doc, err := Parse(payload)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, s := range doc.Statements {
		got[string(s.Status)]++
	}
	if diff := cmp.Diff(want, got); diff != "" || len(doc.Statements) != n {
		t.Errorf("statuses (-want +got):\n%s; %d statements, want %d", diff, len(doc.Statements), n)
	}
}

func TestParseBadInput(t *testing.T) {
	t.Parallel()
	nginx := fixture.Bytes(t, "dhi/advisories/vex/dhi-nginx.vex.json")
	const cut = 100000
	truncated := nginx[:cut]
	sbomStatement := statementAround(t, "https://in-toto.io/Statement/v1", "https://cyclonedx.org/bom/v1.6", []byte(`{"bomFormat":"CycloneDX"}`))
	// cosign's legacy wrapper holding the document as a string, cut short.
	truncatedPredicate := []byte(`{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://openvex.dev/ns","predicate":{"Data":"{\"@context\": \"https://openvex.dev/ns/v0.2.0\", \"statements\": [","Timestamp":"2025-10-01T00:00:00Z"}}`)
	tests := []struct {
		name        string
		in          []byte
		opts        []Option
		want        error
		offset      int64
		inPredicate bool
		msg         string
	}{
		{
			name:   "truncated feed document",
			in:     truncated,
			opts:   []Option{WithDocumentName("vex/dex/dhi-dex.vex.json")},
			want:   ErrMalformedJSON,
			offset: cut,
			msg:    "vex: vex/dex/dhi-dex.vex.json: malformed json at byte offset 100000: unexpected end of JSON input",
		},
		{
			name:   "truncated in-toto statement",
			in:     statementAround(t, "https://in-toto.io/Statement/v1", ContextV020, nginx)[:5000],
			opts:   []Option{WithDocumentName("att.json")},
			want:   ErrMalformedJSON,
			offset: 5000,
		},
		{
			name:        "truncated document inside a statement's string predicate",
			in:          truncatedPredicate,
			want:        ErrMalformedJSON,
			offset:      61,
			inPredicate: true,
		},
		{
			name:   "wrong type for a field",
			in:     []byte(`{"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"status":7}]}`),
			want:   ErrMalformedJSON,
			offset: 69,
		},
		{name: "empty", in: nil, want: ErrMalformedJSON},
		{name: "not an object", in: []byte(`[1,2]`), want: ErrMalformedJSON},
		{name: "no context", in: []byte(`{"statements":[]}`), want: ErrUnsupported},
		{name: "v0.0.1 context", in: []byte(`{"@context":"https://openvex.dev/ns/v0.0.1","statements":[]}`), want: ErrUnsupported},
		{name: "CycloneDX statement", in: sbomStatement, want: ErrUnsupported},
		{name: "DSSE envelope", in: fixture.Bytes(t, "cosign-generated/legacy-att.openvex.dsse.json"), want: ErrUnsupported},
		{name: "too large", in: nginx, opts: []Option{WithMaxSize(1000)}, want: ErrTooLarge},
		{
			name: "strict mode rejects invalid statements",
			in:   mustRead(t, "testdata/invalid-statements.openvex.json"),
			opts: []Option{WithStrict()},
			want: ErrInvalidStatus,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc, err := Parse(tc.in, tc.opts...)
			if err == nil {
				t.Fatalf("Parse succeeded with %d statements, want error %v", len(doc.Statements), tc.want)
			}
			if !errors.Is(err, tc.want) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v, want %v (and ErrInvalid)", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "vex: ") {
				t.Errorf("message %q does not start with the package name", err)
			}
			if tc.msg != "" && err.Error() != tc.msg {
				t.Errorf("message\n got %q\nwant %q", err, tc.msg)
			}
			var pe *ParseError
			if errors.As(err, &pe) != (tc.want == ErrMalformedJSON) {
				t.Fatalf("errors.As(*ParseError) = %v for %v", !(tc.want == ErrMalformedJSON), err)
			}
			if pe != nil && tc.offset != 0 && (pe.Offset != tc.offset || pe.InPredicate != tc.inPredicate) {
				t.Errorf("offset %d (in predicate %v), want %d (%v)", pe.Offset, pe.InPredicate, tc.offset, tc.inPredicate)
			}
			if pe != nil {
				var syn *json.SyntaxError
				var typ *json.UnmarshalTypeError
				if !errors.As(err, &syn) && !errors.As(err, &typ) {
					t.Errorf("ParseError does not wrap the decoder's error: %v", err)
				}
			}
		})
	}
}

func TestParseReader(t *testing.T) {
	t.Parallel()
	b := fixture.Bytes(t, "dhi/advisories/vex/dhi-curl.vex.json")
	doc, err := ParseReader(bytes.NewReader(b), WithDocumentName("curl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Statements) != 20 || doc.Name != "curl" {
		t.Errorf("got %d statements from %q", len(doc.Statements), doc.Name)
	}
	_, err = ParseReader(bytes.NewReader(b), WithMaxSize(int64(len(b)-1)), WithDocumentName("curl"))
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "curl") {
		t.Errorf("error %v, want ErrTooLarge naming the source", err)
	}
	if _, err := ParseReader(bytes.NewReader(b), WithMaxSize(int64(len(b)))); err != nil {
		t.Errorf("input of exactly the limit: %v", err)
	}
	if _, err := ParseReader(bytes.NewReader(b), WithMaxSize(0)); err == nil {
		t.Error("WithMaxSize(0) accepted")
	}
	readErr := errors.New("disk on fire")
	if _, err := ParseReader(iotestErrReader{readErr}); !errors.Is(err, readErr) {
		t.Errorf("error %v, want the reader's error", err)
	}
}

type iotestErrReader struct{ err error }

func (r iotestErrReader) Read([]byte) (int, error) { return 0, r.err }

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestValidation uses testdata/invalid-statements.openvex.json, a hand-made
// document with one statement per rule of the specification that a real
// document might break.
func TestValidation(t *testing.T) {
	t.Parallel()
	doc, err := Parse(mustRead(t, "testdata/invalid-statements.openvex.json"), WithDocumentName("invalid.json"))
	if err != nil {
		t.Fatal(err)
	}
	type problem struct {
		Statement int
		Err       error
		Detail    string
	}
	var got []problem
	for _, p := range doc.Problems {
		got = append(got, problem{p.Statement, p.Err, p.Detail})
	}
	want := []problem{
		{1, ErrInvalidStatus, `"patched"`},
		{2, ErrMissingJustification, ""},
		{3, ErrMissingActionStatement, ""},
		{4, ErrInvalidJustification, `"not_my_problem"`},
		{5, ErrMissingVulnerability, ""},
		{6, ErrNoProducts, ""},
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if len(doc.Statements) != 8 {
		t.Errorf("got %d statements, want all 8 kept", len(doc.Statements))
	}
	for i, s := range doc.Statements {
		if (s.Problem != nil) != (i >= 1 && i <= 6) {
			t.Errorf("statement %d: Problem = %v", i, s.Problem)
		}
	}
	msg := doc.Problems[0].Error()
	if want := `vex: invalid.json: statement 1 (@id s1-bad-status) on CVE-2025-0002: invalid status: "patched"`; msg != want {
		t.Errorf("message\n got %q\nwant %q", msg, want)
	}

	// In an index: the invalid status and the missing name take no part;
	// the others still count; the unparsable purl is reported and matched as
	// a string.
	ix := NewIndex(doc)
	var idxErrs []error
	for _, p := range ix.Problems() {
		idxErrs = append(idxErrs, p.Err)
	}
	wantErrs := []error{ErrInvalidStatus, ErrMissingJustification, ErrMissingActionStatement, ErrInvalidJustification, ErrMissingVulnerability, ErrNoProducts, ErrInvalidProduct}
	if diff := cmp.Diff(wantErrs, idxErrs, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
		t.Errorf("index problems (-want +got):\n%s", diff)
	}
	decide := func(vuln, pkg string) Status {
		d, err := ix.Decide(Query{Vulnerability: vuln, Package: pkg})
		if err != nil {
			t.Fatal(err)
		}
		return d.Status
	}
	zlib := "pkg:deb/debian/zlib1g@1:1.3.dfsg-3.1?distro=debian-13"
	for _, tc := range []struct {
		vuln string
		pkg  string
		want Status
	}{
		{"CVE-2025-0001", zlib, StatusNotAffected},
		{"CVE-2025-0002", zlib, ""},
		{"CVE-2025-0003", zlib, StatusNotAffected},
		{"CVE-2025-0004", zlib, StatusAffected},
		{"CVE-2025-0005", zlib, StatusNotAffected},
		{"CVE-2025-0007", "pkg:deb/debian/zlib1g%zz", StatusFixed},
		{"CVE-2025-0007", zlib, ""},
	} {
		if got := decide(tc.vuln, tc.pkg); got != tc.want {
			t.Errorf("Decide(%s, %s) = %q, want %q", tc.vuln, tc.pkg, got, tc.want)
		}
	}
}

func TestMissingTimestamp(t *testing.T) {
	t.Parallel()
	in := []byte(`{"@context":"https://openvex.dev/ns/v0.2.0","@id":"x","author":"a","version":1,"statements":[
		{"vulnerability":{"name":"CVE-1"},"products":[{"@id":"pkg:npm/a"}],"status":"fixed"},
		{"vulnerability":{"name":"CVE-1"},"products":[{"@id":"pkg:npm/a"}],"status":"fixed","last_updated":"2025-01-02T00:00:00Z","timestamp":"2025-01-01T00:00:00Z"}]}`)
	doc, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Problems) != 1 || !errors.Is(doc.Problems[0], ErrMissingTimestamp) || doc.Problems[0].Statement != 0 {
		t.Errorf("problems = %v, want one missing timestamp on statement 0", doc.Problems)
	}
	if want := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC); !doc.Statements[1].Time.Equal(want) {
		t.Errorf("Time = %v, want last_updated %v", doc.Statements[1].Time, want)
	}
}
