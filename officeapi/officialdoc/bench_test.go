package officialdoc_test

// The 公文 benchmarks at the issue's scale (#11 "Done when"): the desktop
// over real HTTP at 64 connections beside a bare Fiber handler, workflow
// steps through Service.Act, and 登记编号, on the embedded SQLite store
// holding a seeded office.
//
//	make bench-officialdoc   # 100k documents: BENCH_DOCS=… for another size
//	ZHENGWU_BENCH_DOCS=100000 go test -run '^$' -bench Desktop -benchtime 3000x ./officeapi/officialdoc/
//
// The seed (ZHENGWU_BENCH_DOCS documents, 10000 unless set) is the default
// 发文 flow run by the engine (workflow.Apply) for each document, 80% to
// the end and 20% stopped at a node, written with its instance through
// the store in batches, with 500 accounts and the list index built from
// the change feed as the server builds it. It is built once into
// $TMPDIR/zhengwu-officialdoc-seed-v1-<docs> (ZHENGWU_BENCH_SEED_DIR to
// put it elsewhere) and copied for each run: delete that directory to
// seed again. Seeding 100k documents takes about three minutes on two
// busy cores and 2 GB of disk. Act and Numbering use each seeded open
// task once: ask no more steps than the seed has (-benchtime 800x at
// 100k documents).
//
// Wall-clock figures depend on what else runs on the machine; each
// benchmark also reports the process's CPU time per operation.

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"zhengwu/officeapi"
	"zhengwu/officeapi/demo"
	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/desktop/desktophttp"
	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/officialdoc/officialdochttp"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/workcal"
	"zhengwu/officeapi/workflow"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/httpx"
	"zhengwu/shared/kek"
	"zhengwu/shared/openapi"
	"zhengwu/shared/store"
	"zhengwu/shared/store/sqlitestore"
	"zhengwu/shared/testkit"
)

