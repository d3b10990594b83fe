package notifyhttp_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"zhengwu/officeapi"
	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/notify/notifyhttp"
	"zhengwu/officeapi/officetest"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/testkit"
)

const base = "/api/office/v1/notifications"

// newEnv is the demo office with the inbox mounted. Its recipients are
// the demo accounts, and people "p001"… (非密, enabled) that exist only
// for the fan-out, so that 300 of them cost no 300 password hashes.
func newEnv(t *testing.T) (*officetest.Env, *notify.Service) {
	e := officetest.New(t)
	real := notify.RecipientsOf(e.Identity)
	svc, err := notify.New(notify.Deps{Deps: e.Deps("notify"), Recipients: func(ctx context.Context, ids []string) (map[string]notify.Recipient, error) {
		out, err := real(ctx, ids)
		for _, id := range ids {
			if len(id) == 4 && id[0] == 'p' {
				out[id] = notify.Recipient{Clearance: classification.Feimi}
			}
		}
		return out, err
	}})
	if err != nil {
		t.Fatal(err)
	}
	e.Mount(svc, notifyhttp.Routes(svc, e.Tokens))
	return e, svc
}

func send(t *testing.T, svc *notify.Service, n notify.Notice) {
	t.Helper()
	if n.Kind == "" {
		n.Kind = notify.KindMeeting
	}
	if n.Title == "" {
		n.Title = "会议通知：" + n.Key
	}
	if err := svc.Send(context.Background(), n); err != nil {
		t.Fatal(err)
	}
}

// inbox is the user's notifications as the API lists them, after every
// write so far.
func inbox(t *testing.T, e *officetest.Env, svc *notify.Service, user, query string) notify.Page {
	t.Helper()
	if err := svc.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	var p notify.Page
	r := e.Do("GET", base+query, e.TokenOf(user), nil)
	openapitest.Response(t, officeapi.API(e.Routes), "GET", "/notifications", r.Status, r.Body)
	r.Decode(t, &p)
	return p
}

func unread(t *testing.T, e *officetest.Env, svc *notify.Service, user string) notify.Unread {
	t.Helper()
	if err := svc.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	var u notify.Unread
	e.Do("GET", base+"/unread", e.TokenOf(user), nil).Decode(t, &u)
	return u
}

func TestSendTwiceStoresOnceAndNewestComesFirst(t *testing.T) {
	e, svc := newEnv(t)
	staff := e.UserID("staff")
	send(t, svc, notify.Notice{Recipients: []string{staff}, Key: "meeting:a", Link: "/office/meetings/a"})
	e.Clock.Advance(time.Minute)
	send(t, svc, notify.Notice{Recipients: []string{staff, staff}, Key: "meeting:b"})
	send(t, svc, notify.Notice{Recipients: []string{staff}, Key: "meeting:a", Title: "重发"}) // a retry
	p := inbox(t, e, svc, "staff", "")
	if p.Total != 2 || p.Items[0].Key != "meeting:b" || p.Items[1].Key != "meeting:a" || p.Items[1].Title != "会议通知：meeting:a" {
		t.Fatalf("inbox: %+v", p)
	}
	if u := unread(t, e, svc, "staff"); u.Total != 2 || u.ByKind["meeting"] != 2 {
		t.Fatalf("unread: %+v", u)
	}
}

func TestClearanceAndDisabledAreSkipped(t *testing.T) {
	e, svc := newEnv(t)
	ctx := context.Background()
	send(t, svc, notify.Notice{Recipients: []string{e.UserID("staff"), e.UserID("clerk")}, Key: "doc:secret",
		Classification: classification.Mimi, Kind: notify.KindTask})
	if got := inbox(t, e, svc, "staff", ""); got.Total != 0 { // 陈晓燕 is 非密
		t.Fatalf("staff got a 秘密 notice: %+v", got)
	}
	if got := inbox(t, e, svc, "clerk", ""); got.Total != 1 || got.Items[0].Classification != classification.Mimi {
		t.Fatalf("clerk: %+v", got)
	}
	sys, err := e.Identity.PrincipalByUsername(ctx, "sysadmin")
	if err != nil {
		t.Fatal(err)
	}
	chuzhang := e.UserID("chuzhang")
	disabled := true
	if _, err := e.Identity.UpdateUser(ctx, identity.Actor{Principal: sys}, chuzhang, identity.UserChange{Disabled: &disabled}); err != nil {
		t.Fatal(err)
	}
	send(t, svc, notify.Notice{Recipients: []string{chuzhang, "nobody"}, Key: "x"})
	p := &auth.Principal{UserID: chuzhang, Clearance: classification.Mimi}
	if got, err := svc.List(ctx, p, notify.ListQuery{}); err != nil || got.Total != 0 {
		t.Fatalf("a disabled account got %+v, %v", got, err)
	}
}

