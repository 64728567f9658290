package attest

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	protodsse "github.com/sigstore/protobuf-specs/gen/pb-go/dsse"
	protorekor "github.com/sigstore/protobuf-specs/gen/pb-go/rekor/v1"
	sgbundle "github.com/sigstore/sigstore-go/pkg/bundle"
)

// SimpleSigningType is the critical.type of cosign's simple-signing
// payloads.
const SimpleSigningType = "cosign container image signature"

// SimpleSigningPayload is the payload of a cosign simple-signing signature:
//
//	{"critical": {"identity": {"docker-reference": "..."},
//	              "image": {"docker-manifest-digest": "sha256:..."},
//	              "type": "cosign container image signature"},
//	 "optional": {...}}
type SimpleSigningPayload struct {
	// DockerReference is critical.identity.docker-reference: the repository
	// the signer named. Docker Hardened Images sign with
	// registry.scout.docker.com names whatever repository serves them.
	DockerReference string
	// ManifestDigest is critical.image.docker-manifest-digest: the digest
	// of the signed manifest.
	ManifestDigest v1.Hash
	// Type is critical.type, always SimpleSigningType.
	Type string
	// Optional is the optional object, kept raw; nil when absent or null.
	Optional json.RawMessage
}

type simpleSigningJSON struct {
	Critical *struct {
		Identity struct {
			DockerReference string `json:"docker-reference"`
		} `json:"identity"`
		Image struct {
			DockerManifestDigest string `json:"docker-manifest-digest"`
		} `json:"image"`
		Type string `json:"type"`
	} `json:"critical"`
	Optional json.RawMessage `json:"optional"`
}

// ParseSimpleSigningPayload decodes a cosign simple-signing payload. It
// checks that critical.type is [SimpleSigningType] and that the manifest
// digest is a well-formed digest; it verifies nothing.
func ParseSimpleSigningPayload(b []byte) (*SimpleSigningPayload, error) {
	var j simpleSigningJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, fmt.Errorf("%w: decoding simple-signing payload: %v", ErrInvalid, err)
	}
	if j.Critical == nil {
		return nil, fmt.Errorf("%w: simple-signing payload has no critical section", ErrInvalid)
	}
	if j.Critical.Type != SimpleSigningType {
		return nil, fmt.Errorf("%w: simple-signing payload type %q, expected %q", ErrInvalid, j.Critical.Type, SimpleSigningType)
	}
	h, err := v1.NewHash(j.Critical.Image.DockerManifestDigest)
	if err != nil {
		return nil, fmt.Errorf("%w: simple-signing payload manifest digest %q: %v", ErrInvalid, j.Critical.Image.DockerManifestDigest, err)
	}
	p := &SimpleSigningPayload{
		DockerReference: j.Critical.Identity.DockerReference,
		ManifestDigest:  h,
		Type:            j.Critical.Type,
	}
	if o := bytes.TrimSpace(j.Optional); len(o) > 0 && !bytes.Equal(o, []byte("null")) {
		p.Optional = j.Optional
	}
	return p, nil
}

// VerifySignature verifies one detached signature over the manifest whose
// digest is manifest: a cosign simple-signing signature (keyed, against the
// keyring, or keyless, against the trusted root and identities), or a
// sigstore bundle whose statement names the manifest. A simple-signing
// payload's critical.image.docker-manifest-digest must equal manifest; its
// docker-reference is reported and compared with the repository the
// signature was found in, but is not required to match it. A Rekor bundle
// or RFC 3161 timestamp in the signature's annotations is verified against
// the trusted root when present, and required when the policy says so.
//
// VerifySignature does not read the manifest: it proves that a trusted key
// or identity signed the digest, not what the manifest holds. Use
// [Verifier.Verify] to follow the chain from an attestation's signature to
// its statement.
//
// Callers must pass the digest of the manifest they are about to use, not
// one taken from the signature.
func (v *Verifier) VerifySignature(sig *Signature, manifest v1.Hash) (*Result, error) {
	res := &Result{Target: manifest.String()}
	if sig == nil {
		return v.finish(res, manifest.String(), &VerificationError{Link: LinkSignature, Reason: "no signature", Err: ErrUnsigned})
	}
	sr := v.verifyDetached(sig, manifest)
	res.Signatures = append(res.Signatures, sr)
	failure := v.tallySignatures(res)
	if failure == nil {
		res.add(LinkManifest, CheckPassed, "signature is over "+manifest.String())
	}
	return v.finish(res, manifest.String(), failure)
}

