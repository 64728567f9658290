package dhi

import (
	"context"
	"encoding/json"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/attest"
)

// Config returns the platform's image config exactly as the registry (or
// layout) serves it, read through the platform manifest and checked against
// the digest the manifest names. It is read on each call, bounded to 4 MiB.
func (p *Platform) Config(ctx context.Context) ([]byte, error) {
	img := p.img
	_, raw, err := attest.ReadManifestByDigest(ctx, img.src, img.Repository, p.Descriptor.Digest)
	if err != nil {
		return nil, fmt.Errorf("dhi: reading the %s manifest: %w", p, err)
	}
	var m v1.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("dhi: decoding the %s manifest %s: %v", p, p.Descriptor.Digest, err)
	}
	if m.Config.Digest.Hex == "" {
		return nil, fmt.Errorf("dhi: the %s manifest %s has no config", p, p.Descriptor.Digest)
	}
	cfg, err := attest.ReadBlob(ctx, img.src, img.Repository, m.Config, attest.WithMaxBlobSize(configLimit))
	if err != nil {
		return nil, fmt.Errorf("dhi: reading the %s image config: %w", p, err)
	}
	return cfg, nil
}

// Image returns the image the platform belongs to.
func (p *Platform) Image() *Image { return p.img }
