// Package openapi builds the OpenAPI 3.1 document of one Zhengwu API from
// Go values, and serves it with a docs page (ARCHITECTURE.md: "an OpenAPI
// 3.1 document for each API, served at /api/.../openapi.json, with a docs
// page"). Each API describes its operations and schemas in its own
// package (cms/openapi, search/searchapi, officeapi/apidoc); package
// openapitest checks a description against the routes actually mounted
// and validates its examples.
package openapi

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"zhengwu/shared/auth"
)

// Obj is a JSON object under construction.
type Obj = map[string]any

// Ref points at a component schema.
func Ref(name string) Obj { return Obj{"$ref": "#/components/schemas/" + name} }

// Str is a described string schema.
func Str(desc string) Obj { return Obj{"type": "string", "description": desc} }

// Arr is an array of items.
func Arr(items Obj) Obj { return Obj{"type": "array", "items": items} }

// DateTime is an RFC 3339 date-time string.
func DateTime(desc string) Obj {
	return Obj{"type": "string", "format": "date-time", "description": desc}
}

// Query is a query parameter.
func Query(name, desc string, schema Obj) Obj {
	return Obj{"name": name, "in": "query", "description": desc, "schema": schema}
}

// Path is a path parameter (a string).
func Path(name, desc string) Obj {
	return Obj{"name": name, "in": "path", "required": true, "description": desc, "schema": Obj{"type": "string"}}
}

// Op is one operation. Path is relative to the API's base and uses
// {name} for parameters.
//
// Bodies are described by the Go values the handler decodes and encodes
// (Req, Resp: a zero value of the type), from which the schemas are
// reflected; Body and OKSchema name a schema of API.Schemas instead
// (descriptions written by hand: media types, raw bytes).
type Op struct {
	Method, Path, Summary, Tag string
	Auth                       bool // needs a bearer token
	// Perm is the permission the route needs (the zero Permission: none
	// beyond Auth), and Scope where: "office" (an office-wide grant),
	// "department" (a grant in the department of the object the route
	// acts on, or office-wide) or "any" (a grant in some department; the
	// handler then checks the object). OrPerm are permissions that do as
	// well as Perm, in the same Scope (a document the department's
	// editors, reviewers and publishers may all read). The authorisation
	// matrix test holds every route to what it declares.
	Perm   auth.Permission
	OrPerm []auth.Permission
	Scope  string
	// Collection is the store collection of the document the path's {id}
	// names (leave.Collection), rendered as x-collection on operations
	// whose path has an {id} (ignored on the others, so that a capability
	// may set it on all its operations): the authorisation matrix test
	// asks such a route about a demo document of that collection in the
	// object's department. A route whose {id} names no stored document
	// leaves it empty and the matrix test gives it an explicit fixture.
	Collection string
	Params     []Obj
	// Query is a struct whose `query` tags name the query parameters
	// (with their validate rules and a `doc` tag as description).
	Query        any
	Req          any    // the request body's type (nil = none, or Body)
	Body         string // schema name of the request body ("" = none)
	BodyType     string // its content type (default application/json)
	BodyOptional bool   // the body may be left out
	BodyExample  any
	OK           int    // success status
	Resp         any    // the success body's type (nil = none, or OKSchema)
	OKSchema     string // schema name of the success body ("" = none)
	OKType       string // its content type (default application/json)
	OKExample    any
	Errors       []int // other statuses: problem+json, except 301 and 304 (no body)
}

// Tag groups operations; Title names the group on the docs page.
type Tag struct{ Name, Title string }

// allTags are a.Tags, then every tag an operation names that a.Tags does
// not (titled by its name), so that no mounted route is left off the docs
// page because its capability's tag was not listed.
func (a API) allTags() []Tag {
	out := append([]Tag{}, a.Tags...)
	for _, o := range a.Ops {
		if o.Tag != "" && !slices.ContainsFunc(out, func(t Tag) bool { return t.Name == o.Tag }) {
			out = append(out, Tag{Name: o.Tag, Title: o.Tag})
		}
	}
	return out
}

// API is the description of one API.
type API struct {
	Title, Description string
	Base               string // e.g. /api/search/v1
	Tags               []Tag
	Ops                []Op
	Schemas            Obj // component schemas; Problem is added when missing
	// ProblemExample is an example problem document, validated by
	// openapitest against the Problem schema.
	ProblemExample any
}

var errorText = map[int]string{
	301: "已移至 Location 所指地址 Moved Permanently", 304: "未修改 Not Modified", 400: "请求参数有误 Invalid request", 401: "未登录 Unauthenticated",
	403: "无权限 Forbidden", 404: "不存在 Not found", 409: "版本冲突 Version conflict",
	410: "已删除 Gone", 413: "请求体过大 Body too large", 415: "文件类型不允许 Unsupported media type",
	416: "范围无效 Range not satisfiable", 423: "账号已锁定 Locked", 429: "请求过多 Too many requests",
	503: "暂不可用 Unavailable",
}

