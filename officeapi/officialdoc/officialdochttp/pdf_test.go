package officialdochttp_test

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"strings"
	"testing"

	"zhengwu/officeapi"
	"zhengwu/officeapi/layout"
	"zhengwu/officeapi/officetest"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/officialdoc/officialdochttp"
	"zhengwu/officeapi/workcal"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/testkit"
)

// newPDFEnv is newEnv with the printed form mounted too, in fonts (the
// system's when none are given).
func newPDFEnv(t *testing.T, with ...layout.Fonts) *officetest.Env {
	fonts := layout.SystemFonts()
	for _, f := range []layout.FontFile{fonts.XiaoBiaoSong, fonts.Hei, fonts.Kai, fonts.FangSong, fonts.Song} {
		if _, err := os.Stat(f.Path); err != nil {
			t.Skipf("font %s missing (frontend/scripts/install-browser.sh installs it)", f.Path)
		}
	}
	if len(with) > 0 {
		fonts = with[0]
	}
	e := officetest.New(t)
	cal, err := workcal.New(workcal.Config{})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := officialdoc.New(officialdoc.Deps{Deps: e.Deps("officialdoc"), Calendar: cal, Holders: e.Identity.Holders, Account: e.Identity.User,
		Departments: e.Identity.Departments})
	if err != nil {
		t.Fatal(err)
	}
	e.Mount(svc, append(officialdochttp.Routes(svc, e.Tokens), officialdochttp.PDFRoutes(svc, e.Tokens, fonts, testFiles)...))
	return e
}

// testFiles names each attachment after its id's first characters, as the
// reader asking: a stand-in for the media store.
func testFiles(_ context.Context, p *auth.Principal, ids []string) ([]layout.Attachment, error) {
	out := make([]layout.Attachment, len(ids))
	for i, id := range ids {
		out[i] = layout.Attachment{Title: "附件" + id[:4] + "（" + p.Name + "可读）", File: id[:4] + ".xlsx"}
	}
	return out, nil
}

