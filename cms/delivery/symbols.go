package delivery

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// A symbol is the code of a value many list entries hold alike (a type, a
// channel, a department, a leader's name; a channel's ancestry, a set of
// issuers): 4 bytes an entry instead of a 16- or 24-byte header, and one
// copy of the value for all of them rather than one per decoded document
// (issue 16 item 7, docs/benchmarks.md "viewslim"). Code 0 is the zero
// value ("", a nil list).
type symbol uint32

// symbols interns values as codes. Codes are never taken back: the values
// are the few a portal's items share (their number does not grow with
// the items), and a reader holding an entry can always read its values.
type symbols[T any] struct {
	mu    sync.Mutex
	codes map[string]symbol
	// vals is read without a lock: a writer appends past what any reader
	// has seen and then publishes the longer slice, so that every code a
	// published entry holds is within the slice a reader loads.
	vals atomic.Pointer[[]T]
}

func newSymbols[T any]() *symbols[T] {
	s := &symbols[T]{codes: map[string]symbol{}}
	vals := make([]T, 1, 64) // code 0: the zero value
	s.vals.Store(&vals)
	return s
}

// code is the code of the value key names; value makes the value the
// first time (value).
func (s *symbols[T]) code(key string, value func() T) symbol {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.codes[key]; ok {
		return c
	}
	vals := append(*s.vals.Load(), value())
	c := symbol(len(vals) - 1)
	s.codes[strings.Clone(key)] = c
	s.vals.Store(&vals)
	return c
}

// at is the value of code c.
func (s *symbols[T]) at(c symbol) T { return (*s.vals.Load())[c] }

var (
	sharedStrings = newSymbols[string]()
	sharedLists   = newSymbols[[]string]()
)

// stringSymbol is a string field of an index document as a symbol.
func stringSymbol(f map[string]any, name string) symbol {
	v := str(f, name)
	if v == "" {
		return 0
	}
	return sharedStrings.code(v, func() string { return strings.Clone(v) })
}

// str is a string symbol's value.
func (c symbol) str() string { return sharedStrings.at(c) }

// list is a list symbol's value (never to be changed).
func (c symbol) list() []string { return sharedLists.at(c) }

// listKey is a list's key among the shared lists: each element with its
// length before it, so that no two lists share one ([] and [""], ["a\x00b"]
// and ["a", "b"] did when the key was the elements joined by NUL), and an
// empty list that is not nil has a key ("").
func listKey(l []string) string {
	var b strings.Builder
	for _, s := range l {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
	}
	return b.String()
}

// listSymbol is a list field of an index document as a symbol. An empty
// list that is not nil keeps its own code, so that the entry's value is
// what the document held.
func listSymbol(v any) symbol {
	l := strings2(v)
	if l == nil {
		return 0
	}
	return sharedLists.code(listKey(l), func() []string {
		l = slices.Clone(l) // the index document's own list stays untouched
		for i := range l {
			l[i] = sharedStrings.at(sharedStrings.code(l[i], func() string { return strings.Clone(l[i]) }))
		}
		return l
	})
}
