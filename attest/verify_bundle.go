package attest

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dhisdk/dhisdk/attest/intoto"
	sgbundle "github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	sgverify "github.com/sigstore/sigstore-go/pkg/verify"
	"github.com/sigstore/sigstore/pkg/signature"
	sigopts "github.com/sigstore/sigstore/pkg/signature/options"
)

// Artifact names what a signature or statement must be about: the
// artifact's bytes, its digest, or (unsafely) anything. Build it with
// [ArtifactBytes], [ArtifactDigest] or [AnyArtifactUnsafe]; the zero
// Artifact is refused.
type Artifact struct {
	data    []byte
	hasData bool
	digest  string
	any     bool
}

// ArtifactBytes names an artifact by its content. A message signature must
// be over b; a statement must name b's sha256 or sha512 digest as a
// subject.
func ArtifactBytes(b []byte) Artifact { return Artifact{data: b, hasData: true} }

// ArtifactDigest names an artifact by its digest, "algorithm:value" (for
// example "sha256:9e9a..."). A message signature's digest must equal it; a
// statement must name it as a subject.
func ArtifactDigest(digest string) Artifact { return Artifact{digest: digest} }

// AnyArtifactUnsafe accepts a statement about any artifact: the subject is
// not checked, only reported. Do not use it unless the caller checks the
// statement's subjects itself; a valid signature over a statement about
// another artifact proves nothing about yours. Message signatures cannot be
// verified without their artifact and always fail with it.
func AnyArtifactUnsafe() Artifact { return Artifact{any: true} }

func (a Artifact) valid() bool { return a.hasData || a.digest != "" || a.any }

// String describes the artifact for results.
func (a Artifact) String() string {
	switch {
	case a.digest != "":
		return a.digest
	case a.hasData:
		sum := sha256.Sum256(a.data)
		return "sha256:" + hex.EncodeToString(sum[:])
	}
	return "any artifact"
}

// named reports whether st names the artifact as a subject, and describes
// the comparison.
func (a Artifact) named(st *intoto.Statement) (bool, string) {
	switch {
	case a.digest != "":
		return st.HasSubject(a.digest), a.digest
	case a.hasData:
		s256 := sha256.Sum256(a.data)
		d256 := "sha256:" + hex.EncodeToString(s256[:])
		if st.HasSubject(d256) {
			return true, d256
		}
		s512 := sha512.Sum512(a.data)
		d512 := "sha512:" + hex.EncodeToString(s512[:])
		return st.HasSubject(d512), d256
	}
	return true, "any artifact"
}

// subjectDigests lists a statement's subject digests for messages.
func subjectDigests(st *intoto.Statement) string {
	var ds []string
	for _, s := range st.Subject {
		for alg, v := range s.Digest {
			ds = append(ds, alg+":"+v)
		}
	}
	if len(ds) > 4 {
		ds = append(ds[:4], fmt.Sprintf("and %d more", len(ds)-4))
	}
	return strings.Join(ds, ", ")
}

// VerifyBundle verifies a sigstore bundle (v0.1 to v0.3) with sigstore-go:
// a keyed bundle against the keyring (the key its publicKey.hint names, else
// every key), a keyless one against the trusted root and the trusted
// identities. Its transparency-log entries and RFC 3161 timestamps are
// verified against the trusted root when present, and must be present when
// the policy requires them. A DSSE bundle's statement must name the artifact
// as a subject; a message signature must be over the artifact.
//
// VerifyBundle does not check what the artifact is (that is the caller's
// choice of artifact), nor predicate types, nor that a key's owner still
// vouches for what it signed beyond the key status and validity window.
//
// Callers must pass the artifact they are about to use (or its digest), not
// one taken from the bundle, and must use [Result.Statement] only when the
// error is nil.
func (v *Verifier) VerifyBundle(b *sgbundle.Bundle, artifact Artifact) (*Result, error) {
	res := &Result{Target: artifact.String()}
	if b == nil || b.Bundle == nil {
		return v.finish(res, "", &VerificationError{Link: LinkSignature, Reason: "no bundle", Err: ErrUnsigned})
	}
	if !artifact.valid() {
		return nil, errors.New("attest: VerifyBundle needs an artifact (ArtifactBytes, ArtifactDigest or AnyArtifactUnsafe)")
	}
	sr := v.verifyBundleSig(b, artifact, nil)
	sr.Index = 0
	res.Signatures = append(res.Signatures, sr)
	failure := v.tallySignatures(res)

	var st *intoto.Statement
	if env := b.GetDsseEnvelope(); env != nil {
		st, failure = v.statementChecks(res, failure, env.GetPayloadType(), env.GetPayload(), artifact)
	} else {
		res.add(LinkStatement, CheckSkipped, "message signature: the bundle signs the artifact itself, not a statement")
	}
	res.Statement = st
	return v.finish(res, res.Target, failure)
}

