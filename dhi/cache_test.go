package dhi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/attest/cache"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/internal/registrytest"
)

// TestLineageCached opens an image built FROM a DHI and proves its lineage
// twice through one cache: the base is opened through the same registry
// source, so the second time nothing is read by digest from the registry.
func TestLineageCached(t *testing.T) {
	t.Parallel()
	reg := registrytest.New(t)
	priv, key := newSigner(t)
	repo := fmt.Sprintf("dhi/python-%d", time.Now().UnixNano())
	base := pushBase(t, reg.Host, repo, priv)
	derived := pushDerived(t, reg.Host, repo+"-app", base.Ref, "", nil)
	c, err := cache.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var chains []string
	for i := range 2 {
		rt := &registrytest.Recorder{}
		img := open(t, pinned(derived), dhi.WithBoundByDigest(), dhi.WithBaseKeys(key), lineageClock,
			dhi.WithRegistry(attest.WithCache(c), attest.WithTransport(rt)))
		l, err := img.Platforms[0].Lineage(context.Background())
		if err != nil {
			t.Fatalf("Lineage() error = %v (failures %v)", err, l.Failures)
		}
		b := l.Base()
		if b == nil || b.Index != base.Index.Digest {
			t.Fatalf("Lineage() chain = %+v, want the base at %s", l.Chain, base.Index.Digest)
		}
		rep, err := json.Marshal(img.Report().Platforms[0].Lineage)
		if err != nil {
			t.Fatal(err)
		}
		chains = append(chains, string(rep))
		if got := registrytest.ByDigest(rt.Requests()); i == 1 && len(got) != 0 {
			t.Errorf("second lineage read by digest: %v", got)
		}
		img.Close()
	}
	if !strings.Contains(chains[0], base.Platforms[0].Digest.Hex) {
		t.Errorf("lineage report does not name the base: %s", chains[0])
	}
	if !slices.Equal(chains[:1], chains[1:]) {
		t.Errorf("lineage through a warm cache differs:\n%s\n%s", chains[0], chains[1])
	}
}
