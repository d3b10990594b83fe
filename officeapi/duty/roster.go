package duty

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Roster returns a month's roster if p may read it (a draft only 值班室
// may); otherwise 404.
func (s *Service) Roster(ctx context.Context, p *auth.Principal, q MonthQuery) (RosterView, error) {
	if err := checkMonth(q.Month); err != nil {
		return RosterView{}, err
	}
	return records.ViewOf(s.rosters.Get(ctx, p, q.Month))
}

// SaveRoster drafts a month's roster (duty.manage office-wide): a new
// month at version 0, a draft at the version read. A published roster
// changes only through approved swaps.
func (s *Service) SaveRoster(ctx context.Context, a records.Actor, q MonthQuery, in RosterInput) (RosterView, error) {
	const action = "duty.roster.save"
	if err := checkMonth(q.Month); err != nil {
		return RosterView{}, err
	}
	if !a.P.Can(auth.PermDutyManage, auth.OfficeWide) {
		return RosterView{}, s.rosters.Refused(ctx, a, action, RosterCollection+"/"+q.Month, problem.Forbidden())
	}
	days, err := s.checkDays(ctx, q.Month, in.Days)
	if err != nil {
		return RosterView{}, err
	}
	now := s.rosters.Now()
	r := Roster{ID: q.Month, Month: q.Month, State: RosterDraft, Days: days, Note: strings.TrimSpace(in.Note),
		DraftedBy: a.P.UserID, DraftedByName: a.P.Name, CreatedAt: now, UpdatedAt: now}
	if in.Version > 0 {
		old, _, err := s.rosters.Get(ctx, a.P, q.Month)
		if err != nil {
			return RosterView{}, err
		}
		if old.State != RosterDraft {
			return RosterView{}, s.rosters.Refused(ctx, a, action, RosterCollection+"/"+q.Month,
				problem.New(409, problem.CodeInvalidState, "已发布的值班表只能通过调班变更", "a published roster changes only by swaps"))
		}
		r.CreatedAt = old.CreatedAt
	}
	v, doc, err := s.rosters.Put(ctx, a, action, r, in.Version, map[string]any{"month": q.Month, "days": len(days)})
	if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
		return RosterView{}, problem.Conflict("值班表已被他人修改，请刷新后重试", "the roster changed meanwhile; reload and retry").With("field", "version")
	}
	return records.ViewOf(v, doc, err)
}

// PublishRoster publishes a draft (duty.manage office-wide): every day of
// the month must be covered. From then on everyone sees it, and each
// person their own duties on the desktop.
func (s *Service) PublishRoster(ctx context.Context, a records.Actor, q MonthQuery) (RosterView, error) {
	const action = "duty.roster.publish"
	if err := checkMonth(q.Month); err != nil {
		return RosterView{}, err
	}
	if !a.P.Can(auth.PermDutyManage, auth.OfficeWide) {
		return RosterView{}, s.rosters.Refused(ctx, a, action, RosterCollection+"/"+q.Month, problem.Forbidden())
	}
	return records.ViewOf(s.rosters.Step(ctx, a, action, q.Month, func(r *Roster) (map[string]any, error) {
		if r.State != RosterDraft {
			return nil, problem.InvalidState("已发布", r.State)
		}
		if missing := missingDays(r); len(missing) > 0 {
			return nil, problem.Invalid(problem.Field("days", "以下日期尚未安排值班："+strings.Join(missing, "、"),
				"days without duty: "+strings.Join(missing, ", ")))
		}
		now := s.rosters.Now()
		r.State, r.PublishedBy, r.PublishedByName, r.PublishedAt, r.UpdatedAt = RosterPublished, a.P.UserID, a.P.Name, &now, now
		return map[string]any{"month": r.Month}, nil
	}))
}

// checkMonth: a month the office could plan (2000–2100).
func checkMonth(m string) error {
	t, err := time.Parse(MonthLayout, m)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return problem.Invalid(problem.Field("month", "月份格式应为 2026-12", "month must look like 2026-12"))
	}
	return nil
}

// missingDays are the dates of r's month without duty.
func missingDays(r *Roster) []string {
	first, _ := time.Parse(MonthLayout, r.Month)
	var out []string
	for d := first; d.Month() == first.Month(); d = d.AddDate(0, 0, 1) {
		if r.day(d.Format(DateLayout)) == nil {
			out = append(out, d.Format("1月2日"))
		}
	}
	return out
}

