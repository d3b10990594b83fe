package duty

import (
	"context"
	"errors"
	"strings"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Handover states.
const (
	HandoverHanded   = "handed"   // handed over, waiting for the incoming shift
	HandoverAccepted = "accepted" // the incoming shift took it over
)

// maxOpenItems bounds one handover (and one acceptance's commit).
const maxOpenItems = 200

// Handover is the handover (交接班) at the end of a duty day; its id is
// the date of the outgoing shift.
type Handover struct {
	ID             string         `json:"id"`
	Date           string         `json:"date"` // the outgoing shift
	NextDate       string         `json:"nextDate"`
	From           string         `json:"from"`
	FromName       string         `json:"fromName"`
	Note           string         `json:"note,omitempty"`
	OpenItems      []HandoverItem `json:"openItems"`
	State          string         `json:"state"`
	AcceptedBy     string         `json:"acceptedBy,omitempty"`
	AcceptedByName string         `json:"acceptedByName,omitempty"`
	AcceptedAt     *time.Time     `json:"acceptedAt,omitempty"`
	AcceptNote     string         `json:"acceptNote,omitempty"`
	CreatedAt      time.Time      `json:"createdAt"`
	UpdatedAt      time.Time      `json:"updatedAt"`
}

// HandoverItem is an open entry as it was handed over.
type HandoverItem struct {
	EntryID     string `json:"entryId"`
	Shift       string `json:"shift"`
	Kind        string `json:"kind"`
	Title       string `json:"title"`
	Important   bool   `json:"important"`
	Instruction string `json:"instruction,omitempty"`
}

// HandoverInput is the outgoing shift's note.
type HandoverInput struct {
	Note string `json:"note" validate:"max=2000" doc:"交班说明"`
}

// HandoverView is a handover as the API answers it (schema DutyHandoverView).
type HandoverView = records.View[Handover]

func handoverAccess(*Handover) auth.Access {
	return auth.Access{Classification: classification.Feimi, Readers: logReaders()}
}

// GetHandover returns the handover at the end of a duty day.
func (s *Service) GetHandover(ctx context.Context, p *auth.Principal, date string) (HandoverView, error) {
	if err := checkDate(date); err != nil {
		return HandoverView{}, err
	}
	return records.ViewOf(s.handovers.Get(ctx, p, date))
}

func checkDate(date string) error {
	if t, err := time.Parse(DateLayout, date); err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return problem.Invalid(problem.Field("date", "日期格式应为 2026-12-06", "date must look like 2026-12-06"))
	}
	return nil
}

// onShift is a problem unless p is the main or deputy of the date's
// shift on the published roster, or 值班室's head.
func (s *Service) onShift(ctx context.Context, p *auth.Principal, date, zh string) error {
	if p.Can(auth.PermDutyManage, auth.OfficeWide) {
		return nil
	}
	day, err := s.dayOf(ctx, date)
	if err != nil {
		return err
	}
	if day == nil || (day.Main.UserID != p.UserID && day.Deputy.UserID != p.UserID) {
		return problem.New(403, problem.CodeForbidden, zh, "only the shift's main or deputy (or 值班室's head) may do this")
	}
	return nil
}

// HandOver is the outgoing shift handing over (duty.log office-wide, on
// that shift): the open items as they stand, with a note.
func (s *Service) HandOver(ctx context.Context, a records.Actor, date string, in HandoverInput) (HandoverView, error) {
	const action = "duty.handover.create"
	if err := checkDate(date); err != nil {
		return HandoverView{}, err
	}
	if err := multiline("note", in.Note); err != nil {
		return HandoverView{}, err
	}
	target := HandoverCollection + "/" + date
	if !a.P.Can(auth.PermDutyLog, auth.OfficeWide) {
		return HandoverView{}, s.handovers.Refused(ctx, a, action, target, problem.Forbidden())
	}
	if date > s.Today() {
		return HandoverView{}, problem.Invalid(problem.Field("date", "尚未到该班次", "that shift has not begun"))
	}
	if err := s.onShift(ctx, a.P, date, "只有当班的主班、副班（或值班室主任）可以交班"); err != nil {
		return HandoverView{}, s.handovers.Refused(ctx, a, action, target, err)
	}
	items, err := s.openItems(ctx)
	if err != nil {
		return HandoverView{}, err
	}
	next, _ := time.Parse(DateLayout, date)
	now := s.handovers.Now()
	h := Handover{ID: date, Date: date, NextDate: next.AddDate(0, 0, 1).Format(DateLayout), From: a.P.UserID, FromName: a.P.Name,
		Note: strings.TrimSpace(in.Note), OpenItems: items, State: HandoverHanded, CreatedAt: now, UpdatedAt: now}
	v, doc, err := s.handovers.Put(ctx, a, action, h, 0, map[string]any{"date": date, "openItems": len(items)})
	if errors.Is(err, store.ErrConflict) {
		return HandoverView{}, s.handovers.Refused(ctx, a, action, target, problem.Conflict("该班次已交班", "that shift was handed over already"))
	}
	return records.ViewOf(v, doc, err)
}

