package sbom_test

import (
	"strings"
	"testing"

	"github.com/dhisdk/dhisdk/internal/goldentest"
	"github.com/dhisdk/dhisdk/sbom"
)

// TestErrorTextsGolden pins the messages that bad input gives, as users
// read them.
func TestErrorTextsGolden(t *testing.T) {
	t.Parallel()
	big := fixtureBytes(t, trivyCDX16)
	parse := func(b []byte, opts ...sbom.Option) error { _, err := sbom.Parse(b, opts...); return err }
	cases := []goldentest.ErrorCase{
		{Name: "empty", Err: parse(nil)},
		{Name: "invalid JSON", Err: parse([]byte("{\n  \"spdxVersion\": \"SPDX-2.3\",\n  \"packages\": [}\n"))},
		{Name: "truncated document", Err: parse(big[:5000])},
		{Name: "JSON error deep inside", Err: parse([]byte(strings.Replace(minimalCycloneDX, `"version": "1"`, `"version": 1x`, 1)))},
		{Name: "wrong JSON type", Err: parse([]byte(`{"bomFormat": "CycloneDX", "specVersion": "1.6",` + "\n" + `"components": "none"}`))},
		{Name: "not an object", Err: parse([]byte(`[1, 2]`))},
		{Name: "unknown document", Err: parse([]byte(`{"hello": "world"}`))},
		{Name: "unsupported SPDX version", Err: parse([]byte(`{"spdxVersion": "SPDX-3.0", "SPDXID": "SPDXRef-DOCUMENT"}`))},
		{Name: "unsupported CycloneDX version", Err: parse([]byte(`{"bomFormat": "CycloneDX", "specVersion": "1.1"}`))},
		{Name: "statement of another predicate", Err: parse([]byte(`{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://example.com/x","subject":[{"digest":{"sha256":"ab"}}],"predicate":{"a":1}}`))},
		{Name: "over the size limit", Err: parse(big, sbom.WithMaxSize(1000))},
		{Name: "strict mode with warnings", Err: parse([]byte(spdxWith(`, "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "not a purl"}]`)), sbom.WithStrict())},
	}
	goldentest.Check(t, "testdata/errors.golden", goldentest.ErrorTexts(cases), *update)
}
