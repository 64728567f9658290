package policy

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// Bounds on what is read.
const (
	// maxFileSize bounds one policy file.
	maxFileSize = 1 << 20
	// maxFiles bounds the policy files of one directory.
	maxFiles = 512
)

// The package every policy declares, as docker scout requires.
const policyPackage = "data.docker.scout"

// File is the text of one policy file.
type File struct {
	// Name names the file in errors and results, such as its path.
	Name string
	// Text is the Rego source.
	Text []byte
}

// ReadDir reads every *.rego file directly in dir of fsys (an embed.FS, or
// os.DirFS for a directory on disk), sorted by name, skipping *_test.rego
// files. Each file is bounded to 1 MiB and a directory to 512 files. It
// fails with [ErrNoPolicy] when dir holds no policy file.
func ReadDir(fsys fs.FS, dir string) ([]File, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("policy: reading %s: %w", dir, err)
	}
	var files []File
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".rego") || strings.HasSuffix(n, "_test.rego") {
			continue
		}
		if len(files) == maxFiles {
			return nil, fmt.Errorf("policy: %s holds more than %d policy files", dir, maxFiles)
		}
		p := path.Join(dir, n)
		f, err := fsys.Open(p)
		if err != nil {
			return nil, fmt.Errorf("policy: reading %s: %w", p, err)
		}
		b, err := readLimited(f, p)
		f.Close()
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: p, Text: b})
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%w: no .rego file in %s", ErrNoPolicy, dir)
	}
	return files, nil
}

// ReadFiles reads policy files from disk, in the order given, each bounded
// to 1 MiB.
func ReadFiles(paths ...string) ([]File, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("%w: no file given", ErrNoPolicy)
	}
	files := make([]File, 0, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("policy: reading %s: %w", p, err)
		}
		b, err := readLimited(f, p)
		f.Close()
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: p, Text: b})
	}
	return files, nil
}

func readLimited(r io.Reader, name string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("policy: reading %s: %w", name, err)
	}
	if len(b) > maxFileSize {
		return nil, fmt.Errorf("policy: %s is larger than %d bytes", name, maxFileSize)
	}
	return b, nil
}

// ResultType is how docker scout presents a policy's result (METADATA
// custom.result_type). The set is Docker's and may grow: unknown values are
// kept as they are.
type ResultType string

// The result types Docker's policies use.
const (
	// ResultTypeBoolean is a policy that passes or fails with no detail.
	ResultTypeBoolean ResultType = "boolean"
	// ResultTypeGeneric is a policy whose violations carry details.
	ResultTypeGeneric ResultType = "generic"
	// ResultTypeVulnerability is a policy whose violations are
	// vulnerabilities of packages.
	ResultTypeVulnerability ResultType = "vulnerability"
)

// Policy is one policy file, parsed. Its fields come from the METADATA
// block; a policy that could not be parsed or compiled has Err set and
// never passes.
type Policy struct {
	// Name is the policy's custom.name, which --policy-config entries
	// match; the file name when the policy could not be parsed.
	Name string
	// File is the file the policy was read from.
	File string
	// Title is the METADATA title.
	Title string
	// Description is the METADATA description.
	Description string
	// ResultType is custom.result_type.
	ResultType ResultType
	// NotCompliantTitle is custom.not_compliant_title, the heading docker
	// scout shows for a failing policy.
	NotCompliantTitle string
	// DetailsOrder is custom.details_order: the order of the keys of each
	// violation's detail.
	DetailsOrder []string
	// Err is the *Error that makes the policy unusable; nil when it
	// compiled.
	Err error

	module *ast.Module
}

// parse parses one policy file and reads its METADATA.
func parse(f File) *Policy {
	p := &Policy{Name: f.Name, File: f.Name}
	mod, err := ast.ParseModuleWithOpts(f.Name, string(f.Text), ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
	if err != nil {
		p.Err = astError(p, ErrParse, err)
		return p
	}
	if got := mod.Package.Path.String(); got != policyPackage {
		p.Err = p.errorAt(ErrParse, mod.Package.Location, fmt.Sprintf("package %s, want package docker.scout", strings.TrimPrefix(got, "data.")))
		return p
	}
	var meta *ast.Annotations
	for _, a := range mod.Annotations {
		if a.Scope == "package" || a.Scope == "subpackages" {
			meta = a
			break
		}
	}
	if meta == nil {
		p.Err = p.errorAt(ErrParse, mod.Package.Location, "no # METADATA block before the package")
		return p
	}
	p.Title, p.Description = meta.Title, meta.Description
	str := func(k string) string {
		s, _ := meta.Custom[k].(string)
		return s
	}
	p.ResultType = ResultType(str("result_type"))
	p.NotCompliantTitle = str("not_compliant_title")
	if order, ok := meta.Custom["details_order"].([]any); ok {
		for _, k := range order {
			if s, ok := k.(string); ok {
				p.DetailsOrder = append(p.DetailsOrder, s)
			}
		}
	}
	name := str("name")
	if name == "" {
		p.Err = p.errorAt(ErrParse, meta.Location, "the METADATA block has no custom.name")
		return p
	}
	p.Name = name
	p.module = mod
	return p
}

// errorAt returns an *Error about p at loc.
func (p *Policy) errorAt(sentinel error, loc *ast.Location, reason string) *Error {
	e := &Error{Policy: p.Name, File: p.File, Reason: reason, Err: sentinel}
	if loc != nil {
		e.Line, e.Column = loc.Row, loc.Col
		if loc.File != "" {
			e.File = loc.File
		}
	}
	return e
}

// astError converts OPA's parse, compile and evaluation errors to an *Error
// at the first error's place.
func astError(p *Policy, sentinel error, err error) *Error {
	var errs ast.Errors
	if errors.As(err, &errs) && len(errs) > 0 {
		first := errs[0]
		reason := first.Message
		if len(errs) > 1 {
			reason = fmt.Sprintf("%s (and %d more errors)", reason, len(errs)-1)
		}
		return p.errorAt(sentinel, first.Location, reason)
	}
	var one *ast.Error
	if errors.As(err, &one) {
		return p.errorAt(sentinel, one.Location, one.Message)
	}
	var td *topdown.Error
	if errors.As(err, &td) {
		return p.errorAt(sentinel, td.Location, td.Message)
	}
	return p.errorAt(sentinel, nil, err.Error())
}

// sortedKeys returns the keys of m, sorted.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
