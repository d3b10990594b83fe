// Package sealhttp is the thin HTTP layer of the electronic seal: the
// security administrator's key administration under /api/office/v1/seal,
// verification of an uploaded PDF, and of a document's stored sealed file.
package sealhttp

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/seal"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// SealedFile is the sealed PDF stored for document id, as p may read it
// (a 404 problem when p may not read the document or it has none yet):
// the print job's file, wired by the module table.
type SealedFile func(ctx context.Context, p *auth.Principal, id string) ([]byte, error)

// Routes are the seal's routes under /api/office/v1; GET
// /documents/{id}/pdf/verify is mounted only with sealed (nil: not yet).
func Routes(svc *seal.Service, tokens *auth.Tokens, sealed SealedFile) []openapi.Route {
	signedIn := tokens.Required()
	op := func(method, path, summary string, ok int, errs ...int) openapi.Op {
		return openapi.Op{Method: method, Path: path, Summary: summary, Tag: "seal", Auth: true, OK: ok,
			Perm: auth.PermSealManage, Scope: "office", Errors: append([]int{401, 403}, errs...)}
	}
	actor := func(c *fiber.Ctx) records.Actor { return records.Actor{P: auth.Caller(c), IP: c.IP()} }
	unit := func(c *fiber.Ctx) string { return strings.Clone(c.Params("unit")) }

	generate := op("POST", "/seal/units/{unit}/keys", "生成发文单位的 SM2 印章密钥（已有启用密钥时为更换：原密钥转为已更换，仍可验证其所盖文件）；私钥加密保存，任何接口都不返回", 201, 400, 404)
	generate.BodyOptional = true
	image := op("GET", "/seal/units/{unit}/image", "印章图片（PNG；未上传时按单位名称绘制：红色圆环、五角星、单位名称）", 200, 404)
	image.OKSchema, image.OKType = "SealImage", "image/png"
	upload := op("PUT", "/seal/units/{unit}/image", "上传印章图片（PNG，正方形，边长 100–2000 像素，至多 1 MB）", 200, 400, 404)
	upload.Body, upload.BodyType, upload.Resp = "SealImage", "image/png", seal.Unit{}
	verify := openapi.Op{Method: "POST", Path: "/seal/verify", Tag: "seal", Auth: true, OK: 200,
		Summary: "验证上传的 PDF 的电子印章：盖章单位、密钥、盖章人、时间，文件是否被改动（任何一个字节）",
		Perm:    auth.PermOfficeRead, OrPerm: []auth.Permission{auth.PermSealManage}, Scope: "any",
		Body: "OfficialdocPDF", BodyType: "application/pdf", Resp: seal.Report{}, Errors: []int{400, 401, 403}}

	routes := []openapi.Route{
		openapi.Handle(op("GET", "/seal/units", "各发文单位（组织机构的顶层单位）的电子印章与密钥历史（安全保密管理员）", 200),
			func(c *fiber.Ctx, _ struct{}) ([]seal.Unit, error) { return svc.Units(c.UserContext(), auth.Caller(c)) }, signedIn),
		openapi.Handle(op("GET", "/seal/units/{unit}", "一个发文单位的电子印章与密钥历史", 200, 404),
			func(c *fiber.Ctx, _ struct{}) (seal.Unit, error) {
				return svc.Unit(c.UserContext(), auth.Caller(c), unit(c))
			}, signedIn),
		openapi.Handle(generate, func(c *fiber.Ctx, in seal.KeyInput) (seal.Unit, error) {
			return svc.Generate(c.UserContext(), actor(c), unit(c), in)
		}, signedIn),
		openapi.Handle(op("POST", "/seal/units/{unit}/keys/{keyId}/revoke", "吊销印章密钥（须填写原因）：不再用于盖章；吊销前所盖文件仍可验证", 200, 400, 404, 409),
			func(c *fiber.Ctx, in seal.RevokeInput) (seal.Unit, error) {
				return svc.Revoke(c.UserContext(), actor(c), unit(c), strings.Clone(c.Params("keyId")), in)
			}, signedIn),
		{Op: image, Handlers: []fiber.Handler{signedIn, func(c *fiber.Ctx) error {
			png, err := svc.Image(c.UserContext(), auth.Caller(c), unit(c))
			if err != nil {
				return err
			}
			c.Set(fiber.HeaderContentType, "image/png")
			c.Set(fiber.HeaderCacheControl, "private, no-store")
			return c.Send(png)
		}}},
		{Op: upload, Handlers: []fiber.Handler{signedIn, func(c *fiber.Ctx) error {
			u, err := svc.SetImage(c.UserContext(), actor(c), unit(c), append([]byte{}, c.Body()...))
			if err != nil {
				return err
			}
			return c.JSON(u)
		}}},
		openapi.Handle(op("DELETE", "/seal/units/{unit}/image", "删除上传的印章图片，恢复按单位名称绘制", 200, 404),
			func(c *fiber.Ctx, _ struct{}) (seal.Unit, error) {
				return svc.SetImage(c.UserContext(), actor(c), unit(c), nil)
			}, signedIn),
		{Op: verify, Handlers: []fiber.Handler{signedIn, func(c *fiber.Ctx) error {
			r, err := svc.VerifyFor(c.UserContext(), auth.Caller(c), c.Body())
			if err != nil {
				return err
			}
			return c.JSON(r)
		}}},
	}
	if sealed != nil {
		routes = append(routes, openapi.Handle(openapi.Op{Method: "GET", Path: "/documents/{id}/pdf/verify", Tag: "seal", Auth: true, OK: 200,
			Summary:    "验证公文已盖章文件的电子印章（可阅读公文者；其他人与不存在同样 404）",
			Collection: officialdoc.Collection, Errors: []int{401, 404}},
			func(c *fiber.Ctx, _ struct{}) (seal.Report, error) {
				pdf, err := sealed(c.UserContext(), auth.Caller(c), strings.Clone(c.Params("id")))
				if err != nil {
					return seal.Report{}, err
				}
				return svc.Verify(c.UserContext(), pdf)
			}, signedIn))
	}
	return routes
}
