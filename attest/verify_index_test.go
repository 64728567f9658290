package attest_test

import (
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/attest/intoto"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
)

// The subject check of an attestation hung on the image index says so.
func TestVerifyNamesTheIndex(t *testing.T) {
	t.Parallel()
	_, pub, err := dhitest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	key, err := attest.ParseKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	kr, err := attest.NewKeyring(key)
	if err != nil {
		t.Fatal(err)
	}
	v := mustVerifier(t, kr)
	index := v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("1", 64)}
	other := strings.Repeat("2", 64)
	att := &attest.Attestation{
		Target:        v1.Descriptor{MediaType: types.OCIImageIndex, Digest: index},
		Manifest:      v1.Descriptor{MediaType: types.OCIManifestSchema1, Digest: v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("3", 64)}},
		PredicateType: "https://example.com/p",
		Content: &attest.Content{Format: attest.FormatStatement, Statement: &intoto.Statement{
			Type: intoto.StatementTypeV1, PredicateType: "https://example.com/p",
			Subject: []intoto.Subject{{Name: "x", Digest: intoto.DigestSet{"sha256": other}}},
		}},
	}
	res, err := v.Verify(att)
	if err == nil {
		t.Fatal("Verify of an unsigned statement about another digest: no error")
	}
	for _, c := range res.Checks {
		if c.Link == attest.LinkSubject {
			if !strings.Contains(c.Detail, "not the image index sha256:"+index.Hex) {
				t.Errorf("subject check = %q, want it to name the image index", c.Detail)
			}
			return
		}
	}
	t.Errorf("no subject check in %+v", res.Checks)
}
