package dhitest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

// SampleDocs returns the fifteen attestations of an image shaped like a Docker
// Hardened Image, made of real published documents: an SPDX 2.3
// SBOM (2.5 MB), a CycloneDX 1.6 SBOM (1.8 MB), DHI's OpenVEX document for
// python (1.9 MB), BuildKit SLSA provenance v1 and v0.2, a SLSA verification
// summary (whose resourceUri is made to name the platform, see
// [TargetDigest]), and DHI and Scout predicates (FIPS, STIG, scans, tests, secrets,
// virus scan, Scout SBOM, image sources). The documents are published ones;
// the SDK's internal/fixture/data/README.md says where each comes from.
func SampleDocs() ([]Doc, error) {
	var docs []Doc
	add := func(predicateType, name string) error {
		b, err := fixture.Read(name)
		if err != nil {
			return err
		}
		docs = append(docs, Doc{PredicateType: predicateType, Predicate: b})
		return nil
	}
	for _, f := range []struct{ pt, name string }{
		{"https://spdx.dev/Document", "spdx/syft-1.57.1_debian-pkgs-image.spdx-2.3.json"},
		{"https://cyclonedx.org/bom/v1.6", "cyclonedx/syft-1.57.1_debian-pkgs-image.cdx-1.6.json"},
		{"https://openvex.dev/ns/v0.2.0", "dhi/advisories/vex/dhi-python.vex.json"},
		{"https://docker.com/dhi/fips/v0.1", "dhi/predicates/fips.json"},
		{"https://docker.com/dhi/stig/v0.1", "dhi/predicates/stig.json"},
		{"https://scout.docker.com/vulnerabilities/v0.1", "dhi/predicates/scout-vulnerabilities-sample.json"},
		{"https://in-toto.io/attestation/vulns/v0.1", "dhi/predicates/intoto-vulns.json"},
		{"https://scout.docker.com/tests/v0.1", "dhi/predicates/scout-tests.json"},
		{"https://scout.docker.com/secrets/v0.1", "dhi/predicates/scout-secrets.json"},
		{"https://scout.docker.com/virus/v0.1", "dhi/predicates/scout-virus.json"},
		{"https://scout.docker.com/sbom/v0.1", "dhi/predicates/scout-sbom.json"},
		{"https://docker.com/dhi/source/v0.1", "dhi/predicates/image-source.json"},
	} {
		if err := add(f.pt, f.name); err != nil {
			return nil, err
		}
	}
	// SLSA provenance v1: the predicate of BuildKit's statement.
	b, err := fixture.Read("slsa-provenance/buildkit_slsa1_mode-max.intoto-statement.json")
	if err != nil {
		return nil, err
	}
	var st struct {
		Predicate json.RawMessage `json:"predicate"`
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("dhitest: buildkit provenance: %w", err)
	}
	docs = append(docs, Doc{PredicateType: "https://slsa.dev/provenance/v1", Predicate: st.Predicate})
	// SLSA provenance v0.2: the predicate buildx records in its metadata.
	if b, err = fixture.Read("slsa-provenance/buildkit_slsa0.2_buildx-metadata.json"); err != nil {
		return nil, err
	}
	var md map[string]json.RawMessage
	if err := json.Unmarshal(b, &md); err != nil {
		return nil, fmt.Errorf("dhitest: buildx metadata: %w", err)
	}
	docs = append(docs, Doc{PredicateType: "https://slsa.dev/provenance/v0.2", Predicate: md["buildx.build.provenance"]})
	// A SLSA verification summary: the predicate of Google's signed VSA.
	if b, err = fixture.Read("vsa/google-gce_gke-gce-pre.bcid-vsa.dsse.json"); err != nil {
		return nil, err
	}
	var env struct {
		Payload string `json:"payload"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, fmt.Errorf("dhitest: vsa envelope: %w", err)
	}
	payload, err := base64.StdEncoding.DecodeString(env.Payload)
	if err != nil {
		return nil, fmt.Errorf("dhitest: vsa payload: %w", err)
	}
	// A new variable: json.RawMessage reuses its buffer when decoded into.
	var vsa struct {
		Predicate json.RawMessage `json:"predicate"`
	}
	if err := json.Unmarshal(payload, &vsa); err != nil {
		return nil, fmt.Errorf("dhitest: vsa statement: %w", err)
	}
	// The summary is Google's, about one of its own images: it is made to
	// name the sample's platform, as a summary attached to an image must.
	var pred map[string]json.RawMessage
	if err := json.Unmarshal(vsa.Predicate, &pred); err != nil {
		return nil, fmt.Errorf("dhitest: vsa predicate: %w", err)
	}
	pred["resourceUri"] = json.RawMessage(`"pkg:docker/dhi/python@3.13.9-debian12?digest=` + TargetDigest + `"`)
	b, err = json.Marshal(pred)
	if err != nil {
		return nil, fmt.Errorf("dhitest: vsa predicate: %w", err)
	}
	docs = append(docs, Doc{PredicateType: "https://slsa.dev/verification_summary/v1", Predicate: b})
	return docs, nil
}

// SampleLabels returns the image config labels of the sample image, in the form
// DHI images carry them.
func SampleLabels() map[string]string {
	return map[string]string{
		"com.docker.dhi.name":             "dhi/python",
		"com.docker.dhi.title":            "Python",
		"com.docker.dhi.version":          "3.13.9-debian12",
		"com.docker.dhi.variant":          "runtime",
		"com.docker.dhi.flavor":           "",
		"com.docker.dhi.distro":           "debian-12",
		"com.docker.dhi.compliance":       "cis,fips,stig",
		"com.docker.dhi.entitlement":      "public",
		"com.docker.dhi.definition":       "image/python/debian-12/3.13",
		"com.docker.dhi.url":              "https://dhi.io/catalog/python",
		"com.docker.dhi.created":          "2025-10-30T12:00:00Z",
		"com.docker.dhi.date.release":     "2024-10-07",
		"com.docker.dhi.date.end-of-life": "2029-10-31",
	}
}
