package content_test

import (
	"strings"
	"testing"

	"zhengwu/cms/content"
	"zhengwu/shared/testkit"
)

func TestDocNumber(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, norm string
		valid    bool
	}{
		{"皖政办〔2026〕12号", "皖政办〔2026〕12号", true},
		{"皖政办[2026]12号", "皖政办〔2026〕12号", true},
		{"皖政办(2026)12号", "皖政办〔2026〕12号", true},
		{"皖政办（2026）012号", "皖政办〔2026〕12号", true},
		{" 皖政 〔2026〕 3 号 ", "皖政〔2026〕3号", true},
		{"ABC〔2026〕12号", "ABC〔2026〕12号", false},
		{"皖政办〔26〕12号", "皖政办〔26〕12号", false},
		{"皖政办〔2026〕12", "皖政办〔2026〕12", false},
		{"皖政办〔1900〕1号", "皖政办〔1900〕1号", false},
		{"〔2026〕12号", "〔2026〕12号", false},
	}
	for _, c := range cases {
		n := content.NormalizeDocNumber(c.in)
		if n != c.norm || content.ValidDocNumber(n) != c.valid {
			t.Errorf("%q: normalised %q valid %v, want %q %v", c.in, n, content.ValidDocNumber(n), c.norm, c.valid)
		}
	}
}

func TestValidationNamesFields(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	target := e.must(e.svc.Create(e.ctx, editor, policy("被修改的文件", "皖政办〔2025〕3号")))
	news := e.must(e.svc.Create(e.ctx, editor, article("一条新闻")))

	type fieldWant struct{ field, zh string }
	cases := []struct {
		name string
		in   func() content.CreateInput
		want []fieldWant
	}{
		{"policy bad number and validity", func() content.CreateInput {
			in := policy("通知", "第12号文件")
			in.Fields.Validity = "作废"
			in.Fields.WrittenAt = "2026/02/20"
			return in
		}, []fieldWant{{"fields.docNumber", "文号格式"}, {"fields.validity", "效力状态必须是"}, {"fields.writtenAt", "成文日期必须是日期"}}},
		{"policy missing fields", func() content.CreateInput {
			return content.CreateInput{Type: "policy", Channel: "files-general-office", Department: "xinxi",
				Fields: content.Fields{Title: "通知"}}
		}, []fieldWant{{"fields.docNumber", "文号为必填字段"}, {"fields.issuers", "发文机关"}, {"fields.genre", "文种"},
			{"fields.writtenAt", "成文日期"}, {"fields.validity", "效力状态"}}},
		{"expiry before effect", func() content.CreateInput {
			in := policy("通知", "皖政办〔2026〕1号")
			in.Fields.ExpiresAt = "2026-01-01"
			return in
		}, []fieldWant{{"fields.expiresAt", "失效日期必须晚于施行日期"}}},
		{"links", func() content.CreateInput {
			in := policy("通知", "皖政办〔2026〕2号")
			in.Fields.Links = &content.Links{Amends: []string{"no-such-doc"}, Repeals: []string{news.Document.ID}, Interprets: []string{target.Document.ID, target.Document.ID}}
			return in
		}, []fieldWant{{"fields.links.amends[0]", "链接的文档不存在"}, {"fields.links.repeals[0]", "只能链接到政策文件"}, {"fields.links.interprets[1]", "重复"}}},
		{"speech", func() content.CreateInput {
			return content.CreateInput{Type: "speech", Channel: "leader-wang-speeches", Department: "mishu1",
				Fields: content.Fields{Title: "讲话", Date: "昨天", DocNumber: "皖政办〔2026〕2号"}}
		}, []fieldWant{{"fields.leader", "领导姓名为必填字段"}, {"fields.occasion", "场合为必填字段"}, {"fields.date", "日期必须是日期"}, {"fields.docNumber", "不使用此字段"}}},
		{"report", func() content.CreateInput {
			return content.CreateInput{Type: "report", Channel: "library-drc", Department: "xinxi",
				Fields: content.Fields{Title: "报告", Series: "内参"}}
		}, []fieldWant{{"fields.series", "国研报告、人大复印资料"}, {"fields.issue", "期号"}, {"fields.authors", "作者"}}},
		{"title", func() content.CreateInput {
			in := article("")
			in.Fields.Title = strings.Repeat("长", 201)
			return in
		}, []fieldWant{{"fields.title", "title长度不能超过200个字符"}}},
		{"envelope", func() content.CreateInput {
			return content.CreateInput{Type: "video", Channel: "news", Department: ""}
		}, []fieldWant{{"type", "type必须是"}, {"department", "department为必填字段"}}},
		{"channel does not take type", func() content.CreateInput {
			in := article("新闻")
			in.Channel = "files-general-office"
			return in
		}, []fieldWant{{"type", "该栏目不接受"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := editor
			if c.name == "speech" {
				p = principal("u-mishu", "秘书", testkit.Holds(edit, "mishu1"))
			}
			_, err := e.svc.Create(e.ctx, p, c.in())
			pr := wantProblem(t, err, 400, "invalid")
			for _, w := range c.want {
				f, ok := hasField(pr, w.field)
				if !ok || !strings.Contains(f.Message, w.zh) {
					t.Errorf("field %s: want message containing %q, got %+v", w.field, w.zh, pr.Fields)
				}
			}
		})
	}

	// Normalised on write; self-links refused on update.
	v := e.must(e.svc.Create(e.ctx, editor, policy("规范文号", "皖政办[2026]7号")))
	if v.Draft.Fields.DocNumber != "皖政办〔2026〕7号" {
		t.Fatalf("docNumber not normalised: %q", v.Draft.Fields.DocNumber)
	}
	f := v.Draft.Fields
	f.Links = &content.Links{Amends: []string{v.Document.ID}}
	_, err := e.svc.UpdateDraft(e.ctx, editor, v.Document.ID, content.DraftInput{Version: v.Version, Fields: f})
	pr := wantProblem(t, err, 400, "invalid")
	if fe, ok := hasField(pr, "fields.links.amends[0]"); !ok || !strings.Contains(fe.Message, "自身") {
		t.Fatalf("self link: %+v", pr.Fields)
	}
	f.Links = &content.Links{Amends: []string{target.Document.ID}}
	e.must(e.svc.UpdateDraft(e.ctx, editor, v.Document.ID, content.DraftInput{Version: v.Version, Fields: f}))
}
