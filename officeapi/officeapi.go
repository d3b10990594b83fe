// Package officeapi is the office business system's API (办公业务系统),
// mounted under /api/office/v1. Each capability is a folder with a domain
// package and a thin HTTP layer: identity (organisation, users, grants,
// login, the three officers), info (the department information
// platforms), desktop (the personal desktop every capability contributes
// to); docs/adding-a-capability.md says how to add one. The binary's
// module table (cmd/zhengwu/modules.go) builds and mounts them.
//
// This package holds what they share as one API: its base path and its
// description, assembled from the routes of the capabilities a process
// runs.
package officeapi

import (
	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/apidoc"
	"zhengwu/officeapi/desktop/desktophttp"
	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/identity/identityhttp"
	"zhengwu/officeapi/info/infohttp"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
)

// Base is the office API's prefix.
const Base = apidoc.Base

// MountIdentity mounts identity's routes (login, organisation, users,
// grants, audit) on r, the office API's group. Their description is
// apidoc's until identity lists its routes with their operations as the
// other capabilities do.
func MountIdentity(r fiber.Router, svc *identity.Service, tokens *auth.Tokens, trail *audit.Trail) {
	identityhttp.Mount(r, svc, tokens, trail)
}

// API is the office API's description: identity's operations, the
// given routes' (the capabilities mounted in this process), and the
// document's own two routes.
func API(routes []openapi.Route) openapi.API {
	a := apidoc.API()
	a.Ops = append(a.Ops, openapi.Ops(routes)...)
	a.Tags = append(a.Tags, infohttp.Tag, desktophttp.Tag, openapi.Tag{Name: "gateway", Title: "数据网关：运行状态"})
	return a
}
