package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
)

func TestExportSample(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "python")
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{dir}, &out, &errOut); err != nil {
		t.Fatalf("run() error = %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "30 attestations (30 verified now)") || !strings.Contains(out.String(), "-layout "+dir) {
		t.Errorf("output:\n%s", out.String())
	}
	pub, err := os.ReadFile(dir + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	key, err := attest.ParseKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	src, err := attest.Layout(dir)
	if err != nil {
		t.Fatal(err)
	}
	img, err := dhi.Open(context.Background(), "3.13", dhi.WithStorage(src), dhi.WithKeys(key))
	if err != nil {
		t.Fatalf("opening the exported layout: %v", err)
	}
	for _, p := range img.Platforms {
		if len(p.Used()) != 15 {
			t.Errorf("%s: %d verified attestations offline, want 15", p, len(p.Used()))
		}
		exp, err := p.Exploitable()
		if err != nil || len(exp) != 2 {
			t.Errorf("%s: Exploitable() = %d, %v; want 2", p, len(exp), err)
		}
	}
}

func TestExportErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"a", "b", "c"}, {"Not A Reference", t.TempDir()}} {
		var out, errOut bytes.Buffer
		err := run(context.Background(), args, &out, &errOut)
		if err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("run(%q) error = %v, want one line", args, err)
		}
	}
}
