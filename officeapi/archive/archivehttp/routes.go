// Package archivehttp is the archive's HTTP layer: the routes under
// /api/office/v1/archive.
package archivehttp

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/archive"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/httpx"
	"zhengwu/shared/openapi"
)

// Tag is the archive's group on the API's docs page.
var Tag = openapi.Tag{Name: "archive", Title: "档案：归档、目录、鉴定、完整性检查、导出移交"}

// ZipSchema names the export package's schema in the API description.
const ZipSchema = "ArchiveZip"

// Routes are the archive's routes.
func Routes(svc *archive.Service, tokens *auth.Tokens) []openapi.Route {
	signedIn := tokens.Required()
	op := func(method, path, summary string, ok int, perm auth.Permission, scope string, errs ...int) openapi.Op {
		return openapi.Op{Method: method, Path: path, Summary: summary, Tag: Tag.Name, Auth: true, OK: ok,
			Perm: perm, Scope: scope, Collection: archive.Collection, Errors: append([]int{400, 401}, errs...)}
	}
	actor := func(c *fiber.Ctx) records.Actor { return records.Actor{P: auth.Caller(c), IP: c.IP()} }
	manage := func(method, path, summary string) openapi.Op {
		return op(method, path, summary, 200, auth.PermArchiveManage, "office", 403, 404, 409)
	}
	appraisal := op("GET", "/archive/appraisal", "保管期限届满（到指定日期，默认今天）的档案，供鉴定；期满最早的在前", 200,
		auth.PermArchiveManage, "any", 403, 503)
	appraisal.OrPerm = []auth.Permission{auth.PermArchiveRead}
	immutable := func(method string) openapi.Route {
		o := op(method, "/archive/records/{id}", "档案不可修改、不可删除：一律拒绝（405，记入审计日志）", 405, auth.Permission{}, "", 404, 405)
		o.BodyOptional = true
		return openapi.Route{Op: o, Handlers: []fiber.Handler{signedIn, func(c *fiber.Ctx) error {
			return svc.Refuse(c.UserContext(), actor(c), strings.Clone(c.Params("id")), strings.ToLower(method))
		}}}
	}
	return []openapi.Route{
		openapi.Handle(op("GET", "/archive/records", "档案目录：本人可阅的档案（按年度、保管期限、文种、密级、状态筛选，按题名、文号、责任者、档号检索），新归档的在前", 200,
			auth.Permission{}, "", 503),
			func(c *fiber.Ctx, q archive.CatalogueQuery) (archive.Page, error) {
				return svc.Catalogue(c.UserContext(), auth.Caller(c), q)
			}, signedIn),
		openapi.Handle(op("GET", "/archive/search", "档案检索：按题名、文号中的词或档号在办公检索索引中查找；结果和总数只含本人可阅的档案（密级、知悉范围）", 200,
			auth.Permission{}, "", 503),
			func(c *fiber.Ctx, q archive.SearchQuery) (archive.SearchResult, error) {
				return svc.Search(c.UserContext(), auth.Caller(c), q)
			}, signedIn),
		openapi.Handle(op("POST", "/archive/records", "归档：归档环节的办理人（或档案员对已办结的公文）将公文封存为档案——档号、年度、保管期限（不填按文种默认）、"+
			"密级，以及公文、修改版本、流转意见、版式 PDF 和附件，各带 SHA-256；随后完成归档环节。重复归档返回已有档案", 201,
			auth.Permission{}, "", 403, 404, 409),
			func(c *fiber.Ctx, in archive.Input) (archive.View, error) {
				return svc.Archive(c.UserContext(), actor(c), in)
			}, signedIn),
		openapi.Handle(op("GET", "/archive/records/{id}", "档案详情：组成文件及校验值、处置记录（可阅公文者和档案员，且涉密等级不低于其密级；无权与不存在同样 404）", 200,
			auth.Permission{}, "", 404),
			func(c *fiber.Ctx, _ struct{}) (archive.View, error) {
				return svc.Get(c.UserContext(), auth.Caller(c), c.Params("id"))
			}, signedIn),
		immutable("PUT"),
		immutable("DELETE"),
		openapi.Handle(manage("POST", "/archive/records/{id}/fixity", "完整性检查：重新读取每个组成文件计算 SHA-256 并核对档案内容摘要，结果追加到档案并记入审计日志"),
			func(c *fiber.Ctx, _ struct{}) (archive.View, error) {
				return svc.Check(c.UserContext(), actor(c), c.Params("id"))
			}, signedIn),
		openapi.Handle(manage("POST", "/archive/records/{id}/void", "撤销（自始无效）或废止（自该日起失效）：记录理由和经办人，档案保留"),
			func(c *fiber.Ctx, in archive.VoidInput) (archive.View, error) {
				return svc.Void(c.UserContext(), actor(c), c.Params("id"), in)
			}, signedIn),
		openapi.Handle(manage("POST", "/archive/records/{id}/appraisal", "鉴定：保管期限届满的档案继续保存（给出新的保管期限）或拟销毁（仅记录，档案不删除）"),
			func(c *fiber.Ctx, in archive.AppraisalInput) (archive.View, error) {
				return svc.Appraise(c.UserContext(), actor(c), c.Params("id"), in)
			}, signedIn),
		openapi.Handle(appraisal, func(c *fiber.Ctx, q archive.AppraisalQuery) (archive.Page, error) {
			return svc.Expiring(c.UserContext(), auth.Caller(c), q)
		}, signedIn),
		exportRoute(svc, signedIn, actor),
	}
}

// exportRoute answers the export package (a ZIP) of the records named.
func exportRoute(svc *archive.Service, signedIn fiber.Handler, actor func(*fiber.Ctx) records.Actor) openapi.Route {
	o := openapi.Op{Method: "POST", Path: "/archive/export", Tag: Tag.Name, Auth: true, OK: 200,
		Summary: "导出移交包（ZIP）：每件档案一个元数据文件（JSON，DA/T 46 著录项）和全部组成文件，以及 SHA-256 校验清单 " +
			archive.ManifestName + "；组成文件与校验值不符时拒绝导出；记入审计日志",
		Perm: auth.PermArchiveManage, Scope: "office", Req: archive.ExportInput{}, OKSchema: ZipSchema, OKType: "application/zip",
		Errors: []int{400, 401, 403, 404, 409}}
	return openapi.Route{Op: o, Handlers: []fiber.Handler{signedIn, func(c *fiber.Ctx) error {
		var in archive.ExportInput
		if err := httpx.Bind(c, &in); err != nil {
			return err
		}
		data, err := svc.Export(c.UserContext(), actor(c), in)
		if err != nil {
			return err
		}
		name := "档案移交包-" + time.Now().Format("20060102-150405") + ".zip"
		c.Set(fiber.HeaderContentType, "application/zip")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="archive.zip"; filename*=UTF-8''`+url.PathEscape(name))
		c.Set(fiber.HeaderCacheControl, "private, no-store")
		return c.Send(data)
	}}}
}
