package dhi

import (
	"context"
	"fmt"

	"github.com/dhisdk/dhisdk/attest"
)

// Export writes the image's metadata to the OCI image layout in directory
// dir, named tag in its index.json: the index, the platform manifests and
// configs, and every attestation and signature found, verified or not (see
// [attest.Export]). Open(ctx, tag, WithSource(layout)) on that layout then
// gives the same model with no network, for air-gapped use or a CI cache;
// verification runs again there, with whatever keys are trusted then.
func (img *Image) Export(ctx context.Context, dir, tag string) error {
	if err := attest.Export(ctx, img.src, img.discovery, dir, tag); err != nil {
		return fmt.Errorf("dhi: exporting %s: %w", img.Reference, err)
	}
	return nil
}
