// Package dhitest builds container images shaped like Docker Hardened Images,
// so that programs built on the SDK can be tested with no network and no
// Docker account.
//
// An image built by [Push] or [WriteLayout] has what DHI images have: a
// multi-platform index; for each platform manifest, in-toto attestations
// stored as OCI 1.1 referrers (one manifest per attestation, artifact type
// application/vnd.in-toto+json, the bare statement in a layer, the predicate
// type in the in-toto.io/predicate-type annotation); and for each attestation
// manifest a cosign simple-signing signature, stored as a referrer of it,
// made with a key of the caller's ([NewKey] makes one). The attestations can
// go to another repository than the image ([Push]'s referrersRepo), as Docker
// keeps those of mirrored images in registry.scout.docker.com, and can be
// stored BuildKit's way instead ([Spec].Buildx).
//
// [NewRegistry] starts an in-process OCI 1.1 registry on loopback to push to
// (cuelabs.dev/go/oci/ociregistry), with or without the referrers API. Pushes
// go through go-containerregistry, which writes the referrers tag schema
// where a registry lacks the API, as other clients do.
//
// Two images built with the same labels and platforms have the same
// platform manifests, hence the same digests: pushed to one repository, they
// share each other's attestations. Push them to separate repositories, or
// give them different labels.
//
// The documents are the caller's: pass real SBOMs, VEX documents and
// provenance as [Doc] values. Statements name the platform manifest digest
// as their subject, as DHI's do; [TargetDigest] in a predicate becomes that
// digest, for predicates that name their subject themselves.
//
// The SDK's own sample image is here too, for tool authors' tests and
// examples: [ServeSample] serves it from an in-process registry and
// [WriteSample] writes it to an OCI layout, each with the key it is signed
// with ([Sample]); [SampleDocs] and [SampleLabels] give its parts, and
// package sampledata the real documents it is made of.
//
// [PushDerived] builds an image FROM a pushed one, as BuildKit does with
// --provenance=mode=max: the base's layers then its own ([TarLayer]), the
// base's labels, and unsigned attestations inside the index, with SLSA v1
// provenance naming the base by package URL, index digest and platform
// ([BuildKitProvenance] rewrites a real BuildKit predicate to do so).
// [Spec].Layers gives a base its layers, and [ChainID] the value of its
// com.docker.dhi.chain-id label.
//
//	reg, err := dhitest.NewRegistry()
//	defer reg.Close()
//	priv, pub, err := dhitest.NewKey()
//	img, err := dhitest.Push(ctx, reg.Host+"/dhi/python:3.13", "", dhitest.Spec{Docs: docs, Signer: priv})
//	// open img.Ref with dhi.Open, trusting pub
package dhitest
