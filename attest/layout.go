package attest

import (
	"archive/tar"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// refNameAnnotation names a manifest in an OCI image layout's index.json.
const refNameAnnotation = "org.opencontainers.image.ref.name"

// Layout returns a Storage that reads the OCI image layout in directory dir.
// References are the names in index.json's org.opencontainers.image.ref.name
// annotations (such as "3.13" or "dhi.io/python:3.13") or digests
// ("sha256:..." or "@sha256:...").
//
// A layout has no referrers API: referrers are the manifests listed in
// index.json whose subject is the image (MechanismLayoutSubject), plus those
// in referrers-tag-schema indexes tagged in index.json.
func Layout(dir string) (Storage, error) {
	l, err := newLayout(os.DirFS(dir), dir)
	if err != nil {
		return nil, err
	}
	return l, nil
}

// LayoutFS is like [Layout] for a layout held in fsys at its root; name is
// used in errors and in [Location.Repository].
func LayoutFS(fsys fs.FS, name string) (Storage, error) {
	l, err := newLayout(fsys, name)
	if err != nil {
		return nil, err
	}
	return l, nil
}

// Archive returns a Storage that reads an OCI archive: a tar file of an OCI
// image layout, as written by "skopeo copy ... oci-archive:" or "docker
// buildx build --output type=oci". The archive must be uncompressed; r must
// stay readable while the Storage is used. name is used in errors and in
// [Location.Repository].
func Archive(r io.ReaderAt, size int64, name string) (Storage, error) {
	tfs, err := newTarFS(r, size)
	if err != nil {
		return nil, fmt.Errorf("attest: reading OCI archive %s: %w", name, err)
	}
	l, err := newLayout(tfs, name)
	if err != nil {
		return nil, err
	}
	return l, nil
}

type layout struct {
	fsys fs.FS
	name string
	idx  v1.IndexManifest

	subjectsOnce sync.Once
	subjects     map[v1.Hash][]v1.Descriptor
	subjectsErr  error
}

// maxIndexJSON bounds the size of a layout's index.json.
const maxIndexJSON = 64 << 20

func newLayout(fsys fs.FS, name string) (*layout, error) {
	b, err := readFileLimited(fsys, "index.json", maxIndexJSON)
	if err != nil {
		return nil, fmt.Errorf("attest: reading OCI layout %s: %w", name, err)
	}
	l := &layout{fsys: fsys, name: name}
	if err := json.Unmarshal(b, &l.idx); err != nil {
		return nil, fmt.Errorf("attest: reading OCI layout %s: %w: decoding index.json: %v", name, ErrInvalid, err)
	}
	if lb, err := readFileLimited(fsys, "oci-layout", 4096); err != nil {
		return nil, fmt.Errorf("attest: reading OCI layout %s: %w", name, err)
	} else {
		var marker struct {
			Version string `json:"imageLayoutVersion"`
		}
		if err := json.Unmarshal(lb, &marker); err != nil || marker.Version == "" {
			return nil, fmt.Errorf("attest: reading OCI layout %s: %w: oci-layout has no imageLayoutVersion", name, ErrInvalid)
		}
	}
	return l, nil
}

func readFileLimited(fsys fs.FS, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, name)
		}
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > limit {
		return nil, fmt.Errorf("%w: %s has %d bytes, limit %d", ErrTooLarge, name, st.Size(), limit)
	}
	return readLimited(f, limit)
}

func (l *layout) parseRef(ref string) (string, string, error) {
	ref = strings.TrimPrefix(ref, "@")
	if ref == "" {
		return "", "", fmt.Errorf("attest: empty reference for OCI layout %s", l.name)
	}
	return l.name, ref, nil
}

func (l *layout) checkRepository(string) (string, error) {
	return "", fmt.Errorf("%w: an external referrers repository applies to registries, not to the OCI layout %s", ErrUnsupported, l.name)
}

func blobPath(h v1.Hash) string { return path.Join("blobs", h.Algorithm, h.Hex) }

