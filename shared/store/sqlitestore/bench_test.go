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
// (as Put stores them now) and stored as plain JSON (as a database
// written before compression holds them, and as Put stored them): the
// ratio of the two is what compression costs a read (issue 16 item 7).
func BenchmarkGetPortalItem(b *testing.B) {
	const docs = 1000
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "zhengwu.db")
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
	for _, coll := range []string{"plain", "compressed"} {
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
