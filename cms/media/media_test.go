package media_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"zhengwu/cms/media"
	"zhengwu/shared/audit"
	"zhengwu/shared/testkit"
)

func TestUploadDownloadRoundTrip(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, e *env) {
		pdf := tinyPDF("hello")
		name := "关于印发《2026年政务公开工作要点》的通知.pdf"
		m := e.uploaded(name, pdf, 201)
		sum := sha256.Sum256(pdf)
		if m.ID != hex.EncodeToString(sum[:]) || m.SHA256 != m.ID {
			t.Fatalf("id %s, want the sha256", m.ID)
		}
		if m.Name != name || m.Size != int64(len(pdf)) || m.Type != media.TypePDF {
			t.Fatalf("record %+v", m)
		}
		if m.URL != "/api/portal/v1/media/"+m.ID || m.ThumbnailURL != "" {
			t.Fatalf("urls %q %q", m.URL, m.ThumbnailURL)
		}

		r := e.get(m.URL)
		if r.Status != 200 || !bytes.Equal(r.Body, pdf) {
			t.Fatalf("get: %d, %d bytes", r.Status, len(r.Body))
		}
		h := r.Header
		for k, want := range map[string]string{
			"Content-Type":           media.TypePDF,
			"Accept-Ranges":          "bytes",
			"ETag":                   `"` + m.ID + `"`,
			"Cache-Control":          "public, max-age=3600",
			"X-Content-Type-Options": "nosniff",
			"Content-Length":         strconv.Itoa(len(pdf)),
		} {
			if got := h.Get(k); got != want {
				t.Errorf("%s = %q, want %q", k, got, want)
			}
		}
		disp, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
		if err != nil || disp != "inline" || params["filename"] != name {
			t.Fatalf("Content-Disposition %q: %s %v %v", h.Get("Content-Disposition"), disp, params, err)
		}
		if !strings.Contains(h.Get("Content-Disposition"), `filename="`) {
			t.Fatal("no ASCII fallback filename")
		}

		// HEAD: headers without a body.
		hr := testkit.Send(t, e.app, testkit.Request{Method: "HEAD", Path: m.URL})
		if hr.Status != 200 || len(hr.Body) != 0 || hr.Header.Get("ETag") != `"`+m.ID+`"` {
			t.Fatalf("head: %d %d %v", hr.Status, len(hr.Body), hr.Header)
		}

		// The upload is in the audit trail.
		entries, err := e.Trail.List(context.Background(), 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].Action != "media.upload" || entries[0].Target != m.ID ||
			entries[0].Actor != "u-editor" || entries[0].Outcome != audit.Success {
			t.Fatalf("audit: %+v", entries)
		}
	})
}

func TestDedupe(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "store", 0)
	pdf := tinyPDF("same")
	first := e.uploaded("a.pdf", pdf, 201)
	second := e.uploaded("另一个名字.pdf", pdf, 200)
	if second.ID != first.ID || second.Name != "a.pdf" {
		t.Fatalf("second upload %+v, want the first record %+v", second, first)
	}
	other := e.uploaded("b.pdf", tinyPDF("different"), 201)
	if other.ID == first.ID {
		t.Fatal("different bytes, same id")
	}

	// Concurrent uploads of new identical bytes: one 201, the rest 200, one id.
	data := tinyPDF("concurrent")
	var wg sync.WaitGroup
	statuses := make([]int, 6)
	ids := make([]string, 6)
	for i := range statuses {
		wg.Go(func() {
			r := e.upload(e.editor, "c.pdf", data)
			statuses[i], ids[i] = r.Status, r.JSON()["id"].(string)
		})
	}
	wg.Wait()
	created := 0
	for i, s := range statuses {
		if s == 201 {
			created++
		} else if s != 200 {
			t.Fatalf("status %d", s)
		}
		if ids[i] != ids[0] {
			t.Fatal("concurrent identical uploads got different ids")
		}
	}
	if created != 1 {
		t.Fatalf("%d uploads created the media, want 1", created)
	}
}

func TestSizeLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "store", 64<<10)
	e.uploaded("ok.pdf", bigPDF(64<<10, 1), 201)
	r := e.upload(e.editor, "big.pdf", bigPDF(64<<10+1, 2))
	wantProblem(t, r, 413, "body_too_large", "file")
	r = e.upload(e.editor, "empty.pdf", nil)
	wantProblem(t, r, 400, "invalid", "file")
}

