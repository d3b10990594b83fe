package item_test

import (
	"context"
	"testing"

	"zhengwu/cms/channel"
	"zhengwu/cms/item"
	"zhengwu/search/source"
	"zhengwu/search/source/sourcetest"
	"zhengwu/shared/store"
	"zhengwu/shared/store/storetest"
)

// A file search cannot read is reported on its item (ReportCollection),
// the item indexed with its other files all the same; once the editor
// replaces the file, the report goes. The projection writes the report
// only when it changes.
func TestAttachmentReport(t *testing.T) {
	st := storetest.NewSQLite(t)
	ctx := context.Background()
	media := sourcetest.Media{
		"good":   sourcetest.DOCX(t, "细则正文"),
		"locked": sourcetest.EncryptedTextPDF("Locked", "owner", "user"),
		"fixed":  sourcetest.EncryptedTextPDF("Unlocked for reading", "owner", ""),
	}
	it := item.Item{ID: "it-r", Type: channel.TypeArticle, Channel: "news", Visibility: channel.Public,
		Title: "关于印发实施细则的通知", Status: item.StatusPublished, Edition: 1,
		Attachments: []item.Attachment{
			{MediaID: "good", Name: "细则.docx"},
			{MediaID: "locked", Name: "加密文件.pdf"},
			{MediaID: "old", Name: "旧版.doc", Type: "application/msword"},
		}}
	deps := item.SearchDeps{Store: st, Media: media, Logger: quiet}
	save := func() {
		t.Helper()
		if _, err := store.Save(ctx, st, item.Collection, it.ID, it, store.AnyVersion); err != nil {
			t.Fatal(err)
		}
	}
	save()
	got := project(t, deps, st, it.ID)
	if names := got[source.FieldAttachmentNames]; names == nil || len(names.([]string)) != 1 {
		t.Fatalf("indexed files: %v", names)
	}
	refused, err := item.ReportOf(ctx, st, it.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(refused) != 2 || refused[0].Name != "加密文件.pdf" || refused[0].Cause != source.CausePassword ||
		refused[1].Name != "旧版.doc" || refused[1].Cause != source.CauseUnsupported {
		t.Fatalf("report %+v", refused)
	}
	// Projected again (a rebuild, a reconciliation): nothing written.
	before, _ := st.Get(ctx, item.ReportCollection, it.ID)
	project(t, deps, st, it.ID)
	after, _ := st.Get(ctx, item.ReportCollection, it.ID)
	if after.Version != before.Version {
		t.Fatalf("unchanged report rewritten: version %d → %d", before.Version, after.Version)
	}
	// The editor replaces the files: the report goes.
	it.Edition = 2
	it.Attachments = []item.Attachment{{MediaID: "good", Name: "细则.docx"}, {MediaID: "fixed", Name: "限制编辑.pdf"}}
	save()
	project(t, deps, st, it.ID)
	if refused, err := item.ReportOf(ctx, st, it.ID, 2); err != nil || refused != nil {
		t.Fatalf("report after the fix: %+v, %v", refused, err)
	}
	// Edition 3 drops the files (the projection reads nothing then), with
	// edition 2's report as if it were still there: not this edition's.
	if _, err := store.Save(ctx, st, item.ReportCollection, it.ID, item.AttachmentReport{Edition: 2,
		Refused: []source.Refusal{{MediaID: "locked", Name: "加密文件.pdf", Reason: "…", Cause: source.CausePassword}}}, store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	it.Edition, it.Attachments = 3, nil
	save()
	project(t, deps, st, it.ID)
	if refused, err := item.ReportOf(ctx, st, it.ID, 3); err != nil || refused != nil {
		t.Fatalf("edition 3: %+v, %v", refused, err)
	}
}
