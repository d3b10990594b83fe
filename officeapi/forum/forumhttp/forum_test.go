package forumhttp_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"zhengwu/officeapi"
	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/forum"
	"zhengwu/officeapi/forum/forumhttp"
	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/officetest"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/testkit"
)

const base = "/api/office/v1/forum"

// sent records the notices the forum sends.
type sent struct {
	mu      sync.Mutex
	notices []notify.Notice
}

func (s *sent) Send(_ context.Context, n notify.Notice) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notices = append(s.notices, n)
	return nil
}

func (s *sent) to() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, n := range s.notices {
		out = append(out, n.Recipients...)
	}
	return out
}

// env is the demo office with the demo forum: the office-wide boards
// (工作交流 moderated by reviewer 周丽), one board per department, threads.
type env struct {
	*officetest.Env
	svc    *forum.Service
	sent   *sent
	boards map[string]string // name → id, as officeadmin sees them
}

func newEnv(t *testing.T) *env {
	e := officetest.New(t)
	rec := &sent{}
	svc, err := forum.New(forum.Deps{Deps: e.Deps("forum"), People: forum.PeopleOf(e.Identity), Notify: rec})
	if err != nil {
		t.Fatal(err)
	}
	e.Mount(svc, forumhttp.Routes(svc, e.Tokens))
	ctx := context.Background()
	depts, err := e.Identity.Departments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := svc.SeedDemo(ctx, e.Identity.PrincipalByUsername, depts); err != nil || n == 0 {
		t.Fatalf("seed: %d %v", n, err)
	}
	if err := svc.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	rec.notices = nil // the demo's own mentions
	var list forum.BoardList
	e.Do("GET", base+"/boards", e.TokenOf("officeadmin"), nil).Decode(t, &list)
	boards := map[string]string{}
	for _, b := range list.Items {
		boards[b.Name] = b.ID
	}
	return &env{Env: e, svc: svc, sent: rec, boards: boards}
}

func (e *env) post(user, board string, body map[string]any) testkit.Response {
	return e.Do("POST", base+"/boards/"+e.boards[board]+"/threads", e.TokenOf(user), body)
}

func created(t *testing.T, r testkit.Response) string {
	t.Helper()
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	return r.JSON()["id"].(string)
}

func TestThreadRepliesQuotesAndMentions(t *testing.T) {
	e := newEnv(t)
	api := officeapi.API(e.Routes)
	r := e.Do("GET", base+"/boards", e.TokenOf("staff"), nil)
	openapitest.Response(t, api, "GET", "/forum/boards", r.Status, r.Body)

	e.Clock.Advance(time.Minute) // after the demo's threads
	// staff mentions 李文静 (editor: reads 工作交流) and 周丽 by id without
	// writing her name (not told), and picks 孙丽娟 too (hefei: reads it).
	r = e.post("staff", "工作交流", map[string]any{"title": "请教：会议纪要的格式", "body": "<p>@李文静 @孙丽娟 请问纪要用什么模板？</p>",
		"mentions": []string{e.UserID("editor"), e.UserID("reviewer"), e.UserID("hfclerk")}})
	openapitest.Response(t, api, "POST", "/forum/boards/{id}/threads", r.Status, r.Body)
	id := created(t, r)
	if got := e.sent.to(); !slices.Equal(got, []string{e.UserID("editor"), e.UserID("hfclerk")}) {
		t.Fatalf("mention notices to %v", got)
	}
	n := e.sent.notices[0]
	if n.Kind != notify.KindMention || n.Key != "forum:"+id+":"+e.UserID("editor") || n.Link != "/office/forum/threads/"+id {
		t.Fatalf("notice %+v", n)
	}

	r = e.Do("POST", base+"/threads/"+id+"/replies", e.TokenOf("editor"), map[string]any{"body": "<p>用办公厅的纪要模板。</p>", "quote": 1})
	openapitest.Response(t, api, "POST", "/forum/threads/{id}/replies", r.Status, r.Body)
	r = e.Do("POST", base+"/threads/"+id+"/replies", e.TokenOf("chuzhang"), map[string]any{"body": "<p>同意楼上</p>", "quote": 2})
	if r.Status != 201 {
		t.Fatalf("reply: %d %s", r.Status, r.Body)
	}
	var read forum.Reading
	r = e.Do("GET", base+"/threads/"+id, e.TokenOf("staff"), nil)
	openapitest.Response(t, api, "GET", "/forum/threads/{id}", r.Status, r.Body)
	r.Decode(t, &read)
	th := read.Thread.Document
	if th.ReplyCount != 2 || th.Replies[1].Floor != 3 || th.Replies[1].Quote == nil || th.Replies[1].Quote.AuthorName != "李文静" ||
		!strings.Contains(th.Replies[1].Quote.Excerpt, "纪要模板") || th.LastReplyName != "刘志强" || read.Views != 1 || read.Moderator {
		t.Fatalf("read: %s", r.Body)
	}
	// The board's list: pinned first, then the newest activity.
	r = e.Do("GET", base+"/boards/"+e.boards["工作交流"]+"/threads", e.TokenOf("staff"), nil)
	openapitest.Response(t, api, "GET", "/forum/boards/{id}/threads", r.Status, r.Body)
	if got := e.Listed("staff", "/forum/boards/"+e.boards["工作交流"]+"/threads"); len(got) != 2 || got[0] != id {
		t.Fatalf("list %v", got)
	}
	// Search finds it by a word of a reply.
	if got := e.Listed("staff", "/forum/search?q=模板&x=1"); !slices.Contains(got, id) {
		t.Fatalf("search: %v", got)
	}
}

