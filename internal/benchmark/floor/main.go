// Command floor is the lower bound that the SDK's single-image path is
// measured against: the network and crypto work of opening a DHI-shaped
// image, and nothing more.
//
//	floor -key key.pem [-plain-http] host/repo:tag
//
// Through go-containerregistry directly, with at most 16 requests in
// flight, it reads the index, lists the referrers (OCI referrers API) of
// the index and of each platform manifest, reads each attestation manifest
// and its layer (a bare in-toto statement or a DSSE envelope), lists the
// referrers of each attestation manifest, reads each cosign simple-signing
// signature manifest and payload, verifies the signature with ECDSA under
// the given key and checks that the payload names the attestation
// manifest, and decodes each envelope and statement into typed structs,
// keeping the predicate as raw JSON. It prints the number of attestations
// whose signature verified and whose statement names its platform.
//
// It parses no predicate, reads no image config and joins nothing, so the
// SDK's cost above it is what parsing and modelling add.
package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Media and artifact types of the attestations and their signatures.
const (
	artifactTypeInToto = "application/vnd.in-toto+json"
	mediaTypeDSSE      = "application/vnd.dsse.envelope.v1+json"
	mediaTypeSigning   = "application/vnd.dev.cosign.simplesigning.v1+json"
	annotationSig      = "dev.cosignproject.cosign/signature"
	buildxRefType      = "vnd.docker.reference.type"
)

// inFlight is the number of requests at once.
const inFlight = 16

// envelope is a DSSE envelope.
type envelope struct {
	PayloadType string `json:"payloadType"`
	Payload     []byte `json:"payload"` // base64 in JSON
	Signatures  []struct {
		KeyID string `json:"keyid"`
		Sig   []byte `json:"sig"`
	} `json:"signatures"`
}

// statement is an in-toto statement, its predicate left undecoded.
type statement struct {
	Type    string `json:"_type"`
	Subject []struct {
		Name   string            `json:"name"`
		Digest map[string]string `json:"digest"`
	} `json:"subject"`
	PredicateType string          `json:"predicateType"`
	Predicate     json.RawMessage `json:"predicate"`
}

// simpleSigning is a cosign simple-signing payload.
type simpleSigning struct {
	Critical struct {
		Identity struct {
			DockerReference string `json:"docker-reference"`
		} `json:"identity"`
		Image struct {
			DockerManifestDigest string `json:"docker-manifest-digest"`
		} `json:"image"`
		Type string `json:"type"`
	} `json:"critical"`
}

