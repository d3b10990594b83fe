package forum

import (
	"context"

	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// As is a demo account's principal by username.
type As func(ctx context.Context, username string) (*auth.Principal, error)

// officeBoards are the office-wide boards and their moderators (usernames).
var officeBoards = []struct {
	name, desc string
	notices    bool
	mods       []string
}{
	{"通知公告", "办公厅发布的通知、公告和提醒；置顶公告会出现在每个人的待阅中", true, []string{"officeadmin"}},
	{"工作交流", "业务经验、办文办会心得和工作中的问题讨论", false, []string{"reviewer"}},
	{"学习园地", "政策法规、理论学习和业务培训资料的交流", false, []string{"editor"}},
	{"意见建议", "对机关工作和办公系统的意见与建议", false, []string{"officeadmin"}},
}

// deptModerators are the demo departments' board moderators (usernames).
var deptModerators = map[string][]string{"xinxi": {"reviewer"}, "mishu2": {"chuzhang"}}

// demoPost is a demo thread (on the board named) and its replies.
type demoPost struct {
	board, user, title, body string
	level                    classification.Level
	pin, feature             bool
	mention                  string // a username @-mentioned in the first reply
	replies                  [][2]string
}

var demoPosts = []demoPost{
	{board: "通知公告", user: "officeadmin", title: "关于2027年元旦放假安排的通知", pin: true,
		body: "<p>各处室：</p><p>根据国务院办公厅通知，2027年元旦放假时间为1月1日至1月3日，共3天。请各处室<strong>提前安排好值班</strong>，做好节前安全检查。</p>"},
	{board: "通知公告", user: "officeadmin", title: "机关食堂12月菜单调整说明",
		body:    "<p>自12月8日起，机关食堂午餐增加面食窗口，晚餐延长至19:00。</p>",
		replies: [][2]string{{"staff", "<p>面食窗口太好了，支持！</p>"}}},
	{board: "工作交流", user: "clerk", title: "公文处理中常见格式问题汇总", feature: true,
		body:    "<p>近期收文登记中发现以下常见问题：</p><ol><li>发文字号中的年份未用六角括号〔〕；</li><li>附件说明位置不规范；</li><li>成文日期使用了阿拉伯数字以外的写法。</li></ol><p>欢迎大家补充。</p>",
		mention: "editor",
		replies: [][2]string{
			{"staff", "<p>@李文静 信息处报送的简报也经常遇到附件说明的问题，能否统一一个模板？</p>"},
			{"chuzhang", "<p>建议整理成一页纸的核对清单，发文前逐项检查。</p>"},
			{"editor", "<p>好的，信息处这周整理一份模板发到学习园地。</p>"},
		}},
	{board: "学习园地", user: "staff", title: "《党政机关公文处理工作条例》学习心得",
		body:    "<p>重读条例第三章，对公文种类和适用范围有了更清楚的认识，特别是“意见”和“通知”的区别……</p>",
		replies: [][2]string{{"fumishu1", "<p>写得很扎实，建议各处室年轻同志都看一看。</p>"}}},
	{board: "意见建议", user: "huiwu", title: "建议会议室预约增加提前提醒",
		body:    "<p>希望会议开始前一小时能自动提醒参会人员，减少迟到。</p>",
		replies: [][2]string{{"officeadmin", "<p>已记录，会在消息提醒功能上线后一并考虑。</p>"}}},
	{board: "xinxi", user: "reviewer", title: "信息处周例会纪要（12月第1周）",
		body:    "<p>一、本周共编发简报3期；二、门户信息更新27条；三、下周重点：年度信息工作总结。</p>",
		replies: [][2]string{{"editor", "<p>年度总结的数据我周三前汇总好。</p>"}}},
	{board: "xinxi", user: "editor", title: "年度信息工作总结素材征集", level: classification.Mimi,
		body: "<p>请各位把本年度报送的重要信息篇目整理到共享表格中。</p>"},
	{board: "mishu2", user: "chuzhang", title: "秘书二处年终总结材料分工",
		body:    "<p>总结材料分三部分：文稿起草、督办落实、会议保障，请大家周五前认领。</p>",
		replies: [][2]string{{"staff", "<p>我负责会议保障部分。</p>"}}},
}

// SeedDemo makes the demo forum through the service's own calls: the
// office-wide boards, one board per department, and threads with replies
// by the demo accounts. It does nothing once any board exists.
func (s *Service) SeedDemo(ctx context.Context, as As, departments []identity.Department) (int, error) {
	if empty, err := s.boards.Empty(ctx); err != nil || !empty {
		return 0, err
	}
	admin, err := as(ctx, "officeadmin")
	if err != nil {
		return 0, err
	}
	act := func(p *auth.Principal) records.Actor { return records.Actor{P: p, IP: "demo"} }
	ids := func(usernames []string) ([]string, error) {
		out := []string{}
		for _, u := range usernames {
			p, err := as(ctx, u)
			if err != nil {
				return nil, err
			}
			out = append(out, p.UserID)
		}
		return out, nil
	}
	boards := map[string]string{} // name or department → board id
	n := 0
	for i, b := range officeBoards {
		mods, err := ids(b.mods)
		if err != nil {
			return n, err
		}
		v, err := s.CreateBoard(ctx, act(admin), BoardInput{Name: b.name, Description: b.desc, Notices: b.notices,
			Moderators: mods, Order: i * 10})
		if err != nil {
			return n, err
		}
		boards[b.name], n = v.Document.ID, n+1
	}
	for _, d := range departments {
		mods, err := ids(deptModerators[d.ID])
		if err != nil {
			return n, err
		}
		v, err := s.CreateBoard(ctx, act(admin), BoardInput{Name: d.Name, Description: d.Name + "内部交流，仅本处室人员可见",
			Department: d.ID, Ceiling: classification.Mimi, Moderators: mods, Order: 100 + d.Order})
		if err != nil {
			return n, err
		}
		boards[d.ID], n = v.Document.ID, n+1
	}
	for _, dp := range demoPosts {
		p, err := as(ctx, dp.user)
		if err != nil {
			return n, err
		}
		t, err := s.CreateThread(ctx, act(p), boards[dp.board], ThreadInput{Title: dp.title, Body: dp.body, Classification: dp.level})
		if err != nil {
			return n, err
		}
		n++
		for action, on := range map[string]bool{ActPin: dp.pin, ActFeature: dp.feature} {
			if on {
				if _, err := s.Moderate(ctx, act(admin), t.Document.ID, Moderation{Action: action, Reason: "演示数据"}); err != nil {
					return n, err
				}
			}
		}
		for i, r := range dp.replies {
			rp, err := as(ctx, r[0])
			if err != nil {
				return n, err
			}
			in := ReplyInput{Body: r[1]}
			if i == 0 && dp.mention != "" {
				if in.Mentions, err = ids([]string{dp.mention}); err != nil {
					return n, err
				}
			}
			if _, err := s.Reply(ctx, act(rp), t.Document.ID, in); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
