package leave

import (
	"context"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
)

// demoRequests are the demo office's leave: who asks, for what, and what
// 秘书二处's head (chuzhang) decides ("" leaves it pending).
var demoRequests = []struct {
	user     string
	in       Input
	decision string
}{
	{"staff", Input{Kind: "年休假", Start: "2026-04-07", End: "2026-04-10", Reason: "回老家探望父母"}, StateApproved},
	{"staff", Input{Kind: "事假", Start: "2026-05-11", End: "2026-05-11", Reason: "办理房屋过户手续"}, StateRefused},
	{"staff", Input{Kind: "病假", Start: "2026-06-02", End: "2026-06-03", Reason: "拔智齿，需休息两天"}, ""},
	// 信息处 has no head in the demo: the director (a leader, office-wide) decides.
	{"editor", Input{Kind: "婚假", Start: "2026-05-18", End: "2026-05-27", Reason: "本人结婚"}, ""},
}

// SeedDemo files the demo requests through the service's own calls, as the
// demo accounts whose work it is, and returns how many it wrote. It does
// nothing once any request exists.
func (s *Service) SeedDemo(ctx context.Context, as func(ctx context.Context, username string) (*auth.Principal, error)) (int, error) {
	if empty, err := s.requests.Empty(ctx); err != nil || !empty {
		return 0, err
	}
	head, err := as(ctx, "chuzhang")
	if err != nil {
		return 0, err
	}
	for i, d := range demoRequests {
		p, err := as(ctx, d.user)
		if err != nil {
			return i, err
		}
		v, err := s.Apply(ctx, records.Actor{P: p, IP: "demo"}, d.in)
		switch {
		case err == nil && d.decision == StateApproved:
			_, err = s.Approve(ctx, records.Actor{P: head, IP: "demo"}, v.Document.ID, Decision{Comment: "同意，注意做好工作交接"})
		case err == nil && d.decision == StateRefused:
			_, err = s.Refuse(ctx, records.Actor{P: head, IP: "demo"}, v.Document.ID, Decision{Comment: "当天有重要会议，请调整时间"})
		}
		if err != nil {
			return i, err
		}
	}
	return len(demoRequests), nil
}
