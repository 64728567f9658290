package attest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// KeyStatus says whether a key is still used for signing.
type KeyStatus string

// The key statuses.
const (
	// KeyStatusActive is a key its owner signs with today.
	KeyStatusActive KeyStatus = "active"
	// KeyStatusRetired is a key its owner no longer signs with. Signatures
	// made with it still verify, and the [Result] flags them, unless the
	// verifier was built with [WithRetiredKeysRefused].
	KeyStatusRetired KeyStatus = "retired"
)

// KeyStatuses returns every KeyStatus, in a fixed order.
func KeyStatuses() []KeyStatus { return []KeyStatus{KeyStatusActive, KeyStatusRetired} }

// Valid reports whether s is one of the defined key statuses.
func (s KeyStatus) Valid() bool {
	return s == KeyStatusActive || s == KeyStatusRetired
}

// minRSABits is the smallest RSA modulus accepted in a keyring.
const minRSABits = 2048

// Key is a trusted public key: ECDSA P-256 or P-384, Ed25519, or RSA of at
// least 2048 bits. A Key is immutable; build it with [ParseKey] or [NewKey].
type Key struct {
	id        string
	name      string
	status    KeyStatus
	notBefore time.Time
	notAfter  time.Time
	pub       crypto.PublicKey
	der       []byte
}

// ID returns the key's identifier: the lowercase hex sha256 of its DER
// SubjectPublicKeyInfo. Sigstore bundles carry the same digest (base64) as
// their publicKey.hint.
func (k *Key) ID() string { return k.id }

// Name returns the key's name, such as the file it was loaded from; it may
// be empty.
func (k *Key) Name() string { return k.name }

// Status returns the key's status.
func (k *Key) Status() KeyStatus { return k.status }

// NotBefore returns the start of the key's validity window; the zero time
// means the window has no start.
func (k *Key) NotBefore() time.Time { return k.notBefore }

// NotAfter returns the end of the key's validity window; the zero time means
// the window has no end.
func (k *Key) NotAfter() time.Time { return k.notAfter }

// PublicKey returns the public key: an *ecdsa.PublicKey, an
// ed25519.PublicKey or an *rsa.PublicKey.
func (k *Key) PublicKey() crypto.PublicKey { return k.pub }

// hasWindow reports whether the key has a validity window.
func (k *Key) hasWindow() bool { return !k.notBefore.IsZero() || !k.notAfter.IsZero() }

// validAt reports whether t falls inside the key's validity window.
func (k *Key) validAt(t time.Time) bool {
	if !k.notBefore.IsZero() && t.Before(k.notBefore) {
		return false
	}
	if !k.notAfter.IsZero() && t.After(k.notAfter) {
		return false
	}
	return true
}

// info returns the key's description for a [Result].
func (k *Key) info() *KeyInfo {
	return &KeyInfo{ID: k.id, Name: k.name, Status: k.status, NotBefore: k.notBefore, NotAfter: k.notAfter}
}

// KeyOption sets an optional property of a [Key].
type KeyOption func(*keyConfig) error

type keyConfig struct {
	name      string
	status    KeyStatus
	notBefore time.Time
	notAfter  time.Time
}

// WithKeyName names the key, for results and error messages. The default
// is no name ([LoadKeyring] uses the file name).
func WithKeyName(name string) KeyOption {
	return func(c *keyConfig) error {
		c.name = name
		return nil
	}
}

// WithKeyStatus sets the key's status. The default is [KeyStatusActive].
func WithKeyStatus(s KeyStatus) KeyOption {
	return func(c *keyConfig) error {
		if !s.Valid() {
			return fmt.Errorf("attest: invalid key status %q", s)
		}
		c.status = s
		return nil
	}
}

// WithKeyValidity sets the key's validity window: signatures made before
// notBefore or after notAfter are refused when a trusted time (a verified
// transparency-log entry or RFC 3161 timestamp) shows when they were made.
// A zero time leaves that side of the window open. The default is no window.
// See [WithKeyValidityEnforced] for signatures without a trusted time.
func WithKeyValidity(notBefore, notAfter time.Time) KeyOption {
	return func(c *keyConfig) error {
		if !notBefore.IsZero() && !notAfter.IsZero() && notAfter.Before(notBefore) {
			return fmt.Errorf("attest: key validity window ends (%s) before it starts (%s)", notAfter, notBefore)
		}
		c.notBefore, c.notAfter = notBefore, notAfter
		return nil
	}
}

