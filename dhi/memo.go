package dhi

import (
	"container/list"
	"crypto/sha256"
	"sync"
	"sync/atomic"
)

// parseMemo shares parsed documents by parser and content digest: between
// the platforms of one image, or between every image a [Fleet] opens. A
// bounded memo forgets the least recently used documents once the
// documents it holds exceed max bytes; a forgotten document is parsed
// again when next asked for, and whoever holds it keeps it.
type parseMemo struct {
	mu      sync.Mutex
	max     int64 // bytes of source documents held; 0 is unbounded
	size    int64
	entries map[memoKey]*list.Element
	lru     list.List // of *memoEntry, most recent first

	parsed atomic.Int64 // documents parsed
	shared atomic.Int64 // requests answered by an earlier parse
}

type memoKey struct {
	kind string
	sum  [sha256.Size]byte
}

type memoEntry struct {
	key  memoKey
	size int64
	c    *cached
}

func newParseMemo(max int64) *parseMemo {
	return &parseMemo{max: max, entries: map[memoKey]*list.Element{}}
}

// parse returns what parse made of doc, calling it once for each kind and
// content however many callers ask at once.
func (m *parseMemo) parse(kind string, doc []byte, parse func() (any, error)) (any, error) {
	k := memoKey{kind: kind, sum: sha256.Sum256(doc)}
	m.mu.Lock()
	var c *cached
	if e, ok := m.entries[k]; ok {
		m.lru.MoveToFront(e)
		c = e.Value.(*memoEntry).c
		m.shared.Add(1)
	} else {
		c = &cached{}
		m.entries[k] = m.lru.PushFront(&memoEntry{key: k, size: int64(len(doc)), c: c})
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
		delete(m.entries, me.key)
		m.size -= me.size
	}
}
