package attest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	ocilayout "github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/sigstore/sigstore/pkg/signature"
)

// Annotations cosign v3 writes on a sigstore bundle referrer manifest.
const (
	// AnnotationBundleContent says what a bundle referrer's bundle carries:
	// "dsse-envelope" for attestations.
	AnnotationBundleContent = "dev.sigstore.bundle.content"
	// AnnotationCreated is the OCI annotation for when the referrer was
	// written (RFC 3339).
	AnnotationCreated = "org.opencontainers.image.created"
)

const (
	mediaTypeEmpty = "application/vnd.oci.empty.v1+json"
	// maxAttachSize bounds the bundle Attach stores.
	maxAttachSize = 64 << 20
)

// SignBundle signs an in-toto statement with signer as a DSSE envelope and
// returns it as a sigstore bundle v0.3 (JSON), as cosign v3 writes keyed
// attestations: the verification material is the key's hint (the base64
// sha256 of its DER public key), with no certificate, transparency-log
// entry or timestamp. It checks that statement is an in-toto statement; it
// does not check what its subject names.
func SignBundle(statement []byte, signer signature.Signer) ([]byte, error) {
	if signer == nil {
		return nil, errors.New("attest: SignBundle: nil signer")
	}
	if _, err := ParseStatement(statement); err != nil {
		return nil, fmt.Errorf("attest: SignBundle: %w", err)
	}
	pub, err := signer.PublicKey()
	if err != nil {
		return nil, fmt.Errorf("attest: SignBundle: reading the signer's public key: %v", err)
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("attest: SignBundle: encoding the signer's public key: %v", err)
	}
	sig, err := signer.SignMessage(bytes.NewReader(PAE(PayloadTypeInToto, statement)))
	if err != nil {
		return nil, fmt.Errorf("attest: SignBundle: signing: %v", err)
	}
	hint := sha256.Sum256(der)
	type sigJSON struct {
		Sig []byte `json:"sig"`
	}
	b := struct {
		MediaType            string `json:"mediaType"`
		VerificationMaterial struct {
			PublicKey struct {
				Hint string `json:"hint"`
			} `json:"publicKey"`
		} `json:"verificationMaterial"`
		DSSEEnvelope struct {
			Payload     []byte    `json:"payload"`
			PayloadType string    `json:"payloadType"`
			Signatures  []sigJSON `json:"signatures"`
		} `json:"dsseEnvelope"`
	}{MediaType: ArtifactTypeBundleV03}
	b.VerificationMaterial.PublicKey.Hint = base64.StdEncoding.EncodeToString(hint[:])
	b.DSSEEnvelope.Payload = statement
	b.DSSEEnvelope.PayloadType = PayloadTypeInToto
	b.DSSEEnvelope.Signatures = []sigJSON{{Sig: sig}}
	return json.Marshal(b)
}

// AttachOption configures [Attach] and [AttachLayout].
type AttachOption func(*attachOptions) error

type attachOptions struct {
	keychain  authn.Keychain
	transport http.RoundTripper
	plainHTTP bool
	created   time.Time
}

func makeAttachOptions(opts []AttachOption) (attachOptions, error) {
	o := attachOptions{keychain: authn.DefaultKeychain}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return attachOptions{}, err
		}
	}
	if o.created.IsZero() {
		o.created = time.Now()
	}
	return o, nil
}

// WithAttachKeychain sets the keychain that supplies the credentials to
// write to the registry. The default is [authn.DefaultKeychain] ("docker
// login").
func WithAttachKeychain(kc authn.Keychain) AttachOption {
	return func(o *attachOptions) error {
		if kc == nil {
			return errors.New("attest: WithAttachKeychain: nil keychain")
		}
		o.keychain = kc
		return nil
	}
}

// WithAttachTransport sets the HTTP transport under the registry
// authentication. The default is go-containerregistry's.
func WithAttachTransport(rt http.RoundTripper) AttachOption {
	return func(o *attachOptions) error {
		if rt == nil {
			return errors.New("attest: WithAttachTransport: nil transport")
		}
		o.transport = rt
		return nil
	}
}

