package dhi_test

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
)

// fleetDocs returns the sample's documents for image i of a fleet: the
// VEX document and the other predicates are the same for every image; with
// ownSBOMs, its SPDX and CycloneDX SBOMs are its own (a different document
// name and serial number, so a different content digest).
func fleetDocs(i int, ownSBOMs bool) ([]dhitest.Doc, error) {
	docs, err := dhitest.SampleDocs()
	if err != nil {
		return nil, err
	}
	if !ownSBOMs {
		return docs, nil
	}
	for j, d := range docs {
		var field, value string
		switch {
		case strings.HasPrefix(d.PredicateType, "https://spdx.dev/"):
			field, value = "name", fmt.Sprintf("fleet-image-%d", i)
		case strings.HasPrefix(d.PredicateType, "https://cyclonedx.org/"):
			field, value = "serialNumber", fmt.Sprintf("urn:uuid:00000000-0000-4000-8000-%012d", i)
		default:
			continue
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(d.Predicate, &m); err != nil {
			return nil, err
		}
		m[field], _ = json.Marshal(value)
		if docs[j].Predicate, err = json.Marshal(m); err != nil {
			return nil, err
		}
	}
	return docs, nil
}

// pushFleet pushes n sample-shaped images with distinct digests (a label
// names each) to host and returns their references.
func pushFleet(tb testing.TB, host string, n int, ownSBOMs bool, priv *ecdsa.PrivateKey) []string {
	tb.Helper()
	refs := make([]string, n)
	for i := range n {
		docs, err := fleetDocs(i, ownSBOMs)
		if err != nil {
			tb.Fatal(err)
		}
		labels := dhitest.SampleLabels()
		labels["org.example.fleet.index"] = fmt.Sprint(i)
		img, err := dhitest.Push(context.Background(), fmt.Sprintf("%s/fleet/image-%03d:1", host, i), "",
			dhitest.Spec{Docs: docs, Signer: priv, Labels: labels})
		if err != nil {
			tb.Fatal(err)
		}
		refs[i] = img.Ref
	}
	return refs
}

func TestFleetOpenAll(t *testing.T) {
	reg, err := dhitest.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Close() })
	priv, key := newSigner(t)
	refs := pushFleet(t, reg.Host, 5, true, priv)
	missing := reg.Host + "/fleet/missing:1"
	refs = append(refs, missing)

	f, err := dhi.NewFleet(dhi.WithKeys(key), dhi.WithOpenConcurrency(3))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var seen []int
	for r := range f.OpenAll(context.Background(), refs) {
		seen = append(seen, r.Index)
		if r.Reference != refs[r.Index] {
			t.Errorf("result %d names %s; want %s", r.Index, r.Reference, refs[r.Index])
		}
		if r.Reference == missing {
			if r.Err == nil || r.Image != nil {
				t.Errorf("missing image: got image %v, error %v; want an error and no image", r.Image, r.Err)
			}
			continue
		}
		if r.Err != nil {
			t.Fatalf("opening %s: %v", r.Reference, r.Err)
		}
		if len(r.Image.Platforms) != 2 {
			t.Fatalf("%s: %d platforms; want 2", r.Reference, len(r.Image.Platforms))
		}
		for _, p := range r.Image.Platforms {
			if n := len(p.Unverified()); n != 0 {
				t.Errorf("%s %s: %d attestations did not verify", r.Reference, p, n)
			}
			if _, err := p.VEX(); err != nil {
				t.Fatal(err)
			}
			if _, err := p.Packages(); err != nil {
				t.Fatal(err)
			}
		}
	}
	slices.Sort(seen)
	if !slices.Equal(seen, []int{0, 1, 2, 3, 4, 5}) {
		t.Errorf("yielded indexes %v; want each of 0..5 once", seen)
	}
	st := f.Stats()
	// Per image: the shared VEX document is parsed by the first image
	// only; each image's own SPDX and CycloneDX SBOMs once for both
	// platforms.
	if st.Opened != 6 || st.Failed != 1 {
		t.Errorf("Stats() opened %d, failed %d; want 6 and 1", st.Opened, st.Failed)
	}
	if want := int64(1 + 5*2); st.DocumentsParsed != want {
		t.Errorf("Stats().DocumentsParsed = %d; want %d (one VEX, two SBOMs per image)", st.DocumentsParsed, want)
	}
	if want := int64(5*2*3) - st.DocumentsParsed; st.DocumentsShared != want {
		t.Errorf("Stats().DocumentsShared = %d; want %d", st.DocumentsShared, want)
	}
}

func TestFleetMemoBound(t *testing.T) {
	pushed, key := sharedSample(t)
	// A bound smaller than any document: nothing is kept between images,
	// every open still works, and each image parses its own VEX again.
	f, err := dhi.NewFleet(dhi.WithKeys(key), dhi.WithParsedDocumentBytes(1))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for range 2 {
		img, err := f.Open(context.Background(), pushed.Ref)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range img.Platforms {
			if _, err := p.VEX(); err != nil {
				t.Fatal(err)
			}
			if _, err := p.SBOMs(); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Each document pushes the one before out: every use parses again
	// (2 images x 2 platforms x VEX, SPDX, CycloneDX).
	if st := f.Stats(); st.DocumentsParsed != 12 || st.DocumentsShared != 0 {
		t.Errorf("Stats().Stats() = %+v; want 12 documents parsed, none shared: a forgotten document is parsed again", st)
	}
}

func TestFleetEndedContext(t *testing.T) {
	pushed, key := sharedSample(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	refs := []string{pushed.Ref, pushed.Ref, pushed.Ref}
	n := 0
	for r := range dhi.OpenAll(ctx, refs, dhi.WithKeys(key)) {
		n++
		if r.Err == nil || !errors.Is(r.Err, context.Canceled) {
			t.Errorf("result %d: error %v; want one wrapping context.Canceled", r.Index, r.Err)
		}
	}
	if n != len(refs) {
		t.Errorf("yielded %d results; want one per reference (%d)", n, len(refs))
	}
}

func TestFleetStopEarly(t *testing.T) {
	pushed, key := sharedSample(t)
	refs := slices.Repeat([]string{pushed.Ref}, 8)
	n := 0
	for r := range dhi.OpenAll(context.Background(), refs, dhi.WithKeys(key), dhi.WithOpenConcurrency(2)) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Errorf("loop ran %d times; want 2", n)
	}
}

func TestFleetInvalidOptions(t *testing.T) {
	refs := []string{"example.com/a:1", "example.com/b:1"}
	n := 0
	for r := range dhi.OpenAll(context.Background(), refs, dhi.WithOpenConcurrency(0)) {
		n++
		if r.Err == nil || !strings.Contains(r.Err.Error(), "WithOpenConcurrency") {
			t.Errorf("result %d: error %v; want the invalid option named", r.Index, r.Err)
		}
	}
	if n != 2 {
		t.Errorf("yielded %d results; want 2", n)
	}
}
