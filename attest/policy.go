package attest

import (
	"errors"
	"fmt"

	"github.com/sigstore/sigstore-go/pkg/root"
	sgverify "github.com/sigstore/sigstore-go/pkg/verify"
)

// VerifierOption sets the policy of a [Verifier].
type VerifierOption func(*verifierConfig) error

// verifierConfig is the policy a Verifier applies.
type verifierConfig struct {
	trusted          root.TrustedMaterial
	identities       []sgverify.CertificateIdentity
	requireTlog      bool
	requireTimestamp bool
	threshold        int
	refuseRetired    bool
	enforceValidity  bool
}

// WithTrustedRoot sets the sigstore trust material (Fulcio certificate
// authorities, Rekor transparency logs, certificate-transparency logs and
// timestamping authorities), for example a [root.TrustedRoot] read with
// root.NewTrustedRootFromJSON. Keyless signatures are verified against it,
// and transparency-log entries and RFC 3161 timestamps carried by any
// signature are checked against it. Public keys in the material are not
// trusted; keys come only from the keyring given to [NewVerifier].
//
// The default is no trusted root: keyless signatures are refused, and
// transparency-log entries and timestamps are reported as not checked
// (or fail, when [WithTransparencyLog] or [WithSignedTimestamp] requires
// them).
func WithTrustedRoot(tm root.TrustedMaterial) VerifierOption {
	return func(c *verifierConfig) error {
		if tm == nil {
			return errors.New("attest: nil trusted root")
		}
		c.trusted = tm
		return nil
	}
}

// WithIdentity trusts keyless signatures whose certificate was issued for
// subject (the certificate's subject alternative name: an email address or
// a URI) on a token from the OIDC issuer, both compared exactly. It may be
// given several times; a signature needs to match one. It requires
// [WithTrustedRoot]. The default is no trusted identity: keyless signatures
// are refused.
func WithIdentity(issuer, subject string) VerifierOption {
	return func(c *verifierConfig) error {
		if issuer == "" || subject == "" {
			return errors.New("attest: WithIdentity needs an issuer and a subject")
		}
		id, err := sgverify.NewShortCertificateIdentity(issuer, "", subject, "")
		if err != nil {
			return fmt.Errorf("attest: identity: %v", err)
		}
		c.identities = append(c.identities, id)
		return nil
	}
}

// WithIdentityRegexp is like [WithIdentity], with issuer and subject given
// as regular expressions (Go syntax, unanchored: anchor them with ^ and $
// to match whole values).
func WithIdentityRegexp(issuer, subject string) VerifierOption {
	return func(c *verifierConfig) error {
		if issuer == "" || subject == "" {
			return errors.New("attest: WithIdentityRegexp needs an issuer and a subject pattern")
		}
		id, err := sgverify.NewShortCertificateIdentity("", issuer, "", subject)
		if err != nil {
			return fmt.Errorf("attest: identity: %v", err)
		}
		c.identities = append(c.identities, id)
		return nil
	}
}

// WithTransparencyLog requires each signature that counts to carry a
// transparency-log entry that verifies against the trusted root. It
// requires [WithTrustedRoot]. The default is to check entries when present
// and to report their absence as not checked: DHI signatures, for example,
// often carry none.
func WithTransparencyLog() VerifierOption {
	return func(c *verifierConfig) error {
		c.requireTlog = true
		return nil
	}
}

// WithSignedTimestamp requires each signature that counts to carry an RFC
// 3161 timestamp that verifies against the trusted root's timestamping
// authorities. It requires [WithTrustedRoot]. The default is to check
// timestamps when present and to report their absence as not checked.
func WithSignedTimestamp() VerifierOption {
	return func(c *verifierConfig) error {
		c.requireTimestamp = true
		return nil
	}
}

// WithThreshold requires n valid signatures from distinct keys or
// identities. The default is 1.
func WithThreshold(n int) VerifierOption {
	return func(c *verifierConfig) error {
		if n < 1 {
			return fmt.Errorf("attest: threshold %d is below 1", n)
		}
		c.threshold = n
		return nil
	}
}

// WithRetiredKeysRefused refuses signatures made with keys whose status is
// [KeyStatusRetired]. The default accepts them and flags them in the
// [Result], since old attestations stay signed with the key of their day.
func WithRetiredKeysRefused() VerifierOption {
	return func(c *verifierConfig) error {
		c.refuseRetired = true
		return nil
	}
}

// WithKeyValidityEnforced refuses signatures made with a key that has a
// validity window ([WithKeyValidity]) unless a trusted time (a verified
// transparency-log integrated time or RFC 3161 timestamp) shows that the
// signature was made inside it. The default refuses signatures that a
// trusted time places outside the window, and accepts those without a
// trusted time, reporting that the window could not be checked.
func WithKeyValidityEnforced() VerifierOption {
	return func(c *verifierConfig) error {
		c.enforceValidity = true
		return nil
	}
}

// makeVerifierConfig applies the options and checks that they agree.
func makeVerifierConfig(keys *Keyring, opts []VerifierOption) (verifierConfig, error) {
	c := verifierConfig{threshold: 1}
	for _, o := range opts {
		if err := o(&c); err != nil {
			return c, err
		}
	}
	if keys.Len() == 0 && len(c.identities) == 0 {
		return c, errors.New("attest: verifier trusts nothing: give a keyring with keys or a keyless identity (WithIdentity)")
	}
	if c.trusted == nil {
		switch {
		case len(c.identities) > 0:
			return c, errors.New("attest: keyless identities need a trusted root (WithTrustedRoot)")
		case c.requireTlog:
			return c, errors.New("attest: WithTransparencyLog needs a trusted root (WithTrustedRoot)")
		case c.requireTimestamp:
			return c, errors.New("attest: WithSignedTimestamp needs a trusted root (WithTrustedRoot)")
		}
	}
	return c, nil
}
