// Package sizelimit holds the one parent of every size-limit error in the
// SDK, so that errors.Is(err, attest.ErrTooLarge) holds for content that any
// package refused as too large, whichever package refused it.
package sizelimit
