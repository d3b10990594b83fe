package gateway_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"zhengwu/cms/item"
	"zhengwu/gateway"
	"zhengwu/shared/classification"
	"zhengwu/shared/store"
)

// secretMark is in the title and body of every revision written while
// classified and never declassified: it must never reach the portal.
const secretMark = "〔涉密〕"

// revTokens gives every revision the simulation writes a unique token
// ("rv" and six digits: one term to the analysers, plain ASCII that no
// JSON or HTML escaping changes, found in any text by tokensIn), in its
// title, summary and body. A token tells
// which revision any text anywhere came from, so the checks can say of
// every piece of portal text whether it may be there: the classified
// marker never; a token of a revision the policy never allowed at a sync
// never (not even in the portal's history); in what readers get, only the
// tokens of the allowed items' latest revisions.
type revTokens struct {
	n           int
	all         map[string]revInfo
	byRev       map[revKey]string
	everAllowed map[string]bool // allowed at some sync: the gateway may have published it
}

type revInfo struct {
	id         string
	rev        int
	classified bool // written while classified (its text carries secretMark)
}

type revKey struct {
	id  string
	rev int
}

func newRevTokens() *revTokens {
	return &revTokens{all: map[string]revInfo{}, byRev: map[revKey]string{}, everAllowed: map[string]bool{}}
}

func (tk *revTokens) next(id string, rev int, classified bool) string {
	tk.n++
	tok := fmt.Sprintf("rv%06d", tk.n)
	tk.all[tok] = revInfo{id: id, rev: rev, classified: classified}
	tk.byRev[revKey{id, rev}] = tok
	return tok
}

