// Package desktop is the personal desktop (个人桌面): one place every
// office capability puts what it has for the signed-in person — tasks to
// do (待办), things to read (待阅) and its own panels (the department's
// newest information, say) — gathered in one request, overdue and urged
// work first.
//
// A capability contributes by implementing Source; the binary's module
// table hands the desktop every office module that does.
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
