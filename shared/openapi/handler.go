package openapi

import (
	"bytes"
	"html/template"

	"github.com/gofiber/fiber/v2"
)

// Mount serves the document at openapi.json and its docs page at docs on
// r, the API's group (its Base).
func (a API) Mount(r fiber.Router) {
	doc := a.JSON()
	page := a.Page()
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

// DocOps are the operations Mount adds, for an API's own list (so that the
// document describes every mounted route, these two included).
func DocOps(tag string) []Op {
	return []Op{
		{Method: "GET", Path: "/openapi.json", Summary: "本文档（OpenAPI 3.1）", Tag: tag, OK: 200},
		{Method: "GET", Path: "/docs", Summary: "接口文档页面", Tag: tag, OK: 200},
	}
}

// The docs page is rendered on the server from the same operations, with
// no script: the CSP forbids third-party code, and a list of routes needs none.
var pageTemplate = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:960px;margin:2em auto;color:#222}
h1{color:#1d4e89}code{background:#f3f4f6;padding:1px 4px}
.op{border:1px solid #e5e7eb;border-radius:6px;margin:.6em 0;padding:.6em 1em}
.m{display:inline-block;min-width:4.5em;font-weight:bold}.GET{color:#15803d}.POST{color:#1d4ed8}.PUT{color:#b45309}.DELETE{color:#b91c1c}.PATCH{color:#7c3aed}
.auth{color:#6b7280;font-size:.9em}
</style></head><body>
<h1>{{.Title}}</h1>
<p>基础路径 <code>{{.Base}}</code>。机器可读的 OpenAPI 3.1 文档：<a href="openapi.json">openapi.json</a>。
错误均为 <code>application/problem+json</code>，含稳定的 <code>code</code>、中文 <code>detail</code> 和出错字段 <code>errors[].field</code>。</p>
{{range .Tags}}<h2>{{.Title}}</h2>
{{range .Ops}}<div class="op"><span class="m {{.Method}}">{{.Method}}</span> <code>{{.Path}}</code>
{{if .Auth}}<span class="auth">（需登录）</span>{{end}}<div>{{.Summary}}</div></div>
{{end}}{{end}}
</body></html>`))

type pageTag struct {
	Title string
	Ops   []Op
}

// Page is the docs page: the operations by tag, in the order of a.Tags
// (then the tags only operations name).
func (a API) Page() []byte {
	var tags []pageTag
	for _, t := range a.allTags() {
		pt := pageTag{Title: t.Title}
		for _, o := range a.Ops {
			if o.Tag == t.Name {
				pt.Ops = append(pt.Ops, o)
			}
		}
		if len(pt.Ops) > 0 {
			tags = append(tags, pt)
		}
	}
	var b bytes.Buffer
	err := pageTemplate.Execute(&b, struct {
		Title, Base string
		Tags        []pageTag
	}{a.Title, a.Base, tags})
	if err != nil {
		panic(err) // static template and data
	}
	return b.Bytes()
}
