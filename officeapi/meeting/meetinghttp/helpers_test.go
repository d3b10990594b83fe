package meetinghttp_test

import (
	"context"
	"maps"
	"sync"
	"testing"
	"time"

	"zhengwu/officeapi"
	"zhengwu/officeapi/layout"
	"zhengwu/officeapi/meeting"
	"zhengwu/officeapi/meeting/meetinghttp"
	"zhengwu/officeapi/officetest"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/shared/openapi/openapitest"
	"zhengwu/shared/testkit"
)

const base = "/api/office/v1/meetings"

// env is the demo office with meetings mounted; busy holds the leader
// schedule's entries the booking checks (the schedule capability's
// stand-in), minutes the 纪要 started.
type env struct {
	*officetest.Env
	svc  *meeting.Service
	mu   sync.Mutex
	busy []meeting.Conflict
	// busyHook, if set, runs in every attendee check (after it read the
	// list index), unlocked: the race test holds checks there.
	busyHook func()
	minutes  []officialdoc.Input
}

func newEnv(t *testing.T) *env {
	e := &env{Env: officetest.New(t)}
	svc, err := meeting.New(meeting.Deps{Deps: e.Deps("meeting"), People: meeting.PeopleOf(e.Identity),
		DepartmentName: meeting.DepartmentNamesOf(e.Identity),
		Busy: func(_ context.Context, ids []string, from, to time.Time) ([]meeting.Conflict, error) {
			e.mu.Lock()
			hook := e.busyHook
			e.mu.Unlock()
			if hook != nil {
				hook()
			}
			e.mu.Lock()
			defer e.mu.Unlock()
			var out []meeting.Conflict
			for _, b := range e.busy {
				for _, id := range ids {
					if b.UserID == id && b.StartAt.Before(to) && b.EndAt.After(from) {
						out = append(out, b)
					}
				}
			}
			return out, nil
		},
		Minutes: func(_ context.Context, a records.Actor, in officialdoc.Input) (officialdoc.View, error) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.minutes = append(e.minutes, in)
			return officialdoc.View{Document: officialdoc.Document{ID: "doc-minutes-1", DocType: in.DocType}}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	e.Mount(svc, meetinghttp.Routes(svc, e.Tokens, layout.SystemFonts()))
	return e
}

// at is a time on the test clock's day after tomorrow, hour:00 UTC.
func (e *env) at(hour int) string {
	d := e.Clock.Now().UTC().Truncate(24 * time.Hour).Add(48 * time.Hour)
	return d.Add(time.Duration(hour) * time.Hour).Format(time.RFC3339)
}

type who struct {
	user, area string
	prec       int
}

// book posts a booking as huiwu, body fields over the defaults.
func (e *env) book(body map[string]any, people ...who) testkit.Response {
	e.T.Helper()
	in := map[string]any{"title": "测试会议", "startAt": e.at(9), "endAt": e.at(11), "roomId": "conf-60"}
	maps.Copy(in, body)
	if _, ok := in["attendees"]; !ok {
		atts := []map[string]any{}
		for _, p := range people {
			a := map[string]any{"userId": e.UserID(p.user), "seatArea": p.area}
			if p.prec > 0 {
				a["precedence"] = p.prec
			}
			atts = append(atts, a)
		}
		in["attendees"] = atts
	}
	return e.Do("POST", base, e.TokenOf("huiwu"), in)
}

func (e *env) idOf(r testkit.Response) string {
	e.T.Helper()
	if r.Status != 201 {
		e.T.Fatalf("book: %d %s", r.Status, r.Body)
	}
	openapitest.Response(e.T.(*testing.T), officeapi.API(e.Routes), "POST", "/meetings", r.Status, r.Body)
	return r.JSON()["id"].(string)
}

// arrangement decodes a seating answer.
func arrangement(t *testing.T, r testkit.Response) meeting.Arrangement {
	t.Helper()
	if r.Status != 200 {
		t.Fatalf("seating: %d %s", r.Status, r.Body)
	}
	var a meeting.Arrangement
	r.Decode(t, &a)
	return a
}

func ranks(s []meeting.Seated) []int {
	out := make([]int, len(s))
	for i, p := range s {
		out[i] = p.Rank
	}
	return out
}

func names(s []meeting.Seated) []string {
	out := make([]string, len(s))
	for i, p := range s {
		out[i] = p.Name
	}
	return out
}

func seatOf(a meeting.Arrangement, name string) (meeting.Seated, bool) {
	for _, s := range append(append([]meeting.Seated{}, a.Rostrum...), a.Audience...) {
		if s.Name == name {
			return s, true
		}
	}
	return meeting.Seated{}, false
}
