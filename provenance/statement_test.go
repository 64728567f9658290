package provenance

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/dhisdk/dhisdk/attest/intoto"
	"github.com/dhisdk/dhisdk/internal/fixture"
)

// Fixture names, inside internal/fixture.
const (
	fxBuildKitV1   = "slsa-provenance/buildkit_slsa1_mode-max.intoto-statement.json"
	fxBuildxMeta   = "slsa-provenance/buildkit_slsa0.2_buildx-metadata.json"
	fxGeneratorV02 = "slsa-provenance/slsa-github-generator_generic-v2.1.0_slsa0.2.bundle-v0.3.json"
	fxDelegatorV1  = "slsa-provenance/slsa-github-generator_delegator-v1.10.0_slsa1.bundle-v0.1.json"
	fxGCB          = "slsa-provenance/gcb_container-v0.3_gcloud-container-github.json"
	fxGoogleVSA    = "vsa/google-gce_gke-gce-pre.bcid-vsa.dsse.json"
)

// dssePayload returns the decoded payload of a DSSE envelope.
func dssePayload(tb testing.TB, envelope []byte) []byte {
	tb.Helper()
	var env struct {
		PayloadType string `json:"payloadType"`
		Payload     string `json:"payload"`
	}
	if err := json.Unmarshal(envelope, &env); err != nil {
		tb.Fatal(err)
	}
	if env.PayloadType != "application/vnd.in-toto+json" {
		tb.Fatalf("payloadType = %q, want application/vnd.in-toto+json", env.PayloadType)
	}
	b, err := base64.StdEncoding.DecodeString(env.Payload)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// bundleStatement returns the in-toto statement inside a sigstore bundle
// fixture (the payload of its DSSE envelope).
func bundleStatement(tb testing.TB, name string) []byte {
	tb.Helper()
	var bundle struct {
		DSSEEnvelope json.RawMessage `json:"dsseEnvelope"`
	}
	if err := json.Unmarshal(fixture.Bytes(tb, name), &bundle); err != nil {
		tb.Fatal(err)
	}
	return dssePayload(tb, bundle.DSSEEnvelope)
}

// buildxPredicate returns the BuildKit SLSA v0.2 predicate that buildx wrote
// into its metadata file under "buildx.build.provenance".
func buildxPredicate(tb testing.TB) []byte {
	tb.Helper()
	var md map[string]json.RawMessage
	if err := json.Unmarshal(fixture.Bytes(tb, fxBuildxMeta), &md); err != nil {
		tb.Fatal(err)
	}
	p, ok := md["buildx.build.provenance"]
	if !ok {
		tb.Fatal("no buildx.build.provenance in buildx metadata")
	}
	return p
}

// gcbStatement returns the in-toto statement signed in the first provenance
// envelope of the gcloud container provenance fixture.
func gcbStatement(tb testing.TB) []byte {
	tb.Helper()
	var g struct {
		ProvenanceSummary struct {
			Provenance []struct {
				Envelope json.RawMessage `json:"envelope"`
			} `json:"provenance"`
		} `json:"provenance_summary"`
	}
	if err := json.Unmarshal(fixture.Bytes(tb, fxGCB), &g); err != nil {
		tb.Fatal(err)
	}
	if len(g.ProvenanceSummary.Provenance) == 0 {
		tb.Fatal("no provenance in gcloud summary")
	}
	return dssePayload(tb, g.ProvenanceSummary.Provenance[0].Envelope)
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// ignoreRaw leaves raw JSON out of comparisons of normalized values.
var ignoreRaw = cmpopts.IgnoreFields(Provenance{}, "Predicate", "Parameters", "Environment", "BuildKit", "GitHub", "Inputs", "Images")

// TestParseProvenance checks the normalized view of each real provenance
// against values read by hand from the fixture JSON.
func TestParseProvenance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		in            []byte
		wantType      string
		wantSubject   []intoto.Subject
		want          Provenance // compared without raw JSON, BuildKit, GitHub, Inputs, Images
		wantInputs    []ResourceDescriptor
		wantImages    []Image
		wantBuildKit  func(t *testing.T, bk *BuildKit)
		wantGitHub    *GitHubWorkflow // compared without EventPayload
		wantEventKeys bool            // GitHub.EventPayload must be a JSON object
	}{
		{
			name:     "buildkit slsa v1 mode=max in statement v0.1",
			in:       fixture.Bytes(t, fxBuildKitV1),
			wantType: "https://in-toto.io/Statement/v0.1",
			wantSubject: []intoto.Subject{{Name: "hello.txt", Digest: intoto.DigestSet{
				"sha256": "1b37929e66644beb58b3d28d44fba0d82aa90cab03c55a492adb81fe6e833ec8"}}},
			want: Provenance{
				PredicateType: PredicateTypeV1,
				BuildType:     "https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md",
				Builder:       Builder{ID: "https://github.com/docker/github-builder-test/actions/runs/18937328894/attempts/1"},
				InvocationID:  "7qg2yuux3iklv02ktbmbtwgeb",
				StartedOn:     mustTime(t, "2025-10-30T10:19:52.868710505Z"),
				FinishedOn:    mustTime(t, "2025-10-30T10:19:57.635810119Z"),
				Source: Source{
					URI:        "https://github.com/docker/github-builder-test.git#bdb96fcfe8cc9e3a54800bc2537a4d4a14f0c5fe",
					Repository: "https://github.com/docker/github-builder-test",
					Digest:     intoto.DigestSet{"sha1": "bdb96fcfe8cc9e3a54800bc2537a4d4a14f0c5fe"},
					Commit:     "bdb96fcfe8cc9e3a54800bc2537a4d4a14f0c5fe",
					// github_ref of the workflow, which ran in this repository
					// at this commit (github_workflow_sha).
					Ref:        "refs/heads/main",
					EntryPoint: "hello.Dockerfile",
				},
				Completeness: Completeness{Parameters: true, Materials: true},
			},
			wantInputs: []ResourceDescriptor{
				{URI: "pkg:docker/docker/buildkit-syft-scanner@stable-1", Digest: intoto.DigestSet{"sha256": "e930c2697be77cb7271d316ecfa78768b5eac73de3b16018ed38eb0ea0b5a7cb"}},
				{URI: "pkg:docker/alpine@latest?platform=linux%2Famd64", Digest: intoto.DigestSet{"sha256": "4b7ce07002c69e8f3d704a9c5d6fd3053be500b7f1c69fc0d80990c2ad8dd412"}},
				{URI: "https://github.com/docker/github-builder-test.git#bdb96fcfe8cc9e3a54800bc2537a4d4a14f0c5fe", Digest: intoto.DigestSet{"sha1": "bdb96fcfe8cc9e3a54800bc2537a4d4a14f0c5fe"}},
			},
			wantImages: []Image{
				{
					PURL:       "pkg:docker/docker/buildkit-syft-scanner@stable-1",
					Repository: "docker/buildkit-syft-scanner", Tag: "stable-1",
					Digest: "sha256:e930c2697be77cb7271d316ecfa78768b5eac73de3b16018ed38eb0ea0b5a7cb",
					Role:   ImageRoleOther, // not a source of the build definition
				},
				{
					PURL:       "pkg:docker/alpine@latest?platform=linux%2Famd64",
					Repository: "alpine", Tag: "latest",
					Digest:   "sha256:4b7ce07002c69e8f3d704a9c5d6fd3053be500b7f1c69fc0d80990c2ad8dd412",
					Platform: "linux/amd64",
					Role:     ImageRoleBase, // step0 docker-image://docker.io/library/alpine:latest@sha256:4b7c...
				},
			},
			wantBuildKit: func(t *testing.T, bk *BuildKit) {
				if bk.Frontend != "dockerfile.v0" || bk.BuilderPlatform != "linux/amd64" {
					t.Errorf("frontend, builder platform = %q, %q; want dockerfile.v0, linux/amd64", bk.Frontend, bk.BuilderPlatform)
				}
				if diff := cmp.Diff([]BuildKitSecret{{ID: "GIT_AUTH_HEADER", Optional: true}, {ID: "GIT_AUTH_TOKEN", Optional: true}}, bk.Secrets); diff != "" {
					t.Errorf("secrets (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(BuildKitCompleteness{Request: true, ResolvedDependencies: true}, bk.Completeness); diff != "" {
					t.Errorf("completeness (-want +got):\n%s", diff)
				}
				if bk.Config == nil || len(bk.Config.Definition) != 4 {
					t.Fatalf("build config = %+v, want 4 steps", bk.Config)
				}
				if got, want := bk.Config.DigestMapping["sha256:3192c1bd53f90cca959db778dcee30edc9a79f8cd3f9a2c54adc4606507fd3b6"], "step0"; got != want {
					t.Errorf("digest mapping = %q, want %q", got, want)
				}
				s1 := bk.Config.Definition[1]
				if diff := cmp.Diff([]string{"step0:0"}, s1.Inputs); s1.ID != "step1" || diff != "" {
					t.Errorf("step 1 = %s %v, want step1 [step0:0]", s1.ID, s1.Inputs)
				}
				if got, want := bk.Config.Definition[0].SourceIdentifier(), "docker-image://docker.io/library/alpine:latest@sha256:4b7ce07002c69e8f3d704a9c5d6fd3053be500b7f1c69fc0d80990c2ad8dd412"; got != want {
					t.Errorf("step0 source = %q, want %q", got, want)
				}
				if got := bk.Config.Definition[1].SourceIdentifier(); got != "" {
					t.Errorf("exec step source = %q, want none", got)
				}
				if bk.Metadata == nil || !strings.Contains(string(bk.Metadata.Layers), "sha256:2d35ebdb57d9971fea0cac1582aa78935adf8058b2cc32db163c98822e5dfa1b") {
					t.Errorf("metadata layers do not name the alpine layer: %+v", bk.Metadata)
				}
				if bk.Metadata != nil && !strings.Contains(string(bk.Metadata.Source), `"hello.Dockerfile"`) {
					t.Errorf("metadata source does not name hello.Dockerfile")
				}
			},
			wantGitHub: &GitHubWorkflow{
				Repository: "docker/github-builder-test", RepositoryID: "1040594287",
				RepositoryOwner: "docker", RepositoryOwnerID: "5429470",
				Ref: "refs/heads/main", RefType: "branch",
				WorkflowRef: "docker/github-builder-test/.github/workflows/ci.yml@refs/heads/main",
				WorkflowSHA: "bdb96fcfe8cc9e3a54800bc2537a4d4a14f0c5fe",
				EventName:   "workflow_dispatch",
				RunID:       "18937328894", RunNumber: "183", RunAttempt: "1",
				Actor: "crazy-max", ActorID: "1951866",
				RunnerEnvironment: "github-hosted",
			},
			wantEventKeys: true,
		},
		{
			name: "buildkit slsa v0.2 bare predicate from buildx metadata",
			in:   buildxPredicate(t),
			want: Provenance{
				PredicateType: PredicateTypeV02,
				BuildType:     "https://mobyproject.org/buildkit@v1",
				// No builder.id, no metadata: BuildKit wrote none.
				Source: Source{EntryPoint: "Dockerfile"},
			},
			wantInputs: []ResourceDescriptor{
				{URI: "pkg:docker/docker/dockerfile-upstream@master", Digest: intoto.DigestSet{"sha256": "70433342168dafa34d11bd7236c3c3fcf448b90539733281711050808f32e835"}},
				{URI: "pkg:docker/busybox@latest?platform=linux%2Famd64", Digest: intoto.DigestSet{"sha256": "9ae97d36d26566ff84e8893c64a6dc4fe8ca6d1144bf5b87b2b85a32def253c7"}},
			},
			wantImages: []Image{
				{
					PURL:       "pkg:docker/docker/dockerfile-upstream@master",
					Repository: "docker/dockerfile-upstream", Tag: "master",
					Digest: "sha256:70433342168dafa34d11bd7236c3c3fcf448b90539733281711050808f32e835",
					Role:   ImageRoleFrontend, // args.source docker/dockerfile-upstream:master
				},
				{
					PURL:       "pkg:docker/busybox@latest?platform=linux%2Famd64",
					Repository: "busybox", Tag: "latest",
					Digest:   "sha256:9ae97d36d26566ff84e8893c64a6dc4fe8ca6d1144bf5b87b2b85a32def253c7",
					Platform: "linux/amd64",
					Role:     ImageRoleUnknown, // no build definition (mode=min)
				},
			},
			wantBuildKit: func(t *testing.T, bk *BuildKit) {
				want := &BuildKit{
					Frontend:        "gateway.v0",
					Args:            map[string]string{"cmdline": "docker/dockerfile-upstream:master", "source": "docker/dockerfile-upstream:master"},
					Locals:          []string{"context", "dockerfile"},
					BuilderPlatform: "linux/amd64",
				}
				if diff := cmp.Diff(want, bk); diff != "" {
					t.Errorf("BuildKit (-want +got):\n%s", diff)
				}
			},
		},
		{
			name:     "slsa-github-generator generic v2.1.0 slsa v0.2",
			in:       bundleStatement(t, fxGeneratorV02),
			wantType: "https://in-toto.io/Statement/v0.1",
			wantSubject: []intoto.Subject{{Name: "gha_generic-binary-linux-amd64-v14", Digest: intoto.DigestSet{
				"sha256": "376e7e01348585b6e6643bc6663146b9d525d9b41228bf180eaeb4d4a3706caa"}}},
			want: Provenance{
				PredicateType: PredicateTypeV02,
				BuildType:     "https://github.com/slsa-framework/slsa-github-generator/generic@v1",
				Builder:       Builder{ID: "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0"},
				InvocationID:  "13530999509-1",
				Source: Source{
					URI:        "git+https://github.com/slsa-framework/example-package@refs/tags/v14",
					Repository: "https://github.com/slsa-framework/example-package",
					Digest:     intoto.DigestSet{"sha1": "4d329c75e7ec1725f7c9ce917a8799d408d06be3"},
					Commit:     "4d329c75e7ec1725f7c9ce917a8799d408d06be3",
					Ref:        "refs/tags/v14",
					EntryPoint: ".github/workflows/verifier-e2e.all.workflow_dispatch.main.all.slsa3.yml",
				},
				Completeness: Completeness{Parameters: true},
			},
			wantInputs: []ResourceDescriptor{
				{URI: "git+https://github.com/slsa-framework/example-package@refs/tags/v14", Digest: intoto.DigestSet{"sha1": "4d329c75e7ec1725f7c9ce917a8799d408d06be3"}},
			},
			wantGitHub: &GitHubWorkflow{
				RepositoryID: "486325809", RepositoryOwner: "slsa-framework", RepositoryOwnerID: "80431187",
				Ref: "refs/tags/v14", RefType: "tag",
				SHA:       "4d329c75e7ec1725f7c9ce917a8799d408d06be3", // github_sha1
				EventName: "push",
				RunID:     "13530999509", RunNumber: "114", RunAttempt: "1",
				Actor: "ramonpetgrave64", ActorID: "32398091",
			},
			wantEventKeys: true,
		},
		{
			name:     "slsa-github-generator delegator v1.10.0 slsa v1 in statement v0.1",
			in:       bundleStatement(t, fxDelegatorV1),
			wantType: "https://in-toto.io/Statement/v0.1",
			wantSubject: []intoto.Subject{{Name: "gha_delegator-binary-linux-amd64-v14", Digest: intoto.DigestSet{
				"sha256": "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"}}},
			want: Provenance{
				PredicateType: PredicateTypeV1,
				BuildType:     "https://github.com/slsa-framework/slsa-github-generator/delegator-generic@v0",
				Builder:       Builder{ID: "https://github.com/slsa-framework/example-trw/.github/workflows/builder_high-perms_slsa3.yml@refs/tags/v1.10.0"},
				InvocationID:  "https://github.com/slsa-framework/example-package/actions/runs/8374570599/attempts/1",
				// No configSource: the source is the git resolvedDependency.
				Source: Source{
					URI:        "git+https://github.com/slsa-framework/example-package@refs/tags/v14",
					Repository: "https://github.com/slsa-framework/example-package",
					Digest:     intoto.DigestSet{"gitCommit": "4e383a8215c979d61c6afd2e125cb2f559090adf"},
					Commit:     "4e383a8215c979d61c6afd2e125cb2f559090adf",
					Ref:        "refs/tags/v14",
				},
			},
			wantInputs: []ResourceDescriptor{
				{URI: "git+https://github.com/slsa-framework/example-package@refs/tags/v14", Digest: intoto.DigestSet{"gitCommit": "4e383a8215c979d61c6afd2e125cb2f559090adf"}},
			},
			wantGitHub: &GitHubWorkflow{ // GITHUB_* keys
				Repository: "slsa-framework/example-package", RepositoryID: "486325809", RepositoryOwnerID: "80431187",
				Ref: "refs/tags/v14", RefType: "tag",
				SHA:         "4e383a8215c979d61c6afd2e125cb2f559090adf",
				WorkflowRef: "slsa-framework/example-package/.github/workflows/verifier-e2e.all.workflow_dispatch.main.all.slsa3.yml@refs/tags/v14",
				WorkflowSHA: "4e383a8215c979d61c6afd2e125cb2f559090adf",
				EventName:   "push",
				RunID:       "8374570599", RunNumber: "93", RunAttempt: "1",
				ActorID: "49289",
			},
			wantEventKeys: true,
		},
		{
			name:     "google cloud build slsa v0.1 statement from a gcloud summary envelope",
			in:       gcbStatement(t),
			wantType: "https://in-toto.io/Statement/v0.1",
			wantSubject: []intoto.Subject{{
				Name:   "https://us-west2-docker.pkg.dev/gosst-scare-sandbox/quickstart-docker-repo/quickstart-image:v39",
				Digest: intoto.DigestSet{"sha256": "f472ca4b68898c951ac3b476cba919d0d56fca4ced631fabcead51e4b2b690e7"},
			}},
			want: Provenance{
				PredicateType: PredicateTypeV01,
				BuildType:     "https://cloudbuild.googleapis.com/CloudBuildYaml@v0.1",
				Builder:       Builder{ID: "https://cloudbuild.googleapis.com/GoogleHostedWorker@v0.3"},
				InvocationID:  "11f6c682-3451-4f72-ac2a-8e386eab66af",
				StartedOn:     mustTime(t, "2022-09-06T17:54:10.226833361Z"),
				FinishedOn:    mustTime(t, "2022-09-06T17:54:22.169342Z"),
				Source: Source{
					URI:        "https://github.com/laurentsimon/gcb-tests",
					Repository: "https://github.com/laurentsimon/gcb-tests",
					Digest:     intoto.DigestSet{"sha1": "01ce393d04eb6df2a7b2b3e95d4126e687afb7ae"},
					Commit:     "01ce393d04eb6df2a7b2b3e95d4126e687afb7ae",
					EntryPoint: "cloudbuild.yaml",
				},
			},
			wantInputs: []ResourceDescriptor{
				{URI: "https://github.com/laurentsimon/gcb-tests", Digest: intoto.DigestSet{"sha1": "01ce393d04eb6df2a7b2b3e95d4126e687afb7ae"}},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st, err := Parse(tc.in)
			if err != nil {
				t.Fatalf("Parse() error = %v", err)
			}
			if st.VSA != nil || st.Provenance == nil {
				t.Fatalf("Parse() = provenance %v, VSA %v; want provenance only", st.Provenance != nil, st.VSA != nil)
			}
			if st.Type != tc.wantType || st.PredicateType != tc.want.PredicateType {
				t.Errorf("statement type, predicate type = %q, %q; want %q, %q", st.Type, st.PredicateType, tc.wantType, tc.want.PredicateType)
			}
			if diff := cmp.Diff(tc.wantSubject, st.Subject); diff != "" {
				t.Errorf("subjects (-want +got):\n%s", diff)
			}
			p := st.Provenance
			if diff := cmp.Diff(tc.want, *p, ignoreRaw); diff != "" {
				t.Errorf("provenance (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantInputs, p.Inputs); diff != "" {
				t.Errorf("inputs (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantImages, p.Images); diff != "" {
				t.Errorf("images (-want +got):\n%s", diff)
			}
			if (p.BuildKit != nil) != (tc.wantBuildKit != nil) {
				t.Fatalf("BuildKit = %v, want set: %v", p.BuildKit, tc.wantBuildKit != nil)
			}
			if tc.wantBuildKit != nil {
				tc.wantBuildKit(t, p.BuildKit)
			}
			var gotGitHub *GitHubWorkflow
			if p.GitHub != nil {
				g := *p.GitHub
				if tc.wantEventKeys && (len(g.EventPayload) == 0 || g.EventPayload[0] != '{') {
					t.Errorf("GitHub event payload = %.40s, want a JSON object", g.EventPayload)
				}
				g.EventPayload = nil
				gotGitHub = &g
			}
			if diff := cmp.Diff(tc.wantGitHub, gotGitHub); diff != "" {
				t.Errorf("GitHub (-want +got):\n%s", diff)
			}
			if !json.Valid(p.Predicate) {
				t.Errorf("Predicate is not JSON")
			}
			if p.Parameters != nil && !json.Valid(p.Parameters) {
				t.Errorf("Parameters is not JSON")
			}
		})
	}
}

// TestParseRawFieldsKept checks that version-specific fields this package
// does not model stay reachable.
func TestParseRawFieldsKept(t *testing.T) {
	t.Parallel()
	st, err := Parse(gcbStatement(t))
	if err != nil {
		t.Fatal(err)
	}
	var args struct {
		Substitutions map[string]string `json:"substitutions"`
	}
	if err := json.Unmarshal(st.Provenance.Parameters, &args); err != nil {
		t.Fatal(err)
	}
	if got, want := args.Substitutions["TAG_NAME"], "v39"; got != want {
		t.Errorf("recipe.arguments.substitutions.TAG_NAME = %q, want %q", got, want)
	}

	st, err = Parse(bundleStatement(t, fxDelegatorV1))
	if err != nil {
		t.Fatal(err)
	}
	var ext struct {
		Inputs map[string]any `json:"inputs"`
	}
	if err := json.Unmarshal(st.Provenance.Parameters, &ext); err != nil {
		t.Fatal(err)
	}
	if got, want := ext.Inputs["artifact"], "gha_delegator-binary-linux-amd64-v14"; got != want {
		t.Errorf("externalParameters.inputs.artifact = %v, want %q", got, want)
	}
}

func TestParseVSA(t *testing.T) {
	t.Parallel()
	st, err := Parse(dssePayload(t, fixture.Bytes(t, fxGoogleVSA)))
	if err != nil {
		t.Fatal(err)
	}
	if st.Provenance != nil || st.VSA == nil {
		t.Fatalf("Parse() = provenance %v, VSA %v; want VSA only", st.Provenance != nil, st.VSA != nil)
	}
	if st.Type != "https://in-toto.io/Statement/v1" || st.PredicateType != PredicateTypeVSAV1 {
		t.Errorf("statement type, predicate type = %q, %q", st.Type, st.PredicateType)
	}
	if diff := cmp.Diff([]intoto.Subject{{Name: "_", Digest: intoto.DigestSet{"gce_image_id": "8970095005306000053"}}}, st.Subject); diff != "" {
		t.Errorf("subjects (-want +got):\n%s", diff)
	}
	want := VerificationSummary{
		Verifier:     VSAVerifier{ID: "https://bcid.corp.google.com/verifier/bcid_package_enforcer/v0.1"},
		TimeVerified: mustTime(t, "2024-06-12T07:24:34.351608Z"),
		ResourceURI:  "gce_image://gke-node-images:gke-12615-gke1418000-cos-101-17162-463-29-c-cgpv1-pre",
		Policy: ResourceDescriptor{
			URI: "googlefile:/google_src/files/642513192/depot/google3/production/security/bcid/software/gce_image/gke/vm_images.sw_policy.textproto",
		},
		Result:         ResultPassed,
		VerifiedLevels: []string{"BCID_L1", "SLSA_BUILD_LEVEL_2"},
	}
	if diff := cmp.Diff(want, *st.VSA, cmpopts.IgnoreFields(VerificationSummary{}, "Predicate")); diff != "" {
		t.Errorf("VSA (-want +got):\n%s", diff)
	}
	if lvl, ok := st.VSA.Level(TrackBuild); !ok || lvl != 2 {
		t.Errorf("Level(BUILD) = %d, %v; want 2, true", lvl, ok)
	}
	if _, ok := st.VSA.Level(TrackSource); ok {
		t.Errorf("Level(SOURCE) found, want none")
	}
}

// TestParseHandMade covers shapes the real fixtures lack, in small documents
// written for this test after the published formats.
func TestParseHandMade(t *testing.T) {
	t.Parallel()
	const dhiBash = "sha256:5f0e9d2d3b1ad4d7c0fa4e32ee0e3a56e0f8e3c09a8e34c1c5a8a4ff22cf1b43"
	tests := []struct {
		name string
		in   string
		// check asserts on the parsed provenance.
		check func(t *testing.T, p *Provenance)
	}{
		{
			// BuildKit SLSA v1, mode=max, of an image built FROM a DHI
			// image from a local context: the base is named by a
			// pkg:docker/dhi.io purl (the form dhi-metadata.md quotes),
			// and the source only by buildx's vcs hints.
			name: "buildkit v1 image built from a dhi base, local context",
			in: `{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://slsa.dev/provenance/v1",
			"subject":[{"name":"pkg:docker/example/app@1.0","digest":{"sha256":"aa"}}],
			"predicate":{"buildDefinition":{
				"buildType":"https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md",
				"externalParameters":{"configSource":{"path":"Dockerfile"},"request":{"frontend":"dockerfile.v0","args":{"build-arg:V":"1"},"locals":[{"name":"context"},{"name":"dockerfile"}]}},
				"internalParameters":{"builderPlatform":"linux/arm64","buildConfig":{"llbDefinition":[
					{"id":"step0","op":{"Op":{"source":{"identifier":"docker-image://dhi.io/bash:5-alpine3.24@` + dhiBash + `"}}}},
					{"id":"step1","op":{"Op":{"exec":{}}},"inputs":["step0:0"]}]}},
				"resolvedDependencies":[{"uri":"pkg:docker/dhi.io/bash@5-alpine3.24?digest=` + dhiBash + `&platform=linux%2Farm64","digest":{"sha256":"` + dhiBash[7:] + `"}},
					{"uri":"https://github.com/other/added.git#main","digest":{"sha1":"1111111111111111111111111111111111111111"}}]},
			"runDetails":{"builder":{"id":""},"metadata":{"invocationID":"x1","buildkit_metadata":{"vcs":{"source":"https://github.com/example/app.git","revision":"0123456789abcdef0123456789abcdef01234567","localdir:context":"."}},
				"buildkit_hermetic":true,"buildkit_completeness":{"request":true,"resolvedDependencies":false}}}}}`,
			check: func(t *testing.T, p *Provenance) {
				want := []Image{{
					PURL:       "pkg:docker/dhi.io/bash@5-alpine3.24?digest=" + dhiBash + "&platform=linux%2Farm64",
					Repository: "dhi.io/bash", Tag: "5-alpine3.24", Digest: dhiBash, Platform: "linux/arm64",
					Role: ImageRoleBase,
				}}
				if diff := cmp.Diff(want, p.Images); diff != "" {
					t.Errorf("images (-want +got):\n%s", diff)
				}
				if got := p.Images[0].Reference(); got != "dhi.io/bash:5-alpine3.24@"+dhiBash {
					t.Errorf("Reference() = %q", got)
				}
				// Not the git repository the build fetched with ADD.
				wantSrc := Source{
					URI: "https://github.com/example/app.git", Repository: "https://github.com/example/app",
					Commit: "0123456789abcdef0123456789abcdef01234567", EntryPoint: "Dockerfile", Hint: true,
				}
				if diff := cmp.Diff(wantSrc, p.Source); diff != "" {
					t.Errorf("source (-want +got):\n%s", diff)
				}
				if !p.BuildKit.Hermetic || p.BuildKit.BuilderPlatform != "linux/arm64" || p.Completeness != (Completeness{Parameters: true}) {
					t.Errorf("hermetic, platform, completeness = %v, %q, %+v", p.BuildKit.Hermetic, p.BuildKit.BuilderPlatform, p.Completeness)
				}
				if p.GitHub != nil {
					t.Errorf("GitHub = %+v, want nil", p.GitHub)
				}
			},
		},
		{
			// A DHI-shaped SLSA v0.2 predicate: every apk installed is a
			// https://dhi.io/apk/... material with its sha256
			// (dhi-metadata.md §1.3, §4.8), and the v0.2 BuildKit metadata
			// extension under its URI key.
			name: "v0.2 with dhi apk materials and buildkit metadata",
			in: `{"buildType":"https://mobyproject.org/buildkit@v1","builder":{"id":"https://dhi.example/builder"},
			"invocation":{"configSource":{"uri":"https://github.com/example/images.git#refs/heads/main:image/bash","digest":{"sha1":"89abcdef0123456789abcdef0123456789abcdef"},"entryPoint":"Dockerfile"},
				"parameters":{"frontend":"dockerfile.v0"},"environment":{"platform":"linux/arm64"}},
			"metadata":{"buildInvocationID":"inv1","buildStartedOn":"2026-01-02T03:04:05Z","completeness":{"parameters":true,"environment":true,"materials":true},"reproducible":true,
				"https://mobyproject.org/buildkit@v1#metadata":{"vcs":{"source":"ignored"}},"https://mobyproject.org/buildkit@v1#hermetic":true},
			"materials":[
				{"uri":"https://dhi.io/apk/alpine/v3.23/main/aarch64/bash-5.3.3-r0.apk","digest":{"sha256":"1111111111111111111111111111111111111111111111111111111111111111"}},
				{"uri":"https://dhi.io/apk/alpine/v3.23/main/aarch64/musl-1.2.5-r10.apk","digest":{"sha256":"2222222222222222222222222222222222222222222222222222222222222222"}}]}`,
			check: func(t *testing.T, p *Provenance) {
				if p.PredicateType != PredicateTypeV02 || p.Builder.ID != "https://dhi.example/builder" {
					t.Errorf("predicate type, builder = %q, %q", p.PredicateType, p.Builder.ID)
				}
				if got := p.Inputs[1]; got.URI != "https://dhi.io/apk/alpine/v3.23/main/aarch64/musl-1.2.5-r10.apk" ||
					got.Digest["sha256"] != "2222222222222222222222222222222222222222222222222222222222222222" {
					t.Errorf("input 1 = %+v", got)
				}
				if len(p.Images) != 0 {
					t.Errorf("images = %+v, want none", p.Images)
				}
				wantSrc := Source{
					URI:        "https://github.com/example/images.git#refs/heads/main:image/bash",
					Repository: "https://github.com/example/images", Ref: "refs/heads/main",
					Digest: intoto.DigestSet{"sha1": "89abcdef0123456789abcdef0123456789abcdef"}, Commit: "89abcdef0123456789abcdef0123456789abcdef",
					EntryPoint: "Dockerfile",
				}
				if diff := cmp.Diff(wantSrc, p.Source); diff != "" {
					t.Errorf("source (-want +got):\n%s", diff)
				}
				if p.InvocationID != "inv1" || !p.StartedOn.Equal(mustTime(t, "2026-01-02T03:04:05Z")) || !p.FinishedOn.IsZero() {
					t.Errorf("invocation, started, finished = %q, %v, %v", p.InvocationID, p.StartedOn, p.FinishedOn)
				}
				if p.Completeness != (Completeness{true, true, true}) || !p.Reproducible {
					t.Errorf("completeness, reproducible = %+v, %v", p.Completeness, p.Reproducible)
				}
				bk := p.BuildKit
				if !bk.Hermetic || bk.Metadata == nil || bk.Metadata.VCS["source"] != "ignored" ||
					bk.Completeness != (BuildKitCompleteness{Request: true, ResolvedDependencies: true}) {
					t.Errorf("BuildKit = %+v", bk)
				}
			},
		},
		{
			// GitHub's build type (actions/attest-build-provenance):
			// externalParameters.workflow and internalParameters.github.
			name: "github actions workflow build type",
			in: `{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://slsa.dev/provenance/v1","subject":[],
			"predicate":{"buildDefinition":{"buildType":"https://actions.github.io/buildtypes/workflow/v1",
				"externalParameters":{"workflow":{"ref":"refs/heads/main","repository":"https://github.com/octo/app","path":".github/workflows/release.yml"}},
				"internalParameters":{"github":{"event_name":"push","repository_id":"42","repository_owner_id":"7","runner_environment":"github-hosted"}},
				"resolvedDependencies":[{"uri":"git+https://github.com/octo/app@refs/heads/main","digest":{"gitCommit":"fedcba9876543210fedcba9876543210fedcba98"}}]},
			"runDetails":{"builder":{"id":"https://github.com/actions/runner/github-hosted"},"metadata":{"invocationId":"https://github.com/octo/app/actions/runs/123/attempts/2"}}}}`,
			check: func(t *testing.T, p *Provenance) {
				wantSrc := Source{
					URI: "https://github.com/octo/app", Repository: "https://github.com/octo/app", Ref: "refs/heads/main",
					Digest: intoto.DigestSet{"gitCommit": "fedcba9876543210fedcba9876543210fedcba98"}, Commit: "fedcba9876543210fedcba9876543210fedcba98",
					EntryPoint: ".github/workflows/release.yml",
				}
				if diff := cmp.Diff(wantSrc, p.Source); diff != "" {
					t.Errorf("source (-want +got):\n%s", diff)
				}
				wantGH := &GitHubWorkflow{
					Repository: "octo/app", RepositoryID: "42", RepositoryOwnerID: "7", Ref: "refs/heads/main",
					WorkflowPath: ".github/workflows/release.yml", EventName: "push", RunID: "123", RunAttempt: "2",
					RunnerEnvironment: "github-hosted",
				}
				if diff := cmp.Diff(wantGH, p.GitHub); diff != "" {
					t.Errorf("GitHub (-want +got):\n%s", diff)
				}
				if p.BuildKit != nil {
					t.Errorf("BuildKit = %+v, want nil", p.BuildKit)
				}
			},
		},
		{
			// Fields whose shape the build type defines may be anything:
			// an unexpected shape leaves the typed view empty and the raw
			// JSON intact.
			name: "buildkit fields of unexpected shapes",
			in: `{"buildDefinition":{"buildType":"https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md",
				"externalParameters":{"configSource":"not an object","request":[1]},
				"internalParameters":{"buildConfig":"x","builderPlatform":7,"github_run_id":12},
				"resolvedDependencies":[{"uri":"pkg:docker/"},{"uri":"pkg:docker/%zz"}]},
			"runDetails":{"builder":{"id":"b"},"metadata":{"buildkit_completeness":{"request":"yes"},"buildkit_metadata":[],"extra":{"x":1}}},
			"extension":{"y":2}}`,
			check: func(t *testing.T, p *Provenance) {
				if diff := cmp.Diff(&BuildKit{}, p.BuildKit); diff != "" {
					t.Errorf("BuildKit (-want +got):\n%s", diff)
				}
				if p.GitHub == nil || p.GitHub.RunID != "12" {
					t.Errorf("GitHub = %+v, want run ID 12", p.GitHub)
				}
				if len(p.Images) != 0 || len(p.Inputs) != 2 {
					t.Errorf("images, inputs = %d, %d; want 0, 2", len(p.Images), len(p.Inputs))
				}
				if !strings.Contains(string(p.Predicate), `"extension":{"y":2}`) || !strings.Contains(string(p.Environment), `"buildConfig":"x"`) {
					t.Errorf("raw JSON lost: %s", p.Predicate)
				}
			},
		},
		{
			// The SLSA v1 shape of earlier BuildKit releases (BuildKit's
			// solver/llbsolver/provenance/types before buildkit_* names):
			// request under externalParameters.parameters, buildConfig in
			// externalParameters, the platform in
			// internalParameters.environment, metadata under URI keys.
			name: "buildkit v1 of earlier releases",
			in: `{"buildDefinition":{"buildType":"https://mobyproject.org/buildkit@v1",
				"externalParameters":{"configSource":{"uri":"https://github.com/org/repo.git#v1.2.3","digest":{"sha1":"0123456789abcdef0123456789abcdef01234567"},"path":"Dockerfile"},
					"parameters":{"frontend":"gateway.v0","args":{"source":"docker/dockerfile:1@sha256:` + strings.Repeat("c", 64) + `"}},
					"buildConfig":{"llbDefinition":[{"id":"step0","op":{"Op":{"source":{"identifier":"docker-image://docker.io/library/golang:1.25"}}}}]}},
				"internalParameters":{"environment":{"platform":"linux/amd64"}},
				"resolvedDependencies":[
					{"uri":"pkg:docker/docker/dockerfile@1","digest":{"sha256":"` + strings.Repeat("c", 64) + `"}},
					{"uri":"pkg:docker/golang@1.25?platform=linux%2Famd64","digest":{"sha256":"` + strings.Repeat("d", 64) + `"}},
					{"uri":"pkg:docker/busybox@latest","digest":{"sha256":"` + strings.Repeat("e", 64) + `"}}]},
			"runDetails":{"builder":{"id":"https://example.com/ci"},"metadata":{
				"https://mobyproject.org/buildkit@v1#metadata":{"vcs":{"revision":"r"}},
				"https://mobyproject.org/buildkit@v1#hermetic":true,
				"https://mobyproject.org/buildkit@v1#completeness":{"parameters":true,"environment":true,"materials":true},
				"https://mobyproject.org/buildkit@v1#reproducible":true}}}`,
			check: func(t *testing.T, p *Provenance) {
				bk := p.BuildKit
				if bk.BuilderPlatform != "linux/amd64" || !bk.Hermetic || !bk.Reproducible || bk.Metadata.VCS["revision"] != "r" ||
					bk.Completeness != (BuildKitCompleteness{Request: true, ResolvedDependencies: true}) || bk.Config == nil {
					t.Errorf("BuildKit = %+v", bk)
				}
				var roles []ImageRole
				for _, img := range p.Images {
					roles = append(roles, img.Role)
				}
				if diff := cmp.Diff([]ImageRole{ImageRoleFrontend, ImageRoleBase, ImageRoleOther}, roles); diff != "" {
					t.Errorf("image roles (-want +got):\n%s", diff)
				}
				if p.Source.Ref != "v1.2.3" || p.Source.Repository != "https://github.com/org/repo" || !p.Reproducible {
					t.Errorf("source, reproducible = %+v, %v", p.Source, p.Reproducible)
				}
			},
		},
		{
			// cosign's legacy {"Data": ...} wrapper around a v0.2
			// predicate.
			name: "cosign legacy predicate wrapper",
			in: `{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://slsa.dev/provenance/v0.2","subject":[{"name":"x","digest":{"sha256":"bb"}}],
			"predicate":{"Data":"{\"buildType\":\"https://example.com/t\",\"builder\":{\"id\":\"https://example.com/b\"}}","Timestamp":"2023-01-01T00:00:00Z"}}`,
			check: func(t *testing.T, p *Provenance) {
				if p.BuildType != "https://example.com/t" || p.Builder.ID != "https://example.com/b" {
					t.Errorf("build type, builder = %q, %q", p.BuildType, p.Builder.ID)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st, err := Parse([]byte(tc.in))
			if err != nil {
				t.Fatalf("Parse() error = %v", err)
			}
			if st.Provenance == nil {
				t.Fatal("Parse() gave no provenance")
			}
			tc.check(t, st.Provenance)
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	const stmt = `{"_type":"https://in-toto.io/Statement/v1","subject":[],"predicateType":%q,"predicate":%s}`
	tests := []struct {
		name    string
		in      []byte
		want    error
		wantMsg string
	}{
		{"empty", nil, ErrInvalid, "empty input"},
		{"array", []byte(`[{"buildType":"x"}]`), ErrInvalid, "not a JSON object"},
		{"truncated", []byte(`{"buildType":`), ErrInvalid, ""},
		{"empty object", []byte(`{}`), ErrUnsupported, "not a SLSA provenance"},
		{"unknown predicate type", fmtBytes(stmt, "https://spdx.dev/Document", `{}`), ErrUnsupported, `"https://spdx.dev/Document"`},
		{"no predicate type", []byte(`{"_type":"https://in-toto.io/Statement/v1","predicate":{}}`), ErrUnsupported, "no predicate type"},
		{"null predicate", fmtBytes(stmt, PredicateTypeV1, `null`), ErrInvalid, "no predicate"},
		{"predicate is an array", fmtBytes(stmt, PredicateTypeV1, `[]`), ErrInvalid, "SLSA provenance v1"},
		{"v1 type with v0.2 predicate", fmtBytes(stmt, PredicateTypeV1, `{"buildType":"x","materials":[]}`), ErrInvalid, "fields of an earlier version"},
		{"v0.2 type with v1 predicate", fmtBytes(stmt, PredicateTypeV02, `{"buildDefinition":{"buildType":"x"}}`), ErrInvalid, "fields of v1"},
		{"v0.2 type with v0.1 predicate", fmtBytes(stmt, PredicateTypeV02, `{"recipe":{"type":"x"}}`), ErrInvalid, "fields of v0.1"},
		{"v1 without buildType", fmtBytes(stmt, PredicateTypeV1, `{"buildDefinition":{},"runDetails":{}}`), ErrInvalid, "buildDefinition.buildType"},
		{"v1 without buildDefinition", fmtBytes(stmt, PredicateTypeV1, `{"runDetails":{}}`), ErrInvalid, "no buildDefinition"},
		{"v0.2 without buildType", fmtBytes(stmt, PredicateTypeV02, `{"builder":{"id":"b"}}`), ErrInvalid, "no buildType"},
		{"v0.1 empty", fmtBytes(stmt, PredicateTypeV01, `{}`), ErrInvalid, "no recipe"},
		{"v1 dependencies not a list", []byte(`{"buildDefinition":{"buildType":"x","resolvedDependencies":{"uri":"a"}}}`), ErrInvalid, "resolvedDependencies"},
		{"v1 bad start time", []byte(`{"buildDefinition":{"buildType":"x"},"runDetails":{"metadata":{"startedOn":"yesterday"}}}`), ErrInvalid, "runDetails.metadata.startedOn"},
		{"v0.2 bad finish time", []byte(`{"buildType":"x","metadata":{"buildFinishedOn":"2020-13-01T00:00:00Z"}}`), ErrInvalid, "metadata.buildFinishedOn"},
		{"v0.2 digest not strings", []byte(`{"buildType":"x","materials":[{"uri":"a","digest":{"sha256":1}}]}`), ErrInvalid, ""},
		{"vsa without verifier id", fmtBytes(stmt, PredicateTypeVSAV1, `{"verifier":{},"verificationResult":"PASSED"}`), ErrInvalid, "verifier.id"},
		{"vsa bad result", fmtBytes(stmt, PredicateTypeVSAV1, `{"verifier":{"id":"v"},"verificationResult":"OK"}`), ErrInvalid, `"OK"`},
		{"vsa bad time", []byte(`{"verifier":{"id":"v"},"verificationResult":"PASSED","timeVerified":"now"}`), ErrInvalid, "timeVerified"},
		{"vsa v0.2", []byte(`{"verifier":{"id":"v"},"verification_result":"PASSED","policy_level":"SLSA_LEVEL_3"}`), ErrUnsupported, "VSA v0.2"},
		{"unknown statement type", []byte(`{"_type":"https://in-toto.io/Statement/v9","predicate":{}}`), ErrUnsupported, "Statement/v9"},
		{"dsse envelope", fixture.Bytes(t, fxGoogleVSA), ErrUnsupported, "DSSE envelope"},
		{"sigstore bundle v0.3", fixture.Bytes(t, fxGeneratorV02), ErrUnsupported, "sigstore bundle"},
		{"sigstore bundle v0.1", fixture.Bytes(t, fxDelegatorV1), ErrUnsupported, "sigstore bundle"},
		{"gcloud provenance summary", fixture.Bytes(t, fxGCB), ErrUnsupported, "gcloud provenance summary"},
		{"buildx metadata file", fixture.Bytes(t, fxBuildxMeta), ErrUnsupported, "buildx.build.provenance"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st, err := Parse(tc.in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Parse() = %+v, %v; want error %v", st, err, tc.want)
			}
			if st != nil {
				t.Errorf("Parse() returned a statement with an error")
			}
			if !strings.HasPrefix(err.Error(), "provenance: ") || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("Parse() error = %q, want prefix \"provenance: \" and %q", err, tc.wantMsg)
			}
		})
	}
}

func TestParsePredicate(t *testing.T) {
	t.Parallel()
	var st struct {
		PredicateType string          `json:"predicateType"`
		Predicate     json.RawMessage `json:"predicate"`
	}
	if err := json.Unmarshal(bundleStatement(t, fxDelegatorV1), &st); err != nil {
		t.Fatal(err)
	}
	got, err := ParsePredicate(st.PredicateType, st.Predicate)
	if err != nil {
		t.Fatal(err)
	}
	if got.Type != "" || got.Subject != nil || got.Provenance == nil ||
		got.Provenance.Builder.ID != "https://github.com/slsa-framework/example-trw/.github/workflows/builder_high-perms_slsa3.yml@refs/tags/v1.10.0" {
		t.Errorf("ParsePredicate() = %+v", got)
	}
	if _, err := ParsePredicate(PredicateTypeV1, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("ParsePredicate(nil) error = %v, want ErrInvalid", err)
	}
}

func TestSplitSourceURI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in                string
		repo, ref, commit string
		key               string
	}{
		{"git+https://github.com/org/repo@refs/tags/v1", "https://github.com/org/repo", "refs/tags/v1", "", "github.com/org/repo"},
		{"https://github.com/org/repo.git#bdb96fcfe8cc9e3a54800bc2537a4d4a14f0c5fe", "https://github.com/org/repo", "", "bdb96fcfe8cc9e3a54800bc2537a4d4a14f0c5fe", "github.com/org/repo"},
		{"https://github.com/moby/buildkit.git#refs/tags/v0.11.0", "https://github.com/moby/buildkit", "refs/tags/v0.11.0", "", "github.com/moby/buildkit"},
		{"https://github.com/org/repo.git#main:sub/dir", "https://github.com/org/repo", "main", "", "github.com/org/repo"},
		{"https://user@GitHub.com/org/repo/", "https://user@GitHub.com/org/repo", "", "", "github.com/org/repo"},
		{"git@github.com:org/repo.git", "git@github.com:org/repo", "", "", "github.com/org/repo"},
		{"github.com/org/repo@refs/heads/dev", "github.com/org/repo", "refs/heads/dev", "", "github.com/org/repo"},
		{"ssh://git@gitlab.example/group/sub/repo.git", "ssh://git@gitlab.example/group/sub/repo", "", "", "gitlab.example/group/sub/repo"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			repo, ref, commit := splitSourceURI(tc.in)
			if repo != tc.repo || ref != tc.ref || commit != tc.commit {
				t.Errorf("splitSourceURI(%q) = %q, %q, %q; want %q, %q, %q", tc.in, repo, ref, commit, tc.repo, tc.ref, tc.commit)
			}
			if got := repositoryKey(tc.in); got != tc.key {
				t.Errorf("repositoryKey(%q) = %q, want %q", tc.in, got, tc.key)
			}
		})
	}
}

func TestEnums(t *testing.T) {
	t.Parallel()
	for _, c := range Expectations() {
		if !c.Valid() {
			t.Errorf("Check %q not valid", c)
		}
	}
	for _, r := range ImageRoles() {
		if !r.Valid() {
			t.Errorf("ImageRole %q not valid", r)
		}
	}
	for _, r := range VerificationResults() {
		if !r.Valid() {
			t.Errorf("VerificationResult %q not valid", r)
		}
	}
	if Expectation("x").Valid() || ImageRole("x").Valid() || VerificationResult("passed").Valid() {
		t.Error("an unknown value is valid")
	}
}

func TestParseTrackLevel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want TrackLevel
		ok   bool
	}{
		{"SLSA_BUILD_LEVEL_3", TrackLevel{TrackBuild, 3}, true},
		{"SLSA_SOURCE_LEVEL_1", TrackLevel{TrackSource, 1}, true},
		{"SLSA_BUILD_LEVEL_", TrackLevel{}, false},
		{"SLSA_LEVEL_3", TrackLevel{}, false},
		{"BCID_L1", TrackLevel{}, false},
		{"SLSA_build_LEVEL_2", TrackLevel{}, false},
		{"SLSA_BUILD_LEVEL_x", TrackLevel{}, false},
		{"FAILED", TrackLevel{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, ok := ParseTrackLevel(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("ParseTrackLevel(%q) = %+v, %v; want %+v, %v", tc.in, got, ok, tc.want, tc.ok)
			}
			if ok && got.String() != tc.in {
				t.Errorf("String() = %q, want %q", got.String(), tc.in)
			}
		})
	}
}

