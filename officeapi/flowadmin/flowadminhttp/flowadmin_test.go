package flowadminhttp_test

import (
	"context"
	"slices"
	"testing"

	"zhengwu/officeapi"
	"zhengwu/officeapi/flowadmin"
	"zhengwu/officeapi/flowadmin/flowadminhttp"
	"zhengwu/officeapi/officetest"
	"zhengwu/officeapi/workcal"
	"zhengwu/officeapi/workflow"
	"zhengwu/shared/audit"
	"zhengwu/shared/openapi"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/problem"
	"zhengwu/shared/testkit"
)

const base = officeapi.Base

// newEnv is the demo office with the flows and the calendar mounted, and
// the shipped 发文 flow saved as a capability saves it at its first start.
func newEnv(t *testing.T) (*officetest.Env, *flowadmin.Flows, *flowadmin.Calendar) {
	e := officetest.New(t)
	ctx := context.Background()
	deps := flowadmin.Deps{Store: e.Store, Trail: e.Trail, Now: e.Clock.Now}
	flows, err := flowadmin.NewFlows(deps)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := flowadmin.NewCalendar(ctx, deps)
	if err != nil {
		t.Fatal(err)
	}
	routes := flowadminhttp.Routes(flows, cal, e.Tokens)
	openapi.Mount(e.App.Group(officeapi.Base), routes)
	e.Routes = append(e.Routes, routes...)
	defs, err := workflow.Defaults()
	if err != nil {
		t.Fatal(err)
	}
	if err := workflow.NewInstances(e.Store, e.Trail, workflow.Env{}, e.Clock.Now).SaveDefinition(ctx, defs[workflow.Outgoing]); err != nil {
		t.Fatal(err)
	}
	return e, flows, cal
}

// withNode is the shipped 发文 flow with a 保密审查 node after 审核.
func withNode(t *testing.T) workflow.Definition {
	defs, err := workflow.Defaults()
	if err != nil {
		t.Fatal(err)
	}
	d := defs[workflow.Outgoing]
	d.Version = 0
	d.Nodes = append(d.Nodes, workflow.Node{ID: "secrecy", Kind: workflow.Task, Name: "保密审查", Mode: workflow.Any,
		Assign: &workflow.Assignment{Permission: "doc.register"}, Limit: &workflow.Limit{Hours: 4}})
	for i, e := range d.Edges {
		if e.From == "review" {
			d.Edges[i].From = "secrecy"
		}
	}
	d.Edges = append(d.Edges, workflow.Edge{From: "review", To: "secrecy"})
	return d
}

