package delivery_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/valyala/fasthttp"

	"zhengwu/cms/channel"
	"zhengwu/cms/delivery"
	"zhengwu/cms/delivery/deliveryhttp"
	"zhengwu/cms/item"
	"zhengwu/shared/httpx"
	"zhengwu/shared/openapi"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// The list path the portal's pages ask for, answered by the index (each
// request a list-cache miss) and from the cache: a quicker gauge than the
// load test (make bench-portal) for a change to the list query. 20,000
// news items ten minutes apart up to now, one in fifty withdrawn.
const benchItems = 20000

// benchSetup fills a store and an index (kept until the parent benchmark
// ends) and returns a GET that answers the status (through app.Test, as a
// client sees it) and the application's handler (what the server spends).
func benchSetup(b *testing.B) (func(path string) int, fasthttp.RequestHandler) {
	b.Helper()
	ctx := context.Background()
	k := testkit.New(b)
	tree, err := channel.Seed(ctx, k.Store)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	var writes []store.Write
	flush := func() {
		if _, err := k.Store.PutAll(ctx, writes); err != nil {
			b.Fatal(err)
		}
		writes = writes[:0]
	}
	for i := range benchItems {
		at := now.Add(-time.Duration(benchItems-i) * 10 * time.Minute)
		it := item.Item{ID: fmt.Sprintf("it%06d", i), Type: channel.TypeArticle, Channel: "news", Department: "xinxi",
			Path: fmt.Sprintf("news/it%06d", i), Visibility: channel.Public, Title: fmt.Sprintf("政务要闻%06d", i),
			Summary: "摘要", Status: item.StatusPublished, Edition: 1, PublishedAt: at, UpdatedAt: at}
		if i%50 == 7 {
			it.Status, it.Withdrawal = item.StatusWithdrawn, &item.Notice{Reason: "过时", At: at}
		}
		data, _ := json.Marshal(it)
		writes = append(writes, store.Write{Collection: item.Collection, ID: it.ID, Data: data, ExpectVersion: store.AnyVersion})
		if len(writes) == 500 {
			flush()
		}
	}
	if len(writes) > 0 {
		flush()
	}
	svc, err := delivery.New(delivery.Deps{Store: k.Store, Channels: tree,
		IndexDir: filepath.Join(k.Dir, "index"), Logger: k.Log, FeedBatchSize: 5000})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = svc.Close() })
	if err := svc.CatchUp(ctx); err != nil {
		b.Fatal(err)
	}
	app := httpx.NewApp(httpx.Options{Logger: k.Log, Registry: prometheus.NewRegistry()})
	openapi.Mount(app.Group("/api/portal/v1"), deliveryhttp.Routes(svc, k.Tokens))
	return func(path string) int {
		resp, err := app.Test(httptest.NewRequest("GET", path, nil), -1)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		return resp.StatusCode
	}, app.Handler()
}

// missFields is a ?fields= that selects the default fields in an order
// of its own for each i: a list-cache miss that costs what the default
// list costs. (An unknown parameter is no miss: lists are cached by the
// parameters they read.)
func missFields(i int) string {
	fields := []string{"type", "channel", "department", "path", "visibility", "status", "title", "summary",
		"cover", "publishedAt", "updatedAt", "policy", "leader"}
	r := rand.New(rand.NewPCG(uint64(i), 7))
	r.Shuffle(len(fields), func(a, b int) { fields[a], fields[b] = fields[b], fields[a] })
	return strings.Join(fields, ",")
}

func BenchmarkList(b *testing.B) {
	get, handler := benchSetup(b)
	for _, bc := range []struct{ name, path string }{
		// The home page's column and a channel's first page, newest first.
		{"newest/miss", "/api/portal/v1/items?channel=news&size=20&fields="},
		{"newest/cached", "/api/portal/v1/items?channel=news&size=20"},
		// A full sort over the channel.
		{"by-title/miss", "/api/portal/v1/items?channel=news&size=20&sort=title&fields="},
		// A deep page of a year, by update time: nothing narrows the walk
		// but the channel.
		// Pages past the first ones, of the default fields (their entries'
		// JSON is encoded for the page, not kept: entry.json).
		{"deep-page/miss", "/api/portal/v1/items?channel=news&deep"},
		{"year-page-50/miss", "/api/portal/v1/items?channel=news&size=20&sort=-updatedAt&page=50&year=" +
			strconv.Itoa(time.Now().Year()) + "&fields="},
	} {
		b.Run(bc.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				path := bc.path
				if path[len(path)-1] == '=' {
					i++
					path += missFields(i)
				}
				if strings.HasSuffix(path, "&deep") {
					// Another page and size each time: a miss, as a
					// crawler's walk is.
					i++
					path = fmt.Sprintf("%s=%d&page=%d", strings.TrimSuffix(path, "&deep")+"&size", 20+i%7, 6+(i/7)%900)
				}
				if code := get(path); code != 200 {
					b.Fatalf("%s: %d", path, code)
				}
			}
		})
	}
	// What the server itself spends on the two answers readers mostly get
	// (a cached list page and a cached item), middleware included, without
	// app.Test's client side.
	for _, bc := range []struct{ name, path string }{
		{"server/list-cached", "/api/portal/v1/items?channel=news&size=20"},
		{"server/item-cached", "/api/portal/v1/items/it019990"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var fctx fasthttp.RequestCtx
			if code := get(bc.path); code != 200 { // fills the cache
				b.Fatalf("%s: %d", bc.path, code)
			}
			for b.Loop() {
				fctx.Request.Reset()
				fctx.Response.Reset()
				fctx.Request.SetRequestURI(bc.path)
				handler(&fctx)
				if code := fctx.Response.StatusCode(); code != 200 {
					b.Fatalf("%s: %d", bc.path, code)
				}
			}
		})
	}
}
