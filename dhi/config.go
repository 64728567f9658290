package dhi

import (
	"bytes"
	"context"
)

// Config returns the platform's image config exactly as the registry (or
// layout) serves it, checked against the digest the platform manifest
// names and bounded to 4 MiB. It is the config [Open] read; when that read
// failed (see [Image.Problems]), Config reads it again.
func (p *Platform) Config(ctx context.Context) ([]byte, error) {
	if p.config != nil {
		return bytes.Clone(p.config), nil
	}
	_, cfg, err := p.readConfig(ctx)
	return cfg, err
}

// Image returns the image the platform belongs to.
func (p *Platform) Image() *Image { return p.img }
