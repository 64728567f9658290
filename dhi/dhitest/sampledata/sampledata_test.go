package sampledata_test

import (
	"encoding/json"
	"io/fs"
	"testing"

	"github.com/dhisdk/dhisdk/dhi/dhitest/sampledata"
)

func TestRead(t *testing.T) {
	t.Parallel()
	b, err := sampledata.Read("dhi/predicates/fips.json")
	if err != nil || !json.Valid(b) {
		t.Fatalf("Read = %d bytes, %v", len(b), err)
	}
	if _, err := sampledata.Read("no/such.json"); err == nil {
		t.Error("Read of a missing document: no error")
	}
	if _, err := fs.Stat(sampledata.FS(), "README.md"); err != nil {
		t.Errorf("FS lacks README.md: %v", err)
	}
}
