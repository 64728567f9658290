package cache_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/attest/cache"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
)

// Content goes in under its digest and comes out only if it still hashes to
// it.
func Example() {
	dir, err := os.MkdirTemp("", "dhisdk-cache")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	c, err := cache.Open(filepath.Join(dir, "cache"))
	if err != nil {
		log.Fatal(err)
	}
	content := []byte(`{"schemaVersion":2}`)
	d, _, err := v1.SHA256(bytes.NewReader(content))
	if err != nil {
		log.Fatal(err)
	}
	if err := c.Put(d, content); err != nil {
		log.Fatal(err)
	}
	b, ok := c.Get(d, 1<<20)
	fmt.Println(ok, string(b))
	fmt.Println(c.Put(d, []byte("something else")) != nil)
	fmt.Printf("%+v\n", c.Stats())
	// Output:
	// true {"schemaVersion":2}
	// true
	// {Hits:1 Misses:0 Corrupt:0 Evicted:0 BytesWritten:19 Bytes:19}
}

// A registry source reads through the cache: the second discovery reads
// every manifest and layer it names by digest from disk.
func Example_registry() {
	ctx := context.Background()
	s, err := dhitest.ServeSample(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	dir, err := os.MkdirTemp("", "dhisdk-cache")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	c, err := cache.Open(dir)
	if err != nil {
		log.Fatal(err)
	}

	for range 2 {
		src, err := attest.Registry(attest.WithCache(c))
		if err != nil {
			log.Fatal(err)
		}
		d, err := attest.Discover(ctx, src, s.Ref)
		src.Close()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(len(d.Attestations), "attestations, cache hits:", c.Stats().Hits > 0)
	}
	// Output:
	// 30 attestations, cache hits: false
	// 30 attestations, cache hits: true
}
