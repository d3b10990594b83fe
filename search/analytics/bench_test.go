package analytics_test

import (
	"fmt"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/gofiber/fiber/v2"

	"zhengwu/search/analytics"
	"zhengwu/search/searchapi"
	"zhengwu/search/searchapi/searchhttp"
	"zhengwu/shared/httpx"
	"zhengwu/shared/openapi"
)

// BenchmarkSearch is a portal search through the API with and without the
// query log, on one index of 300 pages: the log must not slow the answer
// (compare logged/unlogged ns/op in the same run), and Record's own cost.
//
//	go test -run '^$' -bench BenchmarkSearch -count 3 ./analytics/
func BenchmarkSearch(b *testing.B) {
	e := newEnv(b)
	for i := range 300 {
		e.save(fmt.Sprintf("p%03d", i), page{Title: fmt.Sprintf("关于优化营商环境的第%d项措施", i), Body: "进一步优化营商环境，提升政务服务水平"})
	}
	plain := httpx.NewApp(httpx.Options{Logger: e.Log})
	openapi.Mount(plain.Group(searchapi.Prefix), searchhttp.Routes(e.svc, e.Tokens))
	logged := httpx.NewApp(httpx.Options{Logger: e.Log})
	openapi.Mount(logged.Group(searchapi.Prefix), searchhttp.LoggedRoutes(e.svc, e.Tokens, analytics.Searches{Log: e.log}))
	path := searchapi.Prefix + "/search?q=" + url.QueryEscape("营商环境 政务服务")
	run := func(app *fiber.App) func(b *testing.B) {
		return func(b *testing.B) {
			for b.Loop() {
				resp, err := app.Test(httptest.NewRequest("GET", path, nil), -1)
				if err != nil || resp.StatusCode != 200 {
					b.Fatal(err, resp.StatusCode)
				}
				resp.Body.Close()
			}
		}
	}
	b.Run("unlogged", run(plain))
	b.Run("logged", run(logged))
	// What the log adds to a search's answer by itself: Record (normalise,
	// id, a non-blocking send), the writing done in the background.
	b.Run("record", func(b *testing.B) {
		for b.Loop() {
			e.log.Record(analytics.Entry{Query: "营商环境 政务服务", Scope: "portal", Results: 300})
		}
	})
	b.ReportMetric(float64(e.log.Dropped()), "dropped")
}
