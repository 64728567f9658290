package attest

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dhisdk/dhisdk/attest/intoto"
	sgbundle "github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"
	"github.com/sigstore/sigstore-go/pkg/root"
	sgverify "github.com/sigstore/sigstore-go/pkg/verify"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
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
	// what, when set, says what the digest is, for messages ("the image
	// index ").
	what string
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
	parts, ok := readBundle(&sr, b)
	if !ok {
		return sr
	}
	plan, ok := v.planBundle(&sr, parts)
	if !ok {
		return sr
	}
	artOpt, ok := artifactPolicy(&sr, parts.sc, artifact)
	if !ok {
		return sr
	}
	run := v.runBundle(b, parts, plan, artOpt, only)
	if run.res == nil {
		v.recordBundleFailure(&sr, parts, run)
		return sr
	}
	v.recordBundleSuccess(&sr, parts, plan, run)
	return sr
}

// bundleParts is what verification reads from a bundle before sigstore-go
// runs.
type bundleParts struct {
	vc      sgverify.VerificationContent
	sc      sgverify.SignatureContent
	entries int
	stamps  int
	// integrated reports whether an entry carries a signed integrated time
	// (an inclusion promise).
	integrated bool
	keyless    bool
}

// readBundle decodes the bundle's verification material, transparency-log
// entries, timestamps and signature, recording the log entries in sr.
func readBundle(sr *SignatureResult, b *sgbundle.Bundle) (bundleParts, bool) {
	var p bundleParts
	vc, err := b.VerificationContent()
	if err != nil {
		sr.fail(LinkSignature, ErrSignature, "bundle has no usable verification material: "+err.Error())
		return p, false
	}
	entries, err := b.TlogEntries()
	if err != nil {
		sr.fail(LinkTransparencyLog, ErrTransparencyLog, "decoding the bundle's transparency-log entries: "+err.Error())
		return p, false
	}
	stamps, err := b.Timestamps()
	if err != nil {
		sr.fail(LinkTimestamp, ErrTimestamp, "decoding the bundle's signed timestamps: "+err.Error())
		return p, false
	}
	sc, err := b.SignatureContent()
	if err != nil {
		sr.fail(LinkSignature, ErrSignature, "bundle has no signature: "+err.Error())
		return p, false
	}
	for _, e := range entries {
		tle := e.TransparencyLogEntry()
		le := LogEntry{LogID: hex.EncodeToString([]byte(e.LogKeyID())), LogIndex: e.LogIndex(), IntegratedTime: e.IntegratedTime()}
		if kv := tle.GetKindVersion(); kv != nil {
			le.Kind = kv.GetKind() + "/" + kv.GetVersion()
		}
		sr.TransparencyLog = append(sr.TransparencyLog, le)
		if e.HasInclusionPromise() && !e.IntegratedTime().IsZero() {
			p.integrated = true
		}
	}
	p.vc, p.sc, p.entries, p.stamps = vc, sc, len(entries), len(stamps)
	p.keyless = vc.Certificate() != nil
	return p, true
}

// bundlePlan is what sigstore-go is asked to check for one bundle.
type bundlePlan struct {
	opts      []sgverify.VerifierOption
	checkTlog bool
	checkTSA  bool
}

