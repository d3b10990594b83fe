// Package officeapi is the office business system's API (办公业务系统),
// mounted under /api/office/v1. Each capability is a folder: identity
// (organisation, users, grants, login) today; documents, meetings,
// schedules and the department information platforms as they are built.
package officeapi

import (
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi/apidoc"
	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/identity/identityhttp"
	"zhengwu/officeapi/info"
	"zhengwu/officeapi/info/infohttp"
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
	// IndexDir is where the department information platforms keep their
	// list index (e.g. <data>/index/office-info); "" means a temporary
	// directory, made by Start and removed by Close.
	IndexDir string
}

// Service is the office API.
type Service struct {
	Identity *identity.Service
	deps     Deps

	// Info is the department information platforms.
	Info *info.Service
}

// New builds the office API.
func New(d Deps) *Service {
	s := &Service{Identity: identity.New(d.Store, d.Trail, d.Tokens, d.Policy, d.Now), deps: d}
	s.Info = info.New(d.Store, d.Trail, d.Now, d.Logger, d.IndexDir)
	return s
}

// Start runs the office API's background work (the information
// platforms' index consumer) until Close.
func (s *Service) Start(ctx context.Context) error {
	return s.Info.Start(ctx)
}

// Close stops the background work and releases the indexes.
func (s *Service) Close() error {
	return s.Info.Close()
}

// Mount adds the office API's routes to app, with its OpenAPI document at
// /api/office/v1/openapi.json and a docs page at /api/office/v1/docs
// (public: each capability puts the token check on its own routes).
func (s *Service) Mount(app *fiber.App) {
	api := app.Group(apidoc.Base)
	identityhttp.Mount(api, s.Identity, s.deps.Tokens, s.deps.Trail)
	infohttp.Mount(api, s.Info, s.deps.Tokens)
	apidoc.Mount(api)
}
