package flowadmin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/officeapi/workcal"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// CalendarCollection holds the edited years, one document per year (id
// "2027"): each replaces the shipped data of its year, or adds the year.
const CalendarCollection = "workcal_years"

// yearEdit is a stored edit.
type yearEdit struct {
	Year workcal.Year `json:"year"`
	By   string       `json:"by"`
	At   time.Time    `json:"at"`
}

// Calendar keeps the working calendar's edits and the calendar in force.
type Calendar struct {
	store store.Store
	trail *audit.Trail
	now   func() time.Time
	live  *workcal.Live
	// reload is the interval at which Start re-reads the edits, for the
	// edits other processes save.
	reload time.Duration
	mu     sync.Mutex // one rebuild at a time: a rebuild never undoes a newer one
}

// Origins of a year's data in a CalendarYear.
const (
	OriginShipped = "shipped" // the State Council notice shipped with the system (workcal/data)
	OriginEdited  = "edited"  // saved by an authorised person
	OriginNone    = "none"    // no data: Monday to Friday are working days
)

// CalendarYear is one year of the calendar as the editor shows it.
type CalendarYear struct {
	Year   int    `json:"year"`
	Origin string `json:"origin"` // shipped, edited, none
	// Calendar is the year in force (holidays, make-up working days, the
	// source); for a year without data, no periods.
	Calendar workcal.Year `json:"calendar"`
	// Shipped is the shipped notice of the year when an edit replaces it.
	Shipped  *workcal.Year `json:"shipped,omitempty"`
	EditedBy string        `json:"editedBy,omitempty"`
	EditedAt time.Time     `json:"editedAt,omitzero"`
	// Version is the stored edit's version (0: none): PUT sends it back.
	Version int64 `json:"version"`
}

// YearEdit is the body of an edit: the year's data and the version of the
// edit it replaces (0 when the year has none).
type YearEdit struct {
	workcal.Year
	Version int64 `json:"version" validate:"min=0"`
}

// NewCalendar loads the stored edits over the shipped years.
func NewCalendar(ctx context.Context, d Deps) (*Calendar, error) {
	if d.Store == nil || d.Trail == nil {
		return nil, errors.New("flowadmin: Store and Trail are required")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	c := &Calendar{store: d.Store, trail: d.Trail, now: d.Now, reload: 30 * time.Second}
	cal, err := c.build(ctx)
	if err != nil {
		return nil, err
	}
	c.live = workcal.NewLive(cal)
	return c, nil
}

// Live is the calendar in force, for the workflow engine's Env.
func (c *Calendar) Live() *workcal.Live { return c.live }

// build makes the calendar of the shipped years and the stored edits.
func (c *Calendar) build(ctx context.Context) (*workcal.Calendar, error) {
	edits, err := store.LoadAll[yearEdit](ctx, c.store, CalendarCollection)
	if err != nil {
		return nil, err
	}
	years := make([]workcal.Year, 0, len(edits))
	for _, e := range edits {
		years = append(years, e.Year)
	}
	return workcal.New(workcal.Config{Edits: years})
}

// Reload rebuilds the calendar in force from the store: the shipped years
// and every stored edit, whichever process saved it.
func (c *Calendar) Reload(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	cal, err := c.build(ctx)
	if err != nil {
		return err
	}
	c.live.Set(cal)
	return nil
}

// Start re-reads the edits every so often until ctx ends, so that an edit
// saved by another process applies here too; an edit saved here applies
// at once.
func (c *Calendar) Start(ctx context.Context) error {
	go func() {
		t := time.NewTicker(c.reload)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := c.Reload(ctx); err != nil && ctx.Err() == nil {
					slog.Warn("working calendar: reloading the edits failed", "err", err)
				}
			}
		}
	}()
	return nil
}

