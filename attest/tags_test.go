package attest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dhisdk/dhisdk/attest"
	"github.com/dhisdk/dhisdk/dhi/dhitest"
)

func TestTagsRegistry(t *testing.T) {
	t.Parallel()
	reg, err := dhitest.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Close() })
	for _, tag := range []string{"3.13", "3.12", "latest"} {
		if _, err := dhitest.Push(context.Background(), reg.Host+"/team/app:"+tag, "", dhitest.Spec{Labels: map[string]string{"tag": tag}}); err != nil {
			t.Fatal(err)
		}
	}
	src, err := attest.Registry(attest.WithPlainHTTP())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	ctx := context.Background()

	got, err := attest.Tags(ctx, src, reg.Host+"/team/app")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"3.12", "3.13", "latest"}; !slices.Equal(got, want) {
		t.Errorf("Tags = %q, want %q", got, want)
	}

	_, err = attest.Tags(ctx, src, reg.Host+"/team/none")
	var fe *attest.FetchError
	if !errors.Is(err, attest.ErrNotFound) || !errors.As(err, &fe) || fe.Op != "listing tags of" {
		t.Errorf("Tags of a missing repository: error = %v, want a *FetchError matching ErrNotFound", err)
	}

	if _, err := attest.Tags(ctx, src, reg.Host+"/team/app", attest.WithMaxManifestSize(8)); !errors.Is(err, attest.ErrTooLarge) {
		t.Errorf("Tags with an 8-byte page limit: error = %v, want ErrTooLarge", err)
	}
	if _, err := attest.Tags(ctx, src, reg.Host+"/team/app", attest.WithMaxBytes(8)); !errors.Is(err, attest.ErrLimit) {
		t.Errorf("Tags with an 8-byte budget: error = %v, want ErrLimit", err)
	}
	if _, err := attest.Tags(ctx, src, "Not A Repository"); err == nil {
		t.Error("Tags of an invalid repository name: no error")
	}
}

// A registry that forbids listing gives ErrTagListRefused, with the answer.
func TestTagsRefused(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/tags/list") {
			http.Error(w, `{"errors":[{"code":"DENIED"}]}`, http.StatusForbidden)
			return
		}
		w.WriteHeader(http.StatusOK) // /v2/: no authentication
	}))
	t.Cleanup(srv.Close)
	src, err := attest.Registry(attest.WithPlainHTTP())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	host := strings.TrimPrefix(srv.URL, "http://")
	_, err = attest.Tags(context.Background(), src, host+"/team/app")
	if !errors.Is(err, attest.ErrTagListRefused) || !strings.Contains(err.Error(), "403") {
		t.Errorf("Tags = %v, want an error matching ErrTagListRefused that names the 403", err)
	}
}

func TestTagsLayout(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "layout")
	if _, err := dhitest.WriteLayout(dir, "3.13", dhitest.Spec{}); err != nil {
		t.Fatal(err)
	}
	src, err := attest.Layout(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := attest.Tags(context.Background(), src, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"3.13"}; !slices.Equal(got, want) {
		t.Errorf("Tags = %q, want %q", got, want)
	}
}