func TestModeration(t *testing.T) {
	e := newEnv(t)
	api := officeapi.API(e.Routes)
	id := created(t, e.post("staff", "工作交流", map[string]any{"title": "一个问题", "body": "<p>正文</p>"}))
	e.Do("POST", base+"/threads/"+id+"/replies", e.TokenOf("editor"), map[string]any{"body": "<p>不当言论</p>"})
	mod := func(user string, m map[string]any) testkit.Response {
		return e.Do("POST", base+"/threads/"+id+"/moderate", e.TokenOf(user), m)
	}
	r := mod("reviewer", map[string]any{"action": "hide", "floor": 2, "reason": "内容不当"})
	openapitest.Response(t, api, "POST", "/forum/threads/{id}/moderate", r.Status, r.Body)
	var read forum.Reading
	e.Do("GET", base+"/threads/"+id, e.TokenOf("staff"), nil).Decode(t, &read)
	if rp := read.Thread.Document.Replies[0]; !rp.Hidden || rp.Body != "" {
		t.Fatalf("a reader sees the hidden reply: %+v", rp)
	}
	e.Do("GET", base+"/threads/"+id, e.TokenOf("reviewer"), nil).Decode(t, &read)
	if rp := read.Thread.Document.Replies[0]; !read.Moderator || !rp.Hidden || !strings.Contains(rp.Body, "不当言论") {
		t.Fatalf("the moderator does not see the hidden reply: %+v", rp)
	}
	if r := mod("reviewer", map[string]any{"action": "lock", "reason": "讨论结束"}); r.Status != 200 {
		t.Fatalf("lock: %d %s", r.Status, r.Body)
	}
	thread := base + "/threads/" + id
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "locked", Method: "POST", Path: thread + "/replies", Token: e.TokenOf("staff"), Body: map[string]any{"body": "<p>再说一句</p>"}, Status: 409, Code: "invalid_state"},
		testkit.Scenario{Name: "not a moderator", Method: "POST", Path: thread + "/moderate", Token: e.TokenOf("staff"), Body: map[string]any{"action": "unlock", "reason": "x"}, Status: 403},
		testkit.Scenario{Name: "no reason", Method: "POST", Path: thread + "/moderate", Token: e.TokenOf("reviewer"), Body: map[string]any{"action": "pin", "reason": " "}, Status: 400, Field: "reason"},
		testkit.Scenario{Name: "unknown action", Method: "POST", Path: thread + "/moderate", Token: e.TokenOf("reviewer"), Body: map[string]any{"action": "delete", "reason": "x"}, Status: 400, Field: "action"},
		testkit.Scenario{Name: "move to a board one does not keep", Method: "POST", Path: thread + "/moderate", Token: e.TokenOf("reviewer"), Body: map[string]any{"action": "move", "board": e.boards["意见建议"], "reason": "x"}, Status: 400, Field: "board"},
		testkit.Scenario{Name: "no such floor", Method: "POST", Path: thread + "/moderate", Token: e.TokenOf("reviewer"), Body: map[string]any{"action": "hide", "floor": 9, "reason": "x"}, Status: 400, Field: "floor"},
	)
	// The board keeper moves it; it leaves 工作交流's list.
	if r := mod("officeadmin", map[string]any{"action": "move", "board": e.boards["意见建议"], "reason": "属于建议类"}); r.Status != 200 || r.JSON()["board"] != e.boards["意见建议"] {
		t.Fatalf("move: %d %s", r.Status, r.Body)
	}
	if got := e.Listed("staff", "/forum/boards/"+e.boards["工作交流"]+"/threads"); slices.Contains(got, id) {
		t.Fatalf("the moved thread is still listed on its old board")
	}
	for _, a := range []string{"forum.thread.hide", "forum.thread.lock", "forum.thread.move"} {
		en := slices.DeleteFunc(e.Audited(a, forum.Collection+"/"+id), func(en audit.Entry) bool { return en.Outcome != audit.Success })
		if len(en) != 1 || en[0].Details["reason"] == nil {
			t.Fatalf("audit of %s: %+v", a, en)
		}
	}
	if en := e.Audited("forum.thread.unlock", forum.Collection+"/"+id); len(en) != 1 || en[0].Outcome != audit.Failure {
		t.Fatalf("the refused unlock's audit: %+v", en)
	}
	// A hidden thread: its title is blank to readers, gone from search.
	mod("officeadmin", map[string]any{"action": "hide", "reason": "违规"})
	var pg forum.SummaryPage
	e.Do("GET", base+"/boards/"+e.boards["意见建议"]+"/threads?consistentWith="+strconv.FormatInt(e.LastSeq, 10), e.TokenOf("staff"), nil).Decode(t, &pg)
	i := slices.IndexFunc(pg.Items, func(s forum.Summary) bool { return s.ID == id })
	if i < 0 || pg.Items[i].Title != "" || !pg.Items[i].Hidden {
		t.Fatalf("a hidden thread in a reader's list: %+v", pg.Items)
	}
	if got := e.Listed("staff", "/forum/search?q=问题&x=1"); slices.Contains(got, id) {
		t.Fatalf("search finds a hidden thread")
	}
}

