package sbom_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dhisdk/dhisdk/sbom"
)

// dhiCycloneDX is a hand-made CycloneDX 1.6 BOM in the shape of a DHI image
// SBOM, with the package URL forms DHI uses: deb with os_distro, os_name
// and os_version qualifiers and a +dhi version, apk with os_name and
// os_version, and the dhi type.
const dhiCycloneDX = `{
  "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
  "metadata": {"component": {"bom-ref": "image", "type": "container", "name": "dhi.io/python", "version": "3.13", "purl": "pkg:dhi/python@3.13.13"}},
  "components": [
    {"bom-ref": "tar", "type": "library", "name": "tar", "version": "1.35+dfsg-3.1+dhi1",
     "purl": "pkg:deb/debian/tar@1.35%2Bdfsg-3.1%2Bdhi1?os_distro=trixie&os_name=debian&os_version=13",
     "licenses": [{"license": {"id": "GPL-3.0-or-later"}}]},
    {"bom-ref": "libc6", "type": "library", "name": "libc6", "version": "2.41-12+deb13u2",
     "purl": "pkg:deb/debian/libc6@2.41-12%2Bdeb13u2?arch=amd64&os_distro=trixie&os_name=debian&os_version=13&upstream=glibc",
     "licenses": [{"expression": "LGPL-2.1-or-later AND GPL-2.0-or-later"}]},
    {"bom-ref": "libc-bin", "type": "library", "name": "libc-bin", "version": "2.41-12+deb13u2",
     "purl": "pkg:deb/debian/libc-bin@2.41-12%2Bdeb13u2?arch=amd64&os_distro=trixie&os_name=debian&os_version=13&upstream=glibc"},
    {"bom-ref": "busybox", "type": "library", "name": "busybox", "version": "1.37.0-r19",
     "purl": "pkg:apk/alpine/busybox@1.37.0-r19?os_name=alpine&os_version=3.22",
     "licenses": [{"license": {"id": "GPL-2.0-only"}, "acknowledgement": "concluded"}]},
    {"bom-ref": "python", "type": "application", "name": "python", "version": "3.12.12", "purl": "pkg:dhi/python@3.12.12",
     "licenses": [{"expression": "PSF-2.0 OR MIT"}]}
  ],
  "dependencies": [
    {"ref": "image", "dependsOn": ["python"]},
    {"ref": "python", "dependsOn": ["libc6"]},
    {"ref": "libc6", "dependsOn": ["libc-bin"]}
  ]
}`

func names(pkgs []*sbom.Package) []string {
	out := []string{}
	for _, p := range pkgs {
		out = append(out, p.Name)
	}
	return out
}

// TestByPURL checks lookups by package URL at each precision, with the DHI
// purl forms and with the forms other tools write for the same packages.
func TestByPURL(t *testing.T) {
	t.Parallel()
	d := mustParse(t, []byte(dhiCycloneDX))
	tests := []struct {
		name string
		purl string
		prec sbom.Precision
		want []string
	}{
		{"DHI deb as written", "pkg:deb/debian/tar@1.35%2Bdfsg-3.1%2Bdhi1?os_distro=trixie&os_name=debian&os_version=13", sbom.PrecisionQualifiers, []string{"tar"}},
		{"DHI deb, syft's distro form", "pkg:deb/debian/tar@1.35%2Bdfsg-3.1%2Bdhi1?distro=debian-13", sbom.PrecisionQualifiers, []string{"tar"}},
		{"DHI deb, unescaped plus", "pkg:deb/debian/tar@1.35+dfsg-3.1+dhi1?os_name=debian&os_version=13", sbom.PrecisionQualifiers, []string{"tar"}},
		{"DHI deb, other distro", "pkg:deb/debian/tar@1.35%2Bdfsg-3.1%2Bdhi1?distro=debian-12", sbom.PrecisionQualifiers, []string{}},
		{"other distro, version precision", "pkg:deb/debian/tar@1.35%2Bdfsg-3.1%2Bdhi1?distro=debian-12", sbom.PrecisionVersion, []string{"tar"}},
		{"other version", "pkg:deb/debian/tar@1.34", sbom.PrecisionVersion, []string{}},
		{"other version, name precision", "pkg:deb/debian/tar@1.34", sbom.PrecisionName, []string{"tar"}},
		{"upstream qualifier ignored", "pkg:deb/debian/libc6@2.41-12%2Bdeb13u2?arch=amd64&distro=debian-13", sbom.PrecisionQualifiers, []string{"libc6"}},
		{"arch compared", "pkg:deb/debian/libc6@2.41-12%2Bdeb13u2?arch=arm64&distro=debian-13", sbom.PrecisionQualifiers, []string{}},
		{"apk, distro form", "pkg:apk/alpine/busybox@1.37.0-r19?distro=alpine-3.22", sbom.PrecisionQualifiers, []string{"busybox"}},
		{"apk, case of name", "pkg:apk/alpine/BusyBox@1.37.0-r19", sbom.PrecisionVersion, []string{"busybox"}},
		{"dhi type", "pkg:dhi/python@3.12.12", sbom.PrecisionQualifiers, []string{"python"}},
		{"dhi type, any version: the subject too", "pkg:dhi/python", sbom.PrecisionName, []string{"dhi.io/python", "python"}},
		{"unknown package", "pkg:npm/left-pad@1.3.0", sbom.PrecisionName, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := d.ByPURL(tc.purl, tc.prec)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, names(got)); diff != "" {
				t.Errorf("ByPURL(%q, %s) (-want +got):\n%s", tc.purl, tc.prec, diff)
			}
		})
	}
	for _, bad := range []struct {
		purl string
		prec sbom.Precision
	}{{"not a purl", sbom.PrecisionName}, {"pkg:deb/debian/tar", "exact"}} {
		if _, err := d.ByPURL(bad.purl, bad.prec); !errors.Is(err, sbom.ErrInvalidQuery) {
			t.Errorf("ByPURL(%q, %q) error = %v, want ErrInvalidQuery", bad.purl, bad.prec, err)
		}
	}
}

