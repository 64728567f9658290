package predicate

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

// addPredicateSeeds adds every DHI predicate fixture and a few hand-made
// variants to f.
func addPredicateSeeds(f *testing.F) {
	f.Helper()
	names, err := fixture.Glob("dhi/predicates/*.json")
	if err != nil || len(names) == 0 {
		f.Fatalf("fixture.Glob: %v, %d files", err, len(names))
	}
	for _, n := range names {
		f.Add(fixture.Bytes(f, n))
	}
	for _, s := range []string{
		``, `null`, `[]`, `{}`, `[null]`, `[{}]`, `"x"`,
		`[{"summary":{"defaultScore":1,"maxDefaultScore":0},"output":[{"format":"html","content":"aGk"}]}]`,
		`{"scanner":{"uri":"u","result":[{"vulnerability":{"id":"CVE-1","severity":{"method":"cvss","score":5}}}]},"metadata":{"scanStartedOn":"2025-01-01"}}`,
		`{"scanner":{"report":"SW5mZWN0ZWQgZmlsZXM6IDM="}}`,
		`{"results":{"summary":{"failed":1}}}`,
		`{"artifacts":[{"purl":"p","licenses":["MIT",1]}]}`,
		`{"source":{"name":"dhi/x","digest":"sha256:00"}}`,
	} {
		f.Add([]byte(s))
	}
}

// FuzzParse runs every reader on the same input and checks that none
// panics, that failures are *Error values for the reader's
// predicate type, and that results hold together.
func FuzzParse(f *testing.F) {
	addPredicateSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		check := func(predicateType string, raw json.RawMessage, err error) bool {
			t.Helper()
			if err != nil {
				var pe *Error
				if !errors.As(err, &pe) || !errors.Is(err, ErrInvalid) || pe.PredicateType != predicateType {
					t.Fatalf("%s: error %v is not a *Error for the type", predicateType, err)
				}
				if !strings.HasPrefix(err.Error(), "predicate: invalid predicate "+predicateType+": ") {
					t.Fatalf("%s: message %q", predicateType, err)
				}
				return false
			}
			if !bytes.Equal(raw, b) {
				t.Fatalf("%s: Raw differs from the input", predicateType)
			}
			return true
		}

		if v, err := ParseFIPS(b); check(TypeFIPS, v.Raw, err) {
			for _, m := range v.Modules {
				if !json.Valid(m.Raw) {
					t.Fatalf("module Raw %q is not JSON", m.Raw)
				}
				_ = m.Active()
			}
		}
		if v, err := ParseSTIG(b); check(TypeSTIG, v.Raw, err) {
			for _, p := range v.Profiles {
				_, _ = p.Summary.ScorePercent()
				for _, o := range p.Outputs {
					d, err := o.Decode(1 << 16)
					if err == nil && int64(len(d)) > base64DecodedLen(o.Content) {
						t.Fatalf("decoded %d bytes, more than the %d announced", len(d), base64DecodedLen(o.Content))
					}
					if err != nil && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrInvalid) {
						t.Fatalf("Decode() error %v", err)
					}
				}
			}
		}
		if v, err := ParseScoutVulnerabilities(b); check(TypeScoutVulnerabilities, v.Raw, err) {
			n := 0
			for _, p := range v.Packages {
				n += len(p.Vulnerabilities)
			}
			fs := v.Findings()
			if len(fs) != n {
				t.Fatalf("%d findings for %d vulnerabilities", len(fs), n)
			}
			for _, f := range fs {
				if !f.Severity.Valid() {
					t.Fatalf("finding severity %q", f.Severity)
				}
			}
		}
		if v, err := ParseInTotoVulns(b); check(TypeInTotoVulns, v.Raw, err) {
			if fs := v.Findings(); len(fs) != len(v.Scanner.Results) || (!v.Scanner.HasResults && fs != nil) {
				t.Fatalf("%d findings for %d results (HasResults %v)", len(fs), len(v.Scanner.Results), v.Scanner.HasResults)
			}
		}
		for _, pt := range []string{TypeScoutVulnerabilities, TypeInTotoVulnsV02} {
			fs, err := ParseFindings(pt, b)
			if err == nil {
				for _, f := range fs {
					if f.Source != pt || !f.Severity.Valid() {
						t.Fatalf("finding %+v from %s", f, pt)
					}
				}
			} else {
				check(pt, nil, err)
			}
		}
		if v, err := ParseTests(b); check(TypeScoutTests, v.Raw, err) {
			if v.OK() != (v.Summary.Failed == 0) || !json.Valid(v.Summary.Raw) {
				t.Fatalf("tests %+v", v.Summary)
			}
		}
		if v, err := ParseSecrets(b); check(TypeScoutSecrets, v.Raw, err) {
			if v.Count() != len(v.Items) {
				t.Fatalf("Count() = %d for %d items", v.Count(), len(v.Items))
			}
		}
		if v, err := ParseVirusScan(b); check(TypeScoutVirus, v.Raw, err) {
			if n, ok := infectedFiles(v.Report); !ok || n != v.InfectedFiles || n < 0 {
				t.Fatalf("virus scan %+v", v)
			}
		}
		if v, err := ParseHealthScore(b); check(TypeScoutHealthScore, v.Raw, err) && !json.Valid(v.Raw) {
			t.Fatalf("health score Raw is not JSON")
		}
		if v, err := ParseScoutSBOM(b); check(TypeScoutSBOM, v.Raw, err) {
			for _, a := range v.Artifacts {
				if !json.Valid(a.Raw) {
					t.Fatalf("artifact Raw %q is not JSON", a.Raw)
				}
			}
		}
		if v, err := ParseScoutProvenance(b); check(TypeScoutProvenance, v.Raw, err) {
			_ = v.BaseImage
		}
		if v, err := ParseImageSource(b); check(TypeImageSource, v.Raw, err) {
			_ = v.Name
		}
	})
}

// FuzzInfectedFiles checks that the virus report scan agrees with the
// expression of DHI's policy.
func FuzzInfectedFiles(f *testing.F) {
	f.Add("----------- SCAN SUMMARY -----------\nKnown viruses: 8708690\nScanned files: 2144\nInfected files: 0\n")
	f.Add("Infected files: 12")
	f.Add("infected fileſ: 1\nInfected files: 2")
	re := regexp.MustCompile(`(?im)^Infected files: ([0-9]+)$`)
	f.Fuzz(func(t *testing.T, report string) {
		if strings.Contains(report, "\r") {
			return // infectedFiles also accepts a "\r" ending a line
		}
		checkInfectedFiles(t, re, report)
	})
}
