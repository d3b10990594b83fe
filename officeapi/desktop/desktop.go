// Package desktop is the personal desktop (个人桌面): one place every
// office capability puts what it has for the signed-in person — tasks to
// do (待办), things to read (待阅) and its own panels (the department's
// newest information, say) — gathered in one request, overdue and urged
// work first.
//
// A capability contributes by implementing Source; the binary's module
// table hands the desktop every office module that does.
//
// # The live desktop
//
// An open desktop holds one event stream (GET /desktop/events, SSE) and is
// told when something on it changed; it then reads the desktop again
// (GET /desktop?consistentWith=<the event's id>). The Hub decides whom a
// change concerns; no desktop is computed on the server for an event.
//
//   - Ids are the store's change-feed sequences. The Hub follows the feed
//     with the one follower shape of the code base (store.Follower), its
//     checkpoint in memory, starting at the store's last sequence (what
//     came before is on the desktops already). A client resumes with
//     Last-Event-ID: if the Hub is exactly there nothing was missed and
//     nothing is sent; any other id — older, from before a restart, from
//     another process behind the balancer — gets one resync event first.
//     Every process on one store follows the same feed, so --target
//     officeapi on several processes needs nothing shared but the store.
//   - Whom: a Source that keeps what it puts on desktops in the store is a
//     Watcher: for a changed document it names the Audience — users (a
//     公文's holders, a reminder's recipient, a leave request's applicant)
//     and, where rights decide, a predicate (a pending leave request's
//     approvers, an information item's readers). It is asked once per
//     changed document and feed page, reading only that document. The Hub
//     remembers each document's last named users, so a task that leaves
//     someone tells them too (forgotten on restart; bounded).
//   - Cost: per feed page, one store read per changed watched document
//     (none while no stream is open), then one set lookup and the
//     predicates per open stream; the concerned clients read their own
//     desktop. Consistent sources make that read wait until their list
//     indexes have applied the event's sequence, so it shows what arrived.
//   - Streams: a bounded buffer each (DefaultBuffer events; a stream that
//     falls behind is ended and its client resumes); heartbeat comments;
//     the token checked again at each heartbeat and event, and at once
//     when token revocations appear in the feed (Hub.Revoked brings the
//     process's revocation list up first): a logout, a password change or
//     an expired token ends the stream. See desktophttp.
package desktop

import (
	"cmp"
	"context"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"

	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// Entry is one thing on a desktop list.
type Entry struct {
	ID string `json:"id"`
	// Source is the contributing capability ("info", "documents", …).
	Source string `json:"source"`
	// Action is what the person is asked to do, a key the SPA labels
	// ("review", "portal_approve", "draft", "read", …).
	Action string `json:"action"`
	// ActionLabel is the Chinese name of the action (审核, 门户审批, …).
	ActionLabel    string               `json:"actionLabel"`
	Title          string               `json:"title"`
	Link           string               `json:"link"` // the SPA path that opens it
	Department     string               `json:"department,omitempty"`
	Classification classification.Level `json:"classification"`
	At             time.Time            `json:"at"`            // when it arrived or last changed
	Due            *time.Time           `json:"due,omitempty"` // a time limit, if any
	Overdue        bool                 `json:"overdue"`
	Urged          bool                 `json:"urged"`
}

// Panel is a capability's own list on the desktop.
type Panel struct {
	Key   string  `json:"key"`   // stable, e.g. "info.department"
	Title string  `json:"title"` // 本处室信息平台
	Link  string  `json:"link"`  // "更多": the full list in the SPA
	Empty string  `json:"empty"` // what to say when there is nothing
	Items []Entry `json:"items"`
	Total uint64  `json:"total"`
}

// Contribution is what one capability puts on one person's desktop.
type Contribution struct {
	Todo        []Entry
	TodoTotal   uint64
	ToRead      []Entry
	ToReadTotal uint64
	Panels      []Panel
}

// Source is a capability that contributes to desktops.
type Source interface {
	Contribute(ctx context.Context, p *auth.Principal) (Contribution, error)
}

// View is a person's desktop.
type View struct {
	Todo   []Entry `json:"todo"`
	ToRead []Entry `json:"toread"`
	Panels []Panel `json:"panels"`
	Counts Counts  `json:"counts"`
}

// Counts are the totals behind the lists (a list shows at most Limit).
type Counts struct {
	Todo    uint64 `json:"todo"`
	ToRead  uint64 `json:"toread"`
	Overdue uint64 `json:"overdue"`
}

// Limit is how many entries each desktop list shows.
const Limit = 20

// Service gathers desktops from the sources.
type Service struct{ sources func() []Source }

// New makes the desktop of the given sources, whose panels appear in this
// order.
func New(sources ...Source) *Service { return Of(func() []Source { return sources }) }

// Of makes the desktop of the sources that sources names when a desktop
// is asked for: the module table's, built in whatever order its entries
// come.
func Of(sources func() []Source) *Service { return &Service{sources: sources} }

// Desktop asks every source at once and merges what they give: to-do and
// to-read lists with overdue, then urged, then newest first; panels in
// source order.
func (s *Service) Desktop(ctx context.Context, p *auth.Principal) (View, error) {
	return s.DesktopAfter(ctx, p, "")
}

// DesktopAfter is Desktop once every source whose lists follow the change
// feed (Consistent) has applied the sequence consistentWith: what the SPA
// asks for after a live event, whose id it passes back ("" waits for
// nothing).
func (s *Service) DesktopAfter(ctx context.Context, p *auth.Principal, consistentWith string) (View, error) {
	sources := s.sources()
	if consistentWith != "" {
		for _, src := range sources {
			if c, ok := src.(Consistent); ok {
				if err := c.Wait(ctx, consistentWith); err != nil {
					return View{}, err
				}
			}
		}
	}
	parts := make([]Contribution, len(sources))
	g, ctx := errgroup.WithContext(ctx)
	for i, src := range sources {
		g.Go(func() error {
			c, err := src.Contribute(ctx, p)
			parts[i] = c
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return View{}, err
	}
	v := View{Todo: []Entry{}, ToRead: []Entry{}, Panels: []Panel{}}
	for _, c := range parts {
		v.Todo = append(v.Todo, c.Todo...)
		v.ToRead = append(v.ToRead, c.ToRead...)
		v.Panels = append(v.Panels, c.Panels...)
		v.Counts.Todo += c.TodoTotal
		v.Counts.ToRead += c.ToReadTotal
	}
	for _, e := range v.Todo {
		if e.Overdue {
			v.Counts.Overdue++
		}
	}
	slices.SortStableFunc(v.Todo, urgentFirst)
	slices.SortStableFunc(v.ToRead, urgentFirst)
	v.Todo, v.ToRead = v.Todo[:min(len(v.Todo), Limit)], v.ToRead[:min(len(v.ToRead), Limit)]
	return v, nil
}

func urgentFirst(a, b Entry) int {
	if c := cmpBool(a.Overdue, b.Overdue); c != 0 {
		return c
	}
	if c := cmpBool(a.Urged, b.Urged); c != 0 {
		return c
	}
	return b.At.Compare(a.At)
}

// cmpBool puts true first.
func cmpBool(a, b bool) int {
	return cmp.Compare(btoi(b), btoi(a))
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
