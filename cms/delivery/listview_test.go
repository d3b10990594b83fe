package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhengwu/cms/channel"
	"zhengwu/cms/item"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// viewEnv is a delivery service over a store filled with varied items:
// every status, internal and public, policies with one or two issuers,
// and dates and titles that tie, so that the id tie-break shows.
type viewEnv struct {
	k   *testkit.Env
	svc *Service
	dir string
}

var viewChannels = []string{"news", "files-provincial-government", "files-general-office", "files-interpretation",
	"leader-wang-speeches", "library-drc"}

func newViewEnv(t *testing.T, n int) *viewEnv {
	t.Helper()
	k := testkit.New(t)
	ctx := context.Background()
	if _, err := channel.Seed(ctx, k.Store); err != nil {
		t.Fatal(err)
	}
	e := &viewEnv{k: k, dir: filepath.Join(k.Dir, "portal_items")}
	e.open(t)
	r := rand.New(rand.NewPCG(7, 11))
	base := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	var writes []store.Write
	for i := range n {
		it := item.Item{ID: fmt.Sprintf("v%04d", i), Type: channel.TypeArticle, Channel: viewChannels[r.IntN(len(viewChannels))],
			Department: []string{"xinxi", "zonghe"}[r.IntN(2)], Visibility: channel.Public,
			Title:  []string{"关于数字政府建设的通知", "政务要闻", "乡村振兴工作取得新进展", "Annual report"}[r.IntN(4)],
			Status: item.StatusPublished, Edition: 1,
			// A few dozen distinct instants for hundreds of items: ties.
			PublishedAt: base.Add(time.Duration(r.IntN(40)) * 36 * time.Hour).In(chinaTime),
		}
		it.UpdatedAt = it.PublishedAt.Add(time.Duration(r.IntN(3)) * time.Hour)
		it.Path = it.Channel + "/" + it.ID
		if r.IntN(3) == 0 {
			it.Summary = "摘要" + strconv.Itoa(i)
		}
		switch r.IntN(10) {
		case 0:
			it.Status, it.Withdrawal = item.StatusWithdrawn, &item.Notice{Reason: "过时", At: it.PublishedAt}
		case 1:
			it.Visibility = channel.Internal
		case 2:
			it.Status, it.RedirectTo = item.StatusRedirected, "/news/x"
		}
		if it.Channel != "news" && r.IntN(2) == 0 {
			it.Type = channel.TypePolicy
			it.Policy = &item.Policy{DocNumber: fmt.Sprintf("皖政〔2025〕%d号", i), Genre: []string{"通知", "意见"}[r.IntN(2)],
				Issuers: []string{"省人民政府"}, Validity: item.Validities[r.IntN(len(item.Validities))]}
			if r.IntN(2) == 0 {
				it.Policy.Issuers = append(it.Policy.Issuers, "省财政厅")
			}
		}
		if it.Channel == "leader-wang-speeches" {
			it.Type, it.Leader = channel.TypeSpeech, &item.Leader{Name: "王建国"}
		}
		data, _ := json.Marshal(it)
		writes = append(writes, store.Write{Collection: item.Collection, ID: it.ID, Data: data, ExpectVersion: store.AnyVersion})
	}
	if _, err := k.Store.PutAll(ctx, writes); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *viewEnv) open(t *testing.T) {
	t.Helper()
	tree, err := channel.Load(context.Background(), e.k.Store)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := New(Deps{Store: e.k.Store, Channels: tree, IndexDir: e.dir, Logger: e.k.Log})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	t.Cleanup(func() { _ = svc.Close() })
}

