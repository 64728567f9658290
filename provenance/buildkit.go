package provenance

import (
	"encoding/json"
)

// BuildKit's build types.
const (
	// BuildTypeBuildKit is the build type of BuildKit's SLSA v0.2
	// provenance (and of the v1 provenance of earlier BuildKit releases).
	BuildTypeBuildKit = "https://mobyproject.org/buildkit@v1"
	// BuildTypeBuildKitSLSA1 is the build type of BuildKit's SLSA v1
	// provenance.
	BuildTypeBuildKitSLSA1 = "https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md"
)

func isBuildKit(buildType string) bool {
	return buildType == BuildTypeBuildKit || buildType == BuildTypeBuildKitSLSA1
}

// BuildKit holds the fields BuildKit adds to its provenance, from wherever the
// version puts them. Fields BuildKit wrote in an unexpected shape are left
// zero; Provenance.Parameters, Environment and Predicate still hold them.
type BuildKit struct {
	// Frontend is the frontend that ran the build: "dockerfile.v0", or
	// "gateway.v0" for a frontend image (see Args["source"]).
	Frontend string `json:"frontend"`
	// Args are the frontend options as BuildKit received them:
	// "build-arg:NAME", "label:NAME", "target", "source" (the gateway
	// frontend image), ...
	Args map[string]string `json:"args"`
	// Secrets lists the secrets mounted into the build (mode=max only);
	// values are never recorded.
	Secrets []BuildKitSecret `json:"secrets"`
	// SSH lists the SSH agent sockets forwarded into the build (mode=max
	// only).
	SSH []BuildKitSecret `json:"ssh"`
	// Locals names the local sources of the build, such as "context" and
	// "dockerfile".
	Locals []string `json:"locals"`
	// BuilderPlatform is the platform of the build machine, such as
	// "linux/amd64" (v1 internalParameters.builderPlatform, v0.2
	// invocation.environment.platform). It is not the platform of the
	// result.
	BuilderPlatform string `json:"builderPlatform"`
	// Config is the build definition, nil unless the provenance was made
	// with mode=max.
	Config *BuildConfig `json:"config"`
	// Metadata is BuildKit's metadata extension; nil when absent.
	Metadata *BuildKitMetadata `json:"metadata"`
	// Completeness is BuildKit's completeness claim (v1
	// buildkit_completeness; for v0.2, metadata.completeness parameters and
	// materials).
	Completeness BuildKitCompleteness `json:"completeness"`
	// Hermetic reports BuildKit's claim that the build had no network
	// access.
	Hermetic bool `json:"hermetic"`
	// Reproducible reports the reproducible=true attestation option.
	Reproducible bool `json:"reproducible"`
}

// BuildKitSecret names a secret or SSH socket of a BuildKit build.
type BuildKitSecret struct {
	// ID is the secret's identifier.
	ID string `json:"id"`
	// Optional reports that the build runs without it.
	Optional bool `json:"optional"`
}

// BuildConfig is BuildKit's build definition (buildConfig, mode=max only): the
// steps of the LLB graph that ran.
type BuildConfig struct {
	// Definition lists the LLB steps.
	Definition []BuildStep `json:"llbDefinition"`
	// DigestMapping maps LLB vertex digests to step IDs.
	DigestMapping map[string]string `json:"digestMapping"`
}

// BuildStep is one step of a BuildKit build definition.
type BuildStep struct {
	// ID names the step, such as "step0".
	ID string `json:"id"`
	// Op is the LLB operation as JSON (see BuildKit's solver/pb ops.proto).
	Op json.RawMessage `json:"op"`
	// Inputs names the outputs of other steps this one reads, as
	// "step<N>:<output>".
	Inputs []string `json:"inputs"`
	// ResourceUsage is raw JSON of the resources the step used, when
	// recorded.
	ResourceUsage json.RawMessage `json:"resourceUsage,omitempty"`
}

// SourceIdentifier returns the identifier of the step's source operation,
// such as "docker-image://docker.io/library/alpine:3.20@sha256:..." or
// "git://github.com/org/repo.git#<commit>", or "" when the step is not a
// source.
func (s BuildStep) SourceIdentifier() string {
	var op struct {
		Op struct {
			Source *struct {
				Identifier string `json:"identifier"`
			} `json:"source"`
		} `json:"Op"`
	}
	if !decodeLenient(s.Op, &op) || op.Op.Source == nil {
		return ""
	}
	return op.Op.Source.Identifier
}

