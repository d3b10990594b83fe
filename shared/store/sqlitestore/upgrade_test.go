package sqlitestore_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"zhengwu/shared/store/sqlitestore"
)

// A database made before the docs table became a rowid table opens with
// every document, version and feed position as it was, and takes writes.
func TestOpenConvertsWithoutRowidDocsTable(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "zhengwu.db")
	old, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	// The schema as it was (sqlitestore.go before issue 16 item 7), with
	// documents stored plain, as they were before compression too.
	if _, err := old.Exec(`CREATE TABLE docs (collection TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
		seq INTEGER NOT NULL, data BLOB NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (collection, id)) WITHOUT ROWID;
		CREATE TABLE feed (seq INTEGER PRIMARY KEY AUTOINCREMENT, collection TEXT NOT NULL, id TEXT NOT NULL,
		deleted INTEGER NOT NULL, at INTEGER NOT NULL);
		CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;`); err != nil {
		t.Fatal(err)
	}
	const n = 300
	tx, err := old.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := tx.Exec("INSERT INTO feed (collection, id, deleted, at) VALUES ('items', ?, 0, 0)", fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec("INSERT INTO docs VALUES ('items', ?, ?, ?, ?, 0)", fmt.Sprint(i), 1+i%3, i+1,
			fmt.Sprintf(`{"n":%d,"t":"关于推进数字政府建设的通知"}`, i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	for round := range 2 { // the second open finds the table converted
		st, err := sqlitestore.Open(path)
		if err != nil {
			t.Fatalf("open %d: %v", round, err)
		}
		for i := range n {
			if i == 7 {
				continue // written below
			}
			d, err := st.Get(ctx, "items", fmt.Sprint(i))
			if err != nil {
				t.Fatalf("open %d: get %d: %v", round, i, err)
			}
			if want := fmt.Sprintf(`{"n":%d,"t":"关于推进数字政府建设的通知"}`, i); string(d.Data) != want {
				t.Fatalf("doc %d = %s, want %s", i, d.Data, want)
			}
			if d.Version != int64(1+i%3) || d.Seq != int64(i+1) {
				t.Fatalf("doc %d: version %d seq %d", i, d.Version, d.Seq)
			}
		}
		docs, err := st.Scan(ctx, "items", "", 2*n)
		if err != nil || len(docs) != n {
			t.Fatalf("scan: %d docs, %v", len(docs), err)
		}
		// Compare-and-set still holds on a converted table.
		if _, err := st.Put(ctx, "items", "7", []byte(`{"n":7}`), 1); err == nil {
			t.Fatal("a put expecting a stale version succeeded")
		}
		cur, _ := st.Get(ctx, "items", "7")
		if _, err := st.Put(ctx, "items", "7", []byte(`{"n":7,"round":1}`), cur.Version); err != nil {
			t.Fatal(err)
		}
		if seq, _ := st.LastSeq(ctx); seq != int64(n+1+round) {
			t.Fatalf("last seq %d, want %d", seq, n+1+round)
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ddl string
	if err := db.QueryRow("SELECT sql FROM sqlite_schema WHERE name = 'docs'").Scan(&ddl); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ToUpper(ddl), "WITHOUT ROWID") {
		t.Fatalf("docs table not converted: %s", ddl)
	}
}
