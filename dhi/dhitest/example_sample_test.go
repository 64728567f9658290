package dhitest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
)

// A test of a program built on the SDK, with the sample image served from
// an in-process registry and its key trusted instead of Docker's.
func ExampleServeSample() {
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
	defer img.Close()
	for _, p := range img.Platforms {
		fmt.Println(p, len(p.Used()), "attestations verified")
	}
	// Output:
	// linux/amd64 15 attestations verified
	// linux/arm64 15 attestations verified
}
