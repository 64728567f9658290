package policy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"
	"github.com/package-url/packageurl-go"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi"
)

// The built-in functions docker scout policy adds to OPA's.
const (
	builtinReferrer     = "oci.referrer"
	builtinVerifyImages = "cosign.verify_images"
	builtinParsePURL    = "scout.parse_purl"
)

// stringMap is the type of a JSON object with string keys.
var stringMap = types.NewObject(nil, types.NewDynamicProperty(types.S, types.A))

// builtins returns the rego options that declare and implement the
// built-ins. Their implementations find the evaluation's state in the
// context.
func builtins() []func(*rego.Rego) {
	return []func(*rego.Rego){
		rego.Function1(&rego.Function{
			Name:    builtinReferrer,
			Decl:    types.NewFunction(types.Args(types.Named("predicate_type", types.S)), types.A),
			Memoize: true,
		}, referrer),
		rego.Function2(&rego.Function{
			Name: builtinVerifyImages,
			Decl: types.NewFunction(types.Args(
				types.Named("images", types.NewAny(types.NewArray(nil, types.S), types.NewSet(types.S))),
				types.Named("opts", stringMap),
			), stringMap),
			Memoize: true,
		}, verifyImages),
		rego.Function1(&rego.Function{
			Name:    builtinParsePURL,
			Decl:    types.NewFunction(types.Args(types.Named("purl", types.S)), stringMap),
			Memoize: true,
		}, parsePURL),
	}
}

type stateKey struct{}

// state is what the built-ins of one Evaluate call share: the platform,
// the statements already converted, what each policy read.
type state struct {
	p    *dhi.Platform
	opts options

	mu        sync.Mutex
	terms     map[*dhi.Attestation]*ast.Term
	all       map[string]Input
	cur       map[string]bool
	verifiers map[string]verifierOrErr
	// unknownKey is set when the current policy named a key_ref that was
	// not supplied.
	unknownKey bool
}

type verifierOrErr struct {
	v   *attest.Verifier
	err error
}

func newState(p *dhi.Platform, o options) *state {
	return &state{p: p, opts: o, terms: map[*dhi.Attestation]*ast.Term{}, all: map[string]Input{}, verifiers: map[string]verifierOrErr{}}
}

func withState(ctx context.Context, s *state) context.Context {
	return context.WithValue(ctx, stateKey{}, s)
}

func stateOf(bctx rego.BuiltinContext) (*state, error) {
	if bctx.Context != nil {
		if s, ok := bctx.Context.Value(stateKey{}).(*state); ok {
			return s, nil
		}
	}
	return nil, rego.NewHaltError(errors.New("called outside an evaluation of an image"))
}

// begin starts recording what one policy reads.
func (s *state) begin() {
	s.mu.Lock()
	s.cur = map[string]bool{}
	s.unknownKey = false
	s.mu.Unlock()
}

// end returns the manifest digests the policy read, sorted, and whether it
// named a key_ref that was not supplied.
func (s *state) end() ([]string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := sortedKeys(s.cur)
	s.cur = nil
	return out, s.unknownKey
}

// read records that the current policy read a.
func (s *state) read(a *dhi.Attestation, image string, verified bool) {
	d := a.Discovered.Manifest.Digest.String()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil {
		s.cur[d] = true
	}
	in := s.all[d]
	in.Image, in.Digest, in.PredicateType = image, d, a.PredicateType
	in.Verified = in.Verified || verified
	s.all[d] = in
}

// inputs returns every attestation read, sorted by digest.
func (s *state) inputs() []Input {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Input, 0, len(s.all))
	for _, k := range sortedKeys(s.all) {
		out = append(out, s.all[k])
	}
	return out
}

// imageRef names an attestation manifest as oci.referrer does.
func imageRef(a *dhi.Attestation, fallbackRepo string) string {
	repo := fallbackRepo
	if len(a.Discovered.Locations) > 0 && a.Discovered.Locations[0].Repository != "" {
		repo = a.Discovered.Locations[0].Repository
	}
	return repo + "@" + a.Discovered.Manifest.Digest.String()
}

