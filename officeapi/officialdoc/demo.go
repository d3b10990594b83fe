package officialdoc

import (
	"context"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
)

// demoDocs are the demo office's documents: who drafts them and how far
// their flow goes, each step taken by the demo account whose work it is
// (steps: the usernames approving in turn after submission; -1 leaves the
// draft unsubmitted).
var demoDocs = []struct {
	user  string
	in    Input
	steps []string
}{
	// At 审核: 秘书二处's head (chuzhang) has it.
	{"staff", demoInput("通知", "关于做好2026年春节期间值班工作的通知", "各市人民政府，省政府各部门"), nil},
	// At 签发: the director has it.
	{"staff", demoInput("请示", "关于召开全省政务公开工作会议的请示", "省人民政府"), []string{"chuzhang"}},
	// At 登记编号: the clerk has it.
	{"staff", demoInput("通知", "关于印发《省政府办公厅公文处理实施细则》的通知", "厅机关各处室"), []string{"chuzhang", "director", "clerk"}},
	// Numbered, at 印制: the printer has it.
	{"staff", demoInput("函", "关于商请支持政务数据共享工作的函", "省数据资源管理局"), []string{"chuzhang", "director", "clerk", "clerk"}},
	// A draft of 信息处.
	{"editor", demoInput("通报", "关于2026年第一季度政务信息报送情况的通报", "厅机关各处室"), []string{"-"}},
}

func demoInput(docType, title, mainTo string) Input {
	return Input{Direction: Outgoing, DocType: docType, Title: title, Classification: classification.Feimi,
		Issuer: "安徽省人民政府办公厅", IssuerCode: "皖政办", MainTo: []string{mainTo},
		Body: "<p>" + title + "，现将有关事项通知如下。</p>", Signature: "安徽省人民政府办公厅", PrintedBy: "安徽省人民政府办公厅秘书处"}
}

// SeedDemo drafts and moves the demo documents through the service's own
// calls, as the demo accounts whose work it is, and returns how many it
// wrote. It does nothing once any document exists.
func (s *Service) SeedDemo(ctx context.Context, as func(ctx context.Context, username string) (*auth.Principal, error)) (int, error) {
	if empty, err := s.docs.Empty(ctx); err != nil || !empty {
		return 0, err
	}
	if err := s.install(ctx); err != nil { // demo data is seeded before Start
		return 0, err
	}
	for i, d := range demoDocs {
		p, err := as(ctx, d.user)
		if err != nil {
			return i, err
		}
		v, err := s.Create(ctx, records.Actor{P: p, IP: "demo"}, d.in)
		if err != nil {
			return i, err
		}
		if len(d.steps) == 1 && d.steps[0] == "-" {
			continue
		}
		if v, err = s.Submit(ctx, records.Actor{P: p, IP: "demo"}, v.Document.ID); err != nil {
			return i, err
		}
		for _, who := range d.steps {
			q, err := as(ctx, who)
			if err != nil {
				return i, err
			}
			task := ""
			for _, t := range v.Document.Tasks {
				if t.Assignee == q.UserID {
					task = t.ID
				}
			}
			if v, err = s.Act(ctx, records.Actor{P: q, IP: "demo"}, task, ActionInput{Action: "approve", Opinion: "同意"}); err != nil {
				return i, err
			}
		}
	}
	return len(demoDocs), nil
}
