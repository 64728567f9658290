package dhi

import (
	"errors"

	"github.com/dhisdk/dhisdk/attest"
)

// lineageOptions are the options of [Platform.Lineage].
type lineageOptions struct {
	keys     []*attest.Key
	verifier *attest.Verifier
	maxDepth int
}

// defaultLineageDepth is how many bases a lineage walks by default.
const defaultLineageDepth = 4

// maxLineageDepth bounds WithLineageDepth.
const maxLineageDepth = 16

func (o lineageOptions) depth() int {
	if o.maxDepth == 0 {
		return defaultLineageDepth
	}
	return o.maxDepth
}

// WithBaseKeys verifies the attestations of base images ([Platform.Lineage])
// with keys instead of Docker's DHI keys ([Keys]), for bases signed by
// another party (and for tests). The trust settings of the image itself
// ([WithKeys], [WithKeyring], [WithVerifier]) never apply to its bases. The
// default is [Keys].
func WithBaseKeys(keys ...*attest.Key) Option {
	return func(o *options) error {
		if len(keys) == 0 {
			return errors.New("dhi: WithBaseKeys: no key given")
		}
		for _, k := range keys {
			if k == nil {
				return errors.New("dhi: WithBaseKeys: nil key")
			}
		}
		if o.lineage.verifier != nil {
			return errors.New("dhi: WithBaseVerifier sets the whole trust policy for bases; it cannot be combined with WithBaseKeys")
		}
		o.lineage.keys = append(o.lineage.keys, keys...)
		return nil
	}
}

// WithBaseVerifier verifies the attestations of base images with v, which
// carries the whole trust policy for bases. It cannot be combined with
// [WithBaseKeys]. The default is a verifier trusting [Keys].
func WithBaseVerifier(v *attest.Verifier) Option {
	return func(o *options) error {
		if v == nil {
			return errors.New("dhi: WithBaseVerifier: nil verifier")
		}
		if len(o.lineage.keys) > 0 {
			return errors.New("dhi: WithBaseVerifier sets the whole trust policy for bases; it cannot be combined with WithBaseKeys")
		}
		o.lineage.verifier = v
		return nil
	}
}

// WithLineageDepth sets how many base images [Platform.Lineage] walks at
// most before it gives up (app FROM company-base FROM dhi.io/python is
// two), from 1 to 16. The default is 4.
func WithLineageDepth(n int) Option {
	return func(o *options) error {
		if n < 1 || n > maxLineageDepth {
			return errors.New("dhi: WithLineageDepth: the depth must be from 1 to 16")
		}
		o.lineage.maxDepth = n
		return nil
	}
}
