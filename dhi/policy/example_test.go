package policy_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"testing/fstest"
	"time"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/dhi/policy"
)

// nonRoot is a policy in the style of Docker's DHI policies.
const nonRoot = `# METADATA
# title: Runs as a non-root user
# custom:
#   name: non-root-user
#   result_type: generic
#   not_compliant_title: Default user is root
#   details_order:
#   - user
package docker.scout

import rego.v1

default pass := false

pass if count(violation) == 0

violation contains v if {
	user := object.get(input.source.image.config.config, "User", "")
	user in {"", "root", "0"}
	v := {"message": "the default user is root", "detail": {"user": user}}
}
`

// signedSBOM checks that a verified SPDX SBOM is about the image.
const signedSBOM = `# METADATA
# title: Signed SBOM
# custom:
#   name: signed-sbom
#   result_type: generic
#   not_compliant_title: No signed SBOM
#   details_order:
#   - predicate
package docker.scout

import rego.v1

default pass := false

sbom := oci.referrer("https://spdx.dev/Document")

pass if {
	not is_null(sbom)
	some s in sbom.statement.subject
	sprintf("sha256:%s", [s.digest.sha256]) == input.source.image.digest
}
`

// Evaluate two policies on the built-in sample image, whose attestations
// are signed with a key made for the run.
func Example() {
	ctx := context.Background()
	s, err := dhitest.ServeSample(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	img, err := dhi.Open(ctx, s.Ref, dhi.WithKeys(s.Key))
	if err != nil {
		log.Fatal(err)
	}
	files, err := policy.ReadDir(fstest.MapFS{
		"non-root.rego":    {Data: []byte(nonRoot)},
		"signed-sbom.rego": {Data: []byte(signedSBOM)},
	}, ".")
	if err != nil {
		log.Fatal(err)
	}
	e, err := policy.New(files, policy.WithClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }))
	if err != nil {
		log.Fatal(err)
	}
	ev, err := e.Evaluate(ctx, img.Platforms[0])
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range ev.Results {
		fmt.Println(r.Status, r.Policy, r.Violations)
	}
	fmt.Println("passed:", ev.Passed(), "attestations read:", len(ev.Inputs))
	// Output:
	// fail non-root-user [{the default user is root [{user }]}]
	// pass signed-sbom []
	// passed: false attestations read: 1
}

// A policy that calls a built-in docker scout policy does not have fails
// with the file and line, and never passes.
func ExampleError() {
	bad := `# METADATA
# title: Typo
# custom:
#   name: typo
package docker.scout

import rego.v1

default pass := false

pass if is_null(oci.referers("https://spdx.dev/Document"))
`
	e, err := policy.New([]policy.File{{Name: "typo.rego", Text: []byte(bad)}})
	if err != nil {
		log.Fatal(err)
	}
	p := e.Policies()[0]
	var pe *policy.Error
	if errors.As(p.Err, &pe) {
		fmt.Println(pe.File, pe.Line, errors.Is(pe, policy.ErrCompile))
		fmt.Println(pe)
	}
	// Output:
	// typo.rego 11 true
	// policy: typo (typo.rego:11:17): undefined function oci.referers
}

func ExampleParseConfig() {
	c, err := policy.ParseConfig([]byte(`{"policies": [{"name": "dhi-stig-scan-score", "config": {"target_score": 95}}]}`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Policies[0].Name, string(c.Policies[0].Config))
	// Output:
	// dhi-stig-scan-score {"target_score": 95}
}
