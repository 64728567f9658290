package policy_test

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/dhi/policy"
)

// scout.parse_purl returns every part of a purl, and is undefined for a
// string that is not one.
func TestParsePURL(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t)
	s, _ := keys(t)
	b := buildImage(t, reg.Host, "dhi/purl", s, spec{docs: defaultDocs(t, nil, ptSPDX, ptVEX)})
	p := openPlatform(t, b.ref, s.key)
	text := header("purl") + `violation contains v if {
	u := scout.parse_purl("pkg:deb/debian/libssl-dev@3.0.19-1~deb12u2?arch=amd64&distro=debian-12#usr/lib")
	v := {"message": "parsed", "detail": u}
}

violation contains v if {
	not scout.parse_purl("not a purl")
	v := {"message": "undefined for a string that is not a purl", "detail": {}}
}
`
	files, err := policy.ReadDir(fstest.MapFS{"purl.rego": {Data: []byte(text)}}, ".")
	if err != nil {
		t.Fatal(err)
	}
	e, err := policy.New(files)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := e.Evaluate(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	want := []policy.Violation{
		{Message: "parsed", Detail: []policy.Field{
			{Name: "name", Value: "libssl-dev"},
			{Name: "namespace", Value: "debian"},
			{Name: "qualifiers", Value: `{"arch":"amd64","distro":"debian-12"}`},
			{Name: "subpath", Value: "usr/lib"},
			{Name: "type", Value: "deb"},
			{Name: "version", Value: "3.0.19-1~deb12u2"},
		}},
		{Message: "undefined for a string that is not a purl"},
	}
	if diff := cmp.Diff(want, ev.Results[0].Violations); diff != "" {
		t.Errorf("violations (-want +got):\n%s", diff)
	}
}
