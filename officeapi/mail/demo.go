package mail

import (
	"context"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// demoMail is the demo office's mail: who writes to whom, and which
// recipients have read it. "@dept" addresses a department.
var demoMail = []struct {
	from, subject, body string
	to, cc              []string
	level               classification.Level
	read                []string
	file                bool
}{
	{"director", "关于做好岁末年初安全生产工作的提醒", "<p>各处室：</p><p>岁末年初是安全生产事故易发期，请各处室认真排查办公场所用电、消防隐患，节假日期间落实值班制度。</p><p>王建国</p>",
		[]string{"@xinxi", "@mishu2"}, nil, classification.Feimi, []string{"editor"}, false},
	{"clerk", "下周领导活动安排征集", "<p>请各处室于本周四下班前报送下周领导活动安排，模板见附件。</p>",
		[]string{"chuzhang", "editor"}, []string{"staff"}, classification.Feimi, []string{"chuzhang"}, true},
	{"editor", "信息简报第12期稿件", "<p>周丽同志：</p><p>第12期信息简报稿件已整理完毕，请审核。重点是全省营商环境优化的三条经验。</p>",
		[]string{"reviewer"}, nil, classification.Feimi, nil, false},
	{"reviewer", "回复：信息简报第11期", "<p>已审核通过，第二条数据请与统计局核对后再发布。</p>",
		[]string{"editor"}, nil, classification.Feimi, []string{"editor"}, false},
	{"chuzhang", "关于督查事项办理进度的说明", "<p>晓燕：</p><p>请将省政府第8次常务会议议定事项的办理进度整理成表，明天上午报我。</p>",
		[]string{"staff"}, nil, classification.Feimi, nil, false},
	{"huiwu", "全省政务服务工作会议会务分工", "<p>会议定于下周三在第一会议室召开，会务分工如下：报到、材料、座次、后勤，请各位确认。</p>",
		[]string{"staff", "editor", "clerk"}, []string{"director"}, classification.Feimi, []string{"clerk"}, false},
	{"staff", "请假期间工作交接", "<p>刘处长：</p><p>我6月2日至3日请病假，手头的督查台账已交张明华同志代管。</p>",
		[]string{"chuzhang"}, []string{"clerk"}, classification.Feimi, []string{"chuzhang", "clerk"}, false},
	{"editor", "门户网站栏目调整意见", "<p>建议将“政策解读”栏目前移至首页第二屏，并增加图解形式。请各位提意见。</p>",
		[]string{"reviewer", "clerk"}, nil, classification.Feimi, []string{"reviewer"}, false},
	{"zhibanzhuren", "元旦值班表（征求意见稿）", "<p>元旦假期值班表已排出，请各位核对本人班次，如需调班请于周五前提出。</p>",
		[]string{"zhiban1", "zhiban2", "fumishuzhang"}, nil, classification.Feimi, []string{"zhiban1"}, false},
	{"director", "关于近期重点工作的几点意见", "<p>一、抓紧落实常务会议议定事项；二、做好年度考核准备；三、加强保密管理，涉密文件不得通过邮件传递。</p>",
		[]string{"fumishu1", "fumishu2", "fumishu3"}, []string{"chuzhang"}, classification.Mimi, []string{"fumishu1"}, false},
	{"printer", "文印室设备检修通知", "<p>本周五下午文印室设备检修，急件请提前送印。</p>",
		[]string{"@zonghe", "@xinxi"}, nil, classification.Feimi, nil, false},
	{"reviewer", "周末加班安排", "<p>本周六上午信息处加班核对年鉴稿件，请准时到岗。</p>",
		[]string{"editor"}, nil, classification.Feimi, nil, false},
}

// DemoAttachment is the file the demo attaches (a small text table),
// stored through the media store by the caller (Deps.Media cannot upload).
type DemoAttachment func(ctx context.Context) (Attachment, error)

// SeedDemo sends the demo mail through the service, as the demo accounts,
// marks what their recipients have read, and keeps a group for 刘志强
// and the office-wide 全体处长. It does nothing once any mail exists.
func (s *Service) SeedDemo(ctx context.Context, as func(ctx context.Context, username string) (*auth.Principal, error), file DemoAttachment) (int, error) {
	if empty, err := s.entries.Empty(ctx); err != nil || !empty {
		return 0, err
	}
	actor := func(u string) (records.Actor, error) {
		p, err := as(ctx, u)
		return records.Actor{P: p, IP: "demo"}, err
	}
	addr := func(names []string) ([]Address, error) {
		out := []Address{}
		for _, n := range names {
			if n[0] == '@' {
				out = append(out, Address{DepartmentID: n[1:]})
				continue
			}
			p, err := as(ctx, n)
			if err != nil {
				return nil, err
			}
			out = append(out, Address{UserID: p.UserID})
		}
		return out, nil
	}
	n := 0
	for _, d := range demoMail {
		a, err := actor(d.from)
		if err != nil {
			return n, err
		}
		to, err := addr(d.to)
		if err != nil {
			return n, err
		}
		cc, err := addr(d.cc)
		if err != nil {
			return n, err
		}
		in := Input{To: to, Cc: cc, Subject: d.subject, Body: d.body, Classification: d.level, Receipt: d.level == classification.Mimi}
		if d.file && file != nil {
			f, err := file(ctx)
			if err != nil {
				return n, err
			}
			in.Attachments = []Attachment{f}
		}
		l, err := s.Send(ctx, a, in)
		if err != nil {
			return n, err
		}
		n++
		for _, u := range d.read {
			r, err := actor(u)
			if err != nil {
				return n, err
			}
			if _, err := s.Read(ctx, r, entryID(l.Message.ID, r.P.UserID)); err != nil {
				return n, err
			}
		}
	}
	admin, err := actor("officeadmin")
	if err != nil {
		return n, err
	}
	var heads []string
	for _, u := range []string{"chuzhang", "fumishu1", "fumishu2", "fumishu3"} {
		p, err := as(ctx, u)
		if err != nil {
			return n, err
		}
		heads = append(heads, p.UserID)
	}
	if _, err := s.SaveGroup(ctx, admin, "", GroupInput{Name: "全体处长", Members: heads, Office: true}); err != nil {
		return n, err
	}
	head, err := actor("chuzhang")
	if err != nil {
		return n, err
	}
	staff, _ := as(ctx, "staff")
	clerk, _ := as(ctx, "clerk")
	_, err = s.SaveGroup(ctx, head, "", GroupInput{Name: "督查台账小组", Members: []string{staff.UserID, clerk.UserID}})
	return n, err
}
