package query_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	bq "github.com/blevesearch/bleve/v2/search/query"

	"zhengwu/search/index"
	"zhengwu/search/index/indextest"
	"zhengwu/search/query"
)

var fixture = []query.Doc{
	{ID: "d1", Title: "关于加强森林草原火灾防控工作的通知", DocNumber: "皖政办〔2026〕12号", Body: "各市人民政府，省政府各部门：为做好今冬明春森林草原防灭火工作，现就有关事项通知如下。", Channel: "通知公告", Classification: 0},
	{ID: "d2", Title: "森林资源保护条例", Body: "第一条 为了保护森林资源，加强草原火灾的预防。本条例所称防控工作包括监测。", Channel: "政策文件"},
	{ID: "d3", Title: "省发展和改革委员会关于2026年价格工作的意见", DocNumber: "皖发改价格〔2026〕3号", Body: "按照省政府部署，稳定物价。", Channel: "政策文件"},
	{ID: "d4", Title: "全省数字政府建设推进会召开", Body: "会议强调，要推进政务服务一网通办，提升数字政府建设水平。引用皖政办〔2026〕12号文件精神。", Channel: "要闻"},
	{ID: "d5", Title: "人力资源和社会保障厅发布就业促进政策", Body: "稳就业保民生，落实各项补贴政策。", Channel: "政策文件"},
	{ID: "d6", Title: "政务服务一网通办工作推进情况", Body: "推进政务服务标准化，一网通办事项达到九成。", Channel: "要闻"},
}

func openFixture(t *testing.T) *index.Index {
	t.Helper()
	ix := indextest.Open(t, filepath.Join(t.TempDir(), "portal"), query.Mapping())
	var ups []index.Upsert
	for _, d := range fixture {
		now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		d.PublishedAt = &now
		d.Visibility = "public"
		d.Prepare()
		ups = append(ups, index.Upsert{ID: d.ID, Collection: "items", Version: 1, Doc: d})
	}
	if err := ix.Apply(index.Batch{Upserts: ups, Checkpoint: 1}); err != nil {
		t.Fatal(err)
	}
	return ix
}

func search(t *testing.T, ix *index.Index, q bq.Query) []string {
	t.Helper()
	res, err := ix.Search(context.Background(), bleve.NewSearchRequestOptions(q, 10, 0, false))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestBuild(t *testing.T) {
	ix := openFixture(t)
	for _, c := range []struct {
		name, q, first string
		only           bool // the first hit is the only one
	}{
		{"doc number, official brackets", "皖政办〔2026〕12号", "d1", false},
		{"doc number, square brackets", "皖政办[2026]12号", "d1", false},
		{"doc number, round brackets", "皖政办(2026)12号", "d1", false},
		{"doc number, no brackets", "皖政办2026 12号", "d1", false},
		{"doc number, full width", "皖发改价格［２０２６］３号", "d3", true},
		{"exact phrase first", "草原火灾防控", "d1", false},
		{"body phrase", "一网通办事项", "d6", false},
		{"words in any order", "一网通办 政务服务", "d6", false},
		{"synonym: abbreviation finds the full name", "发改委价格工作", "d3", false},
		{"synonym: 人社厅", "人社厅 就业", "d5", false},
		{"traditional characters", "森林資源保護條例", "d2", false},
		{"full-width digits", "２０２６年价格", "d3", false},
		{"exact title", "森林资源保护条例", "d2", false},
		{"single character", "稳", "d3", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			ids := search(t, ix, query.Build(c.q, query.Options{}))
			if len(ids) == 0 || ids[0] != c.first {
				t.Fatalf("Build(%q) = %v, want %s first", c.q, ids, c.first)
			}
			if c.only && len(ids) != 1 {
				t.Fatalf("Build(%q) = %v, want %s alone", c.q, ids, c.first)
			}
		})
	}
}

