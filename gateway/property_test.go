package gateway_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"zhengwu/cms/content"
	"zhengwu/cms/item"
	"zhengwu/gateway"
	"zhengwu/shared/store"
)

// secretMark is in the title and body of every revision written while
// classified and never declassified: it must never reach the portal.
const secretMark = "〔涉密〕"

// oracle is the release policy of docs/info-gateway.md, written again
// from the contract, independently of gateway.Policy.
func oracle(it info, unknownKey bool, now time.Time) bool {
	if unknownKey || it.Title == "" || it.Revision < 1 {
		return false
	}
	p := it.Portal
	if it.Classification != "非密" || it.Audience != "portal" || it.State != "published" ||
		p == nil || !p.Designated || !p.Approved || p.ApprovedRevision != it.Revision || len(it.Principals) > 0 {
		return false
	}
	if p.Channel != "news" && p.Channel != "files-interpretation" { // the seeded channels that take articles
		return false
	}
	if p.EmbargoUntil != "" {
		t, err := time.Parse(time.RFC3339, p.EmbargoUntil)
		if err != nil || t.After(now) {
			return false
		}
	}
	for _, a := range it.Attachments {
		switch a.Type {
		case "application/pdf", "application/ofd", "image/jpeg", "image/png",
			"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		default:
			return false
		}
	}
	return true
}

type simItem struct {
	info
	unknownKey bool
	deleted    bool
}

// mutate makes one random office-side change to an item.
func mutate(r *rand.Rand, s *simItem, now time.Time) {
	it := &s.info
	edit := func() {
		it.Revision++
		if it.State == "published" {
			it.State = "submitted"
		}
		mark := ""
		if it.Classification != "非密" {
			mark = secretMark
		}
		it.Title = fmt.Sprintf("%s%s 第%d版", mark, it.ID, it.Revision)
		it.Body = fmt.Sprintf("<p>%s正文 %d</p>", mark, r.IntN(1000))
	}
	switch p := r.IntN(100); {
	case s.deleted || it.ID == "":
		return
	case p < 12: // edit (revision bump, back to review)
		edit()
	case p < 24: // office approval
		it.State = "published"
	case p < 36: // portal approval of the current revision
		if it.Portal != nil {
			it.Portal.Approved, it.Portal.ApprovedRevision = true, it.Revision
		}
	case p < 41: // reclassify without an edit
		it.Classification = []string{"非密", "秘密", "机密"}[r.IntN(3)]
		if it.Classification == "非密" && strings.Contains(it.Title, secretMark) {
			// Declassifying marked content is an edit: new text, new revision.
			it.Classification = "非密"
			edit()
		}
	case p < 44: // reclassify up with an edit
		it.Classification = "秘密"
		edit()
	case p < 49:
		it.State = "withdrawn"
		it.Withdrawn = "撤回"
	case p < 53:
		it.Audience = []string{"department", "office", "portal"}[r.IntN(3)]
	case p < 58: // designation
		if it.Portal == nil {
			it.Portal = &infoPortal{}
		}
		it.Portal.Designated = r.IntN(4) > 0
		it.Portal.Channel = []string{"news", "news", "files-interpretation", "files-general-office", "nope", ""}[r.IntN(6)]
	case p < 64: // embargo
		if it.Portal != nil {
			it.Portal.EmbargoUntil = now.Add(time.Duration(r.IntN(240)-60) * time.Minute).Format(time.RFC3339)
			if r.IntN(4) == 0 {
				it.Portal.EmbargoUntil = ""
			}
		}
	case p < 70:
		it.Attachments = nil
		for range r.IntN(3) {
			it.Attachments = append(it.Attachments, infoAttach{MediaID: fmt.Sprintf("m%d", r.IntN(100)), Name: "附件",
				Size: 10, Type: []string{"application/pdf", "image/png", "application/ofd", "application/zip", "text/html"}[r.IntN(5)]})
		}
	case p < 73:
		if r.IntN(2) == 0 {
			it.Principals = []string{"u-7"}
		} else {
			it.Principals = []string{}
		}
	case p < 75:
		s.unknownKey = !s.unknownKey
	case p < 76:
		s.deleted = true
	default: // the full happy path for this revision
		it.State, it.Audience = "published", "portal"
		if it.Portal == nil {
			it.Portal = &infoPortal{Designated: true, Channel: "news"}
		}
		it.Portal.Designated, it.Portal.Approved, it.Portal.ApprovedRevision = true, true, it.Revision
		if r.IntN(3) > 0 { // and nothing else in the way (but the classification)
			it.Portal.Channel, it.Portal.EmbargoUntil = "news", ""
			it.Principals, it.Attachments, s.unknownKey = []string{}, nil, false
		}
	}
}