// ParseKey decodes a PEM public key: a "PUBLIC KEY" block (DER
// SubjectPublicKeyInfo) holding an ECDSA P-256 or P-384, Ed25519 or RSA key,
// or an "RSA PUBLIC KEY" block (PKCS #1). Text around the block is ignored;
// more than one key block is an error.
func ParseKey(pemBytes []byte, opts ...KeyOption) (*Key, error) {
	block, rest := pem.Decode(pemBytes)
	if block == nil {
		return nil, fmt.Errorf("%w: no PEM block in public key", ErrInvalid)
	}
	if next, _ := pem.Decode(rest); next != nil {
		return nil, fmt.Errorf("%w: more than one PEM block in public key", ErrInvalid)
	}
	var pub crypto.PublicKey
	var err error
	switch block.Type {
	case "PUBLIC KEY":
		pub, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		pub, err = x509.ParsePKCS1PublicKey(block.Bytes)
	default:
		return nil, fmt.Errorf("%w: PEM block %q is not a public key", ErrInvalid, block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: decoding public key: %v", ErrInvalid, err)
	}
	return NewKey(pub, opts...)
}

// NewKey makes a Key of a public key: an *ecdsa.PublicKey on P-256 or
// P-384, an ed25519.PublicKey or an *rsa.PublicKey of at least 2048 bits.
func NewKey(pub crypto.PublicKey, opts ...KeyOption) (*Key, error) {
	switch p := pub.(type) {
	case *ecdsa.PublicKey:
		if p.Curve != elliptic.P256() && p.Curve != elliptic.P384() {
			return nil, fmt.Errorf("%w: ECDSA curve %s (only P-256 and P-384 are supported)", ErrUnsupported, p.Curve.Params().Name)
		}
	case ed25519.PublicKey:
		if len(p) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: Ed25519 public key of %d bytes", ErrInvalid, len(p))
		}
	case *rsa.PublicKey:
		if p.N.BitLen() < minRSABits {
			return nil, fmt.Errorf("%w: RSA key of %d bits (at least %d are required)", ErrUnsupported, p.N.BitLen(), minRSABits)
		}
	default:
		return nil, fmt.Errorf("%w: public key type %T", ErrUnsupported, pub)
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("%w: encoding public key: %v", ErrInvalid, err)
	}
	c := keyConfig{status: KeyStatusActive}
	for _, o := range opts {
		if err := o(&c); err != nil {
			return nil, err
		}
	}
	sum := sha256.Sum256(der)
	return &Key{
		id:        hex.EncodeToString(sum[:]),
		name:      c.name,
		status:    c.status,
		notBefore: c.notBefore,
		notAfter:  c.notAfter,
		pub:       pub,
		der:       der,
	}, nil
}

// PEM returns the key as a PEM "PUBLIC KEY" block (DER
// SubjectPublicKeyInfo), the form [ParseKey] and [LoadKeyFile] read.
func (k *Key) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: k.der})
}

// maxKeyFile bounds the size of a key file [LoadKeyFile] reads.
const maxKeyFile = 64 << 10

// LoadKeyFile reads the PEM public key in the file at path (see
// [ParseKey]) and names it after the file, without its directory and
// extension, unless opts name it. A file over 64 KiB is an error.
func LoadKeyFile(path string, opts ...KeyOption) (*Key, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("attest: reading key file: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("attest: reading key file %s: %w", path, err)
	}
	if len(b) > maxKeyFile {
		return nil, fmt.Errorf("attest: key file %s over %d bytes: %w", path, maxKeyFile, ErrTooLarge)
	}
	base := filepath.Base(path)
	named := append([]KeyOption{WithKeyName(strings.TrimSuffix(base, filepath.Ext(base)))}, opts...)
	k, err := ParseKey(b, named...)
	if err != nil {
		return nil, fmt.Errorf("attest: key file %s: %w", path, err)
	}
	return k, nil
}

// Keyring is a set of trusted public keys, in the order they were given.
// A Keyring is immutable and safe for concurrent use.
type Keyring struct {
	keys []*Key
	byID map[string]*Key
}

// NewKeyring makes a keyring of keys. Two keys with the same ID (the same
// public key) are an error, even under different names or statuses.
func NewKeyring(keys ...*Key) (*Keyring, error) {
	kr := &Keyring{byID: make(map[string]*Key, len(keys))}
	for i, k := range keys {
		if k == nil {
			return nil, fmt.Errorf("attest: keyring key %d is nil", i)
		}
		if prev, ok := kr.byID[k.id]; ok {
			return nil, fmt.Errorf("attest: keyring has key %s twice (%q and %q)", k.id, prev.name, k.name)
		}
		kr.byID[k.id] = k
		kr.keys = append(kr.keys, k)
	}
	return kr, nil
}

