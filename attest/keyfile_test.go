package attest_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
)

func TestLoadKeyFileAndPEM(t *testing.T) {
	t.Parallel()
	_, pub, err := dhitest.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "release.pub")
	if err := os.WriteFile(path, pub, 0o600); err != nil {
		t.Fatal(err)
	}
	k, err := attest.LoadKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if k.Name() != "release" {
		t.Errorf("Name() = %q, want release", k.Name())
	}
	if !bytes.Equal(k.PEM(), pub) {
		t.Errorf("PEM() = %s, want %s", k.PEM(), pub)
	}
	if k2, err := attest.LoadKeyFile(path, attest.WithKeyName("other")); err != nil || k2.Name() != "other" || k2.ID() != k.ID() {
		t.Errorf("LoadKeyFile with a name = %v, %v", k2, err)
	}
	if _, err := attest.LoadKeyFile(filepath.Join(t.TempDir(), "none.pub")); err == nil {
		t.Error("LoadKeyFile of a missing file: no error")
	}
	big := filepath.Join(t.TempDir(), "big.pub")
	if err := os.WriteFile(big, bytes.Repeat([]byte("a"), 70<<10), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := attest.LoadKeyFile(big); err == nil {
		t.Error("LoadKeyFile of a 70 KiB file: no error")
	}
}
