// Package predicate reads the predicates of the attestations that Docker
// Hardened Images carry beside their SBOM, VEX and provenance: DHI's FIPS
// and STIG evidence, Docker Scout's vulnerability report, tests, secrets
// scan, virus scan, health score, SBOM and provenance, the in-toto
// vulnerability predicate, and DHI's link to an image of source materials.
//
// Each reader takes the bare predicate (the "predicate" member of an
// in-toto statement, already taken out of its envelope) and returns a typed
// value: [ParseFIPS], [ParseSTIG], [ParseScoutVulnerabilities],
// [ParseInTotoVulns], [ParseTests], [ParseSecrets], [ParseVirusScan],
// [ParseScoutSBOM], [ParseScoutProvenance], [ParseHealthScore] and
// [ParseImageSource]. [ParseFindings] reads either vulnerability format into
// one list of [vuln.Finding]. The Type constants name the predicate types.
//
// Docker documents these shapes only in part; each type says what is typed
// and from where, and every value keeps the whole predicate in Raw. A
// predicate of the wrong shape gives a [*Error] naming the predicate type and
// the problem, wrapping [ErrInvalid]. Readers are pure functions over bytes,
// standard library only: nothing here verifies a signature or checks what
// an attestation is about (package github.com/dhisdk/dhisdk/dhi does both).
//
//	fips, err := predicate.ParseFIPS(b)
//	if err != nil {
//		return err
//	}
//	for _, m := range fips.Modules {
//		fmt.Println(m.Name, m.Active())
//	}
package predicate
