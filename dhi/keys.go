package dhi

import (
	"embed"
	"fmt"

	"github.com/dhisdk/dhisdk/attest"
)

// The public keys with which Docker signs the attestations of Docker Hardened
// Images: ECDSA P-256 keys from github.com/docker-hardened-images/keyring
// (publickey/dhi-1.pub and dhi-2.pub, Apache-2.0), also served at
// https://dhi.io/keyring/1.pub and 2.pub. dhi-2 is the active key (and
// latest.pub); dhi-1 was retired when dhi-2 was added.
//
//go:embed keys/dhi-1.pub keys/dhi-2.pub
var keyFiles embed.FS

// IDs of Docker's DHI signing keys: the hex sha256 of each key's DER
// SubjectPublicKeyInfo, as sigstore bundles name keys.
const (
	// KeyIDDHI2 is the ID of dhi-2, the active key.
	KeyIDDHI2 = "118ba556dd52f4aec67018efd316c285c783cd3e54cc0f4527605715c643887c"
	// KeyIDDHI1 is the ID of dhi-1, the retired key.
	KeyIDDHI1 = "1b431f0d467ecc9e3d97e5b446980599a99c3a386e42ea628b172db1051c737b"
)

// Keys returns Docker's DHI attestation signing keys, dhi-2 (active) and
// dhi-1 (retired), as a new keyring. Attestations signed with dhi-1 verify
// and are flagged as signed by a retired key, unless the verifier refuses
// retired keys ([attest.WithRetiredKeysRefused]). Docker publishes no
// validity windows for its keys, so none is set.
func Keys() (*attest.Keyring, error) {
	var keys []*attest.Key
	for _, k := range []struct {
		file, name string
		status     attest.KeyStatus
	}{
		{"keys/dhi-2.pub", "dhi-2", attest.KeyStatusActive},
		{"keys/dhi-1.pub", "dhi-1", attest.KeyStatusRetired},
	} {
		b, err := keyFiles.ReadFile(k.file)
		if err != nil {
			return nil, fmt.Errorf("dhi: reading embedded key %s: %w", k.name, err)
		}
		key, err := attest.ParseKey(b, attest.WithKeyName(k.name), attest.WithKeyStatus(k.status))
		if err != nil {
			return nil, fmt.Errorf("dhi: parsing embedded key %s: %w", k.name, err)
		}
		keys = append(keys, key)
	}
	return attest.NewKeyring(keys...)
}
