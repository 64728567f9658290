package provenance

import (
	"flag"
	"testing"

	"github.com/dhisdk/dhisdk/internal/goldentest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// TestErrorTextsGolden pins the messages that bad input and unmet policies
// give, as users read them.
func TestErrorTextsGolden(t *testing.T) {
	t.Parallel()
	parse := func(s string) error { _, err := Parse([]byte(s)); return err }
	cases := []goldentest.ErrorCase{
		{Name: "empty", Err: parse("")},
		{Name: "not an object", Err: parse(`[1]`)},
		{Name: "malformed JSON", Err: parse(`{"buildDefinition":`)},
		{Name: "unknown statement type", Err: parse(`{"_type":"https://example.com/Statement/v9"}`)},
		{Name: "statement without predicate", Err: parse(`{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://slsa.dev/provenance/v1","subject":[]}`)},
		{Name: "statement of another predicate", Err: parse(`{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://spdx.dev/Document","subject":[],"predicate":{}}`)},
		{Name: "DSSE envelope", Err: parse(`{"payloadType":"application/vnd.in-toto+json","payload":"e30="}`)},
		{Name: "sigstore bundle", Err: parse(`{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","dsseEnvelope":{}}`)},
		{Name: "VSA v0.2", Err: parse(`{"verifier":{"id":"x"},"verification_result":"PASSED"}`)},
		{Name: "unknown document", Err: parse(`{"hello":"world"}`)},
		{Name: "v1 with a bad time", Err: parse(`{"buildDefinition":{"buildType":"x"},"runDetails":{"builder":{"id":"b"},"metadata":{"startedOn":"yesterday"}}}`)},
		{Name: "empty predicate", Err: func() error { _, err := ParsePredicate(PredicateTypeV1, []byte("null")); return err }()},
		{Name: "unmet build policy", Err: (&Provenance{Builder: Builder{ID: "https://example.com/builder"}}).CheckPolicy(BuildPolicy{BuilderIDs: []string{"https://github.com/actions/runner"}})},
		{Name: "empty build policy", Err: (&Provenance{}).CheckPolicy(BuildPolicy{})},
	}
	goldentest.Check(t, "testdata/errors.golden", goldentest.ErrorTexts(cases), *update)
}
