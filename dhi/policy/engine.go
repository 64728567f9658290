package policy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/dhisdk/dhisdk/dhi"
)

// Engine evaluates a set of policies on image platforms. It is built once
// with [New], which parses and compiles every policy, and is safe for
// concurrent use.
type Engine struct {
	policies []*Policy
	prepared map[*Policy]*rego.PreparedEvalQuery
	orphans  []Result
	digest   string
	opts     options
}

// New parses and compiles the policies of files with the built-ins of
// docker scout policy. A policy that does not parse or compile is kept,
// with its *Error in [Policy].Err, and fails every evaluation; so does a
// configuration entry that names no policy, and a second policy with the
// same name. New fails only when files is empty or an option is invalid.
func New(files []File, opts ...Option) (*Engine, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("%w: no file given", ErrNoPolicy)
	}
	o, err := makeOptions(opts...)
	if err != nil {
		return nil, err
	}
	e := &Engine{prepared: map[*Policy]*rego.PreparedEvalQuery{}, opts: o}
	e.digest = digestOf(files, o.config)
	names := map[string]bool{}
	for _, f := range files {
		p := parse(f)
		if p.Err == nil && names[p.Name] {
			p.Err = p.errorAt(ErrParse, nil, "another policy has the same custom.name")
		}
		names[p.Name] = true
		e.policies = append(e.policies, p)
		if p.Err != nil {
			continue
		}
		pq, err := prepare(p, o)
		if err != nil {
			p.Err = err
			continue
		}
		e.prepared[p] = pq
	}
	if o.config != nil {
		for _, c := range o.config.Policies {
			if !names[c.Name] {
				err := &Error{Policy: c.Name, Reason: "the configuration names a policy that does not exist", Err: ErrConfig}
				e.orphans = append(e.orphans, Result{Policy: c.Name, Status: StatusError, Err: err, Error: err.Error()})
			}
		}
	}
	return e, nil
}

