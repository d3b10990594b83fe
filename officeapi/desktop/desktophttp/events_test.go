package desktophttp_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/desktop/desktophttp"
	"zhengwu/officeapi/leave"
	"zhengwu/officeapi/leave/leavehttp"
	"zhengwu/officeapi/officetest"
	"zhengwu/shared/testkit"
)

const eventsPath = "/api/office/v1/desktop/events"

// stream is an open event stream, read event by event.
type stream struct {
	t    *testing.T
	res  *http.Response
	read *bufio.Scanner
}

type sse struct{ id, event, data string }

func open(t *testing.T, base, token, lastID string) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", base+eventsPath, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = res.Body.Close() })
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	return &stream{t: t, res: res, read: bufio.NewScanner(res.Body)}
}

// next is the next event (comments skipped); ok is false at the end of
// the stream. A read that never comes fails the test by its deadline.
func (s *stream) next() (ev sse, ok bool) {
	s.t.Helper()
	for s.read.Scan() {
		line := s.read.Text()
		switch {
		case line == "":
			if ev.event != "" {
				return ev, true
			}
		case strings.HasPrefix(line, "id: "):
			ev.id = line[4:]
		case strings.HasPrefix(line, "event: "):
			ev.event = line[7:]
		case strings.HasPrefix(line, "data: "):
			ev.data = line[6:]
		}
	}
	return ev, false
}

func seqOf(t *testing.T, ev sse) int64 {
	t.Helper()
	n, err := strconv.ParseInt(ev.id, 10, 64)
	if err != nil {
		t.Fatalf("event id %q", ev.id)
	}
	return n
}

func newEnv(t *testing.T) (*officetest.Env, string) {
	e := officetest.New(t)
	svc, err := leave.New(e.Deps("leave"))
	if err != nil {
		t.Fatal(err)
	}
	e.Mount(svc, leavehttp.Routes(svc, e.Tokens))
	return e, testkit.Serve(t, e.App)
}

// The head of 秘书二处 has the desktop open; the department's staff
// applies for leave: the head's stream tells of it with the change's
// sequence as its id, and the desktop asked for at that id holds the
// request. Another user's stream hears nothing of it.
func TestStreamTellsTheApproverOfANewRequest(t *testing.T) {
	e, base := newEnv(t)
	testkit.WantProblem(t, e.Do("GET", eventsPath, "", nil), 401, "unauthenticated")

	head := open(t, base, e.TokenOf("chuzhang"), "")
	first, ok := head.next()
	if !ok || first.event != "desktop" || !strings.Contains(first.data, `"resync":true`) {
		t.Fatalf("first event: %+v", first)
	}
	other := open(t, base, e.TokenOf("editor"), "")
	if ev, ok := other.next(); !ok || !strings.Contains(ev.data, `"resync":true`) {
		t.Fatalf("editor's first event: %+v", ev)
	}

	r := e.Do("POST", "/api/office/v1/leave/requests", e.TokenOf("staff"),
		map[string]any{"kind": "年休假", "start": "2026-04-07", "end": "2026-04-09", "reason": "回老家探亲"})
	if r.Status != 201 {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}
	id := r.JSON()["id"].(string)
	ev, ok := head.next()
	var got desktop.Event
	if !ok || json.Unmarshal([]byte(ev.data), &got) != nil || !slices.Contains(got.Sources, leave.Collection) || ev.id == first.id {
		t.Fatalf("the head was not told: %+v", ev)
	}
	var desk desktop.View
	e.Do("GET", "/api/office/v1/desktop?consistentWith="+ev.id, e.TokenOf("chuzhang"), nil).Decode(t, &desk)
	if !slices.ContainsFunc(desk.Todo, func(en desktop.Entry) bool { return en.ID == id }) {
		t.Fatalf("the desktop at the event's id lacks the request: %+v", desk.Todo)
	}

	// The editor's stream is told of the next change that concerns them,
	// and nothing before it: a leave request of their own.
	r = e.Do("POST", "/api/office/v1/leave/requests", e.TokenOf("editor"),
		map[string]any{"kind": "事假", "start": "2026-05-07", "end": "2026-05-07", "reason": "办事"})
	if r.Status != 201 {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}
	// (the id is the last sequence of the batch the request was seen in:
	// its audit entry comes after it)
	own := int64(r.JSON()["seq"].(float64))
	if ev, ok := other.next(); !ok || seqOf(t, ev) < own {
		t.Fatalf("the editor's first event is %+v, before their own request's at %d: told of another's", ev, own)
	}
}

// Logging out ends the session's open streams at once, not at the next
// heartbeat.
func TestLogoutEndsTheStream(t *testing.T) {
	e, base := newEnv(t)
	s := e.Login("chuzhang")
	st := open(t, base, s.AccessToken, "")
	if _, ok := st.next(); !ok {
		t.Fatal("no first event")
	}
	done := make(chan bool, 1)
	go func() {
		_, ok := st.next()
		done <- ok
	}()
	if r := e.Do("POST", "/api/office/v1/auth/logout", "", map[string]string{"refreshToken": s.RefreshToken}); r.Status != 204 {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
	select {
	case ok := <-done:
		if ok {
			t.Fatal("an event after logout")
		}
	case <-time.After(desktophttp.Heartbeat / 2):
		t.Fatal("the stream outlived the logout")
	}
}

// A stream whose token has expired ends at its next event instead of
// telling it: the client reconnects with a fresh token (or is signed out).
func TestExpiredTokenEndsTheStream(t *testing.T) {
	e, base := newEnv(t)
	st := open(t, base, e.TokenOf("chuzhang"), "")
	if _, ok := st.next(); !ok {
		t.Fatal("no first event")
	}
	e.Clock.Advance(16 * time.Minute) // past the access token's 15 minutes
	delete(e.TokenCache(), "staff")   // staff signs in again
	r := e.Do("POST", "/api/office/v1/leave/requests", e.TokenOf("staff"),
		map[string]any{"kind": "事假", "start": "2026-05-11", "end": "2026-05-11", "reason": "办事"})
	if r.Status != 201 {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}
	if ev, ok := st.next(); ok {
		t.Fatalf("an expired token's stream told %+v", ev)
	}
}
