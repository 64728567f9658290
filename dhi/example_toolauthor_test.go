package dhi_test

// The three programs a tool author writes first, as runnable examples that
// use only the SDK's public packages: a CI gate, a licence report as CSV,
// and an air-gapped round trip through an OCI layout. Each runs on the
// sample image of package dhitest; a real program opens "dhi.io/..." and
// trusts Docker's keys instead.

import (
	"context"
	"encoding/csv"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
	"github.com/dhisdk/dhisdk/dhi/vuln"
)

// A CI gate: fail when an exploitable vulnerability of high severity or
// above remains after VEX, counting findings of unknown severity as high.
func Example_ciGate() {
	ctx := context.Background()
	s, err := dhitest.ServeSample(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	img, err := dhi.Open(ctx, s.Ref, dhi.WithKeys(s.Key))
	if err != nil {
		log.Fatal(err) // exit status 2: could not check
	}
	defer img.Close()
	failed := false
	for _, p := range img.Platforms {
		blocking, err := p.FindVulnerabilities(dhi.VulnerabilityQuery{
			MinSeverity: vuln.SeverityHigh, UnknownAs: vuln.SeverityHigh, Exploitable: true,
		})
		if err != nil {
			log.Fatal(err) // no verified scan: could not check
		}
		for _, v := range blocking {
			failed = true
			fmt.Println("FAIL", p, v.ID, v.Severity, v.Status)
		}
	}
	fmt.Println("passed:", !failed) // exit status 1 when false
	// Output:
	// FAIL linux/amd64 CVE-2025-9230 high under_investigation
	// FAIL linux/arm64 CVE-2025-9230 high under_investigation
	// passed: false
}

// A licence report: every package of a platform with its licences, as CSV.
func Example_licenceCSV() {
	ctx := context.Background()
	s, err := dhitest.ServeSample(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	img, err := dhi.Open(ctx, s.Ref, dhi.WithKeys(s.Key))
	if err != nil {
		log.Fatal(err)
	}
	defer img.Close()

	pkgs, err := img.Platforms[0].Packages()
	if err != nil {
		log.Fatal(err)
	}
	w := csv.NewWriter(os.Stdout)
	w.Write([]string{"name", "version", "licences"})
	for _, pk := range pkgs {
		if pk.Name == "libssl3" || pk.Name == "tar" {
			w.Write([]string{pk.Name, pk.Version, strings.Join(pk.Licenses, " ")})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// name,version,licences
	// libssl3,3.0.19-1~deb12u2,Apache-2.0 GPL-1.0-only GPL-1.0-or-later LicenseRef-Artistic
	// tar,1.34+dfsg-1.2+deb12u1,GPL-2.0-only GPL-2.0-or-later GPL-3.0-only GPL-3.0-or-later LGPL-3.0-only LGPL-3.0-or-later
}

// An air-gapped round trip: export the image's metadata to an OCI layout
// where the network is, and verify it again where there is none.
func Example_airGap() {
	ctx := context.Background()
	s, err := dhitest.ServeSample(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	online, err := dhi.Open(ctx, s.Ref, dhi.WithKeys(s.Key))
	if err != nil {
		log.Fatal(err)
	}
	defer online.Close()
	tmp, err := os.MkdirTemp("", "airgap")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "python")
	if err := online.Export(ctx, dir, "3.13"); err != nil {
		log.Fatal(err)
	}

	// On the air-gapped side: the layout and the public key, no network.
	offline, err := dhi.Open(ctx, "3.13", dhi.WithLayout(dir), dhi.WithKeys(s.Key))
	if err != nil {
		log.Fatal(err)
	}
	defer offline.Close()
	for _, p := range offline.Platforms {
		fmt.Println(p, len(p.Used()), "of", len(p.Attestations), "attestations verified offline")
	}
	// Output:
	// linux/amd64 15 of 15 attestations verified offline
	// linux/arm64 15 of 15 attestations verified offline
}
