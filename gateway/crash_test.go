package gateway_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhengwu/cms/content"
	"zhengwu/cms/item"
	"zhengwu/gateway"
	"zhengwu/shared/audit"
	"zhengwu/shared/store"
	"zhengwu/shared/store/sqlitestore"
	"zhengwu/shared/testkit"
)

// crashVar, when set to a directory, turns the test binary into the
// crash test's gateway process (testkit.ChildMain): it runs the gateway
// over the store in that directory until it is killed.
const crashVar = "ZHENGWU_GATEWAY_CRASH"

func TestMain(m *testing.M) { testkit.Main(m, crashVar, testkit.OnStore(runCrashGateway)) }

// runCrashGateway prints "start N" with the stored checkpoint, then
// "cp N" whenever the stored checkpoint has moved: a checkpoint read back
// from the store is committed, so it must survive the SIGKILL.
func runCrashGateway(raw *sqlitestore.Store, dir string) error {
	st := store.WithNotify(raw) // as serve runs it: the gateway woken by writes
	batch := 100
	if raceEnabled {
		batch = 20
	}
	svc, gw, err := openGateway(st, audit.New(st, time.Now), dir, time.Now, func(d *gateway.Deps) { d.BatchSize = batch })
	if err != nil {
		return err
	}
	defer svc.Close()
	status, err := gw.Status(context.Background())
	if err != nil {
		return err
	}
	testkit.Report("start", status.Checkpoint)
	testkit.ReportChanges("cp", status.Checkpoint, func() (int64, bool) {
		s, err := gw.Status(context.Background())
		return s.Checkpoint, err == nil
	})
	return gw.Run(context.Background()) // until SIGKILL
}

