package policy_test

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/dhi/policy"
)

// outcome is what a test checks of one policy's result.
type outcome struct {
	Status   policy.Status
	Messages []string
}

func outcomeOf(t *testing.T, ev *policy.Evaluation, name string) outcome {
	t.Helper()
	for _, r := range ev.Results {
		if r.Policy == name {
			o := outcome{Status: r.Status}
			for _, v := range r.Violations {
				o.Messages = append(o.Messages, v.Message)
			}
			if r.Err != nil {
				o.Messages = append(o.Messages, r.Err.Error())
			}
			return o
		}
	}
	t.Fatalf("no result for policy %s", name)
	return outcome{}
}

var (
	signers     sync.Once
	imageSigner *signer
	otherSigner *signer
)

func keys(t *testing.T) (*signer, *signer) {
	t.Helper()
	signers.Do(func() {
		imageSigner = newSigner(t, "sample")
		otherSigner = newSigner(t, "other")
	})
	return imageSigner, otherSigner
}

const otherDigest = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestEvaluateSamplePolicies(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t)
	s, other := keys(t)
	fips := map[string]string{"com.docker.dhi.compliance": "cis,fips,stig", "com.docker.dhi.version": "3.13.9-debian12"}
	virus := func(n int) []byte {
		report := "----------- SCAN SUMMARY -----------\nKnown viruses: 8708690\nScanned files: 2144\nInfected files: " + itoa(n) + "\n"
		return []byte(`{"scanner": {"name": "clamav", "report": "` + base64.StdEncoding.EncodeToString([]byte(report)) + `"}}`)
	}
	stig := func(score float64) []byte {
		return []byte(`[{"name": "xccdf_org.ssgproject.content_profile_stig", "summary": {"defaultScore": ` + ftoa(score) + `, "maxDefaultScore": 100}}]`)
	}
	before, after := time.Date(2025, 10, 3, 0, 0, 0, 0, time.UTC), time.Date(2025, 10, 20, 0, 0, 0, 0, time.UTC)
	const cve = "CVE-2025-9230 in pkg:deb/debian/libssl-dev@3.0.19-1~deb12u2?os_distro=bookworm&os_name=debian&os_version=12 is fixable and 19 days old (SLA 7 days)"

	tests := []struct {
		name   string
		policy string
		spec   func(t *testing.T) spec
		config string // extra config of the signed-attestations policy, or a whole config when it starts with {
		clock  time.Time
		want   outcome
	}{
		{
			name: "signed attestations present and verified", policy: "sample-signed-attestations",
			spec: func(t *testing.T) spec { return spec{docs: defaultDocs(t, nil)} },
			want: outcome{Status: policy.StatusPass},
		},
		{
			name: "missing predicate", policy: "sample-signed-attestations",
			spec: func(t *testing.T) spec { return spec{docs: defaultDocs(t, nil, ptSPDX)} },
			want: outcome{Status: policy.StatusFail, Messages: []string{"https://spdx.dev/Document is missing or unverified"}},
		},
		{
			name: "attestation about another digest", policy: "sample-signed-attestations",
			spec: func(t *testing.T) spec {
				docs := defaultDocs(t, nil)
				docs[0].subject = otherDigest // SPDX
				return spec{docs: docs}
			},
			want: outcome{Status: policy.StatusFail, Messages: []string{"https://spdx.dev/Document is missing or unverified"}},
		},
		{
			name: "attestation signed by an untrusted key", policy: "sample-signed-attestations",
			spec: func(t *testing.T) spec {
				docs := defaultDocs(t, nil)
				docs[1].by = other // provenance
				return spec{docs: docs}
			},
			want: outcome{Status: policy.StatusFail, Messages: []string{"https://slsa.dev/provenance/v1 is missing or unverified"}},
		},
		{
			name: "sigstore bundle attestations verify too", policy: "sample-signed-attestations",
			spec: func(t *testing.T) spec {
				docs := defaultDocs(t, nil)
				docs[0].bundle, docs[1].bundle = true, true
				return spec{docs: docs}
			},
			want: outcome{Status: policy.StatusPass},
		},
		{
			name: "shell and package manager in the SBOM", policy: "sample-no-shell",
			spec: func(t *testing.T) spec { return spec{docs: defaultDocs(t, nil)} },
			want: outcome{Status: policy.StatusFail, Messages: []string{
				"apt is installed and com.docker.dhi.package-manager is not set",
				"bash is installed and com.docker.dhi.shell is not set",
				"dash is installed and com.docker.dhi.shell is not set",
				"dpkg is installed and com.docker.dhi.package-manager is not set",
			}},
		},
		{
			name: "shell and package manager declared by labels", policy: "sample-no-shell",
			spec: func(t *testing.T) spec {
				return spec{labels: map[string]string{"com.docker.dhi.shell": "bash", "com.docker.dhi.package-manager": "apt"}, docs: defaultDocs(t, nil)}
			},
			want: outcome{Status: policy.StatusPass},
		},
		{
			name: "no shell configured as forbidden", policy: "sample-no-shell",
			spec:   func(t *testing.T) spec { return spec{docs: defaultDocs(t, nil)} },
			config: `{"policies": [{"name": "sample-no-shell", "config": {"shells": ["zsh"], "package_managers": ["apk-tools"]}}]}`,
			want:   outcome{Status: policy.StatusPass},
		},
		{
			name: "root user", policy: "sample-non-root-user",
			spec: func(t *testing.T) spec { return spec{docs: defaultDocs(t, nil)} },
			want: outcome{Status: policy.StatusFail, Messages: []string{"dhi/python runs as root"}},
		},
		{
			name: "uid 0", policy: "sample-non-root-user",
			spec: func(t *testing.T) spec { return spec{user: "0", docs: defaultDocs(t, nil)} },
			want: outcome{Status: policy.StatusFail, Messages: []string{"dhi/python runs as root"}},
		},
		{
			name: "non-root user", policy: "sample-non-root-user",
			spec: func(t *testing.T) spec { return spec{user: "nonroot", docs: defaultDocs(t, nil)} },
			want: outcome{Status: policy.StatusPass},
		},
		{
			name: "root in a development variant", policy: "sample-non-root-user",
			spec: func(t *testing.T) spec {
				return spec{labels: map[string]string{"com.docker.dhi.version": "3.13.9-debian12-dev"}, docs: defaultDocs(t, nil)}
			},
			want: outcome{Status: policy.StatusPass},
		},
		{
			name: "tests pass", policy: "sample-no-failing-tests",
			spec: func(t *testing.T) spec { return spec{docs: defaultDocs(t, nil)} },
			want: outcome{Status: policy.StatusPass},
		},
		{
			name: "failing test record", policy: "sample-no-failing-tests",
			spec: func(t *testing.T) spec {
				return spec{docs: defaultDocs(t, map[string][]byte{ptTests: []byte(`{"results": {"summary": {"failed": 2, "passed": 10, "skipped": 0}}}`)})}
			},
			want: outcome{Status: policy.StatusFail, Messages: []string{"2 tests failed"}},
		},
		{
			name: "test record missing", policy: "sample-no-failing-tests",
			spec: func(t *testing.T) spec { return spec{docs: defaultDocs(t, nil, ptTests)} },
			want: outcome{Status: policy.StatusFail, Messages: []string{"no verified test record"}},
		},
		{
			name: "no infected file", policy: "sample-no-malware",
			spec: func(t *testing.T) spec { return spec{docs: defaultDocs(t, nil)} },
			want: outcome{Status: policy.StatusPass},
		},
		{
			name: "infected files", policy: "sample-no-malware",
			spec: func(t *testing.T) spec { return spec{docs: defaultDocs(t, map[string][]byte{ptVirus: virus(3)})} },
			want: outcome{Status: policy.StatusFail, Messages: []string{"3 infected files"}},
		},
		{
			name: "STIG score at target", policy: "sample-stig-score",
			spec: func(t *testing.T) spec { return spec{labels: fips, docs: defaultDocs(t, nil)} },
			want: outcome{Status: policy.StatusPass},
		},
		{
			name: "STIG score below target", policy: "sample-stig-score",
			spec: func(t *testing.T) spec {
				return spec{labels: fips, docs: defaultDocs(t, map[string][]byte{ptSTIG: stig(87.5)})}
			},
			want: outcome{Status: policy.StatusFail, Messages: []string{"STIG profile xccdf_org.ssgproject.content_profile_stig scored 87.5%"}},
		},
		{
			name: "STIG score above a configured target", policy: "sample-stig-score",
			spec: func(t *testing.T) spec {
				return spec{labels: fips, docs: defaultDocs(t, map[string][]byte{ptSTIG: stig(87.5)})}
			},
			config: `{"policies": [{"name": "sample-stig-score", "config": {"target_score": 85}}]}`,
			want:   outcome{Status: policy.StatusPass},
		},
		{
			name: "STIG not required without FIPS", policy: "sample-stig-score",
			spec: func(t *testing.T) spec { return spec{docs: defaultDocs(t, nil, ptSTIG)} },
			want: outcome{Status: policy.StatusPass},
		},
		{
			name: "fixable vulnerability within its SLA", policy: "sample-fixable-vulnerabilities",
			spec:  func(t *testing.T) spec { return spec{docs: defaultDocs(t, nil)} },
			clock: before,
			want:  outcome{Status: policy.StatusPass},
		},
		{
			name: "fixable vulnerability past its SLA", policy: "sample-fixable-vulnerabilities",
			spec:  func(t *testing.T) spec { return spec{docs: defaultDocs(t, nil)} },
			clock: after,
			want:  outcome{Status: policy.StatusFail, Messages: []string{cve}},
		},
		{
			name: "fixable vulnerability of a package type not configured", policy: "sample-fixable-vulnerabilities",
			spec:   func(t *testing.T) spec { return spec{docs: defaultDocs(t, nil)} },
			config: `{"policies": [{"name": "sample-fixable-vulnerabilities", "config": {"package_types": ["apk"]}}]}`,
			clock:  after,
			want:   outcome{Status: policy.StatusPass},
		},
		{
			name: "no secrets", policy: "sample-no-secrets",
			spec: func(t *testing.T) spec { return spec{docs: defaultDocs(t, nil)} },
			want: outcome{Status: policy.StatusPass},
		},
		{
			name: "secrets found", policy: "sample-no-secrets",
			spec: func(t *testing.T) spec {
				return spec{docs: defaultDocs(t, map[string][]byte{ptSecrets: []byte(`[{"rule": "aws-access-key", "path": "/app/.env"}]`)})}
			},
			want: outcome{Status: policy.StatusFail, Messages: []string{"1 secrets found"}},
		},
	}
	files := testPolicies(t)
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := buildImage(t, reg.Host, "dhi/python"+itoa(i), s, tc.spec(t))
			p := openPlatform(t, b.ref, s.key)
			cfg := sampleConfig(t, "")
			if strings.HasPrefix(tc.config, "{") {
				var err error
				if cfg, err = policy.ParseConfig([]byte(tc.config)); err != nil {
					t.Fatal(err)
				}
			}
			opts := []policy.Option{policy.WithConfig(cfg), policy.WithImageName("dhi/python")}
			if !tc.clock.IsZero() {
				opts = append(opts, policy.WithClock(fixedClock(tc.clock)))
			}
			ev, err := engine(t, files, s, opts...).Evaluate(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, outcomeOf(t, ev, tc.policy)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.policy, diff)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
