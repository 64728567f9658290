package provenance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/dhisdk/dhisdk/attest/intoto"
)

// Provenance is SLSA provenance of any version in one normalized form: who
// built the artifact (Builder), how (BuildType, Parameters), from what source
// (Source) and from which inputs (Inputs, Images). Fields a version does not
// have are zero. Parts that only some builders write are typed in BuildKit and
// GitHub; everything else stays reachable in the raw Parameters, Environment
// and Predicate.
type Provenance struct {
	// PredicateType tells which version was read: PredicateTypeV01,
	// PredicateTypeV02 or PredicateTypeV1.
	PredicateType string `json:"predicateType"`
	// BuildType is the URI of the build's template, which defines the shape
	// of Parameters and Environment (v1 buildDefinition.buildType, v0.2
	// buildType, v0.1 recipe.type).
	BuildType string `json:"buildType"`
	// Builder is the platform that ran the build.
	Builder Builder `json:"builder"`
	// InvocationID identifies the build run (v1 runDetails.metadata.invocationId,
	// v0.2 and v0.1 metadata.buildInvocationId); empty when absent.
	InvocationID string `json:"invocationId"`
	// StartedOn is when the build started; zero when absent.
	StartedOn time.Time `json:"startedOn"`
	// FinishedOn is when the build finished; zero when absent.
	FinishedOn time.Time `json:"finishedOn"`
	// Parameters are the inputs the build was invoked with, raw JSON whose
	// shape BuildType defines: v1 buildDefinition.externalParameters, v0.2
	// invocation.parameters, v0.1 recipe.arguments. Nil when absent.
	Parameters json.RawMessage `json:"parameters"`
	// Environment holds what the builder recorded about its own
	// environment, raw JSON: v1 buildDefinition.internalParameters, v0.2
	// invocation.environment, v0.1 recipe.environment. Nil when absent.
	Environment json.RawMessage `json:"environment"`
	// Source is the repository and revision the build was configured from;
	// zero when the provenance names none.
	Source Source `json:"source"`
	// Inputs lists every artifact the build consumed, as written: v1
	// buildDefinition.resolvedDependencies, v0.2 and v0.1 materials. DHI
	// lists each package it installed here, e.g. a https://dhi.io/apk/...
	// URI with its sha256.
	Inputs []ResourceDescriptor `json:"inputs"`
	// Images lists the container images among Inputs (pkg:docker package
	// URLs), in the order of Inputs, with their role in the build when it
	// can be told.
	Images []Image `json:"images"`
	// Byproducts lists the v1 runDetails.byproducts.
	Byproducts []ResourceDescriptor `json:"byproducts"`
	// Completeness states which parts of the provenance the builder claims
	// to be complete; all false when it claims nothing.
	Completeness Completeness `json:"completeness"`
	// Reproducible reports the builder's claim that rerunning the build
	// gives the same result.
	Reproducible bool `json:"reproducible"`
	// BuildKit holds BuildKit's own fields; nil unless BuildType is
	// [BuildTypeBuildKit] or [BuildTypeBuildKitSLSA1].
	BuildKit *BuildKit `json:"buildkit"`
	// GitHub holds the GitHub Actions workflow details the builder recorded
	// (BuildKit on GitHub Actions, slsa-github-generator, GitHub's own
	// build type); nil when there are none.
	GitHub *GitHubWorkflow `json:"github"`
	// Predicate is the predicate exactly as read, for fields this type does
	// not model.
	Predicate json.RawMessage `json:"-"`
}

// Builder identifies the platform that ran a build.
type Builder struct {
	// ID is the builder's URI (v1 runDetails.builder.id, v0.2 and v0.1
	// builder.id). BuildKit sets it only when told to, so it may be empty.
	ID string `json:"id"`
	// Version maps builder components to their versions (v1 only).
	Version map[string]string `json:"version"`
	// Dependencies lists the builder's own dependencies (v1
	// runDetails.builder.builderDependencies).
	Dependencies []ResourceDescriptor `json:"dependencies"`
}

