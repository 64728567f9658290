package scanreport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// object is a JSON object decoded with its members in order and their
// values kept as written, so that a report can be rewritten with only the
// changed parts different.
type object []member

// member is one member of an [object].
type member struct {
	key string
	val json.RawMessage
}

// UnmarshalJSON reads a JSON object, keeping member order and raw values.
// encoding/json has checked that b is valid JSON before calling it, so a
// plain scan finds where each key and value ends.
func (o *object) UnmarshalJSON(b []byte) error {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return errors.New("not a JSON object")
	}
	*o = (*o)[:0]
	i = skipSpace(b, i+1)
	for i < len(b) && b[i] != '}' {
		end := skipValue(b, i)
		var k string
		if err := json.Unmarshal(b[i:end], &k); err != nil {
			return err
		}
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return errors.New("malformed JSON object")
		}
		start := skipSpace(b, i+1)
		end = skipValue(b, start)
		if end <= start {
			return errors.New("malformed JSON object")
		}
		*o = append(*o, member{k, json.RawMessage(b[start:end])})
		i = skipSpace(b, end)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return nil
}

// skipSpace returns the index of the first non-space byte of b at or
// after i.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index just after the JSON value that starts at
// b[i], for valid JSON.
func skipValue(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch c := b[i]; c {
		case '"':
			i++
			for i < len(b) && b[i] != '"' {
				if b[i] == '\\' {
					i++
				}
				i++
			}
			i++
		case '{', '[':
			depth++
			i++
		case '}', ']':
			depth--
			i++
		case ',', ':', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return i
			}
			i++
		default:
			i++
		}
		if depth == 0 && (i >= len(b) || b[i-1] == '"' || b[i-1] == '}' || b[i-1] == ']') {
			return min(i, len(b))
		}
	}
	return min(i, len(b))
}

// MarshalJSON writes the object with its members in order.
func (o object) MarshalJSON() ([]byte, error) {
	return o.appendTo(nil)
}

// appendTo appends the object to b, its values as they are: raw values
// keep their whitespace, which [layout.write] normalizes once for the
// whole document.
func (o object) appendTo(b []byte) ([]byte, error) {
	b = append(b, '{')
	for i, m := range o {
		if i > 0 {
			b = append(b, ',')
		}
		k, err := marshal(m.key)
		if err != nil {
			return nil, err
		}
		b = append(append(b, k...), ':')
		b = append(b, m.val...)
	}
	return append(b, '}'), nil
}

// setRaw replaces the value of key with raw JSON, or appends the member.
func (o *object) setRaw(key string, raw json.RawMessage) {
	for i := range *o {
		if (*o)[i].key == key {
			(*o)[i].val = raw
			return
		}
	}
	*o = append(*o, member{key, raw})
}

// rawArray joins raw values into a JSON array.
func rawArray(items []json.RawMessage) json.RawMessage {
	b := []byte{'['}
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, it...)
	}
	return append(b, ']')
}

// objectArray writes objects as a JSON array.
func objectArray(items []object) (json.RawMessage, error) {
	b := []byte{'['}
	var err error
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = it.appendTo(b); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

// setObjects replaces the value of key with an array of objects.
func (o *object) setObjects(key string, items []object) error {
	raw, err := objectArray(items)
	if err != nil {
		return err
	}
	o.setRaw(key, raw)
	return nil
}

// get returns the raw value of key, nil when absent.
func (o object) get(key string) json.RawMessage {
	for _, m := range o {
		if m.key == key {
			return m.val
		}
	}
	return nil
}

// set replaces the value of key, or appends the member when absent.
func (o *object) set(key string, v any) error {
	raw, err := marshal(v)
	if err != nil {
		return err
	}
	for i := range *o {
		if (*o)[i].key == key {
			(*o)[i].val = raw
			return nil
		}
	}
	*o = append(*o, member{key, raw})
	return nil
}

// del removes key.
func (o *object) del(key string) {
	for i := range *o {
		if (*o)[i].key == key {
			*o = append((*o)[:i], (*o)[i+1:]...)
			return
		}
	}
}

// getObjects decodes the value of key as an array of objects; nil when
// absent or null.
func (o object) getObjects(key string) ([]object, error) {
	raw := o.get(key)
	if raw == nil || string(raw) == "null" {
		return nil, nil
	}
	var out []object
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("%s: %v", key, err)
	}
	return out, nil
}

// getRaws decodes the value of key as an array of raw values; nil when
// absent or null.
func (o object) getRaws(key string) ([]json.RawMessage, error) {
	raw := o.get(key)
	if raw == nil || string(raw) == "null" {
		return nil, nil
	}
	var out []json.RawMessage
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("%s: %v", key, err)
	}
	return out, nil
}

// marshal encodes v as compact JSON without HTML escaping, so that values
// written back keep the characters the scanner wrote.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// layout is the whitespace style of a JSON document: its indentation unit
// and whether it ends with a newline.
type layout struct {
	indent  string
	newline bool
}

// layoutOf reads the style of b: the whitespace that starts its second
// line is the indentation unit ("" for compact JSON).
func layoutOf(b []byte) layout {
	l := layout{newline: bytes.HasSuffix(b, []byte("\n"))}
	t := bytes.TrimLeft(b, " \t\r\n")
	if i := bytes.IndexByte(t, '\n'); i >= 0 {
		rest := t[i+1:]
		n := 0
		for n < len(rest) && (rest[n] == ' ' || rest[n] == '\t') {
			n++
		}
		l.indent = string(rest[:n])
	}
	return l
}

// write encodes top in layout l.
func (l layout) write(top object) ([]byte, error) {
	raw, err := top.appendTo(nil)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Grow(len(raw) + len(raw)/4)
	if l.indent == "" {
		err = json.Compact(&b, raw)
	} else {
		err = json.Indent(&b, raw, "", l.indent)
	}
	if err != nil {
		return nil, err
	}
	if l.newline {
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}
