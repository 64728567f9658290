package attest_test

import (
	"context"
	"testing"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/internal/imagetest"
	"github.com/dhisdk/dhisdk/internal/registrytest"
)

func TestSmoke(t *testing.T) {
	reg := registrytest.New(t)
	key, _ := imagetest.NewKey(t)
	img := imagetest.Push(t, reg.Host+"/dhi/python:3.13", "", imagetest.Spec{
		Docs:   []imagetest.Doc{{PredicateType: "https://example.com/a", Predicate: []byte(`{"a":1}`)}, {PredicateType: "https://example.com/b", Predicate: []byte(`{"b":1}`)}},
		Signer: key,
	})
	src, err := attest.Registry()
	if err != nil {
		t.Fatal(err)
	}
	reg.ResetCounters()
	d, err := attest.Discover(context.Background(), src, img.Ref)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("requests %d", reg.Requests())
	for _, a := range d.Attestations {
		t.Logf("%s %s %v %s sigs=%d err=%v", a.Target.Digest, a.PredicateType, a.Locations, a.Manifest.Digest, len(a.Signatures), a.Err)
		for _, s := range a.Signatures {
			t.Logf("   sig %s %v %s err=%v", s.Kind, s.Locations, s.Payload, s.Err)
		}
	}
	t.Logf("other %v sigs %v", d.Other, d.Signatures)
}
