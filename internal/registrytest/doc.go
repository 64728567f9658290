// Package registrytest starts OCI registries for the SDK's tests and
// benchmarks, all on loopback:
//
//   - [New]: cuelabs.dev/go/oci/ociregistry's in-process server, a conformant
//     OCI 1.1 registry, with the referrers API on, off
//     ([WithoutReferrersAPI]) or without server-side filtering
//     ([WithoutReferrersFiltering]);
//   - [NewGGCR]: go-containerregistry's pkg/registry, for its quirks (its
//     referrers API reports the config media type as artifactType and
//     ignores filters);
//   - [External]: a real registry server process (Debian's docker-registry,
//     distribution 2.8, which has no referrers API) that .ci/run starts and
//     names in DHISDK_TEST_REGISTRY.
//
// Every server counts the requests it answers and the bytes it sends, so
// that benchmarks can report them.
package registrytest
