package archive

import (
	"context"
	"slices"

	"zhengwu/officeapi/records"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// VoidInput is a 撤销 (void from the start) or 废止 (void from that day).
type VoidInput struct {
	Kind   string `json:"kind" validate:"required,oneof=revoked abolished" doc:"revoked 撤销（自始无效）, abolished 废止（自该日起失效）"`
	Reason string `json:"reason" validate:"required,max=500,nocontrol" doc:"理由"`
}

// Void records a 撤销 or 废止 on a valid record, as an archivist
// (archive.manage office-wide). The record stays, with its parts.
func (s *Service) Void(ctx context.Context, a records.Actor, id string, in VoidInput) (View, error) {
	action := "archive." + in.Kind
	if !a.P.Can(auth.PermArchiveManage, auth.OfficeWide) {
		if _, _, err := s.recs.Get(ctx, a.P, id); err != nil {
			return View{}, err
		}
		return View{}, s.recs.Refused(ctx, a, action, Collection+"/"+id, problem.Forbidden())
	}
	return s.appendEvent(ctx, a, action, id, func(r *Record) (map[string]any, error) {
		if r.Status != StatusValid {
			return nil, problem.InvalidState("档案已撤销或废止", "the record is already revoked or abolished")
		}
		r.Status = in.Kind
		r.Events = append(r.Events, Event{Kind: in.Kind, At: s.now(), By: a.P.UserID, ByName: a.P.Name, Reason: in.Reason})
		return map[string]any{"reason": in.Reason, "archiveNo": r.ArchiveNo}, nil
	})
}

// Appraisal decisions (鉴定).
const (
	Keep    = "keep"    // 继续保存, with a new retention
	Destroy = "destroy" // 到期拟销毁: recorded; the record itself is kept
)

// AppraisalInput is an appraisal's decision on a record whose retention
// ended.
type AppraisalInput struct {
	Decision string `json:"decision" validate:"required,oneof=keep destroy" doc:"keep 继续保存, destroy 拟销毁（仅记录，档案不删除）"`
	// Retention is the new period a kept record gets (longer than a 10-year one's, say).
	Retention string `json:"retention" validate:"omitempty,oneof=永久 定期30年 定期10年" doc:"继续保存时的新保管期限"`
	Opinion   string `json:"opinion" validate:"required,max=1000,nocontrol" doc:"鉴定意见"`
}

// Appraise records an appraisal (鉴定) of a record whose retention has
// ended, as an archivist. Keeping it gives it a new retention counted
// from its 年度 again, so it leaves the appraisal list until then.
func (s *Service) Appraise(ctx context.Context, a records.Actor, id string, in AppraisalInput) (View, error) {
	if !a.P.Can(auth.PermArchiveManage, auth.OfficeWide) {
		if _, _, err := s.recs.Get(ctx, a.P, id); err != nil {
			return View{}, err
		}
		return View{}, s.recs.Refused(ctx, a, "archive.appraise", Collection+"/"+id, problem.Forbidden())
	}
	if in.Decision == Keep && !slices.Contains(Retentions, in.Retention) {
		return View{}, problem.Invalid(problem.Field("retention", "继续保存须给出新的保管期限", "keeping a record needs a new retention"))
	}
	today := s.today()
	return s.appendEvent(ctx, a, "archive.appraise", id, func(r *Record) (map[string]any, error) {
		if r.ExpiresOn == "" || r.ExpiresOn > today {
			return nil, problem.InvalidState("保管期限尚未届满，不需鉴定", "the retention has not ended yet")
		}
		ev := Event{Kind: EventAppraised, At: s.now(), By: a.P.UserID, ByName: a.P.Name, Decision: in.Decision, Reason: in.Opinion}
		if in.Decision == Keep {
			ev.Retention = in.Retention
			r.ExpiresOn = expiry(r.Year, in.Retention)
			if r.ExpiresOn != "" && r.ExpiresOn <= today {
				return nil, problem.Invalid(problem.Field("retention", "新的保管期限也已届满", "the new retention has ended as well"))
			}
		}
		r.Appraisal = in.Decision
		r.Events = append(r.Events, ev)
		return map[string]any{"decision": in.Decision, "retention": in.Retention, "archiveNo": r.ArchiveNo}, nil
	})
}
