package index_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"zhengwu/search/index"
	"zhengwu/search/index/indextest"
)

// article is the projection the tests index.
type article struct {
	Title       string    `json:"title"`
	TitleKey    string    `json:"titleKey"`
	Channel     string    `json:"channel"`
	Tags        []string  `json:"tags"`
	Views       int       `json:"views"`
	PublishedAt time.Time `json:"publishedAt"`
	Pinned      bool      `json:"pinned"`
	Author      author    `json:"author"`
}

type author struct {
	Dept string `json:"dept"`
}

func articleMapping() *index.Mapping {
	return index.NewMapping().
		Text("title", "").
		Keyword("titleKey").
		Keyword("channel").
		Keyword("tags").
		Numeric("views").
		Datetime("publishedAt").
		Bool("pinned").
		Keyword("author.dept")
}

var t0 = time.Date(2025, 3, 1, 8, 0, 0, 123456789, time.UTC)

// fixture: 10 articles a00..a09 over three channels; titles in Chinese.
var titles = []string{"政务公开", "通知公告", "人事任免", "政策解读", "办公厅文件", "会议纪要", "领导活动", "新闻发布", "工作动态", "安全生产"}

func fixture() []index.Upsert {
	var ups []index.Upsert
	for i := range 10 {
		ups = append(ups, index.Upsert{
			ID: fmt.Sprintf("a%02d", i), Collection: "articles", Version: int64(i + 1),
			Doc: article{
				Title:       titles[i] + " report",
				TitleKey:    titles[i],
				Channel:     []string{"news", "notices", "policy"}[i%3],
				Tags:        []string{fmt.Sprintf("t%d", i%2), "all"},
				Views:       i * 10,
				PublishedAt: t0.Add(time.Duration(i) * time.Hour),
				Pinned:      i%4 == 0,
				Author:      author{Dept: []string{"办公厅", "秘书处"}[i%2]},
			},
		})
	}
	return ups
}

// openIndex opens the articles' index in dir for the test.
func openIndex(t testing.TB, dir string) *index.Index {
	return indextest.Open(t, dir, articleMapping())
}

func newFixtureIndex(t testing.TB) *index.Index {
	t.Helper()
	ix := openIndex(t, filepath.Join(t.TempDir(), "articles"))
	if err := ix.Apply(index.Batch{Upserts: fixture(), Checkpoint: 10}); err != nil {
		t.Fatal(err)
	}
	return ix
}

func ids(r index.Result) []string {
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.ID
	}
	return out
}

