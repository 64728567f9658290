package goldentest

import (
	"errors"
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	t.Parallel()
	stable := strings.Repeat("a", 64)
	run1, run2 := strings.Repeat("b", 64), strings.Repeat("c", 64)
	in := "127.0.0.1:5000/x@sha256:" + run1 + " " + stable + " " + run2 + " " + run1
	m := Masker{Replace: []string{"127.0.0.1:5000", "registry.test"}, Stable: StableHex([]byte(`{"d":"` + stable + `"}`))}
	want := "registry.test/x@sha256:<hex-1> " + stable + " <hex-2> <hex-1>"
	if got := string(m.Mask([]byte(in))); got != want {
		t.Errorf("Mask() = %q, want %q", got, want)
	}
}

func TestErrorTexts(t *testing.T) {
	t.Parallel()
	got := string(ErrorTexts([]ErrorCase{{Name: "bad", Err: errors.New("x: bad\nsecond line")}, {Name: "good"}}))
	if want := "bad\n\tx: bad\n\tsecond line\ngood\n\tno error\n"; got != want {
		t.Errorf("ErrorTexts() = %q, want %q", got, want)
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	path := t.TempDir() + "/testdata/x.golden"
	Check(t, path, []byte("one\n"), true)
	Check(t, path, []byte("one\n"), false)
}
