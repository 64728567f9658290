package dhi

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"sync/atomic"

	"github.com/dhisdk/dhisdk/attest"
)

// Fleet opens many images with one set of options, one registry source
// (one connection pool, and the cache of [attest.WithCache] when given) and
// one memo of parsed documents: a VEX or SBOM document that several images
// carry (the same content digest) is parsed once while the memo holds it.
//
// A Fleet keeps no image it opened: memory is bounded by the images the
// caller holds, the opens in flight and the memo's bound
// ([WithParsedDocumentBytes]). Images from a Fleet read the registry
// through it ([Image.Export], [Image.CheckUpdate], [Platform.Lineage]) only
// until [Fleet.Close]; their Close does nothing. A Fleet is safe for
// concurrent use.
type Fleet struct {
	o        options
	verifier *attest.Verifier
	src      attest.Storage
	// registry is set when the Fleet made src, a registry source: DHI's
	// naming conventions apply, and Close closes it.
	registry    bool
	memo        *parseMemo
	concurrency int

	opened, failed atomic.Int64
	closeOnce      sync.Once
	closeErr       error
}

// Opened is one image that [Fleet.OpenAll] or [OpenAll] opened, or failed
// to open.
type Opened struct {
	// Index is the position of the reference in the list given.
	Index int
	// Reference is the reference, as given.
	Reference string
	// Image is the opened image; nil when Err is set and nothing could be
	// read. An image with Problems is returned with Err nil, as [Open]
	// returns it.
	Image *Image
	// Err is why the image could not be opened, as [Open] reports it, or
	// the context's error for a reference not opened because the context
	// ended first.
	Err error
}

// FleetStats counts what a [Fleet] did.
type FleetStats struct {
	// Opened is the number of images opened; Failed the number that could
	// not be (counted in Opened too).
	Opened, Failed int64
	// DocumentsParsed is the number of documents parsed (SBOMs and VEX
	// documents); DocumentsShared the number of times a document already
	// parsed, for this or another image, was used again instead.
	DocumentsParsed, DocumentsShared int64
}

const (
	defaultOpenConcurrency = 4
	defaultParsedBytes     = 32 << 20
)

// NewFleet returns a Fleet that opens images with opts, the options of
// [Open], plus [WithOpenConcurrency] and [WithParsedDocumentBytes]. Without
// [WithStorage] or [WithLayout], it makes one registry source for all its
// images, which [Fleet.Close] closes.
func NewFleet(opts ...Option) (*Fleet, error) {
	o, err := makeOptions(opts...)
	if err != nil {
		return nil, err
	}
	verifier, err := o.makeVerifier()
	if err != nil {
		return nil, err
	}
	f := &Fleet{o: o, verifier: verifier, src: o.source,
		concurrency: cmp.Or(o.openConcurrency, defaultOpenConcurrency),
		memo:        newParseMemo(cmp.Or(o.parsedBytes, defaultParsedBytes))}
	switch {
	case o.layoutDir != "":
		if f.src, err = attest.Layout(o.layoutDir); err != nil {
			return nil, fmt.Errorf("dhi: opening layout: %w", err)
		}
	case f.src == nil:
		if f.src, err = attest.Registry(o.registryOpts...); err != nil {
			return nil, err
		}
		f.registry = true
	}
	return f, nil
}

// Open opens the image that ref names, as [Open] does with the Fleet's
// options, sharing its source and parsed documents.
func (f *Fleet) Open(ctx context.Context, ref string) (*Image, error) {
	img, err := open(ctx, ref, f.src, f.registry, f.verifier, f.o, f.memo)
	f.opened.Add(1)
	if err != nil {
		f.failed.Add(1)
		return nil, err
	}
	img.ownSource = false // the Fleet's: Fleet.Close closes it
	return img, nil
}