// randomQuery is a list a reader might ask for: any sort, page, size and
// filter the API takes.
func randomQuery(r *rand.Rand) ListQuery {
	var q ListQuery
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	q.Channel = pick("", "", "news", "files", "files-general-office", "leader-wang-speeches")
	if r.IntN(4) == 0 {
		q.Type = pick("article", "policy", "speech")
	}
	if r.IntN(5) == 0 {
		q.Genre = pick("通知", "意见")
	}
	if r.IntN(5) == 0 {
		q.Issuer = pick("省人民政府", "省财政厅")
	}
	if r.IntN(5) == 0 {
		q.Department = pick("xinxi", "zonghe")
	}
	if r.IntN(5) == 0 {
		q.Validity = pick(item.Validities...)
	}
	if r.IntN(6) == 0 {
		y := 2025 + r.IntN(2)
		q.Year = &y
	}
	q.Status = pick("", "", "withdrawn", "published,withdrawn")
	if r.IntN(4) == 0 {
		q.From = pick("2025-06-10", "2025-07-01")
	}
	if r.IntN(4) == 0 {
		q.To = pick("2025-07-01", "2025-08-15")
	}
	q.Sort = pick("", "-publishedAt", "publishedAt", "title", "-updatedAt")
	size := pick("1", "3", "7", "20")
	n, _ := strconv.Atoi(size)
	q.Size = &n
	if r.IntN(3) == 0 {
		p := 1 + r.IntN(4)
		q.Page = &p
	}
	return q
}

// followPages is how many pages after the first the comparisons follow
// by cursor (enough to cross ties and filters; more only costs time).
const followPages = 4

// oracle answers the list by brute force, independently of the view:
// every portal item in the store, projected as the index and the view
// project it (indexDoc), filtered and sorted field by field; the ids of
// the page, the total, and the ids of the followPages pages after it (as
// a client following cursors sees them).
func oracle(t *testing.T, items []projected, q ListQuery, signedIn bool) (page []string, total uint64, rest []string) {
	t.Helper()
	statuses, err := parseStatuses(q.Status)
	if err != nil {
		t.Fatal(err)
	}
	shown := listingTerms(statuses, signedIn)
	has := func(v any, want string) bool { return slices.Contains(strings2(v), want) }
	var from, to time.Time
	if q.From != "" {
		from, _ = time.ParseInLocation(time.DateOnly, q.From, chinaTime)
	}
	if q.To != "" {
		to, _ = time.ParseInLocation(time.DateOnly, q.To, chinaTime)
		to = to.AddDate(0, 0, 1)
	}
	var ms []projected
	for _, m := range items {
		f := m.f
		if !slices.Contains(shown, f[fListing].(string)) {
			continue
		}
		ok := true
		for _, c := range []struct{ v, field string }{{q.Channel, fChannels}, {q.Type, fType}, {q.Genre, fGenre},
			{q.Issuer, fIssuers}, {q.Department, fDepartment}, {q.Validity, fValidity}} {
			ok = ok && (c.v == "" || has(f[c.field], c.v))
		}
		at := f[fPublishedAt].(time.Time)
		ok = ok && (q.Year == nil || at.In(chinaTime).Year() == *q.Year)
		ok = ok && (from.IsZero() || !at.Before(from)) && (to.IsZero() || at.Before(to))
		if ok {
			ms = append(ms, m)
		}
	}
	sortField, desc := map[string]string{"": fPublishedAt, "-publishedAt": fPublishedAt, "publishedAt": fPublishedAt,
		"title": fTitleSort, "-updatedAt": fUpdatedAt}[q.Sort], strings.HasPrefix(q.Sort, "-") || q.Sort == ""
	slices.SortFunc(ms, func(a, b projected) int {
		var c int
		switch va := a.f[sortField].(type) {
		case time.Time:
			c = va.Compare(b.f[sortField].(time.Time))
		case string:
			c = strings.Compare(va, b.f[sortField].(string))
		}
		if desc {
			c = -c
		}
		if c == 0 {
			c = strings.Compare(a.id, b.id)
		}
		return c
	})
	off := 0
	if q.Page != nil {
		off = (*q.Page - 1) * *q.Size
	}
	ids := func(lo, hi int) (out []string) {
		for _, m := range ms[min(lo, len(ms)):min(hi, len(ms))] {
			out = append(out, m.id)
		}
		return out
	}
	page = ids(off, off+*q.Size)
	if len(page) == *q.Size {
		rest = ids(off+*q.Size, off+*q.Size*(1+followPages))
	}
	return page, uint64(len(ms)), rest
}

// projected is a stored portal item as indexDoc projects it.
type projected struct {
	id string
	f  map[string]any
}

// storedItems are every portal item the store holds, projected.
func storedItems(t *testing.T, s *Service) []projected {
	t.Helper()
	var out []projected
	for after := ""; ; {
		docs, err := s.store.Scan(context.Background(), item.Collection, after, 500)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			if f, ok := s.indexDoc(d); ok {
				out = append(out, projected{d.ID, f})
			}
		}
		if len(docs) < 500 {
			return out
		}
		after = docs[len(docs)-1].ID
	}
}

