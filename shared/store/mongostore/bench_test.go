package mongostore

import (
	"testing"

	"zhengwu/shared/store/storetest"
)

// The benchmarks run against the same backend as the tests: embedded
// FerretDB unless MONGODB_URI is set. FerretDB figures say nothing about
// production speed (it uses no index for queries); they catch regressions
// in the adapter's round trips.

func BenchmarkGet(b *testing.B) { storetest.BenchGet(b, newStore(b)) }

// BenchmarkPut measures an unconditional write: counter, document, feed entry.
func BenchmarkPut(b *testing.B) { storetest.BenchPut(b, newStore(b)) }
