package migrate_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"zhengwu/shared/store"
	"zhengwu/shared/store/migrate"
	"zhengwu/shared/store/mongostore"
	"zhengwu/shared/store/mongostore/mongotest"
	"zhengwu/shared/store/sqlitestore"
)

var (
	mongoURI string
	dbSerial atomic.Int64
)

func TestMain(m *testing.M) {
	uri, _, stop, err := mongotest.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "start MongoDB for the tests:", err)
		os.Exit(1)
	}
	mongoURI = uri
	code := m.Run()
	stop()
	os.Exit(code)
}

// newMongo opens a database of its own, dropped when the test ends.
func newMongo(t *testing.T) *mongostore.Store {
	t.Helper()
	name := fmt.Sprintf("zwmigrate_%d_%d", os.Getpid(), dbSerial.Add(1))
	s, err := mongostore.Open(context.Background(), mongoURI, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = s.Drop(context.Background())
		_ = s.Close()
	})
	return s
}

func newSQLite(t *testing.T) *sqlitestore.Store {
	t.Helper()
	s, err := sqlitestore.Open(filepath.Join(t.TempDir(), "zhengwu.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func put(t *testing.T, s store.Store, collection, id string, v any) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(context.Background(), collection, id, data, store.AnyVersion); err != nil {
		t.Fatal(err)
	}
}

// docsOf is a store whose Scan yields each document whole, wrapped as
// the JSON of its store.Doc, so that LoadAll[store.Doc] reads documents
// with their versions and times.
type docsOf struct{ store.Store }

func (s docsOf) Scan(ctx context.Context, collection, afterID string, limit int) ([]store.Doc, error) {
	page, err := s.Store.Scan(ctx, collection, afterID, limit)
	for i, d := range page {
		whole, err := json.Marshal(d)
		if err != nil {
			return nil, err
		}
		page[i].Data = whole
	}
	return page, err
}

// seed fills an embedded store the way a deployment does: several
// collections, documents rewritten (versions above 1) and deleted, media
// chunks of real size, a gap-free number sequence and Incr counters. It
// returns the number of documents left.
func seed(t *testing.T, s store.Store, tag string) int {
	t.Helper()
	ctx := context.Background()
	n := 0
	for i := range 60 {
		put(t, s, "cms_items", fmt.Sprintf("%s-%04d", tag, i), map[string]any{
			"title": fmt.Sprintf("关于做好%d号文件落实工作的通知", i), "body": strings.Repeat("政务公开，", 20),
			"big": json.Number("12345678901234567890"), "ratio": json.Number("1.50"), "tags": []string{"通知", "公开"}})
		n++
	}
	for i := range 30 { // rewritten: versions 1 to 3
		for v := range i%3 + 1 {
			put(t, s, "office_docs", fmt.Sprintf("doc/%03d", i), map[string]any{"state": v, "标题": "会议纪要"})
		}
		n++
	}
	for i := range 10 { // created, then deleted: only the feed remembers them
		put(t, s, "drafts", fmt.Sprint(i), map[string]any{"x": i})
		if _, err := s.Delete(ctx, "drafts", fmt.Sprint(i), store.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	blob := make([]byte, 24<<10)
	for i := range 6 { // media chunks as StoreBlobs keeps them: base64 in JSON
		_, _ = rand.Read(blob)
		put(t, s, "media_chunks", fmt.Sprintf("key%d/%06d", i/2, i%2), map[string]string{"data": base64.StdEncoding.EncodeToString(blob)})
		n++
	}
	if _, _, err := store.NextNumber(ctx, s, "fawen-2026", func(_ context.Context, no int64) ([]store.Write, error) {
		return []store.Write{{Collection: "office_docs", ID: "fawen", Data: fmt.Appendf(nil, `{"文号":"皖政办〔2026〕%d号"}`, no)}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	n += 2
	for range 3 {
		if _, err := s.Incr(ctx, "gateway.crossed", 2); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Incr(ctx, "portal.views", 41); err != nil {
		t.Fatal(err)
	}
	return n
}

// sameContents compares every document of a with b's (decoded data,
// version, feed sequence, time to the millisecond), both directions by
// count, the whole feed and the counters.
func sameContents(t *testing.T, a, b migrate.Source) {
	t.Helper()
	ctx := context.Background()
	names, err := a.Collections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bnames, _ := b.Collections(ctx)
	if !reflect.DeepEqual(names, bnames) {
		t.Fatalf("collections %v, copy %v", names, bnames)
	}
	for _, name := range names {
		// Whole scans, not a Get per document: FerretDB's SQLite
		// backend reads the collection for each Get.
		docsA, err := store.LoadAll[store.Doc](ctx, docsOf{a}, name)
		if err != nil {
			t.Fatal(err)
		}
		docsB, err := store.LoadAll[store.Doc](ctx, docsOf{b}, name)
		if err != nil || len(docsA) != len(docsB) {
			t.Fatalf("%s: %d documents, the copy %d (%v)", name, len(docsA), len(docsB), err)
		}
		for i, d := range docsA {
			got := docsB[i]
			var want, have any
			if err := json.Unmarshal(d.Data, &want); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(got.Data, &have); err != nil {
				t.Fatal(err)
			}
			if got.ID != d.ID || !reflect.DeepEqual(want, have) || got.Version != d.Version || got.Seq != d.Seq ||
				got.UpdatedAt.UnixMilli() != d.UpdatedAt.UnixMilli() {
				t.Fatalf("%s/%s differs:\n%+v\n%+v", name, d.ID, d, got)
			}
		}
	}
	fa, _ := a.Feed(ctx, 0, 1<<20)
	fb, _ := b.Feed(ctx, 0, 1<<20)
	if len(fa) != len(fb) {
		t.Fatalf("feed: %d entries, the copy %d", len(fa), len(fb))
	}
	for i := range fa {
		x, y := fa[i], fb[i]
		if x.Seq != y.Seq || x.Collection != y.Collection || x.ID != y.ID || x.Deleted != y.Deleted || x.At.UnixMilli() != y.At.UnixMilli() {
			t.Fatalf("feed entry %d: %+v, the copy %+v", i, x, y)
		}
	}
	ca, _ := a.Counters(ctx)
	cb, _ := b.Counters(ctx)
	if !reflect.DeepEqual(ca, cb) || len(ca) != 2 {
		t.Fatalf("counters %v, the copy %v", ca, cb)
	}
}

// An interrupted migration resumes where it stopped, picks up what the
// source changed in between, verifies, and a rerun writes nothing.
func TestMigrateInterruptedResumes(t *testing.T) {
	src, dst := newSQLite(t), newMongo(t)
	total := seed(t, src, "a")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var progress strings.Builder
	_, err := migrate.Copy(ctx, src, dst, migrate.Options{Batch: 20, Progress: &progress,
		AfterBatch: func(written int64) {
			if written >= 40 {
				cancel()
			}
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted copy: %v", err)
	}
	if !strings.Contains(progress.String(), "migrate: collection 1/") {
		t.Errorf("progress: %q", progress.String())
	}
	partial, err := dst.Collections(context.Background())
	if err != nil || len(partial) != 1 { // the first collection, a part of it
		t.Fatalf("after the interruption the target holds %v (%v)", partial, err)
	}

	// The source changes between the runs, in a collection already
	// copied and in one not yet reached: nothing may be skipped.
	bg := context.Background()
	put(t, src, "cms_items", "a-0000", map[string]any{"title": "已修改"})
	if _, err := src.Delete(bg, "cms_items", "a-0001", store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	put(t, src, "office_docs", "doc/999", map[string]any{"state": "new"})

	rep, err := migrate.Copy(bg, src, dst, migrate.Options{Batch: 20})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Resumed || rep.Written >= int64(total) {
		t.Errorf("the resumed run wrote %d of %d documents (resumed %v): it started over", rep.Written, total, rep.Resumed)
	}
	sameContents(t, src, dst)
}

// A finished migration of an unchanged source, run again, writes nothing.
func TestMigrateRerunDoesNothing(t *testing.T) {
	src, dst := newSQLite(t), newMongo(t)
	seed(t, src, "b")
	bg := context.Background()
	first, err := migrate.Copy(bg, src, dst, migrate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if first.Resumed || first.Written == 0 || first.Collections["cms_items"].Count != 60 {
		t.Fatalf("first run: %+v", first)
	}
	again, err := migrate.Copy(bg, src, dst, migrate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !again.Resumed || again.Written != 0 || !reflect.DeepEqual(again.Collections, first.Collections) {
		t.Fatalf("rerun: %+v", again)
	}
	// The target goes on from the source's feed position.
	last, _ := src.LastSeq(bg)
	d, err := dst.Put(bg, "cms_items", "after", []byte(`{"x":1}`), 0)
	if err != nil || d.Seq != last+1 {
		t.Fatalf("first write after the migration: seq %d, want %d (%v)", d.Seq, last+1, err)
	}
}

// A target holding another deployment's data is refused, unless --resume.
func TestMigrateRefusesForeignTarget(t *testing.T) {
	bg := context.Background()
	src, dst := newSQLite(t), newMongo(t)
	seed(t, src, "c")
	if _, err := migrate.Copy(bg, src, dst, migrate.Options{}); err != nil {
		t.Fatal(err)
	}
	other := newSQLite(t)
	put(t, other, "cms_items", "z", map[string]string{"title": "另一个部署"})
	if _, err := migrate.Copy(bg, other, dst, migrate.Options{}); !errors.Is(err, migrate.ErrForeignTarget) {
		t.Fatalf("another deployment's migration target: %v", err)
	}

	used := newMongo(t) // data but no migration state: a live database
	put(t, used, "cms_items", "x", map[string]string{"title": "已有数据"})
	if _, err := migrate.Copy(bg, other, used, migrate.Options{}); !errors.Is(err, migrate.ErrForeignTarget) {
		t.Fatalf("a database in use: %v", err)
	}
	// --resume copies anyway; the foreign document stays, so the
	// verification fails, naming the collection.
	_, err := migrate.Copy(bg, other, used, migrate.Options{Resume: true})
	var mm *migrate.MismatchError
	if !errors.As(err, &mm) || !strings.Contains(mm.Error(), "cms_items: 1 documents in the source, 2 in the target") {
		t.Fatalf("--resume over foreign data: %v", err)
	}
}

// MongoDB → a new SQLite file: what `zhengwu backup` does on MongoDB.
func TestDumpMongoToSQLite(t *testing.T) {
	bg := context.Background()
	// Seeding through FerretDB's Puts takes seconds per hundred: seed
	// the embedded store, migrate it, then write through the MongoDB
	// adapter's own calls so its feed has entries of its making.
	mongo, orig := newMongo(t), newSQLite(t)
	seed(t, orig, "d")
	if _, err := migrate.Copy(bg, orig, mongo, migrate.Options{}); err != nil {
		t.Fatal(err)
	}
	put(t, mongo, "cms_items", "d-new", map[string]string{"title": "迁移后新增"})
	put(t, mongo, "office_docs", "doc/001", map[string]string{"state": "迁移后修改"})
	if _, err := mongo.Delete(bg, "cms_items", "d-0003", store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	if _, err := mongo.Put(bg, "office_docs", "doc/001", []byte(`{}`), 1); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("a stale write: %v", err) // leaves a noop entry in the feed
	}
	file := newSQLite(t)
	rep, err := migrate.Copy(bg, mongo, file, migrate.Options{Verb: "backup"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Collections["office_docs"].Count != 31 {
		t.Fatalf("dump: %+v", rep)
	}
	sameContents(t, mongo, file)
	// Back into MongoDB (`restore --mongodb-uri`) is the migration
	// tested above, from the same kind of file.
}