// ResourceDescriptor is an artifact named by provenance or a VSA: the in-toto
// v1 ResourceDescriptor, of which a v0.2 material uses URI and Digest only.
type ResourceDescriptor struct {
	// URI locates the artifact: a URL, or a package URL such as
	// pkg:docker/alpine@3.20?platform=linux%2Famd64.
	URI string `json:"uri,omitempty"`
	// Digest holds the artifact's digests.
	Digest intoto.DigestSet `json:"digest,omitempty"`
	// Name is a name for the artifact within its context (v1 only).
	Name string `json:"name,omitempty"`
	// DownloadLocation is where the artifact can be downloaded (v1 only).
	DownloadLocation string `json:"downloadLocation,omitempty"`
	// MediaType is the artifact's media type (v1 only).
	MediaType string `json:"mediaType,omitempty"`
	// Content is the artifact itself, when embedded (v1 only).
	Content []byte `json:"content,omitempty"`
	// Annotations is raw JSON of extra information (v1 only).
	Annotations json.RawMessage `json:"annotations,omitempty"`
}

// Completeness states which parts of a provenance its builder claims to be
// complete. v0.2 metadata.completeness maps directly; v0.1 arguments maps to
// Parameters; BuildKit's v1 buildkit_completeness maps request to Parameters
// and resolvedDependencies to Materials.
type Completeness struct {
	// Parameters is true when Parameters holds every external input.
	Parameters bool `json:"parameters"`
	// Environment is true when Environment is complete.
	Environment bool `json:"environment"`
	// Materials is true when Inputs lists every input.
	Materials bool `json:"materials"`
}

// predicateV1 is SLSA provenance v1 as written. Fields whose shape the build
// type defines stay raw, so that no builder's choice fails the decode.
type predicateV1 struct {
	BuildDefinition *struct {
		BuildType            string               `json:"buildType"`
		ExternalParameters   json.RawMessage      `json:"externalParameters"`
		InternalParameters   json.RawMessage      `json:"internalParameters"`
		ResolvedDependencies []ResourceDescriptor `json:"resolvedDependencies"`
	} `json:"buildDefinition"`
	RunDetails *struct {
		Builder struct {
			ID           string               `json:"id"`
			Version      map[string]string    `json:"version"`
			Dependencies []ResourceDescriptor `json:"builderDependencies"`
		} `json:"builder"`
		Metadata   *metadataV1          `json:"metadata"`
		Byproducts []ResourceDescriptor `json:"byproducts"`
	} `json:"runDetails"`
	// Fields of older versions, read only to name a mismatch.
	BuildType string          `json:"buildType"`
	Recipe    json.RawMessage `json:"recipe"`
}

// metadataV1 is v1 runDetails.metadata with BuildKit's extension fields, in
// both the current names and the names of earlier BuildKit releases.
type metadataV1 struct {
	InvocationID string `json:"invocationId"` // BuildKit writes invocationID; keys match case-insensitively
	StartedOn    string `json:"startedOn"`
	FinishedOn   string `json:"finishedOn"`

	BuildKitMetadata        json.RawMessage `json:"buildkit_metadata"`
	BuildKitHermetic        json.RawMessage `json:"buildkit_hermetic"`
	BuildKitCompleteness    json.RawMessage `json:"buildkit_completeness"`
	BuildKitReproducible    json.RawMessage `json:"buildkit_reproducible"`
	OldBuildKitMetadata     json.RawMessage `json:"https://mobyproject.org/buildkit@v1#metadata"`
	OldBuildKitHermetic     json.RawMessage `json:"https://mobyproject.org/buildkit@v1#hermetic"`
	OldBuildKitCompleteness json.RawMessage `json:"https://mobyproject.org/buildkit@v1#completeness"`
	OldBuildKitReproducible json.RawMessage `json:"https://mobyproject.org/buildkit@v1#reproducible"`
}

