package schedule

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"zhengwu/officeapi/records"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Leader is one provincial leader on the schedule. Most leaders are
// records only; UserID links one who has an account (the office's 秘书长),
// so that a meeting's conflict check finds their activities (Busy).
type Leader struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Title  string `json:"title"` // 省长, 常务副省长, 副省长, 秘书长
	UserID string `json:"userId,omitempty"`
	Rank   int    `json:"rank"` // 1 = most senior: the list's order
}

// Leaders is the office's list of leaders, in rank order: one document.
type Leaders struct {
	ID        string    `json:"id"`
	Leaders   []Leader  `json:"leaders"`
	UpdatedAt time.Time `json:"updatedAt"`
	Version   int64     `json:"version"` // the store version, for the next edit
}

// LeaderInput is one leader of a new list (ID "" for a new leader).
type LeaderInput struct {
	ID     string `json:"id" validate:"max=64"`
	Name   string `json:"name" validate:"required,max=20,nocontrol"`
	Title  string `json:"title" validate:"required,max=30,nocontrol"`
	UserID string `json:"userId" validate:"max=64"`
}

// LeadersInput is the whole list, most senior first, at the version the
// office read (0 for the first list).
type LeadersInput struct {
	Leaders []LeaderInput `json:"leaders" validate:"required,min=1,max=100,dive"`
	Version int64         `json:"version" validate:"min=0"`
}

// Leaders returns the list of leaders to whoever works with the schedule:
// its viewers, its submitters, the office.
func (s *Service) Leaders(ctx context.Context, p *auth.Principal) (Leaders, error) {
	if !Viewer(p) && !p.CanAnywhere(auth.PermScheduleSubmit) {
		return Leaders{}, problem.Forbidden()
	}
	return s.leaders(ctx)
}

func (s *Service) leaders(ctx context.Context) (Leaders, error) {
	doc, err := s.d.Store.Get(ctx, LeaderCollection, LeaderDocument)
	if errors.Is(err, store.ErrNotFound) {
		return Leaders{ID: LeaderDocument, Leaders: []Leader{}}, nil
	}
	if err != nil {
		return Leaders{}, err
	}
	var l Leaders
	if err := doc.Decode(&l); err != nil {
		return Leaders{}, err
	}
	l.Version = doc.Version
	return l, nil
}

// SetLeaders replaces the list (the office, schedule.compile office-wide).
// Entries keep the name and rank they were filed with.
func (s *Service) SetLeaders(ctx context.Context, a records.Actor, in LeadersInput) (Leaders, error) {
	const action = "schedule.leaders.set"
	if !a.P.Can(auth.PermScheduleCompile, auth.OfficeWide) {
		return Leaders{}, s.entries.Refused(ctx, a, action, LeaderCollection+"/"+LeaderDocument, problem.Forbidden())
	}
	out := Leaders{ID: LeaderDocument, UpdatedAt: s.entries.Now()}
	seen := map[string]bool{}
	for i, l := range in.Leaders {
		if l.ID == "" {
			l.ID = uuid.NewString()
		}
		if seen[l.ID] {
			return Leaders{}, problem.Invalid(problem.Field(fmt.Sprintf("leaders[%d].id", i), "领导重复", "a leader is listed twice"))
		}
		seen[l.ID] = true
		out.Leaders = append(out.Leaders, Leader{ID: l.ID, Name: strings.TrimSpace(l.Name), Title: strings.TrimSpace(l.Title),
			UserID: l.UserID, Rank: i + 1})
	}
	data, err := store.Encode(out)
	if err != nil {
		return Leaders{}, err
	}
	docs, err := s.d.Trail.Commit(ctx, []store.Write{{Collection: LeaderCollection, ID: LeaderDocument, Data: data, ExpectVersion: in.Version}},
		audit.Event{Actor: a.P.UserID, ActorIP: a.IP, Action: action, Target: LeaderCollection + "/" + LeaderDocument,
			Outcome: audit.Success, Details: map[string]any{"leaders": len(out.Leaders)}})
	if errors.Is(err, store.ErrConflict) {
		return Leaders{}, problem.Conflict("领导名单已被他人修改，请刷新后重试", "the list changed since you read it")
	}
	if err != nil {
		return Leaders{}, err
	}
	out.Version = docs[0].Version
	return out, nil
}

// leader finds a leader of the list by id.
func (l Leaders) leader(id string) (Leader, bool) {
	for _, x := range l.Leaders {
		if x.ID == id {
			return x, true
		}
	}
	return Leader{}, false
}
