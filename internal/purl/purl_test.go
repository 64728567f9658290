package purl

import (
	"errors"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	packageurl "github.com/package-url/packageurl-go"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

func TestParse(t *testing.T) {
	t.Parallel()
	q := func(kv ...string) packageurl.Qualifiers {
		var qs packageurl.Qualifiers
		for i := 0; i < len(kv); i += 2 {
			qs = append(qs, packageurl.Qualifier{Key: kv[i], Value: kv[i+1]})
		}
		return qs
	}
	tests := []struct {
		name string
		in   string
		want packageurl.PackageURL
	}{
		{
			name: "DHI VEX deb with os qualifiers",
			in:   "pkg:deb/debian/glibc@2.41-12?os_distro=trixie&os_name=debian&os_version=13",
			want: packageurl.PackageURL{Type: "deb", Namespace: "debian", Name: "glibc", Version: "2.41-12",
				Qualifiers: q("os_distro", "trixie", "os_name", "debian", "os_version", "13")},
		},
		{
			name: "DHI VEX unversioned deb",
			in:   "pkg:deb/debian/libcpupower1",
			want: packageurl.PackageURL{Type: "deb", Namespace: "debian", Name: "libcpupower1"},
		},
		{
			name: "syft deb with distro, upstream and package-id",
			in:   "pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12&package-id=362b298150a7374b&upstream=glibc",
			want: packageurl.PackageURL{Type: "deb", Namespace: "debian", Name: "libc6", Version: "2.36-9+deb12u14",
				Qualifiers: q("arch", "amd64", "distro", "debian-12", "package-id", "362b298150a7374b", "upstream", "glibc")},
		},
		{
			name: "trivy deb epoch qualifier folds into the version",
			in:   "pkg:deb/debian/bsdutils@2.33.1-0.1?arch=amd64&distro=debian-10.2&epoch=1",
			want: packageurl.PackageURL{Type: "deb", Namespace: "debian", Name: "bsdutils", Version: "1:2.33.1-0.1",
				Qualifiers: q("arch", "amd64", "distro", "debian-10.2")},
		},
		{
			name: "DHI apk",
			in:   "pkg:apk/alpine/busybox@1.37.0-r19?os_name=alpine&os_version=3.22",
			want: packageurl.PackageURL{Type: "apk", Namespace: "alpine", Name: "busybox", Version: "1.37.0-r19",
				Qualifiers: q("os_name", "alpine", "os_version", "3.22")},
		},
		{
			name: "DHI package attestation subject with empty qualifiers",
			in:   "pkg:apk/alpine/golang-1.26@1.26.0-r0?os_name=&os_version=",
			want: packageurl.PackageURL{Type: "apk", Namespace: "alpine", Name: "golang-1.26", Version: "1.26.0-r0"},
		},
		{
			name: "type and case-insensitive name lowercased, qualifier key lowercased",
			in:   "PKG:DEB/Debian/LibC6@2.36?ARCH=amd64",
			want: packageurl.PackageURL{Type: "deb", Namespace: "debian", Name: "libc6", Version: "2.36",
				Qualifiers: q("arch", "amd64")},
		},
		{
			name: "golang keeps case",
			in:   "pkg:golang/github.com/BurntSushi/toml@v1.3.2",
			want: packageurl.PackageURL{Type: "golang", Namespace: "github.com/BurntSushi", Name: "toml", Version: "v1.3.2"},
		},
		{
			name: "golang with subpath and uppercase type",
			in:   "pkg:Golang/google.golang.org/genproto#googleapis/api/annotations",
			want: packageurl.PackageURL{Type: "golang", Namespace: "google.golang.org", Name: "genproto", Subpath: "googleapis/api/annotations"},
		},
		{
			name: "DHI VEX golang",
			in:   "pkg:golang/github.com/sigstore/timestamp-authority@v1.2.2",
			want: packageurl.PackageURL{Type: "golang", Namespace: "github.com/sigstore", Name: "timestamp-authority", Version: "v1.2.2"},
		},
		{
			name: "pypi lowercase and underscore",
			in:   "pkg:pypi/Django_REST_framework@3.15.2",
			want: packageurl.PackageURL{Type: "pypi", Name: "django-rest-framework", Version: "3.15.2"},
		},
		{
			name: "npm scope and name lowercased",
			in:   "pkg:npm/%40Angular/Core@17.0.0",
			want: packageurl.PackageURL{Type: "npm", Namespace: "@angular", Name: "core", Version: "17.0.0"},
		},
		{
			name: "gem keeps case",
			in:   "pkg:gem/RedCloth@4.3.2",
			want: packageurl.PackageURL{Type: "gem", Name: "RedCloth", Version: "4.3.2"},
		},
		{
			name: "DHI VEX docker product",
			in:   "pkg:docker/dhi/python",
			want: packageurl.PackageURL{Type: "docker", Namespace: "dhi", Name: "python"},
		},
		{
			name: "DHI VEX oci product with encoded slash",
			in:   "pkg:oci/dhi%2Fpython",
			want: packageurl.PackageURL{Type: "oci", Name: "dhi/python"},
		},
		{
			name: "trivy VEX oci product with digest version",
			in:   "pkg:oci/alpine@sha256%3A124c7d2707904eea7431fffe91522a01e5a861a624ee31d03372cc1d138a3126",
			want: packageurl.PackageURL{Type: "oci", Name: "alpine", Version: "sha256:124c7d2707904eea7431fffe91522a01e5a861a624ee31d03372cc1d138a3126"},
		},
		{
			name: "DHI dhi type",
			in:   "pkg:dhi/python@3.12.12",
			want: packageurl.PackageURL{Type: "dhi", Name: "python", Version: "3.12.12"},
		},
		{
			name: "surrounding space",
			in:   "  pkg:deb/debian/tar@1.35%2Bdfsg-3.1%2Bdhi1?os_distro=trixie&os_name=debian&os_version=13\n",
			want: packageurl.PackageURL{Type: "deb", Namespace: "debian", Name: "tar", Version: "1.35+dfsg-3.1+dhi1",
				Qualifiers: q("os_distro", "trixie", "os_name", "debian", "os_version", "13")},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tc.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
	}{
		{name: "empty", in: ""},
		{name: "no scheme", in: "deb/debian/glibc"},
		{name: "no name", in: "pkg:deb/"},
		{name: "image reference", in: "dhi.io/python@sha256:abc"},
		{name: "duplicate qualifier", in: "pkg:deb/debian/x?arch=amd64&ARCH=arm64"},
		{name: "bad percent escape", in: "pkg:deb/debian/x%zz"},
		{name: "golang without name", in: "pkg:golang/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tc.in)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Parse(%q) error = %v, want %v", tc.in, err, ErrInvalid)
			}
		})
	}
}