func main() {
	keyFile := flag.String("key", "", "PEM public key the attestations are signed with")
	plainHTTP := flag.Bool("plain-http", false, "talk to the registry over plain HTTP")
	flag.Parse()
	if flag.NArg() != 1 || *keyFile == "" {
		fmt.Fprintln(os.Stderr, "usage: floor -key key.pem [-plain-http] host/repo:tag")
		os.Exit(2)
	}
	n, err := run(context.Background(), *keyFile, *plainHTTP, flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	fmt.Println(n)
}

// floor holds what every request shares.
type floor struct {
	ctx    context.Context
	puller *remote.Puller
	repo   name.Repository
	key    *ecdsa.PublicKey
	sem    chan struct{}

	mu   sync.Mutex
	errs []error
}

func run(ctx context.Context, keyFile string, plainHTTP bool, ref string) (int, error) {
	key, err := readKey(keyFile)
	if err != nil {
		return 0, err
	}
	var nameOpts []name.Option
	if plainHTTP {
		nameOpts = append(nameOpts, name.Insecure)
	}
	r, err := name.ParseReference(ref, nameOpts...)
	if err != nil {
		return 0, err
	}
	puller, err := remote.NewPuller(remote.WithJobs(inFlight))
	if err != nil {
		return 0, err
	}
	f := &floor{ctx: ctx, puller: puller, repo: r.Context(), key: key, sem: make(chan struct{}, inFlight)}

	var root *remote.Descriptor
	if err := f.request(func() (err error) { root, err = puller.Get(ctx, r); return err }); err != nil {
		return 0, err
	}
	idx, err := root.ImageIndex()
	if err != nil {
		return 0, err
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return 0, err
	}
	targets := []v1.Hash{root.Digest}
	for _, m := range im.Manifests {
		if m.Annotations[buildxRefType] == "" {
			targets = append(targets, m.Digest)
		}
	}
	var verified atomic.Int64
	var wg sync.WaitGroup
	for _, t := range targets {
		wg.Go(func() {
			for _, att := range f.referrers(t) {
				if att.ArtifactType != artifactTypeInToto {
					continue
				}
				wg.Go(func() {
					if f.attestation(t, att) {
						verified.Add(1)
					}
				})
			}
		})
	}
	wg.Wait()
	return int(verified.Load()), errors.Join(f.errs...)
}

// request runs do holding one of the request slots.
func (f *floor) request(do func() error) error {
	f.sem <- struct{}{}
	defer func() { <-f.sem }()
	return do()
}

func (f *floor) fail(err error) {
	f.mu.Lock()
	f.errs = append(f.errs, err)
	f.mu.Unlock()
}

// referrers lists the referrers of d through the referrers API.
func (f *floor) referrers(d v1.Hash) []v1.Descriptor {
	var im *v1.IndexManifest
	err := f.request(func() error {
		idx, err := remote.Referrers(f.repo.Digest(d.String()), remote.Reuse(f.puller), remote.WithContext(f.ctx))
		if err != nil {
			return err
		}
		im, err = idx.IndexManifest()
		return err
	})
	if err != nil {
		f.fail(fmt.Errorf("referrers of %s: %w", d, err))
		return nil
	}
	return im.Manifests
}

// manifest reads the manifest with digest d.
func (f *floor) manifest(d v1.Hash) (*v1.Manifest, error) {
	var m *v1.Manifest
	err := f.request(func() error {
		desc, err := f.puller.Get(f.ctx, f.repo.Digest(d.String()))
		if err != nil {
			return err
		}
		m, err = v1.ParseManifest(bytes.NewReader(desc.Manifest))
		return err
	})
	return m, err
}

// blob reads the blob with digest d, checking its digest.
func (f *floor) blob(d v1.Hash) ([]byte, error) {
	var b []byte
	err := f.request(func() error {
		l, err := f.puller.Layer(f.ctx, f.repo.Digest(d.String()))
		if err != nil {
			return err
		}
		rc, err := l.Compressed()
		if err != nil {
			return err
		}
		defer rc.Close()
		b, err = io.ReadAll(rc)
		return err
	})
	return b, err
}

// attestation reads, verifies and decodes the attestation manifest att of
// target, and reports whether a signature verified and the statement
// names target.
func (f *floor) attestation(target v1.Hash, att v1.Descriptor) bool {
	var (
		wg    sync.WaitGroup
		stmts []statement
		sigOK bool
	)
	wg.Go(func() {
		for _, s := range f.referrers(att.Digest) {
			ok, err := f.signature(att.Digest, s)
			if err != nil {
				f.fail(fmt.Errorf("signature %s of %s: %w", s.Digest, att.Digest, err))
			}
			sigOK = sigOK || ok
		}
	})
	m, err := f.manifest(att.Digest)
	if err == nil {
		stmts, err = f.statements(m)
	}
	wg.Wait()
	if err != nil {
		f.fail(fmt.Errorf("attestation %s: %w", att.Digest, err))
		return false
	}
	if !sigOK || len(stmts) == 0 {
		return false
	}
	for _, st := range stmts {
		if !names(st, target) {
			return false
		}
	}
	return true
}

// statements reads and decodes the statement layers of m.
func (f *floor) statements(m *v1.Manifest) ([]statement, error) {
	var out []statement
	for _, l := range m.Layers {
		b, err := f.blob(l.Digest)
		if err != nil {
			return nil, err
		}
		if string(l.MediaType) == mediaTypeDSSE {
			var env envelope
			if err := json.Unmarshal(b, &env); err != nil {
				return nil, fmt.Errorf("decoding envelope: %w", err)
			}
			b = env.Payload
		}
		var st statement
		if err := json.Unmarshal(b, &st); err != nil {
			return nil, fmt.Errorf("decoding statement: %w", err)
		}
		out = append(out, st)
	}
	return out, nil
}

// signature reads the signature manifest s of the attestation manifest
// att and verifies each simple-signing layer.
func (f *floor) signature(att v1.Hash, s v1.Descriptor) (bool, error) {
	m, err := f.manifest(s.Digest)
	if err != nil {
		return false, err
	}
	ok := false
	for _, l := range m.Layers {
		if string(l.MediaType) != mediaTypeSigning {
			continue
		}
		sig, err := base64.StdEncoding.DecodeString(l.Annotations[annotationSig])
		if err != nil {
			return false, err
		}
		payload, err := f.blob(l.Digest)
		if err != nil {
			return false, err
		}
		sum := sha256.Sum256(payload)
		if !ecdsa.VerifyASN1(f.key, sum[:], sig) {
			return false, errors.New("signature does not verify")
		}
		var p simpleSigning
		if err := json.Unmarshal(payload, &p); err != nil {
			return false, fmt.Errorf("decoding payload: %w", err)
		}
		if p.Critical.Image.DockerManifestDigest != att.String() {
			return false, fmt.Errorf("payload signs %s", p.Critical.Image.DockerManifestDigest)
		}
		ok = true
	}
	return ok, nil
}

// names reports whether st has target among its subjects.
func names(st statement, target v1.Hash) bool {
	for _, s := range st.Subject {
		if s.Digest[target.Algorithm] == target.Hex {
			return true
		}
	}
	return false
}

func readKey(file string) (*ecdsa.PublicKey, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("%s: no PEM block", file)
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	ek, ok := k.(*ecdsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%s: not an ECDSA key", file)
	}
	return ek, nil
}
