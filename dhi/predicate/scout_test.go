package predicate

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

func TestParseScoutSBOMFixture(t *testing.T) {
	t.Parallel()
	b := fixture.Bytes(t, "dhi/predicates/scout-sbom.json")
	got, err := ParseScoutSBOM(b)
	if err != nil {
		t.Fatal(err)
	}
	want := ScoutSBOM{Artifacts: []ScoutArtifact{
		{PURL: purlTar, Licenses: []string{"GPL-3.0-or-later"}},
		{PURL: "pkg:dhi/python@3.13.9", Licenses: []string{"PSF-2.0"}},
	}}
	if diff := cmp.Diff(want, got, ignoreRaw); diff != "" {
		t.Errorf("ParseScoutSBOM() (-want +got):\n%s", diff)
	}
	if string(got.Raw) != string(b) || !strings.Contains(string(got.Artifacts[1].Raw), `"PSF-2.0"`) {
		t.Errorf("Raw = %s, artifact Raw = %s", got.Raw, got.Artifacts[1].Raw)
	}
}

func TestParseScoutSBOMTolerance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []ScoutArtifact
	}{
		{"no artifacts", `{"source":{}}`, nil},
		{"null artifacts", `{"artifacts":null}`, nil},
		{"empty artifacts", `{"artifacts":[]}`, []ScoutArtifact{}},
		{"license objects kept raw only", `{"artifacts":[{"purl":"p","licenses":["MIT",{"id":"X"},null,"BSD-3-Clause"],"type":"deb"}]}`,
			[]ScoutArtifact{{PURL: "p", Licenses: []string{"MIT", "BSD-3-Clause"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseScoutSBOM([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got.Artifacts, ignoreRaw); diff != "" {
				t.Errorf("Artifacts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseScoutProvenanceFixture(t *testing.T) {
	t.Parallel()
	b := fixture.Bytes(t, "dhi/predicates/scout-provenance.json")
	got, err := ParseScoutProvenance(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.BaseImage != "dhi/debian-base:trixie" || !strings.Contains(string(got.Raw), `"git_source": "https://github.com/docker-hardened-images/catalog"`) {
		t.Errorf("ParseScoutProvenance() = %q, %s", got.BaseImage, got.Raw)
	}
	got, err = ParseScoutProvenance([]byte(`{}`))
	if err != nil || got.BaseImage != "" {
		t.Errorf("ParseScoutProvenance({}) = %+v, %v", got, err)
	}
}

func TestParseHealthScore(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`{"score":"A"}`, `[1]`, `"B"`, `7`} {
		got, err := ParseHealthScore([]byte(in))
		if err != nil || string(got.Raw) != in {
			t.Errorf("ParseHealthScore(%s) = %s, %v", in, got.Raw, err)
		}
	}
}
