package workflow

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"zhengwu/shared/problem"
)

func TestValidateNamesTheField(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(d *Definition)
		field  string
	}{
		{"no key", func(d *Definition) { d.Key = "" }, "key"},
		{"version 0", func(d *Definition) { d.Version = 0 }, "version"},
		{"two starts", func(d *Definition) { d.Nodes[2].Kind = Start; d.Nodes[2].Assign = nil }, "nodes"},
		{"no start", func(d *Definition) { d.Nodes[0].Kind = End }, "nodes"},
		{"duplicate node", func(d *Definition) { d.Nodes[3].ID = "draft" }, "nodes[3].id"},
		{"unknown kind", func(d *Definition) { d.Nodes[1].Kind = "manual" }, "nodes[1].kind"},
		{"edge to nowhere", func(d *Definition) { d.Edges[7].To = "fin" }, "edges[7].to"},
		{"edge from nowhere", func(d *Definition) { d.Edges[0].From = "begin" }, "edges[0].from"},
		{"task without assignment", func(d *Definition) { d.Nodes[1].Assign = nil }, "nodes[1].assign"},
		{"two ways to assign", func(d *Definition) { d.Nodes[1].Assign.Role = "leader" }, "nodes[1].assign"},
		{"department without a role", func(d *Definition) { d.Nodes[3].Assign.Department = "org-1" }, "nodes[3].assign.department"},
		{"sequence of a role", func(d *Definition) { d.Nodes[4].Mode = Sequential }, "nodes[4].mode"},
		{"unknown mode", func(d *Definition) { d.Nodes[4].Mode = "majority" }, "nodes[4].mode"},
		{"limit in two units", func(d *Definition) { d.Nodes[4].Limit.Hours = 4 }, "nodes[4].limit"},
		{"negative limit", func(d *Definition) { d.Nodes[4].Limit.Workdays = -1 }, "nodes[4].limit"},
		{"huge limit", func(d *Definition) { d.Nodes[4].Limit = &Limit{Hours: 100000} }, "nodes[4].limit"},
		{"escalation before the limit", func(d *Definition) { d.Nodes[4].Escalate = &Limit{Workdays: 2} }, "nodes[4].escalate"},
		{"escalation in another unit", func(d *Definition) { d.Nodes[4].Escalate = &Limit{Hours: 100} }, "nodes[4].escalate"},
		{"a limit on a choice", func(d *Definition) { d.Nodes[2].Limit = &Limit{Workdays: 1} }, "nodes[2].assign"},
		{"choice edge without condition", func(d *Definition) { d.Edges[3].Default = false }, "edges[3].when"},
		{"two defaults", func(d *Definition) { d.Edges[2].When, d.Edges[2].Default = nil, true }, "nodes[2]"},
		{"unknown operator", func(d *Definition) { d.Edges[2].When.Op = "~" }, "edges[2].when"},
		{"ordering by text", func(d *Definition) { d.Edges[2].When.Value = "高" }, "edges[2].when"},
		{"condition on a task's edge", func(d *Definition) { d.Edges[1].When = &Condition{"a", "==", "b"} }, "edges[1].when"},
		{"task with two edges out", func(d *Definition) { d.Edges = append(d.Edges, Edge{From: "draft", To: "end"}) }, "nodes[1]"},
		{"unreachable node", func(d *Definition) { d.Edges[4].From = "review" }, "nodes[3]"},
		{"no end reachable", func(d *Definition) { d.Edges[7] = Edge{From: "sign", To: "cosign"} }, "nodes[5]"},
		{"end with an edge out", func(d *Definition) { d.Edges = append(d.Edges, Edge{From: "end", To: "sign"}) }, "nodes[7]"},
		{"loop on itself", func(d *Definition) { d.Edges[6].To = "cosign" }, "edges[6].to"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := testFlow()
			c.mutate(d)
			wantInvalid(t, d, c.field)
		})
	}
	if err := testFlow().Validate(); err != nil {
		t.Fatalf("the test flow: %v", err)
	}
}