// openItems are the open entries now, oldest first: the list index
// caught up with the store first, so that an entry recorded a moment ago
// is handed over too.
func (s *Service) openItems(ctx context.Context) ([]HandoverItem, error) {
	if err := s.logs.CatchUp(ctx); err != nil {
		return nil, err
	}
	all := &auth.Principal{UserID: "duty-handover", Clearance: classification.Jimi,
		Perms: map[string][]string{auth.PermDutyLog.Key(): {auth.OfficeWide}}}
	items := []HandoverItem{}
	cursor := ""
	for {
		pg, err := s.logs.List(ctx, all, records.Query{Sort: "receivedAt", Size: 100, Cursor: cursor}, index.Term("state", EntryOpen))
		if err != nil {
			return nil, err
		}
		for _, e := range pg.Items {
			items = append(items, HandoverItem{EntryID: e.ID, Shift: e.Shift, Kind: e.Kind, Title: e.Title, Important: e.Important, Instruction: e.Instruction})
		}
		if pg.Next == "" || len(items) >= maxOpenItems {
			return items, nil
		}
		cursor = pg.Next
	}
}

// Accept is the incoming shift taking a handover over (duty.log
// office-wide, on the next day's shift, not the one who handed over): in
// one commit, the handover is accepted and each item still open is
// carried to the new shift.
func (s *Service) Accept(ctx context.Context, a records.Actor, date string, in HandoverInput) (HandoverView, error) {
	const action = "duty.handover.accept"
	if err := checkDate(date); err != nil {
		return HandoverView{}, err
	}
	if err := multiline("note", in.Note); err != nil {
		return HandoverView{}, err
	}
	var out HandoverView
	err := store.Retry(ctx, func(ctx context.Context) error {
		h, hdoc, err := s.handovers.Get(ctx, a.P, date)
		if err != nil {
			return err
		}
		refuse := func(err error) error { return s.handovers.Refused(ctx, a, action, HandoverCollection+"/"+date, err) }
		switch {
		case !a.P.Can(auth.PermDutyLog, auth.OfficeWide):
			return refuse(problem.Forbidden())
		case h.State != HandoverHanded:
			return refuse(problem.InvalidState("已接班", h.State))
		case h.From == a.P.UserID:
			return refuse(problem.New(403, problem.CodeSelfReview, "交班人不能自己接班", "the one who handed over may not accept"))
		}
		if err := s.onShift(ctx, a.P, h.NextDate, "只有下一班的主班、副班（或值班室主任）可以接班"); err != nil {
			return refuse(err)
		}
		now := s.handovers.Now()
		h.State, h.AcceptedBy, h.AcceptedByName, h.AcceptedAt, h.AcceptNote, h.UpdatedAt =
			HandoverAccepted, a.P.UserID, a.P.Name, &now, strings.TrimSpace(in.Note), now
		hw, err := write(HandoverCollection, h.ID, h, hdoc.Version)
		if err != nil {
			return err
		}
		writes := []store.Write{hw}
		var carried []string
		for _, it := range h.OpenItems {
			doc, err := s.store.Get(ctx, LogCollection, it.EntryID)
			if err != nil {
				return err
			}
			var e Entry
			if err := doc.Decode(&e); err != nil {
				return err
			}
			if e.State != EntryOpen {
				continue // done since the handover
			}
			e.CarriedTo, e.Handovers, e.UpdatedAt = h.NextDate, e.Handovers+1, now
			w, err := write(LogCollection, e.ID, e, doc.Version)
			if err != nil {
				return err
			}
			writes, carried = append(writes, w), append(carried, e.ID)
		}
		docs, err := s.commit(ctx, writes, audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: action,
			Target: HandoverCollection + "/" + h.ID, Outcome: audit.Success, Details: map[string]any{"carried": carried}})
		if err != nil {
			return err
		}
		out, err = records.ViewOf(h, docs[0], nil)
		return err
	})
	return out, err
}
