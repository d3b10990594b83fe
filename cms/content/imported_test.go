package content_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"

	"zhengwu/cms/content"
	"zhengwu/cms/item"
	"zhengwu/shared/attachment"
	"zhengwu/shared/store"
)

func importIn(src string, rev int, title string) content.ImportInput {
	return content.ImportInput{SourceID: src, SourceRevision: rev, Channel: "news", Department: "ducha",
		Fields: content.Fields{Title: title, Summary: "摘要", Body: "<p>正文<script>x</script></p>",
			Attachments: []item.Attachment{{MediaID: "abc123", Name: "附件.pdf", Size: 10, Type: "application/pdf"}}}}
}

func countDocs(e *env, collection string) int {
	e.T.Helper()
	n, after := 0, ""
	for {
		page, err := e.Store.Scan(e.ctx, collection, after, 500)
		if err != nil {
			e.T.Fatal(err)
		}
		n += len(page)
		if len(page) < 500 {
			return n
		}
		after = page[len(page)-1].ID
	}
}

func TestImportPublishesAtOnceAndIsIdempotent(t *testing.T) {
	e := newEnv(t)
	v, changed, err := e.svc.Import(e.ctx, importIn("src-1", 1, "督查通报"))
	if err != nil || !changed {
		t.Fatalf("import = %v, %v", changed, err)
	}
	if v.Document.Live != content.StatePublished || v.Published == nil || v.Published.PublishedBy != content.System {
		t.Fatalf("not published by system: %+v", v.Document)
	}
	if r := v.Published.Reviews; len(r) != 1 || r[0].Step != content.ImportStep || r[0].Decision != content.DecisionApproved {
		t.Fatalf("reviews = %+v", r)
	}
	if v.Document.Source == nil || v.Document.Source.ID != "src-1" || v.Document.Source.Revision != 1 {
		t.Fatalf("source = %+v", v.Document.Source)
	}
	it := e.item(v.ID)
	if it.Status != item.StatusPublished || it.Title != "督查通报" || it.Body != "<p>正文</p>" || it.Edition != 1 {
		t.Fatalf("portal item = %+v", it)
	}
	// Same revision again: nothing new.
	v2, changed, err := e.svc.Import(e.ctx, importIn("src-1", 1, "督查通报"))
	if err != nil || changed || v2.ID != v.ID || v2.Version != v.Version {
		t.Fatalf("reimport = %v, %v, %+v", changed, err, v2.Document)
	}
	// A newer revision: a new edition, same document.
	v3, changed, err := e.svc.Import(e.ctx, importIn("src-1", 3, "督查通报（修订）"))
	if err != nil || !changed || v3.ID != v.ID || v3.Published.Number != 2 {
		t.Fatalf("rev 3 = %v, %v, %+v", changed, err, v3.Published)
	}
	// An older one: ignored.
	if _, changed, err := e.svc.Import(e.ctx, importIn("src-1", 2, "旧版")); err != nil || changed {
		t.Fatalf("older rev = %v, %v", changed, err)
	}
	if it := e.item(v.ID); it.Title != "督查通报（修订）" || it.Edition != 2 {
		t.Fatalf("portal item after older import = %+v", it)
	}
	// The same revision designated for another channel: the copy moves.
	moved := importIn("src-1", 3, "督查通报（修订）")
	moved.Channel = "files-interpretation"
	if _, changed, err := e.svc.Import(e.ctx, moved); err != nil || !changed {
		t.Fatalf("same revision, new channel = %v, %v", changed, err)
	}
	if it := e.item(v.ID); it.Channel != "files-interpretation" || it.Title != "督查通报（修订）" {
		t.Fatalf("portal item after the channel change = %+v", it)
	}
	if n := countDocs(e, content.DocumentsCollection); n != 1 {
		t.Fatalf("%d documents, want 1", n)
	}
}

func TestImportRejectsInvalid(t *testing.T) {
	e := newEnv(t)
	bad := importIn("src-x", 1, "")
	if _, _, err := e.svc.Import(e.ctx, bad); err == nil {
		t.Fatal("empty title imported")
	}
	bad = importIn("src-x", 1, "标题")
	bad.Channel = "files-general-office" // takes policy files only
	wantProblem(t, func() error { _, _, err := e.svc.Import(e.ctx, bad); return err }(), 400, "")
	bad.Channel = "nope"
	wantProblem(t, func() error { _, _, err := e.svc.Import(e.ctx, bad); return err }(), 400, "")
	if n := countDocs(e, content.DocumentsCollection); n != 0 {
		t.Fatalf("%d documents after invalid imports", n)
	}
}

