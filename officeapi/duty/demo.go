package duty

import (
	"context"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
)

// The demo office's duty people: leaders lead by turns, 值班室's three
// take the 主班, the other 处室's staff the 副班.
var (
	demoLeaders  = []string{"director", "fumishuzhang"}
	demoMains    = []string{"zhibanzhuren", "zhiban1", "zhiban2"}
	demoDeputies = []string{"editor", "reviewer", "clerk", "staff", "chuzhang", "printer", "officeadmin"}
)

// demoEntry is a log entry of the demo: hoursAgo before now, and what
// happened to it after.
type demoEntry struct {
	hoursAgo    float64
	in          EntryInput
	instruction string // by the director
	progress    string
	close       bool
}

var demoEntries = []demoEntry{
	{hoursAgo: 22, in: EntryInput{Kind: "来电", CallerUnit: "合肥市人民政府办公室总值班室", CallerName: "张伟", CallerPhone: "0551-63538888",
		Title: "庐阳区在建工地基坑局部坍塌", Content: "今日14时许，庐阳区一在建工地发生基坑局部坍塌，1人受轻伤已送医救治，无人员被困，现场已封控，市住建局、应急局已赶赴现场。",
		Action: "已报带班领导；请合肥市政府总值班室续报处置进展。", Important: true},
		instruction: "请合肥市全力做好伤员救治和现场处置，排查周边建筑安全，查明原因，及时续报。", progress: "已电话转告合肥市政府总值班室落实领导批示。"},
	{hoursAgo: 20, in: EntryInput{Kind: "来电", CallerUnit: "省应急管理厅值班室", CallerName: "李强", CallerPhone: "0551-62999110",
		Title: "暴雪橙色预警", Content: "省气象台发布暴雪橙色预警，预计今夜至明天皖北地区有大到暴雪，局部积雪深度10厘米以上，请做好交通、电力、设施农业等防范应对。",
		Action: "已通知综合处起草防范通知。", Department: "zonghe", Important: true}},
	{hoursAgo: 18, in: EntryInput{Kind: "来文", CallerUnit: "国务院办公厅", Title: "关于做好岁末年初安全防范工作的明传电报",
		Content: "国务院办公厅明传电报，要求各地区各部门做好岁末年初安全生产和社会稳定工作，严格落实领导干部带班和值班人员24小时值班制度。",
		Action:  "已登记，转秘书一处拟办。", Department: "mishu1"}},
	{hoursAgo: 5, in: EntryInput{Kind: "信息报送", CallerUnit: "省发展和改革委员会", CallerName: "钱晓梅", CallerPhone: "13905510123",
		Title: "今冬明春能源保供情况", Content: "报送今冬明春煤电油气保供情况：全省电煤库存可用天数22天，天然气日供应能力满足高峰需求。",
		Action: "已转信息处编报。", Department: "xinxi"}},
	{hoursAgo: 3, in: EntryInput{Kind: "来电", CallerUnit: "12345政务服务便民热线", CallerName: "王芳", CallerPhone: "12345",
		Title: "群众反映小区供暖不热", Content: "群众来电反映蜀山区某小区供暖温度不达标，已多次向物业反映未解决。"},
		progress: "已按程序转12345热线交办合肥市处理，并告知来电人。", close: true},
	{hoursAgo: 1, in: EntryInput{Kind: "请示报告", CallerUnit: "省公安厅指挥中心", CallerName: "赵刚", CallerPhone: "0551-62801110",
		Title: "元旦期间重点场所安保方案", Content: "省公安厅报告元旦期间重点场所、重点部位安保工作方案，拟于12月30日起启动一级勤务。"}},
}

