package officialdochttp_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"zhengwu/officeapi"
	"zhengwu/officeapi/officetest"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/workflow"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

// step approves user's open task on doc and fails the test otherwise.
func step(t *testing.T, e *officetest.Env, user, doc string, extra map[string]any) testkit.Response {
	t.Helper()
	body := map[string]any{"action": "approve", "opinion": "同意"}
	for k, v := range extra {
		body[k] = v
	}
	task := taskOf(t, e, user, doc)
	if task.Node == officialdoc.NodePrint && len(extra) == 0 {
		// 印制 is the print room's: its job's done (officialdoc's
		// PrintDone), which these tests of 公文 alone do in its place.
		svc, _ := services.Load(e)
		if _, err := svc.(*officialdoc.Service).PrintDone(context.Background(), actorOf(t, e, user), task.ID, "印制完成"); err != nil {
			t.Fatalf("%s prints: %v", user, err)
		}
		return testkit.Response{Status: 200}
	}
	r := e.Do("POST", base+"/tasks/"+task.ID+"/actions", e.TokenOf(user), body)
	if r.Status != 200 {
		t.Fatalf("%s approves: %d %s", user, r.Status, r.Body)
	}
	return r
}

// toDecide files a 收文 drafted by staff (秘书二处) and moves it to 批办:
// 签收, 登记 (clerk), 初审 (reviewer), 拟办 (chuzhang, 秘书二处's head).
func toDecide(t *testing.T, e *officetest.Env, extra map[string]any) string {
	t.Helper()
	in := map[string]any{"direction": "incoming", "docType": "函", "issuerCode": "", "issuer": "省财政厅",
		"title": "关于报送2026年度预算执行情况的函"}
	for k, v := range extra {
		in[k] = v
	}
	id := idOf(t, draft(e, "staff", in))
	if r := e.Do("POST", base+"/documents/"+id+"/submit", e.TokenOf("staff"), nil); r.Status != 200 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	for _, who := range []string{"clerk", "clerk", "reviewer", "chuzhang"} {
		step(t, e, who, id, nil)
	}
	if task := taskOf(t, e, "director", id); task.Node != "decide" {
		t.Fatalf("not at 批办: %+v", task)
	}
	return id
}

