// Package sampledata gives the real, published documents the SDK's sample
// image and runnable examples are made of: DHI's keys and VEX documents,
// SPDX and CycloneDX SBOMs, SLSA provenance and verification summaries,
// DHI and Scout predicates, sigstore bundles and cosign output. It uses the
// standard library only, so that examples of the parsing packages (sbom,
// vex, provenance, dhi/predicate) can read them from outside this module.
//
// Names are paths relative to the data folder, such as
// "spdx/syft-1.57.1_debian-pkgs-image.spdx-2.3.json"; the folder's
// README.md says where each file comes from and under which licence it is
// redistributed.
package sampledata

import (
	"io/fs"

	"github.com/dhisdk/dhisdk/internal/fixture"
)

// Read returns the bytes of the named document.
func Read(name string) ([]byte, error) { return fixture.Read(name) }

// FS returns the documents as a read-only file system rooted at the data
// folder.
func FS() fs.FS { return fixture.FS() }
