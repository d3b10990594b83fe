package sqlitestore_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"zhengwu/shared/store"
	"zhengwu/shared/store/sqlitestore"
)

// variedDoc is a portal-item-shaped document of ~2–3 KB whose body mixes
// stock phrases at random, like an official text (unlike portalDoc, no
// two bodies repeat one sentence).
func variedDoc(i int) []byte {
	r := rand.New(rand.NewPCG(uint64(i), 7))
	phrases := []string{"坚持以人民为中心的发展思想", "统筹发展和安全", "着力解决群众急难愁盼问题", "持续深化“放管服”改革",
		"健全长效工作机制", "压实各级各部门责任", "强化要素保障和政策支持", "推动各项任务落地见效", "加强统筹协调和督促检查",
		"各地各部门要结合实际认真贯彻执行", "确保各项政策措施落到实处", "建立健全考核评价制度"}
	var body strings.Builder
	for body.Len() < 900 {
		fmt.Fprintf(&body, "%s，%s，第%d项工作%d月底前完成。", phrases[r.IntN(len(phrases))], phrases[r.IntN(len(phrases))], r.IntN(90), 1+r.IntN(12))
	}
	return fmt.Appendf(nil, `{"id":"it%06d","type":"policy","channel":"files","title":"关于第%d项工作的通知","body":"<p>%s</p>","bodyText":"%s","status":"published","edition":%d}`,
		i, i, body.String(), body.String(), 1+r.IntN(3))
}

// rawDB opens the database file beside the store, as another program
// would (closed at the test's end).
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

func openAt(t *testing.T, path string) *sqlitestore.Store {
	t.Helper()
	st, err := sqlitestore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// storedBytes is the collection's stored bytes and how many of its values
// are zstd frames made with some dictionary.
func storedBytes(t *testing.T, path, collection string) (total, withDict int) {
	t.Helper()
	raw := rawDB(t, path)
	rows, err := raw.Query("SELECT data FROM docs WHERE collection = ?", collection)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		total += len(b)
		var h zstd.Header
		if bytes.HasPrefix(b, []byte{0x28, 0xb5, 0x2f, 0xfd}) && h.Decode(b) == nil && h.DictionaryID != 0 {
			withDict++
		}
	}
	return total, withDict
}

