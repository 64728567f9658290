package dhi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/dhisdk/dhisdk/attest"
)

// ErrNotEmpty reports that [Image.Export] was asked to write to a
// directory that already holds files, without [WithMerge].
var ErrNotEmpty = errors.New("dhi: export directory is not empty")

// ExportOption configures [Image.Export].
type ExportOption func(*exportOptions)

type exportOptions struct {
	merge bool
}

// WithMerge lets [Image.Export] add to an OCI layout that already exists
// in the directory (its index.json gains the image's entries). The default
// is to refuse a directory that is not empty, so that an export never
// mixes silently with another one.
func WithMerge() ExportOption {
	return func(o *exportOptions) { o.merge = true }
}

// Export writes the image's metadata to the OCI image layout in directory
// dir, named tag in its index.json: the index, the platform manifests and
// configs, and every attestation and signature found, verified or not (see
// [attest.Export]). Open(ctx, tag, WithLayout(dir)) then gives the same
// model with no network, for air-gapped use or a CI cache; verification
// runs again there, with whatever keys are trusted then.
//
// A directory that exists and is not empty is refused with [ErrNotEmpty]
// unless [WithMerge] is given.
func (img *Image) Export(ctx context.Context, dir, tag string, opts ...ExportOption) error {
	var o exportOptions
	for _, opt := range opts {
		opt(&o)
	}
	if !o.merge {
		if err := checkEmpty(dir); err != nil {
			return err
		}
	}
	if err := attest.Export(ctx, img.src, img.discovery, dir, tag); err != nil {
		return fmt.Errorf("dhi: exporting %s: %w", img.Reference, err)
	}
	return nil
}

// checkEmpty returns [ErrNotEmpty] when dir exists and holds an entry.
func checkEmpty(dir string) error {
	f, err := os.Open(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("dhi: exporting to %s: %w", dir, err)
	}
	defer f.Close()
	names, err := f.Readdirnames(1)
	switch {
	case err == io.EOF || err == nil && len(names) == 0:
		return nil
	case err != nil:
		return fmt.Errorf("dhi: exporting to %s: %w", dir, err)
	}
	return fmt.Errorf("%w: %s (give WithMerge to add to it)", ErrNotEmpty, dir)
}
