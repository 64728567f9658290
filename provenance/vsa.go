package provenance

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// VerificationResult is the outcome a VSA records.
type VerificationResult string

// Verification results.
const (
	// ResultPassed means the resource met the verifier's policy.
	ResultPassed VerificationResult = "PASSED"
	// ResultFailed means it did not.
	ResultFailed VerificationResult = "FAILED"
)

// VerificationResults returns every [VerificationResult].
func VerificationResults() []VerificationResult {
	return []VerificationResult{ResultPassed, ResultFailed}
}

// Valid reports whether r is one of the constants of this package.
func (r VerificationResult) Valid() bool {
	return r == ResultPassed || r == ResultFailed
}

// VerificationSummary is a SLSA verification summary attestation (VSA) v1: a
// verifier's record that it checked a resource against a policy.
type VerificationSummary struct {
	// Verifier identifies who verified.
	Verifier VSAVerifier `json:"verifier"`
	// TimeVerified is when the verification happened; zero when absent.
	TimeVerified time.Time `json:"timeVerified"`
	// ResourceURI names the verified resource, such as a package URL with
	// a digest qualifier.
	ResourceURI string `json:"resourceUri"`
	// Policy names the policy the resource was checked against (URI and
	// Digest).
	Policy ResourceDescriptor `json:"policy"`
	// InputAttestations lists the attestations the verifier read.
	InputAttestations []ResourceDescriptor `json:"inputAttestations"`
	// Result is PASSED or FAILED.
	Result VerificationResult `json:"result"`
	// VerifiedLevels lists the levels verified, as written, e.g.
	// "SLSA_BUILD_LEVEL_3" or a verifier's own such as "BCID_L1". See
	// [VerificationSummary.Level].
	VerifiedLevels []string `json:"verifiedLevels"`
	// DependencyLevels counts the resource's dependencies at each level.
	DependencyLevels map[string]int `json:"dependencyLevels"`
	// SLSAVersion is the version of the SLSA specification the levels
	// refer to, such as "1.0"; empty when absent.
	SLSAVersion string `json:"slsaVersion"`
	// Predicate is the predicate exactly as read.
	Predicate json.RawMessage `json:"-"`
}

// NamesDigest reports whether the VSA's resourceUri names digest
// ("sha256:<hex>"): as the digest qualifier or version of a package URL
// (pkg:docker/dhi/python@3.13?digest=sha256:...), or after the last "@" of
// an image reference (dhi.io/python@sha256:...). A VSA that does not name
// the image it is attached to is about another resource.
func (v *VerificationSummary) NamesDigest(digest string) bool {
	return digest != "" && namesDigest(v.ResourceURI, strings.ToLower(digest))
}

// VSAVerifier identifies a VSA's verifier.
type VSAVerifier struct {
	// ID is the verifier's URI.
	ID string `json:"id"`
	// Version maps verifier components to their versions.
	Version map[string]string `json:"version"`
}

// Level returns the highest level verifiedLevels records for a SLSA track,
// such as [TrackBuild] ("SLSA_BUILD_LEVEL_<n>"), and whether it records one.
// The track is matched without regard to case.
func (v *VerificationSummary) Level(track string) (int, bool) {
	best, found := 0, false
	for _, s := range v.VerifiedLevels {
		tl, ok := ParseTrackLevel(s)
		if ok && strings.EqualFold(tl.Track, track) && (!found || tl.Level > best) {
			best, found = tl.Level, true
		}
	}
	return best, found
}

// SLSA tracks, as they appear in verified levels.
const (
	// TrackBuild is the SLSA build track.
	TrackBuild = "BUILD"
	// TrackSource is the SLSA source track.
	TrackSource = "SOURCE"
)

// TrackLevel is a level on a SLSA track, written SLSA_<TRACK>_LEVEL_<n>.
type TrackLevel struct {
	// Track is the track in upper case, such as [TrackBuild].
	Track string `json:"track"`
	// Level is the level, 0 to 4.
	Level int `json:"level"`
}

// String returns the level as SLSA_<TRACK>_LEVEL_<n>.
func (l TrackLevel) String() string {
	return "SLSA_" + strings.ToUpper(l.Track) + "_LEVEL_" + strconv.Itoa(l.Level)
}

// ParseTrackLevel parses "SLSA_<TRACK>_LEVEL_<n>", and reports false for any
// other string.
func ParseTrackLevel(s string) (TrackLevel, bool) {
	rest, ok := strings.CutPrefix(s, "SLSA_")
	if !ok {
		return TrackLevel{}, false
	}
	i := strings.LastIndex(rest, "_LEVEL_")
	if i <= 0 {
		return TrackLevel{}, false
	}
	track, n := rest[:i], rest[i+len("_LEVEL_"):]
	if !isDigits(n) || len(n) > 2 || strings.ToUpper(track) != track {
		return TrackLevel{}, false
	}
	level, _ := strconv.Atoi(n)
	return TrackLevel{Track: track, Level: level}, true
}

// predicateVSA is SLSA VSA v1 as written.
type predicateVSA struct {
	Verifier           *VSAVerifier         `json:"verifier"`
	TimeVerified       string               `json:"timeVerified"`
	ResourceURI        string               `json:"resourceUri"`
	Policy             ResourceDescriptor   `json:"policy"`
	InputAttestations  []ResourceDescriptor `json:"inputAttestations"`
	VerificationResult string               `json:"verificationResult"`
	VerifiedLevels     []string             `json:"verifiedLevels"`
	DependencyLevels   map[string]int       `json:"dependencyLevels"`
	SLSAVersion        string               `json:"slsaVersion"`
}

func parseVSA(pred []byte) (*VerificationSummary, error) {
	var raw predicateVSA
	if err := json.Unmarshal(pred, &raw); err != nil {
		return nil, fmt.Errorf("%w: SLSA verification summary v1: %v", ErrInvalid, err)
	}
	if raw.Verifier == nil || raw.Verifier.ID == "" {
		return nil, fmt.Errorf("%w: SLSA verification summary v1: no verifier.id", ErrInvalid)
	}
	result := VerificationResult(raw.VerificationResult)
	if !result.Valid() {
		return nil, fmt.Errorf("%w: SLSA verification summary v1: verificationResult %q is neither PASSED nor FAILED", ErrInvalid, raw.VerificationResult)
	}
	t, err := parseTime("timeVerified", raw.TimeVerified)
	if err != nil {
		return nil, err
	}
	return &VerificationSummary{
		Verifier:          *raw.Verifier,
		TimeVerified:      t,
		ResourceURI:       raw.ResourceURI,
		Policy:            raw.Policy,
		InputAttestations: raw.InputAttestations,
		Result:            result,
		VerifiedLevels:    raw.VerifiedLevels,
		DependencyLevels:  raw.DependencyLevels,
		SLSAVersion:       raw.SLSAVersion,
		Predicate:         pred,
	}, nil
}
