package gateway_test

import (
	"strings"
	"testing"
	"time"

	"zhengwu/cms/item"
	"zhengwu/gateway"
	"zhengwu/shared/store"
)

func TestPolicyRules(t *testing.T) {
	e := newEnv(t)
	now := e.Clock.Now()
	pol := e.gw.Policy()
	decide := func(mut func(*info)) (bool, string) {
		it := released("x", 2, "标题")
		mut(&it)
		gi, err := gateway.DecodeItem(mustJSON(it))
		if err != nil {
			return false, gateway.RuleMalformed
		}
		return pol.Decide(gi, now)
	}
	cases := []struct {
		name string
		mut  func(*info)
		rule string
	}{
		{"released", func(*info) {}, gateway.RuleReleased},
		{"secret", func(i *info) { i.Classification = "秘密" }, gateway.RuleClassified},
		{"top", func(i *info) { i.Classification = "机密" }, gateway.RuleClassified},
		{"unknown class", func(i *info) { i.Classification = "内部" }, gateway.RuleMalformed},
		{"missing class", func(i *info) { i.Classification = "" }, gateway.RuleMalformed},
		{"office", func(i *info) { i.Audience = "office" }, gateway.RuleAudience},
		{"submitted", func(i *info) { i.State = "submitted" }, gateway.RuleState},
		{"withdrawn", func(i *info) { i.State = "withdrawn" }, gateway.RuleState},
		{"no portal", func(i *info) { i.Portal = infoPortal{} }, gateway.RuleNotDesignated},
		// Every field the office writes is understood: a rejected item
		// (rejectedReason, submittedBy) is refused as not published, not
		// as malformed, as it was while the gateway restated the shape.
		{"rejected", func(i *info) { i.State, i.RejectedReason, i.SubmittedBy = "rejected", "请补充数据", "u-2" }, gateway.RuleState},
		{"not designated", func(i *info) { i.Portal.Designated = false }, gateway.RuleNotDesignated},
		{"no channel", func(i *info) { i.Portal.Channel = "" }, gateway.RuleNoChannel},
		{"not approved", func(i *info) { i.Portal.Approved = false }, gateway.RuleNotApproved},
		{"old approval", func(i *info) { i.Portal.ApprovedRevision = 1 }, gateway.RuleRevision},
		{"need to know", func(i *info) { i.Principals = []string{"u-9"} }, gateway.RuleNeedToKnow},
		{"exe", func(i *info) { i.Attachments[0].Type = "application/x-msdownload" }, gateway.RuleAttachment},
		{"no type", func(i *info) { i.Attachments[0].Type = "" }, gateway.RuleMalformed},
		{"ofd", func(i *info) { i.Attachments[0].Type = "application/ofd" }, gateway.RuleReleased},
		{"channel missing", func(i *info) { i.Portal.Channel = "nope" }, gateway.RuleChannelMissing},
		{"policy channel", func(i *info) { i.Portal.Channel = "files-general-office" }, gateway.RuleChannelType},
		{"embargo", func(i *info) { i.Portal.EmbargoUntil = ptr(now.Add(time.Hour)) }, gateway.RuleEmbargoed},
		{"embargo past", func(i *info) { i.Portal.EmbargoUntil = ptr(now.Add(-time.Hour)) }, gateway.RuleReleased},
		{"revision 0", func(i *info) { i.Revision = 0; i.Portal.ApprovedRevision = 0 }, gateway.RuleMalformed},
		{"no title", func(i *info) { i.Title = " " }, gateway.RuleMalformed},
		{"unknown kind", func(i *info) { i.Kind = "memo" }, gateway.RuleMalformed},
	}
	for _, c := range cases {
		ok, rule := decide(c.mut)
		if rule != c.rule || ok != (c.rule == gateway.RuleReleased) {
			t.Errorf("%s: got %v %s, want %s", c.name, ok, rule, c.rule)
		}
	}
	// Unknown keys are refused, at the top and inside portal.
	raw := strings.Replace(string(mustJSON(released("x", 1, "t"))), `"kind"`, `"hold":true,"kind"`, 1)
	if _, err := gateway.DecodeItem([]byte(raw)); err == nil {
		t.Error("unknown top-level key accepted")
	}
	raw = strings.Replace(string(mustJSON(released("x", 1, "t"))), `"designated"`, `"hold":true,"designated"`, 1)
	if _, err := gateway.DecodeItem([]byte(raw)); err == nil {
		t.Error("unknown portal key accepted")
	}
}

