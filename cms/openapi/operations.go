package openapi

import oas "zhengwu/shared/openapi"

var (
	exampleNode = obj{"key": "files", "name": "政府文件", "visibility": "public", "department": "zonghe", "order": 20,
		"types": []string{}, "children": []obj{{"key": "files-general-office", "name": "省政府办公厅文件",
			"types": []string{"policy"}, "visibility": "public", "department": "zonghe", "order": 20, "children": []obj{}}}}
	examplePolicy = obj{
		"id": "9f1c2e7a4b0d4c1e8a2b3c4d5e6f7a8b", "type": "policy", "channel": "files-general-office",
		"department": "zonghe", "path": "files/wanzhengban-2026-12", "visibility": "public",
		"title":   "安徽省人民政府办公厅关于进一步优化营商环境的若干意见",
		"summary": "从市场准入、政务服务、要素保障等方面提出二十条措施。",
		"body":    "<p>各市人民政府，省政府各部门、各直属机构：</p><p>为进一步优化营商环境……</p>",
		"policy": obj{"docNumber": "皖政办〔2026〕12号", "issuers": []string{"安徽省人民政府办公厅"}, "genre": "意见",
			"writtenAt": "2026-03-02T00:00:00Z", "effectiveAt": "2026-04-01T00:00:00Z", "validity": "有效"},
		"links": obj{"interpretedBy": []obj{{"id": "a1b2", "title": "《关于进一步优化营商环境的若干意见》政策解读",
			"path": "files/jiedu-2026-12"}}},
		"status": "published", "edition": 2, "changeNote": "更正第五条表述",
		"publishedAt": "2026-03-05T08:00:00Z", "updatedAt": "2026-03-06T09:30:00Z",
	}
	exampleList    = obj{"items": []obj{examplePolicy}, "total": 1}
	exampleProblem = obj{"type": "https://zhengwu.gov.cn/problems/invalid", "title": "Bad Request", "status": 400,
		"detail": "size: 每页条数必须是 1 到 100 之间的整数", "code": "invalid",
		"errors": []obj{{"field": "size", "message": "每页条数必须是 1 到 100 之间的整数"}}}
	exampleDocInput = obj{"type": "policy", "channel": "files-general-office", "department": "xinxi",
		"fields": obj{"title": "关于做好2026年元旦春节期间有关工作的通知", "docNumber": "皖政办〔2026〕1号",
			"issuers": []string{"安徽省人民政府办公厅"}, "genre": "通知", "writtenAt": "2026-01-02T00:00:00Z",
			"validity": "有效", "body": "<p>各市人民政府……</p>"},
		"changeNote": "首次起草"}
)

