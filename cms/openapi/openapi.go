// Package openapi describes the portal's delivery and management APIs as
// an OpenAPI 3.1 document, served at /api/portal/v1/openapi.json with a
// docs page at /api/portal/v1/docs. The document is built in Go so that
// schemas are written once and reused; a test checks that every mounted
// route is described and that every example validates against its schema.
package openapi

import (
	"encoding/json"
	"strconv"
	"strings"
)

// obj is a JSON object under construction.
type obj = map[string]any

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

func str(desc string) obj { return obj{"type": "string", "description": desc} }

func arr(items obj) obj { return obj{"type": "array", "items": items} }

func dateTime(desc string) obj {
	return obj{"type": "string", "format": "date-time", "description": desc}
}

// op describes one operation.
type op struct {
	method, path, summary, tag string
	auth                       bool
	params                     []obj
	body                       string // schema name of the JSON body
	bodyExample                any
	ok                         int
	okSchema                   string // schema name of the success body ("" = none)
	okExample                  any
	errors                     []int
}

func qp(name, desc string, schema obj) obj {
	return obj{"name": name, "in": "query", "description": desc, "schema": schema}
}

func pp(name, desc string) obj {
	return obj{"name": name, "in": "path", "required": true, "description": desc, "schema": obj{"type": "string"}}
}

var errorText = map[int]string{
	304: "未修改 Not Modified", 400: "请求参数有误 Invalid request", 401: "未登录 Unauthenticated",
	403: "无权限 Forbidden", 404: "不存在 Not found", 409: "版本冲突 Version conflict",
	410: "已删除 Gone", 413: "请求体过大 Body too large", 415: "文件类型不允许 Unsupported media type",
	416: "范围无效 Range not satisfiable",
}

// Document returns the OpenAPI 3.1 document.
func Document() map[string]any {
	paths := obj{}
	for _, o := range operations() {
		p, _ := paths[o.path].(obj)
		if p == nil {
			p = obj{}
			paths[o.path] = p
		}
		p[strings.ToLower(o.method)] = o.build()
	}
	return obj{
		"openapi": "3.1.0",
		"info": obj{
			"title":       "政务信息网 Portal API",
			"version":     "1",
			"description": "Delivery API (public reads of published items) and management API (editors and reviewers) of the government information portal. Errors are RFC 9457 application/problem+json with a stable `code`, a Chinese `detail` and the invalid `errors[].field`s.",
		},
		"servers": []obj{{"url": "/api/portal/v1"}},
		"tags": []obj{
			{"name": "delivery", "description": "公开读取：栏目、已发布稿件"},
			{"name": "management", "description": "编辑与审核：稿件、版本、审核流程"},
			{"name": "media", "description": "附件与图片"},
		},
		"paths": paths,
		"components": obj{
			"schemas": schemas(),
			"securitySchemes": obj{"bearer": obj{"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
				"description": "Access token from POST /api/office/v1/auth/login"}},
		},
	}
}

// JSON is the document encoded once.
func JSON() []byte {
	data, err := json.MarshalIndent(Document(), "", "  ")
	if err != nil {
		panic(err) // the document is static data; a failure is a programming error
	}
	return data
}

func (o op) build() obj {
	out := obj{"summary": o.summary, "tags": []string{o.tag}, "operationId": operationID(o)}
	if o.auth {
		out["security"] = []obj{{"bearer": []string{}}}
	}
	if len(o.params) > 0 {
		out["parameters"] = o.params
	}
	if o.body != "" {
		media := obj{"schema": ref(o.body)}
		if o.bodyExample != nil {
			media["example"] = o.bodyExample
		}
		ct := "application/json"
		if o.body == "Upload" {
			ct = "multipart/form-data"
		}
		out["requestBody"] = obj{"required": true, "content": obj{ct: media}}
	}
	responses := obj{}
	okDesc := "成功 OK"
	if o.okSchema == "" {
		responses[itoa(o.ok)] = obj{"description": okDesc}
	} else {
		media := obj{"schema": ref(o.okSchema)}
		if o.okExample != nil {
			media["example"] = o.okExample
		}
		ct := "application/json"
		if o.okSchema == "Binary" {
			ct = "application/octet-stream"
		}
		responses[itoa(o.ok)] = obj{"description": okDesc, "content": obj{ct: media}}
	}
	for _, code := range o.errors {
		if code == 304 {
			responses["304"] = obj{"description": errorText[304]}
			continue
		}
		responses[itoa(code)] = obj{"description": errorText[code],
			"content": obj{"application/problem+json": obj{"schema": ref("Problem")}}}
	}
	out["responses"] = responses
	return out
}

func operationID(o op) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(o.method))
	for _, part := range strings.Split(o.path, "/") {
		part = strings.Trim(part, "{}")
		for _, w := range strings.Split(part, "-") {
			if w != "" {
				b.WriteString(strings.ToUpper(w[:1]) + w[1:])
			}
		}
	}
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }
