package schedule

import (
	"context"
	"errors"
	"fmt"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/store"
)

// demoLeaders are the demo province's leaders in rank order; the 秘书长 is
// the demo's director (王建国), the one with an account.
var demoLeaders = []LeaderInput{
	{ID: "leader-01", Name: "王振华", Title: "省长"},
	{ID: "leader-02", Name: "刘建明", Title: "常务副省长"},
	{ID: "leader-03", Name: "陈志刚", Title: "副省长"},
	{ID: "leader-04", Name: "张丽萍", Title: "副省长"},
	{ID: "leader-05", Name: "赵永胜", Title: "副省长"},
	{ID: "leader-06", Name: "孙海峰", Title: "副省长"},
	{ID: "leader-07", Name: "周文博", Title: "副省长"},
	{ID: "leader-08", Name: "吴卫东", Title: "副省长"},
	{ID: "leader-09", Name: "王建国", Title: "秘书长"},
}

// demoEntry is one demo activity: who submits it, for whom, which day of
// the week (0 = Monday) and how many days.
type demoEntry struct {
	user, dept     string
	leader         string
	day, days      int
	period, start  string
	end, typ, what string
	place, city    string
	attendees      string
}

var thisWeek = []demoEntry{
	{"chuzhang", "", "leader-01", 0, 1, "上午", "09:00", "11:30", "会议", "主持召开省政府常务会议，研究部署冬春农田水利建设和岁末年初安全生产工作", "省政府第一会议室", "合肥", "省政府秘书长、有关副秘书长"},
	{"fgwhead", "", "leader-01", 1, 1, "下午", "15:00", "16:30", "会见", "会见德国巴伐利亚州经济代表团", "稻香楼宾馆贵宾厅", "合肥", "省外办、省发展改革委主要负责同志"},
	{"fgwhead", "", "leader-02", 1, 2, "上午", "08:30", "17:30", "调研", "赴芜湖调研长江经济带高质量发展和先进制造业项目建设", "芜湖市", "芜湖", "省发展改革委、省经济和信息化厅负责同志"},
	{"chuzhang", "", "leader-03", 2, 1, "上午", "09:30", "11:30", "会议", "出席全省安全生产电视电话会议并讲话", "省应急管理厅视频会议室", "合肥", "省应急管理厅主要负责同志"},
	{"chuzhang", "", "leader-04", 3, 2, "上午", "08:00", "18:00", "出差", "赴北京参加全国教育工作会议", "北京市", "北京", "省教育厅主要负责同志"},
	{"hfhead", "", "leader-05", 3, 1, "下午", "14:30", "17:00", "调研", "调研合肥市城市更新和保障性住房建设", "合肥市包河区", "合肥", "省住房城乡建设厅、合肥市政府负责同志"},
	{"fgwhead", "", "leader-06", 0, 1, "晚上", "19:30", "21:00", "外事", "宴请新加坡驻上海总领事一行", "稻香楼宾馆", "合肥", "省外办负责同志"},
	{"chuzhang", "", "leader-07", 2, 1, "下午", "15:00", "17:00", "会议", "主持召开省防汛抗旱指挥部成员单位会议", "省水利厅会议室", "合肥", ""},
	// Recorded by the office for 信息处 (the demo's department for the
	// authorisation matrix's fixtures).
	{"clerk", "xinxi", "leader-09", 4, 1, "上午", "09:00", "11:00", "会议", "出席全省政务信息工作会议", "省政府第五会议室", "合肥", "办公厅信息处负责同志"},
}

var nextWeek = []demoEntry{
	{"chuzhang", "", "leader-01", 0, 1, "上午", "09:00", "12:00", "会议", "主持召开省政府第十二次全体会议", "省政府第一会议室", "合肥", "省政府组成部门主要负责同志"},
	{"fgwhead", "", "leader-02", 1, 1, "上午", "08:30", "17:00", "调研", "赴安庆调研县域经济发展和重点项目推进情况", "安庆市", "安庆", "省发展改革委负责同志"},
	{"fgwhead", "", "leader-08", 2, 1, "下午", "15:00", "16:00", "会见", "会见中国电信集团有限公司董事长一行", "省政府贵宾接待室", "合肥", "省通信管理局负责同志"},
	{"clerk", "jiguandangwei", "leader-09", 3, 1, "上午", "09:00", "10:30", "会议", "出席办公厅机关党委（扩大）会议", "办公厅第三会议室", "合肥", ""},
}