func TestPreferencesSwitchKindsButNotTasks(t *testing.T) {
	e, svc := newEnv(t)
	tok := e.TokenOf("staff")
	r := e.Do("PUT", base+"/preferences", tok, map[string]any{"off": []string{"task"}})
	if m := testkit.WantProblem(t, r, 400, ""); !slices.Contains(testkit.ProblemFields(m), "off") {
		t.Fatalf("the problem does not name off: %s", r.Body)
	}
	r = e.Do("PUT", base+"/preferences", tok, map[string]any{"off": []string{"meeting", "mail"}})
	openapitest.Response(t, officeapi.API(e.Routes), "PUT", "/notifications/preferences", r.Status, r.Body)
	var v notify.PrefsView
	e.Do("GET", base+"/preferences", tok, nil).Decode(t, &v)
	on := map[string]bool{}
	for _, k := range v.Kinds {
		on[k.Kind] = k.On
		if k.Mandatory != (k.Kind == "task" || k.Kind == "urge") {
			t.Fatalf("mandatory: %+v", k)
		}
	}
	if on["meeting"] || on["mail"] || !on["task"] || !on["schedule"] || len(v.Kinds) != len(notify.Kinds) {
		t.Fatalf("preferences: %+v", v)
	}
	staff := e.UserID("staff")
	send(t, svc, notify.Notice{Recipients: []string{staff}, Key: "m1"})
	send(t, svc, notify.Notice{Recipients: []string{staff}, Key: "t1", Kind: notify.KindTask})
	if p := inbox(t, e, svc, "staff", ""); p.Total != 1 || p.Items[0].Kind != "task" {
		t.Fatalf("a kind switched off was stored: %+v", p)
	}
	if len(e.Audited("notify.preferences", notify.PrefsCollection+"/"+staff)) != 1 {
		t.Fatal("the preferences change was not audited")
	}
}

func TestReadDeleteAndAnothersNoticeIs404(t *testing.T) {
	e, svc := newEnv(t)
	staff, clerk := e.UserID("staff"), e.UserID("clerk")
	send(t, svc, notify.Notice{Recipients: []string{staff, clerk}, Key: "k1"})
	send(t, svc, notify.Notice{Recipients: []string{staff}, Key: "k2", Kind: notify.KindMail})
	send(t, svc, notify.Notice{Recipients: []string{staff}, Key: "k3", Kind: notify.KindMail})
	mine := inbox(t, e, svc, "staff", "")
	theirs := inbox(t, e, svc, "clerk", "").Items[0].ID
	testkit.Run(t, e.App, []testkit.Scenario{
		{Name: "another's read", Method: "POST", Path: base + "/" + theirs + "/read", Token: e.TokenOf("staff"), Status: 404},
		{Name: "another's delete", Method: "DELETE", Path: base + "/" + theirs, Token: e.TokenOf("staff"), Status: 404},
		{Name: "no such", Method: "POST", Path: base + "/nope/read", Token: e.TokenOf("staff"), Status: 404},
		{Name: "anonymous", Method: "GET", Path: base, Status: 401},
		{Name: "bad kind", Method: "GET", Path: base + "?kind=spam", Token: e.TokenOf("staff"), Status: 400, Field: "kind"},
	}...)
	k1 := mine.Items[slices.IndexFunc(mine.Items, func(n notify.Notification) bool { return n.Key == "k1" })]
	r := e.Do("POST", base+"/"+k1.ID+"/read", e.TokenOf("staff"), nil)
	openapitest.Response(t, officeapi.API(e.Routes), "POST", "/notifications/{id}/read", r.Status, r.Body)
	if v := r.JSON(); v["read"] != true || v["readAt"] == nil {
		t.Fatalf("read: %s", r.Body)
	}
	if p := inbox(t, e, svc, "staff", "?unread=true"); p.Total != 2 {
		t.Fatalf("unread after one read: %+v", p)
	}
	if p := inbox(t, e, svc, "staff", "?kind=mail&unread=true"); p.Total != 2 {
		t.Fatalf("unread mail: %+v", p)
	}
	r = e.Do("POST", base+"/read-all", e.TokenOf("staff"), map[string]any{"kind": "mail"})
	if r.Status != 200 || r.JSON()["marked"] != 2.0 {
		t.Fatalf("read-all: %d %s", r.Status, r.Body)
	}
	if u := unread(t, e, svc, "staff"); u.Total != 0 {
		t.Fatalf("unread after read-all: %+v", u)
	}
	if u := unread(t, e, svc, "clerk"); u.Total != 1 {
		t.Fatalf("staff's read-all touched clerk's: %+v", u)
	}
	if r := e.Do("DELETE", base+"/"+mine.Items[0].ID, e.TokenOf("staff"), nil); r.Status != 200 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	if p := inbox(t, e, svc, "staff", ""); p.Total != 2 {
		t.Fatalf("after delete: %+v", p)
	}
	send(t, svc, notify.Notice{Recipients: []string{staff}, Key: mine.Items[0].Key}) // a retry after the delete
	if p := inbox(t, e, svc, "staff", ""); p.Total != 2 {
		t.Fatalf("a retried Send brought a deleted notice back: %+v", p)
	}
	if r := e.Do("POST", base+"/"+mine.Items[0].ID+"/read", e.TokenOf("staff"), nil); r.Status != 404 {
		t.Fatalf("a deleted notice: %d", r.Status)
	}
}

