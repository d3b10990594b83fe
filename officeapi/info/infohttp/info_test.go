package infohttp_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"

	"zhengwu/officeapi/info"
	"zhengwu/shared/audit"
	"zhengwu/shared/store"
)

func TestWorkflowOfficeItem(t *testing.T) {
	e := newEnv(t)
	m := e.ok(e.as("editor", "POST", "/items", item(map[string]any{"body": `<p onclick="x()">正文<script>alert(1)</script><a href="javascript:alert(1)">链接</a></p>`})), 201)
	id := m["id"].(string)
	if m["state"] != "draft" || m["revision"].(float64) != 1 || m["version"].(float64) != 1 {
		t.Fatalf("created: %v", m)
	}
	body := m["body"].(string)
	if strings.Contains(body, "script") || strings.Contains(body, "onclick") || strings.Contains(body, "javascript") || !strings.Contains(body, "正文") {
		t.Fatalf("body not sanitised: %q", body)
	}
	// A draft is the department's: staff of another department cannot see it.
	e.problem(e.as("staff", "GET", "/items/"+id, nil), 404, "")
	// Approving a draft is refused (wrong state); a department reviewer may not publish office items.
	e.problem(e.as("director", "POST", "/items/"+id+"/approve", nil), 404, "") // drafts are not shown to office review
	e.ok(e.as("editor", "POST", "/items/"+id+"/submit", nil), 200)
	e.problem(e.as("editor", "POST", "/items/"+id+"/submit", nil), 409, "")
	e.problem(e.as("reviewer", "POST", "/items/"+id+"/approve", nil), 403, "")
	e.problem(e.as("editor", "POST", "/items/"+id+"/approve", nil), 403, "")
	// Reject, edit, resubmit, approve.
	m = e.ok(e.as("director", "POST", "/items/"+id+"/reject", map[string]any{"reason": "请补充数据"}), 200)
	if m["state"] != "rejected" || m["rejectedReason"] != "请补充数据" {
		t.Fatalf("rejected: %v", m)
	}
	e.ok(e.as("editor", "POST", "/items/"+id+"/submit", nil), 200)
	m = e.ok(e.as("director", "POST", "/items/"+id+"/approve", nil), 200)
	if m["state"] != "published" || m["publishedAt"] == nil {
		t.Fatalf("approved: %v", m)
	}
	// Now the whole office reads it, staff included.
	e.ok(e.as("staff", "GET", "/items/"+id, nil), 200)
	ids, _ := e.list("staff", "scope=office")
	if !slices.Contains(ids, id) {
		t.Fatalf("office list lacks the published item: %v", ids)
	}
	// Editing a published item bumps the revision and returns it to review.
	cur := e.ok(e.as("editor", "GET", "/items/"+id, nil), 200)
	upd := item(map[string]any{"title": "全省政务信息工作会议召开（修订）", "department": nil, "version": cur["version"]})
	m = e.ok(e.as("editor", "PUT", "/items/"+id, upd), 200)
	if m["state"] != "submitted" || m["revision"].(float64) != 2 {
		t.Fatalf("edited published item: %v", m)
	}
	e.problem(e.as("staff", "GET", "/items/"+id, nil), 404, "")
	// Withdraw with a reason.
	e.ok(e.as("director", "POST", "/items/"+id+"/approve", nil), 200)
	m = e.ok(e.as("editor", "POST", "/items/"+id+"/withdraw", map[string]any{"reason": "内容过时"}), 200)
	if m["state"] != "withdrawn" || m["withdrawnReason"] != "内容过时" {
		t.Fatalf("withdrawn: %v", m)
	}
	e.problem(e.as("editor", "POST", "/items/"+id+"/withdraw", map[string]any{"reason": "again"}), 409, "")
	ids, _ = e.list("staff", "scope=office")
	if slices.Contains(ids, id) {
		t.Fatal("withdrawn item still listed")
	}
	// Every transition is audited.
	actions := auditActions(t, e)
	for _, a := range []string{"info.item.create", "info.item.submit", "info.item.reject", "info.item.approve", "info.item.update", "info.item.withdraw"} {
		if !actions[a+"/success"] {
			t.Errorf("no audit entry for %s", a)
		}
	}
	if !actions["info.item.approve/failure"] {
		t.Error("refused approval not audited")
	}
}

