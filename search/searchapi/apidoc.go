package searchapi

import oas "zhengwu/shared/openapi"

// API is the search API's OpenAPI description, served by Mount at
// /api/search/v1/openapi.json with a docs page at /api/search/v1/docs
// (docs/search-api.md is the longer guide).
func API() oas.API {
	return oas.API{
		Title: "政务信息网 Search API",
		Description: "Full-text search in Chinese over the portal (anyone; anonymous readers see public items) and the office (signed-in readers, within their clearance and departments). " +
			"Access control is part of every query: hits, totals and facet counts come from the same filtered query. Errors are RFC 9457 application/problem+json with the invalid `errors[].field`s.",
		Base: Prefix,
		Tags: []oas.Tag{
			{Name: "search", Title: "全文检索与输入提示"},
			{Name: "docs", Title: "接口文档"},
		},
		Ops: append([]oas.Op{
			{Method: "GET", Path: "/search", Tag: "search",
				Summary: "全文检索：筛选、分面计数、高亮、按相关度或日期排序、分页（令牌可选；office 范围须登录）",
				Params:  searchParams(), OK: 200, OKSchema: "SearchResult", OKExample: exampleResult,
				Errors: []int{400, 401, 503}},
			{Method: "GET", Path: "/suggest", Tag: "search",
				Summary: "标题输入提示：标题中含所输文字者在前，容许一个错字（令牌可选；office 范围须登录）",
				Params: []oas.Obj{
					oas.Query("q", "已输入的文字（1–200 字）", oas.Obj{"type": "string", "minLength": 1, "maxLength": MaxQueryRunes}),
					scopeParam(),
				},
				OK: 200, OKSchema: "Suggestions", OKExample: exampleSuggestions, Errors: []int{400, 401}},
		}, oas.DocOps("docs")...),
		Schemas:        searchSchemas(),
		ProblemExample: exampleProblem,
	}
}

func scopeParam() oas.Obj {
	return oas.Query("scope", "检索范围：portal（默认，政务信息网）或 office（办公业务系统，须登录）",
		oas.Obj{"type": "string", "enum": []string{"portal", "office"}, "default": "portal"})
}

func searchParams() []oas.Obj {
	text := func(desc string) oas.Obj {
		return oas.Obj{"type": "string", "maxLength": maxValueRunes, "description": desc}
	}
	return []oas.Obj{
		oas.Query("q", "检索词（至多 200 字；空则按日期浏览）。文号可按任意写法输入，如 皖政办[2026]12号", oas.Obj{"type": "string", "maxLength": MaxQueryRunes}),
		scopeParam(),
		oas.Query("channel", "栏目（分面取值）", text("栏目 key")),
		oas.Query("type", "稿件类型（分面取值）", text("类型")),
		oas.Query("issuer", "发文机关（分面取值）", text("发文机关")),
		oas.Query("validity", "效力状态（分面取值）", text("有效、失效、废止、修订")),
		oas.Query("year", "发布年份", oas.Obj{"type": "string", "pattern": "^[12][0-9]{3}$"}),
		oas.Query("from", "发布日期起（含），YYYY-MM-DD（北京时间）或 RFC 3339", oas.Obj{"type": "string"}),
		oas.Query("to", "发布日期止（含），YYYY-MM-DD（北京时间）或 RFC 3339", oas.Obj{"type": "string"}),
		oas.Query("sort", "排序", oas.Obj{"type": "string", "enum": []string{SortRelevance, SortDate}, "default": SortRelevance}),
		oas.Query("page", "页码（page × size ≤ 10000）", oas.Obj{"type": "integer", "minimum": 1, "default": 1}),
		oas.Query("size", "每页条数", oas.Obj{"type": "integer", "minimum": 1, "maximum": MaxSize, "default": DefaultSize}),
		oas.Query("consistentWith", "写操作返回的变更序号：等待索引应用到它（至多 3 秒，否则 503）；大于存储已提交的最大序号则立即 400", oas.Obj{"type": "integer", "minimum": 0}),
	}
}

