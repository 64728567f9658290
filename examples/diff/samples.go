package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
)

// startSamples serves two versions of the sample image from an in-process
// registry, both signed with a key made for the run: the sample image as
// python:3.13.9 and a variant of it as python:3.13.10 (see variantDocs). It
// returns both references, the public key, and a function that stops the
// registry.
func startSamples(ctx context.Context) (before, after string, key *attest.Key, closeFn func(), err error) {
	docs, err := dhitest.SampleDocs()
	if err != nil {
		return "", "", nil, nil, err
	}
	variant, err := variantDocs(docs)
	if err != nil {
		return "", "", nil, nil, err
	}
	labels := dhitest.SampleLabels()
	variantLabels := maps.Clone(labels)
	variantLabels[dhi.LabelVersion] = "3.13.10-debian12"

	priv, pub, err := dhitest.NewKey()
	if err != nil {
		return "", "", nil, nil, err
	}
	if key, err = attest.ParseKey(pub, attest.WithKeyName("sample key")); err != nil {
		return "", "", nil, nil, err
	}
	reg, err := dhitest.NewRegistry()
	if err != nil {
		return "", "", nil, nil, err
	}
	for _, img := range []struct {
		tag    string
		docs   []dhitest.Doc
		labels map[string]string
	}{{"3.13.9", docs, labels}, {"3.13.10", variant, variantLabels}} {
		spec := dhitest.Spec{Docs: img.docs, Signer: priv, Labels: img.labels, DockerReference: "registry.scout.docker.com/dhi/python"}
		if _, err := dhitest.Push(ctx, reg.Host+"/dhi/python:"+img.tag, "", spec); err != nil {
			reg.Close()
			return "", "", nil, nil, err
		}
	}
	return reg.Host + "/dhi/python:3.13.9", reg.Host + "/dhi/python:3.13.10", key, func() { reg.Close() }, nil
}

// variantDocs returns the sample's documents as a newer build of the image
// could have them. The edits are made up for the demonstration; everything
// else is the real documents:
//
//   - the openssl packages (libssl3, libssl-dev, openssl) are upgraded from
//     3.0.19-1~deb12u2 to 3.0.19-1~deb12u3, in both SBOMs and in the scan;
//   - tar is removed from both SBOMs, so its finding (CVE-2005-2541) is gone
//     from the scan;
//   - tini 0.19.0-1 is added to both SBOMs;
//   - zlib1g's licence gains MIT in both SBOMs;
//   - the scan finds CVE-2023-45853 (critical) in zlib1g; DHI's real VEX
//     document already says it does not affect zlib;
//   - the VEX document gains a statement that CVE-2025-9230, under
//     investigation in the sample, does not affect libssl-dev;
//   - the provenance names another run of the builder, another commit and
//     another digest of the alpine base image.
func variantDocs(docs []dhitest.Doc) ([]dhitest.Doc, error) {
	upgrade := func(b []byte) []byte {
		return bytes.ReplaceAll(b, []byte("3.0.19-1~deb12u2"), []byte("3.0.19-1~deb12u3"))
	}
	newBuild := strings.NewReplacer(
		"runs/18937328894/", "runs/19250000000/",
		"bdb96fcfe8cc9e3a54800bc2537a4d4a14f0c5fe", "5c1f2e0d9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e",
		"4b7ce07002c69e8f3d704a9c5d6fd3053be500b7f1c69fc0d80990c2ad8dd412", "aa5e0cbd5b1a2b1f0c34e4e1b1e1c6f7a3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8",
	)
	edits := map[string]func([]byte) ([]byte, error){
		"https://spdx.dev/Document":                     func(b []byte) ([]byte, error) { return editJSON(upgrade(b), editSPDX) },
		"https://cyclonedx.org/bom/v1.6":                func(b []byte) ([]byte, error) { return editJSON(upgrade(b), editCycloneDX) },
		"https://scout.docker.com/vulnerabilities/v0.1": func(b []byte) ([]byte, error) { return editJSON(upgrade(b), editScan) },
		"https://openvex.dev/ns/v0.2.0":                 func(b []byte) ([]byte, error) { return editJSON(b, editVEX) },
		"https://slsa.dev/provenance/v1":                func(b []byte) ([]byte, error) { return []byte(newBuild.Replace(string(b))), nil },
		"https://slsa.dev/provenance/v0.2":              func(b []byte) ([]byte, error) { return []byte(newBuild.Replace(string(b))), nil },
	}
	out := slices.Clone(docs)
	for i, d := range out {
		if edit, ok := edits[d.PredicateType]; ok {
			b, err := edit(d.Predicate)
			if err != nil {
				return nil, fmt.Errorf("editing the sample's %s document: %w", d.PredicateType, err)
			}
			out[i].Predicate = b
		}
	}
	return out, nil
}

