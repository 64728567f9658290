package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/dhisdk/dhisdk/dhi"
)

// row is one image and platform. The JSON names are the jsonl format's;
// the CSV columns are the same, in the same order (see columns).
type row struct {
	Reference string `json:"reference"`
	// Platform is os/arch[/variant]; empty when the image was not opened.
	Platform string `json:"platform"`
	// Digest is the platform manifest's digest.
	Digest string `json:"digest"`
	// Name and Version are the DHI name and version labels.
	Name    string `json:"name"`
	Version string `json:"version"`
	// EndOfLife is the end-of-life date, YYYY-MM-DD; empty when unknown.
	EndOfLife string `json:"endOfLife"`
	// Packages and Exploitable are nil when the query failed (see Error).
	Packages    *int `json:"packages"`
	Exploitable *int `json:"exploitable"`
	// Verification is "verified", "partial N/M", "unverified" or
	// "not opened".
	Verification string `json:"verification"`
	// Error says what went wrong: why the image was not opened, what
	// could not be read, which query failed; empty when nothing did.
	Error string `json:"error"`
}

// columns are the CSV header.
var columns = []string{"reference", "platform", "digest", "name", "version", "endOfLife", "packages", "exploitable", "verification", "error"}

func (r row) record() []string {
	count := func(n *int) string {
		if n == nil {
			return ""
		}
		return strconv.Itoa(*n)
	}
	return []string{r.Reference, r.Platform, r.Digest, r.Name, r.Version, r.EndOfLife,
		count(r.Packages), count(r.Exploitable), r.Verification, r.Error}
}

// Verification statuses other than "partial N/M".
const (
	statusVerified   = "verified"
	statusUnverified = "unverified"
	statusNotOpened  = "not opened"
)

// rowsOf returns the rows of one opened image: one a platform, or one with
// the error when the image could not be opened.
func rowsOf(r dhi.Opened) []row {
	if r.Err != nil {
		return []row{{Reference: r.Reference, Verification: statusNotOpened, Error: oneLine(r.Err)}}
	}
	img := r.Image
	var problems []string
	for _, p := range img.Problems {
		problems = append(problems, oneLine(p))
	}
	if len(img.Platforms) == 0 {
		return []row{{Reference: r.Reference, Digest: img.Root.Digest.String(), Verification: statusUnverified,
			Error: strings.Join(append(problems, "no platform"), "; ")}}
	}
	rows := make([]row, 0, len(img.Platforms))
	for _, p := range img.Platforms {
		lc := p.Lifecycle()
		rw := row{Reference: r.Reference, Platform: p.String(), Digest: p.Descriptor.Digest.String(),
			Name: lc.Name, Version: lc.Version, Verification: verification(p)}
		if !lc.EndOfLife.IsZero() {
			rw.EndOfLife = lc.EndOfLife.Format(time.DateOnly)
		}
		errs := append([]string(nil), problems...)
		if pkgs, err := p.Packages(); err != nil {
			errs = append(errs, "packages: "+oneLine(err))
		} else {
			n := len(pkgs)
			rw.Packages = &n
		}
		if vulns, err := p.Exploitable(); err != nil {
			errs = append(errs, "exploitable: "+oneLine(err))
		} else {
			n := len(vulns)
			rw.Exploitable = &n
		}
		rw.Error = strings.Join(errs, "; ")
		rows = append(rows, rw)
	}
	return rows
}

// verification says how many of the platform's attestations verified.
func verification(p *dhi.Platform) string {
	verified := 0
	for _, a := range p.Attestations {
		if a.Verified {
			verified++
		}
	}
	switch {
	case verified == 0:
		return statusUnverified
	case verified == len(p.Attestations):
		return statusVerified
	default:
		return fmt.Sprintf("partial %d/%d", verified, len(p.Attestations))
	}
}

// oneLine returns err's message on one line: joined errors are separated
// by "; ".
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
}

func hasError(rows []row) bool {
	for _, r := range rows {
		if r.Error != "" {
			return true
		}
	}
	return false
}

// The output formats.
const (
	formatCSV   = "csv"
	formatJSONL = "jsonl"
)

// writer writes rows in one format; flush sends what it buffered.
type writer interface {
	header() error
	row(row) error
	flush() error
}

func newWriter(format string, w io.Writer) (writer, error) {
	switch format {
	case formatCSV:
		return &csvWriter{w: csv.NewWriter(w)}, nil
	case formatJSONL:
		b := bufio.NewWriter(w)
		return &jsonlWriter{b: b, enc: json.NewEncoder(b)}, nil
	}
	return nil, fmt.Errorf("-format %q: want csv or jsonl", format)
}

type csvWriter struct{ w *csv.Writer }

func (c *csvWriter) header() error   { return c.w.Write(columns) }
func (c *csvWriter) row(r row) error { return c.w.Write(r.record()) }
func (c *csvWriter) flush() error    { c.w.Flush(); return c.w.Error() }

type jsonlWriter struct {
	b   *bufio.Writer
	enc *json.Encoder
}

func (j *jsonlWriter) header() error   { return nil }
func (j *jsonlWriter) row(r row) error { return j.enc.Encode(r) }
func (j *jsonlWriter) flush() error    { return j.b.Flush() }