// BuildKitMetadata is BuildKit's metadata extension (v1
// runDetails.metadata.buildkit_metadata, v0.2
// metadata["https://mobyproject.org/buildkit@v1#metadata"]).
type BuildKitMetadata struct {
	// VCS holds the vcs:source and vcs:revision hints the client sent (keys
	// "source" and "revision") and local directory paths
	// ("localdir:context", ...). BuildKit does not verify them.
	VCS map[string]string `json:"vcs"`
	// Source is raw JSON mapping build steps to the frontend source
	// (mode=max only).
	Source json.RawMessage `json:"source,omitempty"`
	// Layers is raw JSON mapping step outputs to layer descriptors
	// (mode=max only).
	Layers json.RawMessage `json:"layers,omitempty"`
}

// BuildKitCompleteness is BuildKit's completeness claim.
type BuildKitCompleteness struct {
	// Request is true when the request (Frontend, Args, Secrets, SSH,
	// Locals) is complete: mode=max with a frontend.
	Request bool `json:"request"`
	// ResolvedDependencies is true when Provenance.Inputs lists every
	// dependency: a build from a remote git context.
	ResolvedDependencies bool `json:"resolvedDependencies"`
}

// buildKitRequest is BuildKit's request (v1 externalParameters.request, v0.2
// invocation.parameters).
type buildKitRequest struct {
	Frontend string            `json:"frontend"`
	Args     map[string]string `json:"args"`
	Secrets  []BuildKitSecret  `json:"secrets"`
	SSH      []BuildKitSecret  `json:"ssh"`
	Locals   []struct {
		Name string `json:"name"`
	} `json:"locals"`
}

func (bk *BuildKit) setRequest(m json.RawMessage) {
	var req buildKitRequest
	if !decodeLenient(m, &req) {
		return
	}
	bk.Frontend, bk.Args, bk.Secrets, bk.SSH = req.Frontend, req.Args, req.Secrets, req.SSH
	for _, l := range req.Locals {
		bk.Locals = append(bk.Locals, l.Name)
	}
}

func (bk *BuildKit) setConfig(m json.RawMessage) {
	var c BuildConfig
	if decodeLenient(m, &c) {
		bk.Config = &c
	}
}

func (bk *BuildKit) setMetadata(m json.RawMessage) {
	var md BuildKitMetadata
	if decodeLenient(m, &md) {
		bk.Metadata = &md
	}
}

// buildKitV1 gathers BuildKit's fields of SLSA v1 provenance, in the names of
// current BuildKit and of earlier releases.
func buildKitV1(ext externalV1, internal map[string]json.RawMessage, md *metadataV1) *BuildKit {
	bk := &BuildKit{}
	bk.setRequest(firstRaw(ext.Request, ext.Parameters))
	bk.setConfig(firstRaw(internal["buildConfig"], ext.BuildConfig))
	if !decodeLenient(internal["builderPlatform"], &bk.BuilderPlatform) {
		var env struct {
			Platform string `json:"platform"`
		}
		if decodeLenient(internal["environment"], &env) {
			bk.BuilderPlatform = env.Platform
		}
	}
	if md == nil {
		return bk
	}
	bk.setMetadata(firstRaw(md.BuildKitMetadata, md.OldBuildKitMetadata))
	decodeLenient(firstRaw(md.BuildKitHermetic, md.OldBuildKitHermetic), &bk.Hermetic)
	decodeLenient(firstRaw(md.BuildKitReproducible, md.OldBuildKitReproducible), &bk.Reproducible)
	var c BuildKitCompleteness
	if decodeLenient(md.BuildKitCompleteness, &c) {
		bk.Completeness = c
	} else {
		var old struct {
			Parameters bool `json:"parameters"`
			Materials  bool `json:"materials"`
		}
		if decodeLenient(md.OldBuildKitCompleteness, &old) {
			bk.Completeness = BuildKitCompleteness{Request: old.Parameters, ResolvedDependencies: old.Materials}
		}
	}
	return bk
}

// buildKitV02 gathers BuildKit's fields of SLSA v0.2 provenance.
func buildKitV02(raw *predicateV02, env map[string]json.RawMessage) *BuildKit {
	bk := &BuildKit{}
	bk.setRequest(raw.Invocation.Parameters)
	bk.setConfig(raw.BuildConfig)
	decodeLenient(env["platform"], &bk.BuilderPlatform)
	if md := raw.Metadata; md != nil {
		bk.setMetadata(md.BuildKitMetadata)
		decodeLenient(md.BuildKitHermetic, &bk.Hermetic)
		bk.Reproducible = md.Reproducible
		bk.Completeness = BuildKitCompleteness{
			Request:              md.Completeness.Parameters,
			ResolvedDependencies: md.Completeness.Materials,
		}
	}
	return bk
}

// firstRaw returns the first value that is present and not null.
func firstRaw(ms ...json.RawMessage) json.RawMessage {
	for _, m := range ms {
		if nonNull(m) != nil {
			return m
		}
	}
	return nil
}