// Close does nothing: a layout holds no connection.
func (l *layout) Close() error { return nil }

func (l *layout) manifest(_ context.Context, _, ref string, _, limit int64, bud *budget) (v1.Descriptor, []byte, error) {
	h, err := v1.NewHash(ref)
	if err != nil {
		desc, ok := l.lookupTag(ref)
		if !ok {
			return v1.Descriptor{}, nil, ErrNotFound
		}
		h = desc.Digest
	}
	b, err := readFileLimited(l.fsys, blobPath(h), limit)
	if err != nil {
		return v1.Descriptor{}, nil, err
	}
	if err := bud.take(int64(len(b))); err != nil {
		return v1.Descriptor{}, nil, err
	}
	if err := checkHash(b, h); err != nil {
		return v1.Descriptor{}, nil, err
	}
	return v1.Descriptor{MediaType: manifestMediaType(b, ""), Size: int64(len(b)), Digest: h}, b, nil
}

// lookupTag finds a manifest of index.json by its ref.name annotation: the
// exact name, or a full reference ending in ":"+tag.
func (l *layout) lookupTag(tag string) (v1.Descriptor, bool) {
	for _, d := range l.idx.Manifests {
		if d.Annotations[refNameAnnotation] == tag {
			return d, true
		}
	}
	for _, d := range l.idx.Manifests {
		if n := d.Annotations[refNameAnnotation]; strings.HasSuffix(n, ":"+tag) && !strings.Contains(n[:len(n)-len(tag)-1], "@") {
			return d, true
		}
	}
	return v1.Descriptor{}, false
}

func (l *layout) blob(_ context.Context, _ string, desc v1.Descriptor, limit int64, bud *budget) ([]byte, error) {
	if desc.Size > limit {
		return nil, fmt.Errorf("%w: blob declared as %d bytes, limit %d", ErrTooLarge, desc.Size, limit)
	}
	if err := bud.take(desc.Size); err != nil {
		return nil, err
	}
	f, err := l.fsys.Open(blobPath(desc.Digest))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, blobPath(desc.Digest))
		}
		return nil, err
	}
	defer f.Close()
	hint := int64(-1)
	if st, err := f.Stat(); err == nil {
		hint = st.Size()
	}
	return readDeclared(f, desc, limit, hint)
}

func (l *layout) referrers(_ context.Context, _ string, d v1.Hash, limit int64, maxEntries int, _ *budget) (referrersAnswer, error) {
	l.subjectsOnce.Do(func() { l.subjects, l.subjectsErr = l.indexSubjects(limit) })
	ans := referrersAnswer{mech: MechanismLayoutSubject, status: apiAnswered}
	if l.subjectsErr != nil {
		return ans, l.subjectsErr
	}
	ans.descs = slices.Clone(l.subjects[d])
	if len(ans.descs) > maxEntries {
		ans.descs = ans.descs[:maxEntries]
		return ans, &LimitError{Kind: LimitReferrers, Max: int64(maxEntries), Subject: d.String()}
	}
	return ans, nil
}

// indexSubjects reads every manifest listed in index.json and indexes those
// that have a subject by the subject's digest.
func (l *layout) indexSubjects(limit int64) (map[v1.Hash][]v1.Descriptor, error) {
	subjects := map[v1.Hash][]v1.Descriptor{}
	for _, d := range l.idx.Manifests {
		if !isManifest(d.MediaType) && !isIndex(d.MediaType) {
			continue
		}
		b, err := l.blob(context.Background(), "", d, limit, nil)
		if err != nil {
			return nil, fmt.Errorf("reading manifest %s listed in index.json: %w", d.Digest, err)
		}
		var m struct {
			Subject      *v1.Descriptor `json:"subject"`
			ArtifactType string         `json:"artifactType"`
			Config       struct {
				MediaType string `json:"mediaType"`
			} `json:"config"`
			Annotations map[string]string `json:"annotations"`
		}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("%w: decoding manifest %s listed in index.json: %v", ErrInvalid, d.Digest, err)
		}
		if m.Subject == nil {
			continue
		}
		desc := v1.Descriptor{MediaType: d.MediaType, Size: d.Size, Digest: d.Digest, Annotations: m.Annotations, ArtifactType: m.ArtifactType}
		if desc.ArtifactType == "" {
			desc.ArtifactType = m.Config.MediaType
		}
		subjects[m.Subject.Digest] = append(subjects[m.Subject.Digest], desc)
	}
	return subjects, nil
}