// TestGatewaySurvivesSIGKILL: 10k items (1k with -short) in the office
// store, a gateway in a child process killed with SIGKILL at random
// points 20 times (5 with -short) and restarted, while the office keeps
// editing and re-approving items; afterwards the portal holds exactly the
// allowed items at their latest approved revision: 0 lost, 0 duplicated.
func TestGatewaySurvivesSIGKILL(t *testing.T) {
	items, kills := 10000, 20
	if raceEnabled {
		// Under -race a 10k sync alone takes minutes; the 10k/20 figure
		// is the test without -race (about 30 s).
		items = 2000
	}
	if testing.Short() {
		items, kills = items/10, 5
	}
	if n, err := strconv.Atoi(os.Getenv("ZHENGWU_GATEWAY_CRASH_ITEMS")); err == nil && n > 0 {
		items = n // e.g. the full 10k under -race (several minutes)
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 7))
	pauses := rand.New(rand.NewPCG(seed, 8))

	// Seed through the store alone: the child owns the CMS index while it runs.
	k := testkit.New(t)
	s := k.SQLite
	ctx := context.Background()
	want := map[string]info{} // final state of every item
	for i := range items {
		it := released(fmt.Sprintf("c-%05d", i), 1, fmt.Sprintf("条目 %d 第1版", i))
		switch r.IntN(10) {
		case 0:
			it.Classification = "秘密"
			it.Title = "〔涉密〕" + it.Title
		case 1:
			it.Portal.Approved = false
		}
		if _, err := store.Save(ctx, s, gateway.InfoCollection, it.ID, it, store.AnyVersion); err != nil {
			t.Fatal(err)
		}
		want[it.ID] = it
	}

	// The office keeps working while gateways start, run and are killed:
	// edits with re-approval, edits awaiting approval, reclassifications,
	// withdrawals.
	officeCtx, cancelOffice := context.WithCancel(ctx)
	officeDone := make(chan struct{})
	stopOffice := func() { cancelOffice(); <-officeDone }
	defer stopOffice() // also when the test fails early
	go func() {
		defer close(officeDone)
		for officeCtx.Err() == nil {
			id := fmt.Sprintf("c-%05d", r.IntN(items))
			it := want[id]
			switch r.IntN(4) {
			case 0:
				it.Revision++
				it.Title = fmt.Sprintf("%s 第%d版", id, it.Revision)
				it.Portal.ApprovedRevision = it.Revision
			case 1:
				it.Revision++
				it.State = "submitted"
			case 2:
				if it.Classification == "非密" {
					it.Classification = "机密"
				}
			case 3:
				it.State = "withdrawn"
			}
			if _, err := store.Save(ctx, s, gateway.InfoCollection, it.ID, it, store.AnyVersion); err != nil {
				t.Error(err)
				return
			}
			want[id] = it
			time.Sleep(5 * time.Millisecond) // the office's pace, not a wait
		}
	}()

	deadline := time.Now().Add(70 * time.Second)
	var lastDurable int64
	for i := range kills {
		pause := time.Duration(300+pauses.IntN(1200)) * time.Millisecond
		child := testkit.Crash(t, crashVar, k.Dir, fmt.Sprintf("gateway %d", i), pause)
		// The invariant: a checkpoint a gateway read back from the store
		// is committed (SQLite WAL: the commit is in the WAL file, which
		// a SIGKILL does not touch), and the checkpoint only moves
		// forward, so neither what the store holds after the kill nor
		// where the next gateway starts may be below any checkpoint a
		// gateway ever reported.
		prog := parseProgress(child.Stdout())
		stored := storedCheckpoint(t, s)
		t.Logf("gateway %d: started at seq %d, reported %d, store holds %d after the kill", i, prog.start, prog.last, stored)
		if prog.start < lastDurable {
			t.Errorf("gateway %d started at seq %d, below the committed checkpoint %d", i, prog.start, lastDurable)
		}
		if stored < max(lastDurable, prog.last) {
			t.Errorf("after killing gateway %d the stored checkpoint is %d, below the committed checkpoint %d",
				i, stored, max(lastDurable, prog.last))
		}
		lastDurable = max(lastDurable, prog.last, stored)
		if time.Now().After(deadline) {
			t.Logf("time budget spent after %d kills", i+1)
			break
		}
	}
	stopOffice()
	if lastDurable == 0 {
		t.Fatal("the gateway processes committed nothing before being killed")
	}

	// Finish in this process (a restart over the same store and CMS
	// index) and compare.
	e := wallEnv(k.Restart())
	start := time.Now()
	must(t, e.gw.CatchUp(e.ctx))
	st, err := e.gw.Status(e.ctx)
	must(t, err)
	t.Logf("final catch-up %v; %+v", time.Since(start).Round(time.Millisecond), st)

	docsPerSource := map[string]int{}
	for _, d := range scanAll(t, e.Store, content.DocumentsCollection) {
		var doc content.Document
		must(t, json.Unmarshal(d.Data, &doc))
		if doc.Source != nil {
			docsPerSource[doc.Source.ID]++
		}
	}
	lost, dup, extra, allowed := 0, 0, 0, 0
	now := time.Now()
	for id, it := range want {
		if docsPerSource[id] > 1 {
			dup++
		}
		ok := oracle(it, false, now)
		c, has := e.copyOf(id)
		switch {
		case ok:
			allowed++
			if !has || c.Item.Status != item.StatusPublished || c.Doc.Source.Revision != it.Revision || c.Item.Title != it.Title {
				lost++
				if lost < 5 {
					t.Errorf("%s allowed at revision %d, portal has %v %+v", id, it.Revision, has, c.Doc.Source)
				}
			}
		case has && c.Item.Status == item.StatusPublished:
			extra++
			if extra < 5 {
				t.Errorf("%s not allowed (%s, %s) but published", id, it.Classification, it.State)
			}
		}
	}
	for _, d := range scanAll(t, e.Store, item.Collection) {
		if strings.Contains(string(d.Data), "涉密") {
			t.Fatalf("classified content in portal item %s", d.ID)
		}
	}
	t.Logf("%d items, %d allowed: lost %d, duplicated %d, published but not allowed %d", len(want), allowed, lost, dup, extra)
	if lost+dup+extra != 0 {
		t.Fatal("the portal set is wrong after the crashes")
	}
	rep, err := e.gw.Reconcile(e.ctx)
	must(t, err)
	if rep.Crossed+rep.Withdrawn != 0 {
		t.Fatalf("reconcile after catch-up repaired %+v", rep)
	}
}

// progress is what a crash gateway reported before it was killed: the
// stored checkpoint it started from and the last stored checkpoint it
// saw.
type progress struct{ start, last int64 }

func parseProgress(out string) progress {
	p := testkit.Progress(out)
	last, ok := p["cp"]
	if !ok {
		last = p["start"]
	}
	return progress{start: p["start"], last: last}
}

// storedCheckpoint reads the gateway's checkpoint (gateway_state/
// checkpoint) from the store, as the next gateway will.
func storedCheckpoint(t *testing.T, s store.Store) int64 {
	t.Helper()
	var cp struct {
		Seq int64 `json:"seq"`
	}
	d, err := s.Get(context.Background(), gateway.StateCollection, "checkpoint")
	if errors.Is(err, store.ErrNotFound) {
		return 0
	}
	must(t, err)
	must(t, d.Decode(&cp))
	return cp.Seq
}