func TestCrossUpdateWithdrawAndAudit(t *testing.T) {
	e := newEnv(t)
	e.put(released("a", 1, "第一版"))
	secret := released("s", 1, "涉密标题")
	secret.Classification = "秘密"
	e.put(secret)
	if err := e.gw.CatchUp(e.ctx); err != nil {
		t.Fatal(err)
	}
	c, ok := e.copyOf("a")
	if !ok || c.Item.Status != item.StatusPublished || c.Item.Title != "第一版" || c.Doc.Source.Revision != 1 {
		t.Fatalf("copy = %+v %v", c, ok)
	}
	if _, ok := e.copyOf("s"); ok {
		t.Fatal("classified item crossed")
	}
	// Replaying everything changes nothing.
	if err := e.gw.Resync(e.ctx, 0); err != nil {
		t.Fatal(err)
	}
	if err := e.gw.CatchUp(e.ctx); err != nil {
		t.Fatal(err)
	}
	if c2, _ := e.copyOf("a"); c2.Item.Edition != 1 {
		t.Fatalf("replay made edition %d", c2.Item.Edition)
	}
	// An edit without re-approval: the live copy stays at revision 1?
	// No: the office edit returns it to submitted, which is refused, so
	// the copy is taken back until revision 2 is approved.
	edit := released("a", 2, "第二版")
	edit.State, edit.Portal.ApprovedRevision = "submitted", 1
	e.put(edit)
	must(t, e.gw.CatchUp(e.ctx))
	if c, _ := e.copyOf("a"); c.Item.Status != item.StatusGone || c.Item.Title != "" {
		t.Fatalf("unapproved edit left the copy: %+v", c.Item)
	}
	e.put(released("a", 2, "第二版"))
	must(t, e.gw.CatchUp(e.ctx))
	if c, _ := e.copyOf("a"); c.Item.Status != item.StatusPublished || c.Item.Title != "第二版" || c.Doc.Source.Revision != 2 {
		t.Fatalf("after re-approval: %+v", c)
	}
	// Reclassified without an edit: withdrawn.
	re := released("a", 2, "第二版")
	re.Classification = "机密"
	e.put(re)
	must(t, e.gw.CatchUp(e.ctx))
	if c, _ := e.copyOf("a"); c.Item.Status != item.StatusGone {
		t.Fatalf("reclassified copy still live: %+v", c.Item)
	}
	st, err := e.gw.Status(e.ctx)
	must(t, err)
	if st.Lag != 0 || st.Crossed != 2 || st.Withdrawn != 2 || st.Refused < 3 {
		t.Fatalf("status = %+v", st)
	}
	if txt := gateway.StatusText(st); !strings.Contains(txt, "lag 0") || !strings.Contains(txt, "crossed 2") {
		t.Fatalf("status text = %q", txt)
	}
	// Audit: crossings, refusals with rules, withdrawals.
	entries, err := e.Trail.List(e.ctx, 0, 1000)
	must(t, err)
	rules := map[string]int{}
	for _, en := range entries {
		if en.Actor == gateway.Actor {
			rules[en.Action+":"+en.Reason]++
		}
	}
	for _, want := range []string{"gateway.cross:released", "gateway.refuse:classified", "gateway.refuse:not_published",
		"gateway.withdraw:not_published", "gateway.withdraw:classified"} {
		if rules[want] == 0 {
			t.Errorf("no audit entry %s (have %v)", want, rules)
		}
	}
	if rep, err := e.Trail.Verify(e.ctx); err != nil || !rep.OK {
		t.Fatalf("audit chain: %+v %v", rep, err)
	}
}