// referrer implements oci.referrer: the first attestation of the predicate
// type that verified, or null.
func referrer(bctx rego.BuiltinContext, op *ast.Term) (*ast.Term, error) {
	s, err := stateOf(bctx)
	if err != nil {
		return nil, err
	}
	pt, ok := op.Value.(ast.String)
	if !ok {
		return nil, rego.NewHaltError(fmt.Errorf("predicate type must be a string, not %s", ast.ValueName(op.Value)))
	}
	for _, a := range s.p.Attestations {
		if !a.Verified || a.PredicateType != string(pt) || a.Statement() == nil || a.Discovered == nil {
			continue
		}
		stmt, err := s.statementTerm(a)
		if err != nil {
			return nil, rego.NewHaltError(err)
		}
		image := imageRef(a, s.p.Image().Repository)
		s.read(a, image, true)
		return ast.ObjectTerm(
			ast.Item(ast.StringTerm("statement"), stmt),
			ast.Item(ast.StringTerm("image"), ast.StringTerm(image)),
		), nil
	}
	return ast.NullTerm(), nil
}

// statementTerm converts a's verified statement to a Rego value, once per
// evaluation.
func (s *state) statementTerm(a *dhi.Attestation) (*ast.Term, error) {
	s.mu.Lock()
	t, ok := s.terms[a]
	s.mu.Unlock()
	if ok {
		return t, nil
	}
	b, err := json.Marshal(a.Statement())
	if err != nil {
		return nil, fmt.Errorf("encoding the statement of %s: %v", a.Discovered.Manifest.Digest, err)
	}
	v, err := ast.ValueFromReader(bytesReader(b))
	if err != nil {
		return nil, fmt.Errorf("converting the statement of %s: %v", a.Discovered.Manifest.Digest, err)
	}
	t = ast.NewTerm(v)
	s.mu.Lock()
	s.terms[a] = t
	s.mu.Unlock()
	return t, nil
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// unknownKeyError is a key_ref the caller did not supply.
type unknownKeyError struct{ ref string }

func (e *unknownKeyError) Error() string {
	return fmt.Sprintf("key_ref %q names no key supplied to the policy engine (policy.WithKey)", e.ref)
}

// verifyOptions are the options of cosign.verify_images.
type verifyOptions struct {
	keyRef     string
	ignoreTlog bool
}

func parseVerifyOptions(obj ast.Object) (verifyOptions, error) {
	o := verifyOptions{}
	var err error
	obj.Foreach(func(k, v *ast.Term) {
		if err != nil {
			return
		}
		key, ok := k.Value.(ast.String)
		if !ok {
			err = fmt.Errorf("option keys must be strings, not %s", ast.ValueName(k.Value))
			return
		}
		switch string(key) {
		case "key_ref":
			s, ok := v.Value.(ast.String)
			if !ok {
				err = fmt.Errorf("key_ref must be a string, not %s", ast.ValueName(v.Value))
				return
			}
			o.keyRef = string(s)
		case "ignore_tlog", "ignore_sct", "check_claims", "experimental_oci11":
			b, ok := v.Value.(ast.Boolean)
			if !ok {
				err = fmt.Errorf("%s must be a boolean, not %s", string(key), ast.ValueName(v.Value))
				return
			}
			if string(key) == "ignore_tlog" {
				o.ignoreTlog = bool(b)
			}
		default:
			err = fmt.Errorf("unknown option %q (known: key_ref, ignore_tlog, ignore_sct, check_claims, experimental_oci11)", string(key))
		}
	})
	if err == nil && o.keyRef == "" {
		err = errors.New("key_ref is required (keyless verification is not supported)")
	}
	return o, err
}

// verifier returns the verifier for the options, built once.
func (s *state) verifier(o verifyOptions) (*attest.Verifier, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key, ok := s.opts.keys[o.keyRef]
	if !ok {
		s.unknownKey = true
		return nil, rego.NewHaltError(&unknownKeyError{ref: o.keyRef})
	}
	id := fmt.Sprintf("%s\x00%t", o.keyRef, o.ignoreTlog)
	if c, ok := s.verifiers[id]; ok {
		return c.v, c.err
	}
	var v *attest.Verifier
	kr, err := attest.NewKeyring(key)
	if err == nil {
		vopts := slices.Clone(s.opts.verifier)
		if !o.ignoreTlog {
			vopts = append(vopts, attest.WithTransparencyLog())
		}
		v, err = attest.NewVerifier(kr, vopts...)
	}
	s.verifiers[id] = verifierOrErr{v, err}
	return v, err
}

// verifyImages implements cosign.verify_images over the attestations that
// discovery found for the platform.
func verifyImages(bctx rego.BuiltinContext, imagesT, optsT *ast.Term) (*ast.Term, error) {
	s, err := stateOf(bctx)
	if err != nil {
		return nil, err
	}
	var images []string
	collect := func(t *ast.Term) error {
		str, ok := t.Value.(ast.String)
		if !ok {
			return fmt.Errorf("images must be strings, not %s", ast.ValueName(t.Value))
		}
		images = append(images, string(str))
		return nil
	}
	switch v := imagesT.Value.(type) {
	case *ast.Array:
		err = v.Iter(collect)
	case ast.Set:
		err = v.Iter(collect)
	default:
		err = fmt.Errorf("images must be an array of strings, not %s", ast.ValueName(imagesT.Value))
	}
	if err != nil {
		return nil, rego.NewHaltError(err)
	}
	optsObj, ok := optsT.Value.(ast.Object)
	if !ok {
		return nil, rego.NewHaltError(fmt.Errorf("opts must be an object, not %s", ast.ValueName(optsT.Value)))
	}
	o, err := parseVerifyOptions(optsObj)
	if err != nil {
		return nil, rego.NewHaltError(err)
	}
	v, verr := s.verifier(o)
	var halt *rego.HaltError
	if errors.As(verr, &halt) {
		return nil, verr
	}
	out := ast.NewObject()
	for _, image := range images {
		var msg string
		if verr != nil {
			msg = "building the verifier: " + verr.Error()
		} else {
			msg = s.verifyImage(v, image)
		}
		res := ast.NewObject()
		if msg != "" {
			res.Insert(ast.StringTerm("error"), ast.StringTerm(msg))
		}
		out.Insert(ast.StringTerm(image), ast.NewTerm(res))
	}
	return ast.NewTerm(out), nil
}

// verifyImage verifies every attestation of the platform stored in the
// attestation manifest image names; it returns "" when all verified, else
// why not.
func (s *state) verifyImage(v *attest.Verifier, image string) string {
	repo, digest, ok := strings.Cut(image, "@")
	if !ok || !strings.HasPrefix(digest, "sha256:") {
		return fmt.Sprintf("%q is not a reference by digest (repository@sha256:...)", image)
	}
	var found []*dhi.Attestation
	for _, a := range s.p.Attestations {
		if a.Discovered == nil || a.Discovered.Manifest.Digest.String() != digest {
			continue
		}
		for _, l := range a.Discovered.Locations {
			if l.Repository == repo {
				found = append(found, a)
				break
			}
		}
	}
	if len(found) == 0 {
		return fmt.Sprintf("%s is not an attestation found for %s@%s; only those are verified", image, s.p.Image().Repository, s.p.Descriptor.Digest)
	}
	for _, a := range found {
		_, err := v.Verify(a.Discovered)
		s.read(a, image, err == nil)
		if err != nil {
			return err.Error()
		}
	}
	return ""
}

// parsePURL implements scout.parse_purl.
func parsePURL(_ rego.BuiltinContext, op *ast.Term) (*ast.Term, error) {
	str, ok := op.Value.(ast.String)
	if !ok {
		return nil, rego.NewHaltError(fmt.Errorf("purl must be a string, not %s", ast.ValueName(op.Value)))
	}
	u, err := packageurl.FromString(string(str))
	if err != nil {
		// Not a purl: the call is undefined, as OPA's own parsers are.
		return nil, fmt.Errorf("parsing %q: %v", string(str), err)
	}
	q := ast.NewObject()
	for _, kv := range u.Qualifiers {
		q.Insert(ast.StringTerm(kv.Key), ast.StringTerm(kv.Value))
	}
	return ast.ObjectTerm(
		ast.Item(ast.StringTerm("type"), ast.StringTerm(u.Type)),
		ast.Item(ast.StringTerm("namespace"), ast.StringTerm(u.Namespace)),
		ast.Item(ast.StringTerm("name"), ast.StringTerm(u.Name)),
		ast.Item(ast.StringTerm("version"), ast.StringTerm(u.Version)),
		ast.Item(ast.StringTerm("qualifiers"), ast.NewTerm(q)),
		ast.Item(ast.StringTerm("subpath"), ast.StringTerm(u.Subpath)),
	), nil
}
