package main

import (
	"fmt"
	"io"
	"strings"
)

// progress reports on stderr how many images were opened, overwriting one
// line in place, when stderr is a terminal; otherwise it writes nothing,
// so that logs of unattended runs hold only errors.
type progress struct {
	w          io.Writer
	on         bool
	total      int
	done, fail int
	width      int // of the line last written
}

func newProgress(w io.Writer, terminal bool, total int) *progress {
	return &progress{w: w, on: terminal, total: total}
}

// update counts one image, failed or not, and rewrites the line.
func (p *progress) update(failed bool) {
	p.done++
	if failed {
		p.fail++
	}
	p.show(fmt.Sprintf("%d/%d opened, %d failed", p.done, p.total, p.fail))
}

// finish clears the line and writes the summary in its place.
func (p *progress) finish(summary string) {
	if !p.on {
		return
	}
	p.show("")
	fmt.Fprintf(p.w, "%s\n", summary)
}

func (p *progress) show(line string) {
	if !p.on {
		return
	}
	pad := max(p.width-len(line), 0)
	fmt.Fprintf(p.w, "\r%s%s\r", line, strings.Repeat(" ", pad))
	p.width = len(line)
}