func TestDocNumberQueryUsesTheDocNumberField(t *testing.T) {
	q := query.Build("皖政办［2026］12号", query.Options{})
	dis, ok := q.(*bq.DisjunctionQuery)
	if !ok {
		t.Fatalf("query %T", q)
	}
	tq, ok := dis.Disjuncts[0].(*bq.TermQuery)
	if !ok || tq.Field() != query.FieldDocNumber || tq.Term != "皖政办2026-12" {
		t.Fatalf("first clause %#v, want the docNumber term", dis.Disjuncts[0])
	}
	// d4 cites the number in its body: found, after d1.
	ix := openFixture(t)
	if ids := search(t, ix, q); len(ids) != 2 || ids[0] != "d1" || ids[1] != "d4" {
		t.Fatalf("hits %v, want [d1 d4]", ids)
	}
}

func TestPhraseRanksExactPhraseFirst(t *testing.T) {
	ix := openFixture(t)
	// d2 has every character of the phrase (森林, 草原火灾, 防控工作) but not
	// the phrase; d1 has it in its title.
	ids := search(t, ix, query.Build("森林草原火灾防控工作", query.Options{}))
	if len(ids) < 2 || ids[0] != "d1" || ids[1] != "d2" {
		t.Fatalf("hits %v, want d1 then d2", ids)
	}
}

func TestSynonymsCanBeTurnedOff(t *testing.T) {
	ix := openFixture(t)
	if ids := search(t, ix, query.Build("发改委", query.Options{NoSynonyms: true})); len(ids) != 0 {
		t.Fatalf("without synonyms 发改委 found %v", ids)
	}
	if ids := search(t, ix, query.Build("发改委", query.Options{})); len(ids) == 0 || ids[0] != "d3" {
		t.Fatalf("with synonyms 发改委 found %v", ids)
	}
}

func TestEmptyQueryMatchesNothing(t *testing.T) {
	ix := openFixture(t)
	for _, q := range []bq.Query{query.Build("  ", query.Options{}), query.Suggest(""), query.Autocomplete("！")} {
		if ids := search(t, ix, q); len(ids) != 0 {
			t.Errorf("%T found %v", q, ids)
		}
	}
}

func TestFilteredKeepsOrderAndFilters(t *testing.T) {
	ix := openFixture(t)
	ch := bq.NewTermQuery("要闻")
	ch.SetField(query.FieldChannel)
	ids := search(t, ix, query.Filtered(query.Build("一网通办", query.Options{}), ch))
	if len(ids) != 2 || ids[0] != "d6" {
		t.Fatalf("hits %v, want d6 then d4", ids)
	}
}

func TestAutocompleteAndSuggest(t *testing.T) {
	ix := openFixture(t)
	for _, c := range []struct {
		typed string
		q     func(string) bq.Query
		want  string
	}{
		{"关于加强", query.Autocomplete, "d1"},
		{"森林草原", query.Autocomplete, "d1"}, // a word inside the title
		{"数字政", query.Autocomplete, "d4"},
		{"森林草源火灾", query.Suggest, "d1"}, // one wrong character
		{"一网通力", query.Suggest, "d6"},
		{"資源保護", query.Suggest, "d2"}, // traditional
	} {
		ids := search(t, ix, c.q(c.typed))
		if len(ids) == 0 || ids[0] != c.want {
			t.Errorf("%q: %v, want %s first", c.typed, ids, c.want)
		}
	}
}

// countingSearcher counts the requests query.Search sends.
type countingSearcher struct {
	ix *index.Index
	n  int
}

func (c *countingSearcher) Search(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	c.n++
	return c.ix.Search(ctx, req)
}

// DocFreq is the index's (a term lookup, not a request), as the product's
// Searcher has it.
func (c *countingSearcher) DocFreq(field, term string) (n, total uint64) {
	return c.ix.DocFreq(field, term)
}