// checkDocs asserts that Get and Scan return want for every document.
func checkDocs(t *testing.T, st *sqlitestore.Store, collection string, want map[string][]byte) {
	t.Helper()
	ctx := context.Background()
	for id, w := range want {
		d, err := st.Get(ctx, collection, id)
		if err != nil || !bytes.Equal(d.Data, w) {
			t.Fatalf("Get %s: %v, %.60q, want %.60q", id, err, d.Data, w)
		}
	}
	seen := 0
	for after := ""; ; {
		page, err := st.Scan(ctx, collection, after, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, d := range page {
			if !bytes.Equal(d.Data, want[d.ID]) {
				t.Fatalf("Scan %s: %.60q, want %.60q", d.ID, d.Data, want[d.ID])
			}
			seen++
		}
		after = page[len(page)-1].ID
	}
	if seen != len(want) {
		t.Fatalf("Scan saw %d documents, want %d", seen, len(want))
	}
}

// A database written before dictionaries (documents as plain JSON and as
// dictionary-less frames, the schema without the dicts table) opens with
// every document readable; once its collection is large enough a
// dictionary is made, the old documents are re-packed with it, smaller,
// and every document still reads as written — also through a second
// store on the same file that opened before the dictionary existed, and
// through a snapshot of the file.
func TestCollectionDictionaryOnOldDatabase(t *testing.T) {
	defer sqlitestore.SetTrainAt(1 << 30)()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "zhengwu.db")
	old, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	// The schema as main had it before this change.
	if _, err := old.Exec(`CREATE TABLE docs (collection TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
		seq INTEGER NOT NULL, data BLOB NOT NULL, updated_at INTEGER NOT NULL, UNIQUE (collection, id));
		CREATE TABLE feed (seq INTEGER PRIMARY KEY AUTOINCREMENT, collection TEXT NOT NULL, id TEXT NOT NULL,
		deleted INTEGER NOT NULL, at INTEGER NOT NULL);
		CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;`); err != nil {
		t.Fatal(err)
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithZeroFrames(true), zstd.WithEncoderCRC(false))
	if err != nil {
		t.Fatal(err)
	}
	const n = 120
	want := map[string][]byte{}
	tx, err := old.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		id, data := fmt.Sprint(i), variedDoc(i)
		stored := enc.EncodeAll(data, nil)
		if i%10 == 0 {
			stored = data // as stored before compression
		}
		want[id] = data
		if _, err := tx.Exec("INSERT INTO docs VALUES ('items', ?, 1, ?, ?, 0)", id, i+1, stored); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	before, _ := storedBytes(t, path, "items")

	other := openAt(t, path) // opened before any dictionary exists
	checkDocs(t, other, "items", want)

	sqlitestore.SetTrainAt(n)
	st := openAt(t, path)
	st.WaitCompression()
	after, withDict := storedBytes(t, path, "items")
	if withDict != n {
		t.Fatalf("%d of %d documents re-packed with a dictionary", withDict, n)
	}
	if float64(after) > 0.8*float64(before) {
		t.Errorf("stored %d bytes with the dictionary, %d before: want at most 0.8×", after, before)
	}
	t.Logf("stored bytes: %d before, %d with the dictionary (%.2f×)", before, after, float64(after)/float64(before))
	checkDocs(t, st, "items", want)
	checkDocs(t, other, "items", want) // loads the dictionary it did not know

	// New writes use the dictionary too.
	if _, err := st.Put(ctx, "items", "new", variedDoc(n), store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	want["new"] = variedDoc(n)
	// A document above dictMaxDoc is compressed without it.
	huge := []byte(`{"body":"` + strings.Repeat("各地各部门要结合实际认真贯彻执行。", 2000) + `"}`)
	if _, err := st.Put(ctx, "items", "huge", huge, store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	want["huge"] = huge
	if _, withDict := storedBytes(t, path, "items"); withDict != n+1 {
		t.Fatalf("%d of %d documents packed with the dictionary, want every one but the huge one", withDict, n+2)
	}

	snap := filepath.Join(dir, "snapshot.db")
	if err := sqlitestore.Snapshot(ctx, path, snap); err != nil {
		t.Fatal(err)
	}
	checkDocs(t, openAt(t, snap), "items", want)
}

// Writes while a dictionary is made and the collection re-packed are never
// lost or overwritten with an older body: the re-pack rewrites a document
// only if it still holds what was read.
func TestRepackKeepsConcurrentWrites(t *testing.T) {
	defer sqlitestore.SetTrainAt(120)()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "zhengwu.db")
	st := openAt(t, path)
	want := map[string][]byte{}
	var mu sync.Mutex
	for i := range 119 {
		id := fmt.Sprint(i)
		want[id] = variedDoc(i)
		if _, err := st.Put(ctx, "items", id, want[id], store.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	// The 120th write starts the dictionary; these go on meanwhile.
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			for k := range 60 {
				i := (k*7 + w) % 119
				data := variedDoc(1000 + k*2 + w)
				if _, err := st.Put(ctx, "items", fmt.Sprint(i), data, store.AnyVersion); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				want[fmt.Sprint(i)] = data
				mu.Unlock()
			}
		})
	}
	last := variedDoc(119)
	if _, err := st.Put(ctx, "items", "119", last, store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	want["119"] = last
	mu.Unlock()
	wg.Wait()
	st.WaitCompression()
	checkDocs(t, st, "items", want)
	// A write packed just before the dictionary was installed and
	// committed after the re-pack read its document keeps its frame
	// without the dictionary (until its next write): at most one per
	// writer.
	if _, withDict := storedBytes(t, path, "items"); withDict < len(want)-2 {
		t.Errorf("%d of %d documents packed with the dictionary", withDict, len(want))
	}
}

// A frame that names a dictionary the database does not hold is an error
// on read, not a panic or a wrong document.
func TestUnknownDictionaryIsAnError(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "zhengwu.db")
	st := openAt(t, path)
	dict, err := zstd.BuildDict(zstd.BuildDictOptions{ID: 123456, Contents: [][]byte{variedDoc(1), variedDoc(2)},
		History: variedDoc(3), Offsets: [3]int{1, 4, 8}})
	if err != nil {
		t.Fatal(err)
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderDict(dict))
	if err != nil {
		t.Fatal(err)
	}
	frame := enc.EncodeAll(variedDoc(4), nil)
	var h zstd.Header
	if err := h.Decode(frame); err != nil || h.DictionaryID != 123456 {
		t.Fatalf("frame header: %v, dictionary %d", err, h.DictionaryID)
	}
	raw := rawDB(t, path)
	if _, err := raw.Exec("INSERT INTO docs VALUES ('items', 'x', 1, 1, ?, 0)", frame); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Get(ctx, "items", "x"); err == nil || !strings.Contains(err.Error(), "123456") {
		t.Fatalf("Get: %v, want an error naming dictionary 123456", err)
	}
}

