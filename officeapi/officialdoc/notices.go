package officialdoc

import (
	"context"
	"strconv"

	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/records"
)

// tell sends the notices of a step that has committed: to the holder of
// each task the step opened (a 公文 arrived on their desktop), and to the
// holder of each task it urged. The Keys name the task (and the urging's
// count), so a step retried or told twice tells no one twice. A notice that
// fails is logged: the step stands.
func (s *Service) tell(ctx context.Context, a records.Actor, pre, post *Document) {
	if s.notices == nil {
		return
	}
	before := make(map[string]Task, len(pre.Tasks))
	for _, t := range pre.Tasks {
		before[t.ID] = t
	}
	for _, t := range post.Tasks {
		old, had := before[t.ID]
		n := notify.Notice{Recipients: []string{t.Assignee}, Link: TaskLink(post.ID, t.Node),
			Classification: post.Classification, Actor: a.P.UserID}
		switch {
		case !had && t.Assignee != a.P.UserID:
			n.Kind, n.Key = notify.KindTask, "task:"+t.ID
			n.Title = "待办公文：" + post.Title
			n.Body = t.NodeName + "，来自" + a.P.Name
		case had && t.Urged > old.Urged:
			n.Kind, n.Key = notify.KindUrge, "urge:"+t.ID+":"+strconv.Itoa(t.Urged)
			n.Title = "催办：" + post.Title
			n.Body = a.P.Name + "催办" + t.NodeName
		default:
			continue
		}
		if err := s.notices.Send(ctx, n); err != nil {
			s.log.Error("notice of a 公文 task failed", "task", t.ID, "kind", n.Kind, "err", err)
		}
	}
}
