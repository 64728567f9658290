package sizelimit

import (
	"errors"
	"fmt"
	"testing"
)

func TestUnder(t *testing.T) {
	t.Parallel()
	invalid := errors.New("x: invalid document")
	sentinel := Under(invalid, "document too large")
	err := fmt.Errorf("%w: 10 bytes, limit 5", sentinel)
	if !errors.Is(err, sentinel) || !errors.Is(err, invalid) || !errors.Is(err, ErrTooLarge) {
		t.Errorf("%v does not match its sentinel, its parent and ErrTooLarge", err)
	}
	if got, want := err.Error(), "x: invalid document: document too large: 10 bytes, limit 5"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	if errors.Is(invalid, ErrTooLarge) {
		t.Error("the parent matches ErrTooLarge")
	}
}
