package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"mime/multipart"
	"net/http/httptest"
	"testing"
)

// A 公文's attachment is read by whoever may read the document
// (officialdoc.AccessOf, through officialdoc.MediaRule) and by no one
// else: before, no rule owned the collection and every download of it
// failed closed (404), its readers' too.
func TestOfficialDocumentAttachmentFollowsItsDocument(t *testing.T) {
	srv, _ := matrixServer(t)
	ctx := context.Background()
	token := func(username string) string { return tokenOf(t, srv, username) }
	editor := token("editor") // 信息处; uploads (portal.item.edit) and drafts (doc.draft)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "公文附件.png")
	_ = png.Encode(fw, image.NewRGBA(image.Rect(0, 0, 5, 3))) // bytes no other test uploads
	_ = mw.Close()
	status, _, b := matrixDoRaw(t, srv, "POST", "/api/portal/v1/media", editor, body.String(), mw.FormDataContentType())
	if status != 201 {
		t.Fatalf("upload: %d %s", status, b)
	}
	var m struct{ ID string }
	_ = json.Unmarshal(b, &m)
	clerk, _ := srv.parts.identity.PrincipalByUsername(ctx, "clerk")
	in, _ := json.Marshal(map[string]any{"direction": "outgoing", "docType": "通报", "title": "关于政务信息报送情况的通报",
		"classification": "非密", "issuer": "安徽省人民政府办公厅", "issuerCode": "皖政办", "mainTo": []string{"厅机关各处室"},
		"body": "<p>正文</p>", "attachments": []string{m.ID}, "knowers": []string{clerk.UserID}})
	if status, _, b := matrixDo(t, srv, "POST", "/api/office/v1/documents", editor, in); status != 201 {
		t.Fatalf("draft: %d %s", status, b)
	}
	read := func(tok string) int {
		req := httptest.NewRequest("GET", "http://zhengwu.test/api/portal/v1/media/"+m.ID, nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		res, err := srv.app.Test(req, 30_000)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for _, c := range []struct {
		who    string
		tok    string
		status int
	}{
		{"anonymous", "", 404},
		{"staff (秘书二处: not a reader)", token("staff"), 404},
		{"clerk (综合处, on the 知悉范围 list)", token("clerk"), 200},
		{"reviewer (信息处, the drafting department)", token("reviewer"), 200},
		{"editor (the drafter)", editor, 200},
	} {
		if got := read(c.tok); got != c.status {
			t.Errorf("%s: %d, want %d", c.who, got, c.status)
		}
	}
}
