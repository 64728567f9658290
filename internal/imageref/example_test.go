package imageref_test

import (
	"fmt"

	"github.com/dhisdk/dhisdk/internal/imageref"
)

func ExampleParse() {
	r, err := imageref.Parse("dhi/Python:3.13")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Repository(), r.Tag)
	fmt.Println(imageref.IsDigest("sha256:abc"))
	// Output:
	// docker.io/dhi/python 3.13
	// false
}
