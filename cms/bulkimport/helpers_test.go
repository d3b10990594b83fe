package bulkimport_test

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zhengwu/cms/bulkimport"
	"zhengwu/cms/content"
	"zhengwu/cms/item"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// corpusDoc is a document of testdata/corpus.json (real Chinese from the
// search development set).
type corpusDoc struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Body   string `json:"body"`
	Date   string `json:"date"`
	Agency string `json:"agency"`
}

func corpus(t *testing.T) []corpusDoc {
	t.Helper()
	data, err := os.ReadFile("testdata/corpus.json")
	if err != nil {
		t.Fatal(err)
	}
	var docs []corpusDoc
	if err := json.Unmarshal(data, &docs); err != nil {
		t.Fatal(err)
	}
	return docs
}

// phrase is a stretch of the body's first paragraph long enough, to find
// it again.
func phrase(body string, from, n int) string {
	for line := range strings.SplitSeq(body, "\n") {
		if r := []rune(strings.TrimSpace(line)); len(r) >= from+n {
			return string(r[from : from+n])
		}
	}
	panic("no paragraph long enough")
}

// env is one test's store with the portal's services as `zhengwu
// import` builds them.
type env struct {
	t   *testing.T
	k   *testkit.Env
	ctx context.Context
	svc *bulkimport.Services
	dir string // where the inputs are written
}

func newEnv(t *testing.T) *env {
	t.Helper()
	k := testkit.New(t)
	ctx := context.Background()
	svc, err := bulkimport.Open(ctx, bulkimport.Deps{Store: k.Store, Trail: k.Trail, DataDir: k.Dir, Logger: k.Log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc.Close() })
	return &env{t: t, k: k, ctx: ctx, svc: svc, dir: t.TempDir()}
}

var (
	// publisher may take the portal's last review step: imports publish.
	publisher = principal("u-publisher", "王建国", testkit.Holds(content.PermEdit, auth.OfficeWide),
		testkit.Holds(content.PermReview, auth.OfficeWide), testkit.Holds(content.PermPublish, auth.OfficeWide))
	// editor edits in 信息处 only: imports are drafts.
	editor = principal("u-editor", "李文静", testkit.Holds(content.PermEdit, "xinxi"))
)

func principal(id, name string, grants ...testkit.Grant) *auth.Principal {
	p := testkit.Principal(id, classification.Feimi, []string{"xinxi"}, grants...)
	p.Name = name
	return &p
}

func (e *env) importer(as *auth.Principal, channel string, dry bool) *bulkimport.Importer {
	return &bulkimport.Importer{Portal: e.svc.Portal, Media: e.svc.Media, Channels: e.svc.Channels,
		As: as, Channel: channel, DryRun: dry}
}

func (e *env) run(im *bulkimport.Importer, entries []bulkimport.Entry) bulkimport.Report {
	e.t.Helper()
	rep, err := im.Run(e.ctx, entries)
	if err != nil {
		e.t.Fatal(err)
	}
	return rep
}

func (e *env) write(rel string, data []byte) string {
	e.t.Helper()
	p := filepath.Join(e.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		e.t.Fatal(err)
	}
	return p
}

func (e *env) count(collection string) int {
	e.t.Helper()
	docs, err := store.LoadAll[json.RawMessage](e.ctx, e.k.Store, collection)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(docs)
}

func (e *env) item(id string) item.Item {
	e.t.Helper()
	it, _, err := store.Load[item.Item](e.ctx, e.k.Store, item.Collection, id)
	if err != nil {
		e.t.Fatalf("portal item %s: %v", id, err)
	}
	return it
}

// searched is the item as the portal search index holds it: projected
// from the store as the search service does, attachments read from the
// media store.
func (e *env) searched(id string) map[string]any {
	e.t.Helper()
	media := source.MediaFunc(func(ctx context.Context, mediaID string) (io.ReadCloser, error) {
		rec, err := e.svc.Media.Get(ctx, mediaID)
		if err != nil {
			return nil, err
		}
		return e.svc.Media.Open(ctx, rec)
	})
	src, err := source.New(source.PortalName, e.k.Log, item.SearchProjection(item.SearchDeps{Store: e.k.Store, Media: media, Logger: e.k.Log}))
	if err != nil {
		e.t.Fatal(err)
	}
	d, err := e.k.Store.Get(e.ctx, item.Collection, id)
	if err != nil {
		e.t.Fatal(err)
	}
	got, ok := src.Project(d)
	if !ok {
		return nil
	}
	return got.(map[string]any)
}

// result finds the result of an origin.
func result(t *testing.T, rep bulkimport.Report, origin string) bulkimport.Result {
	t.Helper()
	for _, r := range rep.Results {
		if r.Origin == origin {
			return r
		}
	}
	t.Fatalf("no result for %s in %+v", origin, rep.Results)
	return bulkimport.Result{}
}

// refusedOn asserts that origin was refused naming field.
func refusedOn(t *testing.T, rep bulkimport.Report, origin, field string) {
	t.Helper()
	r := result(t, rep, origin)
	if r.Outcome != bulkimport.OutcomeRefused {
		t.Fatalf("%s: %s, want refused on %s", origin, r.Outcome, field)
	}
	for _, f := range r.Reasons {
		if f.Field == field && f.Message != "" && f.MessageEn != "" {
			return
		}
	}
	t.Fatalf("%s: refused for %v, want the field %s named", origin, r.Reasons, field)
}