func TestDistro(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string
	}{
		{"pkg:deb/debian/glibc@2.41-12?os_distro=trixie&os_name=debian&os_version=13", "debian-13"},
		{"pkg:deb/debian/glibc@2.36-9%2Bdeb12u13?os_distro=bookworm&os_name=debian&os_version=12", "debian-12"},
		{"pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12&upstream=glibc", "debian-12"},
		{"pkg:deb/debian/libc6@2.28-10?arch=amd64&distro=debian-10.2", "debian-10"},
		{"pkg:deb/debian/libc6@2.28-10?distro=bookworm", "debian-12"},
		{"pkg:deb/debian/libc6@2.28-10?os_distro=trixie", "debian-13"},
		{"pkg:deb/debian/libc6@2.28-10?os_version=13.1", "debian-13"},
		{"pkg:deb/ubuntu/libc6@2.35?distro=ubuntu-22.04", "ubuntu-22.04"},
		{"pkg:deb/ubuntu/libc6@2.35?os_distro=jammy", "ubuntu-22.04"},
		{"pkg:apk/alpine/busybox@1.37.0-r19?os_name=alpine&os_version=3.22", "alpine-3.22"},
		{"pkg:apk/alpine/busybox@1.35.0-r17?arch=x86_64&distro=3.16.0", "alpine-3.16"},
		{"pkg:apk/alpine/busybox@1.35.0-r17?distro=alpine-3.16.0", "alpine-3.16"},
		{"pkg:apk/alpine/busybox@1.35.0-r17?distro=v3.16", "alpine-3.16"},
		{"pkg:apk/alpine/busybox@1.35.0-r17?distro=alpine-edge", "alpine-edge"},
		{"pkg:deb/dhi/coreutils@9.7-3%2Bdhi3?os_distro=debian&os_name=dhi&os_version=13", "dhi-13"},
		{"pkg:deb/dhi/coreutils@9.7-3%2Bdhi3?distro=dhi-13", "dhi-13"},
		{"pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25", "fedora-25"},
		{"pkg:rpm/opensuse/curl@8.0?distro=opensuse-leap-15.5", "opensuse-leap-15.5"},
		{"pkg:deb/debian/sid-pkg@1?distro=sid", "debian-sid"},
		{"pkg:deb/debian/libcpupower1", ""},
		{"pkg:apk/alpine/golang-1.26@1.26.0-r0?os_name=&os_version=", ""},
		{"pkg:generic/thing@1?distro=3.4", "3.4"},
		{"pkg:generic/thing@1?os_name=Debian", "debian"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			p, err := Parse(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := Distro(p); got != tc.want {
				t.Errorf("Distro(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		prec Precision
		want string
	}{
		{"pkg:deb/debian/glibc@2.41-12?os_distro=trixie&os_name=debian&os_version=13", NameOnly, "pkg:deb/debian/glibc"},
		{"pkg:deb/debian/glibc@2.41-12?os_distro=trixie&os_name=debian&os_version=13", WithVersion, "pkg:deb/debian/glibc@2.41-12"},
		{"pkg:deb/debian/glibc@2.41-12?os_distro=trixie&os_name=debian&os_version=13", WithQualifiers, "pkg:deb/debian/glibc@2.41-12?distro=debian-13"},
		{"pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12&package-id=362b298150a7374b&upstream=glibc", WithQualifiers,
			"pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12"},
		{"pkg:deb/debian/bsdutils@2.33.1-0.1?arch=amd64&distro=debian-10.2&epoch=1", WithVersion, "pkg:deb/debian/bsdutils@1:2.33.1-0.1"},
		{"pkg:rpm/redhat/openssl@1.0.2k-19.el7?arch=x86_64&epoch=1&distro=redhat-7.9", WithQualifiers, "pkg:rpm/redhat/openssl@1:1.0.2k-19.el7?arch=x86_64&distro=redhat-7.9"},
		{"pkg:golang/github.com/BurntSushi/toml@v1.3.2#sub/pkg", WithVersion, "pkg:golang/github.com/burntsushi/toml@v1.3.2"},
		{"pkg:oci/dhi%2Fpython", NameOnly, "pkg:oci/dhi%2Fpython"},
		{"pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1?type=jar&classifier=sources&repository_url=repo.example.com", WithQualifiers,
			"pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1?classifier=sources&type=jar"},
		{"pkg:docker/dhi/python@3.13?platform=linux%2Farm64&repository_url=dhi.io", WithQualifiers, "pkg:docker/dhi/python@3.13?platform=linux%2Farm64"},
		{"pkg:apk/alpine/busybox@1.37.0-r19?os_name=alpine&os_version=3.22", WithQualifiers, "pkg:apk/alpine/busybox@1.37.0-r19?distro=alpine-3.22"},
	}
	for _, tc := range tests {
		t.Run(tc.prec.String()+" "+tc.in, func(t *testing.T) {
			t.Parallel()
			p, err := Parse(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := Key(p, tc.prec); got != tc.want {
				t.Errorf("Key(%q, %v) = %q, want %q", tc.in, tc.prec, got, tc.want)
			}
		})
	}
}

// TestKeyEquivalence checks that the different ways tools write the same
// package give the same key.
func TestKeyEquivalence(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		prec  Precision
		purls []string
	}{
		{
			name: "DHI os qualifiers and syft/trivy distro, tool bookkeeping ignored",
			prec: WithQualifiers,
			purls: []string{
				"pkg:deb/debian/glibc@2.41-12?os_distro=trixie&os_name=debian&os_version=13",
				"pkg:deb/debian/glibc@2.41-12?distro=debian-13",
				"pkg:deb/debian/glibc@2.41-12?distro=debian-13&upstream=glibc&package-id=0123456789abcdef",
				"pkg:deb/debian/glibc@2.41-12?distro=trixie",
				"pkg:deb/debian/glibc@2.41-12?os_distro=trixie",
			},
		},
		{
			name: "apk DHI form and trivy bare distro",
			prec: WithQualifiers,
			purls: []string{
				"pkg:apk/alpine/busybox@1.37.0-r19?os_name=alpine&os_version=3.22",
				"pkg:apk/alpine/busybox@1.37.0-r19?distro=3.22.1",
				"pkg:apk/alpine/busybox@1.37.0-r19?distro=alpine-3.22.0",
			},
		},
		{
			name: "deb epoch as qualifier or in the version",
			prec: WithQualifiers,
			purls: []string{
				"pkg:deb/debian/bsdutils@2.33.1-0.1?arch=amd64&distro=debian-10.2&epoch=1",
				"pkg:deb/debian/bsdutils@1:2.33.1-0.1?arch=amd64&distro=debian-10",
				"pkg:deb/debian/bsdutils@1%3A2.33.1-0.1?arch=AMD64&os_name=debian&os_version=10",
			},
		},
		{
			name: "golang case",
			prec: WithVersion,
			purls: []string{
				"pkg:golang/github.com/BurntSushi/toml@v1.3.2",
				"pkg:golang/github.com/burntsushi/toml@v1.3.2",
			},
		},
		{
			name:  "name only ignores version and qualifiers",
			prec:  NameOnly,
			purls: []string{"pkg:deb/debian/glibc", "pkg:deb/debian/glibc@2.41-12?os_name=debian", "pkg:DEB/Debian/GLIBC@1#x"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var first string
			for i, s := range tc.purls {
				p, err := Parse(s)
				if err != nil {
					t.Fatal(err)
				}
				k := Key(p, tc.prec)
				if i == 0 {
					first = k
					continue
				}
				if k != first {
					t.Errorf("Key(%q) = %q, differs from Key(%q) = %q", s, k, tc.purls[0], first)
				}
			}
		})
	}
}

func TestKeyDistinguishes(t *testing.T) {
	t.Parallel()
	pairs := [][2]string{
		{"pkg:deb/debian/glibc@2.41-12?distro=debian-13", "pkg:deb/debian/glibc@2.41-12?distro=debian-12"},
		{"pkg:deb/debian/glibc@2.41-12?arch=amd64", "pkg:deb/debian/glibc@2.41-12?arch=arm64"},
		{"pkg:deb/debian/glibc@2.41-12", "pkg:deb/debian/glibc@2.41-13"},
		{"pkg:deb/debian/glibc@2.41-12", "pkg:deb/ubuntu/glibc@2.41-12"},
		{"pkg:gem/RedCloth@4.3.2", "pkg:gem/redcloth@4.3.2"},
	}
	for _, pair := range pairs {
		a, err := Parse(pair[0])
		if err != nil {
			t.Fatal(err)
		}
		b, err := Parse(pair[1])
		if err != nil {
			t.Fatal(err)
		}
		if ka, kb := Key(a, WithQualifiers), Key(b, WithQualifiers); ka == kb {
			t.Errorf("Key(%q) == Key(%q) == %q, want different", pair[0], pair[1], ka)
		}
	}
}

// fixturePURLs returns the distinct purls found in the named fixtures.
func fixturePURLs(tb testing.TB, names ...string) []string {
	tb.Helper()
	re := regexp.MustCompile(`pkg:[a-z]+/[^"\s]+`)
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		for _, m := range re.FindAll(fixture.Bytes(tb, n), -1) {
			s := string(m)
			s = regexp.MustCompile(`\\u0026`).ReplaceAllString(s, "&")
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// TestFixturePURLs parses every purl in the real documents and checks that
// keys are stable: the key of a key is the key itself.
func TestFixturePURLs(t *testing.T) {
	t.Parallel()
	purls := fixturePURLs(t,
		"dhi/advisories/vex/dhi-python.vex.json",
		"dhi/advisories/vex/dhi-trivy.vex.json",
		"dhi/advisories/vex/dhi-busybox.vex.json",
		"spdx/syft-1.57.1_debian-pkgs-image.spdx-2.3.json",
		"cyclonedx/trivy_fluentd-container.cdx-1.6.json",
		"openvex/trivy-project.openvex.json",
	)
	if len(purls) < 500 {
		t.Fatalf("found %d purls in the fixtures, want at least 500", len(purls))
	}
	for _, s := range purls {
		p, err := Parse(s)
		if err != nil {
			t.Errorf("Parse(%q): %v", s, err)
			continue
		}
		for _, prec := range []Precision{NameOnly, WithVersion, WithQualifiers} {
			k := Key(p, prec)
			kp, err := Parse(k)
			if err != nil {
				t.Errorf("Parse(Key(%q, %v) = %q): %v", s, prec, k, err)
				continue
			}
			if k2 := Key(kp, prec); k2 != k {
				t.Errorf("Key of key of %q at %v = %q, want %q", s, prec, k2, k)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range fixturePURLs(f,
		"dhi/advisories/vex/dhi-trivy.vex.json",
		"dhi/advisories/vex/dhi-busybox.vex.json",
		"dhi/advisories/vex/dhi-alpine-base.vex.json",
		"openvex/trivy-project.openvex.json",
	) {
		f.Add(s)
	}
	f.Add("pkg:deb/debian/bsdutils@2.33.1-0.1?arch=amd64&distro=debian-10.2&epoch=1")
	f.Add("pkg:golang/github.com/BurntSushi/toml@v1.3.2#sub")
	f.Add("pkg:pypi/Django_REST@1")
	f.Add("pkg:apk/alpine/busybox@1?distro=3.16.0")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Parse(%q) error %v does not wrap ErrInvalid", s, err)
			}
			return
		}
		_ = Distro(p)
		for _, prec := range []Precision{NameOnly, WithVersion, WithQualifiers} {
			k := Key(p, prec)
			kp, err := Parse(k)
			if err != nil {
				t.Fatalf("Parse(Key(%q, %v) = %q): %v", s, prec, k, err)
			}
			if k2 := Key(kp, prec); k2 != k {
				t.Fatalf("Key of key of %q at %v = %q, want %q", s, prec, k2, k)
			}
		}
	})
}
