package delivery

import (
	"fmt"
	"slices"
	"sync"
	"testing"
)

// Values interned while others are read: each code reads back its value,
// the same value keeps its code, and (under -race) readers never race the
// writers that grow the table.
func TestSymbolsInternWhileRead(t *testing.T) {
	t.Parallel()
	s := newSymbols[string]()
	type coded struct {
		c symbol
		v string
	}
	got := make(chan coded, 64)
	var writers, readers sync.WaitGroup
	for w := range 4 {
		writers.Go(func() {
			for i := range 500 {
				v := fmt.Sprintf("值%d", (w*500+i)%700) // writers share some values
				got <- coded{s.code(v, func() string { return v }), v}
			}
		})
	}
	codes := map[string]symbol{}
	var mu sync.Mutex
	for range 2 {
		readers.Go(func() {
			for c := range got {
				if v := s.at(c.c); v != c.v {
					t.Errorf("code %d reads %q, want %q", c.c, v, c.v)
				}
				mu.Lock()
				if old, ok := codes[c.v]; ok && old != c.c {
					t.Errorf("%q has codes %d and %d", c.v, old, c.c)
				}
				codes[c.v] = c.c
				mu.Unlock()
			}
		})
	}
	writers.Wait()
	close(got)
	readers.Wait()
	if len(codes) != 700 || s.at(0) != "" {
		t.Errorf("%d values interned, want 700; code 0 is %q", len(codes), s.at(0))
	}
}

// Lists that differ never share a symbol: not [] and [""], not
// ["a\x00b"] and ["a", "b"]; a nil list is code 0, an empty one is not.
func TestListSymbolsKeepListsApart(t *testing.T) {
	t.Parallel()
	lists := [][]string{{}, {""}, {"", ""}, {"a\x00b"}, {"a", "b"}, {"ab"}, {"a", "", "b"}, {"1:a"}, {"a:1"}}
	seen := map[symbol]int{}
	for i, l := range lists {
		c := listSymbol(l)
		if j, ok := seen[c]; ok {
			t.Errorf("%q and %q share symbol %d", lists[j], l, c)
		}
		seen[c] = i
		if got := c.list(); !slices.Equal(got, l) || got == nil {
			t.Errorf("symbol of %q holds %q", l, got)
		}
	}
	if c := listSymbol(nil); c != 0 {
		t.Errorf("a nil list is symbol %d, want 0", c)
	}
}
