package dutyhttp

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/duty"
	"zhengwu/shared/auth"
	"zhengwu/shared/httpx"
	"zhengwu/shared/openapi"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// summaryXLSX is GET /duty/summary.xlsx: the monthly summary as a
// workbook, for whoever may read the summary.
func summaryXLSX(svc *duty.Service, tokens *auth.Tokens) openapi.Route {
	op := openapi.Op{Method: "GET", Path: "/duty/summary.xlsx", Tag: "duty", Auth: true, OK: 200,
		Summary: "下载值班月报（XLSX：概况与分类、值班人员、未办结事项；值班室、领导）",
		Perm:    auth.PermDutyManage, OrPerm: []auth.Permission{auth.PermDutyLead}, Scope: "office",
		Query: duty.MonthQuery{}, OKSchema: "DutySummaryXLSX" /* officeapi.API's Schemas */, OKType: xlsxType,
		Errors: []int{400, 401, 403, 503}}
	return openapi.Route{Op: op, Handlers: []fiber.Handler{tokens.Required(), func(c *fiber.Ctx) error {
		var q duty.MonthQuery
		if err := httpx.Query(c, &q); err != nil {
			return err
		}
		sum, err := svc.Summarise(c.UserContext(), auth.Caller(c), q)
		if err != nil {
			return err
		}
		data, err := sum.XLSX()
		if err != nil {
			return err
		}
		name := "值班月报-" + sum.Month + ".xlsx"
		c.Set(fiber.HeaderContentType, xlsxType)
		c.Set(fiber.HeaderContentDisposition, "attachment; filename=\"duty-"+sum.Month+".xlsx\"; filename*=UTF-8''"+url.PathEscape(name))
		c.Set(fiber.HeaderCacheControl, "private, no-store")
		c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
		return c.Send(data)
	}}}
}
