package chathttp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	fws "github.com/fasthttp/websocket"
	"github.com/gofiber/fiber/v2"

	"zhengwu/officeapi"
	"zhengwu/officeapi/chat"
	"zhengwu/officeapi/chat/chathttp"
	"zhengwu/officeapi/officetest"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
	"zhengwu/shared/testkit"
)

// env is the office with chats mounted, served on a real port.
type env struct {
	*officetest.Env
	svc  *chat.Service
	hub  *chat.Hub
	base string
}

func newEnv(t *testing.T) *env {
	e := officetest.New(t)
	svc, err := chat.New(chat.Deps{Deps: e.Deps("chat"), People: chat.PeopleOf(e.Identity)})
	if err != nil {
		t.Fatal(err)
	}
	hub := start(t, e, svc)
	e.Mount(svc, chathttp.Routes(svc, hub, e.Tokens))
	return &env{Env: e, svc: svc, hub: hub, base: testkit.Serve(t, e.App)}
}

// start runs a hub following e's store until the test ends.
func start(t *testing.T, e *officetest.Env, svc *chat.Service) *chat.Hub {
	hub := chat.NewHub(svc)
	if err := hub.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.Store.Subscribe(hub.Notify)
	done := make(chan struct{})
	go func() { defer close(done); _ = hub.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return hub
}

// sock is a test client's socket.
type sock struct {
	t    *testing.T
	conn *fws.Conn
}

func dial(t *testing.T, base, token string) *sock {
	t.Helper()
	url := "ws" + strings.TrimPrefix(base, "http") + officeapi.Base + "/chat/ws"
	conn, _, err := fws.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	s := &sock{t: t, conn: conn}
	s.send(map[string]any{"type": "auth", "token": token})
	s.until("ready")
	return s
}

func (s *sock) send(v any) {
	s.t.Helper()
	if err := s.conn.WriteJSON(v); err != nil {
		s.t.Fatal(err)
	}
}

// until reads events until one of type typ (and matching ok, if given).
func (s *sock) until(typ string, ok ...func(chat.Event) bool) chat.Event {
	s.t.Helper()
	_ = s.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		var ev chat.Event
		if err := s.conn.ReadJSON(&ev); err != nil {
			s.t.Fatalf("waiting for %s: %v", typ, err)
		}
		if ev.Type == typ && (len(ok) == 0 || ok[0](ev)) {
			return ev
		}
	}
}

func group(t *testing.T, e *env, owner string, members ...string) string {
	t.Helper()
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = e.UserID(m)
	}
	r := e.do("POST", "/chat/groups", e.TokenOf(owner), map[string]any{"name": "测试群", "members": ids})
	r.want(t, 201)
	var v chat.View
	r.Decode(t, &v)
	return v.Document.ID
}

// A message sent on one socket is acknowledged with its position after
// the commit and reaches the other member's socket; a resent client id is
// stored once; the sender's read position moves and the reader's read
// event reaches the sender.
func TestSendAckDeliverReadAndResend(t *testing.T) {
	e := newEnv(t)
	id := group(t, e, "editor", "reviewer")
	a, b := dial(t, e.base, e.TokenOf("editor")), dial(t, e.base, e.TokenOf("reviewer"))
	a.send(map[string]any{"type": "send", "chatId": id, "clientId": "c1", "text": "<script>alert(1)</script> 你好"})
	ack := a.until("ack")
	if ack.ClientID != "c1" || ack.Message == nil || ack.Message.Position < 2 { // 1 is the "created" line
		t.Fatalf("ack %+v", ack)
	}
	got := b.until("message", func(ev chat.Event) bool { return ev.Message.ClientID == "c1" })
	if got.Message.Text != "<script>alert(1)</script> 你好" || got.Message.Position != ack.Message.Position {
		t.Fatalf("delivered %+v", got.Message)
	}
	a.send(map[string]any{"type": "send", "chatId": id, "clientId": "c1", "text": "again"})
	again := a.until("ack")
	if again.Message.ID != ack.Message.ID || again.Message.Text != ack.Message.Text {
		t.Fatalf("a resend stored a second message: %+v", again.Message)
	}
	h, err := e.svc.Since(context.Background(), mustP(t, e, "editor"), id, 0, 100)
	if err != nil || h.LastPosition != ack.Message.Position {
		t.Fatalf("history %v %+v", err, h)
	}
	b.send(map[string]any{"type": "read", "chatId": id, "position": ack.Message.Position})
	r := a.until("read", func(ev chat.Event) bool { return ev.Read.UserID == e.UserID("reviewer") })
	if r.Read.Position != ack.Message.Position {
		t.Fatalf("read %+v", r.Read)
	}
	b.send(map[string]any{"type": "typing", "chatId": id})
	if ty := a.until("typing"); ty.UserID != e.UserID("reviewer") {
		t.Fatalf("typing %+v", ty)
	}
}

