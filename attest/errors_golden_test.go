package attest_test

import (
	"flag"
	"testing"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/attest/intoto"
	"github.com/dhisdk/dhisdk/internal/goldentest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// TestErrorTextsGolden pins the messages that bad attestation content and
// statements give, as users read them.
func TestErrorTextsGolden(t *testing.T) {
	t.Parallel()
	parse := func(s string) error { _, err := attest.Parse([]byte(s)); return err }
	statement := func(s string) error { _, err := attest.ParseStatement([]byte(s)); return err }
	open := func(s string) error { _, _, err := intoto.Open([]byte(s)); return err }
	cases := []goldentest.ErrorCase{
		{Name: "Parse: not JSON", Err: parse(`<html>`)},
		{Name: "Parse: unknown form", Err: parse(`{"hello":"world"}`)},
		{Name: "Parse: unknown statement type", Err: parse(`{"_type":"https://example.com/Statement/v9","predicateType":"x","subject":[{"digest":{"sha256":"ab"}}]}`)},
		{Name: "Parse: statement without subject", Err: parse(`{"_type":"https://in-toto.io/Statement/v1","predicateType":"x","predicate":{}}`)},
		{Name: "Parse: subject without digest", Err: parse(`{"_type":"https://in-toto.io/Statement/v1","predicateType":"x","subject":[{"name":"a"}]}`)},
		{Name: "Parse: statement without predicate type", Err: parse(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"sha256":"ab"}}]}`)},
		{Name: "Parse: two forms at once", Err: parse(`{"_type":"https://in-toto.io/Statement/v1","payloadType":"x"}`)},
		{Name: "Parse: envelope without payload", Err: parse(`{"payloadType":"application/vnd.in-toto+json","signatures":[]}`)},
		{Name: "Parse: envelope with a bad statement", Err: parse(`{"payloadType":"application/vnd.in-toto+json","payload":"e30="}`)},
		{Name: "Parse: bad bundle", Err: parse(`{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}`)},
		{Name: "ParseStatement: not a statement", Err: statement(`{"a":1}`)},
		{Name: "ParseStatement: subject of the wrong type", Err: statement(`{"_type":"https://in-toto.io/Statement/v1","subject":"x"}`)},
		{Name: "intoto.Open: no predicate", Err: open(`{"_type":"https://in-toto.io/Statement/v1","predicateType":"x","subject":[]}`)},
		{Name: "intoto.Open: not JSON", Err: open(`{"_type":`)},
	}
	goldentest.Check(t, "testdata/errors.golden", goldentest.ErrorTexts(cases), *update)
}