// benchNow is the benchmark's clock: the seed's flows ran up to it, so
// that some open tasks are overdue and some are not.
var benchNow = time.Date(2026, 6, 1, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

const (
	seedUsers    = 500
	benchPrefix  = "皖政办" // the issuer code the numbering benchmark registers under
	seededPrefix = "皖政秘" // the issuer code of the seed's numbered documents
	seedFile     = "zhengwu.db"
	seedIndex    = "office-officialdoc"
	seedTasks    = "tasks.json" // the open tasks, for the benchmarks to act on
)

// openTask is one open task of the seed.
type openTask struct {
	ID       string `json:"id"`
	Assignee string `json:"assignee"`
	Node     string `json:"node"`
}

// bench is the seeded office a process's benchmarks share.
type bench struct {
	store   store.Store
	svc     *officialdoc.Service
	ids     *identity.Service
	tokens  *auth.Tokens
	url     string // the office API over loopback HTTP
	users   []string
	tokenOf map[string]string
	mu      sync.Mutex
	princ   map[string]*auth.Principal
	tasks   map[string][]openTask // open tasks by node, each on its own document
	docs    int
}

var (
	benchOnce sync.Once
	shared    *bench
	benchErr  error
)

// office is the seeded office, built (or copied from the seed) once per
// process.
func office(b *testing.B) *bench {
	benchOnce.Do(func() { shared, benchErr = openBench() })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return shared
}

func seedSize() int {
	n, err := strconv.Atoi(os.Getenv("ZHENGWU_BENCH_DOCS"))
	if err != nil || n <= 0 {
		return 10000
	}
	return n
}

func openBench() (*bench, error) {
	n := seedSize()
	seed := cmp.Or(os.Getenv("ZHENGWU_BENCH_SEED_DIR"), filepath.Join(os.TempDir(), fmt.Sprintf("zhengwu-officialdoc-seed-v1-%d", n)))
	if _, err := os.Stat(filepath.Join(seed, "ready")); err != nil {
		start := time.Now()
		if err := os.RemoveAll(seed); err != nil {
			return nil, err
		}
		if err := buildSeed(seed, n); err != nil {
			return nil, fmt.Errorf("seed %s: %w", seed, err)
		}
		fmt.Fprintf(os.Stderr, "seeded %d documents in %s in %s\n", n, seed, time.Since(start).Round(time.Second))
	}
	dir, err := os.MkdirTemp("", "zhengwu-officialdoc-bench-")
	if err != nil {
		return nil, err
	}
	if err := os.CopyFS(dir, os.DirFS(seed)); err != nil {
		return nil, err
	}
	return serve(dir, n)
}

// serve opens the copied seed as the server does: the store, the token
// keys, identity, official documents with their list index (caught up
// from the copy's checkpoint), the desktop, the routes on loopback HTTP.
func serve(dir string, n int) (*bench, error) {
	ctx := context.Background()
	st, err := sqlitestore.Open(filepath.Join(dir, seedFile))
	if err != nil {
		return nil, err
	}
	ns := store.WithNotify(st)
	master, err := kek.Generate()
	if err != nil {
		return nil, err
	}
	keys, err := auth.LoadKeys(ctx, ns, master)
	if err != nil {
		return nil, err
	}
	now := func() time.Time { return benchNow }
	tokens := auth.NewTokens(keys, now)
	if err := tokens.Revocations().Attach(ctx, ns); err != nil {
		return nil, err
	}
	trail := audit.New(ns, now)
	ids := identity.New(ns, trail, tokens, identity.DefaultPolicy, now)
	svc, err := newService(ns, trail, ids, dir, now)
	if err != nil {
		return nil, err
	}
	if err := svc.Start(ctx); err != nil {
		return nil, err
	}
	ns.Subscribe(svc.Notify)
	desk := desktop.New(svc)
	app := httpx.NewApp(httpx.Options{Registry: prometheus.NewRegistry(), Logger: testkit.Quiet()})
	routes := append(desktophttp.Routes(desk, tokens), officialdochttp.Routes(svc, tokens)...)
	openapi.Mount(app.Group(officeapi.Base), routes)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go func() { _ = app.Listener(ln) }()

	bn := &bench{store: ns, svc: svc, ids: ids, tokens: tokens, url: "http://" + ln.Addr().String() + officeapi.Base,
		tokenOf: map[string]string{}, princ: map[string]*auth.Principal{}, tasks: map[string][]openTask{},
		docs: n}
	data, err := os.ReadFile(filepath.Join(dir, seedTasks))
	if err != nil {
		return nil, err
	}
	var open []openTask
	if err := json.Unmarshal(data, &open); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, t := range open {
		doc, _, _ := strings.Cut(t.ID, ".")
		if !seen[doc] {
			seen[doc] = true
			bn.tasks[t.Node] = append(bn.tasks[t.Node], t)
		}
	}
	for i := range seedUsers {
		bn.users = append(bn.users, seedUserID(i))
	}
	for _, id := range bn.users {
		u, err := ids.User(ctx, id)
		if err != nil {
			return nil, err
		}
		p, err := ids.Principal(ctx, u)
		if err != nil {
			return nil, err
		}
		tok, _, err := tokens.Issue(p, "bench-"+id)
		if err != nil {
			return nil, err
		}
		bn.tokenOf[id], bn.princ[id] = tok, &p
	}
	return bn, nil
}

func newService(st store.Store, trail *audit.Trail, ids *identity.Service, dir string, now func() time.Time) (*officialdoc.Service, error) {
	cal, err := workcal.New(workcal.Config{})
	if err != nil {
		return nil, err
	}
	return officialdoc.New(officialdoc.Deps{Deps: records.Deps{Store: st, Trail: trail, Now: now, Log: testkit.Quiet(),
		IndexDir: filepath.Join(dir, seedIndex)}, Calendar: cal, Holders: ids.Holders, Account: ids.User})
}

func seedUserID(i int) string { return fmt.Sprintf("u%03d", i) }

// The seed's organisation: seedUsers accounts over the demo's departments
// (all staff); per department two heads (dept_head there); twelve leaders
// (leader, office-wide); eight clerks of 综合处 (clerk there: doc.register,
// doc.dispatch); four printers (the print_room post).
var seedDepts = []string{"mishu1", "mishu2", "zonghe", "xinxi", "ducha", "zhiban", "huiwu", "wenyin", "renshi", "jiguandangwei"}

func seedAccount(i int) (identity.User, [][2]string) {
	dept := seedDepts[i%len(seedDepts)]
	u := identity.User{Account: identity.Account{ID: seedUserID(i), Username: "bench" + seedUserID(i),
		DisplayName: fmt.Sprintf("测试用户%03d", i), Clearance: classification.Feimi, DepartmentIDs: []string{dept}, PostIDs: []string{}},
		CreatedAt: benchNow.AddDate(-1, 0, 0), PasswordSetAt: benchNow.AddDate(-1, 0, 0)}
	grants := [][2]string{{"staff", ""}}
	switch {
	case i < 2*len(seedDepts): // u000..u019: two heads per department
		grants = append(grants, [2]string{"dept_head", dept})
		u.Clearance = classification.Jimi
	case i < 2*len(seedDepts)+12:
		grants = append(grants, [2]string{"leader", ""})
		u.Clearance = classification.Jimi
	case i < 2*len(seedDepts)+20:
		u.DepartmentIDs = []string{"zonghe"}
		grants = [][2]string{{"staff", ""}, {"clerk", "zonghe"}}
		u.Clearance = classification.Mimi
	case i < 2*len(seedDepts)+24:
		u.DepartmentIDs, u.PostIDs = []string{"wenyin"}, []string{"print_room"}
		u.Clearance = classification.Mimi
	case i%3 == 0:
		u.Clearance = classification.Mimi
	}
	return u, grants
}

// buildSeed writes n documents with their flow instances into a new store
// in dir, as the flows leave them, and builds the list index from the
// change feed as the server does.
func buildSeed(dir string, n int) error {
	ctx := context.Background()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	st, err := sqlitestore.Open(filepath.Join(dir, seedFile))
	if err != nil {
		return err
	}
	defer st.Close()
	clock := benchNow
	now := func() time.Time { return clock }
	trail := audit.New(st, now)
	ids := identity.New(st, trail, nil, identity.DefaultPolicy, now)
	if _, err := demo.Seed(ctx, ids, "Demo-Pass-2026"); err != nil {
		return err
	}
	// The accounts, written as identity stores them (one password hash for
	// all: nobody logs in), then their grants through identity.
	hash, err := identity.HashForStore("Bench-Pass-2026")
	if err != nil {
		return err
	}
	var writes []store.Write
	var grants [][3]string
	for i := range seedUsers {
		u, gs := seedAccount(i)
		u.PasswordHash = hash
		data, _ := store.Encode(u)
		claim, _ := store.Encode(map[string]string{"userId": u.ID})
		writes = append(writes, store.Write{Collection: "users", ID: u.ID, Data: data},
			store.Write{Collection: "usernames", ID: strings.ToLower(u.Username), Data: claim})
		for _, g := range gs {
			grants = append(grants, [3]string{u.ID, g[0], g[1]})
		}
	}
	if _, err := st.PutAll(ctx, writes); err != nil {
		return err
	}
	for _, g := range grants {
		if _, err := ids.GrantRole(ctx, identity.Actor{}, g[0], g[1], g[2]); err != nil {
			return fmt.Errorf("grant %v: %w", g, err)
		}
	}

	svc, err := newService(st, trail, ids, dir, now)
	if err != nil {
		return err
	}
	defs, err := workflow.Defaults()
	if err != nil {
		return err
	}
	flows := workflow.NewInstances(st, trail, workflow.Env{}, now)
	for _, d := range defs {
		if err := flows.SaveDefinition(ctx, d); err != nil {
			return err
		}
	}
	cal, err := workcal.New(workcal.Config{})
	if err != nil {
		return err
	}
	// The organisation does not change while seeding: each assignment is
	// resolved once.
	memo := map[identity.HolderQuery][]string{}
	holders := func(ctx context.Context, q identity.HolderQuery) ([]string, error) {
		if h, ok := memo[q]; ok {
			return h, nil
		}
		h, err := ids.Holders(ctx, q)
		memo[q] = h
		return h, err
	}
	env := workflow.Env{Calendar: cal, Resolve: officialdoc.Resolver(holders)}

	rng := rand.New(rand.NewPCG(11, 2026))
	body := "<p>" + strings.Repeat("为进一步做好全省政务服务工作，现就有关事项通知如下。各地各部门要高度重视，认真组织实施，确保各项措施落到实处。", 30) + "</p>"
	var open []openTask
	var batch []store.Write
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := st.PutAll(ctx, batch)
		batch = batch[:0]
		return err
	}
	// Where a running flow stops, by share of the running documents.
	stops := []struct {
		node  string
		share float64
	}{{"draft", 0.15}, {"review", 0.35}, {"cosign", 0.05}, {"sign", 0.15}, {"recheck", 0.04}, {"register", 0.1},
		{"print", 0.04}, {"dispatch", 0.04}, {"archive", 0.08}}
	for i := range n {
		id := fmt.Sprintf("bd%07d", i)
		drafter := seedUserID(2*len(seedDepts) + 24 + rng.IntN(seedUsers-2*len(seedDepts)-24))
		u, _ := seedAccount(mustIndex(drafter))
		running := rng.Float64() < 0.2
		target := "end"
		if running {
			x := rng.Float64()
			for _, s := range stops {
				if x -= s.share; x < 0 {
					target = s.node
					break
				}
			}
			if target == "end" {
				target = "review"
			}
			clock = benchNow.Add(-time.Duration(rng.IntN(15*24)) * time.Hour)
		} else {
			clock = benchNow.AddDate(0, -5, 0).Add(time.Duration(rng.IntN(120*24)) * time.Hour)
		}
		level := classification.Feimi
		if u.Clearance == classification.Mimi && rng.IntN(4) == 0 {
			level = classification.Mimi
		}
		d := officialdoc.Document{ID: id, Direction: officialdoc.Outgoing, DocType: officialdoc.DocTypes[rng.IntN(len(officialdoc.DocTypes))],
			Classification: level, Urgency: []string{"", "", "加急", "特急"}[rng.IntN(4)], Issuer: "安徽省人民政府办公厅",
			IssuerCode: seededPrefix, Title: fmt.Sprintf("关于做好第%d项重点工作的通知", i), MainTo: []string{"各市人民政府", "省政府各部门"},
			Body: body, Sealed: true, Department: u.DepartmentIDs[0], Drafter: u.ID, DrafterName: u.DisplayName,
			State: officialdoc.StateDraft, CreatedAt: clock, UpdatedAt: clock}
		if target == "register" {
			d.IssuerCode = benchPrefix
		}
		if target == "cosign" || rng.IntN(10) == 0 {
			d.Cosigners = []string{seedUserID(40 + rng.IntN(200)), seedUserID(240 + rng.IntN(200))}
		}
		if level == classification.Mimi {
			d.SecrecyPeriod = "1年"
		}
		def := defs[officialdoc.Outgoing]
		in, _, err := workflow.Apply(&def, workflow.Instance{}, workflow.Action{Kind: workflow.ActStart, Actor: u.ID, ID: id,
			Subject: workflow.Subject{Collection: officialdoc.Collection, ID: id, Fields: officialdoc.FieldsOf(&d)}}, clock, env)
		if err != nil {
			return fmt.Errorf("%s: start: %w", id, err)
		}
		for in.State == workflow.Running && !slices.Contains(in.Current(), target) {
			t := in.Tasks[0]
			node := t.Node
			clock = clock.Add(time.Duration(1+rng.IntN(20)) * time.Hour)
			if running && clock.After(benchNow) {
				clock = benchNow
			}
			var evs []workflow.Event
			if in, evs, err = workflow.Apply(&def, in, workflow.Action{Kind: workflow.ActApprove, Actor: t.Assignee, Task: t.ID, Opinion: "同意"}, clock, env); err != nil {
				return fmt.Errorf("%s: approve %s: %w", id, t.ID, err)
			}
			_ = evs
			switch node {
			case "sign":
				d.Signer = "领导" + t.Assignee
			case "register":
				d.DocNumber = fmt.Sprintf("%s〔2026〕%d号", seededPrefix, i+1)
			}
		}
		if err := svc.Follow(ctx, &d, in); err != nil {
			return err
		}
		for _, t := range d.Tasks {
			open = append(open, openTask{ID: t.ID, Assignee: t.Assignee, Node: t.Node})
		}
		dd, _ := store.Encode(d)
		di, _ := store.Encode(in)
		batch = append(batch, store.Write{Collection: officialdoc.Collection, ID: id, Data: dd},
			store.Write{Collection: workflow.InstanceCollection, ID: id, Data: di})
		if len(batch) >= 400 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	perUser := map[string]int{}
	for _, t := range open {
		perUser[t.Assignee]++
	}
	counts := slices.Sorted(func(yield func(int) bool) {
		for _, c := range perUser {
			if !yield(c) {
				return
			}
		}
	})
	fmt.Fprintf(os.Stderr, "seed: %d open tasks over %d users (median %d, max %d each)\n",
		len(open), len(perUser), counts[len(counts)/2], counts[len(counts)-1])
	data, err := json.Marshal(open)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, seedTasks), data, 0o600); err != nil {
		return err
	}
	// The list index, built from the change feed as the server builds it.
	if err := svc.Start(ctx); err != nil {
		return err
	}
	if err := svc.Index().Flush(ctx); err != nil {
		return err
	}
	if err := svc.Close(); err != nil {
		return err
	}
	if err := st.Close(); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "ready"), nil, 0o600)
}