func auditActions(t *testing.T, e *env) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	docs, err := e.store.Scan(context.Background(), audit.Collection, "", 10000)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		var en audit.Entry
		_ = d.Decode(&en)
		out[en.Action+"/"+en.Outcome] = true
	}
	return out
}

func TestDepartmentItemsStayInTheDepartment(t *testing.T) {
	e := newEnv(t)
	id := e.create(map[string]any{"audience": "department"})
	e.ok(e.as("editor", "POST", "/items/"+id+"/submit", nil), 200)
	// The department's own reviewer publishes department items.
	m := e.ok(e.as("reviewer", "POST", "/items/"+id+"/approve", nil), 200)
	if m["state"] != "published" {
		t.Fatalf("%v", m)
	}
	// reviewer is a member of 信息处: sees it; staff (秘书二处) and clerk (综合处) do not.
	e.ok(e.as("reviewer", "GET", "/items/"+id, nil), 200)
	for _, u := range []string{"staff", "clerk"} {
		e.problem(e.as(u, "GET", "/items/"+id, nil), 404, "")
		ids, total := e.list(u, "")
		if slices.Contains(ids, id) || total != 0 {
			t.Fatalf("%s lists a department item of another department: %v %d", u, ids, total)
		}
		ids, total = e.list(u, "scope=department&department=xinxi")
		if len(ids) != 0 || total != 0 {
			t.Fatalf("%s lists 信息处's platform: %v", u, ids)
		}
	}
	ids, _ := e.list("reviewer", "scope=department")
	if !slices.Contains(ids, id) {
		t.Fatalf("member's department list lacks the item: %v", ids)
	}
	ids, _ = e.list("reviewer", "scope=office")
	if slices.Contains(ids, id) {
		t.Fatal("department item on the office-wide list")
	}
}

func TestClassifiedItemInvisibleBelowClearance(t *testing.T) {
	e := newEnv(t)
	open := e.publish(nil)
	secret := e.publish(map[string]any{"classification": "秘密", "title": "秘密工作动态"})
	// staff's clearance is 非密: the 秘密 item is neither shown nor counted.
	e.problem(e.as("staff", "GET", "/items/"+secret, nil), 404, "")
	ids, total := e.list("staff", "scope=office")
	if slices.Contains(ids, secret) || !slices.Contains(ids, open) || total != 1 {
		t.Fatalf("staff sees %v total %d", ids, total)
	}
	// Searching for its title finds nothing either.
	ids, total = e.list("staff", "q=秘密工作")
	if len(ids) != 0 || total != 0 {
		t.Fatalf("search leaks: %v %d", ids, total)
	}
	// clerk (秘密) sees both.
	ids, total = e.list("clerk", "scope=office")
	if !slices.Contains(ids, secret) || total != 2 {
		t.Fatalf("clerk sees %v total %d", ids, total)
	}
	ids, _ = e.list("clerk", "q=秘密工作")
	if len(ids) != 1 || ids[0] != secret {
		t.Fatalf("full-text: %v", ids)
	}
	// An editor cannot write above their own clearance.
	e.problem(e.as("editor", "POST", "/items", item(map[string]any{"classification": "机密"})), 400, "classification")
}

func TestNeedToKnow(t *testing.T) {
	e := newEnv(t)
	staffID := userID(t, e, "staff")
	id := e.publish(map[string]any{"principals": []string{staffID}})
	e.ok(e.as("staff", "GET", "/items/"+id, nil), 200)
	e.problem(e.as("clerk", "GET", "/items/"+id, nil), 404, "")
	ids, total := e.list("clerk", "scope=office")
	if slices.Contains(ids, id) || total != 0 {
		t.Fatalf("clerk sees a need-to-know item: %v %d", ids, total)
	}
	ids, _ = e.list("staff", "scope=office")
	if !slices.Contains(ids, id) {
		t.Fatal("listed principal does not see it")
	}
	// Restricted items never go to the portal.
	e.problem(e.as("editor", "POST", "/items/"+id+"/designate", map[string]any{"channel": "news"}), 400, "")
}

