package attest_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/sigstore/sigstore-go/pkg/root"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/internal/fixture"
)

// A keyless signature verified with a trusted root that lists no CT log
// passes, and the unchecked SCT is in the signature's checks as skipped
// and in Result.NotChecked.
func TestSkippedSCTInNotChecked(t *testing.T) {
	t.Parallel()
	const beacon = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(fixture.Bytes(t, rootPublic25), &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "ctlogs")
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := root.NewTrustedRootFromJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	v := mustVerifier(t, nil, attest.WithTrustedRoot(tr), attest.WithIdentity(githubIssuer, beacon))
	res, err := v.VerifyBundle(mustBundle(t, fixture.Bytes(t, "sigstore-bundles/conformance_happy-path-intoto-in-dsse-v3.sigstore.json")),
		attest.ArtifactBytes(fixture.Bytes(t, "sigstore-bundles/conformance_a.txt")))
	if err != nil {
		t.Fatalf("VerifyBundle: %v", err)
	}
	if got := checkStatus(t, res.Signers()[0].Checks, attest.LinkCertificateTransparency); got != attest.CheckSkipped {
		t.Errorf("certificate-transparency check = %q, want skipped", got)
	}
	if !slices.ContainsFunc(res.NotChecked, func(s string) bool { return strings.HasPrefix(s, "certificate-transparency: ") }) {
		t.Errorf("NotChecked = %q, want the SCT", res.NotChecked)
	}
}