func fmtBytes(format string, args ...any) []byte {
	return []byte(fmt.Sprintf(format, args...))
}

// TestSourceRefFromGitHub checks that the GitHub workflow's ref is taken as
// the source ref only when the workflow ran in the source repository at the
// source commit.
func TestSourceRefFromGitHub(t *testing.T) {
	t.Parallel()
	const commit = "bdb96fcfe8cc9e3a54800bc2537a4d4a14f0c5fe"
	cand := sourceCandidate{uri: "https://github.com/org/app.git#" + commit, digest: intoto.DigestSet{"sha1": commit}}
	tests := []struct {
		name string
		gh   *GitHubWorkflow
		want string
	}{
		{"same repository, workflow commit", &GitHubWorkflow{Repository: "org/app", Ref: "refs/heads/main", WorkflowSHA: commit}, "refs/heads/main"},
		{"same repository in another case, trigger commit", &GitHubWorkflow{Repository: "Org/App", Ref: "refs/heads/main", SHA: commit}, "refs/heads/main"},
		{"another repository", &GitHubWorkflow{Repository: "org/other", Ref: "refs/heads/main", SHA: commit}, ""},
		{"another commit", &GitHubWorkflow{Repository: "org/app", Ref: "refs/heads/main", SHA: "0123456789abcdef0123456789abcdef01234567"}, ""},
		{"no GitHub details", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := buildSource(cand, nil, nil, tc.gh).Ref; got != tc.want {
				t.Errorf("Ref = %q, want %q", got, tc.want)
			}
		})
	}
}
