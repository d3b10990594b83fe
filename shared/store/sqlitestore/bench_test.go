package sqlitestore_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
)

const benchDocs = 100

var benchData = []byte(`{"n":1,"名":"秘书一处"}`)

func BenchmarkGet(b *testing.B) {
	s := storetest.NewSQLite(b)
	ctx := context.Background()
	for i := range benchDocs {
		if _, err := s.Put(ctx, "c", fmt.Sprintf("id-%03d", i), benchData, 0); err != nil {
			b.Fatal(err)
		}
	}
	i := 0
	for b.Loop() {
		if _, err := s.Get(ctx, "c", fmt.Sprintf("id-%03d", i%benchDocs)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkPut measures an unconditional write: document and feed entry in
// one transaction.
func BenchmarkPut(b *testing.B) {
	s := storetest.NewSQLite(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if _, err := s.Put(ctx, "c", fmt.Sprintf("id-%03d", i%benchDocs), benchData, store.AnyVersion); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkPutParallel measures writers contending for SQLite's single
// writer connection.
func BenchmarkPutParallel(b *testing.B) {
	s := storetest.NewSQLite(b)
	ctx := context.Background()
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := fmt.Sprintf("id-%03d", n.Add(1)%benchDocs)
			if _, err := s.Put(ctx, "c", id, benchData, store.AnyVersion); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
