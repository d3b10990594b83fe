package searchapi_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"zhengwu/search/query"
	"zhengwu/search/searchapi"
	"zhengwu/search/source"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
)

// The index keeps no copy of a document's body: a hit's body fragment is
// cut from the document in the store, and only from the version the
// index holds, since another version's text need not have the matches
// where the index says they are.
func TestBodyHighlightOnlyFromTheIndexedVersion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	e.save("changed", newPage("通知一", "前言 防汛抗旱工作 后记"))
	e.save("gone", newPage("通知二", "其他内容 防汛抗旱工作 结尾"))
	e.open(nil, nil)
	e.sync()
	r := e.search(q("q", "防汛抗旱"), "")
	if len(r.Hits) != 2 {
		t.Fatalf("hits %v", r.ids())
	}
	for _, h := range r.Hits {
		if frags := h.Highlights["body"]; len(frags) != 1 || !strings.Contains(frags[0], "<mark>防汛抗旱") {
			t.Fatalf("%s: body highlights %q", h.ID, frags)
		}
	}

	// Changed and deleted while no consumer runs: the index still holds
	// the old versions.
	e.svc.Close()
	e.save("changed", newPage("通知一", "完全不同而更长的一段开头文字，随后才是防汛抗旱工作"))
	if _, err := e.Store.Delete(ctx, pages, "gone", store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	stale, err := searchapi.New(e.deps)
	if err != nil {
		t.Fatal(err)
	}
	defer stale.Close()
	res, err := stale.Search(ctx, nil, searchapi.Request{Q: "防汛抗旱", Scope: source.PortalName})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 2 {
		t.Fatalf("the stale index finds %d", len(res.Hits))
	}
	for _, h := range res.Hits {
		if len(h.Highlights["body"]) != 0 {
			t.Fatalf("%s: a body fragment from another version than the indexed one: %q", h.ID, h.Highlights["body"])
		}
	}
	stale.Close()

	// Caught up, the new text is the indexed one again.
	e.start()
	e.sync()
	r = e.search(q("q", "防汛抗旱"), "")
	if len(r.Hits) != 1 || r.Hits[0].ID != "changed" {
		t.Fatalf("hits %v", r.ids())
	}
	if frags := r.Hits[0].Highlights["body"]; len(frags) != 1 || !strings.Contains(frags[0], "随后才是<mark>防汛抗旱") {
		t.Fatalf("body highlights %q", frags)
	}
}

// gets counts the store reads by collection/id.
type gets struct {
	store.Store
	mu   sync.Mutex
	read []string
}

func (g *gets) Get(ctx context.Context, collection, id string) (store.Doc, error) {
	g.mu.Lock()
	g.read = append(g.read, collection+"/"+id)
	g.mu.Unlock()
	return g.Store.Get(ctx, collection, id)
}

func (g *gets) take() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := g.read
	g.read = nil
	slices.Sort(out)
	return out
}

// A body is read from the store for highlighting only for the hits of
// the reader's query, which has their access rules in it: a document the
// reader may not see is never read, however well it matches.
func TestBodyHighlightReadsOnlyVisibleHits(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	docs := map[string]officeDoc{
		"mine":   {Title: "通知", Body: "关于防汛抗旱工作的安排", Department: "bgt"},
		"named":  {Title: "通知", Body: "防汛抗旱专项知悉", Department: "caizheng", Principals: []string{"u-reader"}},
		"theirs": {Title: "通知", Body: "他厅的防汛抗旱工作", Department: "caizheng"},
		"secret": {Title: "通知", Body: "防汛抗旱秘密部署", Department: "bgt", Classification: classification.Mimi},
		"other":  {Title: "防汛抗旱通知", Body: "正文另有所指", Department: "bgt"},
	}
	for id, d := range docs {
		if _, err := store.Save(ctx, e.Store, "office_docs", id, d, store.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	counted := &gets{Store: e.Store}
	e.deps = searchapi.Deps{Store: counted, DataDir: e.Dir, Projections: append([]source.Projection{pageProjection(nil)}, officeSource()...)}
	e.start()
	e.sync()
	counted.take()

	r := e.search(q("q", "防汛抗旱", "scope", "office"), e.Token(reader))
	got := r.ids()
	slices.Sort(got)
	if !slices.Equal(got, []string{"mine", "named", "other"}) {
		t.Fatalf("hits %v", got)
	}
	// "other" matched in its title only: nothing to read for its body.
	if read := counted.take(); !slices.Equal(read, []string{"office_docs/mine", "office_docs/named"}) {
		t.Fatalf("read for highlighting: %v", read)
	}
	for _, h := range r.Hits {
		if (h.ID == "other") != (len(h.Highlights["body"]) == 0) {
			t.Fatalf("%s: body highlights %q", h.ID, h.Highlights["body"])
		}
	}

	// A capability's own query (Find) the same; and its hits carry no
	// field it did not ask for.
	found, err := e.svc.Find(ctx, &reader, searchapi.Find{Scope: source.OfficeName, Collection: "office_docs",
		Text: "防汛抗旱", Highlight: []string{query.FieldTitle, query.FieldBody}})
	if err != nil {
		t.Fatal(err)
	}
	if read := counted.take(); !slices.Equal(read, []string{"office_docs/mine", "office_docs/named"}) {
		t.Fatalf("read for highlighting: %v", read)
	}
	for _, h := range found.Hits {
		if h.Fields != nil {
			t.Fatalf("%s: fields %v, none asked", h.ID, h.Fields)
		}
		if (h.ID == "other") != (len(h.Highlights[query.FieldBody]) == 0) {
			t.Fatalf("%s: find's body highlights %q", h.ID, h.Highlights)
		}
	}

}
