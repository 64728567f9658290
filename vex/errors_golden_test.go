package vex

import (
	"flag"
	"testing"

	"github.com/dhisdk/dhisdk/internal/fixture"
	"github.com/dhisdk/dhisdk/internal/goldentest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// TestErrorTextsGolden pins the messages that bad input gives, as users
// read them.
func TestErrorTextsGolden(t *testing.T) {
	t.Parallel()
	nginx := fixture.Bytes(t, "dhi/advisories/vex/dhi-nginx.vex.json")
	parse := func(b []byte, opts ...Option) error { _, err := Parse(b, opts...); return err }
	cases := []goldentest.ErrorCase{
		{Name: "empty", Err: parse(nil)},
		{Name: "not an object", Err: parse([]byte(`[1,2]`))},
		{Name: "truncated", Err: parse(nginx[:200])},
		{Name: "wrong JSON type", Err: parse([]byte(`{"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"status":7}]}`))},
		{Name: "no context", Err: parse([]byte(`{"statements":[]}`))},
		{Name: "v0.0.1 context", Err: parse([]byte(`{"@context":"https://openvex.dev/ns/v0.0.1","statements":[]}`))},
		{Name: "statement of another predicate", Err: parse([]byte(`{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://cyclonedx.org/bom","subject":[{"digest":{"sha256":"ab"}}],"predicate":{}}`))},
		{Name: "DSSE envelope", Err: parse(fixture.Bytes(t, "cosign-generated/legacy-att.openvex.dsse.json"))},
		{Name: "over the size limit", Err: parse(nginx, WithMaxSize(1000))},
		{Name: "strict mode rejects invalid statements", Err: parse(mustRead(t, "testdata/invalid-statements.openvex.json"), WithStrict())},
	}
	goldentest.Check(t, "testdata/errors.golden", goldentest.ErrorTexts(cases), *update)
}
