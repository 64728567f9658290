package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/internal/cli"
)

// references returns the references to inventory: the arguments, then the
// lines of -f, then the image tags of -repo.
func references(ctx context.Context, args []string, c config, flags *cli.Image, stdin io.Reader) ([]string, error) {
	refs := append([]string(nil), args...)
	if c.file != "" {
		lines, err := readList(c.file, stdin)
		if err != nil {
			return nil, err
		}
		refs = append(refs, lines...)
	}
	if c.repo != "" {
		tags, err := repositoryTags(ctx, c.repo, flags.PlainHTTP)
		if err != nil {
			return nil, err
		}
		for _, t := range tags {
			refs = append(refs, c.repo+":"+t)
		}
	}
	return refs, nil
}

// readList reads the references of file ("-" for stdin): one a line,
// trimmed, blank lines and lines starting with # skipped.
func readList(file string, stdin io.Reader) ([]string, error) {
	r := stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return nil, fmt.Errorf("-f: %w", err)
		}
		defer f.Close()
		r = f
	}
	var refs []string
	sc := bufio.NewScanner(r) // lines up to 64 KiB: references are short
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		refs = append(refs, line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("-f %s: %w", file, err)
	}
	return refs, nil
}

// repositoryTags lists the tags of repo that name images: all but the
// tags that cosign ("sha256-<hex>.sig", ".att", ".sbom") and the referrers
// tag schema ("sha256-<hex>") keep beside them.
func repositoryTags(ctx context.Context, repo string, plainHTTP bool) ([]string, error) {
	var opts []attest.RegistryOption
	if plainHTTP {
		opts = append(opts, attest.WithPlainHTTP())
	}
	src, err := attest.Registry(opts...)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	tags, err := attest.Tags(ctx, src, repo)
	if err != nil {
		return nil, fmt.Errorf("-repo: %w", err)
	}
	var images []string
	for _, t := range tags {
		if !isDigestTag(t) {
			images = append(images, t)
		}
	}
	return images, nil
}

// isDigestTag reports whether tag is "sha256-" or "sha512-" followed by a
// hex digest and, optionally, a suffix such as ".sig".
func isDigestTag(tag string) bool {
	for algo, n := range map[string]int{"sha256-": 64, "sha512-": 128} {
		rest, ok := strings.CutPrefix(tag, algo)
		if !ok || len(rest) < n || strings.Trim(rest[:n], "0123456789abcdef") != "" {
			continue
		}
		return len(rest) == n || rest[n] == '.'
	}
	return false
}
