package goldentest

import (
	"fmt"
	"strings"
)

// ErrorCase is one bad input of an error-text table and the error it gave.
type ErrorCase struct {
	// Name says what is wrong with the input.
	Name string
	// Err is the error the input gave; nil is written as "no error".
	Err error
}

// ErrorTexts lays out a table of error texts for a golden file: each case's
// name, then its message indented on the next line.
func ErrorTexts(cases []ErrorCase) []byte {
	var b strings.Builder
	for _, c := range cases {
		msg := "no error"
		if c.Err != nil {
			msg = c.Err.Error()
		}
		fmt.Fprintf(&b, "%s\n\t%s\n", c.Name, strings.ReplaceAll(msg, "\n", "\n\t"))
	}
	return []byte(b.String())
}