func TestSearchSendsTheFallbackOnlyWhenStrictFindsTooLittle(t *testing.T) {
	ix := openFixture(t)
	for _, c := range []struct {
		text     string
		size     int
		requests int
		first    string
		min      int // hits at least
	}{
		// d1 holds every token (bigram); a page of 1 is filled by the strict query.
		{"森林草原火灾防控工作", 1, 1, "d1", 1},
		// The same with a page of 10: strict finds 1 < 10, so the
		// fallback runs and adds d2, which holds some tokens only.
		{"森林草原火灾防控工作", 10, 2, "d1", 2},
		// No document holds both words whole: the fallback finds those
		// holding most of their terms (一网 网通 通办 of 森林 一网 网通 通办),
		// not those holding 森林 alone.
		{"森林 一网通办", 10, 2, "", 2},
		// A document number and a single term have no fallback clauses.
		{"皖政办〔2026〕12号", 10, 1, "d1", 1},
		{"政策", 10, 1, "", 1},
		// The start of a number lists its documents in one request; a
		// word shaped like a code (政策 above) costs no extra one.
		{"皖政办", 10, 1, "d1", 1},
		{"皖政办〔2026〕", 10, 1, "d1", 1},
	} {
		cs := &countingSearcher{ix: ix}
		res, err := query.Search(context.Background(), cs, c.text, query.Options{}, nil, func(q bq.Query) *bleve.SearchRequest {
			return bleve.NewSearchRequestOptions(q, c.size, 0, false)
		})
		if err != nil {
			t.Fatal(err)
		}
		if cs.n != c.requests || len(res.Hits) < c.min || (c.first != "" && res.Hits[0].ID != c.first) {
			var ids []string
			for _, h := range res.Hits {
				ids = append(ids, h.ID)
			}
			t.Errorf("%q size %d: %d requests, hits %v; want %d requests, %s first, ≥ %d hits", c.text, c.size, cs.n, ids, c.requests, c.first, c.min)
		}
		// With the fallback sent, the result is Build's.
		if c.requests == 2 {
			want := search(t, ix, query.Build(c.text, query.Options{}))
			if len(want) != len(res.Hits) {
				t.Errorf("%q: %d hits, Build finds %d", c.text, len(res.Hits), len(want))
			}
		}
	}
	// Filters apply to both requests.
	ch := bq.NewTermQuery("要闻")
	ch.SetField(query.FieldChannel)
	res, err := query.Search(context.Background(), ix, "森林 一网通办", query.Options{}, []bq.Query{ch}, func(q bq.Query) *bleve.SearchRequest {
		return bleve.NewSearchRequestOptions(q, 10, 0, false)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if h.ID != "d4" && h.ID != "d6" {
			t.Errorf("filtered search found %s", h.ID)
		}
	}
}

// docFreq fakes how common terms are in an index of total documents:
// the terms in common are held by half of them, the others by ten.
func docFreq(total uint64, common ...string) func(field, term string) (uint64, uint64) {
	return func(_, term string) (uint64, uint64) {
		for _, c := range common {
			if c == term {
				return total / 2, total
			}
		}
		return 10, total
	}
}

// A phrase of common terms only is matched in the body by its terms
// (positions are not read), on a large index only; any other phrase stays
// a phrase. The body's any-token fallback leaves the common terms out.
func TestCommonTermsOfALargeIndex(t *testing.T) {
	bodyPhrase := `"match_phrase":"主管部门","field":"body"`
	bodyAll := `"match":"主管部门","field":"body"`
	for _, c := range []struct {
		name   string
		freq   func(field, term string) (uint64, uint64)
		phrase bool   // the body clause is a phrase
		keeps  string // the one term of the body's fallback clause ("": every term, two of three required)
	}{
		{"no counts", nil, true, ""},
		{"all common, large index", docFreq(100000, "主管", "管部", "部门"), false, "主管"}, // the rarest (first of equals)
		{"all common, small index", docFreq(5000, "主管", "管部", "部门"), true, ""},
		{"one rare term", docFreq(100000, "主管", "部门"), true, "管部"},
	} {
		t.Run(c.name, func(t *testing.T) {
			strict, _ := query.Strict("主管部门", query.Options{DocFreq: c.freq})
			js := mustJSON(t, strict)
			if strings.Contains(js, bodyPhrase) != c.phrase || strings.Contains(js, bodyAll) == c.phrase {
				t.Errorf("strict query: want body phrase %v: %s", c.phrase, js)
			}
			full := mustJSON(t, query.Build("主管部门", query.Options{DocFreq: c.freq}))
			for _, term := range []string{"主管", "管部", "部门"} {
				want := c.keeps == "" || term == c.keeps
				if got := strings.Contains(full, `{"term":"`+term+`","field":"body"`); got != want {
					t.Errorf("any-token clause: term %s there %v, want %v: %s", term, got, want, full)
				}
			}
		})
	}
}

func mustJSON(t *testing.T, q bq.Query) string {
	t.Helper()
	b, err := json.Marshal(q)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