// viewList answers the list from the view, following its cursors too.
func viewList(t *testing.T, s *Service, q ListQuery, signedIn bool) (page []string, total uint64, rest []string) {
	t.Helper()
	var p *Page
	get := func(q ListQuery) Page {
		var pr *auth.Principal
		if signedIn {
			p := testkit.Principal("u1", classification.Feimi, nil)
			pr = &p
		}
		body, err := s.List(context.Background(), pr, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		var out Page
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	first := get(q)
	p = &first
	for _, it := range p.Items {
		page = append(page, it.ID)
	}
	q.Page = nil
	for next, n := p.Next, 0; next != "" && n < followPages; n++ {
		q.Cursor = next
		more := get(q)
		for _, it := range more.Items {
			rest = append(rest, it.ID)
		}
		next = more.Next
	}
	return page, first.Total, rest
}

// The view answers every list as a brute-force filter and sort of the
// stored items does: the same page, total and pages after it, for any
// filter, sort, page and size, anonymous or signed in.
func TestViewAnswersAsBruteForce(t *testing.T) {
	t.Parallel()
	e := newViewEnv(t, 400)
	r := rand.New(rand.NewPCG(1, 2))
	items := storedItems(t, e.svc)
	for i := range 200 {
		q := randomQuery(r)
		signedIn := i%2 == 0
		wp, wt, wr := oracle(t, items, q, signedIn)
		gp, gt, gr := viewList(t, e.svc, q, signedIn)
		if !slices.Equal(gp, wp) || gt != wt || !slices.Equal(gr, wr) {
			t.Fatalf("query %+v (signed in %v):\nview  %v total %d then %v\nwant  %v total %d then %v", q, signedIn, gp, gt, gr, wp, wt, wr)
		}
	}
}

// A restarted service loads its view from the store; its lists are byte
// for byte those of the view the feed built.
func TestViewLoadedOnStartAnswersAsMirrored(t *testing.T) {
	t.Parallel()
	e := newViewEnv(t, 150)
	fields := "id,type,channel,department,path,visibility,status,title,summary,cover,publishedAt,updatedAt,policy,leader"
	r := rand.New(rand.NewPCG(3, 4))
	var qs []ListQuery
	for range 40 {
		q := randomQuery(r)
		q.Fields = fields
		qs = append(qs, q)
	}
	p := testkit.Principal("u1", classification.Feimi, nil)
	reader := &p
	answers := make([][]byte, len(qs))
	for i, q := range qs {
		body, err := e.svc.List(context.Background(), reader, q)
		if err != nil {
			t.Fatal(err)
		}
		answers[i] = body
	}
	if err := e.svc.Close(); err != nil {
		t.Fatal(err)
	}
	e.open(t)
	for i, q := range qs {
		body, err := e.svc.List(context.Background(), reader, q)
		if err != nil {
			t.Fatal(err)
		}
		if string(body) != string(answers[i]) {
			t.Fatalf("query %+v after a restart:\n%s\nbefore:\n%s", q, body, answers[i])
		}
	}
}

// A deleted item leaves the lists (a deletion never passes through
// project: the view learns it from the mirrored batch).
func TestViewDropsDeletedItems(t *testing.T) {
	t.Parallel()
	e := newViewEnv(t, 60)
	size := 100
	q := ListQuery{Size: &size, Status: "published,withdrawn"}
	before, total, _ := viewList(t, e.svc, q, true)
	if len(before) == 0 {
		t.Fatal("nothing listed")
	}
	gone := before[0]
	if _, err := e.k.Store.Delete(context.Background(), item.Collection, gone, store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	after, total2, _ := viewList(t, e.svc, q, true)
	if slices.Contains(after, gone) || total2 != total-1 {
		t.Fatalf("after deleting %s: total %d → %d, %v", gone, total, total2, after)
	}
}

// A list of the default fields joins each entry's summary encoded once;
// it is byte for byte the list that fills and encodes the same fields
// (asked for under another name: leader.name for leader).
func TestDefaultFieldsJoinedAsEncoded(t *testing.T) {
	t.Parallel()
	e := newViewEnv(t, 200)
	p := testkit.Principal("u1", classification.Feimi, nil)
	other := slices.Clone(defaultFields)
	other[slices.Index(other, "leader")] = "leader.name"
	r := rand.New(rand.NewPCG(5, 6))
	for range 60 {
		q := randomQuery(r)
		if r.IntN(2) == 0 {
			q.Fields = "id," + strings.Join(defaultFields, ",")
		}
		fast, err := e.svc.List(context.Background(), &p, q)
		if err != nil {
			t.Fatal(err)
		}
		q.Fields = strings.Join(other, ",")
		slow, err := e.svc.List(context.Background(), &p, q)
		if err != nil {
			t.Fatal(err)
		}
		if string(fast) != string(slow) {
			t.Fatalf("query %+v:\njoined  %s\nencoded %s", q, fast, slow)
		}
	}
}

// A batch that deletes items from one channel and adds one to another
// channel: the other channel's list had fewer entries than the batch
// deletes (it panicked once, sizing its list by the batch's deletions).
func TestViewDeletesElsewhereWhileAChannelGains(t *testing.T) {
	lv := newListView()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	item := func(id, channel string, day int) *entry {
		e := probeEntry(id, "")
		e.channels, e.published = listSymbol([]string{channel}), at.AddDate(0, 0, day).UnixNano()
		return e
	}
	lv.update([]*entry{item("a", "news", 0), item("b", "news", 1), item("c", "news", 2)}, nil, nil)
	lv.update([]*entry{item("d", "policy", 3)}, nil, []string{"a", "b", "c"})

	v := lv.cur.Load()
	for i := range listOrders {
		if got := len(v.orders[i]); got != 1 || v.cells[v.orders[i][0]].e.id() != "d" {
			t.Fatalf("order %d holds %d entries, want only d", i, got)
		}
		if _, ok := v.byChannel[i]["news"]; ok {
			t.Errorf("order %d: the emptied channel news still has a list", i)
		}
		if got := v.byChannel[i]["policy"]; len(got) != 1 || v.cells[got[0]].e.id() != "d" {
			t.Errorf("order %d: policy holds %v, want d", i, got)
		}
	}
}

// An entry keeps its encoded summary when a list's first positions show
// it, not when a deep page or a cursor's page does (a crawler walking
// every list would otherwise leave it on every entry), and the deep page
// is the same JSON either way.
func TestDeepPagesKeepNoEncodedSummaries(t *testing.T) {
	t.Parallel()
	e := newViewEnv(t, 300)
	p := testkit.Principal("u1", classification.Feimi, nil)
	ctx := context.Background()
	size := 20
	page := func(q ListQuery) (ids []string, next string, body string) {
		t.Helper()
		q.Size = &size
		b, err := e.svc.List(ctx, &p, q)
		if err != nil {
			t.Fatal(err)
		}
		var out struct {
			Items []struct{ ID string }
			Next  string
		}
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		for _, it := range out.Items {
			ids = append(ids, it.ID)
		}
		return ids, out.Next, string(b)
	}
	kept := func(ids []string) (n int) {
		for _, id := range ids {
			if e.svc.view.byID[id].encoded.Load() != nil {
				n++
			}
		}
		return n
	}
	deep := 7 // positions 120–139
	deepIDs, _, deepBody := page(ListQuery{Page: &deep})
	if len(deepIDs) != size || kept(deepIDs) != 0 {
		t.Fatalf("a deep page: %d entries, %d kept their JSON", len(deepIDs), kept(deepIDs))
	}
	first, next, _ := page(ListQuery{})
	if kept(first) != len(first) || len(first) != size {
		t.Fatalf("the first page: %d of %d entries kept their JSON", kept(first), len(first))
	}
	after, _, _ := page(ListQuery{Cursor: next})
	if kept(after) != 0 {
		t.Fatalf("a cursor's page: %d entries kept their JSON", kept(after))
	}
	// The same deep page, asked for again under another cache key (the
	// fields named), is the same JSON.
	again, _, body := page(ListQuery{Page: &deep, Fields: "id," + strings.Join(defaultFields, ",")})
	if !slices.Equal(again, deepIDs) || body != deepBody {
		t.Fatalf("the deep page differs when asked again:\n%s\n%s", deepBody, body)
	}
}