// predicateV02 is SLSA provenance v0.2 as written, with BuildKit's extension
// fields in metadata.
type predicateV02 struct {
	Builder struct {
		ID string `json:"id"`
	} `json:"builder"`
	BuildType  string `json:"buildType"`
	Invocation struct {
		ConfigSource struct {
			URI        string           `json:"uri"`
			Digest     intoto.DigestSet `json:"digest"`
			EntryPoint string           `json:"entryPoint"`
		} `json:"configSource"`
		Parameters  json.RawMessage `json:"parameters"`
		Environment json.RawMessage `json:"environment"`
	} `json:"invocation"`
	BuildConfig json.RawMessage `json:"buildConfig"`
	Metadata    *struct {
		BuildInvocationID string `json:"buildInvocationId"`
		BuildStartedOn    string `json:"buildStartedOn"`
		BuildFinishedOn   string `json:"buildFinishedOn"`
		Completeness      struct {
			Parameters  bool `json:"parameters"`
			Environment bool `json:"environment"`
			Materials   bool `json:"materials"`
		} `json:"completeness"`
		Reproducible     bool            `json:"reproducible"`
		BuildKitMetadata json.RawMessage `json:"https://mobyproject.org/buildkit@v1#metadata"`
		BuildKitHermetic json.RawMessage `json:"https://mobyproject.org/buildkit@v1#hermetic"`
	} `json:"metadata"`
	Materials []ResourceDescriptor `json:"materials"`
	// Fields of other versions, read only to name a mismatch.
	BuildDefinition json.RawMessage `json:"buildDefinition"`
	Recipe          json.RawMessage `json:"recipe"`
}

// predicateV01 is SLSA provenance v0.1 as written.
type predicateV01 struct {
	Builder struct {
		ID string `json:"id"`
	} `json:"builder"`
	Recipe *struct {
		Type              string          `json:"type"`
		DefinedInMaterial *int            `json:"definedInMaterial"`
		EntryPoint        string          `json:"entryPoint"`
		Arguments         json.RawMessage `json:"arguments"`
		Environment       json.RawMessage `json:"environment"`
	} `json:"recipe"`
	Metadata *struct {
		BuildInvocationID string `json:"buildInvocationId"`
		BuildStartedOn    string `json:"buildStartedOn"`
		BuildFinishedOn   string `json:"buildFinishedOn"`
		Completeness      struct {
			Arguments   bool `json:"arguments"`
			Environment bool `json:"environment"`
			Materials   bool `json:"materials"`
		} `json:"completeness"`
		Reproducible bool `json:"reproducible"`
	} `json:"metadata"`
	Materials []ResourceDescriptor `json:"materials"`
}

// parseProvenance decodes pred as the given provenance version.
func parseProvenance(predicateType string, pred []byte) (*Provenance, error) {
	var (
		p   *Provenance
		err error
	)
	switch predicateType {
	case PredicateTypeV1:
		p, err = parseV1(pred)
	case PredicateTypeV02:
		p, err = parseV02(pred)
	default:
		p, err = parseV01(pred)
	}
	if err != nil {
		return nil, err
	}
	p.PredicateType = predicateType
	p.Predicate = pred
	p.Images = images(p.Inputs, p.BuildKit)
	return p, nil
}