// otherDoc is a document unlike variedDoc: other keys, other words.
func otherDoc(i int) []byte {
	r := rand.New(rand.NewPCG(uint64(i), 11))
	words := []string{"meeting", "minutes", "budget", "approval", "schedule", "district", "review", "report", "quarter", "office"}
	var b strings.Builder
	for b.Len() < 1200 {
		fmt.Fprintf(&b, "%s %s %d; ", words[r.IntN(len(words))], words[r.IntN(len(words))], r.IntN(1000))
	}
	return fmt.Appendf(nil, `{"ref":"m-%d","agenda":"%s","attendees":[%d,%d]}`, i, b.String(), r.IntN(50), r.IntN(50))
}

// When what a collection holds changes (its first documents of one kind,
// then of another that its dictionary compresses much worse), a second
// dictionary is made from the newest documents; documents packed with
// the first still read as written.
func TestNewDictionaryWhenTheCollectionChanges(t *testing.T) {
	defer sqlitestore.SetTrainAt(120)()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "zhengwu.db")
	st := openAt(t, path)
	want := map[string][]byte{}
	put := func(id string, data []byte) {
		t.Helper()
		if _, err := st.Put(ctx, "items", id, data, store.AnyVersion); err != nil {
			t.Fatal(err)
		}
		want[id] = data
	}
	for i := range 120 {
		put(fmt.Sprint("a", i), variedDoc(i))
	}
	st.WaitCompression()
	for i := range 240 {
		put(fmt.Sprint("b", i), otherDoc(i))
		if i == 119 {
			st.WaitCompression() // the 120th write with the first dictionary compares
		}
	}
	st.WaitCompression()
	raw := rawDB(t, path)
	var dicts int
	if err := raw.QueryRow("SELECT COUNT(*) FROM dicts WHERE collection = 'items'").Scan(&dicts); err != nil {
		t.Fatal(err)
	}
	if dicts != 2 {
		t.Fatalf("%d dictionaries for the collection, want 2 (one for each kind of document)", dicts)
	}
	checkDocs(t, st, "items", want)
}