// verifyDetached verifies one signature stored beside a manifest, over that
// manifest's digest.
func (v *Verifier) verifyDetached(sig *Signature, manifest v1.Hash) SignatureResult {
	var sr SignatureResult
	switch sig.Kind {
	case SignatureSimpleSigning:
		sr = v.verifySimpleSigning(sig, manifest)
	case SignatureBundle:
		sr = v.verifyDetachedBundle(sig, manifest)
	default:
		sr = SignatureResult{Kind: sig.Kind, Checks: []Check{}}
		sr.fail(LinkSignature, ErrSignature, fmt.Sprintf("unknown signature kind %q", sig.Kind))
	}
	sr.Detached = true
	sr.Manifest = sig.Manifest.Digest.String()
	if sig.Manifest.Digest == (v1.Hash{}) {
		sr.Manifest = ""
	}
	sr.Index = sig.LayerIndex
	return sr
}

// verifyDetachedBundle verifies a sigstore bundle stored beside a manifest
// (cosign v3 signatures): its statement must name the manifest.
func (v *Verifier) verifyDetachedBundle(sig *Signature, manifest v1.Hash) SignatureResult {
	failed := func(l Link, sentinel error, reason string) SignatureResult {
		sr := SignatureResult{Kind: SignatureBundle, Checks: []Check{}}
		sr.fail(l, sentinel, reason)
		return sr
	}
	if sig.Err != nil && sig.Bundle == nil {
		return failed(LinkSignature, fmt.Errorf("%w: %w", ErrSignature, sig.Err), "signature could not be read: "+sig.Err.Error())
	}
	c := sig.Bundle
	if c == nil {
		var err error
		if c, err = Parse(sig.Payload); err != nil {
			return failed(LinkSignature, fmt.Errorf("%w: %w", ErrSignature, err), "decoding the signature bundle: "+err.Error())
		}
	}
	if c.Bundle == nil {
		return failed(LinkSignature, ErrSignature, "signature layer holds a "+string(c.Format)+", not a sigstore bundle")
	}
	if c.Bundle.GetMessageSignature() != nil {
		sr := v.verifyBundleSig(c.Bundle, ArtifactDigest(manifest.String()), nil)
		if sr.err == nil {
			sr.add(LinkManifest, CheckPassed, "message signature is over "+manifest.String())
		}
		return sr
	}
	sr := v.verifyBundleSig(c.Bundle, AnyArtifactUnsafe(), nil)
	if sr.err != nil {
		return sr
	}
	env := c.Bundle.GetDsseEnvelope()
	if env.GetPayloadType() != PayloadTypeInToto {
		sr.fail(LinkManifest, ErrManifestMismatch, fmt.Sprintf("bundle payload type %q is not an in-toto statement naming the manifest", env.GetPayloadType()))
		return sr
	}
	st, err := ParseStatement(env.GetPayload())
	if err != nil {
		sr.fail(LinkManifest, fmt.Errorf("%w: %w", ErrManifestMismatch, err), "decoding the bundle's statement: "+err.Error())
		return sr
	}
	if !st.HasSubject(manifest.String()) {
		sr.fail(LinkManifest, ErrManifestMismatch, fmt.Sprintf("bundle's statement names %s, not the manifest %s", subjectDigests(st), manifest))
		return sr
	}
	sr.SignedDigest = manifest.String()
	sr.add(LinkManifest, CheckPassed, "bundle's statement names "+manifest.String())
	return sr
}

