package sqlitestore_test

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"zhengwu/shared/store"
	"zhengwu/shared/store/sqlitestore"
)

// A large document is stored compressed and read back as written; a small
// one is stored as it is; a document stored as plain JSON (a database
// written before compression) is read as it is, by Get and by Scan.
func TestDocumentsStoredCompressed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "zhengwu.db")
	st, err := sqlitestore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	big := []byte(`{"title":"关于优化营商环境的通知","body":"` + strings.Repeat("坚持以人民为中心的发展思想，统筹发展和安全。", 60) + `"}`)
	small := []byte(`{"title":"短"}`)
	if _, err := st.Put(ctx, "c", "big", big, store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Put(ctx, "c", "small", small, 0); err != nil {
		t.Fatal(err)
	}

	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	stored := func(id string) []byte {
		var b []byte
		if err := raw.QueryRow("SELECT data FROM docs WHERE collection = 'c' AND id = ?", id).Scan(&b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	if b := stored("big"); bytes.HasPrefix(b, []byte("{")) || len(b)*4 > len(big) {
		t.Errorf("big document stored in %d bytes of %d, starting %q: want compressed to under a quarter", len(b), len(big), b[:4])
	}
	if b := stored("small"); !bytes.Equal(b, small) {
		t.Errorf("small document stored as %q, want it as it is", b)
	}
	legacy := []byte(`{"title":"` + strings.Repeat("旧", 200) + `"}`)
	if _, err := raw.Exec("INSERT INTO docs (collection, id, version, seq, data, updated_at) VALUES ('c', 'legacy', 1, 99, ?, 0)", legacy); err != nil {
		t.Fatal(err)
	}

	for id, want := range map[string][]byte{"big": big, "small": small, "legacy": legacy} {
		d, err := st.Get(ctx, "c", id)
		if err != nil || !bytes.Equal(d.Data, want) {
			t.Errorf("Get %s: %q, %v; want the document as written", id, d.Data, err)
		}
	}
	docs, err := st.Scan(ctx, "c", "", 10)
	if err != nil || len(docs) != 3 {
		t.Fatalf("Scan: %d docs, %v", len(docs), err)
	}
	for _, d := range docs {
		want := map[string][]byte{"big": big, "small": small, "legacy": legacy}[d.ID]
		if !bytes.Equal(d.Data, want) {
			t.Errorf("Scan %s: %q, want the document as written", d.ID, d.Data)
		}
	}
}

// A new database is in WAL mode with SQLite's 4 KB pages: 16 KB pages
// made the database smaller and every commit twice as slow (Open).
func TestNewDatabasePageSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "zhengwu.db")
	st, err := sqlitestore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var size int
	if err := raw.QueryRow("PRAGMA page_size").Scan(&size); err != nil {
		t.Fatal(err)
	}
	var mode string
	if err := raw.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if size != 4096 || mode != "wal" {
		t.Errorf("page size %d, journal mode %s; want 4096 and wal", size, mode)
	}
}