// SeedDemo writes the demo's duty through the service's own calls, as
// the demo accounts whose work it is: this month's and next month's
// rosters, published; log entries with a 批示 and progress; a handover of
// the previous shift waiting for acceptance; a swap waiting for 值班室.
// It does nothing once a roster exists.
func (s *Service) SeedDemo(ctx context.Context, as func(ctx context.Context, username string) (*auth.Principal, error)) (int, error) {
	if empty, err := s.rosters.Empty(ctx); err != nil || !empty {
		return 0, err
	}
	actor := func(username string) (records.Actor, error) {
		p, err := as(ctx, username)
		return records.Actor{P: p, IP: "demo"}, err
	}
	ids := map[string]string{}
	for _, group := range [][]string{demoLeaders, demoMains, demoDeputies} {
		for _, u := range group {
			p, err := as(ctx, u)
			if err != nil {
				return 0, err
			}
			ids[u] = p.UserID
		}
	}
	head, err := actor("zhibanzhuren")
	if err != nil {
		return 0, err
	}
	n := 0
	now := s.logs.Now().In(s.zone)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, s.zone)
	for m, i := 0, 0; m < 2; m++ {
		start := first.AddDate(0, m, 0)
		var days []DayInput
		for d := start; d.Month() == start.Month(); d, i = d.AddDate(0, 0, 1), i+1 {
			days = append(days, DayInput{Date: d.Format(DateLayout), Leader: ids[demoLeaders[i%len(demoLeaders)]],
				Main: ids[demoMains[i%len(demoMains)]], Deputy: ids[demoDeputies[i%len(demoDeputies)]]})
		}
		q := MonthQuery{Month: start.Format(MonthLayout)}
		if _, err := s.SaveRoster(ctx, head, q, RosterInput{Days: days, Note: "节假日值班另行安排"}); err != nil {
			return n, err
		}
		if _, err := s.PublishRoster(ctx, head, q); err != nil {
			return n, err
		}
		n++
	}
	if err := s.seedLog(ctx, actor, &n); err != nil {
		return n, err
	}
	return n, s.seedSwap(ctx, actor, ids, &n)
}

// seedLog records the entries (the older ones in the previous shift),
// hands that shift over and leaves the handover for today's shift.
func (s *Service) seedLog(ctx context.Context, actor func(string) (records.Actor, error), n *int) error {
	officer, err := actor("zhiban1")
	if err != nil {
		return err
	}
	director, err := actor("director")
	if err != nil {
		return err
	}
	now := s.logs.Now()
	yesterday := s.ShiftOf(now.Add(-24 * time.Hour))
	handed := false
	for _, d := range demoEntries {
		at := now.Add(-time.Duration(d.hoursAgo * float64(time.Hour)))
		if !handed && s.ShiftOf(at) != yesterday && yesterday < s.Today() {
			if err := s.seedHandover(ctx, actor, yesterday); err != nil {
				return err
			}
			handed = true
			*n++
		}
		in := d.in
		in.ReceivedAt = at.Format(time.RFC3339)
		v, err := s.Record(ctx, officer, in)
		if err != nil {
			return err
		}
		*n++
		id := v.Document.ID
		if d.instruction != "" {
			if _, err := s.Instruct(ctx, director, id, InstructionInput{Instruction: d.instruction}); err != nil {
				return err
			}
		}
		if d.progress != "" {
			if _, err := s.Progress(ctx, officer, id, ProgressInput{Action: d.progress, Close: d.close}); err != nil {
				return err
			}
		}
	}
	if !handed && yesterday < s.Today() {
		*n++
		return s.seedHandover(ctx, actor, yesterday)
	}
	return nil
}

// seedHandover hands date's shift over as its 主班 (值班室's head when
// no roster covers it).
func (s *Service) seedHandover(ctx context.Context, actor func(string) (records.Actor, error), date string) error {
	from, err := actor("zhibanzhuren")
	if err != nil {
		return err
	}
	if day, err := s.dayOf(ctx, date); err != nil {
		return err
	} else if day != nil {
		p, err := s.person(ctx, day.Main.UserID)
		if err != nil {
			return err
		}
		from.P = p
	}
	_, err = s.HandOver(ctx, from, date, HandoverInput{Note: "基坑坍塌事件待合肥市续报；暴雪预警防范通知待综合处印发。值班电话、传真机、应急通信设备运行正常。"})
	return err
}

// seedSwap: 信息处's 李文静 asks 周丽 to take her next 副班, 周丽 agrees,
// and it waits for 值班室's approval.
func (s *Service) seedSwap(ctx context.Context, actor func(string) (records.Actor, error), ids map[string]string, n *int) error {
	editor, err := actor("editor")
	if err != nil {
		return err
	}
	reviewer, err := actor("reviewer")
	if err != nil {
		return err
	}
	today := s.Today()
	var date string
	for m := range 2 {
		t, _ := time.Parse(DateLayout, today)
		r, _, err := s.rosters.Get(ctx, editor.P, t.AddDate(0, m, 1-t.Day()).Format(MonthLayout))
		if err != nil {
			return err
		}
		for _, d := range r.Days {
			if d.Date > today && d.Deputy.UserID == ids["editor"] {
				date = d.Date
				break
			}
		}
		if date != "" {
			break
		}
	}
	if date == "" {
		return nil
	}
	v, err := s.RequestSwap(ctx, editor, SwapInput{Date: date, Position: PosDeputy, Counterpart: ids["reviewer"],
		Reason: "当天需赴北京参加国家信息中心业务培训"})
	if err != nil {
		return err
	}
	*n++
	_, err = s.Agree(ctx, reviewer, v.Document.ID)
	return err
}