func load(t *testing.T, e *officetest.Env, id string) officialdoc.Document {
	t.Helper()
	d, _, err := store.Load[officialdoc.Document](context.Background(), e.Store, officialdoc.Collection, id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDecideRefusesAnIncompleteOrWrongChoice(t *testing.T) {
	e := newEnv(t)
	id := toDecide(t, e, nil)
	task := taskOf(t, e, "director", id).ID
	tomorrow := e.Clock.Now().Add(48 * time.Hour).Format(time.DateOnly)
	yesterday := e.Clock.Now().Add(-48 * time.Hour).Format(time.DateOnly)
	good := map[string]any{"leadDepartment": "mishu2", "readers": []string{e.UserID("staff")}, "deadline": tomorrow}
	for _, c := range []struct {
		name   string
		change map[string]any
		field  string
	}{
		{"no lead department", map[string]any{"leadDepartment": ""}, "leadDepartment"},
		{"no such department", map[string]any{"leadDepartment": "nosuch"}, "leadDepartment"},
		{"another unit's department", map[string]any{"leadDepartment": "hefei"}, "leadDepartment"},
		{"assisting: no such department", map[string]any{"assistDepartments": []string{"nosuch"}}, "assistDepartments"},
		{"no readers", map[string]any{"readers": []string{}}, "readers"},
		{"no such reader", map[string]any{"readers": []string{"no-such-user"}}, "readers"},
		{"a deadline in the past", map[string]any{"deadline": yesterday}, "deadline"},
	} {
		body := map[string]any{"action": "approve"}
		for k, v := range good {
			body[k] = v
		}
		for k, v := range c.change {
			body[k] = v
		}
		r := e.Do("POST", base+"/tasks/"+task+"/actions", e.TokenOf("director"), body)
		testkit.WantProblem(t, r, 400, "invalid")
		if !strings.Contains(string(r.Body), `"`+c.field+`"`) {
			t.Errorf("%s: the problem does not name %s: %s", c.name, c.field, r.Body)
		}
	}
	// The choice belongs to 批办: elsewhere it is refused, not ignored.
	id2 := idOf(t, draft(e, "staff", nil))
	e.Do("POST", base+"/documents/"+id2+"/submit", e.TokenOf("staff"), nil)
	r := e.Do("POST", base+"/tasks/"+taskOf(t, e, "chuzhang", id2).ID+"/actions", e.TokenOf("chuzhang"),
		map[string]any{"action": "approve", "readers": []string{e.UserID("staff")}})
	testkit.WantProblem(t, r, 400, "invalid")
	// Nothing moved: the task is still the director's.
	if taskOf(t, e, "director", id).Node != "decide" {
		t.Fatal("a refused 批办 moved the flow")
	}
}

func TestDecideAssignsHandlingAndCirculationIsTrackedPerReader(t *testing.T) {
	e := newEnv(t)
	api := officeapi.API(e.Routes)
	id := toDecide(t, e, nil)
	deadline := e.Clock.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, 1).Format(time.DateOnly)
	// 信息处 (reviewer, editor) assists: its members may read the document.
	if r := e.Do("GET", base+"/documents/"+id, e.TokenOf("editor"), nil); r.Status != 404 {
		t.Fatalf("信息处 reads it before 批办: %d", r.Status)
	}
	r := step(t, e, "director", id, map[string]any{"leadDepartment": "mishu2", "assistDepartments": []string{"xinxi", "mishu2"},
		"deadline": deadline, "readers": []string{e.UserID("staff"), e.UserID("clerk"), e.UserID("staff")}})
	openapitest.Response(t, api, "POST", "/tasks/{id}/actions", r.Status, r.Body)
	d := load(t, e, id)
	if d.LeadDepartment != "mishu2" || !slices.Equal(d.AssistDepartments, []string{"xinxi"}) || d.Deadline != deadline ||
		len(d.Circulation) != 2 || d.Circulation[0].Name != "陈晓燕" || !d.Circulation[0].ReadAt.IsZero() {
		t.Fatalf("the 批办 choice on the document: %+v", d)
	}
	if r := e.Do("GET", base+"/documents/"+id, e.TokenOf("editor"), nil); r.Status != 200 {
		t.Fatalf("an assisting department's member: %d", r.Status)
	}
	// 承办 (加急) goes to the lead department's head, due at the close of
	// the chosen day, sooner than the node's own limit.
	handle := taskOf(t, e, "chuzhang", id)
	if handle.Node != "handle_urgent" || handle.Due.In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly) != deadline {
		t.Fatalf("承办: %+v (deadline %s)", handle, deadline)
	}
	step(t, e, "chuzhang", id, nil)
	// 传阅: one task per reader; the clerk reads, staff has not yet.
	if taskOf(t, e, "staff", id).Node != "circulate" {
		t.Fatal("no 传阅 task for staff")
	}
	step(t, e, "clerk", id, nil)
	d = load(t, e, id)
	if d.Circulation[1].ReadAt.IsZero() || !d.Circulation[0].ReadAt.IsZero() || d.State != officialdoc.StateProcessing {
		t.Fatalf("传阅 after one reader: %+v", d.Circulation)
	}
	var g workflow.FlowGraph
	e.Do("GET", base+"/documents/"+id+"/flow", e.TokenOf("staff"), nil).Decode(t, &g)
	for _, n := range g.Nodes {
		if n.ID == "circulate" && (n.State != workflow.NodeCurrent || len(n.Acts) != 1 || n.Acts[0].Actor != e.UserID("clerk") ||
			len(n.Holders) != 1) {
			t.Fatalf("传阅 on the chart: %+v", n)
		}
	}
	step(t, e, "staff", id, nil)
	if taskOf(t, e, "chuzhang", id).Node != "conclude" {
		t.Fatal("not at 办结 after every reader read")
	}
}

func TestClassifiedIsNeedToKnowNotDepartment(t *testing.T) {
	e := newEnv(t)
	// chuzhang (秘书二处's head, 秘密) drafts a 秘密 document; the clerk is
	// 秘密 too but of another department: only the list lets them in.
	secret := idOf(t, draft(e, "chuzhang", map[string]any{"classification": "秘密", "knowers": []string{e.UserID("clerk")}}))
	if r := e.Do("GET", base+"/documents/"+secret, e.TokenOf("clerk"), nil); r.Status != 200 {
		t.Fatalf("a cleared knower: %d", r.Status)
	}
	// Its department is no reader as such (the demo has no other member of
	// 秘书二处 cleared for 秘密, so the rule is read off AccessOf); a 非密
	// draft of his is read by his department (staff).
	d := load(t, e, secret)
	acc := officialdoc.AccessOf(&d)
	if slices.Contains(acc.Readers, "dept:mishu2") {
		t.Fatalf("a classified document readable by its department: %v", acc.Readers)
	}
	open := idOf(t, draft(e, "chuzhang", nil))
	if r := e.Do("GET", base+"/documents/"+open, e.TokenOf("staff"), nil); r.Status != 200 {
		t.Fatalf("a 非密 document's department: %d", r.Status)
	}
	if got := e.Listed("clerk", "/documents"); !slices.Equal(got, []string{secret}) {
		t.Fatalf("the knower's list: %v", got)
	}
	// Submitted, the 审核 holder (chuzhang again) and then the 签发 holder
	// (the director) read it through their tasks.
	if r := e.Do("POST", base+"/documents/"+secret+"/submit", e.TokenOf("chuzhang"), nil); r.Status != 200 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	step(t, e, "chuzhang", secret, nil)
	if r := e.Do("GET", base+"/documents/"+secret, e.TokenOf("director"), nil); r.Status != 200 {
		t.Fatalf("the signer: %d", r.Status)
	}
}

func actorOf(t *testing.T, e *officetest.Env, user string) records.Actor {
	t.Helper()
	p, err := e.Identity.PrincipalByUsername(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return records.Actor{P: p, IP: "test"}
}
