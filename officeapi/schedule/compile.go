package schedule

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// CodeConflict is the problem code of an approval refused while leaders'
// activities overlap.
const CodeConflict = "schedule_conflict"

// WeekView is a week's record as the steps answer it.
type WeekView struct {
	Week
	Entries int `json:"entries"` // live entries in the week
	Pending int `json:"pending"` // submitted since the last compile
}

func (tx *weekTx) view() WeekView {
	v := WeekView{Week: tx.week}
	for _, e := range tx.entries {
		if e.live() {
			v.Entries++
		}
		if e.State == StateSubmitted {
			v.Pending++
		}
	}
	return v
}

// Compile takes the week's submitted activities into the schedule and
// flags the overlaps of each leader (the office, schedule.compile
// office-wide). It may be done again until the week is published; an
// approval given before is then void.
func (s *Service) Compile(ctx context.Context, a records.Actor, week string) (WeekView, error) {
	if _, err := ParseWeek(week); err != nil {
		return WeekView{}, err
	}
	tx, _, err := s.inWeek(ctx, a, "schedule.week.compile", week, func(tx *weekTx) (string, map[string]any, error) {
		if !a.P.Can(auth.PermScheduleCompile, auth.OfficeWide) {
			return "", nil, problem.Forbidden()
		}
		if tx.week.State == WeekPublished {
			return "", nil, problem.InvalidState(WeekStateNames[tx.week.State], tx.week.State)
		}
		n := 0
		for _, e := range tx.entries {
			if e.State == StateSubmitted {
				e.State = StateScheduled
				tx.mark(e)
				n++
			}
		}
		tx.conflicts()
		tx.week.State, tx.week.Approved = WeekCompiled, nil
		tx.week.Compiled = &Act{By: a.P.UserID, ByName: a.P.Name, At: s.now()}
		tx.mark(nil)
		return "", map[string]any{"taken": n, "conflicts": len(tx.week.Conflicts)}, nil
	})
	if err != nil {
		return WeekView{}, err
	}
	return tx.view(), nil
}

// Approve is a leader of the office approving the compiled week
// (schedule.approve office-wide): not the one who compiled it, not while
// activities overlap or new submissions wait.
func (s *Service) Approve(ctx context.Context, a records.Actor, week string) (WeekView, error) {
	if _, err := ParseWeek(week); err != nil {
		return WeekView{}, err
	}
	tx, _, err := s.inWeek(ctx, a, "schedule.week.approve", week, func(tx *weekTx) (string, map[string]any, error) {
		if !a.P.Can(auth.PermScheduleApprove, auth.OfficeWide) {
			return "", nil, problem.Forbidden()
		}
		if tx.week.State != WeekCompiled {
			return "", nil, problem.InvalidState(WeekStateNames[tx.week.State], tx.week.State)
		}
		if tx.week.Compiled != nil && tx.week.Compiled.By == a.P.UserID {
			return "", nil, problem.New(403, problem.CodeSelfReview, "不能审定本人编排的领导活动安排", "you may not approve a week you compiled")
		}
		if err := ready(tx); err != nil {
			return "", nil, err
		}
		tx.week.State = WeekApproved
		tx.week.Approved = &Act{By: a.P.UserID, ByName: a.P.Name, At: s.now()}
		tx.mark(nil)
		return "", nil, nil
	})
	if err != nil {
		return WeekView{}, err
	}
	return tx.view(), nil
}

// Publish makes the approved week visible to the holders of
// schedule.view (the office).
func (s *Service) Publish(ctx context.Context, a records.Actor, week string) (WeekView, error) {
	if _, err := ParseWeek(week); err != nil {
		return WeekView{}, err
	}
	tx, _, err := s.inWeek(ctx, a, "schedule.week.publish", week, func(tx *weekTx) (string, map[string]any, error) {
		if !a.P.Can(auth.PermScheduleCompile, auth.OfficeWide) {
			return "", nil, problem.Forbidden()
		}
		if tx.week.State != WeekApproved {
			return "", nil, problem.InvalidState(WeekStateNames[tx.week.State], tx.week.State)
		}
		if err := ready(tx); err != nil {
			return "", nil, err
		}
		tx.week.State = WeekPublished
		tx.week.Published = &Act{By: a.P.UserID, ByName: a.P.Name, At: s.now()}
		tx.mark(nil)
		return "", nil, nil
	})
	if err != nil {
		return WeekView{}, err
	}
	s.tellPublished(ctx, a, tx)
	return tx.view(), nil
}

// ready refuses a week with overlaps or with submissions the compile has
// not taken.
func ready(tx *weekTx) error {
	if n := len(tx.week.Conflicts); n > 0 {
		return problem.New(409, CodeConflict, fmt.Sprintf("有%d处领导活动时间冲突，请调整后重新编排", n),
			fmt.Sprintf("%d overlaps to resolve first", n)).With("conflicts", n)
	}
	if v := tx.view(); v.Pending > 0 {
		return problem.New(409, CodeConflict, fmt.Sprintf("有%d项新报送的活动尚未编排，请重新编排", v.Pending),
			fmt.Sprintf("%d new submissions to compile first", v.Pending)).With("pending", v.Pending)
	}
	return nil
}

// conflicts recomputes the overlaps among the week's compiled activities
// (scheduled and changed), per leader: sorted by start, each entry is
// compared with the following ones that start before it ends.
func (tx *weekTx) conflicts() {
	byLeader := map[string][]*Entry{}
	before := map[string][]string{}
	for _, e := range tx.entries {
		before[e.ID], e.Conflicts = e.Conflicts, nil
		if e.State == StateScheduled || e.State == StateChanged {
			byLeader[e.LeaderID] = append(byLeader[e.LeaderID], e)
		}
	}
	tx.week.Conflicts = []Conflict{}
	for _, list := range byLeader {
		slices.SortFunc(list, func(x, y *Entry) int {
			sx, _ := x.span()
			sy, _ := y.span()
			return cmp.Or(sx.Compare(sy), cmp.Compare(x.ID, y.ID))
		})
		for i, x := range list {
			_, endX := x.span()
			for _, y := range list[i+1:] {
				startY, _ := y.span()
				if !startY.Before(endX) {
					break
				}
				x.Conflicts, y.Conflicts = append(x.Conflicts, y.ID), append(y.Conflicts, x.ID)
				tx.week.Conflicts = append(tx.week.Conflicts, Conflict{LeaderID: x.LeaderID, LeaderName: x.LeaderName, A: x.ID, B: y.ID,
					Summary: fmt.Sprintf("%s：%s %s-%s %s 与 %s %s-%s %s 时间重叠", x.LeaderName, x.Date, x.Start, x.End, x.Content,
						y.Date, y.Start, y.End, y.Content)})
			}
		}
	}
	slices.SortFunc(tx.week.Conflicts, func(x, y Conflict) int { return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B)) })
	for _, e := range tx.entries { // written only where the flags changed
		slices.Sort(e.Conflicts)
		if !slices.Equal(before[e.ID], e.Conflicts) {
			tx.mark(e)
		}
	}
	tx.mark(nil)
}
