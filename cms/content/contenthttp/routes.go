// Package contenthttp is the thin HTTP layer of the management API
// (docs/portal-api.md, "Management API"): it authenticates, parses and
// binds, calls cms/content and renders. Every error is a *problem.Error
// rendered by shared/httpx as problem+json. Routes lists the routes with
// their descriptions, so that what is mounted is what is documented; the
// bodies and answers described are the types the handlers decode and
// encode (openapi.Handle).
package contenthttp

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/cms/content"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// ConsistentWaitTimeout bounds ?consistentWith= waits.
const ConsistentWaitTimeout = 3 * time.Second

// Tag groups the routes in the portal API's description.
var Tag = openapi.Tag{Name: "management", Title: "编辑与审核：稿件、版本、审核流程"}

// Routes are the management routes under /api/portal/v1; every one
// needs a valid access token. A document of a department the caller
// holds no portal permission in is 404, as an unknown one.
func Routes(svc *content.Service, tokens *auth.Tokens) []openapi.Route {
	signedIn := tokens.Required()
	op := func(o openapi.Op) openapi.Op {
		o.Tag, o.Auth, o.Collection = Tag.Name, true, content.DocumentsCollection
		if o.OK == 0 {
			o.OK = 200
		}
		o.Errors = append([]int{401}, o.Errors...)
		return o
	}
	id := []openapi.Obj{openapi.Path("id", "稿件 id")}
	// Who may take a step is decided on the document (its department, its
	// channel, the review step awaited): Perm and Scope say what the
	// route needs at least.
	editPerm, editScope := content.PermEdit, "department"
	// A document's reads (and its preview) are for any portal permission
	// in its department: its reviewers and publishers read what they
	// decide on.
	readOr := []auth.Permission{content.PermReview, content.PermPublish}
	reviewPerm, reviewScope := content.PermReview, "department"
	step := func(path, summary string, example any, perm auth.Permission, scope string) openapi.Op {
		return op(openapi.Op{Method: "POST", Path: path, Summary: summary, Params: id, Perm: perm, Scope: scope,
			BodyExample: example, Errors: []int{400, 403, 404, 409}})
	}
	optional := func(o openapi.Op) openapi.Op { o.BodyOptional = true; return o }
	return []openapi.Route{
		openapi.Handle(op(openapi.Op{Method: "POST", Path: "/manage/documents",
			Summary: "新建稿件（第 1 版草稿；本处室 portal.item.edit，栏目须属本处室或全办）",
			Perm:    editPerm, Scope: editScope, BodyExample: exampleCreate, OK: 201, Errors: []int{400, 403}}),
			func(c *fiber.Ctx, in content.CreateInput) (content.View, error) {
				v, err := svc.Create(c.UserContext(), auth.Caller(c), in)
				if err == nil {
					c.Location(c.Path() + "/" + v.Document.ID)
				}
				return v, err
			}, signedIn),
		openapi.Handle(op(openapi.Op{Method: "GET", Path: "/manage/documents",
			Summary: "稿件列表（仅本人有门户权限的处室），按修改时间倒序，游标分页", Errors: []int{400, 503}}),
			listing(svc, svc.List), signedIn),
		openapi.Handle(op(openapi.Op{Method: "GET", Path: "/manage/review-queue",
			Summary: "待我审核的稿件（本人可办理当前审核步骤的）", Errors: []int{400, 503}}),
			listing(svc, svc.ReviewQueue), signedIn),
		onDocument(op(openapi.Op{Method: "GET", Path: "/manage/documents/{id}",
			Summary: "稿件、当前草稿与已发布版本（该处室任一门户权限）", Params: id,
			Perm: editPerm, OrPerm: readOr, Scope: editScope, Errors: []int{404}}), signedIn, noInput(svc.Get)),
		onDocument(op(openapi.Op{Method: "PUT", Path: "/manage/documents/{id}/draft",
			Summary: "保存草稿（须带 version；版本过期返回 409）", Params: id, Perm: editPerm, Scope: editScope,
			Errors: []int{400, 403, 404, 409}}), signedIn, svc.UpdateDraft),
		onDocument(optional(step("/manage/documents/{id}/submit", "提交审核（可带 version）",
			content.VersionInput{Version: 1}, editPerm, editScope)), signedIn, svc.Submit),
		onDocument(step("/manage/documents/{id}/approve", "审核通过（最后一步即发布，可定时）；撰写、修改或提交者不能审核（403 self_review），同一人不能办理同一版本的两个步骤（403 same_reviewer）",
			content.ApproveInput{Version: 2, Comment: "同意"}, reviewPerm, reviewScope), signedIn, svc.Approve),
		decoded(step("/manage/documents/{id}/reject", "退回修改（须填写原因）",
			content.RejectInput{Version: 2, Reason: "文号有误，请核对"}, reviewPerm, reviewScope), signedIn, svc.Reject),
		decoded(step("/manage/documents/{id}/withdraw", "撤回（仍可阅读，显示撤回说明，不再出现在列表中）；带 at 为定时撤回（全办 portal.item.publish）",
			exampleWithdraw, content.PermPublish, "office"), signedIn, svc.Withdraw),
		onDocument(step("/manage/documents/{id}/redirect", "重定向到另一已发布稿件（全办 portal.item.publish）",
			content.RedirectInput{To: "a1b2"}, content.PermPublish, "office"), signedIn, svc.Redirect),
		onDocument(optional(step("/manage/documents/{id}/remove", "删除（读者得到 410；全办 portal.item.publish；可带 version）",
			nil, content.PermPublish, "office")), signedIn, svc.Remove),
		onDocument(step("/manage/documents/{id}/rollback", "以旧版本内容重新发布（全办 portal.item.publish）",
			content.RollbackInput{Edition: 1, ChangeNote: "恢复第 1 版"}, content.PermPublish, "office"), signedIn, svc.Rollback),
		onDocument(op(openapi.Op{Method: "POST", Path: "/manage/documents/{id}/preview",
			Summary: "生成草稿预览令牌（30 分钟内凭令牌可读；该处室任一门户权限）", Params: id, Perm: editPerm, OrPerm: readOr, Scope: editScope,
			Errors: []int{404}}), signedIn, noInput(svc.CreatePreview)),
		onDocument(op(openapi.Op{Method: "GET", Path: "/manage/documents/{id}/editions",
			Summary: "版本历史（最早的在前；该处室任一门户权限）", Params: id, Perm: editPerm, OrPerm: readOr, Scope: editScope,
			Errors: []int{404}}), signedIn, editions(svc)),
		openapi.Handle(op(openapi.Op{Method: "GET", Path: "/manage/documents/{id}/editions/{n}",
			Summary: "某一版本（该处室任一门户权限）", Params: append(id, openapi.Path("n", "版本号")), Perm: editPerm, OrPerm: readOr,
			Scope:  editScope,
			Errors: []int{404}}), edition(svc), signedIn, validID),
		onDocument(op(openapi.Op{Method: "GET", Path: "/manage/documents/{id}/diff",
			Summary: "两个版本的字段级差异（该处室任一门户权限）", Params: id, Perm: editPerm, OrPerm: readOr, Scope: editScope,
			Errors: []int{400, 404}}), signedIn, diff(svc)),
	}
}

var (
	exampleCreate = content.CreateInput{Type: "policy", Channel: "files-general-office", Department: "xinxi",
		Fields: content.Fields{Title: "关于做好2026年元旦春节期间有关工作的通知", DocNumber: "皖政办〔2026〕1号",
			Issuers: []string{"安徽省人民政府办公厅"}, Genre: "通知", WrittenAt: "2026-01-02", Validity: "有效",
			Body: "<p>各市人民政府……</p>"},
		ChangeNote: "首次起草"}
	exampleWithdrawAt = time.Date(2026, 3, 9, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	exampleWithdraw   = content.WithdrawInput{Reason: "政策已调整", At: &exampleWithdrawAt}
)