func searchSchemas() oas.Obj {
	fragments := oas.Arr(oas.Str("HTML 片段：文本已转义，命中处以 <mark> 包裹"))
	facet := oas.Arr(oas.Obj{"type": "object", "required": []string{"value", "count"}, "properties": oas.Obj{
		"value": oas.Str("取值"), "count": oas.Obj{"type": "integer", "minimum": 1}}})
	return oas.Obj{
		"SearchResult": oas.Obj{"type": "object", "required": []string{"total", "hits", "facets"}, "properties": oas.Obj{
			"total": oas.Obj{"type": "integer", "minimum": 0, "description": "读者有权看到的命中总数"},
			"hits":  oas.Arr(oas.Ref("Hit")),
			"facets": oas.Obj{"type": "object", "description": "分面计数，每个分面至多 20 个取值",
				"properties":           oas.Obj{"channel": facet, "type": facet, "issuer": facet, "year": facet, "validity": facet},
				"additionalProperties": false},
		}},
		"Hit": oas.Obj{"type": "object", "required": []string{"id", "title", "highlights"}, "properties": oas.Obj{
			"id":          oas.Str("稿件 id"),
			"title":       oas.Str("标题（纯文本，显示时须转义）"),
			"type":        oas.Str("稿件类型"),
			"channel":     oas.Str("栏目 key"),
			"path":        oas.Str("稿件路径（/api/portal/v1/items/by-path/{path}）"),
			"publishedAt": oas.DateTime("发布时间"),
			"docNumber":   oas.Str("文号"),
			"validity":    oas.Str("效力状态"),
			"status":      oas.Str("withdrawn：已撤回（仍可打开，页面显示撤回说明）；未撤回时不出现"),
			"highlights": oas.Obj{"type": "object", "description": "命中字段的高亮片段（仅含命中的字段）",
				"properties":           oas.Obj{"title": fragments, "summary": fragments, "body": fragments, "attachment": fragments},
				"additionalProperties": false},
		}},
		"Suggestions": oas.Obj{"type": "object", "required": []string{"suggestions"}, "properties": oas.Obj{
			"suggestions": oas.Arr(oas.Obj{"type": "object", "required": []string{"text", "id"}, "properties": oas.Obj{
				"text": oas.Str("标题"), "id": oas.Str("稿件 id")}}),
		}},
	}
}

var (
	exampleResult = oas.Obj{
		"total": 2,
		"hits": []oas.Obj{{
			"id": "9f1c2e7a4b0d4c1e8a2b3c4d5e6f7a8b", "title": "安徽省人民政府办公厅关于进一步优化营商环境的若干意见",
			"type": "policy", "channel": "files-general-office", "path": "files/wanzhengban-2026-12",
			"publishedAt": "2026-03-05T08:00:00Z", "docNumber": "皖政办〔2026〕12号", "validity": "有效",
			"highlights": oas.Obj{
				"title": []string{"安徽省人民政府办公厅关于进一步优化<mark>营商环境</mark>的若干意见"},
				"body":  []string{"为进一步优化<mark>营商环境</mark>，激发市场主体活力……"},
			},
		}, {
			"id": "a1b2", "title": "《关于进一步优化营商环境的若干意见》政策解读", "type": "article",
			"channel": "files-interpretation", "path": "files/jiedu-2026-12", "publishedAt": "2026-03-06T09:00:00Z",
			"highlights": oas.Obj{"title": []string{"《关于进一步优化<mark>营商环境</mark>的若干意见》政策解读"}},
		}},
		"facets": oas.Obj{
			"channel":  []oas.Obj{{"value": "files-general-office", "count": 1}, {"value": "files-interpretation", "count": 1}},
			"type":     []oas.Obj{{"value": "article", "count": 1}, {"value": "policy", "count": 1}},
			"issuer":   []oas.Obj{{"value": "安徽省人民政府办公厅", "count": 1}},
			"year":     []oas.Obj{{"value": "2026", "count": 2}},
			"validity": []oas.Obj{{"value": "有效", "count": 1}},
		},
	}
	exampleSuggestions = oas.Obj{"suggestions": []oas.Obj{
		{"text": "安徽省人民政府办公厅关于进一步优化营商环境的若干意见", "id": "9f1c2e7a4b0d4c1e8a2b3c4d5e6f7a8b"},
	}}
	exampleProblem = oas.Obj{"type": "https://zhengwu.gov.cn/problems/invalid", "title": "Bad Request", "status": 400,
		"detail": "sort: 排序必须是 relevance 或 date", "code": "invalid",
		"errors": []oas.Obj{{"field": "sort", "message": "排序必须是 relevance 或 date"}}}
)
