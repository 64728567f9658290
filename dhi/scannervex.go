package dhi

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/google/go-containerregistry/pkg/name"
	packageurl "github.com/package-url/packageurl-go"

	"github.com/dhisdk/dhisdk/internal/purl"
	"github.com/dhisdk/dhisdk/vex"
)

// ScannerVEXOption configures [Platform.ScannerVEX].
type ScannerVEXOption func(*scannerVEXOptions) error

// scannerVEXOptions are the settings of [Platform.ScannerVEX].
type scannerVEXOptions struct {
	timestamp time.Time
	author    string
}

// WithVEXTimestamp sets the timestamp of the document [Platform.ScannerVEX]
// writes. The default is the time of its latest statement, so that the
// same VEX gives the same document.
func WithVEXTimestamp(t time.Time) ScannerVEXOption {
	return func(o *scannerVEXOptions) error {
		if t.IsZero() {
			return errors.New("dhi: WithVEXTimestamp: zero time")
		}
		o.timestamp = t.UTC()
		return nil
	}
}

// WithVEXAuthor sets the author of the document [Platform.ScannerVEX]
// writes. The default is the authors of the VEX attestations its
// statements come from.
func WithVEXAuthor(author string) ScannerVEXOption {
	return func(o *scannerVEXOptions) error {
		if strings.TrimSpace(author) == "" {
			return errors.New("dhi: WithVEXAuthor: empty author")
		}
		o.author = author
		return nil
	}
}

// ScannerVEX is a platform's verified VEX rewritten for scanners: each
// statement that decides a package of the platform's SBOM, with the binary
// packages it decides as products within the image in the forms Trivy and
// Grype match. [ScannerVEX.OpenVEX] and [ScannerVEX.CycloneDX] write it.
type ScannerVEX struct {
	// ID is the document's @id, derived from the platform's digest.
	ID string
	// Author is the document's author.
	Author string
	// Timestamp is the document's timestamp.
	Timestamp time.Time
	// Image is the platform's image, as repository@digest.
	Image string
	// ImageProducts are the image as the statements name it, for the
	// image's index digest and platform digest and each name of its
	// repository (see [RepositoryAliases]), sorted by @id:
	//   - pkg:oci/<name>@sha256:... with the digest as its sha-256 hash: it
	//     meets the pkg:oci purl Trivy gives a scanned image
	//     (repository_url=<registry>/<repository>, arch) and those Grype
	//     gives (repository_url=<registry>/<namespace>), whatever their
	//     qualifiers, and Grype's bare digest identifier through the hash;
	//   - pkg:oci/<name>@sha256:...?repository_url=<registry>/<repository>,
	//     the purl specification's form;
	//   - pkg:docker/<namespace>/<name>@sha256:...?repository_url=<registry>
	//     (no qualifier on Docker Hub);
	//   - <registry>/<repository>@sha256:..., the repository digest Grype
	//     lists for an image.
	ImageProducts []vex.Component
	// Statements are the statements, sorted by vulnerability, status and
	// first package.
	Statements []ScannerStatement
}

// ScannerStatement is one statement of a [ScannerVEX]: what one statement
// of the platform's verified VEX decides for some of its packages.
type ScannerStatement struct {
	// Vulnerability is the statement's vulnerability name.
	Vulnerability string
	// Aliases are the vulnerability's aliases the statement gives.
	Aliases []string
	// Status, Justification, ImpactStatement and ActionStatement are the
	// source statement's.
	Status          vex.Status
	Justification   vex.Justification
	ImpactStatement string
	ActionStatement string
	// Time is the source statement's time (its last_updated, else its
	// timestamp, else its document's).
	Time time.Time
	// Packages are the packages of the platform's SBOM whose finding of
	// Vulnerability the source statement decides, in SBOM order.
	Packages []Package
	// Source is the source statement, with its document, the product
	// that met the first package and the reading that decided.
	Source *vex.Match
	// SourceRef references the source statement: its document's @id and
	// its own @id (see [scanreport.Decision].Statement).
	SourceRef string
}

