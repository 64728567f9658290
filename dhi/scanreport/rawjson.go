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
func (o *object) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return errors.New("not a JSON object")
	}
	*o = (*o)[:0]
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		k, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return err
		}
		*o = append(*o, member{k, v})
	}
	_, err = dec.Token()
	return err
}

// MarshalJSON writes the object with its members in order.
func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshal(m.key)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(m.val)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
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
	compact, err := marshal(top)
	if err != nil {
		return nil, err
	}
	if l.indent == "" {
		if l.newline {
			compact = append(compact, '\n')
		}
		return compact, nil
	}
	var b bytes.Buffer
	if err := json.Indent(&b, compact, "", l.indent); err != nil {
		return nil, err
	}
	if l.newline {
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}
