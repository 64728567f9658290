package dhi

import (
	"strings"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/dhisdk/dhisdk/attest"
)

// Trust is the level of trust an attestation reached.
type Trust string

// Levels of trust.
const (
	// TrustSigned means the attestation's signature verified with a key or
	// identity the caller trusts.
	TrustSigned Trust = "signed"
	// TrustBoundByDigest means the attestation is unsigned but was reached
	// through the index digest the caller named ("name@sha256:..."): a
	// BuildKit attestation manifest inside that index, about one of its
	// platform manifests. Content addressing binds it to the index the
	// caller named; nobody vouches for it. Queries use it only with
	// [WithBoundByDigest], and it never counts as signed.
	TrustBoundByDigest Trust = "bound-by-digest"
	// TrustUnverified means neither: the attestation is unsigned and was
	// reached another way (through a tag, or as a referrer), or its
	// signature did not verify.
	TrustUnverified Trust = "unverified"
)

// Trusts returns every [Trust], strongest first.
func Trusts() []Trust { return []Trust{TrustSigned, TrustBoundByDigest, TrustUnverified} }

// Valid reports whether t is one of the constants of this package.
func (t Trust) Valid() bool {
	for _, k := range Trusts() {
		if t == k {
			return true
		}
	}
	return false
}

// WithBoundByDigest makes the image's queries use the attestations bound
// by digest to the index the caller named ([TrustBoundByDigest]): unsigned
// BuildKit attestations, as images built with docker buildx carry, inside
// an index opened as "name@sha256:...". They stay unverified (Verified is
// false): the digest says they are the ones the index holds, not who made
// them. An image opened by tag gets none of them. The default uses signed
// attestations only.
func WithBoundByDigest() Option {
	return func(o *options) error {
		o.boundByDigest = true
		return nil
	}
}

// bind sets the attestation's trust level and, under WithBoundByDigest,
// lets queries use an attestation bound by digest.
func (img *Image) bind(att *Attestation) {
	switch {
	case att.Verified:
		att.Trust = TrustSigned
	case img.boundByDigest(att.Discovered):
		att.Trust = TrustBoundByDigest
		if img.opts.boundByDigest {
			att.Used = true
			att.statement = att.Discovered.Content.Statement
			att.Reason = "bound by digest to the index you named, not signed"
		}
	default:
		att.Trust = TrustUnverified
	}
}

// boundByDigest reports whether a is an unsigned BuildKit attestation
// reached through the index digest the image was opened by, whose statement
// is about the platform manifest it is attached to.
func (img *Image) boundByDigest(a *attest.Attestation) bool {
	if a == nil || a.Err != nil || a.Content == nil || a.Content.Statement == nil || len(a.Signatures) > 0 ||
		a.Content.Envelope != nil || a.Content.Bundle != nil {
		return false
	}
	if a.Mechanism() != attest.MechanismBuildxIndex || !strings.Contains(string(img.Root.MediaType), "index") && !strings.Contains(string(img.Root.MediaType), "manifest.list") {
		return false
	}
	for _, l := range a.Locations {
		if l.Mechanism != attest.MechanismBuildxIndex {
			return false
		}
	}
	ref, err := name.ParseReference(img.Reference)
	if err != nil {
		return false
	}
	d, ok := ref.(name.Digest)
	if !ok || d.DigestStr() != img.Root.Digest.String() {
		return false
	}
	return a.Content.Statement.HasSubject(a.Target.Digest.String())
}