// Subcomponents returns the identifiers the statement writes for its
// packages: each package's purl as the SBOM gives it, with only the
// qualifiers both Trivy and Grype write (arch), and for a version with an
// epoch ("1:4.13") also Trivy's form (the version without it and an epoch
// qualifier). Sorted, without duplicates.
func (s ScannerStatement) Subcomponents() []string {
	var out []string
	for _, pk := range s.Packages {
		out = append(out, scannerPURLs(pk.PURL)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ScannerVEX returns the platform's VEX rewritten for scanners. Only the
// platform's VEX attestations that verified contribute, never the documents
// of [WithAdvisories], nor attestations used through
// [WithUnverifiedUnsafe]. For each package of the platform's SBOMs, each
// vulnerability a statement names for it (directly, or through its source
// package) is decided as [Platform.Vulnerabilities] decides a finding, over
// those attestations alone; the
// prevailing statement is written once per vulnerability, with every
// package it decides as a subcomponent of every [ScannerVEX.ImageProducts]
// entry, and a status_notes that names the source statement and the
// reading that decided. Statements about the image as a whole, with no
// package, are not written.
//
// The output is deterministic: statements and products sorted, times from
// the statements (or [WithVEXTimestamp]).
//
// A scanner applies the OpenVEX document to a scan of the same image:
//
//	trivy image --vex scanner.vex.json dhi.io/python@sha256:...
//	grype dhi.io/python@sha256:... --vex scanner.vex.json
//
// It fails with [ErrNoAttestation] when the platform has no verified VEX
// attestation or no SBOM.
//
// Callers must scan the image by the digest (or a tag that resolves to it)
// the document names: the statements hold for this image only.
func (p *Platform) ScannerVEX(opts ...ScannerVEXOption) (*ScannerVEX, error) {
	var o scannerVEXOptions
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	docs, err := p.verifiedVEX()
	if err != nil {
		return nil, err
	}
	pkgs, err := p.Packages()
	if err != nil {
		return nil, err
	}
	idx := vex.NewIndex(docs...)
	out := &ScannerVEX{Image: p.img.Repository + "@" + p.Descriptor.Digest.String(), ImageProducts: p.imageProducts()}
	out.ID = "urn:dhisdk:scanner-vex:" + p.Descriptor.Digest.String()
	if out.Statements, err = p.decidedStatements(idx, docs, pkgs); err != nil {
		return nil, err
	}
	var authors []string
	for _, s := range out.Statements {
		if s.Time.After(out.Timestamp) {
			out.Timestamp = s.Time
		}
		if a := s.Source.Document.Author; a != "" && !slices.Contains(authors, a) {
			authors = append(authors, a)
		}
	}
	slices.Sort(authors)
	out.Author = cmp.Or(o.author, strings.Join(authors, ", "), "unknown")
	if !o.timestamp.IsZero() {
		out.Timestamp = o.timestamp
	}
	if out.Timestamp.IsZero() {
		out.Timestamp = time.Unix(0, 0).UTC()
	}
	return out, nil
}

// verifiedVEX returns the parsed documents of the platform's VEX
// attestations that verified.
func (p *Platform) verifiedVEX() ([]*vex.Document, error) {
	idx, err := p.VEX()
	if err != nil {
		return nil, err
	}
	// The index holds the used attestations' documents first, in order,
	// each named for its attestation, then the advisories.
	used := p.Used(KindVEX)
	all := idx.Documents()
	var docs []*vex.Document
	for i, a := range used {
		if a.Verified && i < len(all) && all[i].Name == "attestation "+a.Discovered.Manifest.Digest.String() {
			docs = append(docs, all[i])
		}
	}
	if len(docs) == 0 {
		return nil, p.noAttestation(KindVEX)
	}
	return docs, nil
}

// decidedStatements decides, for every package of pkgs, each vulnerability
// a statement of docs names for it, and groups the packages by the
// prevailing statement.
func (p *Platform) decidedStatements(idx *vex.Index, docs []*vex.Document, pkgs []Package) ([]ScannerStatement, error) {
	byName := map[string][]int{}
	for i, pk := range pkgs {
		for _, k := range packageNameKeys(pk) {
			if !slices.Contains(byName[k], i) {
				byName[k] = append(byName[k], i)
			}
		}
	}
	type pair struct {
		vuln string
		pkg  int
	}
	seen := map[pair]bool{}
	var pairs []pair
	for _, d := range docs {
		for si := range d.Statements {
			st := &d.Statements[si]
			if st.Vulnerability.Name == "" || !st.Status.Valid() {
				continue
			}
			for _, id := range productIDs(st) {
				u, err := purl.Parse(id)
				if err != nil || u.Type == "docker" || u.Type == "oci" {
					continue
				}
				for _, i := range byName[purl.Key(u, purl.NameOnly)] {
					if pr := (pair{st.Vulnerability.Name, i}); !seen[pr] {
						seen[pr] = true
						pairs = append(pairs, pr)
					}
				}
			}
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int { return cmp.Or(strings.Compare(a.vuln, b.vuln), cmp.Compare(a.pkg, b.pkg)) })

	image, aliases := p.vexImage(), p.vexImageAliases()
	mopts := []vex.MatchOption{vex.WithRepositoryAliases(RepositoryAliases)}
	if m := p.sourceMapping(); m != nil {
		mopts = append(mopts, vex.WithSourceMapping(m))
	}
	type groupKey struct {
		st   *vex.Statement
		vuln string
	}
	groups := map[groupKey]int{}
	var out []ScannerStatement
	for _, pr := range pairs {
		pk := pkgs[pr.pkg]
		if pk.PURL == "" {
			continue
		}
		dec, err := idx.Decide(vex.Query{Vulnerability: pr.vuln, Package: pk.PURL, Image: image, ImageAliases: aliases}, mopts...)
		if err != nil {
			return nil, err
		}
		if dec.Match == nil {
			continue
		}
		k := groupKey{dec.Match.Statement, strings.ToUpper(pr.vuln)}
		gi, ok := groups[k]
		if !ok {
			st := dec.Match.Statement
			gi = len(out)
			groups[k] = gi
			out = append(out, ScannerStatement{
				Vulnerability: st.Vulnerability.Name, Aliases: slices.Clone(st.Vulnerability.Aliases),
				Status: st.Status, Justification: st.Justification, ImpactStatement: st.ImpactStatement,
				ActionStatement: st.ActionStatement, Time: st.Time.UTC(), Source: dec.Match, SourceRef: statementRef(dec.Match),
			})
		}
		out[gi].Packages = append(out[gi].Packages, pk)
	}
	slices.SortStableFunc(out, func(a, b ScannerStatement) int {
		return cmp.Or(strings.Compare(a.Vulnerability, b.Vulnerability), strings.Compare(string(a.Status), string(b.Status)),
			strings.Compare(a.Packages[0].PURL, b.Packages[0].PURL), strings.Compare(a.SourceRef, b.SourceRef))
	})
	return out, nil
}

// packageNameKeys returns the name keys a statement's product may give a
// package by: its own purl's, and its source package's (from the SBOM, or
// from syft's upstream qualifier).
func packageNameKeys(pk Package) []string {
	var out []string
	u, err := purl.Parse(pk.PURL)
	if err != nil {
		return nil
	}
	out = append(out, purl.Key(u, purl.NameOnly))
	if pk.SourcePURL != "" {
		if s, err := purl.Parse(pk.SourcePURL); err == nil {
			out = append(out, purl.Key(s, purl.NameOnly))
		}
	}
	if up := u.Qualifiers.Map()["upstream"]; up != "" {
		n, _, _ := strings.Cut(up, "@")
		s := packageurl.PackageURL{Type: u.Type, Namespace: u.Namespace, Name: n}
		out = append(out, purl.Key(s, purl.NameOnly))
	}
	return out
}

// productIDs returns the identifiers of a statement's products and their
// subcomponents.
func productIDs(st *vex.Statement) []string {
	var out []string
	for _, pr := range st.Products {
		if pr.ID != "" {
			out = append(out, pr.ID)
		}
		for _, c := range pr.Subcomponents {
			if c.ID != "" {
				out = append(out, c.ID)
			}
		}
	}
	return out
}

// scannerPURLs returns the forms of an SBOM purl scanners write (see
// [ScannerStatement.Subcomponents]).
func scannerPURLs(s string) []string {
	u, err := purl.Parse(s)
	if err != nil {
		return []string{s}
	}
	var q packageurl.Qualifiers
	for _, x := range u.Qualifiers {
		if x.Key == "arch" {
			q = append(q, x)
		}
	}
	out := []string{packageurl.NewPackageURL(u.Type, u.Namespace, u.Name, u.Version, q, u.Subpath).ToString()}
	if epoch, rest, ok := strings.Cut(u.Version, ":"); ok && (u.Type == "deb" || u.Type == "rpm") {
		tq := append(slices.Clone(q), packageurl.Qualifier{Key: "epoch", Value: epoch})
		out = append(out, packageurl.NewPackageURL(u.Type, u.Namespace, u.Name, rest, tq, u.Subpath).ToString())
	}
	return out
}

// imageProducts returns the platform's image in the forms scanners give
// it (see [ScannerVEX.ImageProducts]).
func (p *Platform) imageProducts() []vex.Component {
	repos := append([]string{p.img.Repository}, RepositoryAliases(p.img.Repository)...)
	digests := []string{p.img.Root.Digest.String(), p.Descriptor.Digest.String()}
	seen := map[string]bool{}
	var out []vex.Component
	add := func(c vex.Component) {
		if !seen[c.ID] {
			seen[c.ID] = true
			out = append(out, c)
		}
	}
	for _, r := range repos {
		repo, err := name.NewRepository(r)
		if err != nil {
			continue // an OCI layout path
		}
		path := repo.RepositoryStr()
		ns, last := "", path
		if i := strings.LastIndex(path, "/"); i >= 0 {
			ns, last = path[:i], path[i+1:]
		}
		var dq packageurl.Qualifiers
		if repo.RegistryStr() != name.DefaultRegistry {
			dq = packageurl.Qualifiers{{Key: "repository_url", Value: repo.RegistryStr()}}
		}
		for _, d := range digests {
			hexDigest, ok := strings.CutPrefix(d, "sha256:")
			if !ok {
				continue
			}
			add(vex.Component{ID: packageurl.NewPackageURL("oci", "", last, d, nil, "").ToString(), Hashes: map[string]string{"sha-256": hexDigest}})
			add(vex.Component{ID: packageurl.NewPackageURL("oci", "", last, d, packageurl.Qualifiers{{Key: "repository_url", Value: repo.Name()}}, "").ToString()})
			add(vex.Component{ID: packageurl.NewPackageURL("docker", ns, last, d, dq, "").ToString()})
			add(vex.Component{ID: repo.Name() + "@" + d})
		}
	}
	slices.SortFunc(out, func(a, b vex.Component) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// statusNotes names the source statement of s and how it decided.
func (s ScannerStatement) statusNotes(image string) string {
	notes := fmt.Sprintf("From VEX statement %s (%s, %s reading of %s), for the packages of %s.",
		s.SourceRef, docName(s.Source.Document), s.Source.Reading, s.Source.Product, image)
	if n := strings.TrimSpace(s.Source.Statement.StatusNotes); n != "" {
		if !strings.HasSuffix(n, ".") {
			n += "."
		}
		notes = n + " " + notes
	}
	return notes
}

// openVEXDocument is the JSON form of an OpenVEX v0.2.0 document.
type openVEXDocument struct {
	Context   string          `json:"@context"`
	ID        string          `json:"@id"`
	Author    string          `json:"author"`
	Role      string          `json:"role,omitempty"`
	Timestamp time.Time       `json:"timestamp"`
	Version   int             `json:"version"`
	Tooling   string          `json:"tooling,omitempty"`
	Stmts     []vex.Statement `json:"statements"`
}

// OpenVEX writes the document as OpenVEX v0.2.0 JSON, indented, for
// trivy image --vex and grype --vex.
func (s *ScannerVEX) OpenVEX() ([]byte, error) {
	doc := openVEXDocument{Context: vex.ContextV020, ID: s.ID, Author: s.Author, Timestamp: s.Timestamp, Version: 1,
		Tooling: "github.com/dhisdk/dhisdk", Stmts: make([]vex.Statement, 0, len(s.Statements))}
	for _, st := range s.Statements {
		var subs []vex.Component
		for _, id := range st.Subcomponents() {
			subs = append(subs, vex.Component{ID: id})
		}
		products := make([]vex.Product, len(s.ImageProducts))
		for i, c := range s.ImageProducts {
			products[i] = vex.Product{Component: c, Subcomponents: subs}
		}
		doc.Stmts = append(doc.Stmts, vex.Statement{
			Vulnerability: vex.Vulnerability{Name: st.Vulnerability, Aliases: st.Aliases},
			Timestamp:     st.Time, Products: products, Status: st.Status, StatusNotes: st.statusNotes(s.Image),
			Justification: st.Justification, ImpactStatement: st.ImpactStatement, ActionStatement: st.ActionStatement,
		})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("dhi: writing OpenVEX: %v", err)
	}
	return buf.Bytes(), nil
}

// CycloneDX writes the document as a CycloneDX 1.6 VEX (JSON): the image
// as metadata.component, each package as a component whose bom-ref is its
// purl, and one vulnerability per statement with its analysis (state,
// justification in CycloneDX's words, and the source statement in detail)
// and the packages it decides as affects.
func (s *ScannerVEX) CycloneDX() ([]byte, error) {
	bom := cdx.NewBOM()
	sum := sha256.Sum256([]byte(s.ID))
	h := hex.EncodeToString(sum[:16])
	bom.SerialNumber = "urn:uuid:" + h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
	image := &cdx.Component{BOMRef: s.Image, Type: cdx.ComponentTypeContainer, Name: s.Image}
	for _, c := range s.ImageProducts {
		if strings.HasPrefix(c.ID, "pkg:oci/") && strings.Contains(c.ID, "repository_url=") {
			image.PackageURL = c.ID
			break
		}
	}
	bom.Metadata = &cdx.Metadata{Timestamp: s.Timestamp.Format(time.RFC3339),
		Tools:     &cdx.ToolsChoice{Components: &[]cdx.Component{{Type: cdx.ComponentTypeApplication, Name: "dhisdk", Group: "github.com/dhisdk"}}},
		Component: image}
	var comps []cdx.Component
	seen := map[string]bool{}
	vulns := make([]cdx.Vulnerability, 0, len(s.Statements))
	for _, st := range s.Statements {
		var affects []cdx.Affects
		for _, pk := range st.Packages {
			ref := scannerPURLs(pk.PURL)[0]
			if !seen[ref] {
				seen[ref] = true
				comps = append(comps, cdx.Component{BOMRef: ref, Type: cdx.ComponentTypeLibrary, Name: pk.Name, Version: pk.Version, PackageURL: ref})
			}
			affects = append(affects, cdx.Affects{Ref: ref})
		}
		a := &cdx.VulnerabilityAnalysis{State: cdxState(st.Status), Justification: cdxJustification(st.Justification),
			Detail: strings.TrimSpace(cmp.Or(st.ImpactStatement, st.ActionStatement) + " " + st.statusNotes(s.Image))}
		v := cdx.Vulnerability{ID: st.Vulnerability, Analysis: a, Affects: &affects}
		if !st.Time.IsZero() {
			v.Updated = st.Time.Format(time.RFC3339)
		}
		vulns = append(vulns, v)
	}
	slices.SortFunc(comps, func(a, b cdx.Component) int { return strings.Compare(a.BOMRef, b.BOMRef) })
	bom.Components, bom.Vulnerabilities = &comps, &vulns
	var buf bytes.Buffer
	enc := cdx.NewBOMEncoder(&buf, cdx.BOMFileFormatJSON)
	enc.SetPretty(true)
	if err := enc.EncodeVersion(bom, cdx.SpecVersion1_6); err != nil {
		return nil, fmt.Errorf("dhi: writing CycloneDX VEX: %v", err)
	}
	return buf.Bytes(), nil
}

// cdxState is CycloneDX's analysis state for a VEX status.
func cdxState(s vex.Status) cdx.ImpactAnalysisState {
	switch s {
	case vex.StatusNotAffected:
		return cdx.IASNotAffected
	case vex.StatusFixed:
		return cdx.IASResolved
	case vex.StatusAffected:
		return cdx.IASExploitable
	}
	return cdx.IASInTriage
}

// cdxJustification is CycloneDX's justification for an OpenVEX one.
func cdxJustification(j vex.Justification) cdx.ImpactAnalysisJustification {
	switch j {
	case vex.ComponentNotPresent, vex.VulnerableCodeNotPresent:
		return cdx.IAJCodeNotPresent
	case vex.VulnerableCodeNotInExecutePath:
		return cdx.IAJCodeNotReachable
	case vex.VulnerableCodeCannotBeControlledByAdversary:
		return cdx.IAJRequiresEnvironment
	case vex.InlineMitigationsAlreadyExist:
		return cdx.IAJProtectedByMitigatingControl
	}
	return ""
}
