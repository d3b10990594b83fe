package officialdochttp

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/layout"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/httpx"
	"zhengwu/shared/openapi"
	"zhengwu/shared/problem"
)

// Files reads the attachments ids name, in their order, as p may read
// them (the media store's own access rule): each file's title and, for a
// text file, its text (layout.Attachment). A file p may not read still
// takes its place, titled 附件N, its content withheld. nil: every
// attachment is named by its number alone.
type Files func(ctx context.Context, p *auth.Principal, ids []string) ([]layout.Attachment, error)

// PDFRoutes are the printed form of a document, laid out by
// officeapi/layout with fonts: GET /documents/{id}/pdf, and POST
// /documents/preview, a draft form's fields laid out unsaved (the live
// preview while drafting).
func PDFRoutes(svc *officialdoc.Service, tokens *auth.Tokens, fonts layout.Fonts, files Files) []openapi.Route {
	op := openapi.Op{Method: "GET", Path: "/documents/{id}/pdf", Tag: "officialdoc", Auth: true, OK: 200,
		Collection: officialdoc.Collection, OKSchema: "OfficialdocPDF" /* officeapi.API's Schemas */, OKType: "application/pdf",
		Summary: "公文的 GB/T 9704-2012 版式 PDF（红头、发文字号、正文、附件说明和附件页、版记、页码；涉密公文标注密级）：" +
			"可阅读公文者可下载，其他人与不存在同样 404；每次下载记入审计日志",
		Errors: []int{401, 404, 503}}
	preview := openapi.Op{Method: "POST", Path: "/documents/preview", Tag: "officialdoc", Auth: true, OK: 200,
		Perm: auth.PermDocDraft, Scope: "any", Collection: officialdoc.Collection, Req: officialdoc.Input{},
		OKSchema: "OfficialdocPDF", OKType: "application/pdf",
		Summary: "起草时的版式预览：按表单当前内容（与起草公文同样的字段）排出 GB/T 9704 PDF，不保存、不编号、不盖章；" +
			"须有本处室起草权限且密级不高于本人涉密等级；只含本人填写的内容，故不记下载审计",
		Errors: []int{400, 401, 403, 503}}
	send := func(c *fiber.Ctx, d officialdoc.Document, data []byte) error {
		c.Set(fiber.HeaderContentType, "application/pdf")
		c.Set(fiber.HeaderContentDisposition, disposition(fileName(d)))
		c.Set(fiber.HeaderCacheControl, "private, no-store")
		c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
		if d.Classification.Classified() {
			c.Set("X-Classification", "classified") // the 密级 itself is in the file's 版头
		}
		return c.Send(data)
	}
	render := func(ctx context.Context, p *auth.Principal, d officialdoc.Document) ([]byte, error) {
		atts, err := attachmentsOf(ctx, p, files, d.Attachments)
		if err != nil {
			return nil, err
		}
		return layout.RenderWith(d, fonts, layout.Options{Attachments: atts})
	}
	return []openapi.Route{{Op: op, Handlers: []fiber.Handler{tokens.Required(), func(c *fiber.Ctx) error {
		id := strings.Clone(c.Params("id"))
		ctx, p := c.UserContext(), auth.Caller(c)
		d, data, err := svc.Printed(ctx, records.Actor{P: p, IP: c.IP()}, id, "pdf",
			func(d officialdoc.Document) ([]byte, error) { return render(ctx, p, d) })
		if err != nil {
			return fontProblem(err)
		}
		return send(c, d, data)
	}}}, {Op: preview, Handlers: []fiber.Handler{tokens.Required(), func(c *fiber.Ctx) error {
		var in officialdoc.Input
		if err := httpx.Bind(c, &in); err != nil {
			return err
		}
		ctx, p := c.UserContext(), auth.Caller(c)
		d, err := svc.Preview(ctx, records.Actor{P: p, IP: c.IP()}, in)
		if err != nil {
			return err
		}
		data, err := render(ctx, p, d)
		if err != nil {
			return fontProblem(err)
		}
		return send(c, d, data)
	}}}}
}

// fontProblem is a missing font told as a 503 the administrator can act on.
func fontProblem(err error) error {
	if errors.Is(err, layout.ErrFontMissing) {
		return problem.New(http.StatusServiceUnavailable, "font_missing", "服务器缺少公文排版所需的字体，请联系系统管理员",
			"a font the document layout needs is not installed on the server")
	}
	return err
}

// attachmentsOf reads ids through files, or names them by number.
func attachmentsOf(ctx context.Context, p *auth.Principal, files Files, ids []string) ([]layout.Attachment, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	if files != nil {
		return files(ctx, p, ids)
	}
	out := make([]layout.Attachment, len(ids))
	for i := range ids {
		out[i] = layout.Attachment{Title: "附件" + strconv.Itoa(i+1)}
	}
	return out, nil
}

// fileName is the file's name: its 发文字号, or its title before it has
// one, with the characters a file system refuses left out.
func fileName(d officialdoc.Document) string {
	name := d.DocNumber
	if name == "" {
		name = d.Title
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`/\:*?"<>|`, r) {
			return -1
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 80 {
		name = string(r[:80])
	}
	if name == "" {
		name = "公文"
	}
	return name + ".pdf"
}

// disposition opens the file in the browser (a preview) under its Chinese
// name (RFC 6266 filename*, UTF-8), with an ASCII name for old clients.
func disposition(name string) string {
	var b strings.Builder
	for _, c := range []byte(name) {
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0) {
			b.WriteByte(c)
			continue
		}
		b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
	}
	return `inline; filename="document.pdf"; filename*=UTF-8''` + b.String()
}
