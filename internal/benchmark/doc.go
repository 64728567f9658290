// Package benchmark measures whole programs of the SDK against a floor:
// the inspect example beside the program in floor, which does only the
// network and crypto work of opening an image (fetch, verify, typed
// envelope decode), both run as separate processes against the same
// in-process registry serving the DHI-shaped sample image; and inspect
// again with a warm cache (-cache), with and without a time-to-live for
// tags and referrers listings.
//
//	go test -run '^$' -bench Process -count 6 ./internal/benchmark
//
// The package has no API: its tests build the programs and run them.
package benchmark