func parseV1(pred []byte) (*Provenance, error) {
	var raw predicateV1
	if err := json.Unmarshal(pred, &raw); err != nil {
		return nil, fmt.Errorf("%w: SLSA provenance v1: %v", ErrInvalid, err)
	}
	bd := raw.BuildDefinition
	if bd == nil {
		if raw.BuildType != "" || raw.Recipe != nil {
			return nil, fmt.Errorf("%w: predicate type is SLSA provenance v1 but the predicate has the fields of an earlier version", ErrInvalid)
		}
		return nil, fmt.Errorf("%w: SLSA provenance v1: no buildDefinition", ErrInvalid)
	}
	if bd.BuildType == "" {
		return nil, fmt.Errorf("%w: SLSA provenance v1: no buildDefinition.buildType", ErrInvalid)
	}
	p := &Provenance{
		BuildType:   bd.BuildType,
		Parameters:  nonNull(bd.ExternalParameters),
		Environment: nonNull(bd.InternalParameters),
		Inputs:      bd.ResolvedDependencies,
	}
	var md *metadataV1
	if rd := raw.RunDetails; rd != nil {
		p.Builder = Builder{ID: rd.Builder.ID, Version: rd.Builder.Version, Dependencies: rd.Builder.Dependencies}
		p.Byproducts = rd.Byproducts
		md = rd.Metadata
	}
	if md != nil {
		p.InvocationID = md.InvocationID
		var err error
		if p.StartedOn, err = parseTime("runDetails.metadata.startedOn", md.StartedOn); err != nil {
			return nil, err
		}
		if p.FinishedOn, err = parseTime("runDetails.metadata.finishedOn", md.FinishedOn); err != nil {
			return nil, err
		}
	}

	ext := decodeExternalV1(p.Parameters)
	internal := decodeObject(p.Environment)
	if isBuildKit(p.BuildType) {
		p.BuildKit = buildKitV1(ext, internal, md)
		p.Completeness = Completeness{
			Parameters: p.BuildKit.Completeness.Request,
			Materials:  p.BuildKit.Completeness.ResolvedDependencies,
		}
		p.Reproducible = p.BuildKit.Reproducible
	}
	p.GitHub = gitHubWorkflow(internal, ext.Workflow, p.InvocationID)

	var cand sourceCandidate
	switch {
	case ext.ConfigSource != nil && ext.ConfigSource.URI != "":
		cs := ext.ConfigSource
		cand = sourceCandidate{uri: cs.URI, digest: cs.Digest, entryPoint: firstNonEmpty(cs.Path, cs.EntryPoint)}
	case ext.Workflow != nil && ext.Workflow.Repository != "":
		w := ext.Workflow
		cand = sourceCandidate{uri: w.Repository, entryPoint: w.Path, ref: w.Ref}
	case ext.ConfigSource != nil:
		cand.entryPoint = firstNonEmpty(ext.ConfigSource.Path, ext.ConfigSource.EntryPoint)
	}
	p.Source = buildSource(cand, p.Inputs, p.BuildKit, p.GitHub)
	return p, nil
}

func parseV02(pred []byte) (*Provenance, error) {
	var raw predicateV02
	if err := json.Unmarshal(pred, &raw); err != nil {
		return nil, fmt.Errorf("%w: SLSA provenance v0.2: %v", ErrInvalid, err)
	}
	if raw.BuildType == "" {
		switch {
		case raw.BuildDefinition != nil:
			return nil, fmt.Errorf("%w: predicate type is SLSA provenance v0.2 but the predicate has the fields of v1", ErrInvalid)
		case raw.Recipe != nil:
			return nil, fmt.Errorf("%w: predicate type is SLSA provenance v0.2 but the predicate has the fields of v0.1", ErrInvalid)
		}
		return nil, fmt.Errorf("%w: SLSA provenance v0.2: no buildType", ErrInvalid)
	}
	inv := raw.Invocation
	p := &Provenance{
		BuildType:   raw.BuildType,
		Builder:     Builder{ID: raw.Builder.ID},
		Parameters:  nonNull(inv.Parameters),
		Environment: nonNull(inv.Environment),
		Inputs:      raw.Materials,
	}
	if md := raw.Metadata; md != nil {
		p.InvocationID = md.BuildInvocationID
		var err error
		if p.StartedOn, err = parseTime("metadata.buildStartedOn", md.BuildStartedOn); err != nil {
			return nil, err
		}
		if p.FinishedOn, err = parseTime("metadata.buildFinishedOn", md.BuildFinishedOn); err != nil {
			return nil, err
		}
		p.Completeness = Completeness(md.Completeness)
		p.Reproducible = md.Reproducible
	}
	env := decodeObject(p.Environment)
	if isBuildKit(p.BuildType) {
		p.BuildKit = buildKitV02(&raw, env)
	}
	p.GitHub = gitHubWorkflow(env, nil, p.InvocationID)
	cs := inv.ConfigSource
	p.Source = buildSource(sourceCandidate{uri: cs.URI, digest: cs.Digest, entryPoint: cs.EntryPoint}, p.Inputs, p.BuildKit, p.GitHub)
	return p, nil
}

