package sbom

import (
	"strings"

	cyclonedx "github.com/CycloneDX/cyclonedx-go"
	packageurl "github.com/package-url/packageurl-go"

	"github.com/dhisdk/dhisdk/internal/purl"
)

// Markers of source packages in SBOMs.
const (
	// spdxSourcePrefix starts an SPDX sourceInfo that names a source package
	// as "<name> <version>" (trivy).
	spdxSourcePrefix = "built package from:"

	propTrivySrcName    = "aquasecurity:trivy:SrcName"
	propTrivySrcVersion = "aquasecurity:trivy:SrcVersion"
	propTrivySrcRelease = "aquasecurity:trivy:SrcRelease"
	propTrivySrcEpoch   = "aquasecurity:trivy:SrcEpoch"
	propSyftSource      = "syft:metadata:source"
	propSyftSourceVer   = "syft:metadata:sourceVersion"
	propSyftCPE         = "syft:cpe23"

	extRefSourceDistribution = cyclonedx.ExternalReferenceType("source-distribution")

	upstreamQualifier = "upstream"
)

// sourceDroppedQualifiers are the qualifiers of a binary package URL that do
// not carry over to its source package's URL.
var sourceDroppedQualifiers = map[string]bool{
	"arch": true, upstreamQualifier: true, "epoch": true, "package-id": true,
	"checksum": true, "checksums": true, "download_url": true, "file_name": true,
	"vcs_url": true,
}

// sourceFromSPDXInfo reads a source package from an SPDX sourceInfo, or
// returns nil.
func sourceFromSPDXInfo(info string) *Source {
	rest, ok := cutPrefixFold(strings.TrimSpace(info), spdxSourcePrefix)
	if !ok {
		return nil
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return nil
	}
	s := &Source{Name: fields[0]}
	if len(fields) > 1 {
		s.Version = fields[1]
	}
	return s
}

// sourceFromCDX reads a source package from a component's properties or
// external references, or returns nil.
func sourceFromCDX(c *cyclonedx.Component) *Source {
	if c.Properties != nil {
		var tName, tVer, tRel, tEpoch, sName, sVer string
		for _, p := range *c.Properties {
			switch p.Name {
			case propTrivySrcName:
				tName = p.Value
			case propTrivySrcVersion:
				tVer = p.Value
			case propTrivySrcRelease:
				tRel = p.Value
			case propTrivySrcEpoch:
				tEpoch = p.Value
			case propSyftSource:
				sName = p.Value
			case propSyftSourceVer:
				sVer = p.Value
			}
		}
		if tName != "" {
			v := tVer
			if v != "" && tRel != "" {
				v += "-" + tRel
			}
			if v != "" && tEpoch != "" && tEpoch != "0" {
				v = tEpoch + ":" + v
			}
			return &Source{Name: tName, Version: v}
		}
		if sName != "" {
			return &Source{Name: sName, Version: sVer}
		}
	}
	if c.ExternalReferences != nil {
		for _, r := range *c.ExternalReferences {
			if r.Type != extRefSourceDistribution || !strings.HasPrefix(r.URL, "pkg:") {
				continue
			}
			if p, err := purl.Parse(r.URL); err == nil {
				return &Source{Name: p.Name, Version: p.Version}
			}
		}
	}
	return nil
}

// sourceFromPURL reads a source package from the upstream qualifier of a
// package URL, or returns nil.
func sourceFromPURL(p packageurl.PackageURL) *Source {
	up := qualifier(p.Qualifiers, upstreamQualifier)
	if up == "" {
		return nil
	}
	name, version, _ := strings.Cut(up, "@")
	if name == "" {
		return nil
	}
	return &Source{Name: name, Version: version}
}

// completeSource fills in what the SBOM leaves implicit: a missing version
// (the binary's) and the source package URL. s may be nil.
func completeSource(s *Source, version string, purls []packageurl.PackageURL) *Source {
	if s == nil {
		return nil
	}
	if s.Version == "" {
		s.Version = version
	}
	if len(purls) > 0 {
		s.PURL = sourcePURL(purls[0], s.Name, s.Version)
	}
	return s
}

// sourcePURL derives a source package URL from a binary one.
func sourcePURL(bin packageurl.PackageURL, name, version string) packageurl.PackageURL {
	var qs packageurl.Qualifiers
	for _, q := range bin.Qualifiers {
		if !sourceDroppedQualifiers[q.Key] {
			qs = append(qs, q)
		}
	}
	return packageurl.PackageURL{
		Type:       bin.Type,
		Namespace:  bin.Namespace,
		Name:       name,
		Version:    version,
		Qualifiers: qs,
	}
}

// qualifier returns the value of the qualifier with key k, or "".
func qualifier(qs packageurl.Qualifiers, k string) string {
	for _, q := range qs {
		if q.Key == k {
			return q.Value
		}
	}
	return ""
}

// sameSource reports whether a and b name the same source package.
func sameSource(a, b *Source) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Name == b.Name && a.Version == b.Version
}

// samePURL reports whether two parsed package URLs are the same.
func samePURL(a, b packageurl.PackageURL) bool {
	return a.ToString() == b.ToString()
}
