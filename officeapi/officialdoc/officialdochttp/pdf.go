package officialdochttp

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/layout"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
	"zhengwu/shared/problem"
)

// PDFRoutes are the printed form of a document: GET /documents/{id}/pdf,
// laid out by officeapi/layout with fonts.
func PDFRoutes(svc *officialdoc.Service, tokens *auth.Tokens, fonts layout.Fonts) []openapi.Route {
	op := openapi.Op{Method: "GET", Path: "/documents/{id}/pdf", Tag: "officialdoc", Auth: true, OK: 200,
		Collection: officialdoc.Collection, OKSchema: "OfficialdocPDF" /* officeapi.API's Schemas */, OKType: "application/pdf",
		Summary: "公文的 GB/T 9704-2012 版式 PDF（红头、发文字号、正文、版记、页码；涉密公文标注密级）：" +
			"可阅读公文者可下载，其他人与不存在同样 404；每次下载记入审计日志",
		Errors: []int{401, 404, 503}}
	return []openapi.Route{{Op: op, Handlers: []fiber.Handler{tokens.Required(), func(c *fiber.Ctx) error {
		id := strings.Clone(c.Params("id"))
		d, data, err := svc.Printed(c.UserContext(), records.Actor{P: auth.Caller(c), IP: c.IP()}, id, "pdf",
			func(d officialdoc.Document) ([]byte, error) { return layout.Render(d, fonts) })
		if errors.Is(err, layout.ErrFontMissing) {
			return problem.New(http.StatusServiceUnavailable, "font_missing", "服务器缺少公文排版所需的字体，请联系系统管理员",
				"a font the document layout needs is not installed on the server")
		}
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "application/pdf")
		c.Set(fiber.HeaderContentDisposition, disposition(fileName(d)))
		c.Set(fiber.HeaderCacheControl, "private, no-store")
		c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
		if d.Classification.Classified() {
			c.Set("X-Classification", "classified") // the 密级 itself is in the file's 版头
		}
		return c.Send(data)
	}}}}
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