func mustP(t *testing.T, e *env, user string) *auth.Principal {
	p, err := e.Identity.PrincipalByUsername(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A chat one is not in: 404 on its history, its reads, sending to it,
// and on the socket a send or a sync is refused with the same 404 while
// nothing of it is delivered.
func TestNotAMember(t *testing.T) {
	e := newEnv(t)
	id := group(t, e, "editor", "reviewer")
	for _, r := range []struct{ method, path string }{{"GET", "/chat/chats/" + id}, {"GET", "/chat/chats/" + id + "/messages"},
		{"GET", "/chat/chats/" + id + "/reads"}} {
		e.do(r.method, r.path, e.TokenOf("staff"), nil).want(t, 404)
	}
	e.do("POST", "/chat/chats/"+id+"/messages", e.TokenOf("staff"), map[string]any{"clientId": "x", "text": "hi"}).want(t, 404)
	s := dial(t, e.base, e.TokenOf("staff"))
	s.send(map[string]any{"type": "sync", "positions": map[string]int64{id: 0}})
	if ev := s.until("error"); ev.Problem == nil || !strings.Contains(fmt.Sprint(ev.Problem), "404") {
		t.Fatalf("sync of another's chat: %+v", ev)
	}
	s.send(map[string]any{"type": "send", "chatId": id, "clientId": "x", "text": "hi"})
	if ev := s.until("error"); !strings.Contains(fmt.Sprint(ev.Problem), "404") {
		t.Fatalf("send to another's chat: %+v", ev)
	}
	s.send(map[string]any{"type": "ping"})
	s.until("pong") // and no message of the chat came before it
}

// The socket wants its token in the first frame: none, or a bad one, ends it.
func TestSocketAuth(t *testing.T) {
	e := newEnv(t)
	url := "ws" + strings.TrimPrefix(e.base, "http") + officeapi.Base + "/chat/ws"
	conn, _, err := fws.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.WriteJSON(map[string]any{"type": "auth", "token": "nonsense"})
	var ev chat.Event
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if err := conn.ReadJSON(&ev); err != nil || ev.Type != "error" {
		t.Fatalf("bad token: %v %+v", err, ev)
	}
	if err := conn.ReadJSON(&ev); err == nil {
		t.Fatalf("socket still open after a bad token: %+v", ev)
	}
	res, err := http.Get(e.base + officeapi.Base + "/chat/ws")
	if err != nil || res.StatusCode != 400 {
		t.Fatalf("plain GET: %v %v", err, res)
	}
}

// Two "processes": two services with their own hubs on one store, each
// with its own app; a user on each. A message sent through one reaches
// the member connected to the other through the change feed.
func TestTwoProcesses(t *testing.T) {
	e := newEnv(t)
	svc2, err := chat.New(chat.Deps{Deps: e.Deps("chat2"), People: chat.PeopleOf(e.Identity)})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc2.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc2.Close() })
	e.Store.Subscribe(svc2.Notify)
	hub2 := start(t, e.Env, svc2)
	app2 := fiber.New()
	openapi.Mount(app2.Group(officeapi.Base), chathttp.Routes(svc2, hub2, e.Tokens))
	base2 := testkit.Serve(t, app2)

	id := group(t, e, "editor", "reviewer")
	a, b := dial(t, e.base, e.TokenOf("editor")), dial(t, base2, e.TokenOf("reviewer"))
	a.send(map[string]any{"type": "send", "chatId": id, "clientId": "p1", "text": "从一号进程发出"})
	a.until("ack")
	if m := b.until("message", func(ev chat.Event) bool { return ev.Message.ClientID == "p1" }); m.Message.Text != "从一号进程发出" {
		t.Fatalf("%+v", m.Message)
	}
	b.send(map[string]any{"type": "send", "chatId": id, "clientId": "p2", "text": "二号进程回复"})
	b.until("ack")
	a.until("message", func(ev chat.Event) bool { return ev.Message.ClientID == "p2" })
}

