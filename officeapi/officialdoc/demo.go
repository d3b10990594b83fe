package officialdoc

import (
	"context"
	"strings"
	"time"

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
	ago   int // days before now its flow ran (an overdue task is an old one)
}{
	// At 审核, submitted ten days ago and overdue: 秘书二处's head
	// (chuzhang) has it, urged by the drafter (demoUrge).
	{"staff", demoInput("通知", "关于做好2026年春节期间值班工作的通知", "各市人民政府，省政府各部门"), nil, 10},
	// At 签发: the director has it.
	{"staff", demoInput("请示", "关于召开全省政务公开工作会议的请示", "省人民政府"), []string{"chuzhang"}, 0},
	// At 登记编号: the clerk has it.
	{"staff", demoInput("通知", "关于印发《省政府办公厅公文处理实施细则》的通知", "厅机关各处室"), []string{"chuzhang", "director", "clerk"}, 0},
	// Numbered, at 印制: the printer has it.
	{"staff", demoInput("函", "关于商请支持政务数据共享工作的函", "省数据资源管理局"), []string{"chuzhang", "director", "clerk", "clerk"}, 0},
	// A draft of 信息处.
	{"editor", demoInput("通报", "关于2026年第一季度政务信息报送情况的通报", "厅机关各处室"), []string{"-"}, 0},
	// Dispatched (核发) to 合肥 and 省发改委 through the system, and to 省财政厅
	// outside it: 合肥's 收发员 has 签收 on their desktop; 省发改委 has signed.
	{"staff", demoInput("通知", "关于加快推进政务服务“一网通办”的通知", "合肥市人民政府办公室、省发展和改革委员会；省财政厅"),
		[]string{"chuzhang", "director", "clerk", "clerk", "printer", "clerk", "fgwclerk@-fgw"}, 0},
	// A 收文 of 秘书二处 at 传阅: 批办 chose the readers (demoHandling); the
	// head and the clerk have read it, staff and the editor have not.
	{"staff", demoIncoming("关于报送2026年度重点工作进展情况的函", "省发展和改革委员会"),
		[]string{"clerk", "clerk", "reviewer", "chuzhang", "director", "chuzhang", "chuzhang", "clerk"}, 0},
}

func demoInput(docType, title, mainTo string) Input {
	return Input{Direction: Outgoing, DocType: docType, Title: title, Classification: classification.Feimi,
		Issuer: "安徽省人民政府办公厅", IssuerCode: "皖政办", MainTo: []string{mainTo},
		Body: "<p>" + title + "，现将有关事项通知如下。</p>", Signature: "安徽省人民政府办公厅", PrintedBy: "安徽省人民政府办公厅秘书处"}
}

func demoIncoming(title, issuer string) Input {
	return Input{Direction: Incoming, DocType: "函", Title: title, Classification: classification.Feimi, Issuer: issuer,
		MainTo: []string{"安徽省人民政府办公厅"}, Body: "<p>" + title + "，请于本月底前报送。</p>", Signature: issuer}
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
		if err := s.seedOne(ctx, as, i, d.user, d.in, d.steps, d.ago); err != nil {
			return i, err
		}
	}
	return len(demoDocs), nil
}

// seedOne drafts one demo document as user and takes its steps: each is
// "who" (approving their task on the document) or "who@-suffix" (on the
// document "<id>-suffix": an exchanged copy). The first is urged by its
// drafter; a 收文 at 批办 gets the demo's 承办 and 传阅 choice.
func (s *Service) seedOne(ctx context.Context, as func(ctx context.Context, username string) (*auth.Principal, error),
	i int, user string, in Input, steps []string, ago int) error {
	urgeCtx := ctx // the urge is today's
	if ago > 0 {
		ctx = asOf(ctx, s.now().AddDate(0, 0, -ago))
	}
	p, err := as(ctx, user)
	if err != nil {
		return err
	}
	v, err := s.Create(ctx, records.Actor{P: p, IP: "demo"}, in)
	if err != nil {
		return err
	}
	id := v.Document.ID
	if len(steps) == 1 && steps[0] == "-" {
		return nil
	}
	if _, err = s.Submit(ctx, records.Actor{P: p, IP: "demo"}, id); err != nil {
		return err
	}
	for _, step := range steps {
		who, suffix, _ := strings.Cut(step, "@")
		q, err := as(ctx, who)
		if err != nil {
			return err
		}
		doc, _, err := s.docs.Get(ctx, q, id+suffix)
		if err != nil {
			return err
		}
		act := ActionInput{Action: "approve", Opinion: "同意"}
		task := ""
		for _, t := range doc.Tasks {
			if t.Assignee == q.UserID {
				task = t.ID
				if t.Node == nodeDecide {
					act, err = s.demoHandling(ctx, as)
					if err != nil {
						return err
					}
				}
			}
		}
		if nodeOf(&doc, task) == NodePrint {
			// The demo's dispatched 发文 was printed before the print
			// room's module (built after this one) could hold its job.
			_, err = s.PrintDone(ctx, records.Actor{P: q, IP: "demo"}, task, "印制完成")
		} else {
			_, err = s.Act(ctx, records.Actor{P: q, IP: "demo"}, task, act)
		}
		if err != nil {
			return err
		}
	}
	if i == 0 {
		_, err = s.Urge(urgeCtx, records.Actor{P: p, IP: "demo"}, id, UrgeInput{Message: "春节值班安排急需印发，请抓紧审核。"})
	}
	return err
}

// demoHandling is the director's 批办 of the demo 收文: 秘书二处 leads,
// 信息处 assists, four readers.
func (s *Service) demoHandling(ctx context.Context, as func(ctx context.Context, username string) (*auth.Principal, error)) (ActionInput, error) {
	in := ActionInput{Action: "approve", Opinion: "请秘书二处牵头办理，信息处协办，有关同志传阅。", LeadDepartment: "mishu2",
		AssistDepartments: []string{"xinxi"}, Deadline: s.now().In(s.zone).AddDate(0, 0, 14).Format(time.DateOnly)}
	for _, u := range []string{"chuzhang", "clerk", "staff", "editor"} {
		p, err := as(ctx, u)
		if err != nil {
			return in, err
		}
		in.Readers = append(in.Readers, p.UserID)
	}
	return in, nil
}
