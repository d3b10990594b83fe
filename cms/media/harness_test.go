package media_test

import (
	"bytes"

	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/cms/media"
	"zhengwu/cms/media/mediahttp"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/httpx"
	"zhengwu/shared/openapi"
	"zhengwu/shared/store/sqlitestore"
	"zhengwu/shared/store/storetest"
)

type env struct {
	t      testing.TB
	app    *fiber.App
	store  *sqlitestore.Store
	trail  *audit.Trail
	svc    *media.Service
	tokens *auth.Tokens
	editor string // token with portal.item.edit in one department
	staff  string // token without it
}

// newEnv builds the media service on its own store; backend is "store" or
// "disk"; maxSize 0 = the default.
func newEnv(t testing.TB, backend string, maxSize int64) *env {
	t.Helper()
	st := storetest.NewSQLite(t)
	var blobs media.Blobs
	if backend == "disk" {
		d, err := media.NewDiskBlobs(filepath.Join(t.TempDir(), "media"))
		if err != nil {
			t.Fatal(err)
		}
		blobs = d
	}
	keys, err := auth.NewKeySet()
	if err != nil {
		t.Fatal(err)
	}
	tokens := auth.NewTokens(keys, time.Now)
	trail := audit.New(st, time.Now)
	svc := media.New(media.Deps{Store: st, Blobs: blobs, Trail: trail, MaxSize: maxSize, TempDir: t.TempDir()})
	// As serve mounts it: the upload route streams, with room for the
	// multipart framing; every other route keeps the 1 MiB JSON limit.
	app := httpx.NewApp(httpx.Options{BodyLimit: 1 << 20, UploadLimit: int(svc.MaxSize()) + 1<<20,
		UploadPaths: []string{strings.TrimSuffix(media.URLPrefix, "/")},
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil))})
	openapi.Mount(app.Group("/api/portal/v1"), mediahttp.Routes(svc, tokens))
	issue := func(p auth.Principal) string {
		tok, _, err := tokens.Issue(p, p.UserID+"-session")
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	return &env{t: t, app: app, store: st, trail: trail, svc: svc, tokens: tokens,
		editor: issue(auth.Principal{UserID: "u-editor", Username: "editor", Name: "李文静", Clearance: classification.Feimi,
			Departments: []string{"xinxi"}, Perms: map[string][]string{media.PermEdit.Key(): {"xinxi"}}}),
		staff: issue(auth.Principal{UserID: "u-staff", Username: "staff", Name: "张三", Clearance: classification.Feimi,
			Departments: []string{"xinxi"}}),
	}
}

// listen serves the app on a real loopback socket until the test ends
// and returns its base URL.
func (e *env) listen() string {
	e.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.t.Fatal(err)
	}
	go func() { _ = e.app.Listener(ln) }()
	e.t.Cleanup(func() { _ = e.app.Shutdown() })
	return "http://" + ln.Addr().String()
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) JSON() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m)
	return m
}

func (e *env) request(req *http.Request, token string) response {
	e.t.Helper()
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.app.Test(req, -1)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// multipartBody builds a multipart/form-data body with one file field.
func multipartBody(field, name string, data []byte) (string, []byte) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, field, name))
	h.Set("Content-Type", "application/octet-stream")
	pw, _ := w.CreatePart(h)
	_, _ = pw.Write(data)
	_ = w.Close()
	return w.FormDataContentType(), buf.Bytes()
}

func (e *env) upload(token, name string, data []byte) response {
	e.t.Helper()
	ct, body := multipartBody("file", name, data)
	req := httptest.NewRequest("POST", "/api/portal/v1/media", bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	return e.request(req, token)
}

func (e *env) get(path string, headers ...string) response {
	e.t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.request(req, "")
}

// uploaded uploads and decodes the response, failing unless the status is want.
func (e *env) uploaded(name string, data []byte, want int) media.Response {
	e.t.Helper()
	r := e.upload(e.editor, name, data)
	if r.Status != want {
		e.t.Fatalf("upload %s: status %d, want %d: %s", name, r.Status, want, r.Body)
	}
	var m media.Response
	if err := json.Unmarshal(r.Body, &m); err != nil {
		e.t.Fatal(err)
	}
	return m
}

func wantProblem(t *testing.T, r response, status int, code, field string) map[string]any {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("content type %q, want problem+json: %s", ct, r.Body)
	}
	m := r.JSON()
	if code != "" && m["code"] != code {
		t.Fatalf("code %v, want %s: %s", m["code"], code, r.Body)
	}
	if field != "" {
		errs, _ := m["errors"].([]any)
		found := false
		for _, fe := range errs {
			if f, _ := fe.(map[string]any); f["field"] == field {
				found = true
			}
		}
		if !found {
			t.Fatalf("problem does not name field %q: %s", field, r.Body)
		}
	}
	return m
}

// tinyPDF is a minimal valid PDF (one empty page, correct xref offsets).
func tinyPDF(text string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
	}
	stream := "BT /F1 12 Tf 20 100 Td (" + text + ") Tj ET"
	objs = append(objs, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream))
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// bigPDF is size bytes that sniff as PDF: a PDF header then noise.
func bigPDF(size int, seed uint64) []byte {
	b := randomBytes(size, seed)
	copy(b, "%PDF-1.7\n")
	return b
}
