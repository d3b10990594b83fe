package media_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/textproto"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"zhengwu/cms/media"
	"zhengwu/cms/media/mediahttp"
	"zhengwu/shared/attachment"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/httpx"
	"zhengwu/shared/openapi"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// env is one test's media service on a testkit environment, mounted as
// serve mounts it, with an editor's and a staff member's token.
type env struct {
	*testkit.Env
	app    *fiber.App
	svc    *media.Service
	editor string // token with portal.item.edit in one department
	staff  string // token without it
}

type response = testkit.Response

// newEnv builds the media service on its own store; backend is "store" or
// "disk"; maxSize 0 = the default.
func newEnv(t testing.TB, backend string, maxSize int64) *env {
	t.Helper()
	k := testkit.New(t)
	var blobs media.Blobs
	if backend == "disk" {
		d, err := media.NewDiskBlobs(filepath.Join(k.Dir, "media"))
		if err != nil {
			t.Fatal(err)
		}
		blobs = d
	}
	svc := media.New(media.Deps{Store: k.Store, Blobs: blobs, Trail: k.Trail, MaxSize: maxSize, TempDir: t.TempDir(),
		Rules: map[string]attachment.Rule{pagesCollection: pageRule(k.Store)}})
	// As serve mounts it: the upload route streams, with room for the
	// multipart framing; every other route keeps the 1 MiB JSON limit.
	app := httpx.NewApp(httpx.Options{BodyLimit: 1 << 20, UploadLimit: int(svc.MaxSize()) + 1<<20,
		UploadPaths: []string{strings.TrimSuffix(media.URLPrefix, "/")}, Logger: k.Log})
	openapi.Mount(app.Group("/api/portal/v1"), mediahttp.Routes(svc, k.Tokens))
	return &env{Env: k, app: app, svc: svc,
		editor: k.Token(testkit.Principal("u-editor", classification.Feimi, []string{"xinxi"}, testkit.Holds(media.PermEdit, "xinxi"))),
		staff:  k.Token(testkit.Principal("u-staff", classification.Feimi, []string{"xinxi"})),
	}
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

// post sends body to the upload route as token with the content type ct
// ("": none).
func (e *env) post(token, ct string, body []byte) response {
	e.T.Helper()
	return testkit.Send(e.T, e.app, testkit.Request{Method: "POST", Path: "/api/portal/v1/media", Token: token,
		Body: body, Headers: map[string]string{"Content-Type": ct}})
}

func (e *env) upload(token, name string, data []byte) response {
	e.T.Helper()
	ct, body := multipartBody("file", name, data)
	return e.post(token, ct, body)
}

func (e *env) get(path string, headers ...string) response {
	e.T.Helper()
	return testkit.Get(e.T, e.app, path, headers...)
}

// uploaded uploads and decodes the response, failing unless the status
// is want, and attaches the file to a public page (anyone may read it).
func (e *env) uploaded(name string, data []byte, want int) media.Response {
	e.T.Helper()
	r := e.upload(e.editor, name, data)
	if r.Status != want {
		e.T.Fatalf("upload %s: status %d, want %d: %s", name, r.Status, want, r.Body)
	}
	var m media.Response
	r.Decode(e.T, &m)
	e.attach("public-"+m.ID[:8], page{Media: []string{m.ID}, Public: true})
	return m
}

// pagesCollection holds the tests' documents that attach files: a
// capability's documents as the media service sees them, through a rule.
const pagesCollection = "test_pages"

// page is a test document: the files it attaches and who may read them.
type page struct {
	Media  []string    `json:"media"`
	Public bool        `json:"public"`
	Access auth.Access `json:"access"`
}

// pageRule decides a file by its page, as a capability's rule does.
func pageRule(st store.Store) attachment.Rule {
	return func(ctx context.Context, id, mediaID string) (attachment.Decision, error) {
		pg, _, err := store.Load[page](ctx, st, pagesCollection, id)
		if errors.Is(err, store.ErrNotFound) {
			return attachment.Decision{}, nil
		}
		return attachment.Decision{Attaches: slices.Contains(pg.Media, mediaID), Public: pg.Public, Access: pg.Access}, err
	}
}

// attach writes a page with its file references, as a capability commits
// a document that attaches files.
func (e *env) attach(id string, pg page) {
	e.T.Helper()
	data, err := store.Encode(pg)
	if err != nil {
		e.T.Fatal(err)
	}
	writes := append([]store.Write{{Collection: pagesCollection, ID: id, Data: data, ExpectVersion: store.AnyVersion}},
		attachment.Writes(pagesCollection, id, pg.Media...)...)
	if _, err := e.Store.PutAll(context.Background(), writes); err != nil {
		e.T.Fatal(err)
	}
}

// wantProblem is testkit.WantProblem that also wants the problem to name
// field (unless "").
func wantProblem(t *testing.T, r response, status int, code, field string) map[string]any {
	t.Helper()
	m := testkit.WantProblem(t, r, status, code)
	if field != "" && !slices.Contains(testkit.ProblemFields(m), field) {
		t.Fatalf("problem does not name field %q: %s", field, r.Body)
	}
	return m
}

// tinyPDF is a minimal valid PDF (one page showing text, correct xref offsets).
func tinyPDF(text string) []byte {
	return testkit.PDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
		testkit.PDFStream("", []byte("BT /F1 12 Tf 20 100 Td ("+text+") Tj ET")),
	)
}

// bigPDF is size bytes that sniff as PDF: a PDF header then noise.
func bigPDF(size int, seed uint64) []byte {
	b := randomBytes(size, seed)
	copy(b, "%PDF-1.7\n")
	return b
}

// backendNames are newEnv's two places for the bytes: chunks in the
// store, or files on disk (NewDiskBlobs).
var backendNames = []string{"store", "disk"}

// eachBackend runs test once on each backend, in parallel subtests, each
// on its own environment.
func eachBackend(t *testing.T, test func(t *testing.T, e *env)) {
	t.Helper()
	for _, backend := range backendNames {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			test(t, newEnv(t, backend, 0))
		})
	}
}

// eachBackendB is eachBackend for a benchmark (its runs are sequential).
func eachBackendB(b *testing.B, bench func(b *testing.B, e *env)) {
	b.Helper()
	for _, backend := range backendNames {
		b.Run(backend, func(b *testing.B) { bench(b, newEnv(b, backend, 0)) })
	}
}
