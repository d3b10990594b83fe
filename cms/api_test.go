package cms_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"zhengwu/cms"
	"zhengwu/cms/content"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/store"
)

// flow is a portal with its API mounted as serve mounts it, and a
// recorder of the operations a test has exercised.
type flow struct {
	t      *testing.T
	svc    *cms.Service
	app    *fiber.App
	api    openapi.API
	st     store.Store
	tokens map[string]string
	seen   map[string]bool
}

func newFlow(t *testing.T) *flow {
	t.Helper()
	svc, app, k := newPortal(t)
	if err := svc.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	f := &flow{t: t, svc: svc, app: app, api: cms.API(svc.Routes()), st: k.Store, tokens: map[string]string{},
		seen: map[string]bool{}}
	for name, p := range map[string]auth.Principal{
		"editor":   {UserID: "u-editor", Username: "editor", Name: "李文静", Perms: map[string][]string{content.PermEdit.Key(): {"xinxi"}}},
		"reviewer": {UserID: "u-reviewer", Username: "reviewer", Name: "周丽", Perms: map[string][]string{content.PermReview.Key(): {"xinxi"}}},
		"director": {UserID: "u-director", Username: "director", Name: "王建国", Perms: map[string][]string{content.PermReview.Key(): {"*"}, content.PermPublish.Key(): {"*"}}},
		"staff":    {UserID: "u-staff", Username: "staff", Name: "张三"},
		"drafter":  {UserID: "u-drafter", Username: "drafter", Name: "赵敏", Perms: map[string][]string{auth.PermDocDraft.Key(): {"mishu2"}}},
	} {
		f.tokens[name] = k.Token(p)
	}
	return f
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.body, &m); err != nil {
		t.Fatalf("not a JSON object: %s", a.body)
	}
	return m
}

// do sends a request as who ("" anonymous) and checks the answer's status
// and body against the description of op (the operation's path as the
// description writes it).
func (f *flow) do(op, path, who string, body any, want int, headers ...string) answer {
	f.t.Helper()
	method, opPath, _ := strings.Cut(op, " ")
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case *multipartBody:
		rd, ct = bytes.NewReader(b.data), b.contentType
	default:
		data, _ := json.Marshal(b)
		rd, ct = bytes.NewReader(data), "application/json"
	}
	req := httptest.NewRequest(method, cms.Base+path, rd)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[who])
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := f.app.Test(req, 10000)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		f.t.Fatalf("%s %s as %q: %d, want %d: %s", method, path, who, res.StatusCode, want, data)
	}
	openapitest.Response(f.t, f.api, method, opPath, res.StatusCode, data)
	f.seen[method+" "+opPath] = true
	return answer{status: res.StatusCode, header: res.Header, body: data}
}

type multipartBody struct {
	data        []byte
	contentType string
}

func upload(name string, data []byte) *multipartBody {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	part, _ := w.CreateFormFile("file", name)
	_, _ = part.Write(data)
	_ = w.Close()
	return &multipartBody{data: b.Bytes(), contentType: w.FormDataContentType()}
}

