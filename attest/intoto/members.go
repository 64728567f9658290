package intoto

import (
	"errors"
	"fmt"
	"strconv"
)

// Members returns, for the JSON object in b, the raw bytes of the values of
// the given top-level keys (slices of b, not copies), in one pass that does
// not decode the other values. Values of keys not asked for are skipped.
// When a key occurs more than once, the last occurrence wins, as with
// encoding/json.
//
// It checks the object's structure (strings closed, brackets balanced,
// members separated by commas and colons, nothing after the object) but,
// unlike encoding/json, not the spelling of numbers and literals inside
// values; the decoder of each value checks those. It exists because
// attestation layers reach several megabytes and encoding/json scans a
// document twice (validation, then decoding) before a json.RawMessage is
// copied out of it. Its errors name the offset but are not
// *json.SyntaxError values; [MembersJSON] returns encoding/json's error
// instead.
func Members(b []byte, keys ...string) (map[string][]byte, error) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, errors.New("not a JSON object")
	}
	out := make(map[string][]byte, len(keys))
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		i++
	} else {
		for {
			if i >= len(b) || b[i] != '"' {
				return nil, fmt.Errorf("expected a member name at byte offset %d", i)
			}
			end, err := skipString(b, i)
			if err != nil {
				return nil, err
			}
			key := b[i:end]
			i = skipSpace(b, end)
			if i >= len(b) || b[i] != ':' {
				return nil, fmt.Errorf("expected ':' at byte offset %d", i)
			}
			i = skipSpace(b, i+1)
			vend, err := skipValue(b, i, 0)
			if err != nil {
				return nil, err
			}
			if name, ok := wanted(key, keys); ok {
				out[name] = b[i:vend]
			}
			i = skipSpace(b, vend)
			if i < len(b) && b[i] == ',' {
				i = skipSpace(b, i+1)
				continue
			}
			if i < len(b) && b[i] == '}' {
				i++
				break
			}
			return nil, fmt.Errorf("expected ',' or '}' at byte offset %d", i)
		}
	}
	if i = skipSpace(b, i); i != len(b) {
		return nil, fmt.Errorf("unexpected data after the object at byte offset %d", i)
	}
	return out, nil
}

// wanted reports which of keys the quoted JSON string key names.
func wanted(key []byte, keys []string) (string, bool) {
	raw := key[1 : len(key)-1]
	for _, c := range raw {
		if c == '\\' {
			s, err := strconv.Unquote(string(key))
			if err != nil {
				return "", false
			}
			raw = []byte(s)
			break
		}
	}
	for _, k := range keys {
		if string(raw) == k {
			return k, true
		}
	}
	return "", false
}

func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the offset just past the string starting at b[i].
func skipString(b []byte, i int) (int, error) {
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			return j + 1, nil
		case c == '\\':
			j++
		case c < 0x20:
			return 0, fmt.Errorf("control character in a string at byte offset %d", j)
		}
	}
	return 0, fmt.Errorf("unterminated string starting at byte offset %d", i)
}

// maxDepth bounds the nesting of skipped values.
const maxDepth = 10000

// skipValue returns the offset just past the value starting at b[i].
func skipValue(b []byte, i, depth int) (int, error) {
	if i >= len(b) {
		return 0, errors.New("unexpected end of JSON input")
	}
	switch c := b[i]; c {
	case '"':
		return skipString(b, i)
	case '{', '[':
		if depth == maxDepth {
			return 0, fmt.Errorf("JSON nested more than %d deep at byte offset %d", maxDepth, i)
		}
		closing := byte('}')
		if c == '[' {
			closing = ']'
		}
		j := skipSpace(b, i+1)
		if j < len(b) && b[j] == closing {
			return j + 1, nil
		}
		for {
			if c == '{' {
				if j >= len(b) || b[j] != '"' {
					return 0, fmt.Errorf("expected a member name at byte offset %d", j)
				}
				end, err := skipString(b, j)
				if err != nil {
					return 0, err
				}
				j = skipSpace(b, end)
				if j >= len(b) || b[j] != ':' {
					return 0, fmt.Errorf("expected ':' at byte offset %d", j)
				}
				j = skipSpace(b, j+1)
			}
			end, err := skipValue(b, j, depth+1)
			if err != nil {
				return 0, err
			}
			j = skipSpace(b, end)
			if j < len(b) && b[j] == ',' {
				j = skipSpace(b, j+1)
				continue
			}
			if j < len(b) && b[j] == closing {
				return j + 1, nil
			}
			return 0, fmt.Errorf("expected ',' or '%c' at byte offset %d", closing, j)
		}
	default:
		// A number or a literal: up to the next delimiter.
		j := i
		for j < len(b) {
			switch b[j] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				if j == i {
					return 0, fmt.Errorf("expected a value at byte offset %d", i)
				}
				return j, nil
			case '"', '{', '[', ':':
				return 0, fmt.Errorf("unexpected %q at byte offset %d", b[j], j)
			}
			j++
		}
		if j == i {
			return 0, errors.New("unexpected end of JSON input")
		}
		return j, nil
	}
}

// MembersJSON is [Members] whose errors are encoding/json's (a
// *json.SyntaxError with the offset) whenever encoding/json rejects the
// input too.
func MembersJSON(b []byte, keys ...string) (map[string][]byte, error) {
	m, err := Members(b, keys...)
	if err != nil {
		return nil, jsonError(b, err)
	}
	return m, nil
}