// A collection whose documents a dictionary cannot help (random text) gets
// none; the refusal is recorded, so that opening the store again does not
// try again before the collection has doubled.
func TestRefusedDictionaryIsNotTriedAgain(t *testing.T) {
	defer sqlitestore.SetTrainAt(120)()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "zhengwu.db")
	rows := func() (all, refusals int) {
		t.Helper()
		raw := rawDB(t, path)
		if err := raw.QueryRow("SELECT COUNT(*), COUNT(*) FILTER (WHERE length(dict) = 0) FROM dicts").Scan(&all, &refusals); err != nil {
			t.Fatal(err)
		}
		return all, refusals
	}
	st, err := sqlitestore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{}
	for i := range 120 {
		r := rand.New(rand.NewPCG(uint64(i), 3))
		noise := make([]byte, 600)
		for j := range noise {
			noise[j] = "0123456789abcdef"[r.IntN(16)]
		}
		id := fmt.Sprint(i)
		want[id] = fmt.Appendf(nil, `{"n":"%s"}`, noise)
		if _, err := st.Put(ctx, "noise", id, want[id], store.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	st.WaitCompression()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if all, refusals := rows(); all != 1 || refusals != 1 {
		t.Fatalf("dicts holds %d rows, %d of them refusals: want one refusal", all, refusals)
	}
	checkDocs(t, openAt(t, path), "noise", want)
	if all, _ := rows(); all != 1 {
		t.Fatalf("dicts holds %d rows after a second open: want the refusal alone (not tried again)", all)
	}
}

// A dictionary row that does not load (a damaged page, a bad restore)
// does not stop the store from opening (it once hung Open): documents
// compressed with it fail each with an error naming it, the others read.
func TestDamagedDictionaryOpensTheStore(t *testing.T) {
	defer sqlitestore.SetTrainAt(120)()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "zhengwu.db")
	st, err := sqlitestore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 120 {
		if _, err := st.Put(ctx, "items", fmt.Sprint(i), variedDoc(i), store.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	st.WaitCompression()
	if _, err := st.Put(ctx, "other", "plain", []byte(`{"a":1}`), store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	raw := rawDB(t, path)
	// Keep zstd's magic and the id, spoil the rest.
	res, err := raw.Exec("UPDATE dicts SET dict = substr(dict, 1, 8) || randomblob(200) WHERE collection = 'items' AND length(dict) > 0")
	if n, _ := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("damage the dictionary: %v (%d rows)", err, n)
	}
	raw.Close()

	opened := make(chan error, 1)
	var again *sqlitestore.Store
	go func() {
		var err error
		again, err = sqlitestore.Open(path)
		opened <- err
	}()
	select {
	case err := <-opened:
		if err != nil {
			t.Fatalf("Open with a damaged dictionary: %v, want it to open", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Open with a damaged dictionary did not return")
	}
	defer again.Close()
	if d, err := again.Get(ctx, "other", "plain"); err != nil || string(d.Data) != `{"a":1}` {
		t.Errorf("a document without the dictionary: %v %q", err, d.Data)
	}
	if _, err := again.Get(ctx, "items", "7"); err == nil {
		t.Errorf("a document compressed with the damaged dictionary read without an error")
	}
}

// A collection of documents too large for a dictionary (media chunks)
// records a refusal, so that the next start does not read its newest
// thousand documents again.
func TestLargeDocumentsRecordARefusal(t *testing.T) {
	defer sqlitestore.SetTrainAt(120)()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "zhengwu.db")
	st, err := sqlitestore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	big := fmt.Appendf(nil, `{"data":"%s"}`, strings.Repeat("政务公开", 6<<10)) // ~72 KB
	for i := range 120 {
		if _, err := st.Put(ctx, "chunks", fmt.Sprint(i), big, store.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	st.WaitCompression()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	raw := rawDB(t, path)
	var all, refusals int
	if err := raw.QueryRow("SELECT COUNT(*), COUNT(*) FILTER (WHERE length(dict) = 0) FROM dicts WHERE collection = 'chunks'").Scan(&all, &refusals); err != nil {
		t.Fatal(err)
	}
	if all != 1 || refusals != 1 {
		t.Fatalf("dicts holds %d rows for the chunks, %d refusals: want one refusal", all, refusals)
	}
}