// oracle is the release policy of docs/info-gateway.md, written again
// from the contract, independently of gateway.Policy.
func oracle(it info, unknownKey bool, now time.Time) bool {
	if unknownKey || it.Title == "" || it.Revision < 1 {
		return false
	}
	p := it.Portal
	if it.Classification != "非密" || it.Audience != "portal" || it.State != "published" ||
		!p.Designated || !p.Approved || p.ApprovedRevision != it.Revision || len(it.Principals) > 0 {
		return false
	}
	if p.Channel != "news" && p.Channel != "files-interpretation" { // the seeded channels that take articles
		return false
	}
	if p.EmbargoUntil != nil && p.EmbargoUntil.After(now) {
		return false
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
	tok        string // of the current revision
	unknownKey bool
	deleted    bool
}

// mutate makes one random office-side change to an item; files are the
// attachments the office may add.
func mutate(r *rand.Rand, s *simItem, now time.Time, tk *revTokens, files []infoAttach) {
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
		s.tok = tk.next(it.ID, it.Revision, mark != "")
		it.Title = fmt.Sprintf("%s%s 第%d版 %s", mark, it.ID, it.Revision, s.tok)
		it.Summary = "摘要 " + s.tok
		it.Body = fmt.Sprintf("<p>%s正文 %d %s</p>", mark, r.IntN(1000), s.tok)
	}
	switch p := r.IntN(100); {
	case s.deleted || it.ID == "":
		return
	case p < 12: // edit (revision bump, back to review)
		edit()
	case p < 24: // office approval
		it.State = "published"
	case p < 36: // portal approval of the current revision
		it.Portal.Approved, it.Portal.ApprovedRevision = true, it.Revision
	case p < 41: // reclassify without an edit
		it.Classification = []classification.Level{"非密", "秘密", "机密"}[r.IntN(3)]
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
		it.WithdrawnReason = "撤回"
	case p < 53:
		it.Audience = []string{"department", "office", "portal"}[r.IntN(3)]
	case p < 58: // designation
		it.Portal.Designated = r.IntN(4) > 0
		it.Portal.Channel = []string{"news", "news", "files-interpretation", "files-general-office", "nope", ""}[r.IntN(6)]
	case p < 64: // embargo
		it.Portal.EmbargoUntil = ptr(now.Add(time.Duration(r.IntN(240)-60) * time.Minute))
		if r.IntN(4) == 0 {
			it.Portal.EmbargoUntil = nil
		}
	case p < 70:
		it.Attachments = nil
		for range r.IntN(3) {
			it.Attachments = append(it.Attachments, files[r.IntN(len(files))])
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
		if it.Portal.Channel == "" {
			it.Portal.Channel = "news"
		}
		it.Portal.Designated, it.Portal.Approved, it.Portal.ApprovedRevision = true, true, it.Revision
		if r.IntN(3) > 0 { // and nothing else in the way (but the classification)
			it.Portal.Channel, it.Portal.EmbargoUntil = "news", nil
			it.Principals, it.Attachments, s.unknownKey = []string{}, nil, false
		}
	}
}

func newSim(r *rand.Rand, i int, tk *revTokens) *simItem {
	id := fmt.Sprintf("item-%03d", i)
	cls := classification.Feimi
	if r.IntN(4) == 0 {
		cls = []classification.Level{"秘密", "机密"}[r.IntN(2)]
	}
	mark := ""
	if cls != "非密" {
		mark = secretMark
	}
	tok := tk.next(id, 1, mark != "")
	it := info{ID: id, Department: []string{"ducha", "xinxi", "zonghe"}[r.IntN(3)],
		Kind: []string{"notice", "briefing", "update", "internal"}[r.IntN(4)], Title: mark + id + " 第1版 " + tok,
		Summary: "摘要 " + tok, Body: "<p>" + mark + "正文 " + tok + "</p>", Classification: cls, Principals: []string{},
		Audience: []string{"department", "office", "portal", "portal"}[r.IntN(4)], State: "draft", Revision: 1,
		Author: "u-1", CreatedAt: at("2026-05-01T08:00:00Z"), UpdatedAt: at("2026-05-01T08:00:00Z")}
	if r.IntN(3) > 0 {
		it.Portal = infoPortal{Designated: true, Channel: "news"}
	}
	return &simItem{info: it, tok: tok}
}

// write stores the item as the office would (the contract's shape).
func (e *env) write(s *simItem) (int64, bool) {
	e.T.Helper()
	if s.deleted {
		if _, err := e.Store.Delete(e.ctx, gateway.InfoCollection, s.ID, store.AnyVersion); err != nil && err != store.ErrNotFound {
			e.T.Fatal(err)
		}
		return 0, false
	}
	data := mustJSON(s.info)
	if s.unknownKey {
		data = []byte(strings.Replace(string(data), `"kind"`, `"retention":"10y","kind"`, 1))
	}
	d, err := e.Store.Put(e.ctx, gateway.InfoCollection, s.ID, data, store.AnyVersion)
	if err != nil {
		e.T.Fatal(err)
	}
	return d.Version, true
}

type versionKey struct {
	id      string
	version int64
}

// TestPropertyPortalHoldsExactlyWhatPolicyAllows: random items, random
// office-side changes in rounds (classification, approval, designation,
// edits, reclassification, withdrawal, embargoes, attachments, deletion),
// the gateway syncing between some of them into a whole portal (the CMS
// with its delivery index, the search API with its portal index, both
// mounted in one HTTP app). After every sync, with the indexes caught up:
//   - the portal store holds exactly what the policy allows, at the latest
//     approved revision, and no text of a revision the policy never
//     allowed (checkPortal);
//   - the delivery index lists exactly the allowed items at their latest
//     revision and keeps nothing of the others; the portal search index
//     holds exactly the allowed items; neither has any other revision's
//     text in a stored field or an indexed term (checkIndexes);
//   - over HTTP, every list, every portal document the gateway ever made
//     and full-text search show exactly that, and no response holds
//     anything else (checkAPI);
//   - every audited crossing was of a state the (independent) oracle
//     allowed (checkAudit).
//
// Every revision carries a unique token (revTokens), so "nothing else" is
// checked on all text, not just on titles.
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
	p := openPortal(t)
	e := p.env
	tk := newRevTokens()
	sims := make([]*simItem, items)
	// retired are deleted items whose slot a new item took: their portal
	// copies must stay taken back, so they are checked too.
	var retired []*simItem
	nextID := items
	// written[id, version] is the state the store held at that version.
	written := map[versionKey]*simItem{}
	record := func(s *simItem) {
		if v, ok := e.write(s); ok {
			cp := *s
			cp.info.Principals = slices.Clone(s.Principals)
			written[versionKey{s.ID, v}] = &cp
		}
	}
	for i := range sims {
		sims[i] = newSim(r, i, tk)
		record(sims[i])
	}
	auditSeen := int64(0)
	var x *expectation
	for round := range rounds {
		for range 40 {
			s := sims[r.IntN(items)]
			if s.deleted && r.IntN(3) == 0 { // re-created, under a new id
				old := *s
				retired = append(retired, &old)
				*s = *newSim(r, nextID, tk)
				nextID++
			}
			mutate(r, s, e.Clock.Now(), tk, p.files)
			record(s)
		}
		if r.IntN(4) == 0 {
			e.Clock.Advance(time.Duration(r.IntN(90)) * time.Minute)
		}
		if r.IntN(3) == 0 && round != rounds-1 {
			continue // let changes pile up before the next sync
		}
		must(t, e.gw.CatchUp(e.ctx))
		if _, err := e.gw.RunDue(e.ctx); err != nil {
			t.Fatal(err)
		}
		p.settle(t)
		x = expect(t, e, append(slices.Clone(sims), retired...), tk, p.media)
		checkPortal(t, x, round)
		p.checkIndexes(t, x, round)
		p.checkAPI(t, x, round)
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
	classified := 0
	for _, ri := range tk.all {
		if ri.classified {
			classified++
		}
	}
	t.Logf("seed %d: %d revisions (%d classified, %d ever allowed); last round %d of %d items allowed, %d portal documents; %+v",
		seed, len(tk.all), classified, len(tk.everAllowed), len(x.allowed), len(x.sims), len(x.docOf), st)
	if st.Crossed == 0 || st.Refused == 0 || st.Withdrawn == 0 || classified == 0 {
		t.Fatalf("the run exercised too little: %+v", st)
	}
}

// checkPortal checks the portal store: every allowed item is published at
// its latest revision in its channel, every other one shows nothing, no
// withdrawn or redirected items (the gateway only takes copies back as
// gone); what readers get (portal_items) holds only the allowed items'
// latest text, and the portal's records (documents, editions, import
// mappings, previews) no text of a revision never allowed. (expect has
// checked that every document and item is the one import of its source.)
func checkPortal(t *testing.T, x *expectation, round int) {
	t.Helper()
	for id, s := range x.sims {
		_, allowed := x.allowed[id]
		d, hasDoc := x.doc[id]
		it, ok := x.item[id]
		switch {
		case allowed && (!hasDoc || !ok):
			t.Fatalf("round %d: %s allowed but not on the portal", round, s.ID)
		case allowed && (it.Status != item.StatusPublished || d.Source.Revision != s.Revision || it.Title != s.Title):
			t.Fatalf("round %d: %s allowed at revision %d %q, portal has %s revision %d %q",
				round, s.ID, s.Revision, s.Title, it.Status, d.Source.Revision, it.Title)
		case allowed && (d.Channel != x.channel[id] || it.Channel != x.channel[id]):
			t.Fatalf("round %d: %s allowed in %s, portal has it in %s (item in %s)", round, s.ID, x.channel[id], d.Channel, it.Channel)
		case !allowed && ok && it.Status == item.StatusPublished:
			t.Fatalf("round %d: %s not allowed (%+v) but published on the portal", round, s.ID, s.info)
		case !allowed && ok && (it.Title != "" || it.Summary != "" || it.Body != ""):
			t.Fatalf("round %d: %s taken back but its item still shows content: %+v", round, s.ID, it)
		case ok && (it.Status == item.StatusWithdrawn || it.Status == item.StatusRedirected):
			t.Fatalf("round %d: portal item of %s in status %s", round, s.ID, it.Status)
		}
	}
	for _, coll := range portalCollections {
		for _, d := range x.raw[coll] {
			if leak := x.historyLeak(string(d.Data)); leak != "" {
				t.Fatalf("round %d: %s/%s holds %s", round, coll, d.ID, leak)
			}
			if coll != item.Collection {
				continue
			}
			if leak := x.readerLeak(string(d.Data), x.srcOf[d.ID]); leak != "" {
				t.Fatalf("round %d: portal item %s (source %s) holds %s", round, d.ID, x.srcOf[d.ID], leak)
			}
		}
	}
}

// checkAudit: every crossing audited since the last check was of a stored
// state the oracle allows at the entry's time; returns the last entry seen.
func checkAudit(t *testing.T, e *env, written map[versionKey]*simItem, after int64) int64 {
	t.Helper()
	for {
		entries, err := e.Trail.List(e.ctx, after, 1000)
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
