package imageref

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseDigest(t *testing.T) {
	t.Parallel()
	h64, h128 := strings.Repeat("ab", 32), strings.Repeat("cd", 64)
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"sha256", "sha256:" + h64, "sha256:" + h64, true},
		{"sha256 upper case", "SHA256:" + strings.ToUpper(h64), "sha256:" + h64, true},
		{"sha512", "sha512:" + h128, "sha512:" + h128, true},
		{"sha256 of sha512 length", "sha256:" + h128, "", false},
		{"sha512 of sha256 length", "sha512:" + h64, "", false},
		{"32 hex digits", "sha256:" + h64[:32], "", false},
		{"unknown algorithm", "md5:" + h64[:32], "", false},
		{"not hex", "sha256:" + strings.Repeat("zz", 32), "", false},
		{"no algorithm", h64, "", false},
		{"empty", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := ParseDigest(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("ParseDigest(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
			}
			if IsDigest(tc.in) != tc.ok {
				t.Errorf("IsDigest(%q) = %v", tc.in, !tc.ok)
			}
		})
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	d := "sha256:" + strings.Repeat("ab", 32)
	tests := []struct {
		in   string
		want Reference
		ok   bool
	}{
		{"alpine", Reference{Registry: "docker.io", Path: "library/alpine"}, true},
		{"alpine:3.22", Reference{Registry: "docker.io", Path: "library/alpine", Tag: "3.22"}, true},
		{"dhi/python:3.13", Reference{Registry: "docker.io", Path: "dhi/python", Tag: "3.13"}, true},
		{"index.docker.io/dhi/python", Reference{Registry: "docker.io", Path: "dhi/python"}, true},
		{"registry-1.docker.io/alpine", Reference{Registry: "docker.io", Path: "library/alpine"}, true},
		{"dhi.io/Python:3.13@" + strings.ToUpper(d), Reference{Registry: "dhi.io", Path: "python", Tag: "3.13", Digest: d}, true},
		{"registry.scout.docker.com/dhi/python", Reference{Registry: "registry.scout.docker.com", Path: "dhi/python"}, true},
		{"localhost:5000/m/app:v1", Reference{Registry: "localhost:5000", Path: "m/app", Tag: "v1"}, true},
		{"localhost/app", Reference{Registry: "localhost", Path: "app"}, true},
		{"dhi.io/python@sha256:abc", Reference{}, false},
		{"dhi.io/python:", Reference{}, false},
		{"https://dhi.io/python", Reference{}, false},
		{"dhi.io//python", Reference{}, false},
		{"dhi python", Reference{}, false},
		{"", Reference{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("Parse(%q) error %v, want ok %v", tc.in, err, tc.ok)
			}
			if err != nil {
				if !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), "imageref: ") {
					t.Errorf("error %q does not wrap ErrInvalid", err)
				}
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestNormalizeRepository(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"python":                         "docker.io/library/python",
		"/dhi/Python/":                   "docker.io/dhi/python",
		"docker.io/dhi/python":           "docker.io/dhi/python",
		"dhi.io/python":                  "dhi.io/python",
		"ghcr.io/org/tool":               "ghcr.io/org/tool",
		"registry.scout.docker.com/x/y":  "registry.scout.docker.com/x/y",
		"127.0.0.1:5004/m/app":           "127.0.0.1:5004/m/app",
		"index.docker.io/library/alpine": "docker.io/library/alpine",
	} {
		if got := NormalizeRepository(in); got != want {
			t.Errorf("NormalizeRepository(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Familiar("docker.io/dhi/python"); got != "dhi/python" {
		t.Errorf("Familiar = %q", got)
	}
	if r, _ := Parse("dhi.io/python:3@sha256:" + strings.Repeat("0", 64)); r.String() != "dhi.io/python:3@sha256:"+strings.Repeat("0", 64) {
		t.Errorf("String = %q", r.String())
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"alpine", "dhi.io/python:3.13@sha256:" + strings.Repeat("ab", 32), "localhost:5000/a/b:c", "a@sha512:" + strings.Repeat("0", 128), "x//y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Parse(s)
		if err != nil {
			return
		}
		again, err := Parse(r.String())
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", s, r.String(), err)
		}
		if again != r {
			t.Fatalf("Parse(%q) = %+v, again %+v", s, r, again)
		}
		if r.Digest != "" && !IsDigest(r.Digest) {
			t.Fatalf("digest %q", r.Digest)
		}
	})
}
