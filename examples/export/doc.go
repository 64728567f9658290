// Command export writes an image's metadata (its index, platform manifests
// and configs, and every attestation and signature) to an OCI image layout,
// so that it can be inspected and verified later with no network: for
// air-gapped sites, or to cache what CI checked.
//
// Usage:
//
//	go run ./examples/export [flags] [reference] directory
//
// With no reference it exports the built-in sample image (see
// examples/inspect) and writes the sample's public key beside the layout,
// as directory.pub, since the sample is signed with a key made for the run.
// The layout is then read with:
//
//	go run ./examples/inspect -layout directory [-key directory.pub] tag
//
// Flags:
//
//	-tag name           the name of the image in the layout (default: the
//	                    reference's tag, or "latest")
//	-merge              add to an existing layout; a directory that is not
//	                    empty is refused otherwise
//	-platform os/arch   only this platform (repeatable)
//	-plain-http         allow plain HTTP to the registry
//	-key file.pub       trust this public key instead of Docker's (repeatable)
//	-add-key file.pub   trust this public key as well as Docker's (repeatable)
//
// Exit status: 0 pass, 1 policy failure, 2 could not check (bad usage, an
// image that cannot be read). -h prints the usage and exits 0.
package main