// TestSourcePackages checks the source package of binary packages, as each
// tool writes it, and the lookups over it.
func TestSourcePackages(t *testing.T) {
	t.Parallel()
	dhi := mustParse(t, []byte(dhiCycloneDX))
	trivy := parseFixture(t, trivyCDX16)
	syft := parseFixture(t, syftSPDX)
	syftCDX := parseFixture(t, syftCDX16)
	tests := []struct {
		name string
		doc  *sbom.Document
		purl string
		want []string
	}{
		// DHI VEX names source packages in exactly this form.
		{"DHI libc6 via upstream", dhi, "pkg:deb/debian/libc6@2.41-12%2Bdeb13u2?arch=amd64&os_distro=trixie&os_name=debian&os_version=13",
			[]string{"pkg:deb/debian/glibc@2.41-12%2Bdeb13u2?os_distro=trixie&os_name=debian&os_version=13"}},
		{"DHI tar names no source", dhi, "pkg:deb/debian/tar@1.35%2Bdfsg-3.1%2Bdhi1?os_distro=trixie&os_name=debian&os_version=13", nil},
		{"trivy SrcName, SrcVersion, SrcRelease", trivy, "pkg:deb/debian/libc6@2.28-10?arch=amd64&distro=debian-10.2",
			[]string{"pkg:deb/debian/glibc@2.28-10?distro=debian-10.2"}},
		{"trivy without the binary's epoch", trivy, "pkg:deb/debian/bsdutils@2.33.1-0.1?arch=amd64&distro=debian-10.2&epoch=1",
			[]string{"pkg:deb/debian/util-linux@2.33.1-0.1?distro=debian-10.2"}},
		{"trivy SrcEpoch", trivy, "pkg:deb/debian/diffutils@1:3.7-3?arch=amd64&distro=debian-10.2",
			[]string{"pkg:deb/debian/diffutils@1:3.7-3?distro=debian-10.2"}},
		{"syft SPDX upstream name only", syft, "pkg:deb/debian/apt-transport-https@2.6.1?arch=all&distro=debian-12",
			[]string{"pkg:deb/debian/apt@2.6.1?distro=debian-12"}},
		{"syft SPDX upstream with version", syft, "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bdeb12u3?arch=amd64&distro=debian-12",
			[]string{"pkg:deb/debian/util-linux@2.38.1-5%2Bdeb12u3?distro=debian-12"}},
		{"syft SPDX, DHI qualifier form, no version", syft, "pkg:deb/debian/libc6?os_name=debian&os_version=12",
			[]string{"pkg:deb/debian/glibc@2.36-9%2Bdeb12u14?distro=debian-12"}},
		{"syft CycloneDX properties", syftCDX, "pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12",
			[]string{"pkg:deb/debian/glibc@2.36-9%2Bdeb12u14?distro=debian-12"}},
		{"syft: source named like the binary", syft, "pkg:deb/debian/adduser@3.134?arch=all&distro=debian-12", nil},
		{"no such package", syft, "pkg:deb/debian/nosuch@1.0", nil},
		{"not a purl", syft, "glibc", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, tc.doc.SourcePURLs(tc.purl)); diff != "" {
				t.Errorf("SourcePURLs(%q) (-want +got):\n%s", tc.purl, diff)
			}
		})
	}

	got, err := dhi.BySourcePURL("pkg:deb/debian/glibc@2.41-12%2Bdeb13u2?os_distro=trixie&os_name=debian&os_version=13", sbom.PrecisionQualifiers)
	if err != nil || !cmp.Equal(names(got), []string{"libc6", "libc-bin"}) {
		t.Errorf("BySourcePURL(glibc) = %v, %v; want libc6, libc-bin", names(got), err)
	}
	got, err = syft.BySourcePURL("pkg:deb/debian/util-linux", sbom.PrecisionName)
	if err != nil || len(got) < 5 {
		t.Errorf("BySourcePURL(util-linux) = %v, %v; want the util-linux binaries", names(got), err)
	}
	libc6 := trivy.ByName("libc6")[0]
	if diff := cmp.Diff(&sbom.Source{Name: "glibc", Version: "2.28-10"}, libc6.Source, cmpIgnorePURL); diff != "" {
		t.Errorf("trivy libc6 source (-want +got):\n%s", diff)
	}
}