func TestFanOutTo300(t *testing.T) {
	e, svc := newEnv(t)
	ids := make([]string, 300)
	for i := range ids {
		ids[i] = fmt.Sprintf("p%03d", i)
	}
	send(t, svc, notify.Notice{Recipients: ids, Key: "meeting:all"})
	send(t, svc, notify.Notice{Recipients: append(ids, e.UserID("staff")), Key: "meeting:all"}) // one more joined
	ctx := context.Background()
	if err := svc.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 150, 299} {
		p := &auth.Principal{UserID: ids[i], Clearance: classification.Feimi}
		if got, err := svc.List(ctx, p, notify.ListQuery{}); err != nil || got.Total != 1 {
			t.Fatalf("%s: %+v %v", ids[i], got, err)
		}
	}
	if p := inbox(t, e, svc, "staff", ""); p.Total != 1 {
		t.Fatalf("the late joiner: %+v", p)
	}
	sends := e.Audited("notify.send", notify.Collection+"/meeting")
	if len(sends) != 2 || sends[0].Details["recipients"] != 300.0 || sends[1].Details["recipients"] != 1.0 {
		t.Fatalf("audit of the sends: %+v", sends)
	}
}

func TestRetentionPrunesOldReadNotices(t *testing.T) {
	e, svc := newEnv(t)
	staff := e.UserID("staff")
	for i := range 3 {
		send(t, svc, notify.Notice{Recipients: []string{staff}, Key: "old" + strconv.Itoa(i)})
	}
	p := inbox(t, e, svc, "staff", "")
	e.Do("POST", base+"/"+p.Items[0].ID+"/read", e.TokenOf("staff"), nil)
	e.Do("DELETE", base+"/"+p.Items[1].ID, e.TokenOf("staff"), nil)
	if err := svc.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n, err := svc.Prune(context.Background()); err != nil || n != 0 {
		t.Fatalf("pruned young notices: %d %v", n, err)
	}
	e.Clock.Advance(notify.DefaultRetention + time.Hour)
	if n, err := svc.Prune(context.Background()); err != nil || n != 2 {
		t.Fatalf("pruned %d, want the read and the deleted: %v", n, err)
	}
	if err := svc.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	left, err := svc.List(context.Background(), &auth.Principal{UserID: staff, Clearance: classification.Feimi}, notify.ListQuery{})
	if err != nil || left.Total != 1 || left.Items[0].Read { // the token has expired by now
		t.Fatalf("the unread one must stay: %+v %v", left, err)
	}
}

func TestBadNotices(t *testing.T) {
	_, svc := newEnv(t)
	for _, n := range []notify.Notice{
		{Recipients: []string{"p001"}, Kind: notify.KindMail, Title: "t"},                                 // no key
		{Recipients: []string{"p001"}, Kind: "spam", Title: "t", Key: "k"},                                // no such kind
		{Recipients: []string{"p001"}, Kind: notify.KindMail, Key: "k"},                                   // no title
		{Recipients: []string{"p001"}, Kind: notify.KindMail, Title: "t", Key: "k", Link: "javascript:1"}, // not a path
	} {
		if err := svc.Send(context.Background(), n); err == nil {
			t.Errorf("accepted %+v", n)
		}
	}
}
