package officialdoc_test

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/workcal"
	"zhengwu/search/searchapi"
	"zhengwu/search/source"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// corpus holds real Chinese government text (titles and bodies) for the
// benchmark's documents.
const corpus = "/work/shared/data/search-dev/corpus.jsonl.gz"

const benchDocs = 10000

// BenchmarkSearch is 公文查询 on 10k documents (real titles and bodies,
// 10% 秘密 with a need-to-know list, a third processing with holders and
// deadlines, two in five numbered): words, a 文号, filters with overdue,
// each a page of 20 with both facets and the hits read again from the
// store, as a department member cleared for 秘密. Each reports its time
// as a multiple of the plain list-index query (GET /documents by 文种,
// a page of 20) measured in the same run (×list).
func BenchmarkSearch(b *testing.B) {
	if _, err := os.Stat(corpus); err != nil {
		b.Skip("no corpus at " + corpus)
	}
	k := testkit.New(b)
	ctx := context.Background()
	now := time.Date(2026, 3, 16, 2, 0, 0, 0, time.UTC)
	k.Clock.Set(now)
	seed(b, k.Store, now)

	cal, err := workcal.New(workcal.Config{})
	if err != nil {
		b.Fatal(err)
	}
	svc, err := officialdoc.New(officialdoc.Deps{Deps: records.Deps{Store: k.Store, Trail: k.Trail, Now: k.Clock.Now, Log: k.Log,
		IndexDir: filepath.Join(k.Dir, "officialdoc")}, Calendar: cal,
		Holders: func(context.Context, identity.HolderQuery) ([]string, error) { return nil, nil },
		Account: func(context.Context, string) (identity.User, error) { return identity.User{}, nil }})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := svc.Start(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { svc.Close() })
	search, err := searchapi.New(searchapi.Deps{Store: k.Store, DataDir: filepath.Join(k.Dir, "search"), Logger: k.Log,
		Projections: []source.Projection{officialdoc.SearchProjection(officialdoc.SearchDeps{})}})
	if err != nil {
		b.Fatal(err)
	}
	if err := search.Start(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { search.Close() })
	b.Logf("%d documents indexed (list and search) in %s", benchDocs, time.Since(start).Round(time.Millisecond))
	q := officialdoc.NewSearch(svc, search)
	p := &auth.Principal{UserID: "u7", Name: "陈晓燕", Clearance: classification.Mimi, Departments: []string{"mishu2"}}

	list := func() {
		page, err := svc.List(ctx, p, officialdoc.ListQuery{DocType: "通知"})
		if err != nil || len(page.Items) == 0 {
			b.Fatalf("list: %d %v", len(page.Items), err)
		}
	}
	for range 50 { // warm both indexes' caches
		list()
		if _, err := q.Find(ctx, p, officialdoc.SearchQuery{DocType: "通知"}); err != nil {
			b.Fatal(err)
		}
	}
	// Each round runs the list query and then the search, timing each:
	// on a shared machine the ratio of the two holds where either time
	// alone wanders.
	run := func(name string, sq officialdoc.SearchQuery) {
		b.Run(name, func(b *testing.B) {
			res, err := q.Find(ctx, p, sq)
			if err != nil || len(res.Items) == 0 {
				b.Fatalf("%+v: %d hits, %v", sq, len(res.Items), err)
			}
			var listed, searched time.Duration
			for b.Loop() {
				t0 := time.Now()
				list()
				t1 := time.Now()
				if _, err := q.Find(ctx, p, sq); err != nil {
					b.Fatal(err)
				}
				listed, searched = listed+t1.Sub(t0), searched+time.Since(t1)
			}
			b.ReportMetric(float64(searched.Microseconds())/float64(b.N), "search-µs")
			b.ReportMetric(float64(listed.Microseconds())/float64(b.N), "list-µs")
			b.ReportMetric(float64(searched)/float64(listed), "×list")
		})
	}
	run("filter", officialdoc.SearchQuery{DocType: "通知"})
	run("words", officialdoc.SearchQuery{Q: "经济发展"})
	run("two-words", officialdoc.SearchQuery{Q: "安全 生产"})
	run("docnumber", officialdoc.SearchQuery{Q: "皖政办[2026]125号"})
	run("overdue", officialdoc.SearchQuery{Overdue: true, State: officialdoc.StateProcessing})
}

// seed writes benchDocs documents straight into the store (the query is
// measured, not the flow): realistic fields and access.
func seed(b *testing.B, st store.Store, now time.Time) {
	b.Helper()
	f, err := os.Open(corpus)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	type text struct{ Title, Body string }
	var texts []text
	sc := bufio.NewScanner(gz)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		var t text
		if json.Unmarshal(sc.Bytes(), &t) == nil && t.Title != "" {
			if r := []rune(t.Body); len(r) > 600 {
				t.Body = string(r[:600])
			}
			texts = append(texts, t)
		}
	}
	depts := []string{"mishu1", "mishu2", "zonghe", "xinxi", "ducha"}
	states := []string{officialdoc.StateDraft, officialdoc.StateProcessing, officialdoc.StateProcessing, officialdoc.StateCompleted, officialdoc.StateProcessing}
	var writes []store.Write
	for i := range benchDocs {
		t := texts[i%len(texts)]
		id := fmt.Sprintf("doc-%05d", i)
		d := officialdoc.Document{ID: id, Direction: []string{officialdoc.Outgoing, officialdoc.Incoming}[i%2],
			DocType: officialdoc.DocTypes[i%len(officialdoc.DocTypes)], Classification: classification.Feimi,
			Issuer: "安徽省人民政府办公厅", IssuerCode: "皖政办", Title: t.Title, MainTo: []string{"各市人民政府"},
			Body: "<p>" + t.Body + "</p>", Department: depts[i%len(depts)], Drafter: fmt.Sprintf("u%d", i%50),
			State: states[i%len(states)], CreatedAt: now.Add(-time.Duration(i) * time.Hour), UpdatedAt: now.Add(-time.Duration(i) * time.Minute)}
		if i%10 == 3 {
			d.Classification, d.SecrecyPeriod, d.Knowers = classification.Mimi, "1年", []string{fmt.Sprintf("u%d", i%30)}
		}
		if i%5 == 1 || i%5 == 3 {
			d.DocNumber = fmt.Sprintf("皖政办〔2026〕%d号", i/5+1)
		}
		if d.State == officialdoc.StateProcessing {
			holder := fmt.Sprintf("u%d", (i+1)%50)
			d.Holders, d.Handlers = []string{holder}, []string{holder}
			d.Tasks = []officialdoc.Task{{ID: id + ".t1", DocumentID: id, Node: "review", NodeName: "审核", Assignee: holder,
				OpenedAt: d.CreatedAt, Due: d.CreatedAt.Add(48 * time.Hour)}}
		}
		data, err := json.Marshal(d)
		if err != nil {
			b.Fatal(err)
		}
		writes = append(writes, store.Write{Collection: officialdoc.Collection, ID: id, Data: data})
		if len(writes) == 500 || i == benchDocs-1 {
			if _, err := st.PutAll(context.Background(), writes); err != nil {
				b.Fatal(err)
			}
			writes = writes[:0]
		}
	}
}