func pngImage(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// synced waits until the delivery index has applied every write so far.
func (f *flow) synced() int64 {
	f.t.Helper()
	ctx := context.Background()
	last, err := f.st.LastSeq(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	f.svc.Delivery.Notify()
	if err := f.svc.Delivery.Index().WaitFor(ctx, last, 10_000_000_000); err != nil {
		f.t.Fatal(err)
	}
	return last
}

// An editor's day over the portal API — upload a picture, draft, save,
// submit, two reviews, publication, readers' lists and pages (with and
// without validators), preview, editions and diff, withdrawal, rollback,
// removal — and the refusals along the way: every answer matches what the
// description says of its operation and status, and every described
// operation is exercised.
func TestEveryAnswerMatchesTheDescription(t *testing.T) {
	f := newFlow(t)
	const (
		createDoc = "POST /manage/documents"
		listDocs  = "GET /manage/documents"
		getDoc    = "GET /manage/documents/{id}"
		items     = "GET /items"
		itemByID  = "GET /items/{id}"
	)
	// Readers before anything is published.
	f.do("GET /channels", "/channels", "", nil, 200)
	f.do("GET /channels", "/channels", "staff", nil, 200)
	f.do(items, "/items", "", nil, 200)
	f.do(items, "/items?size=0", "", nil, 400)
	f.do(items, "/items?channel=library", "", nil, 404) // internal: as if unknown
	f.do(items, "/items", "nobody", nil, 401)           // a bad token is refused, not ignored
	f.do(itemByID, "/items/nope", "", nil, 404)
	f.do("GET /items/by-path/{path}", "/items/by-path/news/nope", "", nil, 404)
	f.do("GET /preview/{token}", "/preview/nope", "", nil, 404)

	// Media.
	pic := pngImage(400, 300)
	f.do("POST /media", "/media", "", upload("图.png", pic), 401)
	f.do("POST /media", "/media", "staff", upload("图.png", pic), 403)
	// Whoever drafts a 公文 attaches files to it (readable only through it).
	f.do("POST /media", "/media", "drafter", upload("请示附件.png", pngImage(320, 240)), 201)
	f.do("POST /media", "/media", "editor", upload("页面.html", []byte("<html><script>x()</script></html>")), 415)
	m := f.do("POST /media", "/media", "editor", upload("会议现场.png", pic), 201).json(t)
	mediaID := m["id"].(string)
	// Until a published public item attaches it, the file is its uploader's alone.
	f.do("GET /media/{id}", "/media/"+mediaID, "", nil, 404)
	dl := f.do("GET /media/{id}", "/media/"+mediaID, "editor", nil, 200)
	if !bytes.Equal(dl.body, pic) {
		t.Fatal("the download is not the upload")
	}
	// Its description, by the same rule: its name for an attachment list.
	f.do("GET /media/{id}/info", "/media/"+mediaID+"/info", "", nil, 404)
	f.do("GET /media/{id}/info", "/media/"+mediaID+"/info", "staff", nil, 404)
	if info := f.do("GET /media/{id}/info", "/media/"+mediaID+"/info", "editor", nil, 200).json(t); info["name"] != "会议现场.png" || info["size"] == nil {
		t.Fatalf("the file's description: %v", info)
	}
	f.do("GET /media/{id}", "/media/"+mediaID, "editor", nil, 304, "If-None-Match", dl.header.Get("ETag"))
	f.do("GET /media/{id}", "/media/"+mediaID, "editor", nil, 416, "Range", "bytes=999999-")
	f.do("GET /media/{id}", "/media/"+strings.Repeat("0", 64), "", nil, 404)
	th := f.do("GET /media/{id}/thumbnail", "/media/"+mediaID+"/thumbnail?w=160", "editor", nil, 200)
	f.do("GET /media/{id}/thumbnail", "/media/"+mediaID+"/thumbnail?w=160", "editor", nil, 304, "If-None-Match", th.header.Get("ETag"))
	f.do("GET /media/{id}/thumbnail", "/media/"+mediaID+"/thumbnail?w=999", "editor", nil, 400)
	f.do("GET /media/{id}/thumbnail", "/media/"+strings.Repeat("0", 64)+"/thumbnail", "", nil, 404)

	f.do("POST /media/session", "/media/session", "", nil, 401)
	f.do("POST /media/session", "/media/session", "editor", nil, 204)
	f.do("DELETE /media/session", "/media/session", "", nil, 204)

	// Drafting and review.
	f.do(listDocs, "/manage/documents", "", nil, 401)
	f.do(createDoc, "/manage/documents", "editor", map[string]any{"type": "poem"}, 400)
	f.do(createDoc, "/manage/documents", "staff", map[string]any{"type": "article", "channel": "news",
		"department": "xinxi", "fields": map[string]any{"title": "无权起草"}}, 403)
	v := f.do(createDoc, "/manage/documents", "editor", map[string]any{"type": "article", "channel": "news",
		"department": "xinxi", "changeNote": "初稿", "fields": map[string]any{"title": "省政府召开常务会议",
			"body": "<p>会议研究了……</p>", "cover": mediaID,
			"attachments": []map[string]any{{"mediaId": mediaID, "name": "会议现场.png"}}}}, 201).json(t)
	id := v["id"].(string)
	doc := "/manage/documents/" + id
	f.do(getDoc, doc, "editor", nil, 200)
	f.do(getDoc, "/manage/documents/nope", "editor", nil, 404)
	v = f.do("PUT /manage/documents/{id}/draft", doc+"/draft", "editor", map[string]any{"version": v["version"],
		"fields": map[string]any{"title": "省政府召开第12次常务会议", "body": "<p>会议研究了……</p>", "cover": mediaID}}, 200).json(t)
	f.do("PUT /manage/documents/{id}/draft", doc+"/draft", "editor", map[string]any{"version": 1,
		"fields": map[string]any{"title": "过期的修改"}}, 409)
	f.do("PUT /manage/documents/{id}/draft", doc+"/draft", "editor", map[string]any{"fields": map[string]any{}}, 400)
	f.do("POST /manage/documents/{id}/submit", doc+"/submit", "staff", nil, 404) // no portal right: not even there
	v = f.do("POST /manage/documents/{id}/submit", doc+"/submit", "editor", nil, 200).json(t)
	f.do("GET /manage/review-queue", fmt.Sprintf("/manage/review-queue?consistentWith=%d", int64(v["seq"].(float64))), "reviewer", nil, 200)
	f.do("GET /manage/review-queue", "/manage/review-queue?size=1000", "reviewer", nil, 400)
	f.do("POST /manage/documents/{id}/approve", doc+"/approve", "editor", map[string]any{"version": v["version"]}, 403)
	f.do("POST /manage/documents/{id}/reject", doc+"/reject", "reviewer", map[string]any{"version": v["version"], "reason": ""}, 400)
	v = f.do("POST /manage/documents/{id}/approve", doc+"/approve", "reviewer", map[string]any{"version": v["version"], "comment": "同意"}, 200).json(t)
	v = f.do("POST /manage/documents/{id}/reject", doc+"/reject", "director", map[string]any{"version": v["version"], "reason": "标题请加日期"}, 200).json(t)
	v = f.do("POST /manage/documents/{id}/submit", doc+"/submit", "editor", map[string]any{"version": v["version"]}, 200).json(t)
	v = f.do("POST /manage/documents/{id}/approve", doc+"/approve", "reviewer", map[string]any{"version": v["version"]}, 200).json(t)
	v = f.do("POST /manage/documents/{id}/approve", doc+"/approve", "director", map[string]any{"version": v["version"], "comment": "发布"}, 200).json(t)
	if v["document"].(map[string]any)["state"] != "published" {
		t.Fatalf("not published: %v", v)
	}
	f.do(listDocs, fmt.Sprintf("/manage/documents?state=published&consistentWith=%d", int64(v["seq"].(float64))), "editor", nil, 200)
	f.do(listDocs, "/manage/documents?size=abc", "editor", nil, 400)

	// Readers.
	seq := f.synced()
	list := f.do(items, fmt.Sprintf("/items?channel=news&fields=title,body,policy,leader,cover&consistentWith=%d", seq), "", nil, 200).json(t)
	if list["total"].(float64) != 1 {
		t.Fatalf("list: %v", list)
	}
	f.do(items, "/items?channel=news&status=published,withdrawn&sort=title&page=1&size=5", "staff", nil, 200)
	page := f.do(itemByID, "/items/"+id, "", nil, 200)
	f.do(itemByID, "/items/"+id, "", nil, 304, "If-None-Match", page.header.Get("ETag"))
	path := page.json(t)["path"].(string)
	f.do("GET /items/by-path/{path}", "/items/by-path/"+path, "", nil, 200)
	if pub := f.do("GET /media/{id}", "/media/"+mediaID, "", nil, 200); pub.header.Get("Cache-Control") != "public, max-age=3600" {
		t.Errorf("a published public item's file: Cache-Control %q", pub.header.Get("Cache-Control"))
	}

	// Editors' tools.
	f.do("GET /manage/documents/{id}/editions", doc+"/editions", "editor", nil, 200)
	f.do("GET /manage/documents/{id}/editions/{n}", doc+"/editions/1", "editor", nil, 200)
	f.do("GET /manage/documents/{id}/editions/{n}", doc+"/editions/9", "editor", nil, 404)
	f.do("GET /manage/documents/{id}/diff", doc+"/diff?from=1&to=1", "editor", nil, 200)
	f.do("GET /manage/documents/{id}/diff", doc+"/diff?from=1", "editor", nil, 400)
	pv := f.do("POST /manage/documents/{id}/preview", doc+"/preview", "editor", nil, 200).json(t)
	f.do("GET /preview/{token}", "/preview/"+pv["token"].(string), "", nil, 200)

	// Withdrawal, rollback, redirect, removal.
	f.do("POST /manage/documents/{id}/withdraw", doc+"/withdraw", "editor", map[string]any{"reason": "过时"}, 403)
	f.do("POST /manage/documents/{id}/withdraw", doc+"/withdraw", "director", map[string]any{"reason": "过时"}, 200)
	f.synced()
	withdrawn := f.do(itemByID, "/items/"+id, "", nil, 200).json(t)
	if withdrawn["status"] != "withdrawn" {
		t.Fatalf("withdrawn item: %v", withdrawn)
	}
	f.do("POST /manage/documents/{id}/rollback", doc+"/rollback", "director", map[string]any{"edition": 1}, 200)
	f.do("POST /manage/documents/{id}/redirect", doc+"/redirect", "director", map[string]any{"to": "nope"}, 400)
	other := f.do(createDoc, "/manage/documents", "editor", map[string]any{"type": "article", "channel": "news",
		"department": "xinxi", "fields": map[string]any{"title": "另一篇稿件"}}, 201).json(t)
	f.do("POST /manage/documents/{id}/remove", "/manage/documents/"+other["id"].(string)+"/remove", "editor", nil, 403)
	f.do("POST /manage/documents/{id}/remove", doc+"/remove", "director", nil, 200)
	f.synced()
	f.do(itemByID, "/items/"+id, "", nil, 410)
	f.do("GET /media/{id}", "/media/"+mediaID, "", nil, 404) // removed: its file goes with it

	// The description's own two routes.
	f.do("GET /openapi.json", "/openapi.json", "", nil, 200)
	f.do("GET /docs", "/docs", "", nil, 200)

	var missing []string
	for _, o := range f.api.Ops {
		if !f.seen[strings.ToUpper(o.Method)+" "+o.Path] {
			missing = append(missing, o.Method+" "+o.Path)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("operations no request exercised: %v", missing)
	}
}

// A redirected item is the 301 its operation describes, with the address
// of the item readers are sent to.
func TestRedirectIsDescribed(t *testing.T) {
	f := newFlow(t)
	publish := func(title string) string {
		t.Helper()
		v := f.do("POST /manage/documents", "/manage/documents", "editor", map[string]any{"type": "article",
			"channel": "news", "department": "xinxi", "fields": map[string]any{"title": title}}, 201).json(t)
		id := v["id"].(string)
		doc := "/manage/documents/" + id
		v = f.do("POST /manage/documents/{id}/submit", doc+"/submit", "editor", nil, 200).json(t)
		v = f.do("POST /manage/documents/{id}/approve", doc+"/approve", "reviewer", map[string]any{"version": v["version"]}, 200).json(t)
		f.do("POST /manage/documents/{id}/approve", doc+"/approve", "director", map[string]any{"version": v["version"]}, 200)
		return id
	}
	from, to := publish("旧稿"), publish("新稿")
	f.do("POST /manage/documents/{id}/redirect", "/manage/documents/"+from+"/redirect", "director", map[string]any{"to": to}, 200)
	f.synced()
	r := f.do("GET /items/{id}", "/items/"+from, "", nil, 301)
	if r.header.Get("Location") != cms.Base+"/items/"+to {
		t.Fatalf("redirect to %q", r.header.Get("Location"))
	}
}
