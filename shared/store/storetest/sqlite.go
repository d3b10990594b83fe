package storetest

import (
	"path/filepath"
	"testing"

	"zhengwu/shared/store"
	"zhengwu/shared/store/sqlitestore"
)

// NewSQLite gives a test its own embedded store in a fresh temporary file,
// closed when the test ends.
func NewSQLite(t testing.TB) *sqlitestore.Store {
	t.Helper()
	s, err := sqlitestore.Open(filepath.Join(t.TempDir(), "zhengwu.db"))
	if err != nil {
		t.Fatalf("open sqlite store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

var _ store.Store = (*sqlitestore.Store)(nil)