type object = map[string]any

// editJSON decodes b, lets edit change it, and encodes it again.
func editJSON[T any](b []byte, edit func(*T) error) ([]byte, error) {
	var v T
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if err := edit(&v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

const tiniPURL = "pkg:deb/debian/tini@0.19.0-1?arch=amd64&distro=debian-12"

// editSPDX removes tar (and its relationships), adds tini and adds MIT to
// zlib1g's licence.
func editSPDX(d *object) error {
	pkgs, ok := (*d)["packages"].([]any)
	if !ok {
		return fmt.Errorf("no packages")
	}
	var tarID any
	pkgs = slices.DeleteFunc(pkgs, func(p any) bool {
		pkg, _ := p.(object)
		switch pkg["name"] {
		case "tar":
			tarID = pkg["SPDXID"]
			return true
		case "zlib1g":
			pkg["licenseDeclared"] = "Zlib AND MIT"
		}
		return false
	})
	(*d)["packages"] = append(pkgs, object{
		"name": "tini", "SPDXID": "SPDXRef-Package-deb-tini-5a1e0c2b9d8f7e6a", "versionInfo": "0.19.0-1",
		"downloadLocation": "NOASSERTION", "filesAnalyzed": false, "licenseDeclared": "MIT",
		"externalRefs": []any{object{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": tiniPURL}},
	})
	rels, _ := (*d)["relationships"].([]any)
	(*d)["relationships"] = slices.DeleteFunc(rels, func(r any) bool {
		rel, _ := r.(object)
		return rel["spdxElementId"] == tarID || rel["relatedSpdxElement"] == tarID
	})
	return nil
}

// editCycloneDX removes tar (and its dependencies), adds tini and adds MIT
// to zlib1g's licences.
func editCycloneDX(d *object) error {
	comps, ok := (*d)["components"].([]any)
	if !ok {
		return fmt.Errorf("no components")
	}
	var tarRef any
	comps = slices.DeleteFunc(comps, func(c any) bool {
		comp, _ := c.(object)
		switch comp["name"] {
		case "tar":
			tarRef = comp["bom-ref"]
			return true
		case "zlib1g":
			lic, _ := comp["licenses"].([]any)
			comp["licenses"] = append(lic, object{"license": object{"id": "MIT"}})
		}
		return false
	})
	(*d)["components"] = append(comps, object{
		"bom-ref": tiniPURL, "type": "library", "name": "tini", "version": "0.19.0-1", "purl": tiniPURL,
		"licenses": []any{object{"license": object{"id": "MIT"}}},
	})
	deps, _ := (*d)["dependencies"].([]any)
	deps = slices.DeleteFunc(deps, func(x any) bool { dep, _ := x.(object); return dep["ref"] == tarRef })
	for _, x := range deps {
		dep, _ := x.(object)
		if on, ok := dep["dependsOn"].([]any); ok {
			dep["dependsOn"] = slices.DeleteFunc(on, func(r any) bool { return r == tarRef })
		}
	}
	(*d)["dependencies"] = deps
	return nil
}

// editScan removes tar's finding and adds one in zlib1g.
func editScan(d *[]object) error {
	*d = slices.DeleteFunc(*d, func(p object) bool {
		u, _ := p["purl"].(string)
		return strings.HasPrefix(u, "pkg:deb/debian/tar@")
	})
	*d = append(*d, object{
		"purl":            "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?os_distro=bookworm&os_name=debian&os_version=12",
		"vulnerabilities": []any{object{"source_id": "CVE-2023-45853", "cvss": object{"severity": "CRITICAL", "score": 9.8}}},
	})
	return nil
}

// editVEX adds a statement that CVE-2025-9230 does not affect libssl-dev in
// dhi/python, newer than the sample's under_investigation one.
func editVEX(d *object) error {
	stmts, ok := (*d)["statements"].([]any)
	if !ok {
		return fmt.Errorf("no statements")
	}
	(*d)["statements"] = append(stmts, object{
		"vulnerability": object{"name": "CVE-2025-9230"},
		"timestamp":     "2025-11-01T00:00:00Z",
		"products":      []any{object{"@id": "pkg:docker/dhi/python", "subcomponents": []any{object{"@id": "pkg:deb/debian/libssl-dev"}}}},
		"status":        "not_affected",
		"justification": "vulnerable_code_not_in_execute_path",
	})
	return nil
}
