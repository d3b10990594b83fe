package storetest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"zhengwu/shared/store"
)

// The benchmarks every adapter runs, so that their figures compare: the
// same documents, the same ids, the same loop.

// benchDocs is how many documents the benchmarks spread over.
const benchDocs = 100

// benchData is each benchmark document.
var benchData = []byte(`{"n":1,"名":"秘书一处"}`)

// benchID is the i-th benchmark document's id.
func benchID(i int) string { return fmt.Sprintf("id-%03d", i%benchDocs) }

// BenchGet measures reading one document by id, over benchDocs stored ones.
func BenchGet(b *testing.B, s store.Store) {
	ctx := context.Background()
	for i := range benchDocs {
		if _, err := s.Put(ctx, "c", benchID(i), benchData, 0); err != nil {
			b.Fatal(err)
		}
	}
	i := 0
	for b.Loop() {
		if _, err := s.Get(ctx, "c", benchID(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchPut measures an unconditional write (store.AnyVersion) over
// benchDocs ids.
func BenchPut(b *testing.B, s store.Store) {
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := s.Put(ctx, "c", benchID(i), benchData, store.AnyVersion); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchPutParallel is BenchPut from parallel goroutines (b.RunParallel).
func BenchPutParallel(b *testing.B, s store.Store) {
	ctx := context.Background()
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Put(ctx, "c", benchID(int(n.Add(1))), benchData, store.AnyVersion); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