func TestWithdrawImport(t *testing.T) {
	e := newEnv(t)
	v, _, err := e.svc.Import(e.ctx, importIn("src-2", 4, "工作动态"))
	if err != nil {
		t.Fatal(err)
	}
	changed, err := e.svc.WithdrawImport(e.ctx, "src-2", "classified")
	if err != nil || !changed {
		t.Fatalf("withdraw = %v, %v", changed, err)
	}
	it := e.item(v.ID)
	if it.Status != item.StatusGone || it.Title != "" || it.Body != "" {
		t.Fatalf("withdrawn item still shows content: %+v", it)
	}
	if changed, err := e.svc.WithdrawImport(e.ctx, "src-2", "classified"); err != nil || changed {
		t.Fatalf("second withdraw = %v, %v", changed, err)
	}
	if changed, err := e.svc.WithdrawImport(e.ctx, "never", "x"); err != nil || changed {
		t.Fatalf("withdraw unknown = %v, %v", changed, err)
	}
	// Allowed again at the same revision: back.
	if _, changed, err := e.svc.Import(e.ctx, importIn("src-2", 4, "工作动态")); err != nil || !changed {
		t.Fatalf("reimport after withdraw = %v, %v", changed, err)
	}
	if it := e.item(v.ID); it.Status != item.StatusPublished || it.Title != "工作动态" {
		t.Fatalf("item = %+v", it)
	}
	// RepairItems agrees with what the import wrote.
	if _, err := e.svc.WithdrawImport(e.ctx, "src-2", "withdrawn"); err != nil {
		t.Fatal(err)
	}
	if n, err := e.svc.RepairItems(e.ctx); err != nil || n != 0 {
		t.Fatalf("repair = %d, %v", n, err)
	}
}

func TestImportEditorRemovalIsRespected(t *testing.T) {
	e := newEnv(t)
	v, _, err := e.svc.Import(e.ctx, importIn("src-3", 1, "通知"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Remove(e.ctx, director, v.ID, content.VersionInput{}); err != nil {
		t.Fatal(err)
	}
	if _, changed, err := e.svc.Import(e.ctx, importIn("src-3", 2, "通知二")); err != nil || changed {
		t.Fatalf("import over removal = %v, %v", changed, err)
	}
	if it := e.item(v.ID); it.Status != item.StatusGone {
		t.Fatalf("item = %+v", it)
	}
}

// Racing imports of one source make one document.
func TestImportRaceOneDocument(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	ids := make([]string, 8)
	for i := range 8 {
		wg.Go(func() {
			v, _, err := e.svc.Import(e.ctx, importIn("src-race", 1+i%3, "并发"))
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = v.ID
		})
	}
	wg.Wait()
	if n := countDocs(e, content.DocumentsCollection); n != 1 {
		t.Fatalf("%d documents, want 1", n)
	}
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("ids differ: %v", ids)
		}
	}
	r, _, err := store.Load[content.Document](e.ctx, e.Store, content.DocumentsCollection, ids[0])
	if err != nil || r.Source.Revision != 3 {
		t.Fatalf("source revision = %+v, %v; want 3", r.Source, err)
	}
}

