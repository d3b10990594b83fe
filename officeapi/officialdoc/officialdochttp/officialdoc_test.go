package officialdochttp_test

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"zhengwu/officeapi"
	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/docnumber"
	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/officetest"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/officialdoc/officialdochttp"
	"zhengwu/officeapi/workcal"
	"zhengwu/officeapi/workflow"
	"zhengwu/shared/audit"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/store"
	"zhengwu/shared/testkit"
)

const base = "/api/office/v1"

// newEnv is the demo office with official documents mounted. 秘书二处 has
// staff (陈晓燕, 非密) and its head chuzhang (dept_head); the director
// signs, the clerk of 综合处 holds doc.register and doc.dispatch, the
// printer holds the print_room post.
func newEnv(t *testing.T) *officetest.Env {
	e, _ := newService(t)
	return e
}

// newService is newEnv with its service.
func newService(t *testing.T) (*officetest.Env, *officialdoc.Service) {
	e := officetest.New(t)
	cal, err := workcal.New(workcal.Config{})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := officialdoc.New(officialdoc.Deps{Deps: e.Deps("officialdoc"), Calendar: cal, Holders: e.Identity.Holders, Account: e.Identity.User,
		Departments: e.Identity.Departments})
	if err != nil {
		t.Fatal(err)
	}
	e.Mount(svc, officialdochttp.Routes(svc, e.Tokens))
	services.Store(e, svc)
	return e, svc
}

// services are the tests' services by their env, for step's 印制.
var services sync.Map // *officetest.Env → *officialdoc.Service

func draft(e *officetest.Env, user string, body map[string]any) testkit.Response {
	in := map[string]any{"direction": "outgoing", "docType": "通知", "title": "关于做好春节期间值班工作的通知",
		"classification": "非密", "urgency": "加急", "issuer": "安徽省人民政府办公厅", "issuerCode": "皖政办",
		"mainTo": []string{"各市人民政府"}, "body": "<p>现将有关事项通知如下。</p><script>alert(1)</script>"}
	maps.Copy(in, body)
	return e.Do("POST", base+"/documents", e.TokenOf(user), in)
}

func idOf(t *testing.T, r testkit.Response) string {
	t.Helper()
	if r.Status != 201 {
		t.Fatalf("draft: %d %s", r.Status, r.Body)
	}
	return r.JSON()["id"].(string)
}

// taskOf is user's open task on the document, from GET /tasks.
func taskOf(t *testing.T, e *officetest.Env, user, doc string) officialdoc.TaskEntry {
	t.Helper()
	var list officialdoc.TaskList
	r := e.Do("GET", base+"/tasks?consistentWith="+strconv.FormatInt(e.LastSeq, 10), e.TokenOf(user), nil)
	openapitest.Response(t, officeapi.API(e.Routes), "GET", "/tasks", r.Status, r.Body)
	r.Decode(t, &list)
	for _, it := range list.Items {
		if it.DocumentID == doc {
			return it
		}
	}
	t.Fatalf("%s has no task on %s: %s", user, doc, r.Body)
	return officialdoc.TaskEntry{}
}

func act(e *officetest.Env, user, task, action, opinion string) testkit.Response {
	return e.Do("POST", base+"/tasks/"+task+"/actions", e.TokenOf(user), map[string]any{"action": action, "opinion": opinion})
}

