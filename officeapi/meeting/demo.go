package meeting

import (
	"context"
	"fmt"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
)

// SeedDemo books the demo meetings through the service's own calls, as
// the demo accounts whose work it is (会务处's huiwu books and arranges,
// attendees reply, departments name delegates), and returns how many it
// booked. It does nothing once any meeting exists.
//
//   - 全省政务服务工作会议 tomorrow in the auditorium: five leaders on the
//     rostrum, six departments invited, seats arranged, two delegates named;
//   - 信息工作专题会议 the day after in 第一会议室, hosted by 信息处: arranged,
//     one acceptance, one leave, 督查室 invited;
//   - 办公厅周例会 under way in 201: checked in from the list;
//   - 值班工作部署会 last week: held, its 纪要 started (when 公文 runs);
//   - 保密工作培训会 called off.
func (s *Service) SeedDemo(ctx context.Context, as func(ctx context.Context, username string) (*auth.Principal, error)) (int, error) {
	if empty, err := s.meetings.Empty(ctx); err != nil || !empty {
		return 0, err
	}
	// Demo data is seeded before Start: the rooms first, and the list
	// index (which the conflict checks read) caught up before each booking.
	if err := s.seedRooms(ctx); err != nil {
		return 0, err
	}
	users := map[string]*auth.Principal{}
	for _, u := range []string{"huiwu", "director", "fumishu1", "fumishu2", "fumishu3", "chuzhang", "editor", "reviewer",
		"clerk", "staff", "printer"} {
		p, err := as(ctx, u)
		if err != nil {
			return 0, err
		}
		users[u] = p
	}
	act := func(u string) records.Actor { return records.Actor{P: users[u], IP: "demo"} }
	day := s.meetings.Now().In(cst).Truncate(24 * time.Hour) // 08:00 CST: Truncate works in UTC
	at := func(days, hour int) time.Time { return day.Add(time.Duration(days*24+hour-8) * time.Hour) }
	who := func(area string, names ...string) []AttendeeInput {
		var out []AttendeeInput
		for _, n := range names {
			out = append(out, AttendeeInput{UserID: users[n].UserID, SeatArea: seatingArea(area)})
		}
		return out
	}
	book := func(in Input) (string, error) {
		in.AllowAttendeeConflicts = true // the leaders' demo schedule may hold them then
		if err := s.ListIndex.CatchUp(ctx); err != nil {
			return "", err
		}
		v, err := s.Book(ctx, act("huiwu"), in)
		if err != nil {
			return "", fmt.Errorf("demo meeting %s: %w", in.Title, err)
		}
		return v.Document.ID, nil
	}
	n := 0

	big, err := book(Input{Title: "全省政务服务工作会议", Type: "工作会议", StartAt: at(1, 9), EndAt: at(1, 11), RoomID: "auditorium",
		Department: "office", Attendees: append(who("rostrum", "director", "fumishu1", "fumishu2", "fumishu3", "chuzhang"),
			who("audience", "clerk", "printer")...),
		Departments: []InvitationInput{{Department: "mishu1", Seats: 6}, {Department: "mishu2", Seats: 4}, {Department: "zonghe", Seats: 6},
			{Department: "xinxi", Seats: 5}, {Department: "ducha", Seats: 4}, {Department: "zhiban", Seats: 3}},
		Agenda: []AgendaItem{{Title: "通报上半年全省政务服务工作情况", Presenter: "李国华", Minutes: 20},
			{Title: "部署下半年重点工作", Presenter: "王建国", Minutes: 40}}})
	if err != nil {
		return n, err
	}
	n++
	if _, err := s.Arrange(ctx, act("huiwu"), big, ArrangeInput{}); err != nil {
		return n, err
	}
	if _, err := s.NameDelegates(ctx, act("chuzhang"), big, "mishu2", DelegatesInput{UserIDs: []string{users["staff"].UserID}}); err != nil {
		return n, err
	}
	if _, err := s.Reply(ctx, act("director"), big, ReplyInput{Reply: "accept"}); err != nil {
		return n, err
	}

	info, err := book(Input{Title: "信息工作专题会议", Type: "专题会议", StartAt: at(2, 14), EndAt: at(2, 16), RoomID: "conf-60",
		Department: "xinxi", Attendees: append(who("rostrum", "director", "fumishu1"), who("audience", "editor", "reviewer")...),
		Departments: []InvitationInput{{Department: "ducha", Seats: 2}},
		Agenda:      []AgendaItem{{Title: "政务信息报送质量分析", Presenter: "李文静", Minutes: 30}}})
	if err != nil {
		return n, err
	}
	n++
	if _, err := s.Arrange(ctx, act("huiwu"), info, ArrangeInput{}); err != nil {
		return n, err
	}
	if _, err := s.Reply(ctx, act("editor"), info, ReplyInput{Reply: "accept"}); err != nil {
		return n, err
	}
	if _, err := s.Reply(ctx, act("reviewer"), info, ReplyInput{Reply: "decline", Comment: "当天外出参加培训"}); err != nil {
		return n, err
	}

	now := s.meetings.Now()
	weekly, err := book(Input{Title: "办公厅周例会", Type: "办公会议", StartAt: now.Add(-30 * time.Minute).Truncate(time.Minute),
		EndAt: now.Add(90 * time.Minute).Truncate(time.Minute), RoomID: "small-201", Department: "office",
		Attendees: append(who("rostrum", "director", "fumishu2"), who("audience", "chuzhang", "clerk")...)})
	if err != nil {
		return n, err
	}
	n++
	if _, err := s.Arrange(ctx, act("huiwu"), weekly, ArrangeInput{}); err != nil {
		return n, err
	}
	if _, err := s.CheckIn(ctx, act("huiwu"), weekly, CheckInInput{UserIDs: []string{users["director"].UserID, users["clerk"].UserID}}); err != nil {
		return n, err
	}

	held, err := book(Input{Title: "值班工作部署会", Type: "工作会议", StartAt: at(-7, 15), EndAt: at(-7, 16), RoomID: "small-305",
		Department: "office", Attendees: append(who("rostrum", "fumishu3"), who("audience", "clerk", "staff")...)})
	if err != nil {
		return n, err
	}
	n++
	if _, err := s.Arrange(ctx, act("huiwu"), held, ArrangeInput{}); err != nil {
		return n, err
	}
	if _, err := s.Finish(ctx, act("huiwu"), held); err != nil {
		return n, err
	}
	if s.d.Minutes != nil {
		if _, err := s.StartMinutes(ctx, act("huiwu"), held, MinutesInput{Body: "<p>会议研究部署了节假日值班工作。</p>",
			Issuer: "安徽省人民政府办公厅", IssuerCode: "皖政办"}); err != nil {
			return n, err
		}
	}

	off, err := book(Input{Title: "保密工作培训会", Type: "其他", StartAt: at(3, 9), EndAt: at(3, 10), RoomID: "small-201",
		Department: "office", Attendees: who("audience", "editor", "clerk")})
	if err != nil {
		return n, err
	}
	n++
	if _, err := s.Cancel(ctx, act("huiwu"), off); err != nil {
		return n, err
	}
	return n, nil
}