// verifySimpleSigning verifies a cosign simple-signing signature over
// manifest.
func (v *Verifier) verifySimpleSigning(sig *Signature, manifest v1.Hash) SignatureResult {
	sr := SignatureResult{Kind: SignatureSimpleSigning, Checks: []Check{}}
	if sig.Err != nil && len(sig.Value) == 0 {
		sr.fail(LinkSignature, fmt.Errorf("%w: %w", ErrSignature, sig.Err), "signature could not be read: "+sig.Err.Error())
		return sr
	}
	if len(sig.Value) == 0 {
		sr.fail(LinkSignature, ErrSignature, "simple-signing signature has no signature value")
		return sr
	}
	hasEvidence := len(sig.RekorBundle) > 0 || len(sig.RFC3161Timestamp) > 0
	switch {
	case len(sig.Certificate) > 0:
		b, err := simpleSigningBundle(sig, nil)
		if err != nil {
			sr.fail(LinkSignature, fmt.Errorf("%w: %w", ErrSignature, err), err.Error())
			return sr
		}
		sr = v.verifyBundleSig(b, ArtifactBytes(sig.Payload), nil)
		sr.Kind = SignatureSimpleSigning
		if sr.err != nil {
			return sr
		}
	default:
		keys := v.keys.keys
		var used *Key
		for _, k := range keys {
			if k.verify(sig.Payload, sig.Value) {
				used = k
				break
			}
		}
		if used == nil {
			if len(keys) == 0 {
				sr.fail(LinkSignature, ErrUntrustedKey, "keyed signature, and the keyring holds no key")
			} else {
				sr.fail(LinkSignature, ErrSignature, fmt.Sprintf("signature does not verify under any of the %d trusted keys (another key, or an altered payload)", len(keys)))
			}
			return sr
		}
		if hasEvidence && v.cfg.trusted != nil {
			// Verify the Rekor bundle and timestamp with sigstore-go, as
			// a message-signature bundle under the key found.
			b, err := simpleSigningBundle(sig, used)
			if err != nil {
				l, sentinel := LinkTransparencyLog, ErrTransparencyLog
				if len(sig.RekorBundle) == 0 {
					l, sentinel = LinkTimestamp, ErrTimestamp
				}
				sr.add(LinkSignature, CheckPassed, "verifies under key "+keyLabel(used))
				sr.fail(l, fmt.Errorf("%w: %w", sentinel, err), err.Error())
				return sr
			}
			sr = v.verifyBundleSig(b, ArtifactBytes(sig.Payload), used)
			sr.Kind = SignatureSimpleSigning
			if sr.err != nil {
				return sr
			}
		} else {
			sr.Key = used.info()
			sr.signer = "key:" + used.id
			sr.add(LinkSignature, CheckPassed, "verifies under key "+keyLabel(used))
			if !v.noEvidence(&sr, "the signature", len(sig.RekorBundle) > 0, len(sig.RFC3161Timestamp) > 0, "no trusted root") {
				return sr
			}
			v.checkKey(&sr, used)
			if sr.err != nil {
				return sr
			}
		}
	}

	// The signature verified: the payload is what the signer signed.
	p, err := ParseSimpleSigningPayload(sig.Payload)
	if err != nil {
		sr.fail(LinkManifest, fmt.Errorf("%w: %w", ErrManifestMismatch, err), "signed payload is not a cosign simple-signing payload: "+err.Error())
		return sr
	}
	sr.SignedDigest = p.ManifestDigest.String()
	sr.DockerReference = p.DockerReference
	if p.ManifestDigest != manifest {
		sr.fail(LinkManifest, ErrManifestMismatch, fmt.Sprintf("signed payload names manifest %s, not %s", p.ManifestDigest, manifest))
		return sr
	}
	sr.add(LinkManifest, CheckPassed, "signed payload names "+manifest.String())
	switch {
	case len(sig.Locations) == 0 || sig.Locations[0].Repository == "":
		sr.add(LinkDockerReference, CheckSkipped, fmt.Sprintf("payload names %q; not compared (where the signature was found is unknown)", p.DockerReference))
	case sameRepository(p.DockerReference, sig.Locations[0].Repository):
		sr.add(LinkDockerReference, CheckPassed, fmt.Sprintf("payload names %q, where the signature was found", p.DockerReference))
	default:
		sr.add(LinkDockerReference, CheckFlagged, fmt.Sprintf("payload names %q, signature found in %q (not required to match)", p.DockerReference, sig.Locations[0].Repository))
	}
	return sr
}

