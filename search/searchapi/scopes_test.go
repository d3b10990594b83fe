package searchapi_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"zhengwu/search/searchapi"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// A process that needs only the office index (公文查询 without the search
// API) opens it alone: no portal index on disk, nothing portal indexed,
// and a portal query is a bad scope, not a crash.
func TestScopesOpenOnlyThoseIndexes(t *testing.T) {
	e := newEnv(t)
	e.save("p1", newPage("关于做好防汛工作的通知", "防汛"))
	e.deps = searchapi.Deps{Store: e.Store, DataDir: e.Dir, Projections: []source.Projection{pageProjection(nil)},
		Scopes: []string{source.OfficeName}}
	e.start()
	if e.svc.Index(source.PortalName) != nil || e.svc.Index(source.OfficeName) == nil {
		t.Fatal("the portal index is open, or the office index is not")
	}
	if _, err := os.Stat(filepath.Join(e.Dir, "index", "search-portal")); !os.IsNotExist(err) {
		t.Fatalf("a portal index on disk: %v", err)
	}
	p := &auth.Principal{UserID: "u1", Clearance: "非密"}
	_, err := e.svc.Search(context.Background(), p, searchapi.Request{Q: "防汛", Scope: source.PortalName})
	if pe := problem.As(err); pe == nil || pe.Status != 400 {
		t.Fatalf("a portal search: %v", err)
	}
	if _, err := e.svc.Find(context.Background(), p, searchapi.Find{Scope: source.OfficeName, Text: "防汛"}); err != nil {
		t.Fatalf("an office query: %v", err)
	}
	if _, err := searchapi.New(searchapi.Deps{Store: e.Store, DataDir: t.TempDir(), Scopes: []string{"all"}}); err == nil {
		t.Fatal("an unknown scope opened")
	}
}
