// Command policy evaluates Rego policies written for docker scout policy
// (Docker's DHI policies, or your own in their style) on the verified
// attestations of an image, prints a table, and can sign the result as a
// SLSA verification summary and attach it to the image.
//
// Usage:
//
//	go run ./examples/policy [flags] [reference]
//
// It evaluates every policy on each platform of the image and prints, per
// platform, one row per policy: its status (pass, fail, error, skipped),
// its name, and each violation's message and detail:
//
//	PLATFORM linux/amd64 sha256:...
//	STATUS  POLICY                  VIOLATION
//	fail    sample-non-root-user    dhi/python runs as root (user: , image: dhi/python)
//
// The exit status is 0 when every policy passed, 1 when one failed (or
// could not be evaluated: a policy that does not compile never passes), and
// 2 when the image could not be checked (a bad reference, a registry error,
// a bad flag).
//
// With no reference it evaluates the built-in sample image (see
// examples/inspect) with Docker's keyring URL mapped to the key the sample
// is signed with for the run. With no -policies it uses a small embedded
// set of policies written for the sample; the sample fails three of them
// (it runs as root, ships a shell and a package manager, and has a fixable
// vulnerability past its SLA).
//
// Flags:
//
//	-policies dir         evaluate the *.rego files of dir
//	-policy-config file   per-policy configuration (docker scout's
//	                      --policy-config shape)
//	-key file.pub         trust this public key and let policies name it as
//	                      key_ref by its file name (repeatable)
//	-json                 print the evaluations as JSON
//	-attest-key file.pem  sign each platform's result as a SLSA VSA with this
//	                      unencrypted PEM private key (PKCS #8, SEC 1 or
//	                      PKCS #1) and attach it to the platform, as cosign
//	                      v3 attaches attestations
//	-verifier-id uri      the VSA's verifier.id
package main

import (
	"context"
	"crypto"
	"embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/sigstore/sigstore/pkg/signature"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
	"github.com/dhisdk/dhisdk/dhi/policy"
	"github.com/dhisdk/dhisdk/internal/cli"
)

//go:embed policies/*.rego
var embedded embed.FS

// dhiKeyring is the key_ref Docker's DHI policies use.
const dhiKeyring = "https://dhi.io/keyring/latest.pub"

// maxFile bounds the configuration and key files read.
const maxFile = 4 << 20

func main() { cli.Main("policy", run) }

