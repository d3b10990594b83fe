package analytics_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"zhengwu/search/analytics"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// The issue: anonymous portal readers' entries hold no identity — no
// address, no user, no session. Read back what the store holds after an
// anonymous search sent with an address, a cookie and a forwarded-for
// header, and after a signed-in one.
func TestAnonymousEntryHoldsNoIdentity(t *testing.T) {
	e := newEnv(t)
	e.save("p1", page{Title: "关于优化营商环境的若干措施", Body: "进一步优化营商环境"})
	anon := e.search("营商环境", "", "X-Forwarded-For", "203.0.113.77", "Cookie", "session=abc123secret", "User-Agent", "Mozilla/5.0 test-agent")
	staff := e.search("营商环境", e.Token(testkit.Principal("u-wang", classification.Feimi, []string{"xinxi"},
		testkit.Holds(auth.PermOfficeRead, "xinxi"))))
	if anon.LogID == "" || staff.LogID == "" || anon.LogID == staff.LogID {
		t.Fatalf("log ids: anonymous %q, staff %q", anon.LogID, staff.LogID)
	}
	e.flush()
	entries := e.stored(analytics.LogCollection)
	if len(entries) != 2 {
		t.Fatalf("entries stored: %d, want 2: %v", len(entries), entries)
	}
	allowed := []string{"id", "query", "scope", "results", "page", "at", "signedIn"}
	for _, en := range entries {
		for k := range en {
			if !slices.Contains(allowed, k) {
				t.Errorf("an entry holds %q: %v", k, en)
			}
		}
		raw := strings.ToLower(toJSON(en))
		for _, leak := range []string{"203.0.113.77", "0.0.0.0", "abc123", "u-wang", "mozilla", "test-agent"} {
			if strings.Contains(raw, leak) {
				t.Errorf("an entry holds %q: %v", leak, en)
			}
		}
		if en["query"] != "营商环境" || en["scope"] != "portal" || en["results"] != float64(1) || en["page"] != float64(1) {
			t.Errorf("entry %v: want 营商环境, portal, 1 result, page 1", en)
		}
	}
	byID := map[string]map[string]any{}
	for _, en := range entries {
		byID[en["id"].(string)] = en
	}
	if byID[anon.LogID]["signedIn"] != false || byID[staff.LogID]["signedIn"] != true {
		t.Errorf("signedIn: anonymous %v, staff %v", byID[anon.LogID]["signedIn"], byID[staff.LogID]["signedIn"])
	}
}

// A query is counted as people meant it: full-width, traditional and
// upper-case forms and extra spaces fold into one; an empty query
// (browsing by date) is not logged.
func TestNormaliseAndEmptyQuery(t *testing.T) {
	if got := analytics.Normalise("  發改委　ＡＢＣ  通知 "); got != "发改委 abc 通知" {
		t.Errorf("Normalise: %q", got)
	}
	e := newEnv(t)
	if id := e.log.Record(analytics.Entry{Query: "   ", Scope: "portal"}); id != "" {
		t.Errorf("an empty query was logged: %q", id)
	}
	if got := e.search("", "").LogID; got != "" {
		t.Errorf("browsing by date was logged: %q", got)
	}
}

// A click names a logged search; anything else is refused (400 naming
// logId) or, for an id of the right form that names no search, ignored
// when written.
func TestClicks(t *testing.T) {
	e := newEnv(t)
	e.save("p1", page{Title: "政府工作报告", Body: "2026年政府工作报告全文"})
	res := e.search("政府工作报告", "")
	testkit.Run(t, e.app,
		testkit.Scenario{Name: "a click on a logged search", Method: "POST", Path: "/api/search/v1/search/clicks",
			Body: map[string]any{"logId": res.LogID, "rank": 1}, Status: 204},
		testkit.Scenario{Name: "a second click (one counts)", Method: "POST", Path: "/api/search/v1/search/clicks",
			Body: map[string]any{"logId": res.LogID, "rank": 2}, Status: 204},
		testkit.Scenario{Name: "an id of the right form naming nothing", Method: "POST", Path: "/api/search/v1/search/clicks",
			Body: map[string]any{"logId": "0000000000000001-00000001", "rank": 1}, Status: 204},
		testkit.Scenario{Name: "not a log id", Method: "POST", Path: "/api/search/v1/search/clicks",
			Body: map[string]any{"logId": "../../etc", "rank": 1}, Status: 400, Code: "invalid", Field: "logId"},
		testkit.Scenario{Name: "rank below 1", Method: "POST", Path: "/api/search/v1/search/clicks",
			Body: map[string]any{"logId": res.LogID, "rank": 0}, Status: 400, Code: "invalid", Field: "rank"},
	)
	e.flush()
	clicks := e.stored(analytics.ClickCollection)
	if len(clicks) != 1 || clicks[0]["id"] != res.LogID || clicks[0]["rank"] != float64(1) {
		t.Fatalf("clicks stored: %v; want the first click on %s alone", clicks, res.LogID)
	}
}

// blockingStore is the real store whose PutAll waits until released: a
// store that has fallen behind.
type blockingStore struct {
	store.Store
	release chan struct{}
	once    sync.Once
}

func (b *blockingStore) PutAll(ctx context.Context, w []store.Write) ([]store.Doc, error) {
	<-b.release
	return b.Store.PutAll(ctx, w)
}

// When the store falls behind, a search does not wait: the log's queue is
// bounded and what does not fit is dropped and counted.
func TestFullQueueDropsAndCounts(t *testing.T) {
	env := testkit.New(t)
	bs := &blockingStore{Store: env.Store, release: make(chan struct{})}
	l := analytics.NewLog(bs, env.Log, env.Clock.Now)
	defer l.Close()
	defer bs.once.Do(func() { close(bs.release) })
	n := analytics.QueueSize + 2*analytics.BatchSize + 100
	start := time.Now()
	logged := 0
	for i := range n {
		if l.Record(analytics.Entry{Query: "公积金", Scope: source.PortalName, Results: uint64(i)}) != "" {
			logged++
		}
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("recording %d searches against a stalled store took %v", n, d)
	}
	if l.Dropped() == 0 || int64(logged)+l.Dropped() != int64(n) {
		t.Fatalf("logged %d, dropped %d, of %d", logged, l.Dropped(), n)
	}
	bs.once.Do(func() { close(bs.release) })
	if err := l.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	docs, err := env.Store.Scan(context.Background(), analytics.LogCollection, "", n)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != logged {
		t.Errorf("stored %d entries, logged %d", len(docs), logged)
	}
}
