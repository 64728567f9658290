package dhi

import (
	"errors"
	"strings"
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
	ref, err := got.Reference()
	if err != nil {
		t.Fatal(err)
	}
	if want := "dhi.io/python@" + sourceDigest; ref.String() != want {
		t.Errorf("Reference() = %s, want %s", ref, want)
	}
}

func TestImageSourceReference(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		src     ImageSource
		want    string
		wantErr bool
	}{
		{"catalog name", ImageSource{Name: "dhi/node", Digest: sourceDigest}, "dhi.io/node@" + sourceDigest, false},
		{"with registry", ImageSource{Name: "registry.example.com/src/node", Digest: sourceDigest}, "registry.example.com/src/node@" + sourceDigest, false},
		{"localhost with port", ImageSource{Name: "localhost:5000/x", Digest: sourceDigest}, "localhost:5000/x@" + sourceDigest, false},
		{"other namespace", ImageSource{Name: "library/python", Digest: sourceDigest}, "", true},
		{"bare name", ImageSource{Name: "python", Digest: sourceDigest}, "", true},
		{"no digest", ImageSource{Name: "dhi/python"}, "", true},
		{"bad digest", ImageSource{Name: "dhi/python", Digest: "sha256:abc"}, "", true},
		{"no name", ImageSource{Digest: sourceDigest}, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := tc.src.Reference()
			if tc.wantErr {
				if !errors.Is(err, ErrInvalidPredicate) || !strings.Contains(err.Error(), PredicateTypeImageSource) {
					t.Errorf("Reference() error = %v, want ErrInvalidPredicate naming the type", err)
				}
				return
			}
			if err != nil || got.String() != tc.want {
				t.Errorf("Reference() = %s, %v; want %s", got, err, tc.want)
			}
		})
	}
}
