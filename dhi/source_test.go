package dhi

import (
	"errors"
	"strings"
	"testing"

	"github.com/dhisdk/dhisdk/dhi/predicate"
	"github.com/dhisdk/dhisdk/internal/fixture"
)

const sourceDigest = "sha256:4c2f7b1d0e5a6f3b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d"

func TestSourceReferenceFixture(t *testing.T) {
	t.Parallel()
	got, err := predicate.ParseImageSource(fixture.Bytes(t, "dhi/predicates/image-source.json"))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := SourceReference(got)
	if err != nil {
		t.Fatal(err)
	}
	if want := "dhi.io/python@" + sourceDigest; ref.String() != want {
		t.Errorf("SourceReference() = %s, want %s", ref, want)
	}
}

func TestImageSourceReference(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		src     predicate.ImageSource
		want    string
		wantErr bool
	}{
		{"catalog name", predicate.ImageSource{Name: "dhi/node", Digest: sourceDigest}, "dhi.io/node@" + sourceDigest, false},
		{"with registry", predicate.ImageSource{Name: "registry.example.com/src/node", Digest: sourceDigest}, "registry.example.com/src/node@" + sourceDigest, false},
		{"localhost with port", predicate.ImageSource{Name: "localhost:5000/x", Digest: sourceDigest}, "localhost:5000/x@" + sourceDigest, false},
		{"other namespace", predicate.ImageSource{Name: "library/python", Digest: sourceDigest}, "", true},
		{"bare name", predicate.ImageSource{Name: "python", Digest: sourceDigest}, "", true},
		{"no digest", predicate.ImageSource{Name: "dhi/python"}, "", true},
		{"bad digest", predicate.ImageSource{Name: "dhi/python", Digest: "sha256:abc"}, "", true},
		{"no name", predicate.ImageSource{Digest: sourceDigest}, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := SourceReference(tc.src)
			if tc.wantErr {
				if !errors.Is(err, predicate.ErrInvalid) || !strings.Contains(err.Error(), predicate.TypeImageSource) {
					t.Errorf("Reference() error = %v, want predicate.ErrInvalid naming the type", err)
				}
				return
			}
			if err != nil || got.String() != tc.want {
				t.Errorf("Reference() = %s, %v; want %s", got, err, tc.want)
			}
		})
	}
}