func TestTypeAllowList(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "store", 0)
	elf := append([]byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00"), randomBytes(200, 3)...)
	jar := zipOf(t, map[string]string{"META-INF/MANIFEST.MF": "Manifest-Version: 1.0\n", "a/Main.class": "\xca\xfe\xba\xbe"})
	refused := map[string][]byte{
		"通知.pdf":     []byte("<!DOCTYPE html><html><head><title>x</title></head><body><script>alert(1)</script></body></html>"),
		"logo.svg":   []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>`),
		"setup.docx": elf,
		"tool.zip":   jar,
		"data.bin":   randomBytes(1000, 4),
		"run.txt":    []byte("#!/bin/sh\nrm -rf /\n"),
	}
	for name, data := range refused {
		r := e.upload(e.editor, name, data)
		wantProblem(t, r, 415, media.CodeTypeRefused, "file")
	}
	// Refusals are audited as failures.
	entries, _ := e.Trail.List(context.Background(), 0, 100)
	if len(entries) != len(refused) || entries[0].Outcome != audit.Failure {
		t.Fatalf("audit: %d entries %+v", len(entries), entries)
	}

	accepted := []struct {
		name, typ string
		data      []byte
	}{
		{"文件.ofd", media.TypeOFD, zipOf(t, map[string]string{"OFD.xml": "<ofd:OFD/>", "Doc_0/Document.xml": "<x/>"})},
		{"报告.docx", media.TypeDOCX, zipOf(t, map[string]string{"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"})},
		{"表格.xlsx", media.TypeXLSX, zipOf(t, map[string]string{"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<w/>"})},
		{"材料.zip", media.TypeZIP, zipOf(t, map[string]string{"a.txt": "hello"})},
		{"说明.txt", media.TypeText, []byte("政务公开工作要点\n第一条 ……\n")},
		{"gbk.txt", media.TypeTextOther, bytes.Repeat([]byte("\xd5\xfe\xce\xf1\xb9\xab\xbf\xaa\n"), 20)},
		{"图.png", media.TypePNG, pngOf(t, 40, 30)},
		{"图.jpg", media.TypeJPEG, jpegOf(t, 40, 30)},
	}
	for _, a := range accepted {
		m := e.uploaded(a.name, a.data, 201)
		if m.Type != a.typ {
			t.Errorf("%s: type %s, want %s", a.name, m.Type, a.typ)
		}
	}
}

func TestRanges(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, e *env) {
		data := bigPDF(3*media.ChunkSize+1234, 9) // several chunks
		m := e.uploaded("大文件.pdf", data, 201)
		size := len(data)
		cases := []struct {
			rng        string
			start, end int // inclusive
		}{
			{"bytes=0-99", 0, 99},
			{"bytes=261000-261300", 261000, 261300}, // across a chunk border
			{"bytes=-100", size - 100, size - 1},
			{"bytes=" + strconv.Itoa(size-10) + "-", size - 10, size - 1},
			{"bytes=5-" + strconv.Itoa(size+1000), 5, size - 1}, // end clamped
		}
		for _, c := range cases {
			r := e.get(m.URL, "Range", c.rng)
			if r.Status != 206 {
				t.Fatalf("%s: status %d %s", c.rng, r.Status, r.Body)
			}
			if !bytes.Equal(r.Body, data[c.start:c.end+1]) {
				t.Fatalf("%s: wrong bytes (%d)", c.rng, len(r.Body))
			}
			want := "bytes " + strconv.Itoa(c.start) + "-" + strconv.Itoa(c.end) + "/" + strconv.Itoa(size)
			if got := r.Header.Get("Content-Range"); got != want {
				t.Fatalf("%s: Content-Range %q, want %q", c.rng, got, want)
			}
			if r.Header.Get("Content-Length") != strconv.Itoa(c.end-c.start+1) {
				t.Fatalf("%s: Content-Length %s", c.rng, r.Header.Get("Content-Length"))
			}
		}
		// Unsatisfiable → 416 problem with Content-Range bytes */size.
		r := e.get(m.URL, "Range", "bytes="+strconv.Itoa(size)+"-")
		wantProblem(t, r, 416, "range_not_satisfiable", "")
		if r.Header.Get("Content-Range") != "bytes */"+strconv.Itoa(size) {
			t.Fatalf("416 Content-Range %q", r.Header.Get("Content-Range"))
		}
		if cc := r.Header.Get("Cache-Control"); strings.Contains(cc, "immutable") {
			t.Fatalf("416 cached as immutable: %q", cc)
		}
		// Several ranges, malformed ranges, other units, a stale If-Range: whole content.
		for _, h := range [][]string{
			{"Range", "bytes=0-1,5-6"}, {"Range", "bytes=abc"}, {"Range", "items=0-1"},
			{"Range", "bytes=0-9", "If-Range", `"stale"`},
		} {
			r := e.get(m.URL, h...)
			if r.Status != 200 || len(r.Body) != size {
				t.Fatalf("%v: %d, %d bytes", h, r.Status, len(r.Body))
			}
		}
		r = e.get(m.URL, "Range", "bytes=0-9", "If-Range", `"`+m.ID+`"`)
		if r.Status != 206 || len(r.Body) != 10 {
			t.Fatalf("matching If-Range: %d", r.Status)
		}
	})
}

func TestNotModified(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "store", 0)
	m := e.uploaded("a.pdf", tinyPDF("etag"), 201)
	for _, inm := range []string{`"` + m.ID + `"`, `W/"` + m.ID + `"`, `"x", "` + m.ID + `"`, "*"} {
		r := e.get(m.URL, "If-None-Match", inm)
		if r.Status != 304 || len(r.Body) != 0 || r.Header.Get("ETag") != `"`+m.ID+`"` {
			t.Fatalf("If-None-Match %s: %d %q", inm, r.Status, r.Body)
		}
	}
	if r := e.get(m.URL, "If-None-Match", `"other"`); r.Status != 200 {
		t.Fatalf("other etag: %d", r.Status)
	}
}

func TestContentDisposition(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, disp string
		data       []byte
	}{
		{"政府工作报告（2026）.pdf", "inline", tinyPDF("a")},
		{"附件1：申报表 \"最终版\"; 100%.zip", "attachment", zipOfBytes(map[string]string{"x.txt": "1"})},
		{"plain-ascii_name.txt", "attachment", []byte("ascii text\n")},
		{"照片 ✓.png", "inline", nil},
	}
	e := newEnv(t, "store", 0)
	for _, c := range cases {
		data := c.data
		if data == nil {
			data = pngOf(t, 10, 10)
		}
		m := e.uploaded(c.name, data, 201)
		r := e.get(m.URL)
		header := r.Header.Get("Content-Disposition")
		disp, params, err := mime.ParseMediaType(header)
		if err != nil {
			t.Fatalf("%q: %v", header, err)
		}
		if disp != c.disp {
			t.Errorf("%s: disposition %s, want %s", c.name, disp, c.disp)
		}
		// mime decodes filename* (RFC 2231/5987) into "filename".
		if params["filename"] != m.Name {
			t.Errorf("%s: decoded %q, want %q (header %s)", c.name, params["filename"], m.Name, header)
		}
		fallback := header[strings.Index(header, `filename="`)+10:]
		fallback = fallback[:strings.IndexByte(fallback, '"')]
		for _, r := range fallback {
			if r > 0x7e || r < 0x20 {
				t.Fatalf("fallback %q is not ASCII", fallback)
			}
		}
	}
}

