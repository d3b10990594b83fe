package openapi_test

import (
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"

	"zhengwu/shared/openapi"
)

// A described GET route answers HEAD too, as one mounted with Fiber's Get
// does (clients check a download's size and validators with HEAD).
func TestMountedGetAnswersHead(t *testing.T) {
	app := fiber.New()
	openapi.Mount(app.Group("/api"), []openapi.Route{
		{Op: openapi.Op{Method: "GET", Path: "/files/{id}"}, Handlers: []fiber.Handler{func(c *fiber.Ctx) error {
			return c.SendString(c.Params("id"))
		}}},
		{Op: openapi.Op{Method: "POST", Path: "/files"}, Handlers: []fiber.Handler{func(c *fiber.Ctx) error {
			return c.SendStatus(201)
		}}},
	})
	for _, c := range []struct {
		method, path string
		want         int
	}{{"GET", "/api/files/a1", 200}, {"HEAD", "/api/files/a1", 200}, {"POST", "/api/files", 201}, {"HEAD", "/api/files", 405}} {
		res, err := app.Test(httptest.NewRequest(c.method, c.path, nil))
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != c.want {
			t.Errorf("%s %s: %d, want %d", c.method, c.path, res.StatusCode, c.want)
		}
	}
}