// planBundle applies the policy's requirements to what the bundle carries
// and chooses sigstore-go's options: which evidence to verify against the
// trusted root, and for keyless signatures whether they can be checked at
// all.
func (v *Verifier) planBundle(sr *SignatureResult, p bundleParts) (bundlePlan, bool) {
	var plan bundlePlan
	if v.cfg.requireTlog && p.entries == 0 {
		sr.fail(LinkTransparencyLog, ErrTransparencyLog, "no transparency-log entry, and the policy requires one")
		return plan, false
	}
	if v.cfg.requireTimestamp && p.stamps == 0 {
		sr.fail(LinkTimestamp, ErrTimestamp, "no signed timestamp, and the policy requires one")
		return plan, false
	}
	plan.checkTlog = p.entries > 0 && v.cfg.trusted != nil
	plan.checkTSA = p.stamps > 0 && v.cfg.trusted != nil
	trustedTime := false
	if plan.checkTlog {
		plan.opts = append(plan.opts, sgverify.WithTransparencyLog(1))
		if p.integrated {
			plan.opts = append(plan.opts, sgverify.WithIntegratedTimestamps(1))
			trustedTime = true
		}
	}
	if plan.checkTSA {
		plan.opts = append(plan.opts, sgverify.WithSignedTimestamps(1))
		trustedTime = true
	}
	if !p.keyless {
		if !trustedTime {
			plan.opts = append(plan.opts, sgverify.WithNoObserverTimestamps())
		}
		return plan, true
	}
	switch {
	case v.cfg.trusted == nil:
		sr.fail(LinkIdentity, ErrUntrustedIdentity, "keyless signature, and the verifier has no trusted root (WithTrustedRoot)")
		return plan, false
	case len(v.cfg.identities) == 0:
		sr.fail(LinkIdentity, ErrUntrustedIdentity, "keyless signature, and the verifier trusts no identity (WithIdentity)")
		return plan, false
	case !trustedTime:
		sr.fail(LinkIdentity, ErrUntrustedIdentity, "keyless signature without a trusted time (no transparency-log entry with a signed integrated time, no signed timestamp): its short-lived certificate cannot be checked")
		return plan, false
	}
	if len(v.cfg.trusted.CTLogs()) > 0 {
		plan.opts = append(plan.opts, sgverify.WithSignedCertificateTimestamps(1))
	} else {
		sr.add(LinkCertificateTransparency, CheckSkipped, "the trusted root lists no CT log: the certificate's SCT is not checked")
	}
	return plan, true
}

// artifactPolicy returns what sigstore-go must check the signature against:
// nothing more for a DSSE envelope (the caller checks the statement's
// subject), else the artifact's bytes or digest.
func artifactPolicy(sr *SignatureResult, sc sgverify.SignatureContent, artifact Artifact) (sgverify.ArtifactPolicyOption, bool) {
	switch {
	case sc.EnvelopeContent() != nil:
		// The statement's subject is checked by the caller, against the
		// payload sigstore-go verified.
		return sgverify.WithoutArtifactUnsafe(), true
	case artifact.hasData:
		return sgverify.WithArtifact(bytes.NewReader(artifact.data)), true
	case artifact.digest != "":
		alg, hexd, _ := strings.Cut(artifact.digest, ":")
		raw, err := hex.DecodeString(hexd)
		if err != nil || alg == "" {
			sr.fail(LinkSignature, ErrSignature, fmt.Sprintf("artifact digest %q is not algorithm:hex", artifact.digest))
			return nil, false
		}
		return sgverify.WithArtifactDigest(alg, raw), true
	default:
		sr.fail(LinkSignature, ErrSignature, "a message signature can be verified only with its artifact or the artifact's digest")
		return nil, false
	}
}

// bundleRun is the outcome of running sigstore-go on a bundle: the result,
// or the error and the step that failed.
type bundleRun struct {
	res     *sgverify.VerificationResult
	usedKey *Key
	err     error
	// link and sentinel name the step that failed.
	link     Link
	sentinel error
	// named reports whether the keys tried were chosen by the bundle's key
	// hint (or by the caller); hint is that hint.
	named bool
	hint  string
}

// runBundle verifies the bundle with sigstore-go: a keyless one against the
// trusted root and identities, a keyed one against each candidate key of
// the keyring until one verifies.
func (v *Verifier) runBundle(b *sgbundle.Bundle, p bundleParts, plan bundlePlan, artOpt sgverify.ArtifactPolicyOption, only *Key) bundleRun {
	base := v.cfg.trusted
	if base == nil {
		base = &root.BaseTrustedMaterial{}
	}
	var run bundleRun
	if p.keyless {
		var popts []sgverify.PolicyOption
		for _, id := range v.cfg.identities {
			popts = append(popts, sgverify.WithCertificateIdentity(id))
		}
		return runSigstore(base, plan.opts, sgverify.NewPolicy(artOpt, popts...), b, v.cfg.identities)
	}
	if pk := p.vc.PublicKey(); pk != nil {
		run.hint = pk.Hint()
	}
	var keys []*Key
	if only != nil {
		keys, run.named = []*Key{only}, true
	} else {
		keys, run.named = v.keys.candidates(run.hint)
	}
	isMessage := p.sc.MessageSignatureContent() != nil
	for _, k := range keys {
		kv, err := sigstoreKeyVerifier(k, isMessage)
		if err != nil {
			run.err, run.link, run.sentinel = err, LinkSignature, ErrSignature
			continue
		}
		tm := &keyMaterial{TrustedMaterial: base, key: root.NewExpiringKey(kv, time.Time{}, time.Time{})}
		one := runSigstore(tm, plan.opts, sgverify.NewPolicy(artOpt, sgverify.WithKey()), b, nil)
		if one.err == nil {
			run.res, run.usedKey = one.res, k
			return run
		}
		if run.err == nil || run.named {
			run.err, run.link, run.sentinel = one.err, one.link, one.sentinel
		}
	}
	if run.err == nil {
		run.err, run.link, run.sentinel = errors.New("the keyring holds no key"), LinkSignature, ErrSignature
	}
	return run
}

