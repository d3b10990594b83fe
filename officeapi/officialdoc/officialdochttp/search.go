package officialdochttp

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/officialdoc"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// SearchRoutes are 公文查询's route, GET /documents/search. Mount them
// before Routes: Fiber matches routes in the order they were added, and
// GET /documents/{id} would otherwise take "search" for an id.
func SearchRoutes(q *officialdoc.Search, tokens *auth.Tokens) []openapi.Route {
	op := openapi.Op{Method: "GET", Path: "/documents/search", Tag: "officialdoc", Auth: true, OK: 200,
		Summary: "公文查询：按文号（任意括号写法）、标题和正文中的词、文种、状态、方向、处室、拟稿人、当前办理人、超期、日期查询；" +
			"结果、总数和按文种、状态的分面计数只含本人可阅的公文（密级、知悉范围）",
		Errors: []int{400, 401, 503}}
	return []openapi.Route{
		openapi.Handle(op, func(c *fiber.Ctx, in officialdoc.SearchQuery) (officialdoc.SearchResult, error) {
			return q.Find(c.UserContext(), auth.Caller(c), in)
		}, tokens.Required()),
	}
}
