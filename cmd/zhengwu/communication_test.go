package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"zhengwu/officeapi"
	"zhengwu/officeapi/forum"
	"zhengwu/officeapi/mail"
	"zhengwu/officeapi/notify"
)

// The communication capabilities reach the one inbox as the binary wires
// them: a mail tells its recipient and its read receipt the sender; the
// recipient makes a to-do of it in the assistant (and nobody else can);
// a forum mention tells the person mentioned. Through the HTTP routes, so
// that the module table's wiring is what is tested.
func TestCommunicationNotifiesThroughTheInbox(t *testing.T) {
	ctx := context.Background()
	srv, _ := demoServer(t, "Comms-Demo-2026", "--target", "officeapi")
	p := srv.parts

	type person struct{ id, token string }
	as := func(username string) person {
		t.Helper()
		pr, err := p.identity.PrincipalByUsername(ctx, username)
		if err != nil {
			t.Fatal(err)
		}
		return person{pr.UserID, tokenOf(t, srv, username)}
	}
	call := func(who person, method, path string, body any, want int) []byte {
		t.Helper()
		var raw json.RawMessage
		if body != nil {
			raw, _ = json.Marshal(body)
		}
		status, _, out := matrixDo(t, srv, method, officeapi.Base+path, who.token, raw)
		if status != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, status, want, out)
		}
		return out
	}
	notices := func(who person, kind string) []notify.Notification {
		t.Helper()
		if err := p.notify.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		var page struct{ Items []notify.Notification }
		if err := json.Unmarshal(call(who, "GET", "/notifications?kind="+kind, nil, 200), &page); err != nil {
			t.Fatal(err)
		}
		return page.Items
	}
	about := func(ns []notify.Notification, part string) bool {
		return slices.ContainsFunc(ns, func(n notify.Notification) bool { return strings.Contains(n.Title, part) })
	}

	staff, chuzhang := as("staff"), as("chuzhang")
	const subject = "关于报送年度工作总结的提醒"

	// A mail with a receipt asked: its recipient is told.
	var sent mail.Letter
	if err := json.Unmarshal(call(staff, "POST", "/mail", map[string]any{"to": []map[string]string{{"userId": chuzhang.id}},
		"subject": subject, "body": "<p>请于本周五前报送。</p>", "receipt": true}, 201), &sent); err != nil {
		t.Fatal(err)
	}
	if !about(notices(chuzhang, notify.KindMail), subject) {
		t.Fatalf("chuzhang was not told of the mail: %+v", notices(chuzhang, notify.KindMail))
	}
	if about(notices(staff, notify.KindMail), "已读回执") && about(notices(staff, notify.KindMail), subject) {
		t.Fatal("a read receipt before the mail was read")
	}

	// Reading it sends the receipt back to the sender.
	var inbox mail.Page
	if err := json.Unmarshal(call(chuzhang, "GET", fmt.Sprintf("/mail/inbox?consistentWith=%d", sent.Seq), nil, 200), &inbox); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(inbox.Items, func(e mail.Entry) bool { return e.Subject == subject })
	if i < 0 {
		t.Fatalf("the mail is not in chuzhang's inbox: %+v", inbox.Items)
	}
	entry := inbox.Items[i].ID
	call(chuzhang, "GET", "/mail/entries/"+entry, nil, 200)
	if !about(notices(staff, notify.KindMail), "已读回执") {
		t.Fatal("staff got no read receipt")
	}

	// The recipient makes a to-do of the mail; the sender cannot use the
	// recipient's copy (the assistant's "mail" linker is mail.Describe).
	var todo struct{ Title, Link string }
	if err := json.Unmarshal(call(chuzhang, "POST", "/assistant/todos", map[string]any{"source": "mail", "sourceId": entry}, 201), &todo); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(todo.Title, subject) || todo.Link != mail.EntryLink(entry) {
		t.Fatalf("the to-do made of the mail: %+v", todo)
	}
	call(staff, "POST", "/assistant/todos", map[string]any{"source": "mail", "sourceId": entry}, 404)

	// A forum mention on an office-wide board tells the person mentioned.
	var boards forum.BoardList
	if err := json.Unmarshal(call(staff, "GET", "/forum/boards", nil, 200), &boards); err != nil {
		t.Fatal(err)
	}
	b := slices.IndexFunc(boards.Items, func(b forum.Board) bool { return b.Department == "" && !b.Notices })
	if b < 0 {
		t.Fatalf("no office-wide discussion board: %+v", boards.Items)
	}
	const topic = "年度工作总结的写法交流"
	call(staff, "POST", "/forum/boards/"+boards.Items[b].ID+"/threads", map[string]any{"title": topic,
		"body": "<p>@刘志强 请处长指点。</p>", "mentions": []string{chuzhang.id}}, 201)
	if !about(notices(chuzhang, notify.KindMention), topic) {
		t.Fatalf("chuzhang was not told of the mention: %+v", notices(chuzhang, notify.KindMention))
	}
}
