package main

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "export:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tag := fs.String("tag", "", `name of the image in the layout (default: the reference's tag, or "latest")`)
	plainHTTP := fs.Bool("plain-http", false, "allow plain HTTP to the registry")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: export [flags] [reference] directory\n\nWith no reference, export the built-in sample image.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	var ref, dir string
	switch fs.NArg() {
	case 1:
		dir = fs.Arg(0)
	case 2:
		ref, dir = fs.Arg(0), fs.Arg(1)
	default:
		fs.Usage()
		return errors.New("give an optional reference and a directory")
	}

	var opts []dhi.Option
	if *plainHTTP {
		opts = append(opts, dhi.WithRegistry(attest.WithPlainHTTP()))
	}
	var keyPEM []byte
	if ref == "" {
		smp, err := dhitest.ServeSample(ctx)
		if err != nil {
			return fmt.Errorf("starting the sample image: %w", err)
		}
		defer smp.Close()
		sampleRef, key := smp.Ref, smp.Key
		if keyPEM, err = publicPEM(key); err != nil {
			return err
		}
		ref = sampleRef
		opts = append(opts, dhi.WithKeys(key))
	}
	if *tag == "" {
		*tag = "latest"
		if t, err := name.NewTag(ref); err == nil {
			*tag = t.TagStr()
		}
	}

	img, err := dhi.Open(ctx, ref, opts...)
	if err != nil {
		return err
	}
	if err := img.Export(ctx, dir, *tag); err != nil {
		return err
	}
	var atts, verified int
	for _, p := range img.Platforms {
		for _, a := range p.Attestations {
			atts++
			if a.Verified {
				verified++
			}
		}
	}
	fmt.Fprintf(stdout, "exported %s (%s): %d platforms, %d attestations (%d verified now) to %s as %q\n",
		ref, img.Root.Digest, len(img.Platforms), atts, verified, dir, *tag)
	keyFlag := ""
	if keyPEM != nil {
		if err := os.WriteFile(dir+".pub", keyPEM, 0o644); err != nil {
			return err
		}
		keyFlag = " -key " + dir + ".pub"
		fmt.Fprintf(stdout, "the sample's public key: %s.pub\n", dir)
	}
	fmt.Fprintf(stdout, "inspect it offline: go run ./examples/inspect -layout %s%s %s\n", dir, keyFlag, *tag)
	return nil
}

// publicPEM returns a key as PEM, to save it beside the layout.
func publicPEM(k *attest.Key) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(k.PublicKey())
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}
