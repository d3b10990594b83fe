package mailhttp_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"zhengwu/officeapi"
	"zhengwu/officeapi/mail"
	"zhengwu/officeapi/mail/mailhttp"
	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/officetest"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/testkit"
)

const base = "/api/office/v1/mail"

// file is the one stored file the tests attach (its size is the store's).
var file = mail.Attachment{MediaID: strings.Repeat("ab", 32), Name: "stored.pdf", Size: 4096, Type: "application/pdf"}

// notices records what mail sends.
type notices struct {
	mu  sync.Mutex
	all []notify.Notice
}

func (n *notices) Send(_ context.Context, x notify.Notice) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.all = append(n.all, x)
	return nil
}

func (n *notices) keys() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []string
	for _, x := range n.all {
		out = append(out, fmt.Sprintf("%s→%d", x.Key, len(x.Recipients)))
	}
	return out
}

// newEnv is the demo office with mail mounted (quota in bytes, 0: default).
func newEnv(t *testing.T, quota int64) (*officetest.Env, *mail.Service, *notices) {
	e := officetest.New(t)
	n := &notices{}
	svc, err := mail.New(mail.Deps{Deps: e.Deps("mail"), Directory: e.Identity, Notify: n, Quota: quota,
		Media: func(_ context.Context, id string) (mail.Attachment, bool, error) {
			return file, id == file.MediaID, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	e.Mount(svc, mailhttp.Routes(svc, e.Tokens))
	return e, svc, n
}

func to(e *officetest.Env, users ...string) []map[string]string {
	out := []map[string]string{}
	for _, u := range users {
		out = append(out, map[string]string{"userId": e.UserID(u)})
	}
	return out
}

func send(t *testing.T, e *officetest.Env, from string, body map[string]any) (entry, message string) {
	t.Helper()
	r := e.Do("POST", base, e.TokenOf(from), body)
	if r.Status != 201 {
		t.Fatalf("send as %s: %d %s", from, r.Status, r.Body)
	}
	var l mail.Letter
	r.Decode(t, &l)
	return l.Entry.ID, l.Message.ID
}

func entryOf(e *officetest.Env, message, user string) string { return message + "." + e.UserID(user) }

// The acceptance: POST /mail sends (201); the recipient's inbox lists it
// with its subject; a department is its members; Bcc is shown only to
// the sender; another's copy is a 404.
func TestSendAndReadInbox(t *testing.T) {
	e, _, n := newEnv(t, 0)
	api := officeapi.API(e.Routes)
	r := e.Do("POST", base, e.TokenOf("editor"), map[string]any{"to": to(e, "reviewer"),
		"cc":  []map[string]string{{"departmentId": "mishu2"}},
		"bcc": to(e, "clerk"), "subject": "简报第12期", "body": `<p onclick="x()">请审核<script>alert(1)</script></p>`})
	openapitest.Response(t, api, "POST", "/mail", r.Status, r.Body)
	if r.Status != 201 {
		t.Fatalf("send: %d %s", r.Status, r.Body)
	}
	var sent mail.Letter
	r.Decode(t, &sent)
	if b := sent.Message.Body; strings.Contains(b, "script") || strings.Contains(b, "onclick") || !strings.Contains(b, "请审核") {
		t.Fatalf("body not sanitised: %q", b)
	}
	if len(sent.Message.Recipients) != 4 { // 周丽, 秘书二处's 陈晓燕 and 刘志强, 张明华 (bcc)
		t.Fatalf("recipients %+v", sent.Message.Recipients)
	}
	in := e.Do("GET", fmt.Sprintf("%s/inbox?consistentWith=%d", base, e.LastSeq), e.TokenOf("staff"), nil)
	openapitest.Response(t, api, "GET", "/mail/inbox", in.Status, in.Body)
	if !strings.Contains(string(in.Body), `"subject":"简报第12期"`) {
		t.Fatalf("staff's inbox: %s", in.Body)
	}
	read := e.Do("GET", base+"/entries/"+entryOf(e, sent.Message.ID, "reviewer"), e.TokenOf("reviewer"), nil)
	if read.Status != 200 || strings.Contains(string(read.Body), e.UserID("clerk")) {
		t.Fatalf("the To recipient sees the Bcc: %d %s", read.Status, read.Body)
	}
	testkit.WantProblem(t, e.Do("GET", base+"/entries/"+entryOf(e, sent.Message.ID, "reviewer"), e.TokenOf("staff"), nil), 404, "not_found")
	testkit.WantProblem(t, e.Do("GET", base+"/messages/"+sent.Message.ID, e.TokenOf("director"), nil), 404, "not_found")
	if got := n.keys(); len(got) != 1 || got[0] != "mail:"+sent.Message.ID+"→4" {
		t.Fatalf("notices %v", got)
	}
	if len(e.Audited("mail.send", mail.Messages+"/"+sent.Message.ID)) != 1 {
		t.Fatal("send not audited")
	}
}

// 密级: above the mail limit refused, and a recipient whose clearance is
// below the mail's named under their field.
func TestClassificationRefusals(t *testing.T) {
	e, _, _ := newEnv(t, 0)
	r := e.Do("POST", base, e.TokenOf("director"), map[string]any{"to": to(e, "editor"), "subject": "机密事项", "classification": "机密"})
	testkit.WantProblem(t, r, 400, "invalid")
	if !strings.Contains(string(r.Body), "公文") || !strings.Contains(string(r.Body), `"field":"classification"`) {
		t.Fatalf("above the limit: %s", r.Body)
	}
	r = e.Do("POST", base, e.TokenOf("chuzhang"), map[string]any{"to": to(e, "editor"), "cc": to(e, "staff"), "subject": "秘密事项", "classification": "秘密"})
	testkit.WantProblem(t, r, 400, "invalid")
	if !strings.Contains(string(r.Body), `"field":"cc"`) || !strings.Contains(string(r.Body), "陈晓燕") {
		t.Fatalf("low clearance: %s", r.Body)
	}
	if got := e.Listed("editor", "/mail/inbox"); len(got) != 0 {
		t.Fatalf("a refused mail was delivered: %v", got)
	}
}

// Quota: a send that takes a recipient's mailbox over it is refused with
// the usage, and nothing is delivered.
func TestQuota(t *testing.T) {
	e, _, _ := newEnv(t, 1<<20)
	big := map[string]any{"to": to(e, "reviewer"), "subject": "大附件", "attachments": []mail.Attachment{file}}
	for i := 0; i < 256; i++ {
		if r := e.Do("POST", base, e.TokenOf("editor"), big); r.Status != 201 {
			testkit.WantProblem(t, r, 413, "mailbox_full")
			if !strings.Contains(string(r.Body), "邮箱空间已满：李文静已用") {
				t.Fatalf("quota problem: %s", r.Body)
			}
			return
		}
	}
	t.Fatal("never over quota")
}

// Read receipts and recall: the sender is told of the first read; a
// recall takes back the unread copy and reports who had read it.
func TestReceiptAndRecall(t *testing.T) {
	e, svc, n := newEnv(t, 0)
	sentEntry, msg := send(t, e, "editor", map[string]any{"to": to(e, "reviewer", "clerk"), "subject": "请阅", "receipt": true,
		"attachments": []mail.Attachment{file}})
	e.Do("GET", base+"/entries/"+entryOf(e, msg, "reviewer"), e.TokenOf("reviewer"), nil)
	e.Do("GET", base+"/entries/"+entryOf(e, msg, "reviewer"), e.TokenOf("reviewer"), nil) // second read: no second receipt
	if got := n.keys(); len(got) != 2 || !strings.HasPrefix(got[1], "mail-receipt:") {
		t.Fatalf("receipts %v", got)
	}
	testkit.WantProblem(t, e.Do("POST", base+"/entries/"+entryOf(e, msg, "reviewer")+"/recall", e.TokenOf("reviewer"), nil), 403, "forbidden")
	r := e.Do("POST", base+"/entries/"+sentEntry+"/recall", e.TokenOf("editor"), nil)
	var rc mail.Recalled
	r.Decode(t, &rc)
	if strings.Join(rc.Recalled, ",") != "张明华" || strings.Join(rc.Read, ",") != "周丽" {
		t.Fatalf("recall: %s", r.Body)
	}
	testkit.WantProblem(t, e.Do("GET", base+"/entries/"+entryOf(e, msg, "clerk"), e.TokenOf("clerk"), nil), 404, "not_found")
	var l mail.Letter
	e.Do("GET", base+"/entries/"+sentEntry, e.TokenOf("editor"), nil).Decode(t, &l)
	if len(l.States) != 2 || !l.States[0].Read || !l.States[1].Recalled {
		t.Fatalf("states %+v", l.States)
	}
	// The file: the sender and the reader who kept it; not the recalled, not a stranger.
	rule := mail.MediaRule(e.Store)
	d, err := rule(context.Background(), msg, file.MediaID)
	if err != nil || !d.Attaches {
		t.Fatalf("rule: %+v %v", d, err)
	}
	for user, want := range map[string]bool{"editor": true, "reviewer": true, "clerk": false, "director": false} {
		p, _ := e.Identity.PrincipalByUsername(context.Background(), user)
		if d.Access.Allows(p) != want {
			t.Errorf("%s reads the attachment: %v", user, !want)
		}
	}
	if _, _, _, err := svc.Describe(context.Background(), principal(t, e, "clerk"), entryOf(e, msg, "clerk")); err == nil {
		t.Fatal("describe a recalled copy")
	}
}

// Drafts: kept, edited at their version (a stale one 409), another's 404,
// then sent.
func TestDrafts(t *testing.T) {
	e, svc, _ := newEnv(t, 0)
	r := e.Do("POST", base+"/drafts", e.TokenOf("editor"), map[string]any{"subject": "草稿"})
	var d mail.Letter
	r.Decode(t, &d)
	if r.Status != 201 || d.Entry.Folder != mail.Drafts {
		t.Fatalf("draft: %d %s", r.Status, r.Body)
	}
	edit := map[string]any{"draft": d.Entry.ID, "version": d.Version, "subject": "草稿二", "to": to(e, "reviewer")}
	testkit.WantProblem(t, e.Do("POST", base+"/drafts", e.TokenOf("reviewer"), edit), 404, "not_found")
	r = e.Do("POST", base+"/drafts", e.TokenOf("editor"), edit)
	if r.Status != 201 {
		t.Fatalf("edit: %d %s", r.Status, r.Body)
	}
	testkit.WantProblem(t, e.Do("POST", base, e.TokenOf("editor"), edit), 409, "conflict")
	var d2 mail.Letter
	r.Decode(t, &d2)
	edit["version"] = d2.Version
	if r := e.Do("POST", base, e.TokenOf("editor"), edit); r.Status != 201 {
		t.Fatalf("send the draft: %d %s", r.Status, r.Body)
	}
	if got := e.Listed("editor", "/mail/entries?folder=drafts"); len(got) != 0 {
		t.Fatalf("drafts after sending: %v", got)
	}
	if got := e.Listed("reviewer", "/mail/inbox"); len(got) != 1 {
		t.Fatalf("reviewer's inbox: %v", got)
	}
	title, link, _, err := svc.Describe(context.Background(), principal(t, e, "reviewer"), got(e, "reviewer"))
	if err != nil || title != "邮件：草稿二" || !strings.HasPrefix(link, "/office/mail/read/") {
		t.Fatalf("describe: %q %q %v", title, link, err)
	}
}

// Folders: delete to 已删除, restore, delete for good (space freed); a
// custom folder; a move elsewhere than one's folders refused.
func TestFolders(t *testing.T) {
	e, _, _ := newEnv(t, 0)
	_, msg := send(t, e, "editor", map[string]any{"to": to(e, "reviewer"), "subject": "归档", "attachments": []mail.Attachment{file}})
	id := entryOf(e, msg, "reviewer")
	tok := e.TokenOf("reviewer")
	if r := e.Do("DELETE", base+"/entries/"+id, tok, nil); r.Status != 204 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	if r := e.Do("POST", base+"/entries/"+id+"/restore", tok, nil); r.Status != 200 || !strings.Contains(string(r.Body), `"folder":"inbox"`) {
		t.Fatalf("restore: %d %s", r.Status, r.Body)
	}
	var f mail.Folder
	e.Do("POST", base+"/folders", tok, map[string]string{"name": "简报"}).Decode(t, &f)
	testkit.WantProblem(t, e.Do("PATCH", base+"/entries/"+id, tok, map[string]string{"folder": e.UserID("editor") + ".x"}), 400, "invalid")
	if r := e.Do("PATCH", base+"/entries/"+id, tok, map[string]string{"folder": f.ID}); r.Status != 200 {
		t.Fatalf("move: %d %s", r.Status, r.Body)
	}
	var box mail.Box
	e.Do("GET", fmt.Sprintf("%s/folders?consistentWith=%d", base, e.LastSeq), tok, nil).Decode(t, &box)
	if box.Folders[4].Name != "简报" || box.Folders[4].Total != 1 || box.Used == 0 {
		t.Fatalf("folders %+v", box)
	}
	e.Do("DELETE", base+"/entries/"+id, tok, nil)
	e.Do("DELETE", base+"/entries/"+id, tok, nil)
	// A 204 carries no sequence (e.LastSeq stays at the move): read after
	// the store's last write, or the folder counts may predate the delete.
	last, err := e.Store.LastSeq(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e.Do("GET", fmt.Sprintf("%s/folders?consistentWith=%d", base, last), tok, nil).Decode(t, &box)
	if box.Used != 0 || box.Folders[3].Total != 0 {
		t.Fatalf("after deleting for good: %+v", box)
	}
	testkit.WantProblem(t, e.Do("GET", base+"/entries/"+id, tok, nil), 404, "not_found")
}

// Groups: one's own list expands; the office-wide ones need mail.groups;
// another's group cannot be addressed.
func TestGroups(t *testing.T) {
	e, _, _ := newEnv(t, 0)
	r := e.Do("POST", base+"/groups", e.TokenOf("editor"), map[string]any{"name": "信息组", "members": []string{e.UserID("reviewer"), e.UserID("clerk")}})
	var g mail.Group
	r.Decode(t, &g)
	if r.Status != 201 {
		t.Fatalf("group: %d %s", r.Status, r.Body)
	}
	testkit.WantProblem(t, e.Do("POST", base+"/groups", e.TokenOf("editor"), map[string]any{"name": "全体", "office": true,
		"members": []string{e.UserID("reviewer")}}), 403, "forbidden")
	if r := e.Do("POST", base+"/groups", e.TokenOf("officeadmin"), map[string]any{"name": "全体处长", "office": true,
		"members": []string{e.UserID("chuzhang")}}); r.Status != 201 {
		t.Fatalf("office group: %d %s", r.Status, r.Body)
	}
	send(t, e, "editor", map[string]any{"to": []map[string]string{{"groupId": g.ID}}, "subject": "组内通知"})
	if got := e.Listed("clerk", "/mail/inbox"); len(got) != 1 {
		t.Fatalf("clerk's inbox %v", got)
	}
	testkit.WantProblem(t, e.Do("POST", base, e.TokenOf("staff"), map[string]any{"to": []map[string]string{{"groupId": g.ID}}, "subject": "x"}), 400, "invalid")
	var gs []mail.Group
	e.Do("GET", base+"/groups", e.TokenOf("staff"), nil).Decode(t, &gs)
	if len(gs) != 1 || gs[0].Name != "全体处长" {
		t.Fatalf("staff's groups %+v", gs)
	}
}

func principal(t *testing.T, e *officetest.Env, user string) *auth.Principal {
	p, err := e.Identity.PrincipalByUsername(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func got(e *officetest.Env, user string) string { return e.Listed(user, "/mail/inbox")[0] }
