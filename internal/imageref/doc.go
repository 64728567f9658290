// Package imageref parses container image references and content digests
// the same way for every package of the SDK (vex, provenance, dhi), using the
// standard library only.
//
// A digest is recognized by its algorithm: sha256 with 64 hexadecimal
// digits, sha512 with 128; any other algorithm or length is not a digest.
// [ParseDigest] returns it in lower case.
//
// A reference is [registry/]path[:tag][@digest]. [Parse] applies Docker's
// defaults: a reference without a registry is on Docker Hub, whose names
// index.docker.io and registry-1.docker.io become docker.io, and a one-part
// path there gets the library/ namespace. Registry and path are compared in
// lower case. No other registry is renamed: the names one vendor gives the
// same repository on several registries are the business of the caller.
package imageref