func TestDepartmentBoardsAndClassification(t *testing.T) {
	e := newEnv(t)
	var xinxiThread, secret string
	for _, th := range e.threadsOf("reviewer", "信息处") {
		if th.Classification == classification.Mimi {
			secret = th.ID
		} else {
			xinxiThread = th.ID
		}
	}
	if xinxiThread == "" || secret == "" {
		t.Fatal("the demo's 信息处 board lacks its threads")
	}
	var list forum.BoardList
	e.Do("GET", base+"/boards", e.TokenOf("staff"), nil).Decode(t, &list)
	var names []string
	for _, b := range list.Items {
		names = append(names, b.Name)
	}
	if !slices.Contains(names, "秘书二处") || slices.Contains(names, "信息处") || names[0] != "通知公告" {
		t.Fatalf("staff (秘书二处) sees the boards %v", names)
	}
	low := e.Token(testkit.Principal("xinxi-low", classification.Feimi, []string{"xinxi"}, testkit.Holds(auth.PermOfficeRead, auth.OfficeWide)))
	staff := e.TokenOf("staff")
	xinxi := base + "/boards/" + e.boards["信息处"]
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "another department's board", Method: "GET", Path: xinxi, Token: staff, Status: 404},
		testkit.Scenario{Name: "its threads", Method: "GET", Path: xinxi + "/threads", Token: staff, Status: 404},
		testkit.Scenario{Name: "posting there", Method: "POST", Path: xinxi + "/threads", Token: staff, Body: map[string]any{"title": "x", "body": "<p>x</p>"}, Status: 404},
		testkit.Scenario{Name: "its thread", Method: "GET", Path: base + "/threads/" + xinxiThread, Token: staff, Status: 404},
		testkit.Scenario{Name: "replying there", Method: "POST", Path: base + "/threads/" + xinxiThread + "/replies", Token: staff, Body: map[string]any{"body": "<p>x</p>"}, Status: 404},
		testkit.Scenario{Name: "search does not find it", Method: "GET", Path: base + "/search?q=例会", Token: staff, Status: 200, NotContains: []string{xinxiThread}},
		testkit.Scenario{Name: "a member reads it", Method: "GET", Path: base + "/threads/" + xinxiThread, Token: low, Status: 200},
		testkit.Scenario{Name: "not a 秘密 thread under 非密", Method: "GET", Path: base + "/threads/" + secret, Token: low, Status: 404},
		testkit.Scenario{Name: "nor in the list", Method: "GET", Path: xinxi + "/threads", Token: low, Status: 200, NotContains: []string{secret}},
		testkit.Scenario{Name: "above the board's ceiling", Method: "POST", Path: base + "/boards/" + e.boards["工作交流"] + "/threads", Token: e.TokenOf("editor"),
			Body: map[string]any{"title": "x", "body": "<p>x</p>", "classification": "秘密"}, Status: 400, Field: "classification"},
		testkit.Scenario{Name: "above one's clearance", Method: "POST", Path: xinxi + "/threads", Token: low,
			Body: map[string]any{"title": "x", "body": "<p>x</p>", "classification": "秘密"}, Status: 400, Field: "classification"},
		testkit.Scenario{Name: "an empty body", Method: "POST", Path: xinxi + "/threads", Token: low, Body: map[string]any{"title": "x", "body": "<script>x</script>"}, Status: 400, Field: "body"},
		testkit.Scenario{Name: "no title", Method: "POST", Path: xinxi + "/threads", Token: low, Body: map[string]any{"title": " ", "body": "<p>x</p>"}, Status: 400, Field: "title"},
		testkit.Scenario{Name: "officers are no staff", Method: "GET", Path: base + "/boards", Token: e.TokenOf("auditor"), Status: 403},
	)
	// A mention of someone outside the board tells no one.
	r := e.Do("POST", base+"/boards/"+e.boards["秘书二处"]+"/threads", staff, map[string]any{"title": "内部讨论", "body": "<p>@李文静 看看</p>",
		"mentions": []string{e.UserID("editor")}})
	created(t, r)
	if got := e.sent.to(); len(got) != 0 {
		t.Fatalf("a mention told someone who cannot read the board: %v", got)
	}
}

