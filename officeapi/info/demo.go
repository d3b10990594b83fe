package info

import (
	"context"
	"fmt"
	"strings"

	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// demoItem is one item of the demo office's information platforms, and how
// far along its workflow it goes.
type demoItem struct {
	author, department string
	in                 Input
	// steps: "submit", "approve:<user>", "designate:<channel>",
	// "portal:<user>", "reject:<user>" in order.
	steps []string
}

var demoItems = []demoItem{
	{"editor", "xinxi", Input{Kind: KindUpdate, Title: "省政府办公厅召开全省政务信息工作会议",
		Summary:        "会议总结2025年全省政务信息工作，部署2026年重点任务。",
		Body:           "<p>3月16日，省政府办公厅召开全省政务信息工作会议。会议指出，2025年全省政务信息工作紧紧围绕省委、省政府中心工作，报送质量和时效明显提升。</p><p>会议要求，各地各部门要聚焦重点工作落实情况，及时准确报送政务信息，为省政府科学决策提供有力支撑。</p>",
		Classification: classification.Feimi, Audience: AudienceOffice}, []string{"submit", "approve:director"}},
	{"editor", "xinxi", Input{Kind: KindNotice, Title: "关于做好2026年汛期值班值守工作的通知",
		Summary:        "汛期实行24小时值班和领导带班制度，重要情况及时报告。",
		Body:           "<p>各处室：</p><p>为切实做好汛期各项工作，现就加强值班值守有关事项通知如下：一、严格执行24小时值班和领导带班制度；二、遇有重大突发事件，按规定时限报告；三、值班人员不得擅离岗位。</p>",
		Classification: classification.Feimi, Audience: AudienceOffice}, []string{"submit", "approve:director"}},
	{"editor", "xinxi", Input{Kind: KindBriefing, Title: "政务信息简报（2026年第12期）",
		Summary: "本期刊发各处室近期重点工作进展。", Body: "<p>本期要目：一、营商环境优化举措落实情况；二、重点项目推进情况；三、民生实事办理情况。</p>",
		Classification: classification.Feimi, Audience: AudienceDepartment}, []string{"submit", "approve:reviewer"}},
	{"editor", "xinxi", Input{Kind: KindInternal, Title: "关于重点项目推进有关情况的报告",
		Summary: "部分重点项目进度滞后，建议加强调度。", Body: "<p>截至3月底，全省152个重点项目中，已开工138个，11个项目进度滞后，主要原因是用地、资金等要素保障不到位。</p>",
		Classification: classification.Mimi, Audience: AudienceOffice}, []string{"submit", "approve:director"}},
	{"editor", "xinxi", Input{Kind: KindUpdate, Title: "全省“互联网+政务服务”推进情况",
		Summary: "省级政务服务事项网上可办率达98.6%。", Body: "<p>今年以来，全省深入推进“互联网+政务服务”，省级政务服务事项网上可办率达到98.6%，“一件事一次办”事项扩大到60项。</p>",
		Classification: classification.Feimi, Audience: AudiencePortal}, []string{"submit", "approve:director", "designate:news"}},
	{"editor", "xinxi", Input{Kind: KindNotice, Title: "关于报送第一季度重点工作进展情况的通知",
		Summary: "请各处室于4月8日前报送第一季度重点工作进展。", Body: "<p>各处室：请于4月8日前，将第一季度重点工作进展情况报送信息处。</p>",
		Classification: classification.Feimi, Audience: AudienceOffice}, []string{"submit"}},
	{"editor", "xinxi", Input{Kind: KindBriefing, Title: "信息处工作动态（第3期）",
		Summary: "信息处近期工作情况。", Body: "<p>（草稿）信息处近期完成政务信息约稿、编发等工作。</p>",
		Classification: classification.Feimi, Audience: AudienceDepartment}, []string{"submit", "reject:reviewer"}},
	{"editor", "xinxi", Input{Kind: KindUpdate, Title: "省数据资源管理工作座谈会召开",
		Summary: "（草稿）座谈会围绕数据共享开放进行交流。", Body: "<p>（草稿，待补充）</p>",
		Classification: classification.Feimi, Audience: AudienceOffice}, nil},
}

// SeedDemo writes the demo office's information items through the
// service's own calls, each by the demo account whose work it is (no one
// approves their own), and returns how many it wrote. It does nothing
// once the platforms hold any item.
func (s *Service) SeedDemo(ctx context.Context, as func(ctx context.Context, username string) (*auth.Principal, error)) (int, error) {
	existing, err := s.store.Scan(ctx, Collection, "", 1)
	if err != nil || len(existing) > 0 {
		return 0, err
	}
	actor := func(user string) (Actor, error) {
		p, err := as(ctx, user)
		return Actor{P: p, IP: "demo"}, err
	}
	for i, d := range demoItems {
		a, err := actor(d.author)
		if err != nil {
			return i, err
		}
		in := d.in
		in.Department, in.Principals = d.department, []string{}
		v, err := s.Create(ctx, a, in)
		if err != nil {
			return i, fmt.Errorf("demo item %q: %w", in.Title, err)
		}
		for _, step := range d.steps {
			if err := s.demoStep(ctx, v.ID, step, actor); err != nil {
				return i, fmt.Errorf("demo item %q, %s: %w", in.Title, step, err)
			}
		}
	}
	return len(demoItems), nil
}

func (s *Service) demoStep(ctx context.Context, id, step string, actor func(string) (Actor, error)) error {
	verb, who, _ := strings.Cut(step, ":")
	if verb == "submit" || verb == "designate" {
		who = "editor"
	}
	a, err := actor(who)
	if err != nil {
		return err
	}
	switch verb {
	case "submit":
		_, err = s.Submit(ctx, a, id)
	case "approve":
		_, err = s.Approve(ctx, a, id)
	case "reject":
		_, err = s.Reject(ctx, a, id, "数据口径需与统计部门核对后重报")
	case "designate":
		_, channel, _ := strings.Cut(step, ":")
		_, err = s.Designate(ctx, a, id, channel, nil)
	case "portal":
		_, err = s.PortalApprove(ctx, a, id)
	default:
		err = fmt.Errorf("unknown demo step %q", step)
	}
	return err
}
