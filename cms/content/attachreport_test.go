package content_test

import (
	"reflect"
	"testing"

	"zhengwu/cms/item"
	"zhengwu/search/source"
	"zhengwu/shared/store"
)

// The console's view of a document carries its published edition's
// attachment report (written by the search projection), and not a report
// of another edition.
func TestViewCarriesAttachmentReport(t *testing.T) {
	e := newEnv(t)
	v := e.publish(article("关于印发湿地保护方案的通知"))
	id := v.Document.ID
	if got := e.must(e.svc.Get(e.ctx, editor, id)); got.AttachmentIssues != nil {
		t.Fatalf("no report yet: %+v", got.AttachmentIssues)
	}
	refused := []source.Refusal{{MediaID: "m1", Name: "方案.zip", Reason: "不支持读取此类文件（.zip）", Cause: source.CauseUnsupported}}
	save := func(edition int) {
		t.Helper()
		if _, err := store.Save(e.ctx, e.Store, item.ReportCollection, id, item.AttachmentReport{Edition: edition, Refused: refused}, store.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	save(v.Published.Number)
	if got := e.must(e.svc.Get(e.ctx, editor, id)); !reflect.DeepEqual(got.AttachmentIssues, refused) {
		t.Fatalf("issues %+v", got.AttachmentIssues)
	}
	save(v.Published.Number + 1)
	if got := e.must(e.svc.Get(e.ctx, editor, id)); got.AttachmentIssues != nil {
		t.Fatalf("another edition's report shown: %+v", got.AttachmentIssues)
	}
}