// statementChecks decodes the statement a verified envelope carries and
// checks that it names the artifact, recording the statement and subject
// links. It returns the statement and the first failure (failure, if set).
func (v *Verifier) statementChecks(res *Result, failure *VerificationError, payloadType string, payload []byte, artifact Artifact) (*intoto.Statement, *VerificationError) {
	if payloadType != PayloadTypeInToto && artifact.any {
		res.add(LinkStatement, CheckSkipped, fmt.Sprintf("payload type %q is not an in-toto statement", payloadType))
		return nil, failure
	}
	st, failure := v.decodeStatement(res, failure, payloadType, payload)
	if st == nil {
		return nil, failure
	}
	return st, v.subjectCheck(res, failure, st, artifact)
}

// keyMaterial is trust material that offers exactly one public key, under
// any hint: sigstore-go asks it for the key a bundle's hint names, and the
// keyring decided beforehand which key to try.
type keyMaterial struct {
	root.TrustedMaterial
	key root.TimeConstrainedVerifier
}

// PublicKeyVerifier returns the one key.
func (m *keyMaterial) PublicKeyVerifier(string) (root.TimeConstrainedVerifier, error) {
	return m.key, nil
}

// verifyBundleSig verifies one bundle's signature with sigstore-go and
// applies the policy. For DSSE bundles it does not look at the statement:
// callers check its subject. For message signatures, artifact is what was
// signed. When only is set, only that key is tried.
func (v *Verifier) verifyBundleSig(b *sgbundle.Bundle, artifact Artifact, only *Key) (sr SignatureResult) {
	sr = SignatureResult{Kind: SignatureBundle, Checks: []Check{}}
	defer func() {
		// sigstore-go and the rekor types it uses index into decoded
		// entries; a panic on hostile input becomes a failed check.
		if r := recover(); r != nil {
			sr.fail(LinkSignature, ErrSignature, fmt.Sprintf("malformed bundle: %v", r))
		}
	}()
	vc, err := b.VerificationContent()
	if err != nil {
		sr.fail(LinkSignature, ErrSignature, "bundle has no usable verification material: "+err.Error())
		return sr
	}
	entries, err := b.TlogEntries()
	if err != nil {
		sr.fail(LinkTransparencyLog, ErrTransparencyLog, "decoding the bundle's transparency-log entries: "+err.Error())
		return sr
	}
	stamps, err := b.Timestamps()
	if err != nil {
		sr.fail(LinkTimestamp, ErrTimestamp, "decoding the bundle's signed timestamps: "+err.Error())
		return sr
	}
	sc, err := b.SignatureContent()
	if err != nil {
		sr.fail(LinkSignature, ErrSignature, "bundle has no signature: "+err.Error())
		return sr
	}
	for _, e := range entries {
		tle := e.TransparencyLogEntry()
		le := LogEntry{LogID: hex.EncodeToString([]byte(e.LogKeyID())), LogIndex: e.LogIndex(), IntegratedTime: e.IntegratedTime()}
		if kv := tle.GetKindVersion(); kv != nil {
			le.Kind = kv.GetKind() + "/" + kv.GetVersion()
		}
		sr.TransparencyLog = append(sr.TransparencyLog, le)
	}
	keyless := vc.Certificate() != nil

	if v.cfg.requireTlog && len(entries) == 0 {
		sr.fail(LinkTransparencyLog, ErrTransparencyLog, "no transparency-log entry, and the policy requires one")
		return sr
	}
	if v.cfg.requireTimestamp && len(stamps) == 0 {
		sr.fail(LinkTimestamp, ErrTimestamp, "no signed timestamp, and the policy requires one")
		return sr
	}

	var vopts []sgverify.VerifierOption
	checkTlog := len(entries) > 0 && v.cfg.trusted != nil
	checkTSA := len(stamps) > 0 && v.cfg.trusted != nil
	trustedTime := false
	if checkTlog {
		vopts = append(vopts, sgverify.WithTransparencyLog(1))
		for _, e := range entries {
			if e.HasInclusionPromise() && !e.IntegratedTime().IsZero() {
				vopts = append(vopts, sgverify.WithIntegratedTimestamps(1))
				trustedTime = true
				break
			}
		}
	}
	if checkTSA {
		vopts = append(vopts, sgverify.WithSignedTimestamps(1))
		trustedTime = true
	}
	var identityNote string
	if keyless {
		switch {
		case v.cfg.trusted == nil:
			sr.fail(LinkIdentity, ErrUntrustedIdentity, "keyless signature, and the verifier has no trusted root (WithTrustedRoot)")
			return sr
		case len(v.cfg.identities) == 0:
			sr.fail(LinkIdentity, ErrUntrustedIdentity, "keyless signature, and the verifier trusts no identity (WithIdentity)")
			return sr
		case !trustedTime:
			sr.fail(LinkIdentity, ErrUntrustedIdentity, "keyless signature without a trusted time (no transparency-log entry with a signed integrated time, no signed timestamp): its short-lived certificate cannot be checked")
			return sr
		}
		if len(v.cfg.trusted.CTLogs()) > 0 {
			vopts = append(vopts, sgverify.WithSignedCertificateTimestamps(1))
		} else {
			identityNote = "; certificate-transparency SCT not checked (the trusted root lists no CT log)"
		}
	} else if !trustedTime {
		vopts = append(vopts, sgverify.WithNoObserverTimestamps())
	}

	var artOpt sgverify.ArtifactPolicyOption
	switch {
	case sc.EnvelopeContent() != nil:
		// The statement's subject is checked by the caller, against the
		// payload sigstore-go verified.
		artOpt = sgverify.WithoutArtifactUnsafe()
	case artifact.hasData:
		artOpt = sgverify.WithArtifact(bytes.NewReader(artifact.data))
	case artifact.digest != "":
		alg, hexd, _ := strings.Cut(artifact.digest, ":")
		raw, err := hex.DecodeString(hexd)
		if err != nil || alg == "" {
			sr.fail(LinkSignature, ErrSignature, fmt.Sprintf("artifact digest %q is not algorithm:hex", artifact.digest))
			return sr
		}
		artOpt = sgverify.WithArtifactDigest(alg, raw)
	default:
		sr.fail(LinkSignature, ErrSignature, "a message signature can be verified only with its artifact or the artifact's digest")
		return sr
	}

	base := v.cfg.trusted
	if base == nil {
		base = &root.BaseTrustedMaterial{}
	}

	var (
		vres    *sgverify.VerificationResult
		usedKey *Key
		lastErr error
		named   bool
		hint    string
	)
	if keyless {
		var popts []sgverify.PolicyOption
		for _, id := range v.cfg.identities {
			popts = append(popts, sgverify.WithCertificateIdentity(id))
		}
		vres, lastErr = runSigstore(base, vopts, sgverify.NewPolicy(artOpt, popts...), b)
	} else {
		var keys []*Key
		if pk := vc.PublicKey(); pk != nil {
			hint = pk.Hint()
		}
		if only != nil {
			keys, named = []*Key{only}, true
		} else {
			keys, named = v.keys.candidates(hint)
		}
		isMessage := sc.MessageSignatureContent() != nil
		for _, k := range keys {
			kv, err := sigstoreKeyVerifier(k, isMessage)
			if err != nil {
				lastErr = err
				continue
			}
			tm := &keyMaterial{TrustedMaterial: base, key: root.NewExpiringKey(kv, time.Time{}, time.Time{})}
			vres, err = runSigstore(tm, vopts, sgverify.NewPolicy(artOpt, sgverify.WithKey()), b)
			if err == nil {
				usedKey = k
				break
			}
			if lastErr == nil || named {
				lastErr = err
			}
		}
		if usedKey == nil && lastErr == nil {
			lastErr = errors.New("the keyring holds no key")
		}
	}
	if vres == nil {
		link, sentinel := classifySigstoreError(lastErr)
		reason := lastErr.Error()
		if !keyless && !named {
			// The hint named no key of the keyring and every key was tried.
			switch id := keyIDFromHint(hint); {
			case id != "":
				link, sentinel = LinkSignature, ErrUntrustedKey
				reason = fmt.Sprintf("bundle names key %s, which the keyring does not hold, and no trusted key verifies it: %v", id, lastErr)
			case v.keys.Len() == 0:
				link, sentinel = LinkSignature, ErrUntrustedKey
				reason = "keyed signature, and the keyring holds no key"
			default:
				reason = fmt.Sprintf("no trusted key verifies the signature: %v", lastErr)
			}
		}
		if link != LinkSignature {
			sr.add(LinkSignature, CheckFailed, "not verified: the "+string(link)+" check failed")
		}
		sr.fail(link, sentinel, reason)
		return sr
	}

	// The signature and its evidence verified.
	switch {
	case keyless:
		id := &Identity{}
		if vres.Signature != nil && vres.Signature.Certificate != nil {
			id.Issuer = vres.Signature.Certificate.Issuer
			id.Subject = vres.Signature.Certificate.SubjectAlternativeName
		}
		sr.Identity = id
		sr.signer = "identity:" + id.Issuer + " " + id.Subject
		sr.add(LinkSignature, CheckPassed, "verifies under a certificate issued to "+id.Subject)
		sr.add(LinkIdentity, CheckPassed, fmt.Sprintf("certificate chains to the trusted root and names %s (issuer %s)%s", id.Subject, id.Issuer, identityNote))
	default:
		sr.Key = usedKey.info()
		sr.signer = "key:" + usedKey.id
		sr.add(LinkSignature, CheckPassed, "verifies under key "+keyLabel(usedKey))
	}
	for _, ts := range vres.VerifiedTimestamps {
		t := Timestamp{Authority: ts.URI, Time: ts.Timestamp}
		switch ts.Type {
		case "Tlog":
			t.Source = timestampSourceLog
		case "TimestampAuthority":
			t.Source = timestampSourceTSA
		default:
			continue
		}
		sr.Timestamps = append(sr.Timestamps, t)
	}
	switch {
	case checkTlog:
		sr.add(LinkTransparencyLog, CheckPassed, fmt.Sprintf("%d entry verified against the trusted root", len(entries)))
	case len(entries) > 0:
		sr.add(LinkTransparencyLog, CheckSkipped, "entry present but not checked: no trusted root")
	default:
		sr.add(LinkTransparencyLog, CheckSkipped, "no transparency-log entry")
	}
	switch {
	case checkTSA:
		sr.add(LinkTimestamp, CheckPassed, fmt.Sprintf("%d RFC 3161 timestamp verified", len(stamps)))
	case len(stamps) > 0:
		sr.add(LinkTimestamp, CheckSkipped, "timestamp present but not checked: no trusted root")
	default:
		sr.add(LinkTimestamp, CheckSkipped, "no signed timestamp")
	}
	if usedKey != nil {
		v.checkKey(&sr, usedKey)
	} else {
		sr.Verified = true
	}
	return sr
}