func newSim(r *rand.Rand, i int) *simItem {
	id := fmt.Sprintf("item-%03d", i)
	cls := "非密"
	if r.IntN(4) == 0 {
		cls = []string{"秘密", "机密"}[r.IntN(2)]
	}
	mark := ""
	if cls != "非密" {
		mark = secretMark
	}
	it := info{ID: id, Department: []string{"ducha", "xinxi", "zonghe"}[r.IntN(3)],
		Kind: []string{"notice", "briefing", "update", "internal"}[r.IntN(4)], Title: mark + id + " 第1版",
		Summary: "摘要", Body: "<p>" + mark + "正文</p>", Classification: cls, Principals: []string{},
		Audience: []string{"department", "office", "portal", "portal"}[r.IntN(4)], State: "draft", Revision: 1,
		Author: "u-1", CreatedAt: "2026-05-01T08:00:00Z", UpdatedAt: "2026-05-01T08:00:00Z"}
	if r.IntN(3) > 0 {
		it.Portal = &infoPortal{Designated: true, Channel: "news"}
	}
	return &simItem{info: it}
}

// write stores the item as the office would (the contract's shape).
func (e *env) write(s *simItem) (int64, bool) {
	e.t.Helper()
	if s.deleted {
		if _, err := e.store.Delete(e.ctx, gateway.InfoCollection, s.ID, store.AnyVersion); err != nil && err != store.ErrNotFound {
			e.t.Fatal(err)
		}
		return 0, false
	}
	data := mustJSON(s.info)
	if s.unknownKey {
		data = []byte(strings.Replace(string(data), `"kind"`, `"retention":"10y","kind"`, 1))
	}
	d, err := e.store.Put(e.ctx, gateway.InfoCollection, s.ID, data, store.AnyVersion)
	if err != nil {
		e.t.Fatal(err)
	}
	return d.Version, true
}

type versionKey struct {
	id      string
	version int64
}

// TestPropertyPortalHoldsExactlyWhatPolicyAllows: random items, random
// office-side changes in rounds, the gateway syncing between some of
// them; after every sync the portal must hold exactly what the policy
// allows at the latest approved revision, nothing classified may ever
// have reached any portal collection, and every audited crossing must be
// of a state the (independent) oracle allowed.
func TestPropertyPortalHoldsExactlyWhatPolicyAllows(t *testing.T) {
	seeds := []uint64{1, 2, 3, 4, 5}
	if testing.Short() {
		seeds = seeds[:2]
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { propertyRun(t, seed) })
	}
}

func propertyRun(t *testing.T, seed uint64) {
	const items, rounds = 60, 25
	r := rand.New(rand.NewPCG(seed, 99))
	e := openEnv(t, t.TempDir(), nil, false)
	sims := make([]*simItem, items)
	// written[id, version] is the state the store held at that version.
	written := map[versionKey]*simItem{}
	record := func(s *simItem) {
		if v, ok := e.write(s); ok {
			cp := *s
			cp.info.Principals = slices.Clone(s.Principals)
			if s.Portal != nil {
				p := *s.Portal
				cp.info.Portal = &p
			}
			written[versionKey{s.ID, v}] = &cp
		}
	}
	for i := range sims {
		sims[i] = newSim(r, i)
		record(sims[i])
	}
	auditSeen := int64(0)
	for round := range rounds {
		for range 40 {
			s := sims[r.IntN(items)]
			if s.deleted && r.IntN(3) == 0 { // re-created
				*s = *newSim(r, r.IntN(1000)+1000)
			}
			mutate(r, s, e.clock.Now())
			record(s)
		}
		if r.IntN(4) == 0 {
			e.clock.Advance(time.Duration(r.IntN(90)) * time.Minute)
		}
		if r.IntN(3) == 0 && round != rounds-1 {
			continue // let changes pile up before the next sync
		}
		must(t, e.gw.CatchUp(e.ctx))
		if _, err := e.gw.RunDue(e.ctx); err != nil {
			t.Fatal(err)
		}
		checkPortal(t, e, sims, round)
		auditSeen = checkAudit(t, e, written, auditSeen)
	}
	// Reconcile finds nothing to repair.
	rep, err := e.gw.Reconcile(e.ctx)
	must(t, err)
	if rep.Crossed+rep.Withdrawn != 0 {
		t.Fatalf("reconcile after sync repaired %+v", rep)
	}
	st, err := e.gw.Status(e.ctx)
	must(t, err)
	t.Logf("seed %d: %+v", seed, st)
	if st.Crossed == 0 || st.Refused == 0 {
		t.Fatalf("the run exercised too little: %+v", st)
	}
}

