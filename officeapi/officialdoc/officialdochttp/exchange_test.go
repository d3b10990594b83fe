package officialdochttp_test

import (
	"context"
	"strconv"
	"testing"

	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/officetest"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// toDispatch drafts a 发文 of 秘书二处 with the given recipients and moves
// it to 核发 (the clerk of 综合处 holds doc.dispatch).
func toDispatch(t *testing.T, e *officetest.Env, mainTo, copyTo []string) string {
	t.Helper()
	id := idOf(t, draft(e, "staff", map[string]any{"mainTo": mainTo, "copyTo": copyTo}))
	if r := e.Do("POST", base+"/documents/"+id+"/submit", e.TokenOf("staff"), nil); r.Status != 200 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	for _, who := range []string{"chuzhang", "director", "clerk", "clerk", "printer"} {
		step(t, e, who, id, nil)
	}
	if task := taskOf(t, e, "clerk", id); task.Node != "dispatch" {
		t.Fatalf("not at 核发: %+v", task)
	}
	return id
}

// hasTask reports whether user has an open task on doc.
func hasTask(e *officetest.Env, t *testing.T, user, doc string) bool {
	var list officialdoc.TaskList
	e.Do("GET", base+"/tasks?consistentWith="+strconv.FormatInt(e.LastSeq, 10), e.TokenOf(user), nil).Decode(t, &list)
	for _, it := range list.Items {
		if it.DocumentID == doc {
			return true
		}
	}
	return false
}

func TestDispatchFilesAnIncomingDocumentInEachUnitOnce(t *testing.T) {
	e := newEnv(t)
	id := toDispatch(t, e, []string{"合肥市人民政府办公室、省发展和改革委员会"}, []string{"省财政厅", "合肥市人民政府办公室"})
	step(t, e, "clerk", id, nil)
	d := load(t, e, id)
	hefei, fgw := id+"-hefei", id+"-fgw"
	want := []officialdoc.Receipt{
		{Name: "合肥市人民政府办公室", Kind: "mainTo", Unit: "hefei", Document: hefei, State: officialdoc.ReceiptSent},
		{Name: "省发展和改革委员会", Kind: "mainTo", Unit: "fgw", Document: fgw, State: officialdoc.ReceiptSent},
		{Name: "省财政厅", Kind: "copyTo", State: officialdoc.ReceiptOffline},
	}
	if len(d.Receipts) != len(want) {
		t.Fatalf("receipts: %+v", d.Receipts)
	}
	for i, r := range want {
		if d.Receipts[i] != r {
			t.Errorf("receipt %d: %+v, want %+v", i, d.Receipts[i], r)
		}
	}
	// 合肥's 收发员 has 签收 on the copy, with the 文号 and fields as issued;
	// the province's clerk has no task on it, and 合肥 cannot read the 发文.
	got := taskOf(t, e, "hfclerk", hefei)
	if got.Node != "receive" {
		t.Fatalf("合肥's first task: %+v", got)
	}
	if hasTask(e, t, "clerk", hefei) || hasTask(e, t, "fgwclerk", hefei) || !hasTask(e, t, "fgwclerk", fgw) {
		t.Fatal("the 签收 tasks are not each unit's own")
	}
	r := e.Do("GET", base+"/documents/"+hefei, e.TokenOf("hfclerk"), nil)
	v := r.JSON()
	if r.Status != 200 || v["docNumber"] != d.DocNumber || v["direction"] != "incoming" || v["title"] != d.Title ||
		v["department"] != "hefei" || v["from"].(map[string]any)["unitName"] != "省政府办公厅" {
		t.Fatalf("合肥's copy: %d %s", r.Status, r.Body)
	}
	testkit.WantProblem(t, e.Do("GET", base+"/documents/"+id, e.TokenOf("hfclerk"), nil), 404, "not_found")
	testkit.WantProblem(t, e.Do("GET", base+"/documents/"+hefei, e.TokenOf("fgwclerk"), nil), 404, "not_found")
	if n := len(e.Audited("officialdoc.exchange", officialdoc.Collection+"/"+hefei)); n != 1 {
		t.Fatalf("%d exchange entries for 合肥", n)
	}

	// 核发 cannot be withdrawn once the copies are out.
	testkit.WantProblem(t, e.Do("POST", base+"/tasks/"+taskOf(t, e, "clerk", id).ID+"/actions", e.TokenOf("clerk"),
		map[string]any{"action": "withdraw"}), 409, "officialdoc_dispatched")
	// Back to 核发 and through it again: no second copy, no second task.
	r = e.Do("POST", base+"/tasks/"+taskOf(t, e, "clerk", id).ID+"/actions", e.TokenOf("clerk"), map[string]any{"action": "return", "to": "dispatch"})
	if r.Status != 200 {
		t.Fatalf("return to 核发: %d %s", r.Status, r.Body)
	}
	step(t, e, "clerk", id, nil)
	if n := len(e.Audited("officialdoc.exchange", officialdoc.Collection+"/"+hefei)); n != 1 {
		t.Fatalf("%d exchange entries for 合肥 after a second 核发", n)
	}
	if d2 := load(t, e, id); len(d2.Receipts) != 3 || d2.Receipts[0].State != officialdoc.ReceiptSent {
		t.Fatalf("receipts after a second 核发: %+v", d2.Receipts)
	}

	// 合肥 signs for it: the sender's receipt says who and when.
	step(t, e, "hfclerk", hefei, nil)
	rc := load(t, e, id).Receipts[0]
	if rc.State != officialdoc.ReceiptReceived || rc.ReceivedBy != e.UserID("hfclerk") || rc.ReceivedByName != "孙丽娟" || rc.ReceivedAt.IsZero() {
		t.Fatalf("合肥's receipt after 签收: %+v", rc)
	}
	// 合肥's flow stays in 合肥: 登记 (its clerk), 初审 and 拟办 (its head),
	// 批办 (its leader).
	for _, who := range []string{"hfclerk", "hfhead", "hfhead"} {
		step(t, e, who, hefei, nil)
	}
	if taskOf(t, e, "hfleader", hefei).Node != "decide" || hasTask(e, t, "director", hefei) {
		t.Fatal("合肥's 批办 is not its leader's alone")
	}
}

// A unit with no one to sign for a 收文 (its 收发员 disabled) is told
// outside the system: the 核发 goes through, its receipt says 线下送达,
// and no copy is filed there.
func TestDispatchToAUnitWithoutAClerkIsOffline(t *testing.T) {
	e := newEnv(t)
	disabled := true
	if _, err := e.Identity.UpdateUser(context.Background(), identity.Actor{IP: "local"}, e.UserID("fgwclerk"),
		identity.UserChange{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	id := toDispatch(t, e, []string{"合肥市人民政府办公室", "省发展和改革委员会"}, nil)
	step(t, e, "clerk", id, nil)
	d := load(t, e, id)
	if len(d.Receipts) != 2 || d.Receipts[0].State != officialdoc.ReceiptSent ||
		d.Receipts[1] != (officialdoc.Receipt{Name: "省发展和改革委员会", Kind: "mainTo", Unit: "fgw", State: officialdoc.ReceiptOffline}) {
		t.Fatalf("receipts: %+v", d.Receipts)
	}
	if _, _, err := store.Load[officialdoc.Document](context.Background(), e.Store, officialdoc.Collection, id+"-fgw"); err == nil {
		t.Fatal("a copy was filed in a unit with no one to sign for it")
	}
}