// runSigstore runs one sigstore-go verification.
func runSigstore(tm root.TrustedMaterial, vopts []sgverify.VerifierOption, policy sgverify.PolicyBuilder, b *sgbundle.Bundle) (*sgverify.VerificationResult, error) {
	sv, err := sgverify.NewVerifier(tm, vopts...)
	if err != nil {
		return nil, err
	}
	return sv.Verify(b, policy)
}

// sigstoreKeyVerifier loads k as a sigstore signature verifier. Message
// signatures with Ed25519 keys are Ed25519ph, as in hashedrekord entries.
func sigstoreKeyVerifier(k *Key, message bool) (signature.Verifier, error) {
	var opts []signature.LoadOption
	if message {
		opts = append(opts, sigopts.WithED25519ph())
	}
	return signature.LoadDefaultVerifier(k.pub, opts...)
}

// classifySigstoreError maps a sigstore-go verification error to the link
// that failed. sigstore-go reports each step with a fixed prefix.
func classifySigstoreError(err error) (Link, error) {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "failed to verify log inclusion"):
		return LinkTransparencyLog, ErrTransparencyLog
	case strings.HasPrefix(msg, "failed to verify timestamps"):
		if strings.Contains(msg, "integrated timestamps") {
			return LinkTransparencyLog, ErrTransparencyLog
		}
		return LinkTimestamp, ErrTimestamp
	case strings.HasPrefix(msg, "failed to verify leaf certificate"),
		strings.HasPrefix(msg, "failed to verify signed certificate timestamp"),
		strings.HasPrefix(msg, "failed to verify certificate identity"),
		strings.HasPrefix(msg, "failed to summarize certificate"),
		strings.HasPrefix(msg, "must provide timestamp to verify certificate"),
		strings.HasPrefix(msg, "expected key signature, not certificate"):
		return LinkIdentity, ErrUntrustedIdentity
	}
	return LinkSignature, ErrSignature
}