// WithAttachPlainHTTP allows plain HTTP to the registry. The default is
// HTTPS, except for localhost and loopback addresses.
func WithAttachPlainHTTP() AttachOption {
	return func(o *attachOptions) error {
		o.plainHTTP = true
		return nil
	}
}

// WithAttachTime sets the org.opencontainers.image.created annotation of
// the referrer manifest. The default is the time of the call.
func WithAttachTime(t time.Time) AttachOption {
	return func(o *attachOptions) error {
		if t.IsZero() {
			return errors.New("attest: WithAttachTime: zero time")
		}
		o.created = t
		return nil
	}
}

// referrerParts are the bundle and empty-config blobs of a referrer and its
// manifest.
type referrerParts struct {
	bundle, empty, manifest []byte
	desc                    v1.Descriptor
}

// bundleReferrer builds the referrer manifest cosign v3 writes for a
// bundle: artifactType application/vnd.dev.sigstore.bundle.v0.3+json (at
// the top and in the config descriptor), the empty config, one layer (the
// bundle), annotations dev.sigstore.bundle.content,
// dev.sigstore.bundle.predicateType and org.opencontainers.image.created,
// and the subject.
func bundleReferrer(bundle []byte, subject v1.Descriptor, created time.Time) (*referrerParts, error) {
	if len(bundle) > maxAttachSize {
		return nil, fmt.Errorf("%w: bundle of %d bytes", ErrTooLarge, len(bundle))
	}
	c, err := Parse(bundle)
	if err != nil {
		return nil, err
	}
	if c.Format != FormatBundle || c.Envelope == nil || c.Statement == nil {
		return nil, fmt.Errorf("%w: Attach takes a sigstore bundle with a DSSE envelope carrying an in-toto statement", ErrInvalid)
	}
	empty := []byte("{}")
	emptyDesc := v1.Descriptor{MediaType: mediaTypeEmpty, Size: int64(len(empty)), Digest: sha256Hash(empty), ArtifactType: ArtifactTypeBundleV03}
	m := v1.Manifest{
		SchemaVersion: 2,
		MediaType:     types.OCIManifestSchema1,
		Config:        emptyDesc,
		Layers:        []v1.Descriptor{{MediaType: ArtifactTypeBundleV03, Size: int64(len(bundle)), Digest: sha256Hash(bundle)}},
		Annotations: map[string]string{
			AnnotationBundleContent:       "dsse-envelope",
			AnnotationBundlePredicateType: c.Statement.PredicateType,
			AnnotationCreated:             created.UTC().Format(time.RFC3339),
		},
		Subject:      &v1.Descriptor{MediaType: subject.MediaType, Size: subject.Size, Digest: subject.Digest},
		ArtifactType: ArtifactTypeBundleV03,
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("attest: encoding the referrer manifest: %v", err)
	}
	desc := v1.Descriptor{MediaType: types.OCIManifestSchema1, Size: int64(len(raw)), Digest: sha256Hash(raw),
		ArtifactType: ArtifactTypeBundleV03, Annotations: m.Annotations}
	return &referrerParts{bundle: bundle, empty: empty, manifest: raw, desc: desc}, nil
}