// LoadKeyring reads every *.pub and *.pem file in the directory dir of fsys
// (not its subdirectories) as a PEM public key, in lexical order, names
// each key after its file (without the extension) and marks it active. A
// file holding a key already read under another name, such as a
// "latest.pub" alias of a numbered key, is skipped. A directory without any
// key is an error. To set statuses or validity windows, build the keys with
// [ParseKey] and the keyring with [NewKeyring].
func LoadKeyring(fsys fs.FS, dir string) (*Keyring, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("attest: reading keyring directory: %w", err)
	}
	var keys []*Key
	seen := map[string]bool{}
	for _, e := range entries {
		ext := path.Ext(e.Name())
		if e.IsDir() || (ext != ".pub" && ext != ".pem") {
			continue
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("attest: reading key %s: %w", e.Name(), err)
		}
		k, err := ParseKey(b, WithKeyName(strings.TrimSuffix(e.Name(), ext)))
		if err != nil {
			return nil, fmt.Errorf("reading key %s: %w", e.Name(), err)
		}
		if seen[k.id] {
			continue
		}
		seen[k.id] = true
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("attest: no *.pub or *.pem key in keyring directory %q", dir)
	}
	return NewKeyring(keys...)
}

// Keys returns the keys, in the order they were given.
func (kr *Keyring) Keys() []*Key {
	if kr == nil {
		return nil
	}
	return slices.Clone(kr.keys)
}

// Key returns the key with the given ID (lowercase hex), if the keyring
// holds it.
func (kr *Keyring) Key(id string) (*Key, bool) {
	if kr == nil {
		return nil, false
	}
	k, ok := kr.byID[strings.ToLower(id)]
	return k, ok
}

// Len returns the number of keys.
func (kr *Keyring) Len() int {
	if kr == nil {
		return 0
	}
	return len(kr.keys)
}

// verify reports whether sig is a signature of msg under the key. It
// accepts the encodings that signers in the wild produce:
//   - ECDSA: ASN.1 DER or raw r||s (IEEE P1363), over SHA-256 for P-256 and
//     over SHA-384 or SHA-256 (older cosign) for P-384;
//   - Ed25519: pure Ed25519, or Ed25519ph (as in hashedrekord entries);
//   - RSA: PKCS #1 v1.5 or PSS, over SHA-256.
func (k *Key) verify(msg, sig []byte) bool {
	switch pub := k.pub.(type) {
	case *ecdsa.PublicKey:
		if pub.Curve == elliptic.P384() {
			h := sha512.Sum384(msg)
			if verifyECDSA(pub, h[:], sig) {
				return true
			}
		}
		h := sha256.Sum256(msg)
		return verifyECDSA(pub, h[:], sig)
	case ed25519.PublicKey:
		if ed25519.Verify(pub, msg, sig) {
			return true
		}
		h := sha512.Sum512(msg)
		return ed25519.VerifyWithOptions(pub, h[:], sig, &ed25519.Options{Hash: crypto.SHA512}) == nil
	case *rsa.PublicKey:
		h := sha256.Sum256(msg)
		if rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig) == nil {
			return true
		}
		return rsa.VerifyPSS(pub, crypto.SHA256, h[:], sig, nil) == nil
	}
	return false
}

// verifyECDSA verifies an ECDSA signature over digest in ASN.1 DER or, when
// it has exactly twice the curve's byte length, raw r||s form.
func verifyECDSA(pub *ecdsa.PublicKey, digest, sig []byte) bool {
	if ecdsa.VerifyASN1(pub, digest, sig) {
		return true
	}
	n := (pub.Curve.Params().BitSize + 7) / 8
	if len(sig) != 2*n {
		return false
	}
	r := new(big.Int).SetBytes(sig[:n])
	s := new(big.Int).SetBytes(sig[n:])
	return ecdsa.Verify(pub, digest, r, s)
}

// keyIDFromHint turns a key hint (a sigstore bundle's publicKey.hint, a DSSE
// keyid) into a keyring ID when it is the sha256 of a public key in base64
// or hex; otherwise it returns "".
func keyIDFromHint(hint string) string {
	if len(hint) == 64 {
		if b, err := hex.DecodeString(hint); err == nil {
			return hex.EncodeToString(b)
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(hint); err == nil && len(b) == sha256.Size {
			return hex.EncodeToString(b)
		}
	}
	return ""
}

// candidates returns the keys to try for a signature carrying hint: the key
// the hint names when the keyring holds it, else every key. named reports
// whether the hint named a key of the keyring.
func (kr *Keyring) candidates(hint string) (keys []*Key, named bool) {
	if id := keyIDFromHint(hint); id != "" {
		if k, ok := kr.Key(id); ok {
			return []*Key{k}, true
		}
	}
	return kr.keys, false
}
