package openapi

import (
	"bytes"
	"html/template"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Mount serves the document and its docs page on r (the /api/portal/v1 group).
func Mount(r fiber.Router) {
	doc := JSON()
	page := renderPage()
	r.Get("/openapi.json", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "application/json; charset=utf-8")
		c.Set(fiber.HeaderCacheControl, "public, max-age=300")
		return c.Send(doc)
	})
	r.Get("/docs", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "text/html; charset=utf-8")
		return c.Send(page)
	})
}

// The docs page is rendered on the server from the same operations, with
// no script: the CSP forbids third-party code, and a list of routes needs none.
var pageTemplate = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>政务信息网接口文档</title>
<style>
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:960px;margin:2em auto;color:#222}
h1{color:#1d4e89}code{background:#f3f4f6;padding:1px 4px}
.op{border:1px solid #e5e7eb;border-radius:6px;margin:.6em 0;padding:.6em 1em}
.m{display:inline-block;min-width:4.5em;font-weight:bold}.GET{color:#15803d}.POST{color:#1d4ed8}.PUT{color:#b45309}.DELETE{color:#b91c1c}
.auth{color:#6b7280;font-size:.9em}
</style></head><body>
<h1>政务信息网接口文档</h1>
<p>基础路径 <code>/api/portal/v1</code>。机器可读的 OpenAPI 3.1 文档：<a href="openapi.json">openapi.json</a>。
错误均为 <code>application/problem+json</code>，含稳定的 <code>code</code>、中文 <code>detail</code> 和出错字段 <code>errors[].field</code>。</p>
{{range .}}<h2>{{.Tag}}</h2>
{{range .Ops}}<div class="op"><span class="m {{.Method}}">{{.Method}}</span> <code>{{.Path}}</code>
{{if .Auth}}<span class="auth">（需登录）</span>{{end}}<div>{{.Summary}}</div></div>
{{end}}{{end}}
</body></html>`))

type pageOp struct {
	Method, Path, Summary string
	Auth                  bool
}

type pageTag struct {
	Tag string
	Ops []pageOp
}

func renderPage() []byte {
	byTag := map[string][]pageOp{}
	for _, o := range operations() {
		byTag[o.tag] = append(byTag[o.tag], pageOp{Method: o.method, Path: o.path, Summary: o.summary, Auth: o.auth})
	}
	names := map[string]string{"delivery": "公开读取 delivery", "management": "编辑与审核 management", "media": "附件 media"}
	var tags []pageTag
	for tag, ops := range byTag {
		tags = append(tags, pageTag{Tag: names[tag], Ops: ops})
	}
	sort.Slice(tags, func(i, j int) bool { return strings.Compare(tags[i].Tag, tags[j].Tag) < 0 })
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, tags); err != nil {
		panic(err)
	}
	return b.Bytes()
}