// recordBundleFailure records why no key or identity verified the bundle.
func (v *Verifier) recordBundleFailure(sr *SignatureResult, p bundleParts, run bundleRun) {
	link, sentinel := run.link, run.sentinel
	reason := run.err.Error()
	if !p.keyless && !run.named {
		// The hint named no key of the keyring and every key was tried.
		switch id := keyIDFromHint(run.hint); {
		case id != "":
			link, sentinel = LinkSignature, ErrUntrustedKey
			reason = fmt.Sprintf("signed by key %s, which is not trusted (the bundle's key hint names it; no trusted key verifies the signature: %v)", id, run.err)
		case v.keys.Len() == 0:
			link, sentinel = LinkSignature, ErrUntrustedKey
			reason = "keyed signature, and the keyring holds no key"
		default:
			reason = fmt.Sprintf("no trusted key verifies the signature: %v", run.err)
		}
	}
	if link != LinkSignature {
		sr.add(LinkSignature, CheckFailed, "not verified: the "+string(link)+" check failed")
	}
	sr.fail(link, sentinel, reason)
}

// recordBundleSuccess records who signed a verified bundle, its verified
// times and evidence, and applies the key policy to a keyed signature.
func (v *Verifier) recordBundleSuccess(sr *SignatureResult, p bundleParts, plan bundlePlan, run bundleRun) {
	if p.keyless {
		id := &Identity{}
		if run.res.Signature != nil && run.res.Signature.Certificate != nil {
			id.Issuer = run.res.Signature.Certificate.Issuer
			id.Subject = run.res.Signature.Certificate.SubjectAlternativeName
		}
		sr.Identity = id
		sr.signer = "identity:" + id.Issuer + " " + id.Subject
		sr.add(LinkSignature, CheckPassed, "verifies under a certificate issued to "+id.Subject)
		sr.add(LinkIdentity, CheckPassed, fmt.Sprintf("certificate chains to the trusted root and names %s (issuer %s)", id.Subject, id.Issuer))
	} else {
		sr.Key = run.usedKey.info()
		sr.signer = "key:" + run.usedKey.id
		sr.add(LinkSignature, CheckPassed, "verifies under key "+keyLabel(run.usedKey))
	}
	for _, ts := range run.res.VerifiedTimestamps {
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
	case plan.checkTlog:
		sr.add(LinkTransparencyLog, CheckPassed, fmt.Sprintf("%d entry verified against the trusted root", p.entries))
	case p.entries > 0:
		sr.add(LinkTransparencyLog, CheckSkipped, "entry present but not checked: no trusted root")
	default:
		sr.add(LinkTransparencyLog, CheckSkipped, "no transparency-log entry")
	}
	switch {
	case plan.checkTSA:
		sr.add(LinkTimestamp, CheckPassed, fmt.Sprintf("%d RFC 3161 timestamp verified", p.stamps))
	case p.stamps > 0:
		sr.add(LinkTimestamp, CheckSkipped, "timestamp present but not checked: no trusted root")
	default:
		sr.add(LinkTimestamp, CheckSkipped, "no signed timestamp")
	}
	if run.usedKey != nil {
		v.checkKey(sr, run.usedKey)
	} else {
		sr.Verified = true
	}
}

