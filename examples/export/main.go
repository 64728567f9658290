package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/internal/cli"
)

func main() { cli.Main("export", run) }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tag := fs.String("tag", "", `name of the image in the layout (default: the reference's tag, or "latest")`)
	merge := fs.Bool("merge", false, "add to an existing layout in directory instead of refusing a non-empty directory")
	flags := cli.Register(fs, cli.FlagPlatform, cli.FlagPlainHTTP, cli.FlagKey, cli.FlagAddKey)
	cli.Usage(fs, "export [flags] [reference] directory",
		"Write an image's manifests, attestations and signatures to an OCI layout.\nWith no reference, export the built-in sample image.")
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

	opened, err := flags.Options(ctx, ref)
	if err != nil {
		return err
	}
	defer opened.Close()
	var keyPEM []byte
	if opened.Sample != nil {
		keyPEM = opened.Sample.PublicKeyPEM
	}
	ref = opened.Ref
	if *tag == "" {
		*tag = "latest"
		if t, err := name.NewTag(ref); err == nil {
			*tag = t.TagStr()
		}
	}

	img, err := dhi.Open(ctx, ref, opened.Options...)
	if err != nil {
		return err
	}
	defer img.Close()
	var eopts []dhi.ExportOption
	if *merge {
		eopts = append(eopts, dhi.WithMerge())
	}
	if err := img.Export(ctx, dir, *tag, eopts...); err != nil {
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
