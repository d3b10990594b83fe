package workflow

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"zhengwu/officeapi/workcal"
	"zhengwu/shared/problem"
)

// Bounds that keep a definition a flow a person can read and the engine
// can walk in no time.
const (
	MaxNodes  = 100
	MaxEdges  = 200
	MaxUsers  = 50 // named users of one assignment
	maxName   = 100
	maxLimitH = 2000 // working hours: about a year of office time
)

var idPattern = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,39}$`)

// operators are the comparisons a condition may use.
var operators = []string{"==", "!=", ">", ">=", "<", "<=", "in"}

// Validate checks a definition: a key and a version, nodes with unique
// ids and known kinds, exactly one start, every edge between known nodes,
// every node reachable from the start and an end reachable from every
// node, one edge out of a start, task or join, conditions on a choice's
// edges (one default at most), two edges or more out of a split (each with
// a condition or none), each split's branches meeting at one join as
// parallel.go describes, an assignment on every task and sane limits. The
// error is a *problem.Error naming each wrong field ("nodes[2].assign").
func (d *Definition) Validate() error {
	var bad []problem.FieldError
	add := func(field, zh, en string) { bad = append(bad, problem.Field(field, zh, en)) }
	if !idPattern.MatchString(d.Key) {
		add("key", "标识须为小写字母开头的字母、数字、- 或 _，不超过 40 个字符", "the key must be lower-case letters, digits, - or _, starting with a letter, at most 40")
	}
	if d.Version < 1 {
		add("version", "版本号须为正整数", "the version must be a positive integer")
	}
	if strings.TrimSpace(d.Name) == "" || len([]rune(d.Name)) > maxName {
		add("name", "名称不能为空且不超过 100 个字符", "the name must be 1 to 100 characters")
	}
	if len(d.Nodes) == 0 || len(d.Nodes) > MaxNodes {
		add("nodes", fmt.Sprintf("节点数须为 1 至 %d 个", MaxNodes), fmt.Sprintf("a flow has 1 to %d nodes", MaxNodes))
	}
	if len(d.Edges) > MaxEdges {
		add("edges", fmt.Sprintf("连线不超过 %d 条", MaxEdges), fmt.Sprintf("a flow has at most %d edges", MaxEdges))
	}
	if len(bad) > 0 {
		return problem.Invalid(bad...)
	}

	seen := map[string]bool{}
	starts := 0
	for i, n := range d.Nodes {
		at := fmt.Sprintf("nodes[%d].", i)
		switch {
		case !idPattern.MatchString(n.ID):
			add(at+"id", "节点标识须为小写字母开头的字母、数字、- 或 _", "a node id must be lower-case letters, digits, - or _, starting with a letter")
		case seen[n.ID]:
			add(at+"id", "节点标识重复："+n.ID, "duplicate node id "+n.ID)
		}
		seen[n.ID] = true
		if strings.TrimSpace(n.Name) == "" || len([]rune(n.Name)) > maxName {
			add(at+"name", "节点名称不能为空且不超过 100 个字符", "a node's name must be 1 to 100 characters")
		}
		switch n.Kind {
		case Start:
			starts++
		case Task:
			bad = append(bad, validateTask(at, n)...)
		case Choice, End, Split, Join:
		default:
			add(at+"kind", "未知的节点类型："+string(n.Kind), "unknown node kind "+string(n.Kind))
		}
		if n.Kind != Task && (n.Assign != nil || n.Mode != "" || n.Limit != nil || n.Escalate != nil) {
			add(at+"assign", "只有办理节点可以指定办理人、方式和时限", "only a task node has an assignment, a mode and limits")
		}
	}
	if starts != 1 {
		add("nodes", "流程须有且只有一个开始节点", "a flow has exactly one start node")
	}
	if len(bad) > 0 {
		return problem.Invalid(bad...)
	}

	for i, e := range d.Edges {
		at := fmt.Sprintf("edges[%d].", i)
		if !seen[e.From] {
			add(at+"from", "连线起点不是已知节点："+e.From, "the edge starts at no known node: "+e.From)
		}
		if !seen[e.To] {
			add(at+"to", "连线终点不是已知节点："+e.To, "the edge ends at no known node: "+e.To)
		}
		if e.From == e.To {
			add(at+"to", "连线不能指向自身", "an edge may not loop to its own node")
		}
	}
	if len(bad) > 0 {
		return problem.Invalid(bad...)
	}
	for i, n := range d.Nodes {
		bad = append(bad, validateOut(d, fmt.Sprintf("nodes[%d]", i), n)...)
	}
	if len(bad) > 0 {
		return problem.Invalid(bad...)
	}
	bad = append(bad, validateReach(d)...)
	if len(bad) > 0 {
		return problem.Invalid(bad...)
	}
	if _, wrong := blocksOf(d); len(wrong) > 0 {
		return problem.Invalid(wrong...)
	}
	return nil
}

// validateTask checks a task node's assignment, mode and limits.
func validateTask(at string, n Node) []problem.FieldError {
	var bad []problem.FieldError
	add := func(field, zh, en string) { bad = append(bad, problem.Field(at+field, zh, en)) }
	switch n.Mode {
	case "", Single, All, Any, Sequential:
	default:
		add("mode", "办理方式须为 single、all（会签）、any（或签）或 sequential（依次）", "the mode must be single, all, any or sequential")
	}
	a := n.Assign
	if a == nil {
		add("assign", "办理节点须指定办理人", "a task node needs an assignment")
		return bad
	}
	ways := 0
	for _, given := range []bool{len(a.Users) > 0, a.Initiator, a.UsersField != "", a.Role != "", a.Permission != "", a.Post != ""} {
		if given {
			ways++
		}
	}
	switch {
	case ways != 1:
		add("assign", "办理人须以一种方式指定：指定人员、发起人、字段中的人员、角色、权限或岗位", "give the assignees one way: users, the initiator, a users field, a role, a permission or a post")
	case len(a.Users) > MaxUsers:
		add("assign.users", fmt.Sprintf("指定人员不超过 %d 人", MaxUsers), fmt.Sprintf("at most %d users", MaxUsers))
	case len(a.Users) > 0 && slices.Contains(a.Users, ""):
		add("assign.users", "人员标识不能为空", "a user id may not be empty")
	case (a.Department != "" || a.DepartmentField != "") && a.Role == "" && a.Permission == "":
		add("assign.department", "只有角色或权限可以限定处室", "only a role or a permission is narrowed to a department")
	case a.UsersField != "" && !fieldPattern.MatchString(a.UsersField),
		a.DepartmentField != "" && !fieldPattern.MatchString(a.DepartmentField):
		add("assign", "字段名须为字母开头的字母、数字或 _", "a field name is letters, digits or _, starting with a letter")
	case a.Department != "" && a.DepartmentField != "":
		add("assign.department", "处室与处室字段只能指定一个", "give a department or a department field, not both")
	}
	if n.Mode == Sequential && ways == 1 && len(a.Users) == 0 && a.UsersField == "" {
		// The order of a role's holders is the directory's, not the
		// flow's: a sequence is only meaningful for named people.
		add("mode", "依次办理须指定人员（按顺序）", "sequential needs named users, in order")
	}
	for field, l := range map[string]*Limit{"limit": n.Limit, "escalate": n.Escalate} {
		if l != nil {
			bad = append(bad, validateLimit(at+field, *l)...)
		}
	}
	if n.Limit != nil && n.Escalate != nil && n.Limit.Validate() == nil && n.Escalate.Validate() == nil && !n.Escalate.after(*n.Limit) {
		add("escalate", "督办时限须长于办理时限（同一单位）", "the escalation limit must be longer than the time limit, in the same unit")
	}
	return bad
}

// Validate checks that l gives exactly one unit, positive and in range.
func (l Limit) Validate() error {
	if bad := validateLimit("limit", l); len(bad) > 0 {
		return problem.Invalid(bad...)
	}
	return nil
}

func validateLimit(field string, l Limit) []problem.FieldError {
	units := 0
	for _, v := range []int{l.Workdays, l.CalendarDays, l.Hours} {
		if v < 0 {
			return []problem.FieldError{problem.Field(field, "时限不能为负", "a limit may not be negative")}
		}
		if v > 0 {
			units++
		}
	}
	switch {
	case units != 1:
		return []problem.FieldError{problem.Field(field, "时限须以一种单位给出：工作日、自然日或工作小时", "give a limit in one unit: workdays, calendarDays or hours")}
	case l.Workdays > workcal.MaxWorkdays || l.CalendarDays > workcal.MaxWorkdays:
		return []problem.FieldError{problem.Field(field, fmt.Sprintf("时限不超过 %d 天", workcal.MaxWorkdays), fmt.Sprintf("at most %d days", workcal.MaxWorkdays))}
	case l.Hours > maxLimitH:
		return []problem.FieldError{problem.Field(field, fmt.Sprintf("时限不超过 %d 个工作小时", maxLimitH), fmt.Sprintf("at most %d working hours", maxLimitH))}
	}
	return nil
}

// after reports whether e is longer than l in the same unit.
func (e Limit) after(l Limit) bool {
	switch {
	case l.Workdays > 0:
		return e.Workdays > l.Workdays
	case l.CalendarDays > 0:
		return e.CalendarDays > l.CalendarDays
	default:
		return e.Hours > l.Hours
	}
}

// validateOut checks the edges leaving one node.
func validateOut(d *Definition, at string, n Node) []problem.FieldError {
	out := d.Out(n.ID)
	var bad []problem.FieldError
	add := func(field, zh, en string) { bad = append(bad, problem.Field(field, zh, en)) }
	switch n.Kind {
	case End:
		if len(out) > 0 {
			add(at, "结束节点不能有出线", "an end node has no edges out")
		}
	case Start, Task, Join:
		if len(out) != 1 {
			add(at, "开始、办理和汇聚节点须有且只有一条出线："+n.ID, "a start, task or join node has exactly one edge out: "+n.ID)
		}
		for i, e := range d.Edges {
			if e.From == n.ID && (e.When != nil || e.Default) {
				add(fmt.Sprintf("edges[%d].when", i), "只有条件节点和分支节点的出线可以带条件", "only a choice's or a split's edges carry conditions")
			}
		}
	case Split:
		if len(out) < 2 {
			add(at, "分支节点须有至少两条出线："+n.ID, "a split has at least two edges out: "+n.ID)
		}
		branches := map[string]bool{}
		for i, e := range d.Edges {
			if e.From != n.ID {
				continue
			}
			field := fmt.Sprintf("edges[%d].when", i)
			if branches[e.To] {
				add(fmt.Sprintf("edges[%d].to", i), "分支节点到同一节点只能有一条出线："+e.To, "a split has one edge at most to a node: "+e.To)
			}
			branches[e.To] = true
			if e.Default {
				add(field, "分支节点的出线没有默认出线：不带条件的分支总是执行", "a split has no default edge: a branch without a condition always runs")
			} else if e.When != nil {
				if err := e.When.validate(); err != nil {
					add(field, err.Zh, err.En)
				}
			}
		}
	case Choice:
		defaults := 0
		if len(out) < 2 {
			add(at, "条件节点须有至少两条出线："+n.ID, "a choice has at least two edges out: "+n.ID)
		}
		for i, e := range d.Edges {
			if e.From != n.ID {
				continue
			}
			field := fmt.Sprintf("edges[%d].when", i)
			switch {
			case e.Default && e.When != nil:
				add(field, "默认出线不带条件", "the default edge has no condition")
			case e.Default:
				defaults++
			case e.When == nil:
				add(field, "条件节点的出线须有条件或为默认出线", "a choice's edge needs a condition or must be the default")
			default:
				if err := e.When.validate(); err != nil {
					add(field, err.Zh, err.En)
				}
			}
		}
		if defaults > 1 {
			add(at, "条件节点只能有一条默认出线："+n.ID, "a choice has at most one default edge: "+n.ID)
		}
	}
	return bad
}

// validate checks a condition's field, operator and value.
func (c Condition) validate() *problem.Error {
	switch {
	case !fieldPattern.MatchString(c.Field):
		return problem.New(400, problem.CodeInvalid, "条件须指定字段", "a condition names a field")
	case !slices.Contains(operators, c.Op):
		return problem.New(400, problem.CodeInvalid, "条件的运算符须为 == != > >= < <= in 之一", "the operator must be one of == != > >= < <= in")
	case strings.TrimSpace(c.Value) == "":
		return problem.New(400, problem.CodeInvalid, "条件须给出比较值", "a condition needs a value")
	case c.Op != "==" && c.Op != "!=" && c.Op != "in" && !ordered(c.Value):
		return problem.New(400, problem.CodeInvalid, "大小比较的值须为密级或数字："+c.Value, "an ordering compares a 密级 or a number: "+c.Value)
	}
	return nil
}

var fieldPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,39}$`)