func listParams() []obj {
	return []obj{
		qp("channel", "栏目（含下级栏目）", obj{"type": "string"}),
		qp("type", "稿件类型", obj{"type": "string", "enum": []string{"article", "policy", "speech", "activity", "report"}}),
		qp("genre", "文种", obj{"type": "string"}),
		qp("issuer", "发文机关", obj{"type": "string"}),
		qp("year", "发布年份", obj{"type": "integer", "minimum": 1949, "maximum": 2100}),
		qp("validity", "效力状态", obj{"type": "string"}),
		qp("department", "所属处室", obj{"type": "string"}),
		qp("status", "列出哪些稿件：published（默认，仅已发布）、withdrawn（已撤回）或 published,withdrawn；已撤回的稿件默认不出现在列表中",
			obj{"type": "string", "enum": []string{"published", "withdrawn", "published,withdrawn"}, "default": "published"}),
		qp("from", "发布日期起（含），2006-01-02", obj{"type": "string", "format": "date"}),
		qp("to", "发布日期止（含），2006-01-02", obj{"type": "string", "format": "date"}),
		qp("sort", "排序", obj{"type": "string", "enum": []string{"-publishedAt", "publishedAt", "title", "-updatedAt"}}),
		qp("size", "每页条数", obj{"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
		qp("page", "页码", obj{"type": "integer", "minimum": 1}),
		qp("cursor", "游标（上一页的 next）", obj{"type": "string"}),
		qp("fields", "返回的字段，逗号分隔", obj{"type": "string"}),
		qp("consistentWith", "等待查询端应用到该变更序号（读己之写）", obj{"type": "integer", "minimum": 0}),
	}
}

func operations() []oas.Op {
	id := pp("id", "稿件 id")
	cache := []int{304, 400, 404}
	mgmtErr := []int{400, 401, 403, 404, 409}
	decision := func(path, summary string, ex obj) oas.Op {
		return oas.Op{Method: "POST", Path: path, Summary: summary, Tag: "management", Auth: true,
			Params: []obj{id}, Body: "Decision", BodyExample: ex, OK: 200, OKSchema: "Document", Errors: mgmtErr}
	}
	return []oas.Op{
		{Method: "GET", Path: "/channels", Summary: "栏目树（匿名用户看不到内部栏目）", Tag: "delivery",
			OK: 200, OKSchema: "Channels", OKExample: []obj{exampleNode}},
		{Method: "GET", Path: "/items", Summary: "按栏目列出已发布稿件，支持筛选、排序、分页与字段选择", Tag: "delivery",
			Params: listParams(), OK: 200, OKSchema: "ItemList", OKExample: exampleList, Errors: []int{400}},
		{Method: "GET", Path: "/items/{id}", Summary: "已发布稿件（含一层展开的类型化链接和反向链接；已撤回的仍可阅读并带撤回说明；数据网关撤回的副本为 410 withdrawn，带公开的撤回说明）", Tag: "delivery",
			Params: []obj{id}, OK: 200, OKSchema: "Item", OKExample: examplePolicy, Errors: append(cache, 410)},
		{Method: "GET", Path: "/items/by-path/{path}", Summary: "按路径读取已发布稿件", Tag: "delivery",
			Params: []obj{pp("path", "稿件路径")}, OK: 200, OKSchema: "Item", Errors: append(cache, 410)},
		{Method: "GET", Path: "/preview/{token}", Summary: "预览草稿（预览令牌 30 分钟有效）", Tag: "delivery",
			Params: []obj{pp("token", "预览令牌")}, OK: 200, OKSchema: "Item", Errors: []int{404}},

		{Method: "GET", Path: "/manage/documents", Summary: "稿件列表（仅本人有权限的处室）", Tag: "management", Auth: true,
			Params: []obj{qp("state", "流程状态", obj{"type": "string"}), qp("channel", "栏目", obj{"type": "string"}),
				qp("department", "处室", obj{"type": "string"}), qp("type", "类型", obj{"type": "string"}),
				qp("q", "标题关键词", obj{"type": "string"}), qp("size", "每页条数", obj{"type": "integer"}),
				qp("cursor", "游标", obj{"type": "string"})},
			OK: 200, OKSchema: "DocumentList", Errors: []int{400, 401}},
		{Method: "POST", Path: "/manage/documents", Summary: "新建稿件（第 1 版草稿）", Tag: "management", Auth: true,
			Body: "DocumentInput", BodyExample: exampleDocInput, OK: 201, OKSchema: "Document", Errors: []int{400, 401, 403}},
		{Method: "GET", Path: "/manage/documents/{id}", Summary: "稿件、当前草稿与已发布版本", Tag: "management", Auth: true,
			Params: []obj{id}, OK: 200, OKSchema: "Document", Errors: []int{401, 403, 404}},
		{Method: "PUT", Path: "/manage/documents/{id}/draft", Summary: "保存草稿（乐观锁：版本过期返回 409）", Tag: "management", Auth: true,
			Params: []obj{id}, Body: "DraftInput", OK: 200, OKSchema: "Document", Errors: mgmtErr},
		decision("/manage/documents/{id}/submit", "提交审核", obj{"version": 1}),
		decision("/manage/documents/{id}/approve", "审核通过（最后一步即发布，可定时）；撰写、修改或提交者不能审核（403 self_review），同一人不能办理同一版本的两个步骤（403 same_reviewer）", obj{"version": 2, "comment": "同意"}),
		decision("/manage/documents/{id}/reject", "退回修改（须填写原因）", obj{"version": 2, "reason": "文号有误，请核对"}),
		decision("/manage/documents/{id}/withdraw", "撤回（仍可阅读，显示撤回说明，不再出现在列表中）；带 at 为定时撤回", obj{"reason": "政策已调整", "at": "2026-03-09T00:00:00+08:00"}),
		decision("/manage/documents/{id}/redirect", "重定向到另一稿件", obj{"to": "a1b2"}),
		decision("/manage/documents/{id}/remove", "删除（读者得到 410）", obj{}),
		decision("/manage/documents/{id}/rollback", "以旧版本内容重新发布", obj{"edition": 1}),
		{Method: "GET", Path: "/manage/documents/{id}/editions", Summary: "版本历史", Tag: "management", Auth: true,
			Params: []obj{id}, OK: 200, OKSchema: "Editions", Errors: []int{401, 403, 404}},
		{Method: "GET", Path: "/manage/documents/{id}/editions/{n}", Summary: "某一版本", Tag: "management", Auth: true,
			Params: []obj{id, pp("n", "版本号")}, OK: 200, OKSchema: "Document", Errors: []int{400, 401, 403, 404}},
		{Method: "GET", Path: "/manage/documents/{id}/diff", Summary: "两个版本的字段级差异", Tag: "management", Auth: true,
			Params: []obj{id, qp("from", "版本号", obj{"type": "integer"}), qp("to", "版本号", obj{"type": "integer"})},
			OK:     200, OKSchema: "Diff", Errors: []int{400, 401, 403, 404}},
		{Method: "POST", Path: "/manage/documents/{id}/preview", Summary: "生成草稿预览令牌", Tag: "management", Auth: true,
			Params: []obj{id}, OK: 200, OKSchema: "Preview", Errors: []int{401, 403, 404}},
		{Method: "GET", Path: "/manage/review-queue", Summary: "待我审核的稿件", Tag: "management", Auth: true,
			OK: 200, OKSchema: "DocumentList", Errors: []int{401}},

		{Method: "POST", Path: "/media", Summary: "上传附件或图片（按内容识别类型，SHA-256 去重）", Tag: "media", Auth: true,
			Body: "Upload", BodyType: "multipart/form-data", OK: 201, OKSchema: "Media", Errors: []int{400, 401, 403, 413, 415}},
		{Method: "GET", Path: "/media/{id}", Summary: "下载（支持 Range）", Tag: "media",
			Params: []obj{pp("id", "媒体 id")}, OK: 200, OKSchema: "Binary", OKType: "application/octet-stream", Errors: []int{304, 404, 416}},
		{Method: "GET", Path: "/media/{id}/thumbnail", Summary: "图片缩略图", Tag: "media",
			Params: []obj{pp("id", "媒体 id"), qp("w", "宽度", obj{"type": "integer", "enum": []int{160, 320, 640}})},
			OK:     200, OKSchema: "Binary", OKType: "application/octet-stream", Errors: []int{400, 404}},
	}
}

// ProblemExample is a problem document, for tests of the Problem schema.
var ProblemExample = exampleProblem
