package dhisdk_test

import (
	"errors"
	"testing"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi/predicate"
	"github.com/dhisdk/dhisdk/internal/fixture"
	"github.com/dhisdk/dhisdk/sbom"
	"github.com/dhisdk/dhisdk/vex"
)

// TestErrTooLargeShared checks that every package's size-limit error has one
// parent: each matches attest.ErrTooLarge and predicate.ErrTooLarge, and the
// document parsers' errors still match their own ErrInvalid.
func TestErrTooLargeShared(t *testing.T) {
	t.Parallel()
	if attest.ErrTooLarge != predicate.ErrTooLarge {
		t.Error("attest.ErrTooLarge and predicate.ErrTooLarge differ")
	}
	_, sbomErr := sbom.Parse(fixture.Bytes(t, "spdx/syft-1.57.1_debian-pkgs-image.spdx-2.3.json"), sbom.WithMaxSize(100))
	_, vexErr := vex.Parse(fixture.Bytes(t, "dhi/advisories/vex/dhi-nginx.vex.json"), vex.WithMaxSize(100))
	_, stigErr := predicate.STIGOutput{Format: predicate.STIGFormatHTML, Content: "aGVsbG8="}.Decode(2)
	tests := []struct {
		name   string
		err    error
		own    error
		parent error
	}{
		{"sbom", sbomErr, sbom.ErrTooLarge, sbom.ErrInvalid},
		{"vex", vexErr, vex.ErrTooLarge, vex.ErrInvalid},
		{"predicate", stigErr, predicate.ErrTooLarge, predicate.ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if !errors.Is(tc.err, tc.own) || !errors.Is(tc.err, tc.parent) || !errors.Is(tc.err, attest.ErrTooLarge) || !errors.Is(tc.err, predicate.ErrTooLarge) {
				t.Errorf("%v: matches own %v, parent %v, attest %v, predicate %v", tc.err,
					errors.Is(tc.err, tc.own), errors.Is(tc.err, tc.parent), errors.Is(tc.err, attest.ErrTooLarge), errors.Is(tc.err, predicate.ErrTooLarge))
			}
		})
	}
}