func TestFilters(t *testing.T) {
	t.Parallel()
	ix := newFixtureIndex(t)
	tests := []struct {
		name    string
		filters []index.Filter
		want    []string
	}{
		{"term keyword", []index.Filter{index.Term("channel", "news")}, []string{"a00", "a03", "a06", "a09"}},
		{"terms", []index.Filter{index.Terms("channel", "news", "policy")}, []string{"a00", "a02", "a03", "a05", "a06", "a08", "a09"}},
		{"terms none", []index.Filter{index.Terms("channel")}, []string{}},
		{"prefix", []index.Filter{index.Prefix("titleKey", "政")}, []string{"a00", "a03"}},
		{"multi-valued keyword", []index.Filter{index.Term("tags", "t1")}, []string{"a01", "a03", "a05", "a07", "a09"}},
		{"nested keyword", []index.Filter{index.Term("author.dept", "秘书处"), index.Term("channel", "notices")}, []string{"a01", "a07"}},
		{"numeric term", []index.Filter{index.Term("views", "30")}, []string{"a03"}},
		{"numeric range half-open", []index.Filter{index.Range("views", 20, 50)}, []string{"a02", "a03", "a04"}},
		{"numeric range open max", []index.Filter{index.Range("views", "70", nil)}, []string{"a07", "a08", "a09"}},
		{"datetime range", []index.Filter{index.Range("publishedAt", t0.Add(8*time.Hour), "")}, []string{"a08", "a09"}},
		{"datetime range string", []index.Filter{index.Range("publishedAt", "", t0.Add(2*time.Hour).Format(time.RFC3339Nano))}, []string{"a00", "a01"}},
		{"datetime term", []index.Filter{index.Term("publishedAt", t0.Add(5*time.Hour).Format(time.RFC3339Nano))}, []string{"a05"}},
		{"keyword range", []index.Filter{index.Range("channel", "notices", "policy")}, []string{"a01", "a04", "a07"}},
		{"bool", []index.Filter{index.Term("pinned", "true")}, []string{"a00", "a04", "a08"}},
		{"not", []index.Filter{index.Not(index.Term("channel", "news")), index.Term("pinned", "true")}, []string{"a04", "a08"}},
		{"match text", []index.Filter{index.Match("title", "report")}, []string{"a00", "a01", "a02", "a03", "a04", "a05", "a06", "a07", "a08", "a09"}},
		{"collection", []index.Filter{index.Term(index.CollectionField, "articles"), index.Range(index.VersionField, 10, nil)}, []string{"a09"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.List(context.Background(), index.Query{Filters: tt.filters, Size: 100})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(res); !slices.Equal(got, tt.want) {
				t.Errorf("ids = %v, want %v", got, tt.want)
			}
			if res.Total != uint64(len(tt.want)) {
				t.Errorf("total = %d, want %d", res.Total, len(tt.want))
			}
			n, err := ix.Count(context.Background(), tt.filters...)
			if err != nil || n != uint64(len(tt.want)) {
				t.Errorf("count = %d, %v; want %d", n, err, len(tt.want))
			}
		})
	}
}

func TestSort(t *testing.T) {
	t.Parallel()
	ix := newFixtureIndex(t)
	byKey := func(less func(a, b article) int) []string {
		ups := fixture()
		slices.SortStableFunc(ups, func(a, b index.Upsert) int { return less(a.Doc.(article), b.Doc.(article)) })
		out := make([]string, len(ups))
		for i, u := range ups {
			out[i] = u.ID
		}
		return out
	}
	cmpStr := func(a, b string) int {
		switch {
		case a < b:
			return -1
		case a > b:
			return 1
		}
		return 0
	}
	tests := []struct {
		sort []string
		want []string
	}{
		{nil, []string{"a00", "a01", "a02", "a03", "a04", "a05", "a06", "a07", "a08", "a09"}},
		{[]string{"-publishedAt"}, []string{"a09", "a08", "a07", "a06", "a05", "a04", "a03", "a02", "a01", "a00"}},
		{[]string{"views"}, []string{"a00", "a01", "a02", "a03", "a04", "a05", "a06", "a07", "a08", "a09"}},
		{[]string{"-views"}, []string{"a09", "a08", "a07", "a06", "a05", "a04", "a03", "a02", "a01", "a00"}},
		// Chinese keywords sort by UTF-8 bytes, i.e. by code point, like Go's
		// string comparison; not by pinyin.
		{[]string{"titleKey"}, byKey(func(a, b article) int { return cmpStr(a.TitleKey, b.TitleKey) })},
		{[]string{"-titleKey"}, byKey(func(a, b article) int { return -cmpStr(a.TitleKey, b.TitleKey) })},
		// Ties broken by id.
		{[]string{"channel", "-views"}, []string{"a09", "a06", "a03", "a00", "a07", "a04", "a01", "a08", "a05", "a02"}},
		{[]string{"-pinned", "-_id"}, []string{"a08", "a04", "a00", "a09", "a07", "a06", "a05", "a03", "a02", "a01"}},
	}
	for _, tt := range tests {
		res, err := ix.List(context.Background(), index.Query{Sort: tt.sort, Size: 100})
		if err != nil {
			t.Fatalf("sort %v: %v", tt.sort, err)
		}
		if got := ids(res); !slices.Equal(got, tt.want) {
			t.Errorf("sort %v = %v, want %v", tt.sort, got, tt.want)
		}
	}
}