func mustIndex(userID string) int {
	i, _ := strconv.Atoi(strings.TrimPrefix(userID, "u"))
	return i
}

// load sends n GETs of path over 64 connections, each as the next user
// in turn, and returns the latencies, sorted, and the wall time.
func load(b *testing.B, url string, n int, tokens []string) ([]time.Duration, time.Duration) {
	const conns = 64
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
	defer client.CloseIdleConnections()
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var failed atomic.Value
	start := time.Now()
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				req, _ := http.NewRequest("GET", url, nil)
				req.Header.Set("Authorization", "Bearer "+tokens[i%len(tokens)])
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				lat[i] = time.Since(t0)
				if err != nil {
					failed.Store(err)
				}
			}
		})
	}
	wg.Wait()
	wall := time.Since(start)
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	slices.Sort(lat)
	return lat, wall
}

// cpuTime is the CPU time the process has used (user and system): on a
// machine others share, wall time says as much about them as about us.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func pct(lat []time.Duration, p float64) float64 {
	return float64(lat[min(len(lat)-1, int(float64(len(lat))*p))]) / float64(time.Millisecond)
}

// BenchmarkDesktop is GET /desktop for the seeded users in turn over 64
// keep-alive connections, after the same load on a bare Fiber handler
// answering a small JSON on the same machine: b.N requests each. It
// reports p50, p99 and requests/s of both, and the ratios.
func BenchmarkDesktop(b *testing.B) {
	bn := office(b)
	tokens := make([]string, 0, len(bn.users))
	// Spread: every user in turn, the heavy holders among them.
	for _, u := range bn.users {
		tokens = append(tokens, bn.tokenOf[u])
	}
	bare := fiber.New(fiber.Config{DisableStartupMessage: true})
	bare.Get("/desktop", func(c *fiber.Ctx) error {
		return c.JSON(fiber.Map{"todo": []any{}, "toread": []any{}, "counts": fiber.Map{"todo": 0, "toread": 0, "overdue": 0}})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go func() { _ = bare.Listener(ln) }()
	defer bare.Shutdown()
	b.ResetTimer()
	c0 := cpuTime()
	bl, bw := load(b, "http://"+ln.Addr().String()+"/desktop", b.N, tokens)
	c1 := cpuTime()
	fl, fw := load(b, bn.url+"/desktop", b.N, tokens)
	c2 := cpuTime()
	b.StopTimer()
	b.ReportMetric(float64(c1-c0)/float64(time.Millisecond)/float64(b.N), "bare-cpu-ms/op")
	b.ReportMetric(float64(c2-c1)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	b.ReportMetric(pct(bl, 0.5), "bare-p50-ms")
	b.ReportMetric(pct(bl, 0.99), "bare-p99-ms")
	b.ReportMetric(float64(b.N)/bw.Seconds(), "bare-req/s")
	b.ReportMetric(pct(fl, 0.5), "p50-ms")
	b.ReportMetric(pct(fl, 0.99), "p99-ms")
	b.ReportMetric(float64(b.N)/fw.Seconds(), "req/s")
	b.ReportMetric(pct(fl, 0.99)/pct(bl, 0.99), "p99-x-bare")
	b.ReportMetric((float64(b.N)/bw.Seconds())/(float64(b.N)/fw.Seconds()), "throughput-x-bare")
}

// act approves b.N open tasks of the given nodes, each on another
// document, as their holders, workers at a time, and reports steps/s.
func act(b *testing.B, workers int, nodes ...string) {
	bn := office(b)
	var pool []openTask
	for _, node := range nodes {
		pool = append(pool, bn.tasks[node]...)
	}
	avail := 0
	for _, t := range pool {
		doc, _, _ := strings.Cut(t.ID, ".")
		if _, used := claimed.Load(doc); !used {
			avail++
		}
	}
	if avail < b.N {
		b.Skipf("the seed has %d open tasks of %v left, %d asked: seed more documents (ZHENGWU_BENCH_DOCS) or ask fewer (-benchtime Nx)", avail, nodes, b.N)
	}
	var taken atomic.Int64
	next := func() (openTask, bool) {
		for {
			i := int(taken.Add(1)) - 1
			if i >= len(pool) {
				return openTask{}, false
			}
			t := pool[i]
			// A document another benchmark of this process acted on has
			// moved on.
			if !bn.claim(t) {
				continue
			}
			return t, true
		}
	}
	ctx := context.Background()
	var issued, done, failed atomic.Int64
	var lastErr atomic.Value
	b.ResetTimer()
	c0 := cpuTime()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for issued.Add(1) <= int64(b.N) {
				t, ok := next()
				if !ok {
					lastErr.Store(errors.New("the seed has no more open tasks: seed more documents"))
					failed.Add(1)
					return
				}
				_, err := bn.svc.Act(ctx, records.Actor{P: bn.principal(b, t.Assignee), IP: "127.0.0.1"}, t.ID,
					officialdoc.ActionInput{Action: workflow.ActApprove, Opinion: "同意"})
				if err != nil {
					lastErr.Store(fmt.Errorf("%s by %s: %w", t.ID, t.Assignee, err))
					failed.Add(1)
					continue
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	if err, _ := lastErr.Load().(error); err != nil {
		b.Fatalf("%d of %d steps failed, the last: %v", failed.Load(), b.N, err)
	}
	b.ReportMetric(float64(done.Load())/b.Elapsed().Seconds(), "steps/s")
	b.ReportMetric(float64(cpuTime()-c0)/float64(time.Millisecond)/float64(max(1, done.Load())), "cpu-ms/op")
}

var claimed sync.Map

// principal is the holder's principal as a token would carry it (the
// seeded accounts', or a demo account's).
func (bn *bench) principal(b *testing.B, user string) *auth.Principal {
	bn.mu.Lock()
	defer bn.mu.Unlock()
	if p, ok := bn.princ[user]; ok {
		return p
	}
	ctx := context.Background()
	u, err := bn.ids.User(ctx, user)
	if err != nil {
		b.Fatal(err)
	}
	p, err := bn.ids.Principal(ctx, u)
	if err != nil {
		b.Fatal(err)
	}
	bn.princ[user] = &p
	return &p
}

// claim reserves a document's task for one benchmark step in this
// process: a document is acted on once.
func (bn *bench) claim(t openTask) bool {
	doc, _, _ := strings.Cut(t.ID, ".")
	_, dup := claimed.LoadOrStore(doc, true)
	return !dup
}

// BenchmarkAct is workflow steps through Service.Act on the seeded store:
// approvals at 审核, 签发, 复核, 印制, 核发 and 归档 (each on another
// document), one after another and eight at once.
func BenchmarkAct(b *testing.B) {
	nodes := []string{"review", "sign", "recheck", "print", "dispatch", "archive", "draft"}
	b.Run("sequential", func(b *testing.B) { act(b, 1, nodes...) })
	b.Run("parallel8", func(b *testing.B) { act(b, 8, nodes...) })
}

// BenchmarkNumbering is 登记编号 through Service.Act: each step leaves the
// node, takes the next 发文字号 of one issuer code and year and commits it
// with the document, the instance and the audit entries.
func BenchmarkNumbering(b *testing.B) {
	b.Run("sequential", func(b *testing.B) { act(b, 1, "register") })
	b.Run("parallel8", func(b *testing.B) { act(b, 8, "register") })
}