func userID(t *testing.T, e *env, username string) string {
	u, _, err := e.Identity.UserByUsername(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func TestPortalDesignationAndApproval(t *testing.T) {
	e := newEnv(t)
	id := e.publish(map[string]any{"audience": "portal"})
	// Only an office-wide portal.item.publish holder approves; reviewer's is scoped.
	e.problem(e.as("director", "POST", "/items/"+id+"/portal-approve", nil), 400, "portal.designated")
	e.problem(e.as("staff", "POST", "/items/"+id+"/designate", map[string]any{"channel": "news"}), 403, "")
	e.ok(e.as("editor", "POST", "/items/"+id+"/designate", map[string]any{"channel": "news", "embargoUntil": "2026-01-01T08:00:00+08:00"}), 200)
	e.problem(e.as("reviewer", "POST", "/items/"+id+"/portal-approve", nil), 403, "")
	m := e.ok(e.as("director", "POST", "/items/"+id+"/portal-approve", nil), 200)
	p := m["portal"].(map[string]any)
	if p["approved"] != true || p["approvedRevision"].(float64) != 1 || p["channel"] != "news" || p["approvedBy"] != userID(t, e, "director") || p["embargoUntil"] != "2026-01-01T00:00:00Z" {
		t.Fatalf("portal: %v", p)
	}
	// The desktop of a portal publisher no longer lists it as pending.
	// Revoke with a reason.
	e.problem(e.as("director", "POST", "/items/"+id+"/portal-revoke", map[string]any{}), 400, "reason")
	m = e.ok(e.as("director", "POST", "/items/"+id+"/portal-revoke", map[string]any{"reason": "需核实"}), 200)
	if m["portal"].(map[string]any)["approved"] != false {
		t.Fatalf("revoke: %v", m)
	}
	// The stored document has the contract's shape.
	doc, err := e.store.Get(context.Background(), info.Collection, id)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	_ = json.Unmarshal(doc.Data, &raw)
	for _, k := range []string{"id", "department", "kind", "title", "summary", "body", "classification", "principals", "audience", "state", "revision", "portal", "attachments", "author", "createdAt", "updatedAt", "publishedAt"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("stored item lacks %q", k)
		}
	}
	if _, ok := raw["version"]; ok {
		t.Error("the store version leaked into the document")
	}
}

func TestClassifiedItemsNeverDesignatedOrApproved(t *testing.T) {
	e := newEnv(t)
	id := e.publish(map[string]any{"audience": "portal", "classification": "秘密"})
	m := e.problem(e.as("editor", "POST", "/items/"+id+"/designate", map[string]any{"channel": "news"}), 400, "classification")
	if !strings.Contains(m["detail"].(string), "秘密") || !strings.Contains(m["detail"].(string), "非密") {
		t.Fatalf("message: %v", m["detail"])
	}
	e.problem(e.as("director", "POST", "/items/"+id+"/portal-approve", nil), 400, "classification")
	// A designated, approved item reclassified by an edit loses both.
	id2 := e.publish(map[string]any{"audience": "portal"})
	e.ok(e.as("editor", "POST", "/items/"+id2+"/designate", map[string]any{"channel": "news"}), 200)
	e.ok(e.as("director", "POST", "/items/"+id2+"/portal-approve", nil), 200)
	cur := e.ok(e.as("editor", "GET", "/items/"+id2, nil), 200)
	m = e.ok(e.as("editor", "PUT", "/items/"+id2, item(map[string]any{"department": nil, "audience": "portal", "classification": "秘密", "version": cur["version"]})), 200)
	p := m["portal"].(map[string]any)
	if p["approved"] != false || p["designated"] != false || m["revision"].(float64) != 2 {
		t.Fatalf("reclassified: %v", m)
	}
	e.ok(e.as("director", "POST", "/items/"+id2+"/approve", nil), 200)
	e.problem(e.as("director", "POST", "/items/"+id2+"/portal-approve", nil), 400, "classification")
	// Non-portal audience cannot be designated.
	id3 := e.publish(nil)
	e.problem(e.as("editor", "POST", "/items/"+id3+"/designate", map[string]any{"channel": "news"}), 400, "audience")
	if !auditActions(t, e)["info.item.designate/failure"] {
		t.Error("refused designation not audited")
	}
}

func TestAutoPublishRule(t *testing.T) {
	e := newEnv(t)
	e.problem(e.as("editor", "POST", "/rules", map[string]any{"department": "xinxi", "kind": "update", "channel": "news"}), 403, "")
	e.problem(e.as("director", "GET", "/rules", nil), 403, "")
	r := e.ok(e.as("secadmin", "POST", "/rules", map[string]any{"department": "xinxi", "kind": "update", "channel": "zwyw"}), 201)
	rules := e.ok(e.as("secadmin", "GET", "/rules", nil), 200)
	if rules["total"].(float64) != 1 {
		t.Fatalf("rules: %v", rules)
	}
	// An office update of 信息处 is designated and portal-approved on office approval.
	id := e.publish(nil)
	m := e.ok(e.as("editor", "GET", "/items/"+id, nil), 200)
	p := m["portal"].(map[string]any)
	if m["audience"] != "portal" || p["designated"] != true || p["approved"] != true || p["channel"] != "zwyw" || p["approvedRevision"].(float64) != 1 {
		t.Fatalf("auto-published: %v", m)
	}
	// An edit withdraws the approval; the office's re-approval applies the rule at the new revision.
	m = e.ok(e.as("editor", "PUT", "/items/"+id, item(map[string]any{"department": nil, "audience": "portal", "title": "修订", "version": m["version"]})), 200)
	if m["portal"].(map[string]any)["approved"] != false || m["revision"].(float64) != 2 {
		t.Fatalf("edited: %v", m)
	}
	m = e.ok(e.as("director", "POST", "/items/"+id+"/approve", nil), 200)
	if p := m["portal"].(map[string]any); p["approved"] != true || p["approvedRevision"].(float64) != 2 {
		t.Fatalf("re-approved: %v", m)
	}
	// A classified one, another kind or a department item is not.
	for _, o := range []map[string]any{{"classification": "秘密"}, {"kind": "notice"}, {"audience": "department"}} {
		id := e.publish(o)
		m := e.ok(e.as("editor", "GET", "/items/"+id, nil), 200)
		if m["portal"].(map[string]any)["approved"] == true {
			t.Fatalf("rule applied to %v: %v", o, m)
		}
	}
	// Only the security administrator deletes rules, whatever the id.
	long := strings.Repeat("x", 100)
	e.problem(e.as("editor", "DELETE", "/rules/"+r["id"].(string), nil), 403, "")
	e.problem(e.as("editor", "DELETE", "/rules/"+long, nil), 403, "")
	e.problem(e.as("secadmin", "DELETE", "/rules/"+long, nil), 404, "")
	e.ok(e.as("secadmin", "DELETE", "/rules/"+r["id"].(string), nil), 204)
	e.problem(e.as("secadmin", "DELETE", "/rules/"+r["id"].(string), nil), 404, "")
	id = e.publish(nil)
	if e.ok(e.as("editor", "GET", "/items/"+id, nil), 200)["portal"].(map[string]any)["approved"] == true {
		t.Fatal("deleted rule still applied")
	}
}

func TestStaleUpdateAndConcurrentApproval(t *testing.T) {
	e := newEnv(t)
	id := e.create(nil)
	cur := e.ok(e.as("editor", "GET", "/items/"+id, nil), 200)
	v := cur["version"]
	e.ok(e.as("editor", "PUT", "/items/"+id, item(map[string]any{"department": nil, "title": "一", "version": v})), 200)
	e.problem(e.as("editor", "PUT", "/items/"+id, item(map[string]any{"department": nil, "title": "二", "version": v})), 409, "")
	// Two approvals race: exactly one wins, the other is a 409.
	e.ok(e.as("editor", "POST", "/items/"+id+"/submit", nil), 200)
	tok := e.tok("director")
	var wg sync.WaitGroup
	codes := make([]int, 8)
	for i := range codes {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			codes[i] = e.raw("POST", base+"/items/"+id+"/approve", tok, nil).Status
		}(i)
	}
	wg.Wait()
	won := 0
	for _, c := range codes {
		switch c {
		case 200:
			won++
		case 409:
		default:
			t.Fatalf("status %d", c)
		}
	}
	if won != 1 {
		t.Fatalf("%d approvals won: %v", won, codes)
	}
}

