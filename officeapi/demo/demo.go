// Package demo seeds the demo organisation and accounts (`zhengwu serve
// --demo`). Seeding is idempotent: whatever exists is left alone, so a
// second start adds nothing.
package demo

import (
	"context"
	"errors"

	"zhengwu/officeapi/identity"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
)

// Departments of the demo office: the office at the root, its 处室 below;
// beside it two more organisations of the deployment (top-level units),
// which receive the office's 发文 as 收文 through the system (公文交换).
var Departments = []identity.NewDepartment{
	{ID: "office", Name: "省政府办公厅", Order: 0},
	{ID: "mishu1", Name: "秘书一处", ParentID: "office", Order: 10},
	{ID: "mishu2", Name: "秘书二处", ParentID: "office", Order: 20},
	{ID: "zonghe", Name: "综合处", ParentID: "office", Order: 30},
	{ID: "xinxi", Name: "信息处", ParentID: "office", Order: 40},
	{ID: "ducha", Name: "督查室", ParentID: "office", Order: 50},
	{ID: "zhiban", Name: "值班室", ParentID: "office", Order: 60},
	{ID: "huiwu", Name: "会务处", ParentID: "office", Order: 70},
	{ID: "wenyin", Name: "文印室", ParentID: "office", Order: 80},
	{ID: "renshi", Name: "人事处", ParentID: "office", Order: 90},
	{ID: "jiguandangwei", Name: "机关党委", ParentID: "office", Order: 100},
	{ID: "hefei", Name: "合肥市人民政府办公室", Order: 200},
	{ID: "fgw", Name: "省发展和改革委员会", Order: 300},
}

// Posts of the demo office.
var Posts = []identity.Post{
	{ID: "mishu1-chuzhang", Name: "处长", DepartmentID: "mishu1"},
	{ID: "xinxi-bianji", Name: "信息编辑", DepartmentID: "xinxi"},
	{ID: "zonghe-shoufawen", Name: "收发文员", DepartmentID: "zonghe"},
	{ID: "mishu2-keyuan", Name: "科员", DepartmentID: "mishu2"},
	{ID: "mishu2-chuzhang", Name: "处长", DepartmentID: "mishu2"},
	{ID: "office-mishuzhang", Name: "秘书长", DepartmentID: "office"},
	{ID: "xinxi-xitong", Name: "系统管理岗", DepartmentID: "xinxi"},
	// The default 发文 flow's 印制 node goes to this post (workflow/data/outgoing.json).
	{ID: "print_room", Name: "文印员", DepartmentID: "wenyin"},
	// More of the office's leadership, for meetings with a real rostrum
	// (their protocol rank comes from these posts), and 会务处's clerk.
	{ID: "office-fumishuzhang", Name: "副秘书长", DepartmentID: "office"},
	{ID: "huiwu-keyuan", Name: "会务专员", DepartmentID: "huiwu"},
	{ID: "zhiban-zhuren", Name: "值班室主任", DepartmentID: "zhiban"},
	{ID: "zhiban-zhibanyuan", Name: "值班员", DepartmentID: "zhiban"},
}

type account struct {
	username, name string
	depts, posts   []string
	clearance      classification.Level
	grants         [][2]string // role, department ("" = office-wide)
}

