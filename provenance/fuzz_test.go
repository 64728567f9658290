package provenance

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

// FuzzParse checks that Parse never panics, returns either a statement or an
// error of this package, and returns statements that hold together.
func FuzzParse(f *testing.F) {
	for _, name := range []string{fxBuildKitV1, fxBuildxMeta, fxGeneratorV02, fxDelegatorV1, fxGCB, fxGoogleVSA} {
		f.Add(fixture.Bytes(f, name)) // the containers themselves: unsupported
	}
	f.Add(buildxPredicate(f))
	f.Add(bundleStatement(f, fxGeneratorV02))
	f.Add(bundleStatement(f, fxDelegatorV1))
	f.Add(gcbStatement(f))
	f.Add(dssePayload(f, fixture.Bytes(f, fxGoogleVSA)))
	f.Add([]byte(`{"buildDefinition":{"buildType":"x","resolvedDependencies":[{"uri":"pkg:docker/dhi.io/bash@5?digest=sha256:00&platform=linux%2Farm64"}]},"runDetails":{"metadata":{"buildkit_metadata":{"vcs":{"source":"git@h:o/r.git"}}}}}`))
	f.Add([]byte(`{"recipe":{"type":"t","definedInMaterial":3},"materials":[{"uri":"a"}]}`))
	f.Add([]byte(`{"_type":"https://in-toto.io/Statement/v1","predicateType":"https://slsa.dev/provenance/v0.2","predicate":{"Data":"{}"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := Parse(b)
		if err != nil {
			if st != nil {
				t.Fatalf("Parse() returned a statement and error %v", err)
			}
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("Parse() error %v wraps neither ErrInvalid nor ErrUnsupported", err)
			}
			if !strings.HasPrefix(err.Error(), "provenance: ") {
				t.Fatalf("Parse() error %q lacks the package prefix", err)
			}
			return
		}
		if (st.Provenance == nil) == (st.VSA == nil) {
			t.Fatalf("Parse() set provenance %v and VSA %v; want exactly one", st.Provenance != nil, st.VSA != nil)
		}
		switch st.PredicateType {
		case PredicateTypeV01, PredicateTypeV02, PredicateTypeV1, PredicateTypeVSAV1:
		default:
			t.Fatalf("Parse() predicate type %q", st.PredicateType)
		}
		if p := st.Provenance; p != nil {
			if p.PredicateType != st.PredicateType || !json.Valid(p.Predicate) {
				t.Fatalf("provenance predicate type %q, predicate valid %v", p.PredicateType, json.Valid(p.Predicate))
			}
			for _, img := range p.Images {
				if !img.Role.Valid() {
					t.Fatalf("image role %q", img.Role)
				}
				_ = img.Reference()
			}
			_ = p.CheckPolicy(BuildPolicy{BuilderIDs: []string{"b"}, SourceRepository: "github.com/o/r", SourceRef: "refs/heads/main"})
		}
		if v := st.VSA; v != nil {
			if !v.Result.Valid() {
				t.Fatalf("VSA result %q", v.Result)
			}
			_ = v.CheckPolicy(VSAPolicy{ResourceDigest: "sha256:" + strings.Repeat("0", 64), MinLevels: []TrackLevel{{TrackBuild, 3}}})
		}
	})
}