// ordered reports whether v can be ordered: a 密级 or a number.
func ordered(v string) bool {
	if levelRank(v) >= 0 {
		return true
	}
	_, err := strconv.ParseFloat(v, 64)
	return err == nil
}

// validateReach checks that every node can be reached from the start and
// can reach an end: no orphan and no trap an instance could never leave.
func validateReach(d *Definition) []problem.FieldError {
	var start string
	for _, n := range d.Nodes {
		if n.Kind == Start {
			start = n.ID
		}
	}
	forward := walk(start, func(id string) []string {
		var next []string
		for _, e := range d.Out(id) {
			next = append(next, e.To)
		}
		return next
	})
	var ends []string
	for _, n := range d.Nodes {
		if n.Kind == End {
			ends = append(ends, n.ID)
		}
	}
	back := map[string]bool{}
	for _, end := range ends {
		for id := range walk(end, func(id string) []string {
			var prev []string
			for _, e := range d.Edges {
				if e.To == id {
					prev = append(prev, e.From)
				}
			}
			return prev
		}) {
			back[id] = true
		}
	}
	var bad []problem.FieldError
	if len(ends) == 0 {
		bad = append(bad, problem.Field("nodes", "流程须有结束节点", "a flow needs an end node"))
	}
	for i, n := range d.Nodes {
		at := fmt.Sprintf("nodes[%d]", i)
		if !forward[n.ID] {
			bad = append(bad, problem.Field(at, "从开始节点到不了此节点："+n.ID, "the node cannot be reached from the start: "+n.ID))
		} else if len(ends) > 0 && !back[n.ID] {
			bad = append(bad, problem.Field(at, "此节点到不了结束节点："+n.ID, "no end can be reached from the node: "+n.ID))
		}
	}
	return bad
}

// walk is the set of ids reachable from id through next.
func walk(id string, next func(string) []string) map[string]bool {
	seen := map[string]bool{id: true}
	todo := []string{id}
	for len(todo) > 0 {
		cur := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, n := range next(cur) {
			if !seen[n] {
				seen[n] = true
				todo = append(todo, n)
			}
		}
	}
	return seen
}
