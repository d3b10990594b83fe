package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	"zhengwu/officeapi/meeting"
	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// The demo's writers fill the inboxes through their own calls (the inbox
// is built before them): a 公文 task arrives, a document urged, a meeting
// notice; and a further step tells the next holder, an urge the holder.
func TestWritersNotify(t *testing.T) {
	ctx := context.Background()
	srv, rt := demoServer(t, "Notify-Demo-2026", "--target", "officeapi")
	p := srv.parts
	as := func(username string) *auth.Principal {
		pr, err := p.identity.PrincipalByUsername(ctx, username)
		if err != nil {
			t.Fatal(err)
		}
		return pr
	}
	inbox := func(pr *auth.Principal, kind string) []notify.Notification {
		t.Helper()
		if err := p.notify.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		page, err := p.notify.List(ctx, pr, notify.ListQuery{Kind: kind, Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		return page.Items
	}
	titled := func(ns []notify.Notification, part string) *notify.Notification {
		for i := range ns {
			if strings.Contains(ns[i].Title, part) {
				return &ns[i]
			}
		}
		return nil
	}

	// The demo: chuzhang holds the 春节值班 notice at 审核, urged by staff.
	chuzhang, director, clerk, staff := as("chuzhang"), as("director"), as("clerk"), as("staff")
	task := titled(inbox(chuzhang, notify.KindTask), "春节期间值班工作")
	if task == nil || !strings.HasPrefix(task.Link, "/office/documents/") || task.Read {
		t.Fatalf("chuzhang's task notice: %+v", task)
	}
	if titled(inbox(chuzhang, notify.KindUrge), "春节期间值班工作") == nil {
		t.Fatal("the demo's urge told chuzhang nothing")
	}

	// The 请示 at 签发: the director signs, the clerk's 登记编号 arrives.
	docs, err := p.officialdoc.Tasks(ctx, director, officialdoc.TaskQuery{})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(docs.Items, func(x officialdoc.TaskEntry) bool { return strings.Contains(x.Title, "全省政务公开") })
	if i < 0 {
		t.Fatalf("the director has no 请示 to sign: %+v", docs.Items)
	}
	before := len(inbox(clerk, notify.KindTask))
	if _, err := p.officialdoc.Act(ctx, records.Actor{P: director, IP: "test"}, docs.Items[i].ID, officialdoc.ActionInput{Action: "approve", Opinion: "同意"}); err != nil {
		t.Fatal(err)
	}
	got := inbox(clerk, notify.KindTask)
	if len(got) != before+1 || !strings.Contains(got[0].Title, "全省政务公开") || got[0].Actor != director.UserID {
		t.Fatalf("the clerk's inbox after 签发: %+v", got)
	}

	// staff urges the 春节 notice again: chuzhang is told once more.
	urges := len(inbox(chuzhang, notify.KindUrge))
	if _, err := p.officialdoc.Urge(ctx, records.Actor{P: staff, IP: "test"}, strings.TrimPrefix(task.Link, "/office/documents/"),
		officialdoc.UrgeInput{Message: "请今天办结"}); err != nil {
		t.Fatal(err)
	}
	if n := len(inbox(chuzhang, notify.KindUrge)); n != urges+1 {
		t.Fatalf("urges: %d, want %d", n, urges+1)
	}

	// Every demo meeting's attendees (not its organiser) have its notice.
	checked := 0
	for d, err := range store.ScanAll(ctx, rt.store, meeting.Collection, "") {
		if err != nil {
			t.Fatal(err)
		}
		var m meeting.Meeting
		if err := d.Decode(&m); err != nil {
			t.Fatal(err)
		}
		for _, at := range m.Attendees {
			if at.UserID == m.Organiser || m.State != meeting.StateScheduled {
				continue
			}
			u, err := p.identity.User(ctx, at.UserID)
			if err != nil {
				t.Fatal(err)
			}
			pr, err := p.identity.Principal(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(inbox(&pr, notify.KindMeeting), func(n notify.Notification) bool { return n.Link == meeting.Link(m.ID) }) {
				t.Fatalf("%s was not told of meeting %s", at.Name, m.Title)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("the demo has no meeting attendee to check")
	}
}