func checkPortal(t *testing.T, e *env, sims []*simItem, round int) {
	t.Helper()
	now := e.clock.Now()
	bySource := map[string]*simItem{}
	allowedN := 0
	for _, s := range sims {
		bySource[s.ID] = s
		allowed := !s.deleted && oracle(s.info, s.unknownKey, now)
		c, ok := e.copyOf(s.ID)
		switch {
		case allowed && !ok:
			t.Fatalf("round %d: %s allowed but not on the portal", round, s.ID)
		case allowed && (c.Item.Status != item.StatusPublished || c.Doc.Source.Revision != s.Revision || c.Item.Title != s.Title):
			t.Fatalf("round %d: %s allowed at revision %d %q, portal has %s revision %d %q",
				round, s.ID, s.Revision, s.Title, c.Item.Status, c.Doc.Source.Revision, c.Item.Title)
		case !allowed && ok && c.Item.Status == item.StatusPublished:
			t.Fatalf("round %d: %s not allowed (%+v) but published on the portal", round, s.ID, s.info)
		case !allowed && ok && (c.Item.Title != "" || c.Item.Body != ""):
			t.Fatalf("round %d: %s taken back but its item still shows content: %+v", round, s.ID, c.Item)
		}
		if allowed {
			allowedN++
		}
	}
	// Nothing classified anywhere in the portal's collections, and one
	// document per source.
	docsPerSource := map[string]int{}
	for _, coll := range []string{item.Collection, content.DocumentsCollection, content.EditionsCollection} {
		for _, d := range scanAll(t, e.store, coll) {
			if strings.Contains(string(d.Data), secretMark) || strings.Contains(string(d.Data), `\u3014\u6d89\u5bc6\u3015`) {
				t.Fatalf("round %d: classified content in %s/%s", round, coll, d.ID)
			}
			if coll == content.DocumentsCollection {
				var doc content.Document
				must(t, json.Unmarshal(d.Data, &doc))
				docsPerSource[doc.Source.ID]++
			}
			if coll == item.Collection {
				var it item.Item
				must(t, json.Unmarshal(d.Data, &it))
				if it.Status == item.StatusWithdrawn || it.Status == item.StatusRedirected {
					t.Fatalf("round %d: portal item %s in status %s", round, d.ID, it.Status)
				}
			}
		}
	}
	for src, n := range docsPerSource {
		if n != 1 {
			t.Fatalf("round %d: %d documents for source %s", round, n, src)
		}
	}
	if round == 24 {
		t.Logf("last round: %d of %d items allowed", allowedN, len(sims))
	}
}

// checkAudit: every crossing audited since the last check was of a stored
// state the oracle allows at the entry's time; returns the last entry seen.
func checkAudit(t *testing.T, e *env, written map[versionKey]*simItem, after int64) int64 {
	t.Helper()
	for {
		entries, err := e.trail.List(e.ctx, after, 1000)
		must(t, err)
		if len(entries) == 0 {
			return after
		}
		for _, en := range entries {
			after = en.Seq
			if en.Action != gateway.ActionCross {
				continue
			}
			id := strings.TrimPrefix(en.Target, gateway.InfoCollection+"/")
			v, _ := en.Details["sourceVersion"].(float64)
			s, ok := written[versionKey{id, int64(v)}]
			if !ok {
				t.Fatalf("crossing of %s version %v that the test never wrote", id, v)
			}
			if s.Classification != "非密" || !oracle(s.info, s.unknownKey, en.At) {
				t.Fatalf("audited crossing of %s version %v that the policy refuses: %+v", id, v, s.info)
			}
		}
	}
}
