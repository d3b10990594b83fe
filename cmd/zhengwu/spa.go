package main

import (
	"io/fs"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"zhengwu/frontend"
	"zhengwu/shared/problem"
)

const notBuilt = `<!doctype html><meta charset="utf-8"><title>政务</title>
<p>前端尚未构建。请在仓库根目录运行 <code>make run</code>（或先 <code>make frontend</code>）。</p>
<p>The front end has not been built: run <code>make run</code> (or <code>make frontend</code>) from the repository root.</p>`

// mountSPA serves the embedded SPA with history-mode fallback: any GET
// that is not an API, ops or asset path gets index.html, so deep links
// and reloads work. Hashed assets are cached for a year; index.html never.
// A missing asset is a 404 problem (paths with . or .. segments and
// unknown methods are refused before routing, by httpx).
func mountSPA(app *fiber.App) {
	dist := frontend.Dist()
	index, err := fs.ReadFile(dist, "index.html")
	if err != nil {
		index = []byte(notBuilt)
	}
	app.Use("/assets", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
		return c.Next()
	}, filesystem.New(filesystem.Config{Root: http.FS(dist), PathPrefix: "assets"}), func(c *fiber.Ctx) error {
		// No such asset: a problem, not the SPA page, and not cached.
		c.Response().Header.Del(fiber.HeaderCacheControl)
		return problem.NotFound("文件不存在", "no such file")
	})
	app.Use(func(c *fiber.Ctx) error {
		p := c.Path()
		// /metrics is served on --metrics-addr only; here it is no page.
		if strings.HasPrefix(p, "/api/") || p == "/metrics" || c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
			return problem.NotFound("接口不存在", "no such route")
		}
		// A static file at the root (favicon.ico, robots.txt).
		if name := strings.TrimPrefix(p, "/"); name != "" && !strings.Contains(name, "/") {
			if data, err := fs.ReadFile(dist, name); err == nil && name != "index.html" {
				c.Type(fileExt(name))
				return c.Send(data)
			}
		}
		c.Set(fiber.HeaderCacheControl, "no-cache")
		c.Type("html", "utf-8")
		return c.Send(index)
	})
}

func fileExt(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i+1:]
	}
	return ""
}
