package policy_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/dhi/policy"
)

// header is a METADATA block and package line for a policy named name.
func header(name string) string {
	return `# METADATA
# title: ` + name + `
# custom:
#   name: ` + name + `
#   result_type: generic
#   not_compliant_title: bad
#   details_order:
#   - reason
package docker.scout

import rego.v1

default pass := false

`
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t)
	s, _ := keys(t)
	b := buildImage(t, reg.Host, "dhi/bad", s, spec{user: "nonroot", docs: defaultDocs(t, nil)})
	p := openPlatform(t, b.ref, s.key)

	type failure struct {
		Policy   string
		File     string
		Line     int
		Sentinel string
		Reason   string // a part of the reason
	}
	sentinels := []error{policy.ErrUnknownKey, policy.ErrParse, policy.ErrCompile, policy.ErrEvaluation, policy.ErrConfig, policy.ErrResult}
	tests := []struct {
		name   string
		text   string // the policy file bad.rego
		config string
		want   failure
	}{
		{
			name: "does not parse",
			text: header("broken") + "pass if {\n\tcount(violation) == \n",
			want: failure{Policy: "bad.rego", File: "bad.rego", Line: 17, Sentinel: "ErrParse", Reason: "unexpected eof"},
		},
		{
			name: "not in package docker.scout",
			text: strings.Replace(header("elsewhere"), "package docker.scout", "package acme.policies", 1),
			want: failure{Policy: "bad.rego", File: "bad.rego", Line: 9, Sentinel: "ErrParse", Reason: "want package docker.scout"},
		},
		{
			name: "no METADATA",
			text: "package docker.scout\n\nimport rego.v1\n\ndefault pass := true\n",
			want: failure{Policy: "bad.rego", File: "bad.rego", Line: 1, Sentinel: "ErrParse", Reason: "no # METADATA block"},
		},
		{
			name: "unknown built-in",
			text: header("unknown-builtin") + "pass if {\n\tnot is_null(oci.referrers(\"https://spdx.dev/Document\"))\n}\n",
			want: failure{Policy: "unknown-builtin", File: "bad.rego", Line: 16, Sentinel: "ErrCompile", Reason: "undefined function oci.referrers"},
		},
		{
			name: "built-in called with a number for a string",
			text: header("wrong-type") + "pass if {\n\tnot is_null(oci.referrer(42))\n}\n",
			want: failure{Policy: "wrong-type", File: "bad.rego", Line: 16, Sentinel: "ErrCompile", Reason: "oci.referrer"},
		},
		{
			name:   "built-in called with a value of the wrong type at run time",
			text:   header("wrong-type-late") + "pass if {\n\tscout.parse_purl(data.config.purl).type == \"deb\"\n}\n",
			config: `{"policies": [{"name": "wrong-type-late", "config": {"purl": 7}}]}`,
			want:   failure{Policy: "wrong-type-late", File: "bad.rego", Line: 16, Sentinel: "ErrEvaluation", Reason: "scout.parse_purl: purl must be a string, not number"},
		},
		{
			name:   "verify_images options of the wrong type",
			text:   header("bad-opts") + "pass if {\n\tr := cosign.verify_images([], {\"key_ref\": \"k\", \"ignore_tlog\": data.config.yes})\n\tcount(r) == 0\n}\n",
			config: `{"policies": [{"name": "bad-opts", "config": {"yes": "yes"}}]}`,
			want:   failure{Policy: "bad-opts", File: "bad.rego", Line: 16, Sentinel: "ErrEvaluation", Reason: "ignore_tlog must be a boolean, not string"},
		},
		{
			name: "key_ref not supplied",
			text: header("unknown-key") + "pass if {\n\tr := cosign.verify_images([oci.referrer(\"https://spdx.dev/Document\").image], {\"key_ref\": \"cosign.pub\"})\n\tcount(r) == 1\n}\n",
			want: failure{Policy: "unknown-key", File: "bad.rego", Line: 16, Sentinel: "ErrUnknownKey", Reason: `key_ref "cosign.pub" names no key supplied`},
		},
		{
			name: "pass is not a boolean",
			text: strings.Replace(header("not-boolean"), "default pass := false", "default pass := \"yes\"", 1),
			want: failure{Policy: "not-boolean", File: "bad.rego", Sentinel: "ErrResult", Reason: "pass is string, not a boolean"},
		},
		{
			name:   "configuration of a policy that does not exist",
			text:   header("good") + "pass := true\n",
			config: `{"policies": [{"name": "goood", "config": {}}]}`,
			want:   failure{Policy: "goood", Sentinel: "ErrConfig", Reason: "names a policy that does not exist"},
		},
	}
	names := []string{"ErrUnknownKey", "ErrParse", "ErrCompile", "ErrEvaluation", "ErrConfig", "ErrResult"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			files, err := policy.ReadDir(fstest.MapFS{"bad.rego": {Data: []byte(tc.text)}}, ".")
			if err != nil {
				t.Fatal(err)
			}
			var opts []policy.Option
			if tc.config != "" {
				c, err := policy.ParseConfig([]byte(tc.config))
				if err != nil {
					t.Fatal(err)
				}
				opts = append(opts, policy.WithConfig(c))
			}
			e, err := policy.New(files, opts...)
			if err != nil {
				t.Fatal(err)
			}
			ev, err := e.Evaluate(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			if ev.Passed() {
				t.Errorf("Passed() = true, want false: a bad policy never passes")
			}
			var got *failure
			for _, r := range ev.Results {
				if r.Status != policy.StatusError {
					continue
				}
				var pe *policy.Error
				if !errors.As(r.Err, &pe) {
					t.Fatalf("result %s: error %v is not a *policy.Error", r.Policy, r.Err)
				}
				f := failure{Policy: r.Policy, File: pe.File, Line: pe.Line}
				for i, s := range sentinels {
					if errors.Is(r.Err, s) {
						f.Sentinel = names[i]
						break
					}
				}
				if strings.Contains(pe.Reason, tc.want.Reason) {
					f.Reason = tc.want.Reason
				} else {
					f.Reason = pe.Reason
				}
				if !strings.Contains(r.Err.Error(), f.Policy) {
					t.Errorf("error %q does not name the policy %s", r.Err, f.Policy)
				}
				got = &f
				break
			}
			if got == nil {
				t.Fatalf("no result with StatusError in %+v", ev.Results)
			}
			if diff := cmp.Diff(tc.want, *got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseConfigRejects(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, config string }{
		{"not JSON", `{"policies": [`},
		{"no policies array", `{"policy": []}`},
		{"entry without a name", `{"policies": [{"config": {}}]}`},
		{"policy configured twice", `{"policies": [{"name": "a"}, {"name": "a"}]}`},
		{"config not an object", `{"policies": [{"name": "a", "config": [1]}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := policy.ParseConfig([]byte(tc.config)); !errors.Is(err, policy.ErrConfig) {
				t.Errorf("ParseConfig(%s) error = %v, want ErrConfig", tc.config, err)
			}
		})
	}
}
