package attest

import (
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Mechanism names the way an attestation or signature was found.
type Mechanism string

// The discovery mechanisms.
const (
	// MechanismReferrersAPI is the OCI 1.1 referrers API
	// (GET /v2/<name>/referrers/<digest>).
	MechanismReferrersAPI Mechanism = "referrers-api"
	// MechanismReferrersTag is the OCI 1.1 referrers tag schema: an image
	// index tagged <alg>-<hex>, kept by clients where the API is missing.
	MechanismReferrersTag Mechanism = "referrers-tag"
	// MechanismLayoutSubject is a manifest with a subject field listed in an
	// OCI image layout's index.json (layouts have no referrers API).
	MechanismLayoutSubject Mechanism = "layout-subject"
	// MechanismBuildxIndex is a BuildKit attestation manifest inside the
	// image index (annotation vnd.docker.reference.type=attestation-manifest).
	MechanismBuildxIndex Mechanism = "buildx-index"
	// MechanismCosignAttTag is cosign's legacy sha256-<hex>.att tag.
	MechanismCosignAttTag Mechanism = "cosign-att-tag"
	// MechanismCosignSigTag is cosign's legacy sha256-<hex>.sig tag.
	MechanismCosignSigTag Mechanism = "cosign-sig-tag"
)

// Mechanisms returns every Mechanism, in a fixed order.
func Mechanisms() []Mechanism {
	return []Mechanism{MechanismReferrersAPI, MechanismReferrersTag, MechanismLayoutSubject,
		MechanismBuildxIndex, MechanismCosignAttTag, MechanismCosignSigTag}
}

// Valid reports whether m is one of the defined mechanisms.
func (m Mechanism) Valid() bool {
	for _, k := range Mechanisms() {
		if m == k {
			return true
		}
	}
	return false
}

// Location says where one copy of an artifact was found.
type Location struct {
	// Repository is the repository ("registry/path") or, for OCI layouts and
	// archives, the path of the layout or archive.
	Repository string `json:"repository"`
	// Mechanism is how the artifact was found there.
	Mechanism Mechanism `json:"mechanism"`
}

// Discovery is everything attached to one image that discovery found.
type Discovery struct {
	// Reference is the reference discovery started from, as given.
	Reference string
	// Repository is the repository (or layout path) the image was read from.
	Repository string
	// Root is the descriptor the reference resolved to: an image index or
	// an image manifest.
	Root v1.Descriptor
	// Platforms are the platform manifests whose attestations were sought,
	// in index order, with their Platform set when the index names one.
	// For a single-manifest image it holds Root.
	Platforms []v1.Descriptor
	// Attestations are the attestations found, de-duplicated, sorted by
	// target (Root first, then Platforms in order), predicate type,
	// manifest digest and layer position.
	Attestations []*Attestation
	// Signatures are the signatures attached to Root or a platform manifest
	// (image signatures, not signatures of attestations), sorted like
	// Attestations.
	Signatures []*Signature
	// Other lists referrers that are neither attestations nor signatures
	// (for example an SBOM attached as a plain artifact), so that nothing
	// found is silently dropped.
	Other []*Referrer
	// Lookups records, for Root and each platform manifest in each
	// repository searched, every mechanism tried and what it answered, so
	// that a registry without the referrers API, or one answering it with
	// something else than an index, is visible. Sorted like Attestations,
	// then by repository and mechanism.
	Lookups []Lookup
}

// Outcome is what a discovery mechanism answered for one subject.
type Outcome string

// The outcomes of a lookup.
const (
	// OutcomeFound: the mechanism answered and listed referrers.
	OutcomeFound Outcome = "found"
	// OutcomeNone: the mechanism answered and listed nothing (an empty
	// referrers list, or no such tag).
	OutcomeNone Outcome = "none"
	// OutcomeUnavailable: the registry does not offer the mechanism (the
	// referrers API answered 404, 400, 405 or 406), so the referrers tag
	// schema was used instead.
	OutcomeUnavailable Outcome = "unavailable"
	// OutcomeFailed: the mechanism failed or answered with something it
	// should not (a referrers answer that is not an image index, a listing
	// over a bound); Err says what. Where the referrers API failed, the
	// referrers tag schema was tried too.
	OutcomeFailed Outcome = "failed"
)

// Outcomes returns every Outcome, in a fixed order.
func Outcomes() []Outcome {
	return []Outcome{OutcomeFound, OutcomeNone, OutcomeUnavailable, OutcomeFailed}
}

// Valid reports whether o is one of the defined outcomes.
func (o Outcome) Valid() bool {
	for _, x := range Outcomes() {
		if o == x {
			return true
		}
	}
	return false
}

// Lookup records one mechanism tried for one subject in one repository.
type Lookup struct {
	// Subject is the digest whose referrers were sought.
	Subject v1.Hash
	// Repository is where they were sought.
	Repository string
	// Mechanism is the mechanism tried.
	Mechanism Mechanism
	// Outcome is what it answered.
	Outcome Outcome
	// Found is the number of manifests it listed.
	Found int
	// Answer is the registry's answer when the mechanism is unavailable or
	// answered wrongly, such as "404 Not Found"; empty otherwise.
	Answer string
	// Err is why the lookup failed, for OutcomeFailed.
	Err error
}

// Referrer is an artifact that refers to an image manifest but that
// discovery does not interpret.
type Referrer struct {
	// Target is the manifest the referrer refers to.
	Target v1.Descriptor
	// Locations says where it was found; the first is where it was read.
	Locations []Location
	// Manifest is the referrer's manifest descriptor.
	Manifest v1.Descriptor
	// ArtifactType is the artifact type: the manifest's artifactType, else
	// its config media type.
	ArtifactType string
}

// Attestation is one attestation of an image: one layer of an attestation
// manifest, decoded but not verified.
type Attestation struct {
	// Target is the descriptor of the manifest the attestation was found
	// for: a platform manifest (with Platform set when known) or the root.
	// Its statement must name Target's digest as a subject to be about it;
	// verification checks that.
	Target v1.Descriptor
	// Locations says where the attestation manifest was found; the first is
	// where it was read. The same manifest found several ways is listed once.
	Locations []Location
	// Manifest is the descriptor of the attestation manifest, with the
	// digest of the bytes read (checked against the reference that named it).
	Manifest v1.Descriptor
	// RawManifest is the attestation manifest exactly as read.
	RawManifest []byte
	// LayerIndex is the position of the attestation's layer in the manifest.
	LayerIndex int
	// Layer is the descriptor of the layer holding the attestation, as the
	// manifest lists it; its digest was checked while reading.
	Layer v1.Descriptor
	// PredicateType is the statement's predicate type once read, else the
	// in-toto.io/predicate-type annotation (or, for cosign bundles, the
	// dev.sigstore.bundle.predicateType annotation).
	PredicateType string
	// Content is the decoded layer; nil when it was not read (filtered out
	// by predicate type, or an error occurred: see Err).
	Content *Content
	// Signatures are the signatures attached to the attestation manifest
	// (cosign simple-signing referrers and .sig tags, sigstore bundles).
	// Signatures inside Content (DSSE, bundles) are not listed here.
	Signatures []*Signature
	// Err is set when the attestation could not be read or decoded; the
	// same error is part of the error Discover returns.
	Err error
}

// SignatureKind is the form of a signature stored beside an attestation or
// image manifest.
type SignatureKind string

// The forms of detached signatures.
const (
	// SignatureSimpleSigning is a cosign "simple signing" signature: a
	// payload naming the signed manifest digest, signed with the value in the
	// layer's dev.cosignproject.cosign/signature annotation.
	SignatureSimpleSigning SignatureKind = "cosign-simple-signing"
	// SignatureBundle is a sigstore bundle whose subject is the signed
	// manifest (cosign v3 stores signatures this way).
	SignatureBundle SignatureKind = "sigstore-bundle"
)

// Signature is a detached signature over a manifest, read but not verified.
type Signature struct {
	// Kind is the signature's form.
	Kind SignatureKind
	// Target is the descriptor of the signed manifest.
	Target v1.Descriptor
	// Locations says where the signature manifest was found; the first is
	// where it was read.
	Locations []Location
	// Manifest is the descriptor of the signature manifest.
	Manifest v1.Descriptor
	// LayerIndex is the position of the signature's layer in the manifest
	// (a legacy .sig image holds one layer per signature).
	LayerIndex int
	// Layer is the layer descriptor, with its annotations.
	Layer v1.Descriptor
	// Payload is the layer's content: for SignatureSimpleSigning the signed
	// simple-signing JSON, for SignatureBundle the bundle JSON.
	Payload []byte
	// Value is the signature decoded from the
	// dev.cosignproject.cosign/signature annotation (SignatureSimpleSigning).
	Value []byte
	// Certificate and Chain are the PEM certificate and chain of keyless
	// simple-signing signatures (dev.sigstore.cosign/certificate and
	// dev.sigstore.cosign/chain annotations); nil for keyed ones.
	Certificate, Chain []byte
	// RekorBundle is the JSON of the dev.sigstore.cosign/bundle annotation: a
	// transparency-log entry's signed entry timestamp; nil when absent.
	RekorBundle []byte
	// RFC3161Timestamp is the JSON of the
	// dev.sigstore.cosign/rfc3161timestamp annotation; nil when absent.
	RFC3161Timestamp []byte
	// Bundle is the decoded bundle, for SignatureBundle.
	Bundle *Content
	// Err is set when the signature could not be read or decoded; the same
	// error is part of the error Discover returns.
	Err error
}

// Mechanism returns the mechanism through which the attestation was read:
// that of its first location.
func (a *Attestation) Mechanism() Mechanism {
	if len(a.Locations) == 0 {
		return ""
	}
	return a.Locations[0].Mechanism
}