func parseV01(pred []byte) (*Provenance, error) {
	var raw predicateV01
	if err := json.Unmarshal(pred, &raw); err != nil {
		return nil, fmt.Errorf("%w: SLSA provenance v0.1: %v", ErrInvalid, err)
	}
	if raw.Recipe == nil && raw.Builder.ID == "" {
		return nil, fmt.Errorf("%w: SLSA provenance v0.1: no recipe and no builder.id", ErrInvalid)
	}
	p := &Provenance{
		Builder: Builder{ID: raw.Builder.ID},
		Inputs:  raw.Materials,
	}
	var cand sourceCandidate
	if r := raw.Recipe; r != nil {
		p.BuildType = r.Type
		p.Parameters = nonNull(r.Arguments)
		p.Environment = nonNull(r.Environment)
		cand.entryPoint = r.EntryPoint
		if i := r.DefinedInMaterial; i != nil && *i >= 0 && *i < len(raw.Materials) {
			cand.uri = raw.Materials[*i].URI
			cand.digest = raw.Materials[*i].Digest
		}
	}
	if md := raw.Metadata; md != nil {
		p.InvocationID = md.BuildInvocationID
		var err error
		if p.StartedOn, err = parseTime("metadata.buildStartedOn", md.BuildStartedOn); err != nil {
			return nil, err
		}
		if p.FinishedOn, err = parseTime("metadata.buildFinishedOn", md.BuildFinishedOn); err != nil {
			return nil, err
		}
		c := md.Completeness
		p.Completeness = Completeness{Parameters: c.Arguments, Environment: c.Environment, Materials: c.Materials}
		p.Reproducible = md.Reproducible
	}
	p.GitHub = gitHubWorkflow(decodeObject(p.Environment), nil, p.InvocationID)
	p.Source = buildSource(cand, p.Inputs, nil, p.GitHub)
	return p, nil
}

// parseTime parses an RFC 3339 timestamp; an empty string is the zero time.
func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %s: %q is not an RFC 3339 time", ErrInvalid, field, s)
	}
	return t, nil
}

// nonNull returns nil for an absent or JSON null value, and m otherwise.
func nonNull(m json.RawMessage) json.RawMessage {
	if len(m) == 0 || bytes.Equal(m, []byte("null")) {
		return nil
	}
	return m
}

// decodeObject decodes a JSON object's members, or returns nil when m is not
// an object. Callers use it on fields whose shape the build type defines.
func decodeObject(m json.RawMessage) map[string]json.RawMessage {
	if len(m) == 0 || m[0] != '{' {
		return nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(m, &obj); err != nil {
		return nil
	}
	return obj
}

// decodeLenient decodes m into v when m has the expected shape, and reports
// whether it did. It is for fields whose shape a builder defines: a builder
// writing them differently must not fail the parse.
func decodeLenient(m json.RawMessage, v any) bool {
	if len(nonNull(m)) == 0 {
		return false
	}
	return json.Unmarshal(m, v) == nil
}

// externalV1 holds the externalParameters fields this package interprets:
// BuildKit's configSource and request (and the parameters and buildConfig of
// earlier BuildKit releases), and GitHub's workflow.
type externalV1 struct {
	ConfigSource *struct {
		URI        string           `json:"uri"`
		Digest     intoto.DigestSet `json:"digest"`
		Path       string           `json:"path"`
		EntryPoint string           `json:"entryPoint"`
	}
	Request     json.RawMessage
	Parameters  json.RawMessage
	BuildConfig json.RawMessage
	Workflow    *workflowV1
}

// workflowV1 is externalParameters.workflow of GitHub's build types.
type workflowV1 struct {
	Ref        string `json:"ref"`
	Repository string `json:"repository"`
	Path       string `json:"path"`
}

// decodeExternalV1 interprets externalParameters field by field, so that one
// field of an unexpected shape does not hide the others.
func decodeExternalV1(m json.RawMessage) externalV1 {
	var ext externalV1
	obj := decodeObject(m)
	if obj == nil {
		return ext
	}
	for k, v := range obj {
		switch k {
		case "configSource":
			if !decodeLenient(v, &ext.ConfigSource) {
				ext.ConfigSource = nil
			}
		case "request":
			ext.Request = v
		case "parameters":
			ext.Parameters = v
		case "buildConfig":
			ext.BuildConfig = v
		case "workflow":
			if !decodeLenient(v, &ext.Workflow) {
				ext.Workflow = nil
			}
		}
	}
	return ext
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
