package sqlitestore_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"zhengwu/shared/store"
	"zhengwu/shared/store/sqlitestore"
	"zhengwu/shared/store/storetest"
)

func BenchmarkGet(b *testing.B) { storetest.BenchGet(b, storetest.NewSQLite(b)) }

// BenchmarkPut measures an unconditional write: document and feed entry in
// one transaction.
func BenchmarkPut(b *testing.B) { storetest.BenchPut(b, storetest.NewSQLite(b)) }

// BenchmarkPutParallel measures writers contending for SQLite's single
// writer connection.
func BenchmarkPutParallel(b *testing.B) { storetest.BenchPutParallel(b, storetest.NewSQLite(b)) }

// portalDoc is a document the size of a portal item (~2.8 KB of JSON,
// its body as HTML and as text).
func portalDoc(i int) []byte {
	body := strings.Repeat(fmt.Sprintf("坚持以人民为中心的发展思想，统筹发展和安全，推进第%d项工作。", i), 14)
	return fmt.Appendf(nil, `{"id":"it%06d","title":"关于推进数字政府建设的通知","body":"<p>%s</p>","bodyText":"%s"}`, i, body, body)
}

// BenchmarkGetPortalItem reads portal-sized documents stored compressed
// with their collection's dictionary (as Put stores them once a collection
// holds 5,000 documents), compressed without one (as Put stores them
// before, and as a database written before dictionaries holds them) and as
// plain JSON (a database written before compression): the ratios are what
// each costs a read (issue 16 item 7).
func BenchmarkGetPortalItem(b *testing.B) {
	const docs = 1000
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "zhengwu.db")
	restore := sqlitestore.SetTrainAt(1 << 30)
	defer restore()
	st, err := sqlitestore.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	for i := range docs {
		if _, err := st.Put(ctx, "compressed", fmt.Sprint(i), portalDoc(i), store.AnyVersion); err != nil {
			b.Fatal(err)
		}
		if _, err := raw.Exec("INSERT INTO docs (collection, id, version, seq, data, updated_at) VALUES ('plain', ?, 1, 0, ?, 0)",
			fmt.Sprint(i), portalDoc(i)); err != nil {
			b.Fatal(err)
		}
	}
	fillWithDictionary(b, st, "dictionary", docs)
	for _, coll := range []string{"plain", "compressed", "dictionary"} {
		b.Run(coll, func(b *testing.B) {
			i := 0
			for b.Loop() {
				if _, err := st.Get(ctx, coll, fmt.Sprint(i%docs)); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// fillWithDictionary writes docs portal-sized documents into collection,
// the last of which makes its dictionary, and waits for it.
func fillWithDictionary(b *testing.B, st *sqlitestore.Store, collection string, docs int) {
	defer sqlitestore.SetTrainAt(docs)()
	for i := range docs {
		if _, err := st.Put(context.Background(), collection, fmt.Sprint(i), portalDoc(i), store.AnyVersion); err != nil {
			b.Fatal(err)
		}
	}
	st.WaitCompression()
}

// BenchmarkPutPortalItem writes portal-sized documents into a collection
// without a dictionary and into one with (the ratio is what the
// dictionary costs a write).
func BenchmarkPutPortalItem(b *testing.B) {
	const docs = 1000
	ctx := context.Background()
	defer sqlitestore.SetTrainAt(1 << 30)()
	st, err := sqlitestore.Open(filepath.Join(b.TempDir(), "zhengwu.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	fillWithDictionary(b, st, "dictionary", docs)
	for _, coll := range []string{"compressed", "dictionary"} {
		b.Run(coll, func(b *testing.B) {
			i := 0
			for b.Loop() {
				if _, err := st.Put(ctx, coll, fmt.Sprint(i%docs), portalDoc(i), store.AnyVersion); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
