package main

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"mime/multipart"
	"net/http/httptest"
	"testing"

	"zhengwu/cms/media/mediahttp"
)

// #10, must not happen 1, as the finding was made: an editor attaches a
// file to a 秘密 department information item and it is published; the
// file is then read by no one the item's rule does not let read the item
// (anonymous, another department, a clearance below 秘密), whether they
// send their token in the header or in the SPA's media cookie, and by the
// department's cleared readers alike. Before, anyone downloaded it (200).
func TestClassifiedAttachmentFollowsItsItem(t *testing.T) {
	srv, _ := matrixServer(t)
	token := func(username string) string { return tokenOf(t, srv, username) }
	editor, reviewer := token("editor"), token("reviewer")

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "内部通报附件.png")
	img := image.NewRGBA(image.Rect(0, 0, 3, 2)) // bytes no other test uploads
	_ = png.Encode(fw, img)
	_ = mw.Close()
	status, _, b := matrixDoRaw(t, srv, "POST", "/api/portal/v1/media", editor, body.String(), mw.FormDataContentType())
	if status != 201 {
		t.Fatalf("upload: %d %s", status, b)
	}
	var m struct{ ID string }
	_ = json.Unmarshal(b, &m)

	in, _ := json.Marshal(map[string]any{"department": ownDept, "kind": "internal", "title": "关于内部安全检查情况的通报",
		"body": "<p>正文</p>", "classification": "秘密", "audience": "department",
		"attachments": []map[string]any{{"mediaId": m.ID, "name": "内部通报附件.png"}}})
	status, _, b = matrixDo(t, srv, "POST", "/api/office/v1/info/items", editor, in)
	if status != 201 {
		t.Fatalf("create: %d %s", status, b)
	}
	var it struct{ ID string }
	_ = json.Unmarshal(b, &it)
	for _, step := range []struct{ path, token string }{{"/submit", editor}, {"/approve", reviewer}} {
		if status, _, b := matrixDo(t, srv, "POST", "/api/office/v1/info/items/"+it.ID+step.path, step.token, nil); status != 200 {
			t.Fatalf("%s: %d %s", step.path, status, b)
		}
	}

	file := "/api/portal/v1/media/" + m.ID
	read := func(tok string, byCookie bool) int {
		req := httptest.NewRequest("GET", "http://zhengwu.test"+file, nil)
		switch {
		case tok != "" && byCookie:
			req.Header.Set("Cookie", mediahttp.SessionCookie+"="+tok)
		case tok != "":
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
		{"clerk (综合处, 秘密)", token("clerk"), 404},
		{"staff (秘书二处, 非密)", token("staff"), 404},
		{"reviewer (信息处, 秘密)", reviewer, 200},
		{"editor (信息处, 秘密)", editor, 200},
	} {
		for _, byCookie := range []bool{false, true} {
			if got := read(c.tok, byCookie); got != c.status && !(c.tok == "" && byCookie) {
				t.Errorf("%s (cookie %v): %d, want %d", c.who, byCookie, got, c.status)
			}
		}
	}
}