// A crash after the document was written but before its portal item:
// importing the same revision again finishes the job.
func TestImportFinishesAfterCrash(t *testing.T) {
	e := newEnv(t)
	v, _, err := e.svc.Import(e.ctx, importIn("src-4", 1, "动态"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.Delete(e.ctx, item.Collection, v.ID, store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.Delete(e.ctx, content.EditionsCollection, v.ID+"/0001", store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	if _, changed, err := e.svc.Import(e.ctx, importIn("src-4", 1, "动态")); err != nil || changed {
		t.Fatalf("reimport = %v, %v", changed, err)
	}
	if it := e.item(v.ID); it.Status != item.StatusPublished || it.Title != "动态" {
		t.Fatalf("item not restored: %+v", it)
	}
	if _, _, err := store.Load[content.Edition](e.ctx, e.Store, content.EditionsCollection, v.ID+"/0001"); err != nil {
		t.Fatalf("edition not restored: %v", err)
	}
}

// writeRecorder notes the collections of each write call the service makes.
type writeRecorder struct {
	store.Store
	mu    sync.Mutex
	calls [][]string
}

func (w *writeRecorder) note(collections ...string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls = append(w.calls, collections)
}

func (w *writeRecorder) take() [][]string {
	w.mu.Lock()
	defer w.mu.Unlock()
	c := w.calls
	w.calls = nil
	return c
}

func (w *writeRecorder) Put(ctx context.Context, collection, id string, data []byte, expect int64) (store.Doc, error) {
	w.note(collection)
	return w.Store.Put(ctx, collection, id, data, expect)
}

func (w *writeRecorder) PutAll(ctx context.Context, writes []store.Write) ([]store.Doc, error) {
	var cols []string
	for _, x := range writes {
		cols = append(cols, x.Collection)
	}
	w.note(cols...)
	return w.Store.PutAll(ctx, writes)
}

// An import is one store write: the mapping (first import only), the
// document, its editions, its portal item and the references of its files
// land together, so no crash can leave a document without its item, nor
// a file without the rule that guards it.
func TestImportIsOneWrite(t *testing.T) {
	var rec *writeRecorder
	e := newEnvWith(t, func(d *content.Deps) {
		rec = &writeRecorder{Store: d.Store}
		d.Store = rec
	})
	rec.take()
	if _, _, err := e.svc.Import(e.ctx, importIn("src-one", 1, "一次写入")); err != nil {
		t.Fatal(err)
	}
	// The attachment: once as the item's, once as the document's.
	want := []string{content.ImportsCollection, content.DocumentsCollection, content.EditionsCollection, item.Collection,
		attachment.Collection, attachment.Collection}
	if got := rec.take(); len(got) != 1 || !slices.Equal(got[0], want) {
		t.Fatalf("first import wrote %v, want one write of %v", got, want)
	}
	if _, _, err := e.svc.Import(e.ctx, importIn("src-one", 2, "一次写入（修订）")); err != nil {
		t.Fatal(err)
	}
	// The superseded edition and the new one.
	want = []string{content.DocumentsCollection, content.EditionsCollection, content.EditionsCollection, item.Collection,
		attachment.Collection, attachment.Collection}
	if got := rec.take(); len(got) != 1 || !slices.Equal(got[0], want) {
		t.Fatalf("second import wrote %v, want one write of %v", got, want)
	}
}

// A mapping whose document was never written (left by an earlier version,
// which created the mapping first, or by PutAll's ordered fallback, then a
// crash) is completed under the mapped id.
func TestImportCompletesAMappingWithoutDocument(t *testing.T) {
	e := newEnv(t)
	m := []byte(`{"sourceId":"src-half","docId":"doc-half","at":"2026-03-02T09:00:00Z"}`)
	if _, err := e.Store.Put(e.ctx, content.ImportsCollection, "src-half", m, 0); err != nil {
		t.Fatal(err)
	}
	v, changed, err := e.svc.Import(e.ctx, importIn("src-half", 1, "补全"))
	if err != nil || !changed || v.ID != "doc-half" {
		t.Fatalf("import = %s %v %v, want doc-half", v.ID, changed, err)
	}
	if it := e.item("doc-half"); it.Status != item.StatusPublished || it.Title != "补全" {
		t.Fatalf("item = %+v", it)
	}
	if n := countDocs(e, content.DocumentsCollection); n != 1 {
		t.Fatalf("%d documents, want 1", n)
	}
}

// Readers of a copy the gateway took back learn that it was withdrawn and
// when, in public words; the gateway's reason (its rule, the source's
// classification) stays with the editors.
func TestWithdrawnImportTellsReadersPublicly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v, _, err := e.svc.Import(e.ctx, importIn("src-pub", 2, "关于全省汛期工作的情况通报"))
	if err != nil {
		t.Fatal(err)
	}
	const internal = "密级不是非密（classified）"
	if changed, err := e.svc.WithdrawImport(e.ctx, "src-pub", internal); err != nil || !changed {
		t.Fatalf("withdraw = %v, %v", changed, err)
	}
	it := e.item(v.ID)
	if it.Status != item.StatusGone || it.Withdrawal == nil || it.Withdrawal.Reason != content.ImportWithdrawnNotice ||
		!it.Withdrawal.At.Equal(e.Clock.Now()) {
		t.Fatalf("portal item: %+v", it)
	}
	data, _ := json.Marshal(it)
	for _, secret := range []string{"classified", "密级", "非密", "汛期"} {
		if strings.Contains(string(data), secret) {
			t.Fatalf("the portal item tells readers %q: %s", secret, data)
		}
	}
	got := e.must(e.svc.Get(e.ctx, director, v.ID))
	if got.Document.Withdrawal == nil || got.Document.Withdrawal.Reason != internal {
		t.Fatalf("the editors lose the gateway's reason: %+v", got.Document.Withdrawal)
	}
	// An editor's removal of an import is not a withdrawal: a bare 410.
	w, _, err := e.svc.Import(e.ctx, importIn("src-rm", 1, "另一条"))
	if err != nil {
		t.Fatal(err)
	}
	e.must(e.svc.Remove(e.ctx, director, w.ID, content.VersionInput{}))
	if it := e.item(w.ID); it.Status != item.StatusGone || it.Withdrawal != nil {
		t.Fatalf("removed import: %+v", it)
	}
}
