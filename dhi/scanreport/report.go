package scanreport

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/dhisdk/dhisdk/dhi/vuln"
)

// MaxSize is the largest report [Parse] and [ParseReader] read, in bytes.
// A Trivy report of an image with ten thousand findings is about 30 MB.
const MaxSize = 256 << 20

// Report is a scanner report read by [Parse]: its metadata, the findings
// it reports, and the findings it already records as suppressed.
type Report struct {
	// Format is the report's format.
	Format Format
	// Scanner is the scanner that wrote the report.
	Scanner Scanner
	// Artifact is what was scanned; see [Report.CheckSubject].
	Artifact Artifact
	// Created is when the report was written, the zero time when it does
	// not say. Trivy: CreatedAt. Grype: descriptor.timestamp. SARIF: the
	// first run's invocations[0].endTimeUtc. CycloneDX: metadata.timestamp.
	Created time.Time
	// Findings are the reported findings that are not suppressed, in the
	// report's order. Each has Source set to the format name.
	Findings []vuln.Finding
	// Suppressed are the findings the report records as suppressed: Trivy's
	// ExperimentalModifiedFindings, Grype's ignoredMatches, SARIF results
	// with an accepted suppression, CycloneDX vulnerabilities whose
	// analysis.state is not_affected, false_positive or resolved.
	Suppressed []Suppression

	raw  []byte
	locs []loc // locs[i] is where Findings[i] is in raw
}

// Scanner identifies the tool that wrote a report.
type Scanner struct {
	// Name is the scanner's name as the report gives it ("Trivy", "grype",
	// "trivy"); for Trivy JSON, which does not name itself, "trivy".
	Name string
	// Version is the scanner's version, "" when not given.
	Version string
}

// Artifact is what a report is about.
type Artifact struct {
	// Name is the artifact's name as the scanner was given it: an image
	// reference, a tar file or a directory. Trivy: ArtifactName. Grype:
	// source.target.userInput (or source.target for directories). SARIF:
	// run properties imageName (Trivy). CycloneDX: metadata.component.name.
	Name string
	// Type is the kind of artifact ("container_image", "image",
	// "repository", "directory", "container"), "" when not given.
	Type string
	// Digests are the manifest digests the report names, "sha256:<hex>",
	// without duplicates: from repo digests ("repo@sha256:..."), an
	// artifact name with a digest, and Grype's manifestDigest.
	Digests []string
	// ImageID is the image config digest, "" when not given. Trivy:
	// Metadata.ImageID. Grype: source.target.imageID.
	ImageID string
	// RepoTags are the image's tags as the report gives them.
	RepoTags []string
}

// Suppression is a finding a report records as suppressed, with the
// decision as the report gives it.
type Suppression struct {
	// Finding is the suppressed finding.
	Finding vuln.Finding
	// Decision is the recorded decision. Its Status is "" when the
	// report's suppression carries none (a Grype ignore rule without a VEX
	// status, a SARIF suppression without our properties).
	Decision Decision
}

// loc is where a finding is in the raw report: two indexes whose meaning
// depends on the format (Trivy: result, vulnerability; Grype: match;
// SARIF: run, result; CycloneDX: vulnerability, affects entry).
type loc struct{ i, j int }

// ParseReader reads a report from r, at most the size limit (see
// [WithMaxSize]), and parses it with [Parse].
func ParseReader(r io.Reader, opts ...Option) (*Report, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(r, o.maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("scanreport: reading report: %w", err)
	}
	return Parse(b, opts...)
}

// Parse reads a scanner report of any of [Formats], detected by content
// (see [Detect]). Input larger than the size limit ([MaxSize] unless
// [WithMaxSize] says otherwise) gives [ErrTooLarge]; input
// of no known format, [ErrUnknownFormat]; a report that does not decode
// (truncated, wrong types), a [*ParseError] naming the line and column or
// the JSON path. Parse keeps the input, unchanged, for [Report.Encode].
func Parse(b []byte, opts ...Option) (*Report, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > o.maxSize {
		return nil, fmt.Errorf("%w (more than %d bytes)", ErrTooLarge, o.maxSize)
	}
	f, err := detect(b)
	if err != nil {
		return nil, err
	}
	r := &Report{Format: f, raw: bytes.Clone(b)}
	switch f {
	case FormatTrivy:
		err = r.readTrivy()
	case FormatGrype:
		err = r.readGrype()
	case FormatSARIF:
		err = r.readSARIF()
	case FormatCycloneDX:
		err = r.readCycloneDX()
	}
	if err != nil {
		return nil, err
	}
	for i := range r.Findings {
		r.Findings[i].Source = string(f)
	}
	for i := range r.Suppressed {
		r.Suppressed[i].Finding.Source = string(f)
	}
	return r, nil
}

// CheckSubject checks that the report is about one of the given digests
// (manifest digests or image config digests, "sha256:<hex>"). It returns
// nil when the report names one of them; a [*SubjectError] wrapping
// [ErrSubjectMismatch] when it names only others; and one wrapping
// [ErrSubjectUnknown] when it names no digest at all.
//
// Callers must not apply decisions made for one image to a report that
// fails this check: a report about another image would be triaged
// silently against this one.
func (r *Report) CheckSubject(digests ...string) error {
	got := r.Artifact.Digests
	if r.Artifact.ImageID != "" {
		got = append(slices.Clip(got), r.Artifact.ImageID)
	}
	if len(got) == 0 {
		return &SubjectError{Want: digests, Artifact: r.Artifact.Name, Err: ErrSubjectUnknown}
	}
	for _, g := range got {
		for _, w := range digests {
			if strings.EqualFold(strings.TrimSpace(w), g) {
				return nil
			}
		}
	}
	return &SubjectError{Want: digests, Got: got, Artifact: r.Artifact.Name, Err: ErrSubjectMismatch}
}

// addDigest adds the digest of a reference or a bare digest to a, once.
func (a *Artifact) addDigest(ref string) {
	i := strings.LastIndex(ref, "@")
	d := ref[i+1:]
	if !strings.HasPrefix(d, "sha256:") && !strings.HasPrefix(d, "sha512:") {
		return
	}
	if !slices.Contains(a.Digests, d) {
		a.Digests = append(a.Digests, d)
	}
}

// parseTime reads an RFC 3339 time, the zero time when it does not parse.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}
	}
	return t
}