func (e *env) threadsOf(user, board string) []forum.Summary {
	var pg forum.SummaryPage
	e.Do("GET", base+"/boards/"+e.boards[board]+"/threads", e.TokenOf(user), nil).Decode(e.T, &pg)
	return pg.Items
}

func TestRichTextIsSanitised(t *testing.T) {
	e := newEnv(t)
	id := created(t, e.post("staff", "工作交流", map[string]any{"title": "<b>标题</b>",
		"body": `<p onclick="alert(1)">你好<script>alert(2)</script><a href="javascript:alert(3)">链接</a><img src=x onerror=alert(4)></p>`}))
	var read forum.Reading
	e.Do("GET", base+"/threads/"+id, e.TokenOf("staff"), nil).Decode(t, &read)
	body := read.Thread.Document.Body
	for _, bad := range []string{"onclick", "<script", "javascript:", "onerror"} {
		if strings.Contains(body, bad) {
			t.Fatalf("stored body keeps %s: %s", bad, body)
		}
	}
	if !strings.Contains(body, "你好") {
		t.Fatalf("the sanitiser lost the text: %s", body)
	}
}

func TestPinnedNoticesOnTheDesktopUntilRead(t *testing.T) {
	e := newEnv(t)
	toread := func(user string) []desktop.Entry {
		var d desktop.View
		e.Do("GET", "/api/office/v1/desktop", e.TokenOf(user), nil).Decode(t, &d)
		var out []desktop.Entry
		for _, en := range d.ToRead {
			if en.Source == "forum" {
				out = append(out, en)
			}
		}
		return out
	}
	// The live desktop: a notice concerns its readers, a read mark its reader.
	th, err := e.Store.Scan(context.Background(), forum.Collection, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	staffP, _ := e.Identity.PrincipalByUsername(context.Background(), "staff")
	notices := 0
	for _, d := range th {
		aud, err := e.svc.Audience(context.Background(), d, true)
		if err != nil {
			t.Fatal(err)
		}
		var v forum.Thread
		_ = d.Decode(&v)
		if v.Notice {
			notices++
			if aud.Anyone == nil || !aud.Anyone(staffP) {
				t.Fatalf("a notice does not concern its reader")
			}
		} else if aud.Anyone != nil || len(aud.Users) > 0 {
			t.Fatalf("an ordinary thread moves desktops: %+v", aud)
		}
	}
	if notices == 0 {
		t.Fatal("the demo has no notices")
	}
	got := toread("staff")
	if len(got) != 1 || got[0].Title != "关于2027年元旦放假安排的通知" {
		t.Fatalf("staff's forum to-read: %+v", got)
	}
	e.Do("GET", base+"/threads/"+got[0].ID, e.TokenOf("staff"), nil)
	if got := toread("staff"); len(got) != 0 {
		t.Fatalf("an opened notice stays: %+v", got)
	}
	if got := toread("editor"); len(got) != 1 {
		t.Fatalf("another reader's notice went with it: %+v", got)
	}
}

func TestBoardManagement(t *testing.T) {
	e := newEnv(t)
	admin := e.TokenOf("officeadmin")
	r := e.Do("POST", base+"/boards", admin, map[string]any{"name": "摄影爱好", "moderators": []string{e.UserID("staff")}})
	id := created(t, r)
	api := officeapi.API(e.Routes)
	openapitest.Response(t, api, "POST", "/forum/boards", r.Status, r.Body)
	v := r.JSON()["version"].(float64)
	r = e.Do("PUT", base+"/boards/"+id, admin, map[string]any{"name": "摄影与书画", "moderators": []string{e.UserID("staff")}, "version": v})
	openapitest.Response(t, api, "PUT", "/forum/boards/{id}", r.Status, r.Body)
	if r.Status != 200 || r.JSON()["name"] != "摄影与书画" || r.JSON()["ceiling"] != "非密" {
		t.Fatalf("update: %d %s", r.Status, r.Body)
	}
	testkit.Run(t, e.App,
		testkit.Scenario{Name: "staff keep no boards", Method: "POST", Path: base + "/boards", Token: e.TokenOf("staff"), Body: map[string]any{"name": "x"}, Status: 403},
		testkit.Scenario{Name: "stale version", Method: "PUT", Path: base + "/boards/" + id, Token: admin, Body: map[string]any{"name": "y", "version": v}, Status: 409},
		testkit.Scenario{Name: "a moderator outside the department", Method: "POST", Path: base + "/boards", Token: admin,
			Body: map[string]any{"name": "x", "department": "ducha", "moderators": []string{e.UserID("staff")}}, Status: 400, Field: "moderators"},
		testkit.Scenario{Name: "no name", Method: "POST", Path: base + "/boards", Token: admin, Body: map[string]any{"name": ""}, Status: 400, Field: "name"},
		testkit.Scenario{Name: "a bad ceiling", Method: "POST", Path: base + "/boards", Token: admin, Body: map[string]any{"name": "x", "ceiling": "顶级"}, Status: 400, Field: "ceiling"},
	)
}

func TestDemoIsIdempotent(t *testing.T) {
	e := newEnv(t)
	depts, _ := e.Identity.Departments(context.Background())
	if n, err := e.svc.SeedDemo(context.Background(), e.Identity.PrincipalByUsername, depts); err != nil || n != 0 {
		t.Fatalf("second seed: %d %v", n, err)
	}
}
