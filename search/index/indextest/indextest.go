// Package indextest opens real Bleve indexes for tests.
package indextest

import (
	"testing"

	"zhengwu/search/index"
)

// Open opens (or creates) the index in dir with mapping m, closed when the
// test ends; one that does not open fails the test.
func Open(t testing.TB, dir string, m *index.Mapping) *index.Index {
	t.Helper()
	ix, err := index.Open(dir, m)
	if err != nil {
		t.Fatalf("open index: %v", err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	return ix
}