// SeedDemo sets up the demo schedule through the service's own calls, as
// the demo accounts whose work it is: the leaders (综合处's clerk, who
// compiles), this week's activities submitted before the deadline,
// compiled, approved by the director, published and then one changed;
// next week's submitted and waiting for the compile. It returns how many
// entries it wrote and does nothing once the leaders are listed.
func (s *Service) SeedDemo(ctx context.Context, as func(ctx context.Context, username string) (*auth.Principal, error)) (int, error) {
	if _, err := s.d.Store.Get(ctx, LeaderCollection, LeaderDocument); !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	actor := func(user string) (records.Actor, error) {
		p, err := as(ctx, user)
		return records.Actor{P: p, IP: "demo"}, err
	}
	clerk, err := actor("clerk")
	if err != nil {
		return 0, err
	}
	director, err := actor("director")
	if err != nil {
		return 0, err
	}
	leaders := append([]LeaderInput{}, demoLeaders...)
	leaders[len(leaders)-1].UserID = director.P.UserID
	if _, err := s.SetLeaders(ctx, clerk, LeadersInput{Leaders: leaders}); err != nil {
		return 0, err
	}
	now := s.now()
	monday, _ := ParseWeek(WeekOf(now))
	n := 0
	file := func(list []demoEntry, monday, at time.Time) (map[string]string, error) {
		ids := map[string]string{}
		for _, d := range list {
			a, err := actor(d.user)
			if err != nil {
				return nil, err
			}
			in := Input{LeaderID: d.leader, Date: monday.AddDate(0, 0, d.day).Format(DateLayout), Period: d.period,
				Start: d.start, End: d.end, Type: d.typ, Content: d.what, Place: d.place, City: d.city, Department: d.dept,
				Attendees: d.attendees, Contact: a.P.Name, Phone: "0551-6260" + fmt.Sprintf("%04d", 1000+n)}
			if d.days > 1 {
				in.EndDate = monday.AddDate(0, 0, d.day+d.days-1).Format(DateLayout)
			}
			v, err := s.submit(ctx, a, in, at)
			if err != nil {
				return nil, fmt.Errorf("demo schedule %q: %w", d.what, err)
			}
			ids[d.what] = v.Document.ID
			n++
		}
		return ids, nil
	}
	// This week's, filed the day before the deadline.
	ids, err := file(thisWeek, monday, Deadline(monday).Add(-24*time.Hour))
	if err != nil {
		return n, err
	}
	week := WeekOf(now)
	if _, err := s.Compile(ctx, clerk, week); err != nil {
		return n, err
	}
	if _, err := s.Approve(ctx, director, week); err != nil {
		return n, err
	}
	if _, err := s.Publish(ctx, clerk, week); err != nil {
		return n, err
	}
	// The delegation's flight is late: the meeting moves by an hour.
	id := ids[thisWeek[1].what]
	v, _, err := s.entries.Get(ctx, clerk.P, id)
	if err != nil {
		return n, err
	}
	in := inputOf(v)
	in.Start, in.End, in.Place = "16:00", "17:30", "稻香楼宾馆1号楼会见厅"
	if _, err := s.Update(ctx, clerk, id, in); err != nil {
		return n, err
	}
	// Next week's, submitted and waiting.
	next := monday.AddDate(0, 0, 7)
	if _, err := file(nextWeek, next, now); err != nil {
		return n, err
	}
	return n, nil
}

// inputOf is an entry's content as an Input (to change some of it).
func inputOf(e Entry) Input {
	return Input{LeaderID: e.LeaderID, Date: e.Date, EndDate: e.EndDate, Period: e.Period, Start: e.Start, End: e.End,
		Type: e.Type, Content: e.Content, Place: e.Place, City: e.City, Department: e.Department, Attendees: e.Attendees,
		Contact: e.Contact, Phone: e.Phone, Classification: e.Classification}
}