// OpenAll opens each of refs, at most [WithOpenConcurrency] at a time,
// and yields each result as it is ready: in the order the opens finish,
// not the order of refs (Opened.Index gives the position). Every reference
// is yielded exactly once, with its image or its error; when ctx ends,
// those not yet opened are yielded with ctx's error. Stopping the
// iteration early cancels the opens in flight and waits for them.
//
// At most the concurrency setting of images are open and unconsumed at a
// time: an image the caller does not keep is garbage once its loop body
// returns.
func (f *Fleet) OpenAll(ctx context.Context, refs []string) iter.Seq[Opened] {
	return func(yield func(Opened) bool) {
		ctx, cancel := context.WithCancel(ctx)
		results := make(chan Opened)
		go func() {
			parallel(len(refs), f.concurrency, func(i int) { results <- f.openOne(ctx, i, refs[i]) })
			close(results)
		}()
		// However the loop ends (done, stopped, or a panic in its body),
		// the opens in flight end at once on the cancelled context, and
		// their results are drained so that no goroutine is left behind.
		defer func() {
			cancel()
			for range results {
			}
		}()
		for r := range results {
			if !yield(r) {
				return
			}
		}
	}
}

func (f *Fleet) openOne(ctx context.Context, i int, ref string) Opened {
	if err := ctx.Err(); err != nil {
		return Opened{Index: i, Reference: ref, Err: fmt.Errorf("dhi: %s not opened: %w", ref, err)}
	}
	img, err := f.Open(ctx, ref)
	return Opened{Index: i, Reference: ref, Image: img, Err: err}
}

// Stats returns what the Fleet did so far.
func (f *Fleet) Stats() FleetStats {
	return FleetStats{Opened: f.opened.Load(), Failed: f.failed.Load(),
		DocumentsParsed: f.memo.parsed.Load(), DocumentsShared: f.memo.shared.Load()}
}

// Close closes the registry source the Fleet made; a source given with
// [WithStorage] stays the caller's. Images the Fleet opened keep their data
// but must not read the registry again. Close may be called more than once.
func (f *Fleet) Close() error {
	f.closeOnce.Do(func() {
		if f.registry {
			f.closeErr = f.src.Close()
		}
	})
	return f.closeErr
}

// OpenAll opens each of refs with opts as a [Fleet] does ([Fleet.OpenAll]),
// and closes the Fleet when the iteration ends: images it yielded must not
// read the registry after that ([Image.Export], [Image.CheckUpdate],
// [Platform.Lineage]); use a Fleet to keep that possible. When opts are
// invalid, every reference is yielded with the error.
func OpenAll(ctx context.Context, refs []string, opts ...Option) iter.Seq[Opened] {
	return func(yield func(Opened) bool) {
		f, err := NewFleet(opts...)
		if err != nil {
			for i, ref := range refs {
				if !yield(Opened{Index: i, Reference: ref, Err: err}) {
					return
				}
			}
			return
		}
		defer f.Close()
		f.OpenAll(ctx, refs)(yield)
	}
}

// WithOpenConcurrency sets how many images [Fleet.OpenAll] and [OpenAll]
// open at a time (default 4). Each open runs its own requests concurrently
// too ([attest.WithConcurrency]). [Open] ignores it.
func WithOpenConcurrency(n int) Option {
	return func(o *options) error {
		if n < 1 {
			return errors.New("dhi: WithOpenConcurrency: n must be at least 1")
		}
		o.openConcurrency = n
		return nil
	}
}

// WithParsedDocumentBytes bounds the parsed documents a [Fleet] keeps to
// share between its images, by the size of the documents they were parsed
// from (default 32 MiB; parsed documents take a few times that). The
// least recently used are forgotten first. [Open] ignores it: an image
// opened alone shares documents between its own platforms only.
func WithParsedDocumentBytes(n int64) Option {
	return func(o *options) error {
		if n < 1 {
			return errors.New("dhi: WithParsedDocumentBytes: n must be at least 1")
		}
		o.parsedBytes = n
		return nil
	}
}
