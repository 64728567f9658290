package sbom

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/spdx/tools-golang/spdx/v2/common"
)

// What is decoded when.
//
// For CycloneDX, Parse decodes the document with cyclonedx-go and builds the
// model over its values, which costs little beyond the library's own decode.
//
// For SPDX, Parse does not decode with tools-golang, whose decoding is
// several times slower than reading the JSON: it checks that the input is
// JSON, then readSPDX reads, in one pass, the members the model uses (name,
// namespace, creation info, packages' identifiers, names, versions,
// licences, suppliers, checksums, external references, purposes and source
// info, files' identifiers, names and checksums, relationships,
// documentDescribes, hasFiles and the extracted licences' names), and checks
// the JSON type of every other member tools-golang decodes, and the form of
// its identifiers and "Type: name" values (creators, suppliers, ...), so
// that Parse fails where tools-golang would, with tools-golang's error;
// tools-golang panics on a null package, which fails Parse. The document's
// text is kept, and tools-golang decodes it (converting SPDX 2.2 to 2.3) on
// the first call of Document.SPDX, Package.SPDX, File.SPDX, Document.ToSPDX
// or Document.WriteSPDX, once per document, giving exactly what
// tools-golang's own reader gives for the same bytes. A document the reader
// does not handle exactly as encoding/json would (a member that appears
// twice in an object, a member name with escapes or in another case) is
// decoded by tools-golang at once.
//
// An SPDX Document holds a copy of the document's text; the strings of its
// model (identifiers, names, versions, ...) share that copy's memory, so a
// string kept from the model keeps the copy alive.

// readSPDX reads what the model needs of the SPDX JSON document b, whose
// spdxVersion is SPDX-2.2 (v22) or SPDX-2.3, as tools-golang would decode
// it, in one pass and without decoding the fields the model does not use.
// b must be valid JSON (json.Valid). src holds the same bytes as b; the
// strings of the result are substrings of it.
//
// Every field tools-golang's v2_3 (or v2_2) types decode is visited, and its
// JSON type checked as encoding/json would check it: a value tools-golang
// would reject (a number for a name, "a" for an SPDXID, a creator without
// ":") makes readSPDX return ok false, and so does anything it does not
// reproduce exactly, which it then leaves to tools-golang: a member that
// appears twice in an object (encoding/json merges the two into the fields
// tools-golang's types reuse), a member name with escapes, or one that
// matches a field only without regard to case. When ok is true,
// tools-golang decodes b without error and gives the values in the result.
func readSPDX(b []byte, src string, v22 bool) (d *spdxDoc, ok bool) {
	r := &spdxReader{b: b, src: src, v22: v22}
	r.space()
	d = r.document()
	if r.bad {
		return nil, false
	}
	return d, true
}

// spdxReader walks the bytes of a valid JSON document. On anything it does
// not handle it sets bad and moves to the end of the input, which ends every
// loop.
type spdxReader struct {
	b   []byte
	src string
	i   int
	v22 bool
	bad bool
}

// fail gives up on the document.
func (r *spdxReader) fail() {
	r.bad = true
	r.i = len(r.b)
}

func (r *spdxReader) space() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// peek returns the first byte of the value at the current position, or 0 at
// the end.
func (r *spdxReader) peek() byte {
	if r.i < len(r.b) {
		return r.b[r.i]
	}
	return 0
}

// null consumes a null and reports whether there was one.
func (r *spdxReader) null() bool {
	if r.peek() == 'n' {
		r.literal()
		return true
	}
	return false
}

// literal skips a number, true, false or null.
func (r *spdxReader) literal() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return
		}
		r.i++
	}
}

// str skips the string at the current position and returns the bounds of
// its contents, and whether they hold escapes.
func (r *spdxReader) str() (start, end int, escaped bool) {
	start = r.i + 1
	j := bytes.IndexByte(r.b[start:], '"')
	if j < 0 {
		r.fail()
		return 0, 0, false
	}
	end = start + j
	if bytes.IndexByte(r.b[start:end], '\\') < 0 {
		r.i = end + 1
		return start, end, false
	}
	for k := start; k < len(r.b); k++ {
		switch r.b[k] {
		case '\\':
			k++
		case '"':
			r.i = k + 1
			return start, k, true
		}
	}
	r.fail()
	return 0, 0, false
}