// wantInvalid fails unless d's validation names field, every field with
// both messages.
func wantInvalid(t *testing.T, d *Definition, field string) {
	t.Helper()
	p := problem.As(d.Validate())
	if p == nil || p.Code != problem.CodeInvalid {
		t.Fatalf("got %v, want invalid", d.Validate())
	}
	var fields []string
	for _, f := range p.Fields {
		fields = append(fields, f.Field)
		if f.Message == "" || f.MessageEn == "" {
			t.Fatalf("field %s without both messages", f.Field)
		}
	}
	if !slices.Contains(fields, field) {
		t.Fatalf("fields %v, want %s", fields, field)
	}
}

func TestADefinitionIsJSON(t *testing.T) {
	raw, err := json.Marshal(testFlow())
	if err != nil {
		t.Fatal(err)
	}
	d, err := ParseDefinition(raw)
	if err != nil || d.Node("cosign").Mode != All {
		t.Fatalf("round trip: %v", err)
	}
	typo := strings.Replace(string(raw), `"assign"`, `"asign"`, 1)
	if _, err := ParseDefinition([]byte(typo)); err == nil {
		t.Fatal("an unknown field was accepted")
	}
}

func TestDefaultFlowsAreValidAndInOrder(t *testing.T) {
	flows, err := Defaults()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		Outgoing: {"起草", "审核", "会签", "签发", "复核", "登记编号", "印制", "核发", "归档"},
		Incoming: {"签收", "登记", "初审", "拟办", "批办", "承办", "传阅", "办结", "归档"},
	}
	for key, names := range want {
		d, ok := flows[key]
		if !ok {
			t.Fatalf("no %s flow", key)
		}
		// Walk the flow taking a choice's first edge: the full road.
		var got []string
		for id := d.Out("start")[0].To; d.Node(id).Kind != End; id = d.Out(id)[0].To {
			if n := d.Node(id); n.Kind == Task {
				got = append(got, strings.TrimSuffix(n.Name, "（加急）"))
				if n.Limit == nil {
					t.Errorf("%s: %s has no time limit", key, n.Name)
				}
			}
		}
		if !slices.Equal(got, names) {
			t.Errorf("%s: %v, want %v", key, got, names)
		}
	}
}

func TestTheDefaultFlowsRunToTheEnd(t *testing.T) {
	flows, err := Defaults()
	if err != nil {
		t.Fatal(err)
	}
	env := testEnv(t)
	// Everyone the organisation is asked about is "who(role/perm/post@dept)".
	env.Resolve = func(a Assignment, s Subject) ([]string, error) {
		dept := a.Department + s.Fields[a.DepartmentField]
		return []string{a.Role + a.Permission + a.Post + "@" + dept}, nil
	}
	for key, fields := range map[string]map[string]string{
		Outgoing: {"department": "d1", "cosign": "yes", "cosigners": "a,b"},
		Incoming: {"handlingOffice": "d2", "leadDepartment": "d3", "urgency": "特急", "readers": "x, y"},
	} {
		def := flows[key]
		now := time.Date(2026, 9, 30, 10, 0, 0, 0, shanghai)
		in, _, err := Apply(&def, Instance{}, Action{Kind: ActStart, Actor: "u0", ID: "i", Subject: Subject{Collection: "docs", ID: "d", Fields: fields}}, now, env)
		for steps := 0; err == nil && in.State == Running && steps < 50; steps++ {
			task := in.Tasks[0]
			in, _, err = Apply(&def, in, Action{Kind: ActApprove, Actor: task.Assignee, Task: task.ID}, now, env)
		}
		if err != nil || in.State != Completed {
			t.Fatalf("%s: %v, state %s", key, err, in.State)
		}
		var path []string
		for _, e := range in.History {
			if e.Action == ActApprove {
				path = append(path, e.Node+"="+e.Actor)
			}
		}
		t.Logf("%s: %v", key, path)
		if got := strings.Join(path, " "); key == Outgoing && !strings.Contains(got, "cosign=a cosign=b sign=leader@") ||
			key == Incoming && !strings.Contains(got, "handle_urgent=dept_head@d3 circulate=x circulate=y") {
			t.Fatalf("%s went %s", key, got)
		}
	}
}
