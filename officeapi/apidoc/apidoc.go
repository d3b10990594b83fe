// Package apidoc describes the office API (/api/office/v1) as an OpenAPI
// 3.1 document, served at /api/office/v1/openapi.json with a docs page at
// /api/office/v1/docs (built with shared/openapi). It covers every route
// the server mounts under the prefix: identity (login, organisation,
// users, grants, audit), the department information platforms, the
// gateway's status (mounted by gateway.MountStatus) and the two document
// routes. A test in cmd/zhengwu checks it against the routes the server
// really mounts; officeapi's tests check real responses against the
// schemas.
package apidoc

import (
	oas "zhengwu/shared/openapi"
)

// Base is the office API's prefix.
const Base = "/api/office/v1"

// Short names for the builders the operations and schemas use a lot.
type obj = oas.Obj

var (
	ref      = oas.Ref
	str      = oas.Str
	arr      = oas.Arr
	dateTime = oas.DateTime
	qp       = oas.Query
	pp       = oas.Path
)

// API is the office API's description.
func API() oas.API {
	return oas.API{
		Title: "办公业务系统 Office API",
		Description: "办公业务系统的接口：登录与会话、组织与用户、三员授权、审计日志、处室信息平台，以及数据网关的运行状态。" +
			"除登录、刷新、退出和本文档外都须携带访问令牌（Authorization: Bearer，15 分钟有效，用刷新令牌换新）。" +
			"Errors are RFC 9457 application/problem+json with a stable `code`, a Chinese `detail` (also `messageZh`), `messageEn`, the invalid `errors[].field`s and a `requestId`. " +
			"Every route may also answer 429 (per-address rate limit, `--rate-limit`) and 413 (body over the limit); request bodies are strict JSON: unknown fields are refused (400 malformed_body).",
		Base: Base,
		Tags: []oas.Tag{
			{Name: "auth", Title: "登录与会话"},
			{Name: "users", Title: "用户与组织：本人信息、角色、处室与岗位、账号、密级与授权"},
			{Name: "officers", Title: "三员账号变更：一名三员申请，另一类三员审批后生效"},
			{Name: "audit", Title: "审计：审计日志（筛选、导出）与完整性校验"},
			{Name: "docs", Title: "接口文档"},
		},
		Ops:            append(append(operations(), officerOps()...), oas.DocOps("docs")...),
		Schemas:        allSchemas(),
		ProblemExample: exampleProblem,
	}
}

func allSchemas() obj {
	s := schemas()
	for k, v := range officerSchemas() {
		s[k] = v
	}
	return s
}