// ProblemSchema is the RFC 9457 problem document every API answers errors with.
func ProblemSchema() Obj {
	return Obj{"type": "object", "required": []string{"type", "title", "status"}, "properties": Obj{
		"type":      Str("问题类型 URI"),
		"title":     Str("标题"),
		"status":    Obj{"type": "integer"},
		"detail":    Str("中文说明"),
		"code":      Str("稳定的错误代码（invalid、unauthenticated、forbidden、not_found、conflict …）"),
		"messageZh": Str("中文说明"),
		"messageEn": Str("English message"),
		"instance":  Str("请求路径"),
		"errors": Arr(Obj{"type": "object", "required": []string{"field", "message"}, "properties": Obj{
			"field": Str("出错的字段或参数"), "message": Str("中文说明"), "messageEn": Str("English")}}),
		"requestId": Str("请求 id，报障时提供"),
		"state":     Str("对象当前的状态（code 为 invalid_state 时）"),
	}}
}

// Document is the OpenAPI 3.1 document.
func (a API) Document() Obj {
	paths := Obj{}
	r := newReflector()
	for _, o := range a.Ops {
		p, _ := paths[o.Path].(Obj)
		if p == nil {
			p = Obj{}
			paths[o.Path] = p
		}
		p[strings.ToLower(o.Method)] = o.build(r)
	}
	schemas := Obj{}
	for k, v := range r.defs {
		schemas[k] = v
	}
	for k, v := range a.Schemas {
		if _, dup := schemas[k]; dup {
			// A schema written by hand with the name of one reflected from
			// a Go type would silently replace it: a programming error.
			panic("openapi: schema " + k + " is both reflected and written by hand")
		}
		schemas[k] = v
	}
	if _, ok := schemas["Problem"]; !ok {
		schemas["Problem"] = ProblemSchema()
	}
	all := a.allTags()
	tags := make([]Obj, len(all))
	for i, t := range all {
		tags[i] = Obj{"name": t.Name, "description": t.Title}
	}
	return Obj{
		"openapi": "3.1.0",
		"info":    Obj{"title": a.Title, "version": "1", "description": a.Description},
		"servers": []Obj{{"url": a.Base}},
		"tags":    tags,
		"paths":   paths,
		"components": Obj{
			"schemas": schemas,
			"securitySchemes": Obj{"bearer": Obj{"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
				"description": "Access token from POST /api/office/v1/auth/login"}},
		},
	}
}

// JSON is the document, indented.
func (a API) JSON() []byte {
	data, err := json.MarshalIndent(a.Document(), "", "  ")
	if err != nil {
		panic(err) // the document is static data; a failure is a programming error
	}
	return data
}

func (o Op) build(r *reflector) Obj {
	out := Obj{"summary": o.Summary, "tags": []string{o.Tag}, "operationId": o.ID()}
	if o.Auth {
		out["security"] = []Obj{{"bearer": []string{}}}
	}
	if o.Perm.Key() != "" {
		// What the route needs, machine-readable: the authorisation
		// matrix test is generated from these.
		out["x-permission"] = o.Perm.Key()
		out["x-scope"] = o.Scope
		if len(o.OrPerm) > 0 {
			or := make([]string, len(o.OrPerm))
			for i, p := range o.OrPerm {
				or[i] = p.Key()
			}
			out["x-permission-or"] = or
		}
	}
	if o.Collection != "" && strings.Contains(o.Path, "{id}") {
		out["x-collection"] = o.Collection
	}
	params := append(pathParams(o.Path, o.Params), o.Params...)
	if o.Query != nil {
		params = append(params, queryParams(o.Query)...)
	}
	if len(params) > 0 {
		out["parameters"] = params
	}
	if o.Req != nil {
		media := Obj{"schema": r.request(o.Req)}
		if o.BodyExample != nil {
			media["example"] = o.BodyExample
		}
		out["requestBody"] = Obj{"required": !o.BodyOptional, "content": Obj{orJSON(o.BodyType): media}}
	} else if o.Body != "" {
		media := Obj{"schema": Ref(o.Body)}
		if o.BodyExample != nil {
			media["example"] = o.BodyExample
		}
		out["requestBody"] = Obj{"required": !o.BodyOptional, "content": Obj{orJSON(o.BodyType): media}}
	}
	responses := Obj{}
	ok := Obj{"description": "成功 OK"}
	if o.Resp != nil {
		media := Obj{"schema": r.response(o.Resp)}
		if o.OKExample != nil {
			media["example"] = o.OKExample
		}
		ok["content"] = Obj{orJSON(o.OKType): media}
	} else if o.OKSchema != "" {
		media := Obj{"schema": Ref(o.OKSchema)}
		if o.OKExample != nil {
			media["example"] = o.OKExample
		}
		ok["content"] = Obj{orJSON(o.OKType): media}
	}
	responses[strconv.Itoa(o.OK)] = ok
	for _, code := range o.Errors {
		if code == 301 || code == 304 {
			responses[strconv.Itoa(code)] = Obj{"description": errorText[code]}
			continue
		}
		responses[strconv.Itoa(code)] = Obj{"description": errorText[code],
			"content": Obj{"application/problem+json": Obj{"schema": Ref("Problem")}}}
	}
	out["responses"] = responses
	return out
}

func orJSON(ct string) string {
	if ct == "" {
		return "application/json"
	}
	return ct
}

// ID is the operation's operationId: the method and the path's words,
// camel-cased (GET /items/{id} → getItemsId).
func (o Op) ID() string {
	var b strings.Builder
	b.WriteString(strings.ToLower(o.Method))
	for _, part := range strings.Split(o.Path, "/") {
		part = strings.Trim(part, "{}")
		for _, w := range strings.FieldsFunc(part, func(r rune) bool { return r == '-' || r == '.' || r == '_' }) {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}
