package predicate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// STIG is the predicate of a STIG scan attestation ([TypeSTIG]):
// one entry per scanned OpenSCAP profile. Docker documents it as a JSON
// array of profiles.
type STIG struct {
	// Profiles are the scanned profiles, in the order of the predicate.
	Profiles []STIGProfile `json:"profiles"`
	// Raw is the whole predicate, as given.
	Raw json.RawMessage `json:"-"`
}

// STIGProfile is one scanned profile of a [STIG] predicate.
type STIGProfile struct {
	// Name is the profile's name (name), such as
	// "xccdf_org.ssgproject.content_profile_stig".
	Name string `json:"name"`
	// Summary is the profile's score and rule counts (summary).
	Summary STIGSummary `json:"summary"`
	// Outputs are the scan reports (output), base64-encoded as published;
	// see [STIGProfile.HTML] and [STIGProfile.XCCDF].
	Outputs []STIGOutput `json:"outputs"`
	// Raw is the profile's JSON object, with any field not typed here.
	Raw json.RawMessage `json:"-"`
}

// STIGSummary is the summary of a scanned profile.
type STIGSummary struct {
	// DefaultScore is OpenSCAP's weighted score (defaultScore).
	DefaultScore float64 `json:"defaultScore"`
	// MaxDefaultScore is the highest score the profile allows
	// (maxDefaultScore).
	MaxDefaultScore float64 `json:"maxDefaultScore"`
	// Pass is the number of rules that passed (pass); nil when absent.
	Pass *int `json:"pass"`
	// Fail is the number of rules that failed (fail); nil when absent.
	Fail *int `json:"fail"`
	// NotApplicable is the number of rules that did not apply
	// (notapplicable); nil when absent.
	NotApplicable *int `json:"notApplicable"`
	// Raw is the summary's JSON object, with any field not typed here;
	// nil when the profile has no summary.
	Raw json.RawMessage `json:"-"`
}

// STIGFormat is the format of a STIG report.
type STIGFormat string

// The report formats DHI publishes.
const (
	// STIGFormatHTML is OpenSCAP's HTML report.
	STIGFormatHTML STIGFormat = "html"
	// STIGFormatXCCDF is the XCCDF results document (XML).
	STIGFormatXCCDF STIGFormat = "xccdf"
)

// STIGFormats returns every [STIGFormat].
func STIGFormats() []STIGFormat { return []STIGFormat{STIGFormatHTML, STIGFormatXCCDF} }

// Valid reports whether f is one of [STIGFormats].
func (f STIGFormat) Valid() bool { return f == STIGFormatHTML || f == STIGFormatXCCDF }

// STIGOutput is one report of a scanned profile.
type STIGOutput struct {
	// Format is the report's format (format), lowercased; it may be a
	// format not in [STIGFormats].
	Format STIGFormat `json:"format"`
	// Content is the report, base64-encoded (content); see
	// [STIGOutput.Decode].
	Content string `json:"content"`
}

type stigProfileJSON struct {
	Name    string          `json:"name"`
	Summary json.RawMessage `json:"summary"`
	Output  []struct {
		Format  string `json:"format"`
		Content string `json:"content"`
	} `json:"output"`
}

type stigSummaryJSON struct {
	DefaultScore    float64 `json:"defaultScore"`
	MaxDefaultScore float64 `json:"maxDefaultScore"`
	Pass            *int    `json:"pass"`
	Fail            *int    `json:"fail"`
	NotApplicable   *int    `json:"notapplicable"`
}

// ParseSTIG decodes the predicate of a [TypeSTIG] attestation.
// Every field of a profile is optional; report contents are kept encoded
// until asked for. Errors wrap [ErrInvalid].
func ParseSTIG(predicate []byte) (STIG, error) {
	var items []json.RawMessage
	if err := decodeJSON(TypeSTIG, predicate, &items); err != nil {
		return STIG{}, err
	}
	s := STIG{Profiles: make([]STIGProfile, 0, len(items)), Raw: bytes.Clone(predicate)}
	for i, item := range items {
		var p stigProfileJSON
		if err := decodeItem(TypeSTIG, "profile", i, item, &p); err != nil {
			return STIG{}, err
		}
		prof := STIGProfile{Name: p.Name, Raw: item}
		if !isNull(p.Summary) {
			var sum stigSummaryJSON
			if err := json.Unmarshal(p.Summary, &sum); err != nil {
				return STIG{}, invalid(TypeSTIG, "%s: summary: %s", at("profile", i), jsonDetail(err))
			}
			prof.Summary = STIGSummary{
				DefaultScore: sum.DefaultScore, MaxDefaultScore: sum.MaxDefaultScore,
				Pass: sum.Pass, Fail: sum.Fail, NotApplicable: sum.NotApplicable,
				Raw: p.Summary,
			}
		}
		if len(p.Output) > 0 {
			prof.Outputs = make([]STIGOutput, len(p.Output))
			for j, o := range p.Output {
				prof.Outputs[j] = STIGOutput{Format: STIGFormat(strings.ToLower(o.Format)), Content: o.Content}
			}
		}
		s.Profiles = append(s.Profiles, prof)
	}
	return s, nil
}

// ScorePercent returns DefaultScore as a percentage of MaxDefaultScore, the
// figure DHI's STIG policy compares with its target (100 by default). It
// returns false when MaxDefaultScore is not positive.
func (s STIGSummary) ScorePercent() (float64, bool) {
	if !(s.MaxDefaultScore > 0) || math.IsInf(s.MaxDefaultScore, 0) {
		return 0, false
	}
	return s.DefaultScore / s.MaxDefaultScore * 100, true
}

// Output returns the profile's first report in format f (compared without
// case), and false when it has none.
func (p STIGProfile) Output(f STIGFormat) (STIGOutput, bool) {
	for _, o := range p.Outputs {
		if strings.EqualFold(string(o.Format), string(f)) {
			return o, true
		}
	}
	return STIGOutput{}, false
}

// HTML returns the profile's HTML report, decoded. See [STIGProfile.Report].
func (p STIGProfile) HTML(maxSize int64) ([]byte, error) { return p.Report(STIGFormatHTML, maxSize) }

// XCCDF returns the profile's XCCDF results document, decoded. See
// [STIGProfile.Report].
func (p STIGProfile) XCCDF(maxSize int64) ([]byte, error) { return p.Report(STIGFormatXCCDF, maxSize) }

// Report returns the profile's first report in format f, decoded. It fails
// with an error wrapping [ErrNotFound] when the profile has no such report,
// [ErrTooLarge] when the report would decode to more than maxSize bytes (0
// or less sets no limit), and [ErrInvalid] when the content is not
// base64.
func (p STIGProfile) Report(f STIGFormat, maxSize int64) ([]byte, error) {
	o, ok := p.Output(f)
	if !ok {
		return nil, fmt.Errorf("%w: profile %q has no %s report", ErrNotFound, p.Name, f)
	}
	return o.Decode(maxSize)
}

// Decode returns the report's content, decoded from standard base64 (with
// or without padding; line breaks are ignored). It fails with an error
// wrapping [ErrTooLarge], before decoding anything, when the content would
// decode to more than maxSize bytes (a maxSize of 0 or less sets no limit),
// and with a [*Error] when the content is not base64.
func (o STIGOutput) Decode(maxSize int64) ([]byte, error) {
	if n := base64DecodedLen(o.Content); maxSize > 0 && n > maxSize {
		return nil, fmt.Errorf("%w: %s report decodes to %d bytes, more than the limit of %d", ErrTooLarge, o.Format, n, maxSize)
	}
	b, err := decodeBase64(o.Content)
	if err != nil {
		return nil, invalid(TypeSTIG, "%s report: content: %v", o.Format, err)
	}
	return b, nil
}
