// Package officeapi is the office business system's API (办公业务系统),
// mounted under /api/office/v1. Each capability is a folder: identity
// (organisation, users, grants, login) today; documents, meetings,
// schedules and the department information platforms as they are built.
package officeapi

import (
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/identity/identityhttp"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// Deps is what the office API needs from the process.
type Deps struct {
	Store  store.Store
	Trail  *audit.Trail
	Tokens *auth.Tokens
	Policy identity.Policy
	Now    func() time.Time
	Logger *slog.Logger
}

// Service is the office API.
type Service struct {
	Identity *identity.Service
	deps     Deps
}

// New builds the office API.
func New(d Deps) *Service {
	return &Service{Identity: identity.New(d.Store, d.Trail, d.Tokens, d.Policy, d.Now), deps: d}
}

// Mount adds the office API's routes to app.
func (s *Service) Mount(app *fiber.App) {
	api := app.Group("/api/office/v1")
	identityhttp.Mount(api, s.Identity, s.deps.Tokens, s.deps.Trail)
}