func TestDesktop(t *testing.T) {
	e := newEnv(t)
	deptItem := e.publish(map[string]any{"audience": "department", "title": "处内通知"})
	officeItem := e.publish(map[string]any{"title": "全厅通知"})
	draft := e.create(map[string]any{"title": "我的草稿"})
	waiting := e.create(map[string]any{"title": "待审稿件"})
	e.ok(e.as("editor", "POST", "/items/"+waiting+"/submit", nil), 200)
	portal := e.publish(map[string]any{"audience": "portal"})
	e.ok(e.as("editor", "POST", "/items/"+portal+"/designate", map[string]any{"channel": "news"}), 200)

	get := func(user string) map[string][]string {
		m := e.ok(e.as(user, "GET", "/desktop?consistentWith="+itoa(e.lastSeq), nil), 200)
		out := map[string][]string{}
		for _, k := range []string{"department", "office", "awaitingReview", "awaitingPortal", "drafts"} {
			for _, it := range m[k].([]any) {
				out[k] = append(out[k], it.(map[string]any)["id"].(string))
			}
		}
		return out
	}
	ed := get("editor")
	if !slices.Contains(ed["department"], deptItem) || !slices.Contains(ed["office"], officeItem) || !slices.Contains(ed["drafts"], draft) || slices.Contains(ed["drafts"], waiting) {
		t.Fatalf("editor desktop: %v", ed)
	}
	dir := get("director")
	if !slices.Contains(dir["awaitingReview"], waiting) || !slices.Contains(dir["awaitingPortal"], portal) || slices.Contains(dir["department"], deptItem) {
		t.Fatalf("director desktop: %v", dir)
	}
	st := get("staff")
	if slices.Contains(st["office"], deptItem) || !slices.Contains(st["office"], officeItem) || len(st["awaitingReview"]) != 0 {
		t.Fatalf("staff desktop: %v", st)
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestBadInput(t *testing.T) {
	e := newEnv(t)
	id := e.create(nil)
	cases := []struct {
		method, path string
		body         any
		status       int
		field        string
	}{
		{"POST", "/items", "", 400, "body"},
		{"POST", "/items", "[1]", 400, "body"},
		{"POST", "/items", `{"title":`, 400, "body"},
		{"POST", "/items", item(map[string]any{"classification": nil}), 400, "classification"},
		{"POST", "/items", item(map[string]any{"classification": "绝密X"}), 400, "classification"},
		{"POST", "/items", item(map[string]any{"kind": "gossip"}), 400, "kind"},
		{"POST", "/items", item(map[string]any{"audience": "world"}), 400, "audience"},
		{"POST", "/items", item(map[string]any{"title": "  "}), 400, "title"},
		{"POST", "/items", item(map[string]any{"title": strings.Repeat("长", 201)}), 400, "title"},
		{"POST", "/items", item(map[string]any{"department": nil}), 400, "department"},
		{"POST", "/items", item(map[string]any{"extra": 1}), 400, "extra"},
		{"POST", "/items", item(map[string]any{"principals": "x"}), 400, "principals"},
		{"POST", "/items", item(map[string]any{"attachments": []any{map[string]any{"mediaId": "x", "name": "a", "size": 1, "type": "application/pdf"}}}), 400, "attachments[0].mediaId"},
		{"POST", "/items", item(map[string]any{"department": "ducha"}), 403, ""},
		{"PUT", "/items/" + id, item(map[string]any{"department": nil}), 400, "version"},
		{"PUT", "/items/" + id, item(map[string]any{"department": nil, "version": "1"}), 400, "version"},
		{"PUT", "/items/" + id, item(map[string]any{"department": "ducha", "version": 1}), 400, "department"},
		{"PUT", "/items/" + id, item(map[string]any{"department": nil, "version": 1, "classification": "绝密"}), 400, "classification"},
		{"PUT", "/items/" + id, item(map[string]any{"department": nil, "version": 1, "title": nil}), 400, "title"},
		{"PUT", "/items/" + id, item(map[string]any{"department": nil, "version": 1, "classification": "机密"}), 400, "classification"},
		{"PUT", "/items/nope", item(map[string]any{"department": nil, "version": 1}), 404, ""},
		{"GET", "/items/nope", nil, 404, ""},
		{"GET", "/items/" + strings.Repeat("x", 100), nil, 404, ""},
		{"POST", "/items/" + id + "/submit", `{"x":1}`, 400, "x"},
		{"POST", "/items/" + id + "/reject", nil, 400, "body"},
		{"POST", "/items/" + id + "/reject", map[string]any{"reason": ""}, 400, "reason"},
		{"POST", "/items/" + id + "/withdraw", map[string]any{"reason": 5}, 400, "reason"},
		{"POST", "/items/" + id + "/designate", map[string]any{}, 400, "channel"},
		{"POST", "/items/" + id + "/designate", map[string]any{"channel": "新闻"}, 400, "channel"},
		{"POST", "/items/" + id + "/designate", map[string]any{"channel": "news", "embargoUntil": "tomorrow"}, 400, "embargoUntil"},
		{"POST", "/items/" + id + "/portal-revoke", map[string]any{}, 400, "reason"},
		{"GET", "/items?scope=world", nil, 400, "scope"},
		{"GET", "/items?kind=gossip", nil, 400, "kind"},
		{"GET", "/items?state=lost", nil, 400, "state"},
		{"GET", "/items?size=0", nil, 400, "size"},
		{"GET", "/items?size=abc", nil, 400, "size"},
		{"GET", "/items?cursor=garbage", nil, 400, ""},
		{"GET", "/items?consistentWith=-1", nil, 400, "consistentWith"},
		{"GET", "/items?q=" + strings.Repeat("查", 101), nil, 400, "q"},
		{"GET", "/desktop?consistentWith=x", nil, 400, "consistentWith"},
		// Ahead of the store: no write returned it (was a 503 after 2 s).
		{"GET", "/items?consistentWith=99999999", nil, 400, "consistentWith"},
		{"GET", "/desktop?consistentWith=99999999", nil, 400, "consistentWith"},
	}
	for _, c := range cases {
		r := e.as("editor", c.method, c.path, c.body)
		if r.Status >= 500 {
			t.Fatalf("%s %s: %d %s", c.method, c.path, r.Status, r.Body)
		}
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			e.t = t
			e.problem(r, c.status, c.field)
		})
	}
	e.t = t
	// Rules: validation, as the security administrator.
	e.problem(e.as("secadmin", "POST", "/rules", map[string]any{"department": "xinxi", "kind": "x", "channel": "news"}), 400, "kind")
	e.problem(e.as("secadmin", "POST", "/rules", map[string]any{"department": "xinxi", "kind": "update", "channel": "News!"}), 400, "channel")
	e.problem(e.as("secadmin", "POST", "/rules", map[string]any{"kind": "update", "channel": "news"}), 400, "department")
	// Signed-out callers get 401 everywhere.
	for _, p := range []string{"/items", "/desktop", "/rules", "/items/" + id} {
		e.problem(e.raw("GET", base+p, "", nil), 401, "")
	}
}

func TestListPagingWithCursor(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 5; i++ {
		e.create(map[string]any{"title": "稿件" + itoa(int64(i))})
	}
	m := e.ok(e.as("editor", "GET", "/items?size=2&consistentWith="+itoa(e.lastSeq), nil), 200)
	seen := map[string]bool{}
	pages := 0
	for {
		pages++
		for _, it := range m["items"].([]any) {
			seen[it.(map[string]any)["id"].(string)] = true
		}
		next, _ := m["next"].(string)
		if next == "" {
			break
		}
		m = e.ok(e.as("editor", "GET", "/items?size=2&cursor="+next, nil), 200)
	}
	if len(seen) != 5 || pages != 3 || m["total"].(float64) != 5 {
		t.Fatalf("paged %d items in %d pages: %v", len(seen), pages, m)
	}
	_ = store.AnyVersion
}
