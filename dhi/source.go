package dhi

import (
	"fmt"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/dhisdk/dhisdk/dhi/predicate"
)

// SourceReference returns the image of source materials that s names, as a
// digest reference. A name in the DHI catalog namespace, "dhi/<name>", is
// served as dhi.io/<name> (the reading of the third-party script that
// documents this predicate); a name that starts with a registry host is
// taken as written. Any other name, and a missing or malformed digest, is a
// [*predicate.Error] wrapping [predicate.ErrInvalid].
func SourceReference(s predicate.ImageSource) (name.Digest, error) {
	if s.Name == "" || s.Digest == "" {
		return name.Digest{}, invalidSource("source name %q or digest %q is empty", s.Name, s.Digest)
	}
	repo := s.Name
	if rest, ok := strings.CutPrefix(repo, "dhi/"); ok {
		repo = DHIRegistry + "/" + rest
	} else if host, _, _ := strings.Cut(repo, "/"); !strings.ContainsAny(host, ".:") && host != "localhost" {
		return name.Digest{}, invalidSource("source name %q names neither dhi/<name> nor a registry", s.Name)
	}
	d, err := name.NewDigest(repo+"@"+s.Digest, name.StrictValidation)
	if err != nil {
		return name.Digest{}, invalidSource("source %s@%s: %v", s.Name, s.Digest, err)
	}
	return d, nil
}

// invalidSource returns a *predicate.Error for the image sources predicate.
func invalidSource(format string, args ...any) error {
	return &predicate.Error{PredicateType: predicate.TypeImageSource, Detail: fmt.Sprintf(format, args...)}
}
