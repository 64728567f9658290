package dhi

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/dhisdk/dhisdk/dhi/predicate"
	"github.com/dhisdk/dhisdk/internal/fixture"
)

// FuzzParseTag checks that ParseTag never panics and that String gives a
// tag that parses the same.
func FuzzParseTag(f *testing.F) {
	for _, s := range []string{"3.13", "20.19-debian12-fips-20250701182639", "1-debian12-dev", "5-alpine3.24", "3.13-sfw-ent", "", "-", "a--b-debian1-x-sfw-ent-20250701182639"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tag := ParseTag(s)
		again := ParseTag(tag.String())
		if again.String() != tag.String() || again.Version != tag.Version || again.Distro != tag.Distro || again.Timestamp != tag.Timestamp || strings.Join(again.Variants, ",") != strings.Join(tag.Variants, ",") {
			t.Fatalf("ParseTag(%q) = %+v, but its String %q parses as %+v", s, tag, tag.String(), again)
		}
		_ = tag.DistroLabel()
	})
}

// FuzzReferrersRepository checks that the repositories returned are valid
// names in registry.scout.docker.com.
func FuzzReferrersRepository(f *testing.F) {
	for _, s := range []string{"dhi.io/python", "dhi/golang", "acme/dhi-node", "registry.scout.docker.com/dhi/python", "ghcr.io/a/b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		repo, err := name.NewRepository(s)
		if err != nil {
			return
		}
		info, ok := ClassifyRepository(repo)
		if ok != IsDHI(repo) || (ok && !info.Kind.Valid()) {
			t.Fatalf("ClassifyRepository(%s) = %+v, %v", repo, info, ok)
		}
		for _, fn := range []func(name.Repository) (name.Repository, bool){ReferrersRepository, ScoutRepository} {
			r, ok2 := fn(repo)
			if !ok2 {
				continue
			}
			if !ok {
				t.Fatalf("%s is not DHI but maps to %s", repo, r)
			}
			again, err := name.NewRepository(r.String())
			if err != nil || again.RegistryStr() != ScoutRegistry || again.String() != r.String() {
				t.Fatalf("%s maps to %s, which does not reparse: %v", repo, r, err)
			}
		}
	})
}

// FuzzSourceReference checks that every image sources predicate that parses
// either gives a digest reference or fails with a [*predicate.Error] for the
// image sources predicate type.
func FuzzSourceReference(f *testing.F) {
	f.Add(fixture.Bytes(f, "dhi/predicates/image-source.json"))
	for _, s := range []string{`{"source":{"name":"dhi/x","digest":"sha256:00"}}`, `{"source":{}}`, `{"source":{"name":"ghcr.io/a/b","digest":"sha256:` + strings.Repeat("a", 64) + `"}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := predicate.ParseImageSource(b)
		if err != nil {
			return
		}
		if _, err := SourceReference(v); err != nil {
			var pe *predicate.Error
			if !errors.As(err, &pe) || !errors.Is(err, predicate.ErrInvalid) || pe.PredicateType != predicate.TypeImageSource {
				t.Fatalf("error %v is not a *predicate.Error for the image sources type", err)
			}
			if !strings.HasPrefix(err.Error(), "predicate: invalid predicate "+predicate.TypeImageSource+": ") {
				t.Fatalf("message %q", err)
			}
		}
	})
}
