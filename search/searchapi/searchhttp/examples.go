package searchhttp

import "zhengwu/search/searchapi"

// Examples for the description (openapitest validates them against the
// schemas reflected from the same types).
var (
	exampleResult = searchapi.Result{
		Total: 2,
		Hits: []searchapi.Hit{{
			ID: "9f1c2e7a4b0d4c1e8a2b3c4d5e6f7a8b", Title: "安徽省人民政府办公厅关于进一步优化营商环境的若干意见",
			Type: "policy", Channel: "files-general-office", Path: "files/wanzhengban-2026-12",
			PublishedAt: "2026-03-05T08:00:00Z", DocNumber: "皖政办〔2026〕12号", Validity: "有效",
			Highlights: map[string][]string{
				"title": {"安徽省人民政府办公厅关于进一步优化<mark>营商环境</mark>的若干意见"},
				"body":  {"为进一步优化<mark>营商环境</mark>，激发市场主体活力……"},
			},
		}, {
			ID: "a1b2", Title: "《关于进一步优化营商环境的若干意见》政策解读", Type: "article",
			Channel: "files-interpretation", Path: "files/jiedu-2026-12", PublishedAt: "2026-03-06T09:00:00Z",
			Highlights: map[string][]string{"title": {"《关于进一步优化<mark>营商环境</mark>的若干意见》政策解读"}},
		}},
		Facets: map[string][]searchapi.FacetValue{
			"channel":  {{Value: "files-general-office", Count: 1}, {Value: "files-interpretation", Count: 1}},
			"type":     {{Value: "article", Count: 1}, {Value: "policy", Count: 1}},
			"issuer":   {{Value: "安徽省人民政府办公厅", Count: 1}},
			"year":     {{Value: "2026", Count: 2}},
			"validity": {{Value: "有效", Count: 1}},
		},
	}
	exampleSuggestions = searchapi.Suggestions{Suggestions: []searchapi.Suggestion{
		{Text: "安徽省人民政府办公厅关于进一步优化营商环境的若干意见", ID: "9f1c2e7a4b0d4c1e8a2b3c4d5e6f7a8b"},
	}}
	exampleProblem = map[string]any{"type": "https://zhengwu.gov.cn/problems/invalid", "title": "Bad Request",
		"status": 400, "code": "invalid", "detail": "sort: sort必须是[relevance date]中的一个",
		"errors": []map[string]any{{"field": "sort", "message": "sort必须是[relevance date]中的一个"}}}
)