func TestCleanName(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("长", 300) + ".pdf"
	cases := map[string]string{
		"../../etc/passwd":           "passwd",
		`C:\Users\李\Desktop\通知.docx`: "通知.docx",
		"a\x00b\x1fc\u202egpj.exe":   "abcgpj.exe",
		"  .hidden.pdf ":             "hidden.pdf",
		"":                           "未命名",
		"..":                         "未命名",
		"say \"hi\".txt":             "say 'hi'.txt",
		"bad\xffutf8.pdf":            "badutf8.pdf",
		long:                         strings.Repeat("长", 196) + ".pdf",
		"tab\tand\nnewline.pdf":      "tabandnewline.pdf",
	}
	for in, want := range cases {
		if got := media.CleanName(in); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestThumbnail(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, e *env) {
		m := e.uploaded("风景.png", pngOf(t, 1000, 500), 201)
		if m.Width != 1000 || m.Height != 500 || m.ThumbnailURL == "" {
			t.Fatalf("record %+v", m)
		}
		for _, c := range []struct{ q, w, h int }{{160, 160, 80}, {320, 320, 160}, {640, 640, 320}} {
			var first []byte
			for range 2 { // generated, then served from its blob
				r := e.get(m.URL + "/thumbnail?w=" + strconv.Itoa(c.q))
				if r.Status != 200 || r.Header.Get("Content-Type") != "image/jpeg" {
					t.Fatalf("w=%d: %d %s", c.q, r.Status, r.Body)
				}
				img, err := jpeg.Decode(bytes.NewReader(r.Body))
				if err != nil {
					t.Fatal(err)
				}
				if b := img.Bounds(); b.Dx() != c.w || b.Dy() != c.h {
					t.Fatalf("w=%d: %dx%d, want %dx%d", c.q, b.Dx(), b.Dy(), c.w, c.h)
				}
				if first != nil && !bytes.Equal(first, r.Body) {
					t.Fatal("thumbnail changed between requests")
				}
				first = r.Body
				if r.Header.Get("ETag") == "" || r.Header.Get("ETag") == `"`+m.ID+`"` {
					t.Fatalf("thumbnail ETag %q", r.Header.Get("ETag"))
				}
			}
		}
		// Default width, and a small image is never enlarged.
		if r := e.get(m.URL + "/thumbnail"); r.Status != 200 {
			t.Fatalf("default width: %d", r.Status)
		}
		small := e.uploaded("小.png", pngOf(t, 100, 50), 201)
		r := e.get(small.URL + "/thumbnail?w=640")
		img, err := jpeg.Decode(bytes.NewReader(r.Body))
		if err != nil || img.Bounds().Dx() != 100 || img.Bounds().Dy() != 50 {
			t.Fatalf("small: %v %v", err, img)
		}
		// Concurrent first requests all get the same thumbnail.
		tall := e.uploaded("长图.png", pngOf(t, 300, 5000), 201)
		var wg sync.WaitGroup
		for range 5 {
			wg.Go(func() {
				r := e.get(tall.URL + "/thumbnail?w=160")
				img, err := jpeg.Decode(bytes.NewReader(r.Body))
				if err != nil || img.Bounds().Dy() != 640 { // capped at 4×w high
					t.Errorf("tall: %d %v %v", r.Status, err, img)
				}
			})
		}
		wg.Wait()

		wantProblem(t, e.get(m.URL+"/thumbnail?w=999"), 400, "invalid", "w")
		wantProblem(t, e.get(m.URL+"/thumbnail?w=abc"), 400, "invalid", "w")
		pdf := e.uploaded("a.pdf", tinyPDF("x"), 201)
		wantProblem(t, e.get(pdf.URL+"/thumbnail"), 404, "not_found", "")
	})
}

func TestDecompressionBombRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "store", 0)
	for _, dims := range [][2]uint32{{100000, 100000}, {12001, 10}, {10000, 10000}} {
		r := e.upload(e.editor, "bomb.png", pngHeaderOnly(dims[0], dims[1]))
		wantProblem(t, r, 400, "invalid", "file")
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "store", 0)
	pdf := tinyPDF("x")

	// Unauthenticated and unauthorised.
	wantProblem(t, e.upload("", "a.pdf", pdf), 401, "unauthenticated", "")
	wantProblem(t, e.upload("not-a-token", "a.pdf", pdf), 401, "unauthenticated", "")
	wantProblem(t, e.upload(e.staff, "a.pdf", pdf), 403, "forbidden", "")

	// Wrong content type, missing boundary, wrong field, no file name, broken body.
	post := func(ct string, body []byte) response { return e.post(e.editor, ct, body) }
	wantProblem(t, post("application/json", []byte(`{"file":"x"}`)), 400, "invalid", "file")
	wantProblem(t, post("", pdf), 400, "invalid", "file")
	wantProblem(t, post("multipart/form-data", pdf), 400, "invalid", "file")
	ct, body := multipartBody("attachment", "a.pdf", pdf)
	wantProblem(t, post(ct, body), 400, "invalid", "file")

	// Broken multipart bodies. Fasthttp pre-parses multipart forms while
	// reading the request (unless DisablePreParseMultipartForm is set), so
	// these are refused before the handler; app.Test cannot show that, a
	// real connection can.
	url := testkit.Serve(t, e.app)
	realPost := func(ct string, body []byte) response {
		req, _ := http.NewRequest("POST", url+"/api/portal/v1/media", bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+e.editor)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return testkit.Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
	}
	wantProblem(t, realPost(ct, body[:len(body)/2]), 400, "", "")
	ct, body = multipartBody("file", "a.pdf", pdf)
	wantProblem(t, realPost(ct, body[:len(body)-20]), 400, "", "")
	wantProblem(t, realPost("multipart/form-data; boundary=zzz", []byte("garbage")), 400, "", "")
	if r := realPost(ct, body); r.Status != 201 {
		t.Fatalf("real upload: %d %s", r.Status, r.Body)
	}

	// Reads of unknown or malformed ids.
	wantProblem(t, e.get("/api/portal/v1/media/"+strings.Repeat("0", 64)), 404, "not_found", "")
	wantProblem(t, e.get("/api/portal/v1/media/..%2f..%2fetc"), 400, "invalid_path", "")
	wantProblem(t, e.get("/api/portal/v1/media/ABC"), 404, "not_found", "")
	wantProblem(t, e.get("/api/portal/v1/media/"+strings.Repeat("0", 64)+"/thumbnail"), 404, "not_found", "")
}

// --- test data ---

func pngOf(t testing.TB, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), uint8(x + y), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegOf(t testing.TB, w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngHeaderOnly is a tiny PNG declaring w×h pixels: decoding it for real
// would allocate w×h×4 bytes.
func pngHeaderOnly(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		_ = binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

func zipOfBytes(files map[string]string) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, name := range sortedKeys(files) {
		f, _ := w.Create(name)
		_, _ = f.Write([]byte(files[name]))
	}
	_ = w.Close()
	return b.Bytes()
}

func zipOf(t testing.TB, files map[string]string) []byte { return zipOfBytes(files) }

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// [Content_Types].xml first, as Office writes it.
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if keys[j] < keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	return keys
}
