package sbom

import (
	"bytes"
	"encoding/json"
)

// topLevel is what detection needs from a JSON document's top-level object.
// Filled by sniff in one pass over the bytes, without decoding anything else.
type topLevel struct {
	spdxVersion string // "spdxVersion"
	bomFormat   string // "bomFormat"
	specVersion string // "specVersion"
	hasType     bool   // "_type" (in-toto statement)
	hasData     bool   // "Data" (cosign legacy wrapper)
	keys        int    // number of top-level members
}

// sniff scans the top-level object of b and records the members that tell
// the formats apart. It stops as soon as it has found spdxVersion, or
// bomFormat and specVersion (which documents put first), so it costs next
// to nothing on a bare document; the decoder checks afterwards that the
// document does not say otherwise further on. It checks only the structure
// it walks (strings, nesting); the library decode that follows validates
// the rest. ok is false when b is not a JSON object as far as the scan can
// tell.
func sniff(b []byte) (tl topLevel, ok bool) {
	s := scanner{b: b}
	s.space()
	if !s.consume('{') {
		return tl, false
	}
	s.space()
	if s.consume('}') {
		return tl, s.end()
	}
	for {
		s.space()
		ks, ke, ok := s.str()
		if !ok {
			return tl, false
		}
		s.space()
		if !s.consume(':') {
			return tl, false
		}
		s.space()
		vs := s.i
		if !s.value() {
			return tl, false
		}
		tl.keys++
		key := b[ks:ke]
		if bytes.IndexByte(key, '\\') >= 0 {
			var k string
			if json.Unmarshal(b[ks-1:ke+1], &k) != nil {
				return tl, false
			}
			key = []byte(k)
		}
		val := b[vs:s.i]
		switch string(key) {
		case "spdxVersion":
			tl.spdxVersion = stringValue(val)
		case "bomFormat":
			tl.bomFormat = stringValue(val)
		case "specVersion":
			tl.specVersion = stringValue(val)
		case "_type":
			tl.hasType = true
		case "Data":
			tl.hasData = true
		}
		if tl.spdxVersion != "" || tl.bomFormat != "" && tl.specVersion != "" {
			return tl, true
		}
		s.space()
		if s.consume(',') {
			continue
		}
		if s.consume('}') {
			return tl, s.end()
		}
		return tl, false
	}
}

// stringValue returns the JSON string v decoded, or "" when v is not a string.
func stringValue(v []byte) string {
	if len(v) < 2 || v[0] != '"' {
		return ""
	}
	inner := v[1 : len(v)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(inner)
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		return ""
	}
	return s
}

// scanner walks JSON bytes without decoding them.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) consume(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// end reports whether only white space is left.
func (s *scanner) end() bool {
	s.space()
	return s.i == len(s.b)
}

// str scans a string and returns the bounds of its contents.
func (s *scanner) str() (start, end int, ok bool) {
	if !s.consume('"') {
		return 0, 0, false
	}
	start = s.i
	for s.i < len(s.b) {
		j := bytes.IndexAny(s.b[s.i:], "\"\\")
		if j < 0 {
			return 0, 0, false
		}
		s.i += j
		if s.b[s.i] == '\\' {
			s.i += 2
			continue
		}
		end = s.i
		s.i++
		return start, end, true
	}
	return 0, 0, false
}

// value skips one JSON value.
func (s *scanner) value() bool {
	if s.i >= len(s.b) {
		return false
	}
	switch s.b[s.i] {
	case '"':
		_, _, ok := s.str()
		return ok
	case '{', '[':
		return s.composite()
	default:
		start := s.i
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return s.i > start
			case '"', '{', '[', ':':
				return false
			}
			s.i++
		}
		return s.i > start
	}
}

// composite skips an object or array, tracking only nesting and strings.
func (s *scanner) composite() bool {
	depth := 0
	for s.i < len(s.b) {
		j := bytes.IndexAny(s.b[s.i:], "\"{}[]")
		if j < 0 {
			return false
		}
		s.i += j
		switch s.b[s.i] {
		case '"':
			if _, _, ok := s.str(); !ok {
				return false
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		}
		s.i++
		if depth == 0 {
			return true
		}
	}
	return false
}
