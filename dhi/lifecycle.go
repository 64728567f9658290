package dhi

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/dhisdk/dhisdk/attest"
)

// Labels of DHI image configs.
const (
	LabelName           = "com.docker.dhi.name"
	LabelTitle          = "com.docker.dhi.title"
	LabelVersion        = "com.docker.dhi.version"
	LabelVariant        = "com.docker.dhi.variant"
	LabelFlavor         = "com.docker.dhi.flavor"
	LabelDistro         = "com.docker.dhi.distro"
	LabelCompliance     = "com.docker.dhi.compliance"
	LabelEntitlement    = "com.docker.dhi.entitlement"
	LabelDefinition     = "com.docker.dhi.definition"
	LabelURL            = "com.docker.dhi.url"
	LabelCreated        = "com.docker.dhi.created"
	LabelDateRelease    = "com.docker.dhi.date.release"
	LabelDateEndOfLife  = "com.docker.dhi.date.end-of-life"
	LabelChainID        = "com.docker.dhi.chain-id"
	LabelShell          = "com.docker.dhi.shell"
	LabelPackageManager = "com.docker.dhi.package-manager"
)

// Lifecycle is what a DHI image's labels say about the image's place in its
// product's life: what it is, when it was released and until when it is
// supported. Under DHI's shared-responsibility model the customer stays on
// supported versions and applies updates; Lifecycle and
// [Image.CheckUpdate] tell whether that is being done.
type Lifecycle struct {
	// Name is the DHI repository name, such as "dhi/python"; empty for an
	// image that is not a DHI image.
	Name string `json:"name,omitempty"`
	// Title is the product's display name.
	Title string `json:"title,omitempty"`
	// Version is the image version, such as "3.13.13-debian13".
	Version string `json:"version,omitempty"`
	// Variant is "runtime", "dev" or "helm".
	Variant string `json:"variant,omitempty"`
	// Flavor is the free-text flavor; often empty.
	Flavor string `json:"flavor,omitempty"`
	// Distro is the base distribution, such as "debian-13" or "alpine-3.22".
	Distro string `json:"distro,omitempty"`
	// Compliance lists the compliance labels, such as "cis", "fips", "stig".
	Compliance []string `json:"compliance,omitempty"`
	// Entitlement is "public", "enterprise" or "els".
	Entitlement string `json:"entitlement,omitempty"`
	// Definition is the image definition's path in the DHI catalog.
	Definition string `json:"definition,omitempty"`
	// URL is the catalog page.
	URL string `json:"url,omitempty"`
	// Created, Released and EndOfLife are the creation, release and
	// end-of-life dates; zero when the label is absent or not a date (the
	// raw value is in the platform's Labels).
	Created   time.Time `json:"created,omitzero"`
	Released  time.Time `json:"released,omitzero"`
	EndOfLife time.Time `json:"endOfLife,omitzero"`
	// ChainID is the ChainID of the DHI layers, which images built FROM the
	// image keep in their own labels.
	ChainID string `json:"chainID,omitempty"`
}

// Lifecycle returns what the platform's labels say about its lifecycle.
func (p *Platform) Lifecycle() Lifecycle {
	l := p.Labels
	lc := Lifecycle{
		Name: l[LabelName], Title: l[LabelTitle], Version: l[LabelVersion], Variant: l[LabelVariant],
		Flavor: l[LabelFlavor], Distro: l[LabelDistro], Entitlement: l[LabelEntitlement],
		Definition: l[LabelDefinition], URL: l[LabelURL], ChainID: l[LabelChainID],
		Created: parseDate(l[LabelCreated]), Released: parseDate(l[LabelDateRelease]), EndOfLife: parseDate(l[LabelDateEndOfLife]),
	}
	for _, c := range strings.Split(l[LabelCompliance], ",") {
		if c = strings.TrimSpace(c); c != "" {
			lc.Compliance = append(lc.Compliance, c)
		}
	}
	return lc
}

// IsDHIImage reports whether the labels mark the platform as a Docker
// Hardened Image.
func (p *Platform) IsDHIImage() bool { return p.Labels[LabelName] != "" }

// PastEndOfLife reports whether the image's end of life is known and before
// now.
func (l Lifecycle) PastEndOfLife(now time.Time) bool {
	return !l.EndOfLife.IsZero() && now.After(l.EndOfLife)
}

// parseDate reads a label date in RFC 3339 or as a plain date.
func parseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly, "2006-01-02T15:04:05", "20060102"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// Update says whether the tag an image was opened by now names another
// image.
type Update struct {
	// Tag is the reference re-resolved.
	Tag string `json:"tag"`
	// Current is the digest the image was opened at.
	Current v1.Hash `json:"current"`
	// Latest is the digest the tag names now.
	Latest v1.Hash `json:"latest"`
	// Available is true when Latest differs from Current: the tag has moved
	// to an updated image.
	Available bool `json:"available"`
}

// CheckUpdate resolves the reference the image was opened by again and says
// whether it now names another image. For an image opened by digest there
// is nothing to check, and CheckUpdate returns an error.
func (img *Image) CheckUpdate(ctx context.Context) (*Update, error) {
	if r, err := name.ParseReference(img.Reference); err == nil {
		if _, ok := r.(name.Digest); ok {
			return nil, fmt.Errorf("dhi: %s is a digest reference: it cannot move", img.Reference)
		}
	}
	desc, _, err := attest.ReadManifest(ctx, img.src, img.Reference)
	if err != nil {
		return nil, fmt.Errorf("dhi: checking %s for an update: %w", img.Reference, err)
	}
	return &Update{Tag: img.Reference, Current: img.Root.Digest, Latest: desc.Digest, Available: desc.Digest != img.Root.Digest}, nil
}