func TestPDFIsTheReadersAlone(t *testing.T) {
	e := newPDFEnv(t)
	api := officeapi.API(e.Routes)
	id := idOf(t, draft(e, "staff", map[string]any{"title": "关于做好春节期间值班工作的通知"}))
	path := base + "/documents/" + id + "/pdf"

	testkit.WantProblem(t, e.Do("GET", path, "", nil), 401, "unauthenticated")
	// Another department, not on the need-to-know list: 404, as if absent,
	// and no download recorded.
	testkit.WantProblem(t, e.Do("GET", path, e.TokenOf("editor"), nil), 404, "not_found")
	if got := e.Audited("officialdoc.download", officialdoc.Collection+"/"+id); len(got) != 0 {
		t.Fatalf("a refused download was recorded as one: %v", got)
	}

	r := e.Do("GET", path, e.TokenOf("chuzhang"), nil) // the drafter's department
	openapitest.Response(t, api, "GET", "/documents/{id}/pdf", r.Status, r.Body)
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(r.Body), "%PDF-") {
		t.Fatalf("reader: %d %s %.60q", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	cd := r.Header.Get("Content-Disposition")
	if !strings.Contains(cd, "filename*=UTF-8''") {
		t.Fatalf("Content-Disposition %q has no UTF-8 name", cd)
	}
	name, err := url.PathUnescape(cd[strings.Index(cd, "''")+2:])
	if err != nil || name != "关于做好春节期间值班工作的通知.pdf" {
		t.Fatalf("file name %q (%v), want the title (no 文号 yet)", name, err)
	}
	got := e.Audited("officialdoc.download", officialdoc.Collection+"/"+id)
	if len(got) != 1 || got[0].Actor != e.UserID("chuzhang") || got[0].Details["form"] != "pdf" {
		t.Fatalf("the download's audit entries: %+v", got)
	}

	// 秘密: staff of the department below its clearance get 404; its
	// drafter gets the file, marked classified.
	secret := idOf(t, draft(e, "chuzhang", map[string]any{"classification": "秘密", "secrecyPeriod": "1年"}))
	testkit.WantProblem(t, e.Do("GET", base+"/documents/"+secret+"/pdf", e.TokenOf("staff"), nil), 404, "not_found")
	r = e.Do("GET", base+"/documents/"+secret+"/pdf", e.TokenOf("chuzhang"), nil)
	if r.Status != 200 || r.Header.Get("X-Classification") != "classified" {
		t.Fatalf("classified, its drafter: %d %v", r.Status, r.Header)
	}
}

// A font the server lacks: 503 with a code the office can act on, not a
// 500, and no download recorded.
func TestPDFWithoutItsFontsIsUnavailable(t *testing.T) {
	fonts := layout.SystemFonts()
	fonts.Kai = layout.FontFile{Path: "/nonexistent/kai.ttf"}
	e := newPDFEnv(t, fonts)
	id := idOf(t, draft(e, "staff", nil))
	testkit.WantProblem(t, e.Do("GET", base+"/documents/"+id+"/pdf", e.TokenOf("staff"), nil), 503, "font_missing")
	if got := e.Audited("officialdoc.download", officialdoc.Collection+"/"+id); len(got) != 0 {
		t.Fatalf("a failed rendering was recorded as a download: %v", got)
	}
}

// The live preview: a draft form's fields as a PDF, nothing stored, for
// someone who may draft, cleared for its 密级; its attachments read as the
// caller reads them.
func TestPreviewRendersTheFormUnsaved(t *testing.T) {
	e := newPDFEnv(t)
	api := officeapi.API(e.Routes)
	form := map[string]any{"direction": "outgoing", "docType": "通知", "title": "关于预览排版效果的通知",
		"classification": "非密", "issuer": "安徽省人民政府办公厅", "issuerCode": "", "mainTo": []string{"各市人民政府"},
		"jointIssuers": []string{"安徽省财政厅"}, "body": "<p>现将有关事项通知如下。</p>",
		"attachments": []string{strings.Repeat("ab", 32)}}
	path := base + "/documents/preview"
	testkit.WantProblem(t, e.Do("POST", path, "", form), 401, "unauthenticated")

	r := e.Do("POST", path, e.TokenOf("staff"), form)
	openapitest.Response(t, api, "POST", "/documents/preview", r.Status, r.Body)
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(r.Body), "%PDF-") {
		t.Fatalf("preview: %d %s %.80q", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	if r.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("Cache-Control %q", r.Header.Get("Cache-Control"))
	}
	// The file is the layout's: its text holds the joint mark and the
	// attachment named for the caller (an unfinished draft: no issuer code
	// is asked for).
	text := pdfStrings(t, r.Body)
	for _, want := range []string{"安徽省人民政府办公厅", "安徽省财政厅", "关于预览排版效果的通知", "附件abab（陈晓燕可读）"} {
		if !strings.Contains(text, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	// Nothing stored, nothing audited.
	if list := e.Do("GET", base+"/documents", e.TokenOf("staff"), nil).JSON(); len(list["items"].([]any)) != 0 {
		t.Fatalf("the preview filed a document: %v", list)
	}

	// Someone who may not draft: 403; above the caller's clearance: 400.
	testkit.WantProblem(t, e.Do("POST", path, e.TokenOf("director"), form), 403, "forbidden")
	form["classification"] = "机密"
	testkit.WantProblem(t, e.Do("POST", path, e.TokenOf("staff"), form), 400, "invalid")
	form["classification"], form["title"] = "非密", ""
	testkit.WantProblem(t, e.Do("POST", path, e.TokenOf("staff"), form), 400, "invalid")
}

// pdfStrings is the text of a PDF (search's extractor, PDFium), lines
// joined.
func pdfStrings(t *testing.T, data []byte) string {
	t.Helper()
	text, err := source.Extract(context.Background(), source.KindPDF, bytes.NewReader(data), source.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(text), "")
}
