// Package cache keeps content addressed by digest (manifests, attestation
// layers, signatures, image configs) in a directory on disk, so that an
// image opened again reads from disk what has not changed since.
//
// [Open] makes or reuses the directory. It is an OCI image layout (an
// oci-layout file, an index.json and blobs/sha256, blobs/sha512), so oras,
// skopeo, crane and [github.com/dhisdk/dhisdk/attest.Layout] can read it;
// what the cache needs beyond that (keyed entries, temporary files) lives
// under the dhisdk subdirectory, which OCI tools ignore.
//
// Every [Cache.Get] hashes the content it read: an entry that does not match
// its digest is deleted, counted in [Stats].Corrupt and reported as a miss,
// so a damaged or poisoned directory costs a refetch but never returns other
// bytes than the digest names. Reads are bounded by the size the caller
// passes. Writes go to a temporary file renamed into place, so processes
// and goroutines can share a directory. The total size is bounded
// ([WithMaxBytes], 1 GiB by default): least recently used entries go first.
//
// What is not addressed by a digest (a tag's resolution, a referrers
// listing) can change at any time. [Cache.PutKeyed] and [Cache.GetKeyed]
// keep such answers only when the cache has a time-to-live ([WithTTL]); the
// default is none, and keyed entries are then neither stored nor used. A
// keyed entry carries the digest of its value, which detects damage but not
// forgery: whoever can write to the directory can make up an answer, so
// callers check what a keyed answer leads to as they would a registry's.
//
// The directory holds the content of every repository read through it,
// private ones included: [Open] creates it readable by its owner only, and it
// should not be shared between users.
package cache