// sameRepository reports whether a docker-reference names repo, ignoring a
// tag or digest and Docker Hub's default host spellings.
func sameRepository(ref, repo string) bool {
	norm := func(s string) string {
		if i := strings.IndexByte(s, '@'); i >= 0 {
			s = s[:i]
		}
		if i := strings.LastIndexByte(s, ':'); i > strings.LastIndexByte(s, '/') {
			s = s[:i]
		}
		s = strings.TrimPrefix(s, "index.docker.io/")
		s = strings.TrimPrefix(s, "docker.io/")
		s = strings.TrimPrefix(s, "library/")
		return s
	}
	return ref != "" && norm(ref) == norm(repo)
}

// cosignRekorBundle is the JSON of cosign's dev.sigstore.cosign/bundle
// annotation: a Rekor v1 entry and its signed entry timestamp.
type cosignRekorBundle struct {
	SignedEntryTimestamp []byte `json:"SignedEntryTimestamp"`
	Payload              struct {
		Body           string `json:"body"`
		IntegratedTime int64  `json:"integratedTime"`
		LogIndex       int64  `json:"logIndex"`
		LogID          string `json:"logID"`
	} `json:"Payload"`
}

// cosignTimestamp is the JSON of cosign's
// dev.sigstore.cosign/rfc3161timestamp annotation.
type cosignTimestamp struct {
	SignedRFC3161Timestamp []byte `json:"SignedRFC3161Timestamp"`
}

// rekorEntryFromCosign converts cosign's Rekor bundle annotation into a
// transparency-log entry of a sigstore bundle.
func rekorEntryFromCosign(b []byte) (*protorekor.TransparencyLogEntry, error) {
	var rb cosignRekorBundle
	if err := json.Unmarshal(b, &rb); err != nil {
		return nil, fmt.Errorf("decoding the Rekor bundle annotation: %v", err)
	}
	body, err := base64.StdEncoding.DecodeString(rb.Payload.Body)
	if err != nil || len(body) == 0 {
		return nil, errors.New("decoding the Rekor bundle annotation: body is not base64")
	}
	logID, err := hex.DecodeString(rb.Payload.LogID)
	if err != nil || len(logID) == 0 {
		return nil, errors.New("decoding the Rekor bundle annotation: logID is not hex")
	}
	if len(rb.SignedEntryTimestamp) == 0 {
		return nil, errors.New("the Rekor bundle annotation has no signed entry timestamp")
	}
	var kv struct {
		Kind       string `json:"kind"`
		APIVersion string `json:"apiVersion"`
	}
	if err := json.Unmarshal(body, &kv); err != nil || kv.Kind == "" || kv.APIVersion == "" {
		return nil, errors.New("decoding the Rekor bundle annotation: body has no kind and apiVersion")
	}
	return &protorekor.TransparencyLogEntry{
		LogIndex:          rb.Payload.LogIndex,
		LogId:             &protocommon.LogId{KeyId: logID},
		KindVersion:       &protorekor.KindVersion{Kind: kv.Kind, Version: kv.APIVersion},
		IntegratedTime:    rb.Payload.IntegratedTime,
		InclusionPromise:  &protorekor.InclusionPromise{SignedEntryTimestamp: rb.SignedEntryTimestamp},
		CanonicalizedBody: body,
	}, nil
}

// bundleV01 is the media type of sigstore bundle v0.1, the version whose
// transparency-log entries need only a signed entry timestamp, as cosign's
// Rekor bundle annotations carry.
const bundleV01 = "application/vnd.dev.sigstore.bundle+json;version=0.1"

// cosignEvidence is what cosign stores in annotations beside a signature:
// the PEM certificate and chain of a keyless signature, the Rekor bundle and
// the RFC 3161 timestamp.
type cosignEvidence struct {
	cert, chain, rekor, timestamp []byte
}

