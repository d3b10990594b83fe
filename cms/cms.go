// Package cms is the government information portal's headless content
// service (政务信息网), mounted under /api/portal/v1: channels, items and
// their editions, media, the delivery API and the management API. Its
// capabilities arrive with the portal CMS issue; today the package only
// reserves the route prefix so that `--target cms` is a real process.
package cms

import "github.com/gofiber/fiber/v2"

// Service is the portal content service.
type Service struct{}

// New builds the content service.
func New() *Service { return &Service{} }

// Mount adds the content service's routes to app.
func (s *Service) Mount(app *fiber.App) {
	app.Group("/api/portal/v1")
}