func TestEmbargoDueAndSourceDeleted(t *testing.T) {
	e := newEnv(t)
	it := released("emb", 1, "定时发布")
	it.Portal.EmbargoUntil = ptr(e.Clock.Now().Add(2 * time.Hour))
	e.put(it)
	must(t, e.gw.CatchUp(e.ctx))
	if _, err := e.gw.RunDue(e.ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := e.copyOf("emb"); ok {
		t.Fatal("embargoed item crossed")
	}
	if st, _ := e.gw.Status(e.ctx); st.Due != 1 {
		t.Fatalf("due = %d", st.Due)
	}
	e.Clock.Advance(2*time.Hour + time.Second)
	n, err := e.gw.RunDue(e.ctx)
	if err != nil || n != 1 {
		t.Fatalf("run due = %d, %v", n, err)
	}
	if c, ok := e.copyOf("emb"); !ok || c.Item.Status != item.StatusPublished {
		t.Fatalf("embargo ended, no copy: %+v", c)
	}
	if st, _ := e.gw.Status(e.ctx); st.Due != 0 {
		t.Fatalf("due after = %d", st.Due)
	}
	// The source is deleted: the copy goes (feed path) ...
	if _, err := e.Store.Delete(e.ctx, gateway.InfoCollection, "emb", store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	must(t, e.gw.CatchUp(e.ctx))
	if c, _ := e.copyOf("emb"); c.Item.Status != item.StatusGone {
		t.Fatalf("deleted source, copy = %+v", c.Item)
	}
	// ... and Reconcile repairs a copy the feed path never saw go.
	e.put(released("orph", 1, "孤儿"))
	must(t, e.gw.CatchUp(e.ctx))
	cp, _ := e.gw.Status(e.ctx)
	if _, err := e.Store.Delete(e.ctx, gateway.InfoCollection, "orph", store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	// Pretend the gateway already consumed the deletion.
	last, _ := e.Store.LastSeq(e.ctx)
	must(t, e.gw.Resync(e.ctx, last))
	_ = cp
	rep, err := e.gw.Reconcile(e.ctx)
	if err != nil || rep.Orphans != 1 {
		t.Fatalf("reconcile = %+v, %v", rep, err)
	}
	if c, _ := e.copyOf("orph"); c.Item.Status != item.StatusGone {
		t.Fatalf("orphan copy = %+v", c.Item)
	}
	if rep, err := e.gw.Reconcile(e.ctx); err != nil || rep.Crossed+rep.Withdrawn != 0 {
		t.Fatalf("second reconcile = %+v, %v", rep, err)
	}
}

func TestMalformedAndPortalRejected(t *testing.T) {
	e := newEnv(t)
	raw := strings.Replace(string(mustJSON(released("m", 1, "t"))), `"kind"`, `"extra":1,"kind"`, 1)
	if _, err := e.Store.Put(e.ctx, gateway.InfoCollection, "m", []byte(raw), store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	// A date the office would never write is no date: malformed, refused.
	garbage := strings.Replace(string(mustJSON(released("g", 1, "t"))), `"approvedRevision"`, `"embargoUntil":"tomorrow","approvedRevision"`, 1)
	if _, err := e.Store.Put(e.ctx, gateway.InfoCollection, "g", []byte(garbage), store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	bad := released("b", 1, "附件名为空")
	bad.Attachments[0].Name = ""
	e.put(bad)
	must(t, e.gw.CatchUp(e.ctx))
	for _, id := range []string{"m", "g", "b"} {
		if c, ok := e.copyOf(id); ok && c.Item.Status == item.StatusPublished {
			t.Fatalf("%s crossed", id)
		}
	}
	entries, _ := e.Trail.List(e.ctx, 0, 100)
	got := map[string]bool{}
	for _, en := range entries {
		if en.Action == gateway.ActionRefuse {
			got[en.Target+":"+en.Reason] = true
		}
	}
	if !got["info_items/m:malformed"] || !got["info_items/g:malformed"] || !got["info_items/b:portal_rejected"] {
		t.Fatalf("refusals = %v", got)
	}
}

// An item moved to another channel at the same revision, as the office
// does it (Designate resets the portal approval, PortalApprove approves
// the same revision again), read by the gateway only after both: its
// portal copy must move to the new channel (content.Import does not take
// the same revision for current when its channel changed).
func TestRedesignationAtTheSameRevisionMovesTheCopy(t *testing.T) {
	e := newEnv(t)
	it := released("moved", 1, "改投栏目")
	e.put(it)
	must(t, e.gw.CatchUp(e.ctx))
	if c, ok := e.copyOf("moved"); !ok || c.Item.Channel != "news" {
		t.Fatalf("first crossing: %+v", c.Item)
	}
	it.Portal.Channel, it.Portal.Approved = "files-interpretation", false // Designate
	e.put(it)
	it.Portal.Approved = true // PortalApprove, same revision
	e.put(it)
	must(t, e.gw.CatchUp(e.ctx))
	c, ok := e.copyOf("moved")
	if !ok || c.Item.Status != item.StatusPublished || c.Doc.Channel != "files-interpretation" || c.Item.Channel != "files-interpretation" {
		t.Fatalf("after the move the copy is %s in %s (item in %s), want published in files-interpretation",
			c.Item.Status, c.Doc.Channel, c.Item.Channel)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
