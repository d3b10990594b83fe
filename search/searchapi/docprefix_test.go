package searchapi_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"zhengwu/search/index"
	"zhengwu/search/query"
	"zhengwu/search/searchapi"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
)

func day(n int) time.Time { return t0.AddDate(0, 0, n) }

// The start of a document number lists that issuer's (and year's)
// documents, newest first, however the year's brackets are typed; other
// issuers' numbers (皖政办函 starts with 皖政办 too), documents that only
// mention the code, and pages the reader may not read are not among them.
func TestPortalDocNumberPrefixListsTheIssuerNewestFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	numbered := func(title, number string, at time.Time) page {
		p := newPage(title, "为进一步做好有关工作，现通知如下。")
		p.Channel, p.Type, p.DocNumber, p.PublishedAt = "files", "policy", number, at
		return p
	}
	internal := numbered("关于内部事项的通知", "皖政办〔2026〕9号", day(2))
	internal.Internal = true
	for id, p := range map[string]page{
		"a2026-3":  numbered("关于做好春季防汛工作的通知", "皖政办〔2026〕3号", day(3)),
		"a2026-1":  numbered("关于印发数字政府建设方案的通知", "皖政办〔2026〕1号", day(1)),
		"a2025-40": numbered("关于加强森林防火的通知", "皖政办〔2025〕40号", day(-300)),
		"a2026-9":  internal,
		"letter":   numbered("关于商请支持的函", "皖政办函〔2026〕5号", day(5)),
		"state":    numbered("国务院办公厅关于政务公开的意见", "国办发〔2026〕1号", day(4)),
		"mention":  newPage("皖政办解读", "皖政办发布的文件解读，皖政办公室答记者问。"),
	} {
		e.save(id, p)
	}
	e.open(nil, nil)
	e.sync()

	all := []string{"a2026-3", "a2026-1", "a2025-40"}
	year := []string{"a2026-3", "a2026-1"}
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"皖政办", all},
		{" 皖政办 ", all},
		{"皖政办〔2026〕", year},
		{"皖政办[2026]", year},
		{"皖政办（2026）", year},
		{"皖政办(2026)", year},
		{"皖政办【2026】", year},
		{"皖政办 2026", year},
		{"皖政办〔2025〕", []string{"a2025-40"}},
		{"皖政办函", []string{"letter"}},
		{"国办发〔2026〕", []string{"state"}},
	} {
		for _, sort := range []string{"", "date"} {
			r := e.search(q("q", c.q, "sort", sort), "")
			if !slices.Equal(r.ids(), c.want) || r.Total != uint64(len(c.want)) {
				t.Errorf("anonymous %q sort=%q: total %d %v, want %v", c.q, sort, r.Total, r.ids(), c.want)
			}
		}
	}
	// A signed-in reader may read the internal one: it is counted, in its place.
	r := e.search(q("q", "皖政办〔2026〕"), e.Token(reader))
	if want := []string{"a2026-3", "a2026-9", "a2026-1"}; !slices.Equal(r.ids(), want) || r.Total != 3 {
		t.Errorf("signed-in 皖政办〔2026〕: total %d %v, want %v", r.Total, r.ids(), want)
	}
	// A facet value narrows the list to the count the facet showed.
	r = e.search(q("q", "皖政办"), "")
	if r.facet("year", "2026") != 2 || r.facet("year", "2025") != 1 {
		t.Errorf("皖政办: year facet %+v, want 2026: 2, 2025: 1", r.Facets["year"])
	}
	r = e.search(q("q", "皖政办", "year", "2025"), "")
	if !slices.Equal(r.ids(), []string{"a2025-40"}) || r.Total != 1 {
		t.Errorf("皖政办 year=2025: total %d %v, want [a2025-40]", r.Total, r.ids())
	}
	// 皖政 has a code's shape, but no number starts with it: it is ranked
	// as words, and finds the page that mentions it.
	if r := e.search(q("q", "皖政"), ""); !slices.Contains(r.ids(), "mention") {
		t.Errorf("皖政 became a number prefix: %v", r.ids())
	}
	// A query that merely contains the code keeps today's ranking.
	if r := e.search(q("q", "皖政办 解读"), ""); len(r.ids()) == 0 || r.ids()[0] != "mention" {
		t.Errorf("皖政办 解读: %v, want the page that mentions it first", r.ids())
	}
}

