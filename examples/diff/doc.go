// Command diff shows what changed in the supply-chain metadata of an image
// from one version to another, platform by platform: packages added,
// removed, or changed in version or licence; vulnerabilities fixed and
// introduced, and changes of their VEX status; who built it from what; its
// lifecycle.
//
// Usage:
//
//	go run ./examples/diff [flags] before after
//
// before and after are image references, such as dhi.io/python:3.13.9 and
// dhi.io/python:3.13.10. Each platform both images have is compared with
// [dhi.Compare] (an image of one platform each is compared whatever the
// platforms). Only signed attestations that verify count: with Docker's DHI
// keys and those given with -add-key (or only those given with -key).
//
// Exit status: 0 when compared, 2 when an image could not be read; -h
// prints the usage and exits 0.
//
// With no arguments it compares two built-in samples served by an in-process
// registry: the sample image of examples/inspect and a variant of it whose
// documents differ in each way the output can show (see variantDocs).
//
// Flags:
//
//	-json          print the diffs as JSON, one per platform compared
//	-platform os/arch   only this platform (repeatable)
//	-plain-http         allow plain HTTP to the registry
//	-key file.pub       trust this public key instead of Docker's (repeatable)
//	-add-key file.pub   trust this public key as well as Docker's (repeatable)
package main
