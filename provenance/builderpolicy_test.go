package provenance

import (
	"errors"
	"testing"
)

func TestBuilderIDPrefixesAndPatterns(t *testing.T) {
	t.Parallel()
	p := &Provenance{Builder: Builder{ID: generatorBuilder + "@refs/tags/v2.1.0"}}
	tests := []struct {
		name    string
		policy  BuildPolicy
		wantErr bool
	}{
		{"prefix", BuildPolicy{BuilderIDPrefixes: []string{"https://github.com/slsa-framework/"}}, false},
		{"other prefix", BuildPolicy{BuilderIDPrefixes: []string{"https://github.com/docker/"}}, true},
		{"pattern", BuildPolicy{BuilderIDPatterns: []string{`https://github\.com/slsa-framework/slsa-github-generator/.+@refs/tags/v2\..*`}}, false},
		{"pattern is anchored", BuildPolicy{BuilderIDPatterns: []string{`slsa-github-generator`}}, true},
		{"exact ID or a prefix", BuildPolicy{BuilderIDs: []string{"https://other"}, BuilderIDPrefixes: []string{"https://github.com/slsa-framework/"}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := p.CheckPolicy(tc.policy)
			var pe *PolicyError
			if (err != nil) != tc.wantErr || (err != nil && !errors.As(err, &pe)) {
				t.Errorf("CheckPolicy(%+v) = %v, want a policy error: %v", tc.policy, err, tc.wantErr)
			}
		})
	}
	if err := p.CheckPolicy(BuildPolicy{BuilderIDPatterns: []string{"("}}); !errors.Is(err, ErrInvalidPolicy) {
		t.Errorf("bad pattern: %v, want ErrInvalidPolicy", err)
	}
}
