package predicate

import (
	"testing"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

const sourceDigest = "sha256:4c2f7b1d0e5a6f3b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d"

func TestParseImageSourceFixture(t *testing.T) {
	t.Parallel()
	b := fixture.Bytes(t, "dhi/predicates/image-source.json")
	got, err := ParseImageSource(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "dhi/python" || got.Digest != sourceDigest || string(got.Raw) != string(b) {
		t.Fatalf("ParseImageSource() = %+v", got)
	}
}
