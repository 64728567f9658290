package provenance_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log"

	"github.com/dhisdk/dhisdk/dhi/dhitest/sampledata"
	"github.com/dhisdk/dhisdk/provenance"
)

// Parse reads BuildKit's SLSA v1 provenance (mode=max) from an in-toto
// statement and answers: who built it, from what source, from which images.
func ExampleParse() {
	b, err := sampledata.Read("slsa-provenance/buildkit_slsa1_mode-max.intoto-statement.json")
	if err != nil {
		log.Fatal(err)
	}
	st, err := provenance.Parse(b)
	if err != nil {
		log.Fatal(err)
	}
	p := st.Provenance
	fmt.Println("predicate:", st.PredicateType)
	fmt.Println("subject:", st.Subject[0].Name)
	fmt.Println("builder:", p.Builder.ID)
	fmt.Println("source:", p.Source.Repository, p.Source.Ref, p.Source.Commit[:12])
	fmt.Println("dockerfile:", p.Source.EntryPoint)
	for _, img := range p.Images {
		fmt.Printf("image: %s %s (%s)\n", img.Repository, img.Digest[:19], img.Role)
	}
	fmt.Println("workflow:", p.GitHub.WorkflowRef)
	// Output:
	// predicate: https://slsa.dev/provenance/v1
	// subject: hello.txt
	// builder: https://github.com/docker/github-builder-test/actions/runs/18937328894/attempts/1
	// source: https://github.com/docker/github-builder-test refs/heads/main bdb96fcfe8cc
	// dockerfile: hello.Dockerfile
	// image: docker/buildkit-syft-scanner sha256:e930c2697be7 (other)
	// image: alpine sha256:4b7ce07002c6 (base)
	// workflow: docker/github-builder-test/.github/workflows/ci.yml@refs/heads/main
}

// Check compares a provenance with the builder and source a caller expects,
// and lists every mismatch in a *PolicyError.
func ExampleProvenance_CheckPolicy() {
	b, err := sampledata.Read("slsa-provenance/buildkit_slsa1_mode-max.intoto-statement.json")
	if err != nil {
		log.Fatal(err)
	}
	st, err := provenance.Parse(b)
	if err != nil {
		log.Fatal(err)
	}
	err = st.Provenance.CheckPolicy(provenance.BuildPolicy{
		SourceRepository: "github.com/docker/github-builder-test",
		SourceRef:        "refs/heads/main",
	})
	fmt.Println("expected source:", err)

	err = st.Provenance.CheckPolicy(provenance.BuildPolicy{
		BuilderIDs:       []string{"https://github.com/docker/buildx"},
		SourceRepository: "github.com/docker/buildx",
		SourceRef:        "refs/heads/main",
	})
	var pe *provenance.PolicyError
	if errors.As(err, &pe) {
		for _, m := range pe.Mismatches {
			fmt.Println("mismatch:", m.Expectation)
		}
	}
	// Output:
	// expected source: <nil>
	// mismatch: builder-id
	// mismatch: source-repository
}

// Check on a verification summary requires a PASSED result and, here, a
// minimum SLSA build level.
func ExampleVerificationSummary_CheckPolicy() {
	b, err := sampledata.Read("vsa/google-gce_gke-gce-pre.bcid-vsa.dsse.json")
	if err != nil {
		log.Fatal(err)
	}
	// The VSA comes in a DSSE envelope; its payload is the statement.
	var env struct {
		Payload string `json:"payload"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		log.Fatal(err)
	}
	payload, err := base64.StdEncoding.DecodeString(env.Payload)
	if err != nil {
		log.Fatal(err)
	}
	st, err := provenance.Parse(payload)
	if err != nil {
		log.Fatal(err)
	}
	vsa := st.VSA
	level, _ := vsa.Level(provenance.TrackBuild)
	fmt.Println(vsa.Verifier.ID, vsa.Result, "build level", level)

	verifier := []string{"https://bcid.corp.google.com/verifier/bcid_package_enforcer/v0.1"}
	fmt.Println(vsa.CheckPolicy(provenance.VSAPolicy{
		VerifierIDs: verifier,
		MinLevels:   []provenance.TrackLevel{{Track: provenance.TrackBuild, Level: 2}},
	}))
	fmt.Println(vsa.CheckPolicy(provenance.VSAPolicy{
		VerifierIDs: verifier,
		MinLevels:   []provenance.TrackLevel{{Track: provenance.TrackBuild, Level: 3}},
	}))
	// Output:
	// https://bcid.corp.google.com/verifier/bcid_package_enforcer/v0.1 PASSED build level 2
	// <nil>
	// provenance: policy not met: verified-level: got "BCID_L1,SLSA_BUILD_LEVEL_2", want SLSA_BUILD_LEVEL_3 or higher
}
