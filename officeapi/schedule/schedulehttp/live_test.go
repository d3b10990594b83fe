package schedulehttp_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/leave"
	"zhengwu/officeapi/leave/leavehttp"
	"zhengwu/officeapi/officetest"
	"zhengwu/officeapi/schedule"
	"zhengwu/shared/testkit"
)

// events opens a desktop event stream and returns its next event, each
// call (comments skipped).
func events(t *testing.T, base, token string) func() (id string, ev desktop.Event) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/api/office/v1/desktop/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("events: %v %v", res, err)
	}
	t.Cleanup(func() { _ = res.Body.Close() })
	read := bufio.NewScanner(res.Body)
	return func() (string, desktop.Event) {
		t.Helper()
		var id, data string
		for read.Scan() {
			switch line := read.Text(); {
			case line == "" && data != "":
				var ev desktop.Event
				if err := json.Unmarshal([]byte(data), &ev); err != nil {
					t.Fatal(err)
				}
				return id, ev
			case strings.HasPrefix(line, "id: "):
				id = line[4:]
			case strings.HasPrefix(line, "data: "):
				data = line[6:]
			}
		}
		t.Fatal("the stream ended")
		return "", desktop.Event{}
	}
}

// A change after publishing reaches the open desktops of the schedule's
// viewers at once, and the desktop read at the event's id holds it to
// read; a desktop without schedule.view is not told.
func TestLiveDesktopToldOfAChange(t *testing.T) {
	e, _ := newEnv(t)
	lv, err := leave.New(e.Deps("leave"))
	if err != nil {
		t.Fatal(err)
	}
	e.Mount(lv, leavehttp.Routes(lv, e.Tokens))
	id := submit(t, e, "chuzhang", entry("content", "会见新加坡贸工部长"))
	publish(t, e, week)
	srv := testkit.Serve(t, e.App)
	viewer, staff := events(t, srv, e.TokenOf("chuzhang")), events(t, srv, e.TokenOf("staff"))
	viewer() // the resync each stream starts with
	staff()

	r := e.Do("PUT", base+"/entries/"+id, e.TokenOf("clerk"), entry("content", "会见新加坡贸工部长", "start", "10:00"))
	if r.Status != 200 {
		t.Fatalf("change: %d %s", r.Status, r.Body)
	}
	at, ev := viewer()
	if !slices.Contains(ev.Sources, schedule.WeekCollection) {
		t.Fatalf("the viewer was told %+v", ev)
	}
	v := deskAt(t, e, "chuzhang", at)
	if !slices.ContainsFunc(v.ToRead, func(en desktop.Entry) bool { return strings.Contains(en.Title, "新加坡") }) {
		t.Fatalf("the desktop at the event lacks the change: %+v", v.ToRead)
	}
	// Staff's stream is told of the next change that concerns them (their
	// own leave request), and of nothing before it.
	r = e.Do("POST", "/api/office/v1/leave/requests", e.TokenOf("staff"),
		map[string]any{"kind": "事假", "start": "2026-05-07", "end": "2026-05-07", "reason": "办事"})
	own := int64(r.JSON()["seq"].(float64))
	if at, ev := staff(); seqOf(t, at) < own || slices.Contains(ev.Sources, schedule.WeekCollection) {
		t.Fatalf("staff's first event is %s %+v, before their own request's at %d: told of the schedule", at, ev, own)
	}
}

func seqOf(t *testing.T, id string) int64 {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		t.Fatalf("event id %q", id)
	}
	return n
}

func deskAt(t *testing.T, e *officetest.Env, user, at string) desktop.View {
	var v desktop.View
	e.Do("GET", "/api/office/v1/desktop?consistentWith="+at, e.TokenOf(user), nil).Decode(t, &v)
	return v
}
