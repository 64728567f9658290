package policy_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dhisdk/dhisdk/dhi/policy"
)

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(`{"policies": [{"name": "a", "enabled": false, "config": {"k": [1, "x"]}}]}`))
	f.Add([]byte(`{"policies": []}`))
	f.Add([]byte(`{"policies": [{"name": "a", "config": null}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := policy.ParseConfig(b)
		if err == nil && c == nil {
			t.Fatal("ParseConfig returned neither a config nor an error")
		}
	})
}

// FuzzNew compiles arbitrary policy text: it never panics, and a policy
// either compiles or carries an *Error.
func FuzzNew(f *testing.F) {
	paths, err := filepath.Glob(filepath.Join(samplePolicies, "*.rego"))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := policy.New([]policy.File{{Name: "fuzz.rego", Text: b}})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range e.Policies() {
			if p.Err != nil {
				if _, ok := p.Err.(*policy.Error); !ok {
					t.Fatalf("policy error %T is not a *policy.Error", p.Err)
				}
			}
		}
	})
}
