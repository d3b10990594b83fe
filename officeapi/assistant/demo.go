package assistant

import (
	"context"
	"fmt"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
)

// demoEvent is one demo event: days from today, the China time it starts
// ("" all day) and how long it lasts.
type demoEvent struct {
	user, title, place string
	day                int
	at                 string
	hours              float64
	repeat             string
	remind             int
}

var demoEvents = []demoEvent{
	{"staff", "处务会", "秘书二处会议室", 0, "09:00", 1, RepeatWeekly, 15},
	{"staff", "整理本周来文登记台账", "", 0, "15:00", 1.5, "", 0},
	{"staff", "参加公文写作培训", "办公厅三楼报告厅", 2, "14:30", 2, "", 60},
	{"staff", "体检", "省立医院", 5, "", 0, "", 1440},
	{"chuzhang", "审阅季度工作总结", "", 0, "10:00", 2, "", 15},
	{"chuzhang", "与信息处对接督查事项", "信息处", 1, "15:00", 1, "", 15},
	{"editor", "信息报送截稿", "", 1, "17:00", 0.5, RepeatDaily, 60},
	{"editor", "政务信息编辑例会", "信息处会议室", 3, "09:30", 1, "", 15},
	{"director", "听取各处室重点工作汇报", "主楼第一会议室", 0, "14:30", 2, "", 60},
	{"clerk", "核对领导活动报送情况", "", 0, "16:00", 1, RepeatWeekly, 15},
}

var demoTodos = []struct {
	user, title, priority string
	due                   int // days from today, -99: none
}{
	{"staff", "报送本月考勤统计表", PriorityHigh, 0},
	{"staff", "续订明年报刊", PriorityNormal, 3},
	{"staff", "整理会议纪要归档材料", PriorityLow, -99},
	{"chuzhang", "审核处室年度预算", PriorityHigh, 1},
	{"chuzhang", "安排下周值班", PriorityNormal, -1},
	{"editor", "约稿：基层政务公开经验", PriorityNormal, 2},
	{"director", "审定全省政务工作要点", PriorityHigh, 2},
	{"clerk", "催收各处室领导活动", PriorityHigh, 0},
}

var demoNotes = []struct {
	user, title, body, colour string
	pinned                    bool
}{
	{"staff", "常用电话", "<p>机要室：<strong>6260 1234</strong></p><p>文印室：6260 1288</p>", "yellow", true},
	{"staff", "本周要事", "<ul><li>周三前报考勤</li><li>周五参加培训</li></ul>", "green", false},
	{"chuzhang", "处务会议题", "<ol><li>季度总结</li><li>督查事项分工</li></ol>", "blue", true},
	{"editor", "选题", "<p>政务公开、<em>一网通办</em>典型经验</p>", "pink", false},
}

// SeedDemo writes the demo people's events, to-dos and notes and every
// person's phones and room, through the service's own calls as the
// accounts whose they are (the cards as the system administrator), and
// returns how many it wrote. Times are relative to today, so the demo's
// desktops have something today. It does nothing once any event exists
// (and writes no card once any card does).
func (s *Service) SeedDemo(ctx context.Context, as func(ctx context.Context, username string) (*auth.Principal, error)) (int, error) {
	n, err := s.seedCards(ctx, as)
	if err != nil {
		return n, err
	}
	if empty, err := s.events.Empty(ctx); err != nil || !empty {
		return n, err
	}
	actor := func(user string) (records.Actor, error) {
		p, err := as(ctx, user)
		return records.Actor{P: p, IP: "demo"}, err
	}
	today := dayStart(s.events.Now())
	for _, d := range demoEvents {
		a, err := actor(d.user)
		if err != nil {
			return n, err
		}
		in := EventInput{Title: d.title, Place: d.place, Repeat: d.repeat, Remind: d.remind}
		day := today.AddDate(0, 0, d.day)
		if d.at == "" {
			in.AllDay, in.Start, in.End = true, day, day
		} else {
			at, _ := time.ParseInLocation("15:04", d.at, China)
			in.Start = day.Add(time.Duration(at.Hour())*time.Hour + time.Duration(at.Minute())*time.Minute)
			in.End = in.Start.Add(time.Duration(d.hours * float64(time.Hour)))
		}
		if d.repeat != "" {
			in.RepeatUntil = day.AddDate(0, 3, 0).Format(DateLayout)
		}
		if _, err := s.CreateEvent(ctx, a, in); err != nil {
			return n, fmt.Errorf("demo event %q: %w", d.title, err)
		}
		n++
	}
	for _, d := range demoTodos {
		a, err := actor(d.user)
		if err != nil {
			return n, err
		}
		in := TodoInput{Title: d.title, Priority: d.priority}
		if d.due != -99 {
			due := today.AddDate(0, 0, d.due).Add(17*time.Hour + 30*time.Minute)
			in.Due = &due
		}
		if _, err := s.CreateTodo(ctx, a, in); err != nil {
			return n, fmt.Errorf("demo to-do %q: %w", d.title, err)
		}
		n++
	}
	for _, d := range demoNotes {
		a, err := actor(d.user)
		if err != nil {
			return n, err
		}
		if _, err := s.SaveNote(ctx, a, "", NoteInput{Title: d.title, Body: d.body, Colour: d.colour, Pinned: d.pinned}); err != nil {
			return n, fmt.Errorf("demo note %q: %w", d.title, err)
		}
		n++
	}
	return n, nil
}

// seedCards gives every person in the directory an office phone, a room
// and a mobile, as the system administrator.
func (s *Service) seedCards(ctx context.Context, as func(ctx context.Context, username string) (*auth.Principal, error)) (int, error) {
	if empty, err := s.cards.Empty(ctx); err != nil || !empty {
		return 0, err
	}
	sys, err := as(ctx, "sysadmin")
	if err != nil {
		return 0, err
	}
	dir, err := s.directory(ctx)
	if err != nil {
		return 0, err
	}
	a := records.Actor{P: sys, IP: "demo"}
	for i, c := range dir.people {
		in := CardInput{OfficePhone: fmt.Sprintf("0551-6260%04d", 1100+i*7), Room: fmt.Sprintf("主楼%d%02d室", 2+i%5, 1+i),
			Mobile: fmt.Sprintf("139%08d", 56010000+i*173)}
		if _, err := s.SaveCard(ctx, a, c.ID, in); err != nil {
			return i, fmt.Errorf("demo card of %s: %w", c.Name, err)
		}
	}
	return len(dir.people), nil
}