func TestTheAdministratorSavesAndActivatesANewVersion(t *testing.T) {
	e, _, _ := newEnv(t)
	api := officeapi.API(e.Routes)
	admin := e.TokenOf("officeadmin")
	ctx := context.Background()

	r := e.Do("GET", base+"/flows", admin, nil)
	openapitest.Response(t, api, "GET", "/flows", r.Status, r.Body)
	var list flowadmin.FlowList
	r.Decode(t, &list)
	if len(list.Flows) != 1 || list.Flows[0].Key != "outgoing" || list.Flows[0].Active != 1 || list.Flows[0].Latest != 1 {
		t.Fatalf("flows: %s", r.Body)
	}
	r = e.Do("GET", base+"/flows/outgoing/versions/1", admin, nil)
	openapitest.Response(t, api, "GET", "/flows/{key}/versions/{version}", r.Status, r.Body)
	if r.Status != 200 || r.JSON()["name"] != "发文办理" {
		t.Fatalf("version 1: %d %s", r.Status, r.Body)
	}

	// A document running on version 1 before the edit, on the engine as
	// officialdoc runs it (everyone's task is "someone"'s).
	runs := workflow.NewInstances(e.Store, e.Trail, workflow.Env{Calendar: mustCalendar(t), Resolve: func(workflow.Assignment, workflow.Subject) ([]string, error) {
		return []string{"someone"}, nil
	}}, e.Clock.Now)
	one := func(key string) workflow.Action {
		return workflow.Action{Actor: "u-drafter", ID: key, Subject: workflow.Subject{Collection: "docs", ID: key}}
	}
	active, err := runs.Active(ctx, "outgoing")
	if err != nil || active != 1 {
		t.Fatalf("active before: %d %v", active, err)
	}
	if _, _, err := runs.Start(ctx, "outgoing", active, one("doc-1"), nil); err != nil {
		t.Fatal(err)
	}

	// 校验 names the wrong field; nothing is saved.
	bad := withNode(t)
	bad.Nodes[len(bad.Nodes)-1].Assign = nil
	r = e.Do("POST", base+"/flows/outgoing/check", admin, bad)
	testkit.WantProblem(t, r, 400, problem.CodeInvalid)
	if !hasField(r, "nodes[12].assign") {
		t.Fatalf("check: %s", r.Body)
	}
	r = e.Do("POST", base+"/flows/outgoing/versions", admin, bad)
	testkit.WantProblem(t, r, 400, problem.CodeInvalid)
	r = e.Do("POST", base+"/flows/outgoing/check", admin, withNode(t))
	openapitest.Response(t, api, "POST", "/flows/{key}/check", r.Status, r.Body)
	if r.Status != 200 || r.JSON()["version"] != 2.0 {
		t.Fatalf("check: %d %s", r.Status, r.Body)
	}

	r = e.Do("POST", base+"/flows/outgoing/versions", admin, withNode(t))
	openapitest.Response(t, api, "POST", "/flows/{key}/versions", r.Status, r.Body)
	if r.Status != 201 || r.JSON()["version"] != 2.0 {
		t.Fatalf("save: %d %s", r.Status, r.Body)
	}
	if got := e.Audited("flow.save", workflow.DefinitionCollection+"/outgoing@2"); len(got) != 1 || got[0].Outcome != audit.Success {
		t.Fatalf("audit of the save: %+v", got)
	}
	// Saved is not active: new runs still start on version 1.
	if active, _ := runs.Active(ctx, "outgoing"); active != 1 {
		t.Fatalf("active after saving: %d", active)
	}
	r = e.Do("POST", base+"/flows/outgoing/activate", admin, map[string]any{"version": 2})
	openapitest.Response(t, api, "POST", "/flows/{key}/activate", r.Status, r.Body)
	var flow flowadmin.Flow
	r.Decode(t, &flow)
	if flow.Active != 2 || flow.Latest != 2 || len(flow.Versions) != 2 || flow.ActivatedBy != e.UserID("officeadmin") {
		t.Fatalf("activated: %s", r.Body)
	}
	if active, _ := runs.Active(ctx, "outgoing"); active != 2 {
		t.Fatalf("active after activating: %d", active)
	}
	// The running document keeps version 1 through its next step; a new
	// one starts on version 2 and reaches 保密审查 after 审核.
	in, _, err := runs.Step(ctx, "doc-1", workflow.Action{Kind: workflow.ActApprove, Actor: "u-drafter", Task: "t1"}, nil)
	if err != nil || in.Version != 1 {
		t.Fatalf("running instance: version %d, %v", in.Version, err)
	}
	in, _, err = runs.Start(ctx, "outgoing", 2, one("doc-2"), nil)
	if err != nil || in.Version != 2 {
		t.Fatalf("new instance: %+v %v", in, err)
	}
	in, _, _ = runs.Step(ctx, "doc-2", workflow.Action{Kind: workflow.ActApprove, Actor: "u-drafter", Task: "t1"}, nil)
	in, _, _ = runs.Step(ctx, "doc-2", workflow.Action{Kind: workflow.ActApprove, Actor: "someone", Task: in.Tasks[0].ID}, nil)
	if got := in.Current(); !slices.Equal(got, []string{"secrecy"}) {
		t.Fatalf("version 2 after 审核: %v", got)
	}

	// Refusals.
	r = e.Do("POST", base+"/flows/outgoing/activate", admin, map[string]any{"version": 9})
	testkit.WantProblem(t, r, 400, problem.CodeInvalid)
	r = e.Do("POST", base+"/flows/outgoing/versions", admin, withKey(withNode(t), "incoming"))
	testkit.WantProblem(t, r, 400, problem.CodeInvalid)
	r = e.Do("GET", base+"/flows/outgoing/versions/7", admin, nil)
	testkit.WantProblem(t, r, 404, problem.CodeNotFound)
	r = e.Do("GET", base+"/flows/nope", admin, nil)
	testkit.WantProblem(t, r, 404, problem.CodeNotFound)
}

func withKey(d workflow.Definition, key string) workflow.Definition { d.Key = key; return d }

func hasField(r testkit.Response, field string) bool {
	fields, _ := r.JSON()["errors"].([]any)
	return slices.ContainsFunc(fields, func(f any) bool { m, _ := f.(map[string]any); return m["field"] == field })
}

// Only a business administrator (flow.manage office-wide) keeps the flows
// and the calendar: not staff, not a leader, not one of the three officers.
func TestOnlyTheBusinessAdministratorManages(t *testing.T) {
	e, _, _ := newEnv(t)
	for _, user := range []string{"staff", "director", "sysadmin", "secadmin", "auditor"} {
		tok := e.TokenOf(user)
		testkit.WantProblem(t, e.Do("GET", base+"/flows", tok, nil), 403, problem.CodeForbidden)
		testkit.WantProblem(t, e.Do("POST", base+"/flows/outgoing/versions", tok, withNode(t)), 403, problem.CodeForbidden)
		testkit.WantProblem(t, e.Do("POST", base+"/flows/outgoing/activate", tok, map[string]any{"version": 1}), 403, problem.CodeForbidden)
		testkit.WantProblem(t, e.Do("PUT", base+"/calendar/2027", tok, edit2027(0)), 403, problem.CodeForbidden)
	}
	if got := e.Audited("flow.save", workflow.DefinitionCollection+"/outgoing"); len(got) != 5 || got[0].Outcome != audit.Failure {
		t.Fatalf("refused saves recorded: %+v", got)
	}
	// Anyone on staff reads the calendar.
	if r := e.Do("GET", base+"/calendar/2026", e.TokenOf("staff"), nil); r.Status != 200 {
		t.Fatalf("staff reading the calendar: %d %s", r.Status, r.Body)
	}
}

func mustCalendar(t *testing.T) *workcal.Calendar {
	t.Helper()
	c, err := workcal.New(workcal.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
