package purl_test

import (
	"fmt"

	"github.com/dhisdk/dhisdk/internal/purl"
)

// Two tools write the same Debian package differently; their keys meet.
func ExampleKey() {
	for _, s := range []string{
		"pkg:deb/debian/glibc@2.41-12?os_distro=trixie&os_name=debian&os_version=13",
		"pkg:deb/debian/glibc@2.41-12?distro=debian-13&upstream=glibc&package-id=0a1b2c3d",
	} {
		p, err := purl.Parse(s)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(purl.Key(p, purl.WithQualifiers), purl.Distro(p))
	}
	// Output:
	// pkg:deb/debian/glibc@2.41-12?distro=debian-13 debian-13
	// pkg:deb/debian/glibc@2.41-12?distro=debian-13 debian-13
}
