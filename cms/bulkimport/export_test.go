package bulkimport_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"zhengwu/cms/bulkimport"
	"zhengwu/cms/content"
	"zhengwu/cms/item"
	"zhengwu/search/source/sourcetest"
	"zhengwu/shared/store"
)

// An old CMS's CSV export (GB18030, as Excel writes it, with Chinese
// column names): a policy file with its 文号, 发布日期, 发布机构, 有效性
// and an attachment becomes a published policy item; every bad row is
// refused naming the field the API would name; the report says so in
// JSON and CSV.
func TestCSVExportImport(t *testing.T) {
	e := newEnv(t)
	docs := corpus(t)
	e.write("secret.txt", []byte("outside the export's folder"))
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.WriteAll([][]string{
		{"标题", "正文", "文号", "发布日期", "发布机构", "栏目", "有效性", "附件", "旧系统编号"},
		{docs[1].Title, docs[1].Body, "皖政办〔2020〕 12号", "2020年11月3日", "安徽省人民政府办公厅", "省政府办公厅文件", "现行有效", "files/附件一.docx", "A1"},
		{"文号不合格式的通知", "正文", "第12号", "2020-11-03", "安徽省人民政府办公厅", "files-general-office", "有效", "", "A2"},
		{docs[0].Title, docs[0].Body, "", "明天", "新华社", "news", "", "", "A3"},
		{"越界附件的新闻", "正文", "", "2020-12-09", "新华社", "news", "", "../secret.txt", "A4"},
		{"没有栏目的新闻", "正文", "", "2020-12-09", "新华社", "不存在的栏目", "", "", "A5"},
		{"缺少效力的通知", "正文", "皖政办〔2020〕13号", "2020-11-04", "安徽省人民政府办公厅", "files-general-office", "", "", "A6"},
		{"年份打错的新闻", "正文", "", "1600-03-01", "新华社", "news", "", "", "A7"},
		{"", "", "", "", "", "", "", "", ""}, // a blank line Excel leaves
	})
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	path := e.write("export/cms.csv", gbk)
	e.write("export/files/附件一.docx", sourcetest.DOCX(t, docs[2].Body))

	entries, ignored, err := bulkimport.ReadExport(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 7 || len(ignored) != 1 || ignored[0] != "旧系统编号" {
		t.Fatalf("read %d entries, ignored %v", len(entries), ignored)
	}
	rep := e.run(e.importer(publisher, "", false), entries)
	if rep.Imported != 1 || rep.Refused != 6 {
		t.Fatalf("%+v\n%s", rep, rep.Summary())
	}
	refusedOn(t, rep, "cms.csv 第 3 行", "fields.docNumber")
	refusedOn(t, rep, "cms.csv 第 4 行", "fields.publishAt")
	refusedOn(t, rep, "cms.csv 第 8 行", "publishedAt") // a year the portal's lists cannot hold
	refusedOn(t, rep, "cms.csv 第 5 行", "fields.attachments[0]")
	refusedOn(t, rep, "cms.csv 第 6 行", "channel")
	refusedOn(t, rep, "cms.csv 第 7 行", "fields.validity")

	ok := result(t, rep, "cms.csv 第 2 行")
	it := e.item(ok.DocID)
	p := it.Policy
	if it.Type != "policy" || it.Channel != "files-general-office" || p == nil || p.DocNumber != "皖政办〔2020〕12号" ||
		p.Validity != item.ValidityInForce || len(p.Issuers) != 1 || p.Issuers[0] != "安徽省人民政府办公厅" || p.Genre != "建议" {
		t.Fatalf("policy item: %+v %+v", it, p)
	}
	if got := it.PublishedAt.In(chinaTime).Format("2006-01-02"); got != "2020-11-03" {
		t.Fatalf("published on %s, want the old site's 2020-11-03", got)
	}
	if len(it.Attachments) != 1 || it.Attachments[0].Name != "附件一.docx" {
		t.Fatalf("attachments: %+v", it.Attachments)
	}
	if !strings.Contains(it.BodyText, phrase(docs[1].Body, 0, 20)) {
		t.Fatalf("body: %q", it.BodyText)
	}

	// The report, both ways.
	var js bytes.Buffer
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back bulkimport.Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || back.Refused != 6 || len(back.Results) != 7 {
		t.Fatalf("JSON report: %v %s", err, js.String())
	}
	var cs bytes.Buffer
	if err := rep.WriteCSV(&cs); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(cs.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		found = found || (r[0] == "cms.csv 第 3 行" && r[2] == "refused" && r[5] == "fields.docNumber" && strings.Contains(r[6], "文号"))
	}
	if !found {
		t.Fatalf("the CSV report does not name the refused 文号: %v", rows)
	}
	if s := rep.Summary(); !strings.Contains(s, "新导入 1 项") || !strings.Contains(s, "拒绝 6 项") || !strings.Contains(s, "cms.csv 第 3 行") {
		t.Fatalf("summary: %s", s)
	}
}

// A JSON export imported by an editor who may not publish becomes drafts
// in the review flow, no portal item; items its rights do not reach are
// refused; a rerun creates nothing.
func TestJSONExportAsEditorMakesDrafts(t *testing.T) {
	e := newEnv(t)
	docs := corpus(t)
	export, _ := json.Marshal(map[string]any{"items": []map[string]any{
		{"title": docs[0].Title, "html": "<p>" + docs[0].Body + "</p><img src=x onerror=alert(1)>", "channel": "news", "date": docs[0].Date, "source": docs[0].Agency},
		{"title": "", "body": "没有标题", "channel": "news"},
		{"title": "他处栏目的文件", "body": "正文", "channel": "leader-wang-speeches", "type": "讲话"},
		{"title": "不唯一的栏目名", "body": "正文", "channel": "讲话"},
	}})
	path := e.write("old.json", export)
	entries, _, err := bulkimport.ReadExport(path)
	if err != nil {
		t.Fatal(err)
	}
	rep := e.run(e.importer(editor, "", false), entries)
	if rep.Imported != 1 || rep.Refused != 3 || rep.Publishes {
		t.Fatalf("%+v\n%s", rep, rep.Summary())
	}
	refusedOn(t, rep, "old.json 第 2 项", "fields.title")
	refusedOn(t, rep, "old.json 第 3 项", "as") // 秘书一处's channel: not the editor's
	refusedOn(t, rep, "old.json 第 4 项", "channel")
	r := result(t, rep, "old.json 第 1 项")
	if r.State != content.StateDraft {
		t.Fatalf("an editor's import is %s, want a draft", r.State)
	}
	if _, _, err := store.Load[item.Item](e.ctx, e.k.Store, item.Collection, r.DocID); err == nil {
		t.Fatal("a draft has a portal item")
	}
	v, err := e.svc.Portal.Get(e.ctx, editor, r.DocID)
	if err != nil {
		t.Fatal(err)
	}
	if body := v.Draft.Fields.Body; strings.Contains(body, "onerror") || v.Draft.Fields.Source != docs[0].Agency || v.Document.CreatedBy != editor.UserID {
		t.Fatalf("draft: %+v", v.Draft.Fields)
	}
	again := e.run(e.importer(editor, "", false), entries)
	if again.Imported != 0 || again.Existing != 1 || e.count(content.DocumentsCollection) != 1 {
		t.Fatalf("rerun: %+v", again)
	}
}

var chinaTime = time.FixedZone("CST", 8*3600)
