package bulkimport_test

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"zhengwu/cms/bulkimport"
	"zhengwu/cms/content"
	"zhengwu/cms/item"
	"zhengwu/search/query"
	"zhengwu/search/source/sourcetest"
)

// A folder of real files becomes published portal items for an account
// that may publish: the text of a DOCX, a PDF and a GB18030 text file is
// the body (and searchable), the file is kept as the attachment (and its
// text indexed), an HTML page is sanitised; what cannot be read is
// refused with its reason. A dry run writes nothing; a rerun duplicates
// nothing.
func TestFolderImport(t *testing.T) {
	e := newEnv(t)
	docs := corpus(t)
	news, plan := docs[0], docs[1]

	e.write("要闻/"+news.Title[:30]+".docx", sourcetest.DOCX(t, strings.Split(news.Body, "\n")...))
	pdf, err := os.ReadFile("../../search/source/testdata/brief.pdf")
	if err != nil {
		t.Fatal(err)
	}
	e.write("通知.pdf", pdf)
	e.write("要闻/网页.html", []byte("<html><head><title>"+plan.Title+"</title></head><body><h1>"+plan.Title+
		"</h1><script>alert(1)</script><p onclick=\"x()\">"+strings.ReplaceAll(plan.Body, "\n", "</p><p>")+"</p></body></html>"))
	gbk, err := simplifiedchinese.GB18030.NewEncoder().String(docs[2].Body)
	if err != nil {
		t.Fatal(err)
	}
	e.write("旧稿/体育工作.txt", []byte(gbk))
	e.write("旧稿/空白.txt", []byte("   \n"))
	e.write("旧稿/报表.xls", []byte("not read"))
	e.write(".DS_Store", []byte("skipped"))

	entries, err := bulkimport.ReadFolder(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 6 {
		t.Fatalf("read %d entries, want 6 (hidden files skipped): %+v", len(entries), entries)
	}

	// Dry run: every check, no write at all (the feed does not move).
	before, _ := e.k.Store.LastSeq(e.ctx)
	dry := e.run(e.importer(publisher, "news", true), entries)
	if after, _ := e.k.Store.LastSeq(e.ctx); after != before {
		t.Fatalf("the dry run wrote %d changes", after-before)
	}
	if dry.Valid != 4 || dry.Refused != 2 {
		t.Fatalf("dry run: %d valid, %d refused, want 4 and 2:\n%s", dry.Valid, dry.Refused, dry.Summary())
	}
	refusedOn(t, dry, "旧稿/空白.txt", "file")
	refusedOn(t, dry, "旧稿/报表.xls", "file")

	rep := e.run(e.importer(publisher, "news", false), entries)
	if rep.Imported != 4 || rep.Refused != 2 || !rep.Publishes {
		t.Fatalf("import: %+v\n%s", rep, rep.Summary())
	}
	for _, r := range rep.Results {
		if r.Outcome == bulkimport.OutcomeImported && r.State != content.StatePublished {
			t.Fatalf("%s is %s, want published (the account may publish)", r.Origin, r.State)
		}
	}

	// The DOCX: its text is the body, the file the attachment, both searchable.
	docx := result(t, rep, "要闻/"+news.Title[:30]+".docx")
	it := e.item(docx.DocID)
	if it.Status != item.StatusPublished || it.Channel != "news" || it.Department != "xinxi" || it.Title != news.Title[:30] {
		t.Fatalf("docx item: %+v", it)
	}
	if len(it.Attachments) != 1 || !strings.HasSuffix(it.Attachments[0].Name, ".docx") {
		t.Fatalf("docx item keeps its file: %+v", it.Attachments)
	}
	want := phrase(news.Body, 10, 20)
	got := e.searched(docx.DocID)
	if !strings.Contains(got[query.FieldBody].(string), want) {
		t.Fatalf("the DOCX's text %q is not in the searchable body %q", want, got[query.FieldBody])
	}
	if !strings.Contains(strings.Join(got[query.FieldAttachmentText].([]string), " "), want) {
		t.Fatalf("the DOCX's text is not indexed as its attachment's: %v", got[query.FieldAttachmentText])
	}

	// The PDF and the GB18030 text file.
	if b := e.item(result(t, rep, "通知.pdf").DocID).BodyText; !strings.Contains(b, "关于印发政务公开工作要点的通知") {
		t.Fatalf("the PDF's text is not the body: %q", b)
	}
	if b := e.item(result(t, rep, "旧稿/体育工作.txt").DocID).BodyText; !strings.Contains(b, phrase(docs[2].Body, 0, 20)) {
		t.Fatalf("the GB18030 file's text is not the body: %q", b)
	}

	// The HTML page: titled after <title>, sanitised by the shared sanitiser.
	page := e.item(result(t, rep, "要闻/网页.html").DocID)
	if page.Title != plan.Title || strings.Contains(page.Body, "<script") || strings.Contains(page.Body, "onclick") ||
		strings.Contains(page.BodyText, plan.Title) ||
		!strings.Contains(page.BodyText, phrase(plan.Body, 0, 20)) {
		t.Fatalf("html item: title %q, body %q", page.Title, page.Body)
	}

	// Rerun: nothing new, the same documents named.
	docsBefore := e.count(content.DocumentsCollection)
	again := e.run(e.importer(publisher, "news", false), entries)
	if again.Imported != 0 || again.Existing != 4 || e.count(content.DocumentsCollection) != docsBefore {
		t.Fatalf("rerun: %+v, documents %d → %d", again, docsBefore, e.count(content.DocumentsCollection))
	}
	if r := result(t, again, "通知.pdf"); r.DocID != result(t, rep, "通知.pdf").DocID {
		t.Fatalf("rerun names %s, the first run made %s", r.DocID, result(t, rep, "通知.pdf").DocID)
	}
}

// Two runs of one folder at once (two operators, or a rerun started
// before the first ended) import each file once: the key's create-only
// mapping commits with the document.
func TestConcurrentRunsImportOnce(t *testing.T) {
	e := newEnv(t)
	for i, d := range corpus(t) {
		e.write(string(rune('a'+i))+".txt", []byte(d.Body))
	}
	entries, err := bulkimport.ReadFolder(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	reports := make(chan bulkimport.Report, 2)
	for range 2 {
		go func() {
			rep, err := e.importer(publisher, "news", false).Run(e.ctx, entries)
			if err != nil {
				t.Error(err)
			}
			reports <- rep
		}()
	}
	a, b := <-reports, <-reports
	if a.Imported+b.Imported != 3 || a.Existing+b.Existing != 3 || e.count(content.DocumentsCollection) != 3 {
		t.Fatalf("two runs: %+v / %+v, %d documents", a, b, e.count(content.DocumentsCollection))
	}
}