// simpleSigningBundle expresses a simple-signing signature and its evidence
// as a v0.1 sigstore bundle with a message signature over the payload, so
// that sigstore-go verifies them. A keyed signature is given the key it
// verified under; a keyless one carries its certificate chain.
func simpleSigningBundle(sig *Signature, key *Key) (*sgbundle.Bundle, error) {
	digest := sha256.Sum256(sig.Payload)
	content := &protobundle.Bundle_MessageSignature{MessageSignature: &protocommon.MessageSignature{
		MessageDigest: &protocommon.HashOutput{Algorithm: protocommon.HashAlgorithm_SHA2_256, Digest: digest[:]},
		Signature:     sig.Value,
	}}
	ev := cosignEvidence{cert: sig.Certificate, chain: sig.Chain, rekor: sig.RekorBundle, timestamp: sig.RFC3161Timestamp}
	return evidenceBundle(ev, key, content)
}

// envelopeBundle expresses a one-signature DSSE envelope and its evidence
// (cosign's legacy .att layers) as a v0.1 sigstore bundle.
func envelopeBundle(env *Envelope, ev cosignEvidence, key *Key) (*sgbundle.Bundle, error) {
	if len(env.Signatures) != 1 {
		return nil, fmt.Errorf("a Rekor bundle can cover an envelope of one signature, not %d", len(env.Signatures))
	}
	content := &protobundle.Bundle_DsseEnvelope{DsseEnvelope: &protodsse.Envelope{
		Payload:     env.Payload,
		PayloadType: env.PayloadType,
		Signatures:  []*protodsse.Signature{{Sig: env.Signatures[0].Sig, Keyid: env.Signatures[0].KeyID}},
	}}
	return evidenceBundle(ev, key, content)
}

// evidenceBundle builds a v0.1 sigstore bundle of a signature and cosign's
// evidence for it.
func evidenceBundle(ev cosignEvidence, key *Key, content any) (*sgbundle.Bundle, error) {
	vm := &protobundle.VerificationMaterial{}
	if key != nil {
		vm.Content = &protobundle.VerificationMaterial_PublicKey{PublicKey: &protocommon.PublicKeyIdentifier{Hint: key.id}}
	} else {
		var certs []*protocommon.X509Certificate
		rest := append(append([]byte{}, ev.cert...), ev.chain...)
		for {
			var block *pem.Block
			block, rest = pem.Decode(rest)
			if block == nil {
				break
			}
			if block.Type == "CERTIFICATE" {
				certs = append(certs, &protocommon.X509Certificate{RawBytes: block.Bytes})
			}
		}
		if len(certs) == 0 {
			return nil, errors.New("the certificate annotation holds no PEM certificate")
		}
		vm.Content = &protobundle.VerificationMaterial_X509CertificateChain{X509CertificateChain: &protocommon.X509CertificateChain{Certificates: certs}}
	}
	if len(ev.rekor) > 0 {
		e, err := rekorEntryFromCosign(ev.rekor)
		if err != nil {
			return nil, err
		}
		vm.TlogEntries = []*protorekor.TransparencyLogEntry{e}
	}
	if len(ev.timestamp) > 0 {
		var ts cosignTimestamp
		if err := json.Unmarshal(ev.timestamp, &ts); err != nil || len(ts.SignedRFC3161Timestamp) == 0 {
			return nil, errors.New("decoding the RFC 3161 timestamp annotation")
		}
		vm.TimestampVerificationData = &protobundle.TimestampVerificationData{
			Rfc3161Timestamps: []*protocommon.RFC3161SignedTimestamp{{SignedTimestamp: ts.SignedRFC3161Timestamp}},
		}
	}
	pb := &protobundle.Bundle{MediaType: bundleV01, VerificationMaterial: vm}
	switch c := content.(type) {
	case *protobundle.Bundle_MessageSignature:
		pb.Content = c
	case *protobundle.Bundle_DsseEnvelope:
		pb.Content = c
	}
	b, err := sgbundle.NewBundle(pb)
	if err != nil {
		return nil, fmt.Errorf("expressing the signature as a sigstore bundle: %v", err)
	}
	return b, nil
}
