// Package analyticshttp serves search analytics (package analytics) on
// the search API: the click report from the search pages (anyone), the
// weekly report and the synonym list for the editors who hold the
// permissions.
package analyticshttp

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/search/analytics"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Tag groups the routes in the search API's description.
var Tag = openapi.Tag{Name: "search-analytics", Title: "搜索分析与同义词"}

// ClickInput is a reader opening a result.
type ClickInput struct {
	LogID string `json:"logId" validate:"required,max=40" doc:"检索结果中的 logId"`
	Rank  int    `json:"rank" validate:"min=1,max=10000" doc:"所点结果在本页的位次（从 1 起）"`
}

// ReportQuery picks a week's report.
type ReportQuery struct {
	Week  string `query:"week" validate:"max=10" doc:"ISO 周，如 2026-W49（北京时间；默认本周）"`
	Scope string `query:"scope" validate:"omitempty,oneof=portal office" doc:"检索范围：portal（默认）或 office"`
}

// Deps are what the routes serve.
type Deps struct {
	Store    store.Store
	Log      *analytics.Log
	Synonyms *analytics.Synonyms
	Tokens   *auth.Tokens
	Now      func() time.Time
}

// Routes are the analytics routes under the search API's base.
func Routes(d Deps) []openapi.Route {
	if d.Now == nil {
		d.Now = time.Now
	}
	return []openapi.Route{
		openapi.Handle(openapi.Op{Method: "POST", Path: "/search/clicks", Tag: Tag.Name,
			Summary: "记录对检索结果的点击（令牌可选；不记录身份），用于统计“有结果无点击”的检索",
			OK:      204, Errors: []int{400}}, func(c *fiber.Ctx, in ClickInput) (struct{}, error) {
			if err := d.Log.Click(in.LogID, in.Rank); err != nil {
				return struct{}{}, problem.Invalid(problem.Field("logId", "不是检索日志编号", "not a search log id"))
			}
			return struct{}{}, nil
		}, d.Tokens.Optional()),
		openapi.Handle(openapi.Op{Method: "GET", Path: "/analytics/report", Tag: Tag.Name, Auth: true,
			Summary: "按周的搜索分析：热门检索词、无结果检索词、有结果无点击的检索词及其次数",
			OK:      200, Perm: auth.PermSearchAnalytics, Scope: "any", Errors: []int{400, 401, 403}},
			func(c *fiber.Ctx, q ReportQuery) (analytics.WeekReport, error) {
				w := analytics.WeekOf(d.Now())
				if q.Week != "" {
					var ok bool
					if w, ok = analytics.ParseWeek(q.Week); !ok {
						return analytics.WeekReport{}, problem.Invalid(problem.Field("week", "周的格式应为 2026-W49", "week must be an ISO week such as 2026-W49"))
					}
				}
				scope := q.Scope
				if scope == "" {
					scope = source.PortalName
				}
				return analytics.Report(c.UserContext(), d.Store, w, scope)
			}, d.Tokens.Required(), auth.RequireAnywhere(auth.PermSearchAnalytics)),
		openapi.Handle(openapi.Op{Method: "GET", Path: "/synonyms", Tag: Tag.Name, Auth: true,
			Summary: "检索同义词表（尚未修改过时为内置词表，版本 0）",
			OK:      200, Perm: auth.PermSearchSynonyms, Scope: "any", Errors: []int{401, 403}},
			func(c *fiber.Ctx, _ struct{}) (analytics.SynonymList, error) {
				return d.Synonyms.Get(c.UserContext())
			}, d.Tokens.Required(), auth.RequireAnywhere(auth.PermSearchSynonyms)),
		openapi.Handle(openapi.Op{Method: "PUT", Path: "/synonyms", Tag: Tag.Name, Auth: true,
			Summary: "修改检索同义词表：逐行校验（出错时指明行号），保存后下一次检索即生效，无需重建索引",
			OK:      200, Perm: auth.PermSearchSynonyms, Scope: "any", Errors: []int{400, 401, 403, 409}},
			func(c *fiber.Ctx, in analytics.SynonymInput) (analytics.SynonymList, error) {
				return d.Synonyms.Put(c.UserContext(), auth.Caller(c).UserID, c.IP(), in)
			}, d.Tokens.Required(), auth.RequireAnywhere(auth.PermSearchSynonyms)),
	}
}
