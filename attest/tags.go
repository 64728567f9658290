package attest

import (
	"context"
	"errors"
	"slices"
)

// Tags lists the tags of the repository repo ("dhi.io/python",
// "host:5000/team/app") in src, sorted and without duplicates. The list
// includes the tags other tools keep beside images: cosign's
// "sha256-<hex>.sig" and ".att" tags and the referrers tag schema's
// "sha256-<hex>"; callers that want images only skip those.
//
// Reading is bounded as discovery's is: each page of the list by
// [WithMaxManifestSize], the pages followed (Link rel="next") to 100, and
// all pages together by [WithMaxBytes]; beyond them Tags fails with an
// error matching [ErrTooLarge] or [ErrLimit]. Other options are ignored.
//
// A registry that refuses to list (401, 403, 400, 405 or 501) gives an error
// matching [ErrTagListRefused]; one that answers 404, as registries do for a
// repository they do not hold, an error matching [ErrNotFound]. Both are
// wrapped in a [*FetchError].
//
// For an OCI layout or archive ([Layout], [LayoutFS], [Archive]), which
// holds one set of names rather than repositories, repo is not used: Tags
// returns the names of the layout's index.json
// (org.opencontainers.image.ref.name), each of which the layout accepts as
// a reference.
func Tags(ctx context.Context, src Storage, repo string, opts ...Option) ([]string, error) {
	o, err := makeOptions(opts...)
	if err != nil {
		return nil, err
	}
	if src == nil {
		return nil, errors.New("attest: Tags: nil Storage")
	}
	if l, ok := src.(*layout); ok {
		return sortedUnique(l.refNames()), nil
	}
	canon, err := src.checkRepository(repo)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	tags, ok, err := src.tags(ctx, canon, o.maxManifest, newBudget(o.maxBytes))
	if err == nil && !ok {
		err = ErrTagListRefused
	}
	if err != nil {
		return nil, &FetchError{Op: "listing tags of", Repository: canon, Err: err}
	}
	return sortedUnique(tags), nil
}

// refNames returns the names index.json gives its manifests.
func (l *layout) refNames() []string {
	var names []string
	for _, d := range l.idx.Manifests {
		if n := d.Annotations[refNameAnnotation]; n != "" {
			names = append(names, n)
		}
	}
	return names
}

func sortedUnique(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}