func TestDraftIsReadByItsDepartmentNeedToKnowAndClearanceOnly(t *testing.T) {
	e := newEnv(t)
	api := officeapi.API(e.Routes)
	r := draft(e, "staff", nil)
	openapitest.Response(t, api, "POST", "/documents", r.Status, r.Body)
	id := idOf(t, r)
	v := r.JSON()
	if v["state"] != "draft" || v["department"] != "mishu2" || v["sealed"] != true || strings.Contains(v["body"].(string), "script") {
		t.Fatalf("draft: %s", r.Body)
	}
	r = e.Do("GET", base+"/documents/"+id, e.TokenOf("chuzhang"), nil) // same department
	openapitest.Response(t, api, "GET", "/documents/{id}", r.Status, r.Body)
	if r.Status != 200 {
		t.Fatalf("the department's head: %d %s", r.Status, r.Body)
	}
	// Another department, not on the need-to-know list: 404, as if absent.
	testkit.WantProblem(t, e.Do("GET", base+"/documents/"+id, e.TokenOf("editor"), nil), 404, "not_found")
	if got := e.Listed("editor", "/documents"); slices.Contains(got, id) {
		t.Fatalf("another department lists it: %v", got)
	}
	if got := e.Listed("chuzhang", "/documents"); !slices.Contains(got, id) {
		t.Fatalf("the department does not list it: %v", got)
	}

	// On the need-to-know list: the editor (信息处) reads it.
	known := idOf(t, draft(e, "staff", map[string]any{"knowers": []string{e.UserID("editor")}}))
	if r := e.Do("GET", base+"/documents/"+known, e.TokenOf("editor"), nil); r.Status != 200 {
		t.Fatalf("a knower: %d %s", r.Status, r.Body)
	}
	if got := e.Listed("editor", "/documents"); !slices.Equal(got, []string{known}) {
		t.Fatalf("the knower's list: %v", got)
	}

	// 秘密, drafted by the head (秘密): staff of the same department (非密) may not read it.
	secret := idOf(t, draft(e, "chuzhang", map[string]any{"classification": "秘密", "secrecyPeriod": "1年"}))
	testkit.WantProblem(t, e.Do("GET", base+"/documents/"+secret, e.TokenOf("staff"), nil), 404, "not_found")
	if got := e.Listed("staff", "/documents"); slices.Contains(got, secret) {
		t.Fatalf("staff below clearance lists it: %v", got)
	}
	// staff may not draft above their own clearance.
	r = draft(e, "staff", map[string]any{"classification": "秘密"})
	if p := testkit.WantProblem(t, r, 400, "invalid"); !strings.Contains(string(r.Body), "classification") {
		t.Fatalf("above clearance: %v", p)
	}
}

func TestDraftValidationNamesTheField(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"unknown type", map[string]any{"docType": "便条"}, "docType"},
		{"above the ceiling", map[string]any{"classification": "绝密"}, "classification"},
		{"请示 to two", map[string]any{"docType": "请示", "mainTo": []string{"省政府", "省委"}}, "mainTo"},
		{"period unclassified", map[string]any{"secrecyPeriod": "1年"}, "secrecyPeriod"},
		{"no issuer code", map[string]any{"issuerCode": ""}, "issuerCode"},
		{"direction", map[string]any{"direction": "sideways"}, "direction"},
		{"joint issuer named twice", map[string]any{"jointIssuers": []string{"安徽省财政厅", "安徽省财政厅"}}, "jointIssuers"},
		{"joint issuer is the lead", map[string]any{"jointIssuers": []string{"安徽省人民政府办公厅"}}, "jointIssuers"},
	} {
		r := draft(e, "staff", c.body)
		testkit.WantProblem(t, r, 400, "invalid")
		if !strings.Contains(string(r.Body), `"`+c.field+`"`) {
			t.Errorf("%s: the problem does not name %s: %s", c.name, c.field, r.Body)
		}
	}
	// Joint issuers are kept in their order, the lead issuer named first.
	if v := draft(e, "staff", map[string]any{"jointIssuers": []string{" 安徽省财政厅 ", "安徽省数据资源管理局"}}).JSON(); !slices.Equal(
		anyStrings(v["jointIssuers"]), []string{"安徽省财政厅", "安徽省数据资源管理局"}) {
		t.Fatalf("jointIssuers: %v", v["jointIssuers"])
	}
	// 纪要 carry no seal.
	if v := draft(e, "staff", map[string]any{"docType": "纪要"}).JSON(); v["sealed"] != false {
		t.Fatalf("纪要 sealed: %v", v)
	}
}