// Attach stores a sigstore bundle ([SignBundle]) as an OCI 1.1 referrer of
// the manifest that subject names ("registry/repository@sha256:..."), in
// the form cosign v3 writes: a manifest whose artifactType is
// application/vnd.dev.sigstore.bundle.v0.3+json, with the empty config, the
// bundle as its one layer, the subject, and the annotations
// dev.sigstore.bundle.content, dev.sigstore.bundle.predicateType and
// org.opencontainers.image.created. Where the registry has no referrers API,
// the referrers tag schema (an index tagged sha256-<hex>) is updated, as
// cosign and go-containerregistry do.
//
// It returns the descriptor of the referrer manifest. Attach checks that the
// subject exists and that bundle is a bundle of an in-toto statement; it
// does not check the signature, nor that the statement is about subject.
func Attach(ctx context.Context, subject string, bundle []byte, opts ...AttachOption) (v1.Descriptor, error) {
	o, err := makeAttachOptions(opts)
	if err != nil {
		return v1.Descriptor{}, err
	}
	var nopts []name.Option
	if o.plainHTTP {
		nopts = append(nopts, name.Insecure)
	}
	d, err := name.NewDigest(subject, nopts...)
	if err != nil {
		return v1.Descriptor{}, fmt.Errorf("attest: Attach: subject %q: %w", subject, err)
	}
	ropts := []remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(o.keychain)}
	if o.transport != nil {
		ropts = append(ropts, remote.WithTransport(o.transport))
	}
	sub, err := remote.Head(d, ropts...)
	if err != nil {
		return v1.Descriptor{}, &FetchError{Op: "reading the subject of a referrer", Repository: d.Context().Name(), Ref: d.DigestStr(), Err: err}
	}
	parts, err := bundleReferrer(bundle, *sub, o.created)
	if err != nil {
		return v1.Descriptor{}, err
	}
	repo := d.Context()
	for _, blob := range [][]byte{parts.empty, parts.bundle} {
		if err := remote.WriteLayer(repo, static.NewLayer(blob, types.MediaType("application/octet-stream")), ropts...); err != nil {
			return v1.Descriptor{}, &FetchError{Op: "writing a referrer blob", Repository: repo.Name(), Ref: sha256Hash(blob).String(), Err: err}
		}
	}
	ref := repo.Digest(parts.desc.Digest.String())
	if err := remote.Put(ref, rawTaggable{parts.manifest}, ropts...); err != nil {
		return v1.Descriptor{}, &FetchError{Op: "writing a referrer manifest", Repository: repo.Name(), Ref: parts.desc.Digest.String(), Err: err}
	}
	return parts.desc, nil
}

// rawTaggable is a manifest to write as it is.
type rawTaggable struct{ raw []byte }

func (r rawTaggable) RawManifest() ([]byte, error) { return r.raw, nil }

func (r rawTaggable) MediaType() (types.MediaType, error) { return types.OCIManifestSchema1, nil }

// AttachLayout stores a sigstore bundle as a referrer of the manifest with
// digest subject in the OCI image layout directory dir, in the form of
// [Attach], and lists the referrer manifest in the layout's index.json (OCI
// layouts have no referrers API; [Layout] finds referrers there). The
// subject must be a blob of the layout.
func AttachLayout(ctx context.Context, dir string, subject v1.Hash, bundle []byte, opts ...AttachOption) (v1.Descriptor, error) {
	o, err := makeAttachOptions(opts)
	if err != nil {
		return v1.Descriptor{}, err
	}
	if err := ctx.Err(); err != nil {
		return v1.Descriptor{}, err
	}
	p, err := ocilayout.FromPath(dir)
	if err != nil {
		return v1.Descriptor{}, fmt.Errorf("attest: AttachLayout: opening %s: %w", dir, err)
	}
	rc, err := p.Blob(subject)
	if err != nil {
		return v1.Descriptor{}, fmt.Errorf("%w: subject %s in layout %s: %v", ErrNotFound, subject, dir, err)
	}
	raw, err := readLimited(rc, maxManifestBytes)
	rc.Close()
	if err != nil {
		return v1.Descriptor{}, fmt.Errorf("attest: AttachLayout: reading subject %s: %w", subject, err)
	}
	if err := checkHash(raw, subject); err != nil {
		return v1.Descriptor{}, err
	}
	sub := v1.Descriptor{MediaType: manifestMediaType(raw, ""), Size: int64(len(raw)), Digest: subject}
	parts, err := bundleReferrer(bundle, sub, o.created)
	if err != nil {
		return v1.Descriptor{}, err
	}
	for _, blob := range [][]byte{parts.empty, parts.bundle, parts.manifest} {
		if err := p.WriteBlob(sha256Hash(blob), io.NopCloser(bytes.NewReader(blob))); err != nil && !errors.Is(err, os.ErrExist) {
			return v1.Descriptor{}, fmt.Errorf("attest: AttachLayout: writing blob: %w", err)
		}
	}
	if err := p.AppendDescriptor(parts.desc); err != nil {
		return v1.Descriptor{}, fmt.Errorf("attest: AttachLayout: updating index.json: %w", err)
	}
	return parts.desc, nil
}

// maxManifestBytes bounds the subject manifest AttachLayout reads.
const maxManifestBytes = 4 << 20
