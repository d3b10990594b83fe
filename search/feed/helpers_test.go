package feed_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"zhengwu/search/feed"
	"zhengwu/search/index"
	"zhengwu/search/index/indextest"
	"zhengwu/shared/store"
	"zhengwu/shared/store/sqlitestore"
	"zhengwu/shared/store/storetest"
)

// The tests project the "articles" collection: every article that is not
// a draft, with its title, channel and a counter.
const articles = "articles"

type article struct {
	Title   string `json:"title"`
	Channel string `json:"channel"`
	N       int    `json:"n"`
	Status  string `json:"status,omitempty"`
}

func articleMapping() *index.Mapping {
	return index.NewMapping().Keyword("title").Keyword("channel").Numeric("n")
}

func projectArticle(d store.Doc) (any, bool) {
	var a article
	if err := d.Decode(&a); err != nil || a.Status == "draft" {
		return nil, false
	}
	return a, true
}

// openIndex opens the articles' index in dir for the test.
func openIndex(t testing.TB, dir string) *index.Index {
	return indextest.Open(t, dir, articleMapping())
}

func newConsumer(t testing.TB, s store.Store) *feed.Consumer {
	t.Helper()
	return &feed.Consumer{
		Store:       s,
		Index:       openIndex(t, filepath.Join(t.TempDir(), "articles")),
		Collections: []string{articles},
		Project:     projectArticle,
	}
}

// newFeed is a fresh store and a consumer of its articles.
func newFeed(t testing.TB) (*sqlitestore.Store, *feed.Consumer) {
	t.Helper()
	s := storetest.NewSQLite(t)
	return s, newConsumer(t, s)
}

func put(t testing.TB, s store.Store, coll, id string, a article) store.Doc {
	t.Helper()
	data, _ := json.Marshal(a)
	d, err := s.Put(context.Background(), coll, id, data, store.AnyVersion)
	if err != nil {
		t.Fatalf("put %s/%s: %v", coll, id, err)
	}
	return d
}

// assertMirrors checks that the index holds exactly the projected current
// state of every article: the same ids, each with the store's version and
// field values. It pages through the index with a cursor.
func assertMirrors(t testing.TB, s store.Store, ix *index.Index) {
	t.Helper()
	ctx := context.Background()
	want := map[string]string{}
	after := ""
	for {
		docs, err := s.Scan(ctx, articles, after, 500)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			if p, ok := projectArticle(d); ok {
				a := p.(article)
				want[d.ID] = fmt.Sprintf("v%d %s %s %d", d.Version, a.Title, a.Channel, a.N)
			}
		}
		if len(docs) < 500 {
			break
		}
		after = docs[len(docs)-1].ID
	}
	got := map[string]string{}
	cursor := ""
	for {
		res, err := ix.List(ctx, index.Query{Size: index.MaxSize, After: cursor, Fields: []string{"title", "channel", "n"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			got[h.ID] = fmt.Sprintf("v%d %s %s %.0f", h.Version, h.Fields["title"], h.Fields["channel"], h.Fields["n"])
		}
		if cursor = res.Next; cursor == "" {
			break
		}
	}
	lost, extra, wrong := 0, 0, 0
	for id, w := range want {
		g, ok := got[id]
		switch {
		case !ok:
			lost++
			if lost <= 5 {
				t.Errorf("lost %s: want %q", id, w)
			}
		case g != w:
			wrong++
			if wrong <= 5 {
				t.Errorf("%s: index has %q, store has %q", id, g, w)
			}
		}
	}
	for id, g := range got {
		if _, ok := want[id]; !ok {
			extra++
			if extra <= 5 {
				t.Errorf("extra %s: %q", id, g)
			}
		}
	}
	if lost+extra+wrong > 0 {
		t.Fatalf("index differs from store: %d lost, %d extra, %d wrong of %d", lost, extra, wrong, len(want))
	}
}