// TestLookups checks the lookups by name, ecosystem and licence, and paths.
func TestLookups(t *testing.T) {
	t.Parallel()
	dhi := mustParse(t, []byte(dhiCycloneDX))
	syft := parseFixture(t, syftSPDX)
	trivy := parseFixture(t, trivyCDX16)

	check := func(what string, want []string, got []*sbom.Package) {
		t.Helper()
		if diff := cmp.Diff(want, names(got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", what, diff)
		}
	}
	check("ByName(LIBC6)", []string{"libc6"}, dhi.ByName("LIBC6"))
	check("ByEcosystem(deb)", []string{"tar", "libc6", "libc-bin"}, dhi.ByEcosystem("deb"))
	check("ByEcosystem(dhi)", []string{"dhi.io/python", "python"}, dhi.ByEcosystem("DHI"))
	check("ByEcosystem(apk)", []string{"busybox"}, dhi.ByEcosystem("apk"))
	check("ByLicense(mit) in an OR", []string{"python"}, dhi.ByLicense("mit"))
	check("ByLicense(GPL-2.0-or-later) in an AND", []string{"libc6"}, dhi.ByLicense("GPL-2.0-or-later"))
	check("ByLicense(GPL-2.0-only) concluded", []string{"busybox"}, dhi.ByLicense("GPL-2.0-only"))
	check("ByLicense(none)", []string{}, dhi.ByLicense("Apache-2.0"))
	if n := len(syft.ByLicense("GPL-2.0-or-later")); n < 100 {
		t.Errorf("syft: ByLicense(GPL-2.0-or-later) found %d packages", n)
	}
	if n := len(syft.ByLicense("LicenseRef-Expat")); n == 0 {
		t.Error("syft: ByLicense(LicenseRef-Expat) found nothing")
	}
	if n := len(syft.ByEcosystem("deb")); n != 704 {
		t.Errorf("syft: ByEcosystem(deb) = %d packages, want 704", n)
	}
	if got := dhi.ByName("busybox")[0]; got.ConcludedLicense != "GPL-2.0-only" || got.DeclaredLicense != "" {
		t.Errorf("busybox licences: declared %q concluded %q", got.DeclaredLicense, got.ConcludedLicense)
	}

	path := func(d *sbom.Document, p *sbom.Package) []string { return names(d.Path(p)) }
	check("dhi Path(libc-bin), through dependencies", []string{"dhi.io/python", "python", "libc6", "libc-bin"}, dhi.Path(dhi.ByName("libc-bin")[0]))
	check("dhi Path(tar), contained by the image", []string{"dhi.io/python", "tar"}, dhi.Path(dhi.ByName("tar")[0]))
	check("dhi Path(subject)", []string{"dhi.io/python"}, dhi.Path(dhi.Subject()))
	if got := path(dhi, &sbom.Package{ID: "tar"}); len(got) != 0 {
		t.Errorf("Path of a package of no document = %v", got)
	}
	if got := path(dhi, syft.ByName("tar")[0]); len(got) != 0 {
		t.Errorf("Path of another document's package = %v", got)
	}
	check("trivy Path(libc6): image, OS, a package that depends on it", []string{"testdata/fixtures/images/fluentd-multiple-lockfiles.tar.gz", "debian", "apt", "libc6"}, trivy.Path(trivy.ByName("libc6")[0]))
	check("syft SPDX Path(libc6)", []string{"127.0.0.1:5004/sbomsrc/debian-pkgs", "libc6"}, syft.Path(syft.ByName("libc6")[0]))
}

// TestConcurrentReaders runs lookups and paths on one document from many
// goroutines, for the race detector.
func TestConcurrentReaders(t *testing.T) {
	t.Parallel()
	d := parseFixture(t, trivyCDX16)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, p := range d.Packages()[i*10 : i*10+10] {
				d.Path(p)
				if p.PURL() != "" {
					if got, err := d.ByPURL(p.PURL(), sbom.PrecisionQualifiers); err != nil || len(got) == 0 {
						panic(fmt.Sprintf("ByPURL(%s) = %v, %v", p.PURL(), got, err))
					}
					d.SourcePURLs(p.PURL())
				}
			}
		}()
	}
	wg.Wait()
}