func (l *layout) tags(context.Context, string, int64, *budget) ([]string, bool, error) {
	var tags []string
	for _, n := range l.refNames() {
		tags = append(tags, n)
		if i := strings.LastIndexByte(n, ':'); i >= 0 && !strings.Contains(n[i:], "/") {
			tags = append(tags, n[i+1:])
		}
	}
	return tags, true, nil
}

// tarFS is a read-only fs.FS over the regular files of an uncompressed tar
// archive, reading file contents in place.
type tarFS struct {
	r     io.ReaderAt
	files map[string]tarEntry
}

type tarEntry struct {
	off, size int64
	mod       time.Time
}

// maxTarEntries bounds the entries of an OCI archive.
const maxTarEntries = 1 << 20

func newTarFS(r io.ReaderAt, size int64) (*tarFS, error) {
	var magic [2]byte
	if n, _ := r.ReadAt(magic[:], 0); n == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		return nil, fmt.Errorf("%w: the archive is gzip-compressed; decompress it first", ErrUnsupported)
	}
	pr := &posReader{r: r, size: size}
	tr := tar.NewReader(pr)
	t := &tarFS{r: r, files: map[string]tarEntry{}}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: reading tar: %v", ErrInvalid, err)
		}
		if len(t.files) == maxTarEntries {
			return nil, fmt.Errorf("%w: more than %d entries", ErrTooLarge, maxTarEntries)
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		clean := path.Clean(strings.TrimPrefix(hdr.Name, "./"))
		if !fs.ValidPath(clean) {
			continue
		}
		if hdr.Size < 0 || pr.off+hdr.Size > size {
			return nil, fmt.Errorf("%w: tar entry %s runs past the end of the archive", ErrInvalid, hdr.Name)
		}
		t.files[clean] = tarEntry{off: pr.off, size: hdr.Size, mod: hdr.ModTime}
	}
	return t, nil
}

// Open implements fs.FS.
func (t *tarFS) Open(name string) (fs.File, error) {
	e, ok := t.files[name]
	if !ok || !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &tarFile{SectionReader: io.NewSectionReader(t.r, e.off, e.size), name: name, e: e}, nil
}

type tarFile struct {
	*io.SectionReader
	name string
	e    tarEntry
}

func (f *tarFile) Stat() (fs.FileInfo, error) { return tarInfo{f}, nil }
func (f *tarFile) Close() error               { return nil }

type tarInfo struct{ f *tarFile }

func (i tarInfo) Name() string       { return path.Base(i.f.name) }
func (i tarInfo) Size() int64        { return i.f.e.size }
func (i tarInfo) Mode() fs.FileMode  { return 0o444 }
func (i tarInfo) ModTime() time.Time { return i.f.e.mod }
func (i tarInfo) IsDir() bool        { return false }
func (i tarInfo) Sys() any           { return nil }

// posReader reads an io.ReaderAt sequentially and seeks, so that tar skips
// file contents without reading them and the offset of each is known.
type posReader struct {
	r         io.ReaderAt
	off, size int64
}

func (p *posReader) Read(b []byte) (int, error) {
	if p.off >= p.size {
		return 0, io.EOF
	}
	if rem := p.size - p.off; int64(len(b)) > rem {
		b = b[:rem]
	}
	n, err := p.r.ReadAt(b, p.off)
	p.off += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

func (p *posReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += p.off
	case io.SeekEnd:
		offset += p.size
	default:
		return 0, errors.New("invalid whence")
	}
	if offset < 0 {
		return 0, errors.New("negative position")
	}
	p.off = offset
	return offset, nil
}