func TestOutgoingFromDraftToANumber(t *testing.T) {
	e := newEnv(t)
	api := officeapi.API(e.Routes)
	id := idOf(t, draft(e, "staff", map[string]any{"docType": "请示", "mainTo": []string{"省人民政府"}}))
	testkit.WantProblem(t, e.Do("POST", base+"/documents/"+id+"/submit", e.TokenOf("chuzhang"), nil), 403, "forbidden")
	r := e.Do("POST", base+"/documents/"+id+"/submit", e.TokenOf("staff"), nil)
	openapitest.Response(t, api, "POST", "/documents/{id}/submit", r.Status, r.Body)
	if v := r.JSON(); r.Status != 200 || v["state"] != "processing" {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	testkit.WantProblem(t, e.Do("POST", base+"/documents/"+id+"/submit", e.TokenOf("staff"), nil), 409, "invalid_state")

	// 审核 (chuzhang) → 签发 (director) → 复核, 登记编号 (clerk) → 印制 (printer).
	task := taskOf(t, e, "chuzhang", id)
	if task.Node != "review" || task.NodeName != "审核" || task.Due.IsZero() {
		t.Fatalf("the head's task: %+v", task)
	}
	testkit.WantProblem(t, act(e, "staff", task.ID, "approve", "自己审"), 403, workflow.CodeNotYourTask)
	if got := e.Audited("officialdoc.approve", officialdoc.Collection+"/"+id); len(got) != 1 || got[0].Outcome != audit.Failure {
		t.Fatalf("the refused action's audit entries: %+v", got)
	}
	r = act(e, "chuzhang", task.ID, "approve", "同意，请领导签发")
	openapitest.Response(t, api, "POST", "/tasks/{id}/actions", r.Status, r.Body)
	if r.Status != 200 {
		t.Fatalf("review: %d %s", r.Status, r.Body)
	}
	if r := act(e, "director", taskOf(t, e, "director", id).ID, "approve", "同意"); r.Status != 200 || r.JSON()["signer"] != "王建国" {
		t.Fatalf("sign: %d %s", r.Status, r.Body)
	}
	if r := act(e, "clerk", taskOf(t, e, "clerk", id).ID, "approve", "已复核"); r.Status != 200 {
		t.Fatalf("recheck: %d %s", r.Status, r.Body)
	}
	reg := taskOf(t, e, "clerk", id)
	if reg.Node != "register" {
		t.Fatalf("after 复核: %+v", reg)
	}
	r = act(e, "clerk", reg.ID, "approve", "登记")
	if v := r.JSON(); r.Status != 200 || v["docNumber"] != "皖政办〔2026〕1号" {
		t.Fatalf("register: %d %s", r.Status, r.Body)
	}
	if taskOf(t, e, "printer", id).Node != "print" {
		t.Fatal("印制 is not the printer's")
	}
	if got := e.Audited(docnumber.ActionRegister, docnumber.Collection+"/皖政办/2026/000001"); len(got) != 1 {
		t.Fatalf("the number's audit entries: %+v", got)
	}
	// The register holds the number, given to this document.
	book, err := docnumber.New(docnumber.Deps{Store: e.Store, Trail: e.Trail})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := book.Get(context.Background(), docnumber.Number{Prefix: "皖政办", Year: 2026, Seq: 1})
	if err != nil || rec.Subject.ID != id {
		t.Fatalf("the register: %+v %v", rec, err)
	}

	// The flow chart: 起草 to 登记编号 done, 印制 current, 会签 skipped.
	r = e.Do("GET", base+"/documents/"+id+"/flow", e.TokenOf("staff"), nil)
	openapitest.Response(t, api, "GET", "/documents/{id}/flow", r.Status, r.Body)
	var g workflow.FlowGraph
	r.Decode(t, &g)
	states := map[string]workflow.NodeState{}
	for _, n := range g.Nodes {
		states[n.ID] = n.State
	}
	want := map[string]workflow.NodeState{"draft": workflow.NodeDone, "review": workflow.NodeDone, "sign": workflow.NodeDone,
		"recheck": workflow.NodeDone, "register": workflow.NodeDone, "print": workflow.NodeCurrent,
		"cosign": workflow.NodeSkipped, "dispatch": workflow.NodePending, "archive": workflow.NodePending}
	for node, s := range want {
		if states[node] != s {
			t.Errorf("node %s is %s, want %s (%v)", node, states[node], s, states)
		}
	}
	if len(g.Edges) < 10 {
		t.Fatalf("edges: %+v", g.Edges)
	}
	// Someone who may not read the document gets no flow either.
	testkit.WantProblem(t, e.Do("GET", base+"/documents/"+id+"/flow", e.TokenOf("editor"), nil), 404, "not_found")
	// The handlers may still read it after they acted.
	if r := e.Do("GET", base+"/documents/"+id, e.TokenOf("director"), nil); r.Status != 200 {
		t.Fatalf("the signer after signing: %d", r.Status)
	}
}

func TestReturnGoesBackToTheDrafter(t *testing.T) {
	e := newEnv(t)
	id := idOf(t, draft(e, "staff", nil))
	if r := e.Do("POST", base+"/documents/"+id+"/submit", e.TokenOf("staff"), nil); r.Status != 200 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	r := e.Do("POST", base+"/tasks/"+taskOf(t, e, "chuzhang", id).ID+"/actions", e.TokenOf("chuzhang"),
		map[string]any{"action": "return", "to": "draft", "opinion": "请补充依据"})
	if r.Status != 200 {
		t.Fatalf("return: %d %s", r.Status, r.Body)
	}
	back := taskOf(t, e, "staff", id)
	if back.Node != "draft" {
		t.Fatalf("after the return: %+v", back)
	}
	var desk desktop.View
	e.Do("GET", base+"/desktop", e.TokenOf("staff"), nil).Decode(t, &desk)
	if !slices.ContainsFunc(desk.Todo, func(en desktop.Entry) bool { return en.ID == back.ID && en.ActionLabel == "起草" }) {
		t.Fatalf("the drafter's desktop lacks the returned task: %+v", desk.Todo)
	}
	if r := act(e, "staff", back.ID, "approve", "已补充"); r.Status != 200 {
		t.Fatalf("resubmit: %d %s", r.Status, r.Body)
	}
	if taskOf(t, e, "chuzhang", id).Node != "review" {
		t.Fatal("not back at 审核")
	}
}

func TestIncomingGoesToSigningIn(t *testing.T) {
	e := newEnv(t)
	id := idOf(t, draft(e, "clerk", map[string]any{"direction": "incoming", "issuerCode": "", "issuer": ""}))
	if r := e.Do("POST", base+"/documents/"+id+"/submit", e.TokenOf("clerk"), nil); r.Status != 200 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	if task := taskOf(t, e, "clerk", id); task.Node != "receive" || task.NodeName != "签收" {
		t.Fatalf("the incoming document's first task: %+v", task)
	}
}

func TestTransferOnlyToSomeoneCleared(t *testing.T) {
	e := newEnv(t)
	id := idOf(t, draft(e, "chuzhang", map[string]any{"classification": "秘密"}))
	if r := e.Do("POST", base+"/documents/"+id+"/submit", e.TokenOf("chuzhang"), nil); r.Status != 200 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	task := taskOf(t, e, "chuzhang", id).ID                          // 审核: chuzhang heads 秘书二处
	for _, to := range []string{e.UserID("staff"), "no-such-user"} { // staff: 非密
		r := e.Do("POST", base+"/tasks/"+task+"/actions", e.TokenOf("chuzhang"), map[string]any{"action": "transfer", "to": to})
		testkit.WantProblem(t, r, 400, "invalid")
		if !strings.Contains(string(r.Body), `"to"`) {
			t.Fatalf("transfer to %s: %s", to, r.Body)
		}
	}
	r := e.Do("POST", base+"/tasks/"+task+"/actions", e.TokenOf("chuzhang"), map[string]any{"action": "transfer", "to": e.UserID("clerk")})
	if r.Status != 200 || taskOf(t, e, "clerk", id).Node != "review" {
		t.Fatalf("transfer to the clerk (秘密): %d %s", r.Status, r.Body)
	}
}

func TestConcurrentActionsOnOneTaskOneWins(t *testing.T) {
	e := newEnv(t)
	id := idOf(t, draft(e, "staff", nil))
	e.Do("POST", base+"/documents/"+id+"/submit", e.TokenOf("staff"), nil)
	task := taskOf(t, e, "chuzhang", id).ID
	token := e.TokenOf("chuzhang")
	const n = 4
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = testkit.Do(t, e.App, "POST", base+"/tasks/"+task+"/actions", token, map[string]any{"action": "approve"}).Status
		}()
	}
	wg.Wait()
	slices.Sort(statuses)
	if statuses[0] != 200 || statuses[1] != 409 || statuses[n-1] != 409 {
		t.Fatalf("statuses %v: want one 200 and 409s", statuses)
	}
	// The instance and the document agree: one 签发 task, on the director.
	d, _, err := store.Load[officialdoc.Document](context.Background(), e.Store, officialdoc.Collection, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Tasks) != 1 || d.Tasks[0].Node != "sign" {
		t.Fatalf("tasks after the race: %+v", d.Tasks)
	}
}

func TestHoldersFromTheOrganisation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, c := range []struct {
		q    identity.HolderQuery
		want []string
	}{
		{identity.HolderQuery{Role: "dept_head", Department: "mishu2"}, []string{"chuzhang"}},
		{identity.HolderQuery{Role: "dept_head", Department: "xinxi"}, nil},
		{identity.HolderQuery{Role: "leader", Unit: "office"}, []string{"director"}},
		{identity.HolderQuery{Permission: "doc.register", Unit: "office"}, []string{"clerk"}},
		// Each unit of the deployment answers for its own documents.
		{identity.HolderQuery{Role: "leader", Unit: "hefei"}, []string{"hfleader"}},
		{identity.HolderQuery{Permission: "doc.register", Unit: "fgw"}, []string{"fgwclerk"}},
		{identity.HolderQuery{Role: "dept_head", Department: "hefei", Unit: "hefei"}, []string{"hfhead"}},
		{identity.HolderQuery{Post: "print_room"}, []string{"printer"}},
	} {
		got, err := e.Identity.Holders(ctx, c.q)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, u := range c.want {
			want = append(want, e.UserID(u))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%+v: %v, want %v", c.q, got, c.want)
		}
	}
}

func anyStrings(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, x := range l {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
