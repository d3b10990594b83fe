package mongostore

import (
	"context"
	"fmt"
	"testing"

	"zhengwu/shared/store"
)

// The benchmarks run against the same backend as the tests: embedded
// FerretDB unless MONGODB_URI is set. FerretDB figures say nothing about
// production speed (it uses no index for queries); they catch regressions
// in the adapter's round trips.

const benchDocs = 100

func BenchmarkGet(b *testing.B) {
	s := newStore(b)
	ctx := context.Background()
	for i := range benchDocs {
		if _, err := s.Put(ctx, "c", fmt.Sprintf("id-%03d", i), []byte(`{"n":1,"名":"秘书一处"}`), 0); err != nil {
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

// BenchmarkPut measures an unconditional write: counter, document, feed entry.
func BenchmarkPut(b *testing.B) {
	s := newStore(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		id := fmt.Sprintf("id-%03d", i%benchDocs)
		if _, err := s.Put(ctx, "c", id, []byte(`{"n":1,"名":"秘书一处"}`), store.AnyVersion); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
