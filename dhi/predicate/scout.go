package predicate

import (
	"bytes"
	"encoding/json"
)

// ScoutSBOM is the predicate of Docker Scout's SBOM
// ([TypeScoutSBOM]). Docker documents its artifacts list, each
// with a package URL and licenses; everything else stays in Raw.
type ScoutSBOM struct {
	// Artifacts are the packages (artifacts), in the order of the
	// predicate.
	Artifacts []ScoutArtifact `json:"artifacts"`
	// Raw is the whole predicate, as given.
	Raw json.RawMessage `json:"-"`
}

// ScoutArtifact is one package of a [ScoutSBOM].
type ScoutArtifact struct {
	// PURL is the package URL of the package (purl).
	PURL string `json:"purl"`
	// Licenses are the package's licenses (licenses), such as
	// "GPL-3.0-or-later"; items that are not JSON strings are left out
	// here and stay in Raw.
	Licenses []string `json:"licenses"`
	// Raw is the artifact's JSON object, with any field not typed here.
	Raw json.RawMessage `json:"-"`
}

type scoutSBOMJSON struct {
	Artifacts json.RawMessage `json:"artifacts"`
}

type scoutArtifactJSON struct {
	PURL     string            `json:"purl"`
	Licenses []json.RawMessage `json:"licenses"`
}

// ParseScoutSBOM decodes the predicate of a [TypeScoutSBOM]
// attestation: a JSON object whose artifacts, if present, must be an array
// of objects. Errors wrap [ErrInvalid].
func ParseScoutSBOM(predicate []byte) (ScoutSBOM, error) {
	const pt = TypeScoutSBOM
	var v scoutSBOMJSON
	if err := decodeJSON(pt, predicate, &v); err != nil {
		return ScoutSBOM{}, err
	}
	out := ScoutSBOM{Raw: bytes.Clone(predicate)}
	if isNull(v.Artifacts) {
		return out, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(v.Artifacts, &items); err != nil {
		return ScoutSBOM{}, invalid(pt, "artifacts: %s", jsonDetail(err))
	}
	out.Artifacts = make([]ScoutArtifact, 0, len(items))
	for i, item := range items {
		var a scoutArtifactJSON
		if err := decodeItem(pt, "artifact", i, item, &a); err != nil {
			return ScoutSBOM{}, err
		}
		art := ScoutArtifact{PURL: a.PURL, Raw: item}
		for _, l := range a.Licenses {
			var s string
			if json.Unmarshal(l, &s) == nil && !isNull(l) {
				art.Licenses = append(art.Licenses, s)
			}
		}
		out.Artifacts = append(out.Artifacts, art)
	}
	return out, nil
}

// ScoutProvenance is the predicate of Docker Scout's provenance
// ([TypeScoutProvenance]). Docker documents only its base_image
// field, which is typed; everything else stays in Raw.
type ScoutProvenance struct {
	// BaseImage names the image this one was built from (base_image), as
	// written, such as "dhi/debian-base:trixie"; "" when absent.
	BaseImage string `json:"baseImage"`
	// Raw is the whole predicate, as given.
	Raw json.RawMessage `json:"-"`
}

// ParseScoutProvenance decodes the predicate of a
// [TypeScoutProvenance] attestation, which must be a JSON object.
// Errors wrap [ErrInvalid].
func ParseScoutProvenance(predicate []byte) (ScoutProvenance, error) {
	var v struct {
		BaseImage string `json:"base_image"`
	}
	if err := decodeJSON(TypeScoutProvenance, predicate, &v); err != nil {
		return ScoutProvenance{}, err
	}
	return ScoutProvenance{BaseImage: v.BaseImage, Raw: bytes.Clone(predicate)}, nil
}

// HealthScore is the predicate of Docker Scout's health score
// ([TypeScoutHealthScore]). Docker publishes no shape for it, so
// it is kept raw, with nothing typed.
type HealthScore struct {
	// Raw is the whole predicate, as given.
	Raw json.RawMessage `json:"-"`
}

// ParseHealthScore checks that predicate is a JSON value other than null
// and keeps it. Errors wrap [ErrInvalid].
func ParseHealthScore(predicate []byte) (HealthScore, error) {
	var v json.RawMessage
	if err := decodeJSON(TypeScoutHealthScore, predicate, &v); err != nil {
		return HealthScore{}, err
	}
	return HealthScore{Raw: bytes.Clone(predicate)}, nil
}