// runSigstore runs one sigstore-go verification. When it fails, the run
// also names the link that failed, found by running sigstore-go's exported
// steps in the order Verify runs them (see [failedStep]).
func runSigstore(tm root.TrustedMaterial, vopts []sgverify.VerifierOption, policy sgverify.PolicyBuilder, b *sgbundle.Bundle, identities sgverify.CertificateIdentities) bundleRun {
	sv, err := sgverify.NewVerifier(tm, vopts...)
	if err != nil {
		return bundleRun{err: err, link: LinkSignature, sentinel: ErrSignature}
	}
	res, err := sv.Verify(b, policy)
	if err != nil {
		link, sentinel := failedStep(sv, tm, b, identities)
		return bundleRun{err: err, link: link, sentinel: sentinel}
	}
	return bundleRun{res: res}
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

// failedStep finds which link failed when sv.Verify rejected b, by running
// the steps that sigstore-go exports, in Verify's order, until one fails:
// transparency-log inclusion, then the observer timestamps (RFC 3161
// timestamps, then the log's integrated times), then for a certificate its
// summary, the trusted identities, its chain at each verified time and its
// SCTs. When all of these pass, the signature itself failed.
func failedStep(sv *sgverify.Verifier, tm root.TrustedMaterial, b *sgbundle.Bundle, identities sgverify.CertificateIdentities) (Link, error) {
	logTimes, err := sv.VerifyTransparencyLogInclusion(b)
	if err != nil {
		return LinkTransparencyLog, ErrTransparencyLog
	}
	times, err := sv.VerifyObserverTimestamps(b, logTimes)
	if err != nil {
		if stamps, serr := b.Timestamps(); serr == nil && len(stamps) > 0 {
			if _, terr := sgverify.VerifySignedTimestampWithThreshold(b, tm, 1); terr != nil {
				return LinkTimestamp, ErrTimestamp
			}
		}
		// The signed timestamps verify: the log's integrated times do not
		// meet the threshold.
		return LinkTransparencyLog, ErrTransparencyLog
	}
	vc, err := b.VerificationContent()
	if err != nil {
		return LinkSignature, ErrSignature
	}
	leaf := vc.Certificate()
	if leaf == nil {
		return LinkSignature, ErrSignature
	}
	if certificateFails(leaf, vc.Intermediates(), times, tm, identities) {
		return LinkIdentity, ErrUntrustedIdentity
	}
	return LinkSignature, ErrSignature
}

// certificateFails reports whether a keyless signature's certificate fails
// any of the checks sigstore-go makes on it: its summary, the trusted
// identities, its chain to the trusted root at each verified time, and,
// when the trusted root lists CT logs, its signed certificate timestamps.
func certificateFails(leaf *x509.Certificate, intermediates []*x509.Certificate, times []sgverify.TimestampVerificationResult, tm root.TrustedMaterial, identities sgverify.CertificateIdentities) bool {
	summary, err := certificate.SummarizeCertificate(leaf)
	if err != nil {
		return true
	}
	if len(identities) > 0 {
		if _, err := identities.Verify(summary); err != nil {
			return true
		}
	}
	chainTM := tm
	if len(intermediates) > 0 {
		chainTM = &withIntermediates{TrustedMaterial: tm, extra: intermediates}
	}
	// Go's x509 does not handle the OtherName SAN that Fulcio may write;
	// sigstore-go drops it from the unhandled critical extensions before
	// chain validation, on a copy here.
	cert := *leaf
	cert.UnhandledCriticalExtensions = slices.DeleteFunc(slices.Clone(leaf.UnhandledCriticalExtensions), func(oid asn1.ObjectIdentifier) bool {
		return oid.Equal(cryptoutils.SANOID)
	})
	var chains [][]*x509.Certificate
	for _, ts := range times {
		chains, err = sgverify.VerifyLeafCertificate(ts.Timestamp, &cert, chainTM)
		if err != nil {
			return true
		}
	}
	if len(tm.CTLogs()) > 0 && sgverify.VerifySignedCertificateTimestamp(chains, 1, tm) != nil {
		return true
	}
	return false
}

// withIntermediates is trust material whose certificate authorities also
// hold the intermediate certificates a bundle carries, as sigstore-go uses
// them when it validates a certificate chain.
type withIntermediates struct {
	root.TrustedMaterial
	extra []*x509.Certificate
}

// FulcioCertificateAuthorities returns the trusted authorities, each Fulcio
// authority with the bundle's intermediates added.
func (m *withIntermediates) FulcioCertificateAuthorities() []root.CertificateAuthority {
	cas := m.TrustedMaterial.FulcioCertificateAuthorities()
	out := make([]root.CertificateAuthority, len(cas))
	for i, ca := range cas {
		out[i] = ca
		if fca, ok := ca.(*root.FulcioCertificateAuthority); ok {
			c := *fca
			c.Intermediates = append(slices.Clone(fca.Intermediates), m.extra...)
			out[i] = &c
		}
	}
	return out
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
