package searchapi_test

import (
	"context"
	"testing"

	"zhengwu/search/index"
	"zhengwu/search/query"
	"zhengwu/search/searchapi"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
)

// A search that finds nothing offers a variant a character off that finds
// something the reader may see (issue 15 item 6); one that finds
// something offers none, and neither does one with nothing close.
func TestDidYouMean(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.save("fire", newPage("关于加强森林草原火灾防控工作的通知", "做好森林草原防灭火工作"))
	e.save("zjt", newPage("省住建厅部署物业服务管理工作", "加强物业管理"))
	intl := newPage("内部通报水利工程质量检查情况", "内部")
	intl.Internal, intl.Channel = true, "neibu"
	e.save("int", intl)
	e.open(nil, nil)
	e.sync()

	for _, c := range []struct {
		typed, want string
		total       uint64
	}{
		{"森林草源火灾", "森林草原火灾", 1}, // a near character, from a title
		{"主建厅", "住建厅", 1},       // a near character, from the synonym list
		{"森林草原火灾", "", 0},       // found: nothing to offer
		{"量子计算机", "", 0},        // nothing close
		{"水利工成质量", "", 0},       // close only to what an anonymous reader may not see
	} {
		res := e.search(q("q", c.typed), "")
		got, total := "", uint64(0)
		if res.DidYouMean != nil {
			got, total = res.DidYouMean.Text, res.DidYouMean.Total
		}
		if got != c.want || total != c.total {
			t.Errorf("%q: did you mean %q (%d), want %q (%d); found %d", c.typed, got, total, c.want, c.total, res.Total)
		}
	}
	// A signed-in reader sees the internal page, so is offered its words.
	if res := e.search(q("q", "水利工成质量"), e.Token(reader)); res.DidYouMean == nil || res.DidYouMean.Text != "水利工程质量" {
		t.Errorf("signed in: did you mean %+v, want 水利工程质量", res.DidYouMean)
	}
}

// Pinyin typed for a name (fagaiwei, fgw, zhujianting) is offered the
// Chinese it spells, from the synonym list or from the titles the reader
// may see; pinyin of what only a signed-in reader may see is offered to
// them alone.
func TestDidYouMeanPinyin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.save("fgw", newPage("省发改委召开重点项目调度会", "发改委部署"))
	e.save("zjt", newPage("省住建厅部署物业服务管理工作", "加强物业管理"))
	e.save("fire", newPage("关于加强森林草原火灾防控工作的通知", "做好森林草原防灭火工作"))
	e.save("other", newPage("数字政府建设推进会召开", "建设数字政府"))
	intl := newPage("内部通报水利工程质量检查情况", "内部")
	intl.Internal, intl.Channel = true, "neibu"
	e.save("int", intl)
	e.open(nil, nil)
	e.sync()

	for _, c := range []struct{ typed, want string }{
		{"fagaiwei", "发改委"},
		{"fgw", "发改委"},
		{"zhujianting", "住建厅"},
		{"zhu jian ting", "住建厅"},
		{"senlincaoyuan", "森林草原"}, // from a title
		{"slcy", "森林草原"},          // first letters, from a title
		{"shuzizhengfu", "数字政府"},
		{"shuiligongcheng", ""}, // only in what an anonymous reader may not see
		{"qwxzk", ""},           // spells nothing
	} {
		res := e.search(q("q", c.typed), "")
		got := ""
		if res.DidYouMean != nil {
			got = res.DidYouMean.Text
		}
		if res.Total != 0 || got != c.want {
			t.Errorf("%q: found %d, did you mean %q, want %q", c.typed, res.Total, got, c.want)
		}
	}
	if res := e.search(q("q", "shuiligongcheng"), e.Token(reader)); res.DidYouMean == nil || res.DidYouMean.Text != "水利工程" {
		t.Errorf("signed in: did you mean %+v, want 水利工程", res.DidYouMean)
	}
}

// Traditional characters need no correction: the analyzer folds them, so a
// traditional query finds the simplified documents directly; one with a
// near-character typo as well is offered the simplified text.
func TestTraditionalFindsSimplified(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.save("zjt", newPage("省住建厅部署物业服务管理工作", "加强物业管理"))
	e.save("fire", newPage("关于加强森林草原火灾防控工作的通知", "做好森林草原防灭火工作"))
	e.open(nil, nil)
	e.sync()

	for _, typed := range []string{"住建廳", "森林草原火災", "物業服務"} {
		if res := e.search(q("q", typed), ""); res.Total != 1 || res.DidYouMean != nil {
			t.Errorf("%q: found %d (did you mean %+v), want the simplified document", typed, res.Total, res.DidYouMean)
		}
	}
	for _, c := range []struct{ typed, want string }{
		{"主建廳", "住建厅"},       // 主 for 住, 廳 traditional: the synonym term
		{"森林草源火災", "森林草原火灾"}, // 源 for 原, 災 traditional: from the title
	} {
		res := e.search(q("q", c.typed), "")
		if res.DidYouMean == nil || res.DidYouMean.Text != c.want || res.DidYouMean.Total != 1 {
			t.Errorf("%q: found %d, did you mean %+v, want %q", c.typed, res.Total, res.DidYouMean, c.want)
		}
	}
}

// 公文查询 (Find) offers the did-you-mean too, from the documents of its
// collection the reader may read with the same filters: a 秘密 title's
// words are offered to a reader cleared for it, never to one who is not.
func TestFindDidYouMean(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	for id, d := range map[string]numberedOfficeDoc{
		"plain":  {Title: "关于做好春季防汛工作的通知", DocNumber: "皖政办〔2026〕1号", Department: "bgt", PublishedAt: day(1)},
		"secret": {Title: "关于专项督查水利工程的通知", DocNumber: "皖政办〔2026〕2号", Department: "bgt", Classification: classification.Mimi, PublishedAt: day(2)},
	} {
		if _, err := store.Save(ctx, e.Store, numberedOfficeDocs, id, d, store.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	e.open(numberedOfficeSource(), nil)
	e.sync()

	boss := auth.Principal{UserID: "u-boss", Clearance: classification.Mimi, Departments: []string{"bgt"}}
	offered := func(p auth.Principal, text string, filters ...index.Filter) string {
		t.Helper()
		f, err := e.svc.Find(ctx, &p, searchapi.Find{Scope: source.OfficeName, Collection: numberedOfficeDocs, Text: text, Filters: filters})
		if err != nil {
			t.Fatal(err)
		}
		if f.Total != 0 || f.DidYouMean == nil {
			return ""
		}
		return f.DidYouMean.Text
	}
	for _, c := range []struct {
		who        auth.Principal
		text, want string
		year       string
	}{
		{reader, "春纪防汛", "春季防汛", ""},
		{reader, "chunjifangxun", "春季防汛", ""},
		{reader, "春纪防汛", "", "2025"}, // nothing of 2025 to offer
		{reader, "shuiligongcheng", "", ""},
		{boss, "shuiligongcheng", "水利工程", ""},
	} {
		var fs []index.Filter
		if c.year != "" {
			fs = append(fs, index.Term(query.FieldYear, c.year))
		}
		if got := offered(c.who, c.text, fs...); got != c.want {
			t.Errorf("%s %q %s: did you mean %q, want %q", c.who.UserID, c.text, c.year, got, c.want)
		}
	}
}
