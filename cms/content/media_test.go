package content_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"zhengwu/cms/content"
	"zhengwu/cms/item"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// fakeMedia stands in for cms/media.Service.Get.
func fakeMedia(recs ...item.Attachment) func(context.Context, string) (item.Attachment, bool, error) {
	m := map[string]item.Attachment{}
	for _, r := range recs {
		m[r.MediaID] = r
	}
	return func(_ context.Context, id string) (item.Attachment, bool, error) {
		if id == "broken" {
			return item.Attachment{}, false, errors.New("media store down")
		}
		a, ok := m[id]
		return a, ok, nil
	}
}

var (
	mediaPhoto = item.Attachment{MediaID: "photo1", Name: "会议现场.jpg", Size: 20480, Type: "image/jpeg"}
	mediaPDF   = item.Attachment{MediaID: "pdf1", Name: "实施方案.pdf", Size: 123456, Type: "application/pdf"}
)

func TestMediaReferencesChecked(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, func(d *content.Deps) { d.MediaInfo = fakeMedia(mediaPhoto, mediaPDF) })

	in := article("带封面的稿件")
	in.Fields.Cover = "missing1"
	in.Fields.Attachments = []item.Attachment{{MediaID: "pdf1"}, {MediaID: "nosuch", Name: "x.pdf"}}
	_, err := e.svc.Create(e.ctx, editor, in)
	p := wantProblem(t, err, 400, "")
	if _, ok := hasField(p, "fields.cover"); !ok {
		t.Fatalf("no fields.cover: %+v", p.Fields)
	}
	if f, ok := hasField(p, "fields.attachments[1].mediaId"); !ok || f.Message == "" {
		t.Fatalf("no fields.attachments[1].mediaId: %+v", p.Fields)
	}
	if _, ok := hasField(p, "fields.attachments[0].mediaId"); ok {
		t.Fatalf("existing attachment refused: %+v", p.Fields)
	}

	// A cover must be an image.
	in = article("封面是PDF")
	in.Fields.Cover = "pdf1"
	_, err = e.svc.Create(e.ctx, editor, in)
	if _, ok := hasField(wantProblem(t, err, 400, ""), "fields.cover"); !ok {
		t.Fatal("a PDF cover was accepted")
	}

	// Existing references pass; an attachment given only by id is filled
	// from the media record, a caller's name is kept.
	in = article("附件齐全")
	in.Fields.Cover = "photo1"
	in.Fields.Attachments = []item.Attachment{{MediaID: "pdf1"}, {MediaID: "photo1", Name: "现场照片.jpg"}}
	v := e.must(e.svc.Create(e.ctx, editor, in))
	att := v.Draft.Fields.Attachments
	if len(att) != 2 || att[0] != mediaPDF || att[1].Name != "现场照片.jpg" || att[1].Size != 20480 || att[1].Type != "image/jpeg" {
		t.Fatalf("attachments: %+v", att)
	}

	// Saving the draft again checks again.
	f := v.Draft.Fields
	f.Attachments = append(f.Attachments, item.Attachment{MediaID: "gone2"})
	_, err = e.svc.UpdateDraft(e.ctx, editor, v.Document.ID, content.DraftInput{Version: v.Version, Fields: f})
	if _, ok := hasField(wantProblem(t, err, 400, ""), "fields.attachments[2].mediaId"); !ok {
		t.Fatal("missing attachment accepted on update")
	}

	// A failing media store is an error, not a validation message.
	f = v.Draft.Fields
	f.Cover = "broken"
	_, err = e.svc.UpdateDraft(e.ctx, editor, v.Document.ID, content.DraftInput{Version: v.Version, Fields: f})
	if err == nil || problem.As(err) != nil {
		t.Fatalf("media store failure: %v", err)
	}
}

func TestMediaCheckSkippedWithoutMediaInfo(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	in := article("不检查媒体库")
	in.Fields.Cover = "anything"
	in.Fields.Attachments = []item.Attachment{{MediaID: "whatever", Name: "a.pdf"}}
	e.must(e.svc.Create(e.ctx, editor, in))
}

func TestSweepPreviews(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.must(e.svc.Create(e.ctx, editor, article("预览清理")))
	const old = content.PreviewSweepBatch + 50
	for i := 0; i < old; i++ {
		if _, err := e.svc.CreatePreview(e.ctx, editor, v.Document.ID); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := e.svc.SweepPreviews(e.ctx); n != 0 || err != nil {
		t.Fatalf("sweep before expiry: %d %v", n, err)
	}
	e.Clock.Advance(content.PreviewTTL + time.Second)
	fresh, err := e.svc.CreatePreview(e.ctx, editor, v.Document.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Bounded: at most one batch per call; repeated calls get them all.
	total := 0
	for i := 0; i < 4; i++ {
		n, err := e.svc.SweepPreviews(e.ctx)
		if err != nil || n > content.PreviewSweepBatch {
			t.Fatalf("sweep %d: %d %v", i, n, err)
		}
		total += n
	}
	if total != old {
		t.Fatalf("swept %d of %d expired tokens", total, old)
	}
	docs, err := e.Store.Scan(e.ctx, content.PreviewsCollection, "", 1000)
	if err != nil || len(docs) != 1 || docs[0].ID != fresh.Token {
		t.Fatalf("left after sweep: %d %v", len(docs), err)
	}
	if _, err := e.svc.Preview(e.ctx, fresh.Token); err != nil {
		t.Fatalf("fresh token swept: %v", err)
	}

	// RunDue sweeps too (without counting it as a scheduled change).
	e.Clock.Advance(content.PreviewTTL)
	if n, err := e.svc.RunDue(e.ctx); n != 0 || err != nil {
		t.Fatalf("RunDue: %d %v", n, err)
	}
	if _, _, err := store.Load[map[string]any](e.ctx, e.Store, content.PreviewsCollection, fresh.Token); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("RunDue left an expired token: %v", err)
	}
}
