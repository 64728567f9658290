package policy

import (
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/dhisdk/dhisdk/attest/intoto"
	"github.com/dhisdk/dhisdk/provenance"
)

// The values of a verification summary's verificationResult.
const (
	vsaPassed = "PASSED"
	vsaFailed = "FAILED"
)

// VSAOption configures [Evaluation.VSA].
type VSAOption func(*vsaOptions) error

type vsaOptions struct {
	policyURI string
	levels    []string
}

// WithPolicyURI sets the summary's policy.uri, where the policy set can be
// found. The default is "urn:dhisdk:policy-set:" followed by the policy
// digest.
func WithPolicyURI(uri string) VSAOption {
	return func(o *vsaOptions) error {
		if uri == "" {
			return errors.New("policy: WithPolicyURI: empty URI")
		}
		o.policyURI = uri
		return nil
	}
}

// WithVerifiedLevels sets the summary's verifiedLevels, such as
// "SLSA_BUILD_LEVEL_3", recorded when the evaluation passed (a FAILED
// summary records none). The default is none.
func WithVerifiedLevels(levels ...string) VSAOption {
	return func(o *vsaOptions) error {
		for _, l := range levels {
			if l == "" {
				return errors.New("policy: WithVerifiedLevels: empty level")
			}
		}
		o.levels = append(o.levels, levels...)
		return nil
	}
}

type resourceDescriptor struct {
	URI    string            `json:"uri"`
	Digest map[string]string `json:"digest,omitempty"`
}

type vsaPredicate struct {
	Verifier struct {
		ID string `json:"id"`
	} `json:"verifier"`
	TimeVerified       string               `json:"timeVerified"`
	ResourceURI        string               `json:"resourceUri"`
	Policy             resourceDescriptor   `json:"policy"`
	InputAttestations  []resourceDescriptor `json:"inputAttestations"`
	VerificationResult string               `json:"verificationResult"`
	VerifiedLevels     []string             `json:"verifiedLevels"`
}

type vsaStatement struct {
	Type          string           `json:"_type"`
	Subject       []intoto.Subject `json:"subject"`
	PredicateType string           `json:"predicateType"`
	Predicate     vsaPredicate     `json:"predicate"`
}

// VSA returns an in-toto statement (v1, JSON) carrying a [SLSA
// verification summary v1] of the evaluation, about the platform manifest
// (its subject is the platform manifest digest): verifier.id is verifierID,
// timeVerified the evaluation time, resourceUri the image with its digest
// ("repository@sha256:..."), policy the policy set's URI and digest
// ([Engine.Digest]), inputAttestations the attestation manifests the
// policies read (by "repository@sha256:..." and digest), and
// verificationResult PASSED when [Evaluation.Passed], else FAILED.
//
// Sign it with [attest.SignBundle] and attach it to the platform with
// [attest.Attach] (ev.Image names the platform manifest) or
// [attest.AttachLayout].
//
// [SLSA verification summary v1]: https://slsa.dev/spec/v1.0/verification_summary
func (e *Evaluation) VSA(verifierID string, opts ...VSAOption) ([]byte, error) {
	if verifierID == "" {
		return nil, errors.New("policy: VSA: empty verifier ID")
	}
	var o vsaOptions
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	if o.policyURI == "" {
		o.policyURI = "urn:dhisdk:policy-set:" + e.PolicyDigest
	}
	alg, hex, ok := strings.Cut(e.Digest, ":")
	if !ok {
		return nil, errors.New("policy: VSA: the evaluation has no platform digest")
	}
	repo, _, _ := strings.Cut(e.Image, "@")
	var p vsaPredicate
	p.Verifier.ID = verifierID
	p.TimeVerified = e.Time.UTC().Format(time.RFC3339Nano)
	p.ResourceURI = e.Image
	p.Policy = resourceDescriptor{URI: o.policyURI, Digest: digestMap(e.PolicyDigest)}
	p.InputAttestations = []resourceDescriptor{}
	for _, in := range e.Inputs {
		p.InputAttestations = append(p.InputAttestations, resourceDescriptor{URI: in.Image, Digest: digestMap(in.Digest)})
	}
	p.VerificationResult, p.VerifiedLevels = vsaFailed, []string{}
	if e.Passed() {
		p.VerificationResult = vsaPassed
		p.VerifiedLevels = append(p.VerifiedLevels, o.levels...)
	}
	st := vsaStatement{
		Type:          intoto.StatementTypeV1,
		Subject:       []intoto.Subject{{Name: repo, Digest: map[string]string{alg: hex}}},
		PredicateType: provenance.PredicateTypeVSAV1,
		Predicate:     p,
	}
	return json.Marshal(st)
}

// digestMap turns "alg:hex" into an in-toto digest set.
func digestMap(d string) map[string]string {
	alg, hex, ok := strings.Cut(d, ":")
	if !ok {
		return nil
	}
	return map[string]string{alg: hex}
}