// digestOf returns the sha256 of the policy set: each file's name and
// text, length-prefixed, in order, then the configuration as JSON.
func digestOf(files []File, c *Config) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%d:%s%d:", len(f.Name), f.Name, len(f.Text))
		h.Write(f.Text)
	}
	if c != nil {
		b, _ := json.Marshal(c) // a Config always marshals
		fmt.Fprintf(h, "config:%d:", len(b))
		h.Write(b)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// prepare compiles one policy with its data.config and the built-ins.
func prepare(p *Policy, o options) (*rego.PreparedEvalQuery, error) {
	data := map[string]any{"config": map[string]any{}}
	if pc, ok := o.config.entry(p.Name); ok && len(pc.Config) > 0 {
		var cfg any
		if err := json.Unmarshal(pc.Config, &cfg); err != nil {
			return nil, p.errorAt(ErrConfig, nil, "decoding its configuration: "+err.Error())
		}
		if cfg != nil {
			data["config"] = cfg
		}
	}
	args := []func(*rego.Rego){
		rego.Query(policyPackage),
		rego.ParsedModule(p.module),
		rego.Store(inmem.NewFromObject(data)),
		rego.SetRegoVersion(ast.RegoV1),
		rego.StrictBuiltinErrors(o.strict),
	}
	args = append(args, builtins()...)
	pq, err := rego.New(args...).PrepareForEval(context.Background())
	if err != nil {
		return nil, astError(p, ErrCompile, err)
	}
	return &pq, nil
}

// Policies returns the engine's policies, in the order of the files.
func (e *Engine) Policies() []*Policy { return append([]*Policy(nil), e.policies...) }

// Digest returns the digest of the policy set: "sha256:" and the hex
// sha256 of each file's name and text (length-prefixed, in order) followed
// by the configuration's JSON. A verification summary records it as its
// policy digest.
func (e *Engine) Digest() string { return e.digest }

// Evaluate evaluates every policy on platform p of an image opened with
// [dhi.Open], with the input and built-ins of docker scout policy:
//
//   - input.source.image: name, digest (the platform manifest digest) and
//     config (the image config as the registry serves it);
//   - oci.referrer(predicateType): null, or {"statement", "image"} for the
//     first attestation of that predicate type that verified under the
//     trust settings p was opened with (dhi.WithKeys and so on). Attestations
//     that did not verify (unsigned, signed by another key, about another
//     image, tampered) are never returned, even when the image was opened
//     with dhi.WithUnverifiedUnsafe;
//   - cosign.verify_images(images, opts): a map from each image to {} or
//     {"error": "..."}, answered by verifying the attestations that
//     discovery found for p with the key that opts.key_ref names
//     ([WithKey]); images that are not attestations of p get an error entry,
//     and nothing is fetched. ignore_tlog false requires a transparency-log
//     entry (and a trusted root, [WithVerifierOptions]); the statement's
//     subject is always checked against p, whatever check_claims says;
//     ignore_sct and experimental_oci11 change nothing;
//   - scout.parse_purl(purl): type, namespace, name, version, qualifiers
//     (an object) and subpath; undefined for a string that is not a purl;
//   - data.config: the policy's configuration ([WithConfig]).
//
// A policy passes when its pass rule is true and its violation set empty.
// Evaluate returns an error only when p is nil, its image config cannot be
// read, or ctx ends; a policy that cannot be evaluated gets StatusError.
//
// Callers must read the Evaluation's Results, not only [Evaluation.Passed],
// when it matters why a policy failed: a policy with StatusError was not
// evaluated at all.
func (e *Engine) Evaluate(ctx context.Context, p *dhi.Platform) (*Evaluation, error) {
	if p == nil || p.Image() == nil {
		return nil, errors.New("policy: Evaluate of a nil platform")
	}
	img := p.Image()
	cfg, err := p.Config(ctx)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	if !json.Valid(cfg) {
		return nil, fmt.Errorf("policy: the %s image config is not JSON", p)
	}
	now := e.opts.now().UTC()
	digest := p.Descriptor.Digest.String()
	ev := &Evaluation{
		Image:        img.Repository + "@" + digest,
		Platform:     p.String(),
		Digest:       digest,
		Time:         now,
		PolicyDigest: e.digest,
		Results:      []Result{},
		Inputs:       []Input{},
	}
	input, err := inputValue(e.imageName(img), digest, cfg)
	if err != nil {
		return nil, fmt.Errorf("policy: building the input of %s: %w", p, err)
	}
	st := newState(p, e.opts)
	for _, pol := range e.policies {
		r := e.evalOne(ctx, st, pol, input, now)
		if ctx.Err() != nil {
			return nil, fmt.Errorf("policy: evaluating %s: %w", pol.Name, ctx.Err())
		}
		ev.Results = append(ev.Results, r)
	}
	ev.Results = append(ev.Results, e.orphans...)
	ev.Inputs = st.inputs()
	return ev, nil
}

// evalOne evaluates one policy.
func (e *Engine) evalOne(ctx context.Context, st *state, pol *Policy, input ast.Value, now time.Time) Result {
	r := Result{Policy: pol.Name, Title: pol.Title, File: pol.File, ResultType: pol.ResultType, NotCompliantTitle: pol.NotCompliantTitle}
	pc, ok := e.opts.config.entry(pol.Name)
	switch {
	case pol.Err != nil:
		r.Status, r.Err = StatusError, pol.Err
	case ok && pc.Enabled != nil && !*pc.Enabled:
		r.Status = StatusSkipped
	default:
		st.begin()
		rs, err := e.prepared[pol].Eval(withState(ctx, st), rego.EvalParsedInput(input), rego.EvalTime(now))
		var unknownKey bool
		r.Inputs, unknownKey = st.end()
		if err != nil {
			sentinel := ErrEvaluation
			if unknownKey {
				sentinel = ErrUnknownKey
			}
			r.Status, r.Err = StatusError, astError(pol, sentinel, err)
		} else {
			r.Status, r.Violations, r.Err = outcome(pol, rs)
		}
	}
	if r.Err != nil {
		r.Error = r.Err.Error()
	}
	return r
}

// imageName returns input.source.image.name for img.
func (e *Engine) imageName(img *dhi.Image) string {
	if e.opts.imageName != "" {
		return e.opts.imageName
	}
	if r, err := name.NewRepository(img.Repository); err == nil {
		return r.RepositoryStr()
	}
	return img.Repository
}

// inputValue builds input.source.image.
func inputValue(imageName, digest string, config []byte) (ast.Value, error) {
	cfg, err := ast.ValueFromReader(bytesReader(config))
	if err != nil {
		return nil, err
	}
	image := ast.NewObject(
		ast.Item(ast.StringTerm("name"), ast.StringTerm(imageName)),
		ast.Item(ast.StringTerm("digest"), ast.StringTerm(digest)),
		ast.Item(ast.StringTerm("config"), ast.NewTerm(cfg)),
	)
	return ast.NewObject(ast.Item(ast.StringTerm("source"),
		ast.NewTerm(ast.NewObject(ast.Item(ast.StringTerm("image"), ast.NewTerm(image)))))), nil
}

// outcome reads the pass and violation rules of a policy's package.
func outcome(p *Policy, rs rego.ResultSet) (Status, []Violation, error) {
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return StatusError, nil, p.errorAt(ErrResult, nil, "the package docker.scout is undefined")
	}
	pkg, ok := rs[0].Expressions[0].Value.(map[string]any)
	if !ok {
		return StatusError, nil, p.errorAt(ErrResult, nil, "the package docker.scout is not an object")
	}
	passV, ok := pkg["pass"]
	if !ok {
		return StatusError, nil, p.errorAt(ErrResult, nil, "no pass rule (or it is undefined; add default pass := false)")
	}
	pass, ok := passV.(bool)
	if !ok {
		return StatusError, nil, p.errorAt(ErrResult, nil, fmt.Sprintf("pass is %T, not a boolean", passV))
	}
	var violations []Violation
	if raw, ok := pkg["violation"]; ok {
		list, ok := raw.([]any)
		if !ok {
			return StatusError, nil, p.errorAt(ErrResult, nil, "violation is not a set")
		}
		for _, v := range list {
			obj, ok := v.(map[string]any)
			if !ok {
				return StatusError, nil, p.errorAt(ErrResult, nil, "a violation is not an object")
			}
			msg, ok := obj["message"].(string)
			if !ok {
				return StatusError, nil, p.errorAt(ErrResult, nil, "a violation has no message string")
			}
			viol := Violation{Message: msg}
			if d, ok := obj["detail"].(map[string]any); ok {
				viol.Detail = orderedDetail(d, p.DetailsOrder)
			}
			violations = append(violations, viol)
		}
	}
	sortViolations(violations)
	if pass && len(violations) == 0 {
		return StatusPass, nil, nil
	}
	return StatusFail, violations, nil
}

// orderedDetail returns d's keys in order, then the others by name.
func orderedDetail(d map[string]any, order []string) []Field {
	var out []Field
	done := map[string]bool{}
	add := func(k string) {
		v, ok := d[k]
		if !ok || done[k] {
			return
		}
		done[k] = true
		s, isString := v.(string)
		if !isString {
			b, err := json.Marshal(v)
			if err != nil {
				s = fmt.Sprint(v)
			} else {
				s = string(b)
			}
		}
		out = append(out, Field{Name: k, Value: s})
	}
	for _, k := range order {
		add(k)
	}
	for _, k := range sortedKeys(d) {
		add(k)
	}
	return out
}