// keyLabel names a key in messages: its name and ID.
func keyLabel(k *Key) string {
	if k.name != "" {
		return k.name + " (" + k.id + ")"
	}
	return k.id
}

// checkKey applies the policy on the key's status and validity window to a
// signature that verified under it, using the signature's verified times,
// and marks the signature verified when both pass.
func (v *Verifier) checkKey(sr *SignatureResult, k *Key) {
	switch k.status {
	case KeyStatusRetired:
		if v.cfg.refuseRetired {
			sr.fail(LinkKeyStatus, ErrRetiredKey, fmt.Sprintf("key %s is retired, and the policy refuses retired keys", keyLabel(k)))
			return
		}
		sr.add(LinkKeyStatus, CheckFlagged, fmt.Sprintf("key %s is retired (accepted by the policy)", keyLabel(k)))
	default:
		sr.add(LinkKeyStatus, CheckPassed, "key is "+string(k.status))
	}
	if k.hasWindow() {
		if len(sr.Timestamps) == 0 {
			if v.cfg.enforceValidity {
				sr.fail(LinkKeyValidity, ErrKeyValidity, fmt.Sprintf("key %s has a validity window, and no trusted time shows when the signature was made", keyLabel(k)))
				return
			}
			sr.add(LinkKeyValidity, CheckSkipped, "key has a validity window, but no trusted time (transparency log or signed timestamp) shows when the signature was made")
		} else {
			for _, ts := range sr.Timestamps {
				if !k.validAt(ts.Time) {
					sr.fail(LinkKeyValidity, ErrKeyValidity, fmt.Sprintf("signature time %s (%s) is outside the validity window of key %s", ts.Time.UTC().Format(time.RFC3339), ts.Source, keyLabel(k)))
					return
				}
			}
			sr.add(LinkKeyValidity, CheckPassed, fmt.Sprintf("%d verified signature time(s) inside the key's validity window", len(sr.Timestamps)))
		}
	}
	sr.Verified = true
}

// firstFailure returns a when set, else b.
func firstFailure(a, b *VerificationError) *VerificationError {
	if a != nil {
		return a
	}
	return b
}

var _ root.TrustedMaterial = (*keyMaterial)(nil)