type numberedOfficeDoc struct {
	Title          string               `json:"title"`
	Body           string               `json:"body"`
	DocNumber      string               `json:"docNumber"`
	Department     string               `json:"department"`
	Classification classification.Level `json:"classification"`
	PublishedAt    time.Time            `json:"publishedAt"`
}

const numberedOfficeDocs = "numbered_office_docs"

func numberedOfficeSource() []source.Projection {
	return []source.Projection{{Index: source.OfficeName, Collection: numberedOfficeDocs, Project: func(d store.Doc) (source.Doc, bool) {
		var od numberedOfficeDoc
		if d.Decode(&od) != nil {
			return source.Doc{}, false
		}
		return source.Doc{Title: od.Title, Body: od.Body, DocNumber: od.DocNumber, Type: "gongwen",
			Department: od.Department, Classification: od.Classification,
			Readers: []string{auth.Member(od.Department)}, Visibility: source.Internal,
			PublishedAt: od.PublishedAt, Path: "docs/" + d.ID}, true
	}}}
}

// 公文查询 (Find) lists an issuer's documents the same way, within the
// reader's clearance: a classified number is neither listed nor counted
// for a reader who may not read it, and its code alone does not turn
// that reader's query into a (necessarily empty) list.
func TestFindDocNumberPrefixWithinClearance(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	for id, d := range map[string]numberedOfficeDoc{
		"plain":   {Title: "关于做好春季防汛工作的通知", DocNumber: "皖政办〔2026〕1号", Department: "bgt", PublishedAt: day(1)},
		"secret":  {Title: "关于专项部署的通知", DocNumber: "皖政办〔2026〕2号", Department: "bgt", Classification: classification.Mimi, PublishedAt: day(2)},
		"older":   {Title: "关于加强森林防火的通知", DocNumber: "皖政办〔2025〕7号", Department: "bgt", PublishedAt: day(-200)},
		"other":   {Title: "关于财政工作的通知", DocNumber: "皖财办〔2026〕1号", Department: "bgt", PublishedAt: day(3)},
		"cls":     {Title: "关于机密事项的通知", DocNumber: "皖秘办〔2026〕1号", Department: "bgt", Classification: classification.Jimi, PublishedAt: day(4)},
		"mention": {Title: "皖秘办工作简报", Body: "皖秘办本周工作。", Department: "bgt", PublishedAt: day(-1)},
	} {
		if _, err := store.Save(ctx, e.Store, numberedOfficeDocs, id, d, store.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	e.open(numberedOfficeSource(), nil)
	e.sync()

	boss := auth.Principal{UserID: "u-boss", Clearance: classification.Mimi, Departments: []string{"bgt"}}
	find := func(p auth.Principal, text string) searchapi.Found {
		t.Helper()
		f, err := e.svc.Find(ctx, &p, searchapi.Find{Scope: source.OfficeName, Collection: numberedOfficeDocs, Text: text,
			Fields: []string{query.FieldDocNumber}, Facets: []index.Facet{{Field: query.FieldYear}}})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	ids := func(f searchapi.Found) []string {
		var out []string
		for _, h := range f.Hits {
			out = append(out, h.ID)
		}
		return out
	}
	for _, c := range []struct {
		who  auth.Principal
		text string
		want []string
	}{
		{reader, "皖政办", []string{"plain", "older"}},
		{reader, "皖政办[2026]", []string{"plain"}},
		{boss, "皖政办", []string{"secret", "plain", "older"}},
		{boss, "皖政办（2026）", []string{"secret", "plain"}},
		{boss, "皖财办〔2026〕", []string{"other"}},
	} {
		f := find(c.who, c.text)
		if got := ids(f); !slices.Equal(got, c.want) || f.Total != uint64(len(c.want)) {
			t.Errorf("%s %q: total %d %v, want %v", c.who.UserID, c.text, f.Total, got, c.want)
		}
		n := 0
		for _, v := range f.Facets[query.FieldYear] {
			n += v.Count
		}
		if n != len(c.want) {
			t.Errorf("%s %q: year facet %+v counts %d, want %d", c.who.UserID, c.text, f.Facets[query.FieldYear], n, len(c.want))
		}
	}
	// The reader may not read the 机密 number: 皖秘办 is words for them
	// and finds the bulletin that mentions it.
	if got := ids(find(reader, "皖秘办")); !slices.Equal(got, []string{"mention"}) {
		t.Errorf("reader 皖秘办: %v, want [mention]", got)
	}
}
