// Command inventory opens many images, such as every Docker Hardened Image
// an organisation mirrors, and writes one row per image and platform: what
// the image is, until when it is supported, how many packages it holds,
// how many vulnerabilities remain exploitable after VEX, and whether its
// attestations verified.
//
// Usage:
//
//	go run ./examples/inventory [flags] [reference...]
//
// References come from the arguments, then from -f, then from -repo, in
// that order. With none of them it inventories the built-in sample image
// (the one examples/inspect shows, served by an in-process registry and
// signed with a key made for the run), so that it runs with no network.
//
// Examples:
//
//	go run ./examples/inventory dhi.io/python:3.13 dhi.io/node:22
//	go run ./examples/inventory -f images.txt -format jsonl > inventory.jsonl
//	go run ./examples/inventory -repo registry.example.com/mirror/python -concurrency 8 -cache ~/.cache/dhisdk
//	grep -v '^#' images.txt | go run ./examples/inventory -f -
//
// Flags:
//
//	-f file             read references from file, one a line; lines starting
//	                    with # and blank lines are skipped; - is stdin
//	-repo repository    inventory every tag of repository (host/name), as
//	                    attest.Tags lists it, but the tags cosign
//	                    (sha256-<hex>.sig, .att, .sbom) and the referrers tag
//	                    schema (sha256-<hex>) keep beside images; not with
//	                    -layout
//	-format csv|jsonl   the output format (default csv)
//	-concurrency n      images opened at a time (default 4)
//	-platform os/arch   only this platform (repeatable); an image that lacks
//	                    it gets an error row
//	-layout dir         read the images from an OCI layout; references are
//	                    its tags
//	-plain-http         allow plain HTTP to the registry (and for -repo)
//	-key file.pub       trust this public key instead of Docker's (repeatable)
//	-add-key file.pub   trust this public key as well as Docker's (repeatable)
//	-cache dir          keep what registries serve by digest (manifests,
//	                    attestations, signatures, configs) in dir, an OCI
//	                    layout, and read it from there on the next run; every
//	                    entry is checked against its digest when read
//	-cache-ttl d        with -cache, also keep tag resolutions and referrers
//	                    listings for d (default 0: always ask the registry,
//	                    so new tags and attestations are seen)
//
// A nightly inventory with -cache fetches again only what changed: the
// tags and referrers listings, and the content of new images. Signatures
// are verified on every run, cached or not.
//
// # Output
//
// Rows go to stdout in the order of the references, each image's platforms
// in index order. Images are opened concurrently and finish in any order; a
// row waits only until the rows of every earlier reference are written,
// and what waits is the row (a few hundred bytes), never the image, so
// memory stays small for thousands of images and a slow image delays the
// output, not the work. Output is flushed as rows become writable.
//
// The columns, in the CSV header and as the JSON field names, are:
//
//	reference     the reference as given
//	platform      os/arch[/variant]; empty when the image was not opened
//	digest        the platform manifest's digest
//	name          the DHI name label, such as dhi/python
//	version       the DHI version label, such as 3.13.9-debian12
//	endOfLife     the end-of-life date, YYYY-MM-DD; empty when unknown
//	packages      packages in the platform's verified SBOMs (dhi.Platform.Packages)
//	exploitable   vulnerabilities still exploitable after VEX
//	              (dhi.Platform.Exploitable)
//	verification  "verified" when every attestation verified, "partial N/M"
//	              when N of M did, "unverified" when none did (or there is
//	              none), "not opened" when the image could not be opened
//	error         why the image was not opened, what discovery could not
//	              read, and which query failed ("packages: ...",
//	              "exploitable: ..."), joined by "; "; empty when nothing
//	              went wrong
//
// A count whose query failed is empty in CSV and null in JSON, and the
// reason is in error. An image that cannot be opened gets one row, with
// the error; none is dropped. With -format csv the first row is the header;
// with -format jsonl each row is one JSON object on its own line, with
// every field present.
//
// # Progress
//
// When stderr is a terminal, a line such as "12/200 opened, 1 failed" is
// rewritten in place as images are opened, then replaced by a one-line
// summary. When stderr is not a terminal (a pipe, a file, a CI log),
// nothing is written there but errors. "Failed" counts the images with an
// error in any of their rows.
//
// Exit status: 0 when every row is complete (no error column set), 1 when
// some row has an error (the rows are all written), 2 when the inventory
// could not be made (bad usage, an unreadable -f file, a repository whose
// tags cannot be listed, output that cannot be written, an interrupt). -h
// prints the usage and exits 0.
package main