type flags struct {
	policies, config, attestKey, verifierID string
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("policy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f flags
	fs.StringVar(&f.policies, "policies", "", "evaluate the *.rego files of this directory (default: the embedded sample policies)")
	fs.StringVar(&f.config, "policy-config", "", "per-policy configuration file ({\"policies\": [{\"name\": ..., \"config\": {...}}]})")
	fs.StringVar(&f.attestKey, "attest-key", "", "sign each platform's result as a SLSA VSA with this unencrypted PEM private key and attach it")
	fs.StringVar(&f.verifierID, "verifier-id", "https://github.com/dhisdk/dhisdk/examples/policy", "the VSA's verifier.id")
	image := cli.Register(fs)
	cli.Usage(fs, "policy [flags] [reference]",
		"Evaluate Rego policies written for docker scout policy on an image's verified\n"+
			"attestations. With no reference, evaluate the built-in sample image. Policies\n"+
			"may name a -key or -add-key file as key_ref by its path.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return errors.New("give at most one reference")
	}
	popts, err := keyOptions(append(append([]string{}, image.Keys...), image.AddKeys...))
	if err != nil {
		return err
	}
	engineOpts, signer, err := f.load(popts)
	if err != nil {
		return err
	}
	opened, err := image.Options(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	defer opened.Close()
	ref, note, dopts := opened.Ref, "", opened.Options
	if opened.Note != "" {
		note = " (" + opened.Note + ")"
	}
	if opened.Sample != nil {
		note = " (" + opened.Note + ", which " + dhiKeyring + " names here)"
		engineOpts = append(engineOpts, policy.WithKey(dhiKeyring, opened.Sample.Key))
	}
	files, err := f.files()
	if err != nil {
		return err
	}
	e, err := policy.New(files, engineOpts...)
	if err != nil {
		return err
	}
	img, err := dhi.Open(ctx, ref, dopts...)
	if err != nil {
		return err
	}
	defer img.Close()
	var evs []*policy.Evaluation
	for _, p := range img.Platforms {
		ev, err := e.Evaluate(ctx, p)
		if err != nil {
			return err
		}
		evs = append(evs, ev)
	}
	if image.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(evs); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(stdout, "IMAGE %s %s%s\n", ref, img.Root.Digest, note)
		for _, ev := range evs {
			printTable(stdout, ev)
		}
	}
	if signer != nil {
		if err := attach(ctx, evs, signer, f.verifierID, stderr); err != nil {
			return err
		}
	}
	var failed int
	for _, ev := range evs {
		for _, r := range ev.Results {
			if r.Status == policy.StatusFail || r.Status == policy.StatusError {
				failed++
			}
		}
	}
	if failed > 0 {
		return fmt.Errorf("%w: %d policy results failed", cli.ErrPolicy, failed)
	}
	return nil
}

// keyOptions reads the -key and -add-key files so that policies can name
// each by its path as a key_ref (the image is verified with them through
// the cli flags).
func keyOptions(paths []string) ([]policy.Option, error) {
	var popts []policy.Option
	for _, path := range paths {
		b, err := readFile(path)
		if err != nil {
			return nil, fmt.Errorf("-key: %w", err)
		}
		key, err := attest.ParseKey(b, attest.WithKeyName(path))
		if err != nil {
			return nil, fmt.Errorf("-key %s: %w", path, err)
		}
		popts = append(popts, policy.WithKey(path, key))
	}
	return popts, nil
}

// load reads the configuration and the signing key.
func (f *flags) load(opts []policy.Option) ([]policy.Option, signature.Signer, error) {
	if f.config != "" {
		b, err := readFile(f.config)
		if err != nil {
			return nil, nil, fmt.Errorf("-policy-config: %w", err)
		}
		c, err := policy.ParseConfig(b)
		if err != nil {
			return nil, nil, fmt.Errorf("-policy-config %s: %w", f.config, err)
		}
		opts = append(opts, policy.WithConfig(c))
	}
	if f.attestKey == "" {
		return opts, nil, nil
	}
	b, err := readFile(f.attestKey)
	if err != nil {
		return nil, nil, fmt.Errorf("-attest-key: %w", err)
	}
	priv, err := cryptoutils.UnmarshalPEMToPrivateKey(b, cryptoutils.SkipPassword)
	if err != nil {
		return nil, nil, fmt.Errorf("-attest-key %s: %w", f.attestKey, err)
	}
	s, err := signature.LoadSigner(priv, crypto.SHA256)
	if err != nil {
		return nil, nil, fmt.Errorf("-attest-key %s: %w", f.attestKey, err)
	}
	return opts, s, nil
}

// files returns the policies: those of -policies, else the embedded ones.
func (f *flags) files() ([]policy.File, error) {
	if f.policies != "" {
		return policy.ReadDir(os.DirFS(f.policies), ".")
	}
	sub, err := fs.Sub(embedded, "policies")
	if err != nil {
		return nil, err
	}
	return policy.ReadDir(sub, ".")
}

func readFile(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, maxFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxFile {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, maxFile)
	}
	return b, nil
}

// printTable prints one platform's results.
func printTable(w io.Writer, ev *policy.Evaluation) {
	fmt.Fprintf(w, "\nPLATFORM %s %s\n", ev.Platform, ev.Digest)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tPOLICY\tVIOLATION")
	for _, r := range ev.Results {
		switch {
		case r.Err != nil:
			fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Status, r.Policy, r.Err)
		case len(r.Violations) == 0:
			fmt.Fprintf(tw, "%s\t%s\t\n", r.Status, r.Policy)
		default:
			for i, v := range r.Violations {
				status, name := string(r.Status), r.Policy
				if i > 0 {
					status, name = "", ""
				}
				fmt.Fprintf(tw, "%s\t%s\t%s%s\n", status, name, v.Message, detail(v.Detail))
			}
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "%d attestations read; policy set %s\n", len(ev.Inputs), ev.PolicyDigest)
}

func detail(fs []policy.Field) string {
	if len(fs) == 0 {
		return ""
	}
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = f.Name + ": " + f.Value
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// attach signs each evaluation as a VSA and attaches it to its platform.
func attach(ctx context.Context, evs []*policy.Evaluation, s signature.Signer, verifierID string, w io.Writer) error {
	for _, ev := range evs {
		stmt, err := ev.VSA(verifierID)
		if err != nil {
			return err
		}
		bundle, err := attest.SignBundle(stmt, s)
		if err != nil {
			return err
		}
		d, err := attest.Attach(ctx, ev.Image, bundle)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "VSA %s %s attached to %s as %s\n", ev.Platform, vsaResult(ev), ev.Image, d.Digest)
	}
	return nil
}

func vsaResult(ev *policy.Evaluation) string {
	if ev.Passed() {
		return "PASSED"
	}
	return "FAILED"
}
