package dhi

import (
	"bytes"
	"container/list"
	"hash/maphash"
	"sync"
	"sync/atomic"
)

// parseMemo shares parsed documents by parser and content: between the
// platforms of one image, or between every image a [Fleet] opens. A bounded
// memo forgets the least recently used documents once the documents it
// holds exceed max bytes; a forgotten document is parsed again when next
// asked for, and whoever holds it keeps it.
//
// Documents are found by a hash with a seed chosen per process (cheaper
// than a cryptographic digest, and not predictable by whoever wrote the
// documents) and then compared byte for byte, so two documents are shared
// only when they are identical.
type parseMemo struct {
	seed maphash.Seed

	mu      sync.Mutex
	max     int64 // bytes of source documents held; 0 is unbounded
	size    int64
	entries map[uint64][]*list.Element
	lru     list.List // of *memoEntry, most recent first

	parsed atomic.Int64 // documents parsed
	shared atomic.Int64 // requests answered by an earlier parse
}

type memoEntry struct {
	sum  uint64
	kind Kind
	doc  []byte
	c    *cached
}

func newParseMemo(max int64) *parseMemo {
	return &parseMemo{seed: maphash.MakeSeed(), max: max, entries: map[uint64][]*list.Element{}}
}

// parse returns what parse made of doc, calling it once for each kind and
// content however many callers ask at once.
func (m *parseMemo) parse(kind Kind, doc []byte, parse func() (any, error)) (any, error) {
	sum := maphash.Bytes(m.seed, doc)
	m.mu.Lock()
	var c *cached
	for _, e := range m.entries[sum] {
		if me := e.Value.(*memoEntry); me.kind == kind && bytes.Equal(me.doc, doc) {
			m.lru.MoveToFront(e)
			c = me.c
			m.shared.Add(1)
			break
		}
	}
	if c == nil {
		c = &cached{}
		e := m.lru.PushFront(&memoEntry{sum: sum, kind: kind, doc: doc, c: c})
		m.entries[sum] = append(m.entries[sum], e)
		m.size += int64(len(doc))
		m.evict()
	}
	m.mu.Unlock()
	c.once.Do(func() {
		m.parsed.Add(1)
		c.v, c.err = parse()
	})
	return c.v, c.err
}

// evict forgets the least recently used documents while the memo holds
// more than its bound, keeping at least the newest.
func (m *parseMemo) evict() {
	for m.max > 0 && m.size > m.max && m.lru.Len() > 1 {
		e := m.lru.Back()
		me := e.Value.(*memoEntry)
		m.lru.Remove(e)
		bucket := m.entries[me.sum]
		for i, x := range bucket {
			if x == e {
				bucket = append(bucket[:i], bucket[i+1:]...)
				break
			}
		}
		if len(bucket) == 0 {
			delete(m.entries, me.sum)
		} else {
			m.entries[me.sum] = bucket
		}
		m.size -= int64(len(me.doc))
	}
}