// skip skips any value.
func (r *spdxReader) skip() {
	switch r.peek() {
	case '"':
		r.str()
	case '{', '[':
		depth := 0
		for r.i < len(r.b) {
			switch r.b[r.i] {
			case '"':
				r.str()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			r.i++
			if depth == 0 {
				return
			}
		}
		r.fail()
	default:
		r.literal()
	}
}

// raw skips any value and returns its text, as encoding/json passes it to
// an UnmarshalJSON method.
func (r *spdxReader) raw() string {
	start := r.i
	r.skip()
	return r.src[start:r.i]
}

// object calls member for each member of the object at the current
// position, with the reader at the member's value; member must consume the
// value. Member names with escapes are not handled.
func (r *spdxReader) object(member func(key string)) {
	if r.peek() != '{' {
		r.fail()
		return
	}
	r.i++
	r.space()
	if r.peek() == '}' {
		r.i++
		return
	}
	for !r.bad {
		if r.peek() != '"' {
			r.fail()
			return
		}
		ks, ke, esc := r.str()
		if esc {
			r.fail()
			return
		}
		r.space()
		if r.peek() != ':' {
			r.fail()
			return
		}
		r.i++
		r.space()
		member(r.src[ks:ke])
		r.space()
		switch r.peek() {
		case ',':
			r.i++
			r.space()
		case '}':
			r.i++
			return
		default:
			r.fail()
		}
	}
}

// array calls elem for each element of the array at the current position;
// elem must consume the element.
func (r *spdxReader) array(elem func()) {
	if r.peek() != '[' {
		r.fail()
		return
	}
	r.i++
	r.space()
	if r.peek() == ']' {
		r.i++
		return
	}
	for !r.bad {
		elem()
		r.space()
		switch r.peek() {
		case ',':
			r.i++
			r.space()
		case ']':
			r.i++
			return
		default:
			r.fail()
		}
	}
}

// members records the members an object has had, by bit.
type members uint64

// spdxField is a member of one of tools-golang's types.
type spdxField struct {
	bit uint // in members
	// only23 is set for members the SPDX 2.2 type does not have: the
	// reader skips them in SPDX 2.2 documents, as encoding/json does.
	only23 bool
	// check checks the value of a member the model does not use, as
	// encoding/json would decode it into the field, and reports whether it
	// sets the field to other than its zero value. It is nil for the
	// members the object's reader decodes.
	check func(*spdxReader) (set bool)
}

// spdxFields are the members of one of tools-golang's types, by JSON name.
type spdxFields map[string]spdxField

// member looks up the member key of an object of the type of fields, whose
// members so far are seen. It checks the members the model does not use,
// skips those the type does not have, and gives up on the document for a
// member it has already had or one whose name matches a member's only
// without regard to case (encoding/json would decode it into that field).
// decode is set when the caller must decode the value; set reports whether
// a checked member set its field.
func (r *spdxReader) member(key string, seen *members, fields spdxFields) (decode, set bool) {
	f, ok := fields[key]
	if !ok {
		for n := range fields {
			if strings.EqualFold(key, n) {
				r.fail()
				return false, false
			}
		}
	}
	if !ok || f.only23 && r.v22 {
		r.skip()
		return false, false
	}
	if *seen&(1<<f.bit) != 0 {
		r.fail()
		return false, false
	}
	*seen |= 1 << f.bit
	if f.check != nil {
		return false, f.check(r)
	}
	return true, false
}

// checkObject checks an object of the type of fields, none of whose
// members the model uses, or null; it reports whether the value is not
// null.
func (r *spdxReader) checkObject(fields spdxFields) bool {
	if r.null() {
		return false
	}
	var seen members
	r.object(func(key string) { r.member(key, &seen, fields) })
	return true
}

// checkObjects checks an array of such objects (elements may be null), or
// null; it reports whether the value is not null.
func (r *spdxReader) checkObjects(fields spdxFields) bool {
	if r.null() {
		return false
	}
	r.array(func() { r.checkObject(fields) })
	return true
}

// String values.

// text decodes a string or null into a Go string field as encoding/json
// does: null leaves it unchanged, and reports whether the value was null.
func (r *spdxReader) text(s *string) (null bool) {
	switch r.peek() {
	case 'n':
		r.literal()
		return true
	case '"':
		cs, ce, esc := r.str()
		if !esc && utf8.Valid(r.b[cs:ce]) {
			*s = r.src[cs:ce]
			return false
		}
		// Escapes, or bytes that are not UTF-8.
		u, ok := unquote(r.b[cs:ce])
		if !ok {
			r.fail()
		}
		*s = u
		return false
	}
	r.fail()
	return false
}

// checkString checks a value that encoding/json decodes into a string field
// the model does not use, and reports whether it sets the field to a
// non-empty string.
func (r *spdxReader) checkString() (set bool) {
	switch r.peek() {
	case 'n':
		r.literal()
		return false
	case '"':
		start, end, _ := r.str()
		return end > start
	}
	r.fail()
	return false
}

// checkStrings checks a value that encoding/json decodes into a []string
// field, and reports whether it sets the field to a non-nil slice.
func (r *spdxReader) checkStrings() (set bool) {
	if r.null() {
		return false
	}
	r.array(func() { r.checkString() })
	return true
}

// checkBool checks a value that encoding/json decodes into a bool or *bool.
func (r *spdxReader) checkBool() bool {
	switch r.peek() {
	case 'n', 't', 'f':
		r.literal()
	default:
		r.fail()
	}
	return false
}

// checkInt checks a value that encoding/json decodes into an int.
func (r *spdxReader) checkInt() bool {
	switch c := r.peek(); {
	case c == 'n':
		r.literal()
	case c == '-' || c >= '0' && c <= '9':
		start := r.i
		r.literal()
		if _, err := strconv.ParseInt(r.src[start:r.i], 10, strconv.IntSize); err != nil {
			r.fail()
		}
	default:
		r.fail()
	}
	return false
}

// unquote decodes the contents of a JSON string as encoding/json does:
// escapes decoded, and each byte that is not part of a UTF-8 sequence
// replaced by U+FFFD, as are escaped UTF-16 surrogates that do not pair.
func unquote(s []byte) (string, bool) {
	b := make([]byte, 0, len(s))
	for r := 0; r < len(s); {
		switch c := s[r]; {
		case c == '\\':
			if r+1 >= len(s) {
				return "", false
			}
			switch e := s[r+1]; e {
			case '"', '\\', '/', '\'':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				rr := getu4(s[r:])
				if rr < 0 {
					return "", false
				}
				r += 6
				if utf16.IsSurrogate(rr) {
					if dec := utf16.DecodeRune(rr, getu4(s[r:])); dec != unicode.ReplacementChar {
						r += 6
						b = utf8.AppendRune(b, dec)
						continue
					}
					rr = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, rr)
				continue
			default:
				return "", false
			}
			r += 2
		case c == '"' || c < ' ':
			return "", false
		case c < utf8.RuneSelf:
			b = append(b, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			r += size
			b = utf8.AppendRune(b, rr)
		}
	}
	return string(b), true
}

// getu4 decodes \uXXXX at the start of s, or returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// Values of tools-golang's types with UnmarshalJSON methods. Those methods
// read the value's JSON text as it is, without decoding escapes, after
// trimming quotes from both ends; the functions below do the same.

// unquoted is the JSON text of a value as tools-golang's UnmarshalJSON
// methods read it.
func unquoted(raw string) string { return strings.Trim(raw, `"`) }

// elementID checks a common.ElementID and returns the identifier with its
// "SPDXRef-" prefix, as common.RenderElementID gives it.
func (r *spdxReader) elementID() string {
	s := unquoted(r.raw())
	if len(s) <= len(spdxRefPrefix) || !strings.HasPrefix(s, spdxRefPrefix) {
		r.fail()
		return ""
	}
	return s
}

// checkElementID checks a common.ElementID.
func (r *spdxReader) checkElementID() bool {
	r.elementID()
	return true
}

// checkDocumentID checks a common.DocumentID.
func (r *spdxReader) checkDocumentID() bool {
	if s := unquoted(r.raw()); len(s) <= len(spdxDocRefPrefix) || !strings.HasPrefix(s, spdxDocRefPrefix) {
		r.fail()
	}
	return true
}

// docElementID decodes a common.DocElementID.
func (r *spdxReader) docElementID() spdxRef {
	ref, ok := parseDocElementID(unquoted(r.raw()))
	if !ok {
		r.fail()
	}
	return ref
}

// parseDocElementID does what common.DocElementID's UnmarshalJSON does
// with the unquoted text s, and renders the result as
// common.RenderDocElementID does.
func parseDocElementID(s string) (spdxRef, bool) {
	if s == none || s == noAssertion {
		return spdxRef{kind: spdxRefSpecial, s: s}, true
	}
	kind, elt := spdxRefElement, s
	if strings.HasPrefix(s, spdxDocRefPrefix) {
		doc, e, found := strings.Cut(s, ":")
		if len(doc) <= len(spdxDocRefPrefix) {
			return spdxRef{}, false
		}
		if !found {
			return spdxRef{kind: spdxRefDocument, s: doc + ":" + spdxRefPrefix}, true
		}
		kind, elt = spdxRefDocument, e
	}
	if len(elt) <= len(spdxRefPrefix) || !strings.HasPrefix(elt, spdxRefPrefix) {
		return spdxRef{}, false
	}
	return spdxRef{kind: kind, s: s}, true
}

// checkAnnotator checks a common.Annotator.
func (r *spdxReader) checkAnnotator() bool {
	r.typed(false)
	return true
}

// checkOriginator checks a *common.Originator.
func (r *spdxReader) checkOriginator() bool {
	if r.null() {
		return false
	}
	r.typed(true)
	return true
}

// typed decodes a value of one of the "Type: name" types (common.Creator,
// common.Annotator, common.Supplier, common.Originator): they need a ":"
// unless noAssertion allows NOASSERTION. It returns the text before and
// after the first ":".
func (r *spdxReader) typed(noAssertionOK bool) (typ, name string) {
	s := unquoted(r.raw())
	if noAssertionOK && s == noAssertion {
		return "", s
	}
	typ, name, found := strings.Cut(s, ":")
	if !found {
		r.fail()
	}
	return typ, name
}

// The members of tools-golang's v2_3 types (v2_2 for SPDX 2.2: the same,
// but for those marked only23), by type.

var spdxDocumentFields = spdxFields{
	"spdxVersion":                {bit: 0},
	"dataLicense":                {bit: 1, check: (*spdxReader).checkString},
	"SPDXID":                     {bit: 2},
	"name":                       {bit: 3},
	"documentNamespace":          {bit: 4},
	"externalDocumentRefs":       {bit: 5, check: func(r *spdxReader) bool { return r.checkObjects(spdxExternalDocumentRefFields) }},
	"comment":                    {bit: 6, check: (*spdxReader).checkString},
	"creationInfo":               {bit: 7},
	"packages":                   {bit: 8},
	"files":                      {bit: 9},
	"hasExtractedLicensingInfos": {bit: 10},
	"relationships":              {bit: 11},
	"annotations":                {bit: 12, check: func(r *spdxReader) bool { return r.checkObjects(spdxAnnotationFields) }},
	"snippets":                   {bit: 13, check: func(r *spdxReader) bool { return r.checkObjects(spdxSnippetFields) }},
	// Not a field: Document.UnmarshalJSON decodes it apart.
	"documentDescribes": {bit: 14},
}

var spdxCreationInfoFields = spdxFields{
	"licenseListVersion": {bit: 0, check: (*spdxReader).checkString},
	"creators":           {bit: 1},
	"created":            {bit: 2},
	"comment":            {bit: 3, check: (*spdxReader).checkString},
}

var spdxPackageFields = spdxFields{
	"name":                    {bit: 0},
	"SPDXID":                  {bit: 1},
	"versionInfo":             {bit: 2},
	"packageFileName":         {bit: 3, check: (*spdxReader).checkString},
	"supplier":                {bit: 4},
	"originator":              {bit: 5, check: (*spdxReader).checkOriginator},
	"downloadLocation":        {bit: 6, check: (*spdxReader).checkString},
	"filesAnalyzed":           {bit: 7, check: (*spdxReader).checkBool},
	"packageVerificationCode": {bit: 8, check: func(r *spdxReader) bool { return r.checkObject(spdxVerificationCodeFields) }},
	"checksums":               {bit: 9},
	"homepage":                {bit: 10, check: (*spdxReader).checkString},
	"sourceInfo":              {bit: 11},
	"licenseConcluded":        {bit: 12},
	"licenseInfoFromFiles":    {bit: 13, check: (*spdxReader).checkStrings},
	"licenseDeclared":         {bit: 14},
	"licenseComments":         {bit: 15, check: (*spdxReader).checkString},
	"copyrightText":           {bit: 16, check: (*spdxReader).checkString},
	"summary":                 {bit: 17, check: (*spdxReader).checkString},
	"description":             {bit: 18, check: (*spdxReader).checkString},
	"comment":                 {bit: 19, check: (*spdxReader).checkString},
	"externalRefs":            {bit: 20},
	"attributionTexts":        {bit: 21, check: (*spdxReader).checkStrings},
	"primaryPackagePurpose":   {bit: 22, only23: true},
	"releaseDate":             {bit: 23, only23: true, check: (*spdxReader).checkString},
	"builtDate":               {bit: 24, only23: true, check: (*spdxReader).checkString},
	"validUntilDate":          {bit: 25, only23: true, check: (*spdxReader).checkString},
	"files":                   {bit: 26, check: func(r *spdxReader) bool { return r.checkObjects(spdxFileFields) }},
	"annotations":             {bit: 27, check: func(r *spdxReader) bool { return r.checkObjects(spdxAnnotationFields) }},
	// Not a field: Package.UnmarshalJSON decodes it apart.
	"hasFiles": {bit: 28},
}

var spdxVerificationCodeFields = spdxFields{
	"packageVerificationCodeValue":         {bit: 0, check: (*spdxReader).checkString},
	"packageVerificationCodeExcludedFiles": {bit: 1, check: (*spdxReader).checkStrings},
}

var spdxExternalRefFields = spdxFields{
	"referenceCategory": {bit: 0, check: (*spdxReader).checkString},
	"referenceType":     {bit: 1},
	"referenceLocator":  {bit: 2},
	"comment":           {bit: 3, check: (*spdxReader).checkString},
}

var spdxChecksumFields = spdxFields{
	"algorithm":     {bit: 0},
	"checksumValue": {bit: 1},
}

var spdxFileFields = spdxFields{
	"fileName":           {bit: 0},
	"SPDXID":             {bit: 1},
	"fileTypes":          {bit: 2, check: (*spdxReader).checkStrings},
	"checksums":          {bit: 3},
	"licenseConcluded":   {bit: 4, check: (*spdxReader).checkString},
	"licenseInfoInFiles": {bit: 5, check: (*spdxReader).checkStrings},
	"licenseComments":    {bit: 6, check: (*spdxReader).checkString},
	"copyrightText":      {bit: 7, check: (*spdxReader).checkString},
	"artifactOfs":        {bit: 8, only23: true, check: func(r *spdxReader) bool { return r.checkObjects(spdxArtifactOfFields) }},
	"comment":            {bit: 9, check: (*spdxReader).checkString},
	"noticeText":         {bit: 10, check: (*spdxReader).checkString},
	"fileContributors":   {bit: 11, check: (*spdxReader).checkStrings},
	"attributionTexts":   {bit: 12, check: (*spdxReader).checkStrings},
	"fileDependencies":   {bit: 13, only23: true, check: (*spdxReader).checkStrings},
	"annotations":        {bit: 14, check: func(r *spdxReader) bool { return r.checkObjects(spdxAnnotationFields) }},
}

var spdxArtifactOfFields = spdxFields{
	"name":     {bit: 0, check: (*spdxReader).checkString},
	"homePage": {bit: 1, check: (*spdxReader).checkString},
	"URI":      {bit: 2, check: (*spdxReader).checkString},
}

var spdxOtherLicenseFields = spdxFields{
	"licenseId":     {bit: 0},
	"extractedText": {bit: 1, check: (*spdxReader).checkString},
	"name":          {bit: 2},
	"seeAlsos":      {bit: 3, check: (*spdxReader).checkStrings},
	"comment":       {bit: 4, check: (*spdxReader).checkString},
}

var spdxRelationshipFields = spdxFields{
	"spdxElementId":      {bit: 0},
	"relatedSpdxElement": {bit: 1},
	"relationshipType":   {bit: 2},
	"comment":            {bit: 3},
}

var spdxAnnotationFields = spdxFields{
	"annotator":      {bit: 0, check: (*spdxReader).checkAnnotator},
	"annotationDate": {bit: 1, check: (*spdxReader).checkString},
	"annotationType": {bit: 2, check: (*spdxReader).checkString},
	"comment":        {bit: 3, check: (*spdxReader).checkString},
}

var spdxSnippetFields = spdxFields{
	"SPDXID":                {bit: 0, check: (*spdxReader).checkElementID},
	"snippetFromFile":       {bit: 1, check: (*spdxReader).checkElementID},
	"ranges":                {bit: 2, check: func(r *spdxReader) bool { return r.checkObjects(spdxSnippetRangeFields) }},
	"licenseConcluded":      {bit: 3, check: (*spdxReader).checkString},
	"licenseInfoInSnippets": {bit: 4, check: (*spdxReader).checkStrings},
	"licenseComments":       {bit: 5, check: (*spdxReader).checkString},
	"copyrightText":         {bit: 6, check: (*spdxReader).checkString},
	"comment":               {bit: 7, check: (*spdxReader).checkString},
	"name":                  {bit: 8, check: (*spdxReader).checkString},
}

var spdxSnippetRangeFields = spdxFields{
	"startPointer": {bit: 0, check: func(r *spdxReader) bool { return r.checkObject(spdxSnippetPointerFields) }},
	"endPointer":   {bit: 1, check: func(r *spdxReader) bool { return r.checkObject(spdxSnippetPointerFields) }},
}

var spdxSnippetPointerFields = spdxFields{
	"offset":     {bit: 0, check: (*spdxReader).checkInt},
	"lineNumber": {bit: 1, check: (*spdxReader).checkInt},
	"reference":  {bit: 2, check: (*spdxReader).checkElementID},
}

var spdxExternalDocumentRefFields = spdxFields{
	"externalDocumentId": {bit: 0, check: (*spdxReader).checkDocumentID},
	"spdxDocument":       {bit: 1, check: (*spdxReader).checkString},
	"checksum":           {bit: 2, check: func(r *spdxReader) bool { return r.checkObject(spdxChecksumFieldsChecked) }},
}

// spdxChecksumFieldsChecked are the members of a checksum the model does
// not use (an external document's).
var spdxChecksumFieldsChecked = spdxFields{
	"algorithm":     {bit: 0, check: (*spdxReader).checkString},
	"checksumValue": {bit: 1, check: (*spdxReader).checkString},
}

// document reads the top-level object and makes its relationships what
// tools-golang's Document.UnmarshalJSON makes them.
func (r *spdxReader) document() *spdxDoc {
	d := &spdxDoc{nullPackage: -1}
	var seen members
	var docID string // SPDXID without prefix
	var describes []spdxRef
	var hasFiles [][]spdxRef // per package
	r.object(func(key string) {
		if decode, _ := r.member(key, &seen, spdxDocumentFields); !decode {
			return
		}
		switch key {
		case "spdxVersion":
			r.text(&d.version)
		case "SPDXID":
			if id := r.elementID(); id != "" {
				docID = id[len(spdxRefPrefix):]
			}
		case "name":
			r.text(&d.name)
		case "documentNamespace":
			r.text(&d.namespace)
		case "creationInfo":
			if !r.null() {
				r.creationInfo(d)
			}
		case "packages":
			if r.null() {
				return
			}
			d.packages = []*spdxPackage{}
			r.array(func() {
				if r.null() {
					if d.nullPackage < 0 {
						d.nullPackage = len(d.packages)
					}
					d.packages = append(d.packages, nil)
					hasFiles = append(hasFiles, nil)
					return
				}
				p, files := r.pkg()
				d.packages = append(d.packages, p)
				hasFiles = append(hasFiles, files)
			})
		case "files":
			if r.null() {
				return
			}
			d.files = []*spdxFileEntry{}
			r.array(func() {
				var f *spdxFileEntry
				if !r.null() {
					var set bool
					if f, set = r.file(); r.v22 && !set {
						f = nil // tools-golang's conversion from 2.2 drops empty values
					}
				}
				d.files = append(d.files, f)
			})
		case "hasExtractedLicensingInfos":
			if r.null() {
				return
			}
			r.array(func() {
				if r.null() {
					return
				}
				if l := r.otherLicense(); l.id != "" && l.name != "" {
					d.licenses = append(d.licenses, l)
				}
			})
		case "relationships":
			if r.null() {
				return
			}
			d.rels = []*spdxRelEntry{}
			r.array(func() {
				if !r.null() { // tools-golang drops null relationships
					d.rels = append(d.rels, r.relationship())
				}
			})
		case "documentDescribes":
			if !r.null() {
				r.array(func() { describes = append(describes, r.docElementID()) })
			}
		}
	})
	d.addImplied(docID, describes, hasFiles)
	if r.v22 {
		for i, rel := range d.rels {
			if *rel == (spdxRelEntry{}) {
				d.rels[i] = nil // tools-golang's conversion from 2.2 drops empty values
			}
		}
	}
	return d
}

// addImplied adds the relationships that documentDescribes and the
// packages' hasFiles imply, unless the document states them, as
// tools-golang's Document.UnmarshalJSON does.
func (d *spdxDoc) addImplied(docID string, describes []spdxRef, hasFiles [][]spdxRef) {
	n := len(describes)
	for _, fs := range hasFiles {
		n += len(fs)
	}
	if n == 0 {
		return
	}
	key := func(r *spdxRelEntry) string {
		a, b, typ := r.a.rendered(), r.b.rendered(), r.typ
		switch typ {
		case common.TypeRelationshipContainedBy:
			a, b, typ = b, a, common.TypeRelationshipContains
		case common.TypeRelationshipDescribeBy:
			a, b, typ = b, a, common.TypeRelationshipDescribe
		}
		return a + "-" + typ + "->" + b
	}
	exists := make(map[string]bool, len(d.rels)+n)
	for _, r := range d.rels {
		exists[key(r)] = true
	}
	add := func(from string, to spdxRef, typ string) {
		r := &spdxRelEntry{b: to, typ: typ}
		if from != "" {
			r.a = spdxRef{kind: spdxRefElement, s: spdxRefPrefix + from}
		}
		if k := key(r); !exists[k] {
			exists[k] = true
			d.rels = append(d.rels, r)
		}
	}
	for _, to := range describes {
		add(docID, to, common.TypeRelationshipDescribe)
	}
	for i, fs := range hasFiles {
		if p := d.packages[i]; p != nil {
			for _, to := range fs {
				add(strings.TrimPrefix(p.id, spdxRefPrefix), to, common.TypeRelationshipContains)
			}
		}
	}
}

func (r *spdxReader) creationInfo(d *spdxDoc) {
	var seen members
	r.object(func(key string) {
		if decode, _ := r.member(key, &seen, spdxCreationInfoFields); !decode {
			return
		}
		switch key {
		case "creators":
			if r.null() {
				return
			}
			d.creators = []common.Creator{}
			r.array(func() {
				typ, name := r.typed(false)
				d.creators = append(d.creators, common.Creator{CreatorType: strings.TrimSpace(typ), Creator: strings.TrimSpace(name)})
			})
		case "created":
			r.text(&d.created)
		}
	})
}

// pkg reads a package, and the hasFiles that tools-golang turns into
// relationships.
func (r *spdxReader) pkg() (*spdxPackage, []spdxRef) {
	p := &spdxPackage{id: spdxRefPrefix}
	var hasFiles []spdxRef
	var seen members
	r.object(func(key string) {
		if decode, _ := r.member(key, &seen, spdxPackageFields); !decode {
			return
		}
		switch key {
		case "name":
			r.text(&p.name)
		case "SPDXID":
			p.id = r.elementID()
		case "versionInfo":
			r.text(&p.version)
		case "supplier":
			if !r.null() {
				if _, name := r.typed(true); strings.TrimSpace(name) != noAssertion {
					p.supplier = strings.TrimSpace(name)
				}
			}
		case "checksums":
			p.checksums = r.checksums()
		case "sourceInfo":
			r.text(&p.sourceInfo)
		case "licenseConcluded":
			r.text(&p.concluded)
		case "licenseDeclared":
			r.text(&p.declared)
		case "externalRefs":
			if r.null() {
				return
			}
			p.refs = []spdxExtRef{}
			r.array(func() {
				if r.null() {
					p.refs = append(p.refs, spdxExtRef{null: true})
					return
				}
				p.refs = append(p.refs, r.externalRef())
			})
		case "primaryPackagePurpose":
			r.text(&p.purpose)
		case "hasFiles":
			if !r.null() {
				r.array(func() { hasFiles = append(hasFiles, r.docElementID()) })
			}
		}
	})
	return p, hasFiles
}

func (r *spdxReader) externalRef() spdxExtRef {
	var ref spdxExtRef
	var seen members
	var set bool // category or comment
	r.object(func(key string) {
		decode, s := r.member(key, &seen, spdxExternalRefFields)
		set = set || s
		if !decode {
			return
		}
		switch key {
		case "referenceType":
			r.text(&ref.typ)
		case "referenceLocator":
			r.text(&ref.locator)
		}
	})
	if r.v22 && !set && ref.typ == "" && ref.locator == "" {
		ref.null = true // tools-golang's conversion from 2.2 drops empty values
	}
	return ref
}

// checksums decodes a []common.Checksum: nil for null, a zero checksum for
// a null element.
func (r *spdxReader) checksums() []common.Checksum {
	if r.null() {
		return nil
	}
	cs := []common.Checksum{}
	r.array(func() {
		var c common.Checksum
		if !r.null() {
			c = r.checksum()
		}
		cs = append(cs, c)
	})
	return cs
}

func (r *spdxReader) checksum() common.Checksum {
	var c common.Checksum
	var seen members
	r.object(func(key string) {
		if decode, _ := r.member(key, &seen, spdxChecksumFields); !decode {
			return
		}
		switch key {
		case "algorithm":
			var a string
			r.text(&a)
			c.Algorithm = common.ChecksumAlgorithm(a)
		case "checksumValue":
			r.text(&c.Value)
		}
	})
	return c
}

// file reads a file, and reports whether any of its fields is set (SPDX 2.2
// files with none become null in tools-golang's conversion to 2.3).
func (r *spdxReader) file() (f *spdxFileEntry, set bool) {
	f = &spdxFileEntry{id: spdxRefPrefix}
	var seen members
	r.object(func(key string) {
		decode, s := r.member(key, &seen, spdxFileFields)
		set = set || s
		if !decode {
			return
		}
		switch key {
		case "fileName":
			if !r.text(&f.name) && f.name != "" {
				set = true
			}
		case "SPDXID":
			f.id = r.elementID()
			set = true
		case "checksums":
			f.checksums = r.checksums()
			set = set || f.checksums != nil
		}
	})
	return f, set
}

func (r *spdxReader) otherLicense() spdxLicense {
	var l spdxLicense
	var seen members
	r.object(func(key string) {
		if decode, _ := r.member(key, &seen, spdxOtherLicenseFields); !decode {
			return
		}
		switch key {
		case "licenseId":
			r.text(&l.id)
		case "name":
			r.text(&l.name)
		}
	})
	return l
}

func (r *spdxReader) relationship() *spdxRelEntry {
	rel := &spdxRelEntry{}
	var seen members
	r.object(func(key string) {
		if decode, _ := r.member(key, &seen, spdxRelationshipFields); !decode {
			return
		}
		switch key {
		case "spdxElementId":
			rel.a = r.docElementID()
		case "relatedSpdxElement":
			rel.b = r.docElementID()
		case "relationshipType":
			r.text(&rel.typ)
		case "comment":
			r.text(&rel.comment)
		}
	})
	return rel
}
