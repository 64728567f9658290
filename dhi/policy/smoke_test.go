package policy_test

import (
	"context"
	"testing"

	"github.com/dhisdk/dhisdk/dhi/policy"
)

func TestSmoke(t *testing.T) {
	reg := newRegistry(t)
	s := newSigner(t, "sample")
	b := buildImage(t, reg.Host, "dhi/python", s, spec{labels: map[string]string{"com.docker.dhi.compliance": "fips,stig"}, docs: defaultDocs(t, nil)})
	p := openPlatform(t, b.ref, s.key)
	e := engine(t, testPolicies(t), s, policy.WithConfig(sampleConfig(t, "")))
	ev, err := e.Evaluate(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range ev.Results {
		t.Logf("%s %s %v %s", r.Policy, r.Status, r.Violations, r.Error)
	}
	t.Logf("%+v", ev.Inputs)
}

func TestSmokeUnverified(t *testing.T) {
	reg := newRegistry(t)
	s := newSigner(t, "sample")
	b := buildImage(t, reg.Host, "dhi/python", s, spec{docs: defaultDocs(t, nil)})
	p := openPlatform(t, b.ref, s.key)
	for _, a := range p.Attestations {
		t.Logf("%s verified=%v %s", a.PredicateType, a.Verified, a.Reason)
	}
	t.Logf("%v", p.Image().Problems)
}
