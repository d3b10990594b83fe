package leavehttp_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"zhengwu/officeapi"
	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/leave"
	"zhengwu/officeapi/leave/leavehttp"
	"zhengwu/officeapi/officetest"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/testkit"
)

const base = "/api/office/v1/leave"

// newEnv is the demo office with leave requests mounted. Its 秘书二处 has
// staff (陈晓燕) and its head chuzhang (刘志强, dept_head there).
func newEnv(t *testing.T) (*officetest.Env, *leave.Service) {
	e := officetest.New(t)
	svc, err := leave.New(e.Deps("leave"))
	if err != nil {
		t.Fatal(err)
	}
	e.Mount(svc, leavehttp.Routes(svc, e.Tokens))
	return e, svc
}

func apply(e *officetest.Env, user string, body map[string]any) testkit.Response {
	in := map[string]any{"kind": "年休假", "start": "2026-04-07", "end": "2026-04-09", "reason": "回老家探亲"}
	maps.Copy(in, body)
	return e.Do("POST", base+"/requests", e.TokenOf(user), in)
}

func idOf(t *testing.T, r testkit.Response) string {
	t.Helper()
	if r.Status != 201 {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}
	return r.JSON()["id"].(string)
}

func TestRequestApprovedByTheDepartmentHead(t *testing.T) {
	e, _ := newEnv(t)
	api := officeapi.API(e.Routes)
	r := apply(e, "staff", nil)
	openapitest.Response(t, api, "POST", "/leave/requests", r.Status, r.Body)
	id := idOf(t, r)
	if v := r.JSON(); v["state"] != "pending" || v["days"] != 3.0 || v["department"] != "mishu2" || v["applicantName"] != "陈晓燕" {
		t.Fatalf("applied: %s", r.Body)
	}
	if got := e.Listed("staff", "/leave/requests"); !slices.Equal(got, []string{id}) {
		t.Fatalf("staff's own list: %v", got)
	}
	if got := e.Listed("chuzhang", "/leave/approvals"); !slices.Equal(got, []string{id}) {
		t.Fatalf("the head's approvals: %v", got)
	}
	r = e.Do("GET", base+"/approvals", e.TokenOf("chuzhang"), nil)
	openapitest.Response(t, api, "GET", "/leave/approvals", r.Status, r.Body)
	var desk desktop.View
	e.Do("GET", "/api/office/v1/desktop", e.TokenOf("chuzhang"), nil).Decode(t, &desk)
	if !slices.ContainsFunc(desk.Todo, func(en desktop.Entry) bool { return en.ID == id && en.Action == "approve" }) {
		t.Fatalf("the head's to-do lacks the request: %+v", desk.Todo)
	}

	r = e.Do("POST", base+"/requests/"+id+"/approve", e.TokenOf("chuzhang"), map[string]any{"comment": "同意"})
	openapitest.Response(t, api, "POST", "/leave/requests/{id}/approve", r.Status, r.Body)
	if v := r.JSON(); r.Status != 200 || v["state"] != "approved" || v["comment"] != "同意" || v["approverName"] != "刘志强" {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	if got := e.Listed("chuzhang", "/leave/approvals"); len(got) != 0 {
		t.Fatalf("an approved request still awaits approval: %v", got)
	}
	e.Do("GET", "/api/office/v1/desktop", e.TokenOf("staff"), nil).Decode(t, &desk)
	if i := slices.IndexFunc(desk.Panels, func(p desktop.Panel) bool { return p.Key == "leave.mine" }); i < 0 ||
		desk.Panels[i].Items[0].ActionLabel != "已批准" {
		t.Fatalf("the applicant's desktop lacks the result: %+v", desk.Panels)
	}
	// Each step committed with its entry.
	for _, action := range []string{"leave.request.create", "leave.request.approve"} {
		if en := e.Audited(action, leave.Collection+"/"+id); len(en) != 1 || en[0].Outcome != audit.Success {
			t.Fatalf("audit of %s: %+v", action, en)
		}
	}
}

func TestRefusals(t *testing.T) {
	e, _ := newEnv(t)
	pending := idOf(t, apply(e, "staff", nil))
	own := idOf(t, apply(e, "chuzhang", nil)) // the head's own leave, in 秘书二处 too
	decided := idOf(t, apply(e, "staff", map[string]any{"kind": "事假"}))
	req := func(id, step string) string { return base + "/requests/" + id + "/" + step }
	refused := e.Do("POST", req(decided, "refuse"), e.TokenOf("chuzhang"), map[string]any{"comment": "时间冲突"})
	if refused.JSON()["state"] != "refused" {
		t.Fatalf("refuse: %s", refused.Body)
	}
	otherHead := testkit.Principal("head-ducha", classification.Mimi, []string{"ducha"},
		testkit.Holds(auth.PermLeaveApprove, "ducha"), testkit.Holds(auth.PermLeaveApply, auth.OfficeWide))
	other := e.Token(otherHead)
	staff, head := e.TokenOf("staff"), e.TokenOf("chuzhang")
	long := strings.Repeat("长", 501)
	body := func(kv ...string) map[string]any {
		m := map[string]any{"kind": "病假", "start": "2026-04-07", "end": "2026-04-08", "reason": "发烧"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "the applicant is no head", Method: "POST", Path: req(pending, "approve"), Token: staff, Status: 403, Code: "forbidden"},
		testkit.Scenario{Name: "a head of another department cannot see it", Method: "POST", Path: req(pending, "approve"), Token: other, Status: 404},
		testkit.Scenario{Name: "nor list it", Method: "GET", Path: base + "/approvals", Token: other, Status: 200, NotContains: []string{pending}},
		testkit.Scenario{Name: "a non-head has no approvals", Method: "GET", Path: base + "/approvals", Token: staff, Status: 403},
		testkit.Scenario{Name: "nor reads another's request", Method: "GET", Path: base + "/requests/" + own, Token: staff, Status: 404},
		testkit.Scenario{Name: "self-approval", Method: "POST", Path: req(own, "approve"), Token: head, Status: 403, Code: "self_review"},
		testkit.Scenario{Name: "refusal needs a comment", Method: "POST", Path: req(pending, "refuse"), Token: head, Body: map[string]any{}, Status: 400, Field: "comment"},
		testkit.Scenario{Name: "withdraw after the decision", Method: "POST", Path: req(decided, "withdraw"), Token: staff, Status: 409, Code: "invalid_state"},
		testkit.Scenario{Name: "decide twice", Method: "POST", Path: req(decided, "approve"), Token: head, Status: 409, Code: "invalid_state"},
		testkit.Scenario{Name: "only the applicant withdraws", Method: "POST", Path: req(pending, "withdraw"), Token: head, Status: 403},
		testkit.Scenario{Name: "no body", Method: "POST", Path: base + "/requests", Token: staff, Status: 400},
		testkit.Scenario{Name: "end before start", Method: "POST", Path: base + "/requests", Token: staff, Body: body("end", "2026-04-06"), Status: 400, Field: "end"},
		testkit.Scenario{Name: "unknown type", Method: "POST", Path: base + "/requests", Token: staff, Body: body("kind", "公休"), Status: 400, Field: "kind"},
		testkit.Scenario{Name: "reason too long", Method: "POST", Path: base + "/requests", Token: staff, Body: body("reason", long), Status: 400, Field: "reason"},
		testkit.Scenario{Name: "not a date", Method: "POST", Path: base + "/requests", Token: staff, Body: body("start", "4月7日"), Status: 400, Field: "start"},
		testkit.Scenario{Name: "another's department", Method: "POST", Path: base + "/requests", Token: staff, Body: body("department", "xinxi"), Status: 400, Field: "department"},
		testkit.Scenario{Name: "withdraw while pending", Method: "POST", Path: req(pending, "withdraw"), Token: staff, Status: 200, Contains: []string{`"state":"withdrawn"`}},
	)
	// Refusals that reached a request are audited.
	if en := e.Audited("leave.request.approve", leave.Collection+"/"+own); len(en) != 1 || en[0].Outcome != audit.Failure || en[0].Reason != "self_review" {
		t.Errorf("the refused self-approval's audit: %+v", en)
	}
}

// A decision and a withdrawal at once: one wins, the other is told the
// state moved on.
func TestConcurrentStepsOneWins(t *testing.T) {
	e, _ := newEnv(t)
	id := idOf(t, apply(e, "staff", nil))
	var wg sync.WaitGroup
	status := make([]int, 2)
	for i, as := range []string{"staff", "chuzhang"} {
		path, tok := base+"/requests/"+id+"/"+[]string{"withdraw", "approve"}[i], e.TokenOf(as)
		wg.Go(func() { status[i] = testkit.Do(t, e.App, "POST", path, tok, nil).Status })
	}
	wg.Wait()
	if slices.Sort(status); status[0] != 200 || status[1] != 409 {
		t.Fatalf("statuses %v, want one 200 and one 409", status)
	}
}

func TestDemoData(t *testing.T) {
	e, svc := newEnv(t)
	ctx := context.Background()
	if n, err := svc.SeedDemo(ctx, e.Identity.PrincipalByUsername); err != nil || n == 0 {
		t.Fatalf("seed: %d %v", n, err)
	}
	if n, err := svc.SeedDemo(ctx, e.Identity.PrincipalByUsername); err != nil || n != 0 {
		t.Fatalf("second seed: %d %v", n, err)
	}
	if err := svc.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.Listed("chuzhang", "/leave/approvals"); len(got) != 1 {
		t.Fatalf("the head has %d requests to decide, want 1", len(got))
	}
	if got := e.Listed("staff", "/leave/requests"); len(got) != 3 {
		t.Fatalf("staff has %d requests, want 3", len(got))
	}
}