func TestPaging(t *testing.T) {
	t.Parallel()
	ix := newFixtureIndex(t)
	ctx := context.Background()
	sort := []string{"channel", "-publishedAt"}
	all, err := ix.List(ctx, index.Query{Sort: sort, Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	if all.Next != "" {
		t.Errorf("single page has a next cursor")
	}

	// Offset pages.
	var paged []string
	for page := 1; page <= 4; page++ {
		res, err := ix.List(ctx, index.Query{Sort: sort, Page: page, Size: 3})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 10 {
			t.Errorf("page %d total = %d", page, res.Total)
		}
		if (page < 4) != (res.Next != "") {
			t.Errorf("page %d: next = %q", page, res.Next)
		}
		paged = append(paged, ids(res)...)
	}
	if !slices.Equal(paged, ids(all)) {
		t.Errorf("offset pages = %v, want %v", paged, ids(all))
	}

	// Cursor pages, including past a numeric/date sort key.
	var cursored []string
	after := ""
	for range 10 {
		res, err := ix.List(ctx, index.Query{Sort: sort, Size: 4, After: after})
		if err != nil {
			t.Fatal(err)
		}
		cursored = append(cursored, ids(res)...)
		if after = res.Next; after == "" {
			break
		}
	}
	if !slices.Equal(cursored, ids(all)) {
		t.Errorf("cursor pages = %v, want %v", cursored, ids(all))
	}

	// A cursor is bound to its sort.
	first, _ := ix.List(ctx, index.Query{Sort: sort, Size: 2})
	_, err = ix.List(ctx, index.Query{Sort: []string{"-views"}, Size: 2, After: first.Next})
	var pe *index.ParamError
	if !errors.As(err, &pe) || pe.Param != "cursor" {
		t.Errorf("cursor with another sort: err = %v, want a cursor ParamError", err)
	}
	_, err = ix.List(ctx, index.Query{Sort: sort, After: "!!"})
	if !errors.As(err, &pe) || pe.Param != "cursor" {
		t.Errorf("garbage cursor: err = %v", err)
	}
}

func TestFacets(t *testing.T) {
	t.Parallel()
	ix := newFixtureIndex(t)
	res, err := ix.List(context.Background(), index.Query{
		Filters: []index.Filter{index.Range("views", nil, 90)}, // a00..a08
		Size:    1,
		Facets:  []index.Facet{{Field: "channel"}, {Field: "pinned"}, {Field: "author.dept", Size: 1}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]index.TermCount{
		"channel":     {{"news", 3}, {"notices", 3}, {"policy", 3}},
		"pinned":      {{"false", 6}, {"true", 3}},
		"author.dept": {{"办公厅", 5}},
	}
	for field, terms := range want {
		got := res.Facets[field].Terms
		slices.SortFunc(got, func(a, b index.TermCount) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return map[bool]int{true: -1, false: 1}[a.Term < b.Term]
		})
		if !slices.Equal(got, terms) {
			t.Errorf("facet %s = %v, want %v", field, got, terms)
		}
	}
	if res.Facets["author.dept"].Other != 4 {
		t.Errorf("author.dept other = %d, want 4", res.Facets["author.dept"].Other)
	}
}

func TestFieldsReturned(t *testing.T) {
	t.Parallel()
	ix := newFixtureIndex(t)
	res, err := ix.List(context.Background(), index.Query{
		Filters: []index.Filter{index.Term("channel", "policy")}, Size: 1,
		Fields: []string{"titleKey", "views", "publishedAt", "pinned", "tags", "author.dept"},
	})
	if err != nil {
		t.Fatal(err)
	}
	h := res.Hits[0]
	want := map[string]any{
		"titleKey":    "人事任免",
		"views":       20.0,
		"publishedAt": t0.Add(2 * time.Hour), // full nanosecond precision
		"pinned":      false,
		"tags":        []any{"t0", "all"},
		"author.dept": "办公厅",
	}
	if h.ID != "a02" || h.Version != 3 {
		t.Errorf("hit = %s v%d, want a02 v3", h.ID, h.Version)
	}
	if fmt.Sprint(h.Fields) != fmt.Sprint(want) {
		t.Errorf("fields = %v\nwant     %v", h.Fields, want)
	}
}

// An unstored field is filtered and sorted on but not returned; an
// unsorted one is filtered on; the stored ones come back as before.
func TestUnstoredAndUnsortedFields(t *testing.T) {
	t.Parallel()
	ix := indextest.Open(t, filepath.Join(t.TempDir(), "articles"),
		articleMapping().Unstored("channel", "publishedAt").Unsorted("channel", "tags"))
	if err := ix.Apply(index.Batch{Upserts: fixture(), Checkpoint: 10}); err != nil {
		t.Fatal(err)
	}
	res, err := ix.List(context.Background(), index.Query{
		Filters: []index.Filter{index.Term("channel", "policy"), index.Term("tags", "t0")},
		Sort:    []string{"-publishedAt"},
		Size:    10,
		Fields:  []string{"channel", "publishedAt", "titleKey"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(ids(res)); got != "[a08 a02]" {
		t.Errorf("hits = %s, want [a08 a02] (policy, t0, newest first)", got)
	}
	for _, h := range res.Hits {
		if _, ok := h.Fields["channel"]; ok {
			t.Errorf("%s: unstored channel returned", h.ID)
		}
		if _, ok := h.Fields["publishedAt"]; ok {
			t.Errorf("%s: unstored publishedAt returned", h.ID)
		}
		if h.Fields["titleKey"] == nil {
			t.Errorf("%s: stored titleKey missing", h.ID)
		}
	}
}

func TestParamErrors(t *testing.T) {
	t.Parallel()
	ix := newFixtureIndex(t)
	tests := []struct {
		q     index.Query
		param string
	}{
		{index.Query{Filters: []index.Filter{index.Term("nope", "x")}}, "nope"},
		{index.Query{Filters: []index.Filter{index.Term("views", "many")}}, "views"},
		{index.Query{Filters: []index.Filter{index.Term("title", "x")}}, "title"},
		{index.Query{Filters: []index.Filter{index.Prefix("views", "1")}}, "views"},
		{index.Query{Filters: []index.Filter{index.Range("views", nil, nil)}}, "views"},
		{index.Query{Filters: []index.Filter{index.Range("publishedAt", "yesterday", nil)}}, "publishedAt"},
		{index.Query{Sort: []string{"title"}}, "sort"},
		{index.Query{Sort: []string{"-nope"}}, "sort"},
		{index.Query{Size: index.MaxSize + 1}, "size"},
		{index.Query{Page: 2, After: "x"}, "page"},
		{index.Query{Fields: []string{"secret"}}, "fields"},
		{index.Query{Facets: []index.Facet{{Field: "views"}}}, "facet"},
	}
	for _, tt := range tests {
		_, err := ix.List(context.Background(), tt.q)
		var pe *index.ParamError
		if !errors.As(err, &pe) || pe.Param != tt.param {
			t.Errorf("%+v: err = %v, want ParamError on %q", tt.q, err, tt.param)
		}
	}
}

func TestApplyCheckpointAndReopen(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "articles")
	ix := openIndex(t, dir) // closed by hand below (Close is idempotent)
	if cp := ix.Checkpoint(); cp != 0 {
		t.Fatalf("new index checkpoint = %d", cp)
	}
	b := index.Batch{Upserts: fixture(), Deletes: []string{"never-indexed"}, Checkpoint: 42}
	for range 2 { // applying twice is harmless
		if err := ix.Apply(b); err != nil {
			t.Fatal(err)
		}
	}
	// A lower checkpoint never moves it back; documents still apply.
	if err := ix.Apply(index.Batch{Deletes: []string{"a09"}, Checkpoint: 7}); err != nil {
		t.Fatal(err)
	}
	wantState(t, ix, "applied", 42, 9)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	wantState(t, openIndex(t, dir), "reopened", 42, 9)
}

// wantState checks the index's checkpoint and how many documents it holds.
func wantState(t *testing.T, ix *index.Index, when string, checkpoint int64, count uint64) {
	t.Helper()
	if cp := ix.Checkpoint(); cp != checkpoint {
		t.Errorf("%s: checkpoint = %d, want %d", when, cp, checkpoint)
	}
	if n, _ := ix.Count(context.Background()); n != count {
		t.Errorf("%s: count = %d, want %d", when, n, count)
	}
}

func TestMappingChangeRebuilds(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "articles")
	ix := openIndex(t, dir) // closed by hand below (Close is idempotent)
	if err := ix.Apply(index.Batch{Upserts: fixture(), Checkpoint: 10}); err != nil {
		t.Fatal(err)
	}
	ix.Close()

	ix = indextest.Open(t, dir, articleMapping().Keyword("status"))
	wantState(t, ix, "after a mapping change (rebuilt)", 0, 0)
}

func TestOpenRefusesForeignDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := writeFile(filepath.Join(dir, "precious.txt")); err != nil {
		t.Fatal(err)
	}
	if _, err := index.Open(dir, articleMapping()); err == nil {
		t.Fatal("opened a non-empty directory that holds no index")
	}
}

func TestMappingErrors(t *testing.T) {
	t.Parallel()
	for _, m := range []*index.Mapping{
		index.NewMapping().Keyword("a").Numeric("a"),
		index.NewMapping().Keyword("_version"),
		index.NewMapping().Keyword("a..b"),
		index.NewMapping().Text("body", "no-such-analyzer"),
		index.NewMapping().Keyword("a").Unstored("b"),
		index.NewMapping().Keyword("a").Unsorted("_version"),
	} {
		if _, err := index.Open(filepath.Join(t.TempDir(), "x"), m); err == nil {
			t.Errorf("mapping %+v accepted", m)
		}
	}
}

// Batches Bleve refuses give their place back: more failed batches than
// may wait for the disk still fail at once instead of blocking Apply.
func TestFailedBatchesDoNotBlockApply(t *testing.T) {
	t.Parallel()
	ix, err := index.Open(filepath.Join(t.TempDir(), "articles"), articleMapping())
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.CloseBleveOnly(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() {
		var last error
		for i := range 20 {
			last = ix.Apply(index.Batch{Upserts: fixture()[:1], Checkpoint: int64(i + 1)})
			if last == nil {
				break
			}
		}
		done <- last
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("a batch on a closed Bleve index succeeded")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Apply blocked after failed batches")
	}
}

func TestRevisionChangeRebuilds(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "articles")
	ix := indextest.Open(t, dir, articleMapping().Revise("readers-1"))
	if err := ix.Apply(index.Batch{Upserts: fixture(), Checkpoint: 10}); err != nil {
		t.Fatal(err)
	}
	ix.Close()

	ix = indextest.Open(t, dir, articleMapping().Revise("readers-1"))
	wantState(t, ix, "the same revision (kept)", 10, uint64(len(fixture())))
	ix.Close()
	ix = indextest.Open(t, dir, articleMapping().Revise("readers-2"))
	wantState(t, ix, "after a revision change (rebuilt)", 0, 0)
}

// An index scored with TF-IDF is rebuilt when the mapping asks for BM25
// (the scoring model is part of the fingerprint), and kept after.
func TestScoringModelChangeRebuilds(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "articles")
	ix := indextest.Open(t, dir, articleMapping())
	if err := ix.Apply(index.Batch{Upserts: fixture(), Checkpoint: 10}); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix = indextest.Open(t, dir, articleMapping().BM25())
	wantState(t, ix, "after the scoring model changed (rebuilt)", 0, 0)
	if err := ix.Apply(index.Batch{Upserts: fixture(), Checkpoint: 11}); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix = indextest.Open(t, dir, articleMapping().BM25())
	wantState(t, ix, "the same model (kept)", 11, uint64(len(fixture())))
}