// A reconnecting client gets everything after the last position it saw.
func TestResume(t *testing.T) {
	e := newEnv(t)
	id := group(t, e, "editor", "reviewer")
	a := dial(t, e.base, e.TokenOf("editor"))
	var seen int64
	for i := range 5 {
		a.send(map[string]any{"type": "send", "chatId": id, "clientId": fmt.Sprint("r", i), "text": fmt.Sprint("第", i, "条")})
		ack := a.until("ack")
		if i == 1 {
			seen = ack.Message.Position
		}
	}
	b := dial(t, e.base, e.TokenOf("reviewer"))
	b.send(map[string]any{"type": "sync", "positions": map[string]int64{id: seen}})
	var got []string
	for {
		_ = b.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		var ev chat.Event
		if err := b.conn.ReadJSON(&ev); err != nil {
			t.Fatal(err)
		}
		if ev.Type == "synced" {
			break
		}
		if ev.Type == "message" {
			got = append(got, ev.Message.Text)
		}
	}
	if strings.Join(got, ",") != "第2条,第3条,第4条" {
		t.Fatalf("resumed with %q", got)
	}
}

// A group's 密级 limit: a member without the clearance is refused, and a
// message above the limit too; membership changes are audited and told.
func TestClassificationAndMembers(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/chat/groups", e.TokenOf("editor"), map[string]any{"name": "涉密群", "classification": "秘密",
		"members": []string{e.UserID("staff")}})
	testkit.WantProblem(t, r.Response, 400, "invalid")
	if !strings.Contains(string(r.Body), "members") {
		t.Fatalf("%s", r.Body)
	}
	id := group(t, e, "editor", "reviewer")
	r = e.do("POST", "/chat/chats/"+id+"/messages", e.TokenOf("editor"), map[string]any{"clientId": "s", "text": "x", "classification": "秘密"})
	testkit.WantProblem(t, r.Response, 400, "invalid")
	if !strings.Contains(string(r.Body), "classification") {
		t.Fatalf("%s", r.Body)
	}
	e.do("POST", "/chat/chats/"+id+"/members", e.TokenOf("reviewer"), map[string]any{"add": []string{e.UserID("staff")}}).want(t, 403)
	e.do("POST", "/chat/chats/"+id+"/members", e.TokenOf("editor"), map[string]any{"add": []string{e.UserID("staff")}}).want(t, 200)
	if len(e.Audited("chat.group.members", chat.Collection+"/"+id)) == 0 {
		t.Fatal("membership change not audited")
	}
	h, err := e.svc.Since(context.Background(), mustP(t, e, "staff"), id, 0, 50)
	if err != nil || !strings.Contains(h.Items[len(h.Items)-1].Text, "加入群聊") {
		t.Fatalf("%v %+v", err, h)
	}
	e.do("POST", "/chat/chats/"+id+"/members", e.TokenOf("staff"), map[string]any{"remove": []string{e.UserID("staff")}}).want(t, 200)
	e.do("GET", "/chat/chats/"+id+"/messages", e.TokenOf("staff"), nil).want(t, 404)
}

// History over REST: after=0 reads from the first message (not the
// latest page, which no after gives), a negative after is refused.
func TestHistoryAfterZero(t *testing.T) {
	e := newEnv(t)
	id := group(t, e, "editor", "reviewer") // position 1: the "created" line
	for i := range 3 {
		e.do("POST", "/chat/chats/"+id+"/messages", e.TokenOf("editor"),
			map[string]any{"clientId": fmt.Sprint("h", i), "text": fmt.Sprint("第", i, "条")}).want(t, 201)
	}
	positions := func(query string) (out []int64, more bool) {
		r := e.do("GET", "/chat/chats/"+id+"/messages?"+query, e.TokenOf("reviewer"), nil)
		r.want(t, 200)
		var h chat.History
		r.Decode(t, &h)
		for _, m := range h.Items {
			out = append(out, m.Position)
		}
		return out, h.More
	}
	if got, more := positions("after=0&size=2"); fmt.Sprint(got) != "[1 2]" || !more {
		t.Fatalf("after=0: %v more=%v", got, more)
	}
	if got, more := positions("size=2"); fmt.Sprint(got) != "[3 4]" || !more {
		t.Fatalf("latest page: %v more=%v", got, more)
	}
	if got, more := positions("after=2&size=5"); fmt.Sprint(got) != "[3 4]" || more {
		t.Fatalf("after=2: %v more=%v", got, more)
	}
	r := e.do("GET", "/chat/chats/"+id+"/messages?after=-1", e.TokenOf("reviewer"), nil)
	testkit.WantProblem(t, r.Response, 400, "invalid")
}

type resp struct{ testkit.Response }

func (r resp) want(t *testing.T, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
}

func (e *env) do(method, path, token string, body any) resp {
	return resp{e.Env.Do(method, officeapi.Base+path, token, body)}
}

var _ = json.Marshal