// The three officers belong to no department and hold no post: an
// officer must not read a department's restricted content through
// membership (identity refuses an officer role to a member).
var accounts = []account{
	{"sysadmin", "系统管理员", nil, nil, "非密", [][2]string{{"sysadmin", ""}}},
	{"secadmin", "安全保密管理员", nil, nil, "机密", [][2]string{{"secadmin", ""}}},
	{"auditor", "安全审计员", nil, nil, "非密", [][2]string{{"auditor", ""}}},
	{"director", "王建国", []string{"office"}, []string{"office-mishuzhang"}, "机密", [][2]string{{"leader", ""}, {"reviewer", ""}}},
	{"editor", "李文静", []string{"xinxi"}, []string{"xinxi-bianji"}, "秘密", [][2]string{{"editor", "xinxi"}, {"staff", ""}}},
	{"reviewer", "周丽", []string{"xinxi"}, []string{"xinxi-bianji"}, "秘密", [][2]string{{"reviewer", "xinxi"}, {"staff", ""}}},
	// 综合处's clerk also compiles and publishes the leaders' weekly
	// schedule (schedule_clerk, office-wide).
	{"clerk", "张明华", []string{"zonghe"}, []string{"zonghe-shoufawen"}, "秘密", [][2]string{{"clerk", "zonghe"}, {"staff", ""}, {"schedule_clerk", ""}}},
	{"staff", "陈晓燕", []string{"mishu2"}, []string{"mishu2-keyuan"}, "非密", [][2]string{{"staff", ""}}},
	// 秘书二处's head: approves its staff's leave (dept_head there).
	{"chuzhang", "刘志强", []string{"mishu2"}, []string{"mishu2-chuzhang"}, "秘密", [][2]string{{"dept_head", "mishu2"}, {"staff", ""}}},
	// 文印室's printer: the 印制 step of outgoing documents (the print_room post).
	// The print_room role (office-wide) is the print room's queue (officeapi/print).
	{"printer", "赵文印", []string{"wenyin"}, []string{"print_room"}, "秘密", [][2]string{{"staff", ""}, {"print_room", ""}}},
	// The two other units, each with its 收发员 (签收, 登记), a head (初审,
	// 拟办, 承办) and a leader (批办), all granted in their own unit.
	{"hfclerk", "孙丽娟", []string{"hefei"}, nil, "秘密", [][2]string{{"clerk", "hefei"}}},
	{"hfhead", "吴国平", []string{"hefei"}, nil, "秘密", [][2]string{{"dept_head", "hefei"}, {"reviewer", "hefei"}}},
	{"hfleader", "郑海涛", []string{"hefei"}, nil, "机密", [][2]string{{"leader", "hefei"}}},
	{"fgwclerk", "钱晓梅", []string{"fgw"}, nil, "秘密", [][2]string{{"clerk", "fgw"}}},
	{"fgwhead", "冯志远", []string{"fgw"}, nil, "秘密", [][2]string{{"dept_head", "fgw"}, {"reviewer", "fgw"}}},
	{"fgwleader", "何建华", []string{"fgw"}, nil, "机密", [][2]string{{"leader", "fgw"}}},
	// 综合处's business administrator: keeps the flow definitions and the
	// working calendar (office_admin, office-wide).
	{"officeadmin", "孙业务", []string{"zonghe"}, nil, "非密", [][2]string{{"office_admin", ""}, {"staff", ""}}},
	// 会务处's meeting administrator: books rooms, arranges seating, keeps
	// the rooms (meeting_admin, office-wide).
	{"huiwu", "林会务", []string{"huiwu"}, []string{"huiwu-keyuan"}, "秘密", [][2]string{{"meeting_admin", ""}, {"staff", ""}}},
	// Three 副秘书长, staff only: they sit on meeting rostrums (ranked by
	// their post), they approve nothing in the demo.
	{"fumishu1", "李国华", []string{"office"}, []string{"office-fumishuzhang"}, "秘密", [][2]string{{"staff", ""}}},
	{"fumishu2", "张卫东", []string{"office"}, []string{"office-fumishuzhang"}, "秘密", [][2]string{{"staff", ""}}},
	{"fumishu3", "黄振宇", []string{"office"}, []string{"office-fumishuzhang"}, "秘密", [][2]string{{"staff", ""}}},
	// Duty (值班): a 副秘书长 who leads shifts beside the director
	// (duty_leader: no 签发, so the documents' flows keep one leader),
	// 值班室's head (rosters, swaps) and two duty officers (the log).
	{"fumishuzhang", "陈立新", []string{"office"}, []string{"office-fumishuzhang"}, "机密", [][2]string{{"duty_leader", ""}, {"staff", ""}}},
	{"zhibanzhuren", "马国庆", []string{"zhiban"}, []string{"zhiban-zhuren"}, "秘密", [][2]string{{"duty_head", ""}, {"staff", ""}}},
	{"zhiban1", "林晓峰", []string{"zhiban"}, []string{"zhiban-zhibanyuan"}, "秘密", [][2]string{{"duty_officer", ""}, {"staff", ""}}},
	{"zhiban2", "何静", []string{"zhiban"}, []string{"zhiban-zhibanyuan"}, "秘密", [][2]string{{"duty_officer", ""}, {"staff", ""}}},
	// 综合处's archivist (档案员): keeps the archive office-wide (鉴定,
	// 撤销/废止, fixity checks, export to the archives system).
	{"archivist", "林秀兰", []string{"zonghe"}, nil, "机密", [][2]string{{"archivist", ""}}},
}

// Usernames of the demo accounts.
func Usernames() []string {
	out := make([]string, len(accounts))
	for i, a := range accounts {
		out[i] = a.username
	}
	return out
}

// Seed creates what is missing of the demo organisation and accounts, all
// with the given password. It runs as the local system (no principal).
// The demo's users know their password (ZHENGWU_DEMO_PASSWORD), so their
// accounts are marked as having chosen it: no change at the first login.
func Seed(ctx context.Context, svc *identity.Service, password string) (created int, err error) {
	sys := identity.Actor{IP: "local"}
	for _, d := range Departments {
		if _, err := svc.CreateDepartment(ctx, sys, d); err == nil {
			created++
		} else if !isConflict(err) {
			return created, err
		}
	}
	for _, p := range Posts {
		if _, err := svc.CreatePost(ctx, sys, p); err == nil {
			created++
		} else if !isConflict(err) {
			return created, err
		}
	}
	for _, a := range accounts {
		u, err := svc.CreateUser(ctx, sys, identity.NewUser{Username: a.username, DisplayName: a.name,
			Password: password, DepartmentIDs: a.depts, PostIDs: a.posts, PasswordChosen: true})
		if isConflict(err) {
			continue // seeded before: leave the account as its owners changed it
		}
		if err != nil {
			return created, err
		}
		created++
		if _, err := svc.SetClearance(ctx, sys, u.ID, a.clearance); err != nil {
			return created, err
		}
		for _, g := range a.grants {
			if _, err := svc.GrantRole(ctx, sys, u.ID, g[0], g[1]); err != nil && !isConflict(err) {
				return created, err
			}
		}
	}
	return created, nil
}

func isConflict(err error) bool {
	var p *problem.Error
	return errors.As(err, &p) && p.Status == 409
}