// checkDays validates a draft's days and resolves their people: each date
// in the month and once; on a day three different people; the 带班领导
// holding duty.lead, the 主班 duty.log (both office-wide), the 副班 any
// member of staff of the office. Every invalid field is named.
func (s *Service) checkDays(ctx context.Context, month string, in []DayInput) ([]Day, error) {
	var fields []problem.FieldError
	bad := func(field, zh, en string) { fields = append(fields, problem.Field(field, zh, en)) }
	seen := map[string]bool{}
	people := map[string]*auth.Principal{}
	office, err := s.officeDepartments(ctx)
	if err != nil {
		return nil, err
	}
	days := make([]Day, 0, len(in))
	for i, d := range in {
		at := fmt.Sprintf("days[%d].", i)
		if !strings.HasPrefix(d.Date, month+"-") {
			bad(at+"date", "日期不在 "+month+" 月内", "date is not in "+month)
			continue
		}
		if seen[d.Date] {
			bad(at+"date", d.Date+" 重复安排", d.Date+" appears twice")
			continue
		}
		seen[d.Date] = true
		day := Day{Date: d.Date}
		ids := map[string]string{PosLeader: d.Leader, PosMain: d.Main, PosDeputy: d.Deputy}
		positions := []string{PosLeader, PosMain, PosDeputy}
		for j, pos := range positions {
			for _, other := range positions[:j] {
				if ids[other] == ids[pos] {
					bad(at+pos, "同一班次不得重复安排同一人（已任"+positionNames[other]+"）", "one person twice on a shift")
				}
			}
			p, err := s.cachedPerson(ctx, people, ids[pos])
			if err != nil {
				return nil, err
			}
			if err := eligible(p, pos, at+pos, office); err != nil {
				fields = append(fields, problem.As(err).Fields...)
				continue
			}
			*day.at(pos) = Person{UserID: p.UserID, Name: p.Name}
		}
		days = append(days, day)
	}
	if len(fields) > 0 {
		return nil, problem.Invalid(fields...)
	}
	slices.SortFunc(days, func(a, b Day) int { return strings.Compare(a.Date, b.Date) })
	return days, nil
}

// cachedPerson is s.person once per id within one validation; a person
// who does not exist is nil.
func (s *Service) cachedPerson(ctx context.Context, cache map[string]*auth.Principal, id string) (*auth.Principal, error) {
	if p, ok := cache[id]; ok {
		return p, nil
	}
	p, err := s.person(ctx, id)
	if pe := problem.As(err); pe != nil && pe.Status == 404 {
		p, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	cache[id] = p
	return p, nil
}

// eligible is a problem naming field unless p may take the position: the
// 副班 must be a member of one of the office's departments.
func eligible(p *auth.Principal, pos, field string, office map[string]bool) error {
	if p == nil {
		return problem.Invalid(problem.Field(field, "查无此人", "no such user"))
	}
	switch pos {
	case PosLeader:
		return mustHold(p, auth.PermDutyLead, field, p.Name+" 不是带班领导（须有领导角色）", "the duty leader must hold duty.lead")
	case PosMain:
		return mustHold(p, auth.PermDutyLog, field, p.Name+" 不是值班员，不能任主班", "the main duty officer must hold duty.log")
	default:
		if !p.CanAnywhere(auth.PermOfficeRead) || !slices.ContainsFunc(p.Departments, func(d string) bool { return office[d] }) {
			return problem.Invalid(problem.Field(field, p.Name+" 不是本厅工作人员", "the deputy must be a member of staff"))
		}
	}
	return nil
}

// dayOf is the published roster's day of a date (nil: none published),
// read for the service's own decisions (whom to escalate to, who hands
// over), not for a reader.
func (s *Service) dayOf(ctx context.Context, date string) (*Day, error) {
	doc, err := s.store.Get(ctx, RosterCollection, month(date))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var r Roster
	if err := doc.Decode(&r); err != nil {
		return nil, err
	}
	if r.State != RosterPublished {
		return nil, nil
	}
	return r.day(date), nil
}
