package sqlitestore_test

import (
	"testing"

	"zhengwu/shared/store/storetest"
)

func BenchmarkGet(b *testing.B) { storetest.BenchGet(b, storetest.NewSQLite(b)) }

// BenchmarkPut measures an unconditional write: document and feed entry in
// one transaction.
func BenchmarkPut(b *testing.B) { storetest.BenchPut(b, storetest.NewSQLite(b)) }

// BenchmarkPutParallel measures writers contending for SQLite's single
// writer connection.
func BenchmarkPutParallel(b *testing.B) { storetest.BenchPutParallel(b, storetest.NewSQLite(b)) }