// parseYear reads a year from a path.
func parseYear(s string) (int, error) {
	y, err := strconv.Atoi(s)
	if err != nil || strconv.Itoa(y) != s || y < workcal.MinYear || y > workcal.MaxYear {
		return 0, problem.NotFound(fmt.Sprintf("年份须在 %d 至 %d 之间", workcal.MinYear, workcal.MaxYear),
			fmt.Sprintf("the year must be from %d to %d", workcal.MinYear, workcal.MaxYear))
	}
	return y, nil
}

// Year returns one year of the calendar: any member of staff may read it.
func (c *Calendar) Year(ctx context.Context, p *auth.Principal, year string) (CalendarYear, error) {
	if !p.CanAnywhere(auth.PermOfficeRead) {
		return CalendarYear{}, problem.Forbidden()
	}
	y, err := parseYear(year)
	if err != nil {
		return CalendarYear{}, err
	}
	return c.year(ctx, y)
}

func (c *Calendar) year(ctx context.Context, y int) (CalendarYear, error) {
	out := CalendarYear{Year: y, Origin: OriginNone, Calendar: workcal.Year{Year: y, Holidays: []workcal.Holiday{}, Workdays: []workcal.Workday{}}}
	shipped, err := workcal.Embedded()
	if err != nil {
		return out, err
	}
	for _, s := range shipped {
		if s.Year == y {
			out.Origin, out.Calendar = OriginShipped, s
		}
	}
	e, version, err := store.Load[yearEdit](ctx, c.store, CalendarCollection, strconv.Itoa(y))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return out, nil
	case err != nil:
		return out, err
	}
	if out.Origin == OriginShipped {
		s := out.Calendar
		out.Shipped = &s
	}
	out.Origin, out.Calendar, out.EditedBy, out.EditedAt, out.Version = OriginEdited, e.Year, e.By, e.At, version
	return out, nil
}

// PutYear replaces one year's holidays and make-up working days, as a
// holder of flow.manage office-wide: validated by workcal's rules
// (WithYear), stored with its audit entry at the version the editor read,
// and in force at once.
func (c *Calendar) PutYear(ctx context.Context, a records.Actor, year string, in YearEdit) (CalendarYear, error) {
	const action = "calendar.edit"
	target := CalendarCollection + "/" + year
	if err := mayManage(a.P); err != nil {
		return CalendarYear{}, refused(ctx, c.trail, a, action, target, err)
	}
	y, err := parseYear(year)
	if err != nil {
		return CalendarYear{}, err
	}
	if in.Year.Year != y {
		return CalendarYear{}, problem.Invalid(problem.Field("year", "年份与地址不符", "the year differs from the path's"))
	}
	if in.Holidays == nil {
		in.Holidays = []workcal.Holiday{}
	}
	if in.Workdays == nil {
		in.Workdays = []workcal.Workday{}
	}
	// WithYear holds the year to workcal's rules, over the calendar in
	// force: an edit that would not build is refused before it is stored.
	if _, err := c.live.Current().WithYear(in.Year); err != nil {
		return CalendarYear{}, err
	}
	data, err := store.Encode(yearEdit{Year: in.Year, By: a.P.UserID, At: c.now().UTC()})
	if err != nil {
		return CalendarYear{}, err
	}
	_, err = c.trail.Commit(ctx, []store.Write{{Collection: CalendarCollection, ID: strconv.Itoa(y), Data: data, ExpectVersion: in.Version}},
		audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: action, Target: target, Outcome: audit.Success,
			Details: map[string]any{"holidays": len(in.Holidays), "workdays": len(in.Workdays), "source": in.Source.Title}})
	if errors.Is(err, store.ErrConflict) {
		return CalendarYear{}, problem.Conflict("该年度日历已被他人修改，请刷新后重试", "the year was edited by someone else: reload and try again")
	}
	if err != nil {
		return CalendarYear{}, err
	}
	if err := c.Reload(ctx); err != nil {
		return CalendarYear{}, err
	}
	return c.year(ctx, y)
}
