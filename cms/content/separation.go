package content

import (
	"net/http"
	"slices"

	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
)

// Review separation (the four-eyes rule). Nobody reviews an edition they
// wrote, edited or submitted; and, unless the channel turns it off
// (channel.Review.DistinctSteps, default on), nobody takes two steps of
// one pass through the review (初审 and 终审 of one edition are two
// people). A pass starts at each submission: after a rejection and a
// resubmission the steps are taken afresh. The rule binds approvals; a
// rejection (or the cancellation of a schedule) only sends the edition
// back, so the distinct-steps part does not bind it, the authorship part
// does. Refusals are 403 problems (self_review, same_reviewer), audited
// by mutate like every refused step.

// Codes of the separation refusals.
const (
	CodeSelfReview   = "self_review"
	CodeSameReviewer = "same_reviewer"
)

func errSelfReview() *problem.Error {
	return problem.New(http.StatusForbidden, CodeSelfReview,
		"不能审核自己撰写、修改或提交的文档，请由其他审核人办理",
		"you may not review a document you wrote, edited or submitted")
}

func errSameReviewer(step string) *problem.Error {
	return problem.New(http.StatusForbidden, CodeSameReviewer,
		"同一版本的各审核步骤须由不同人员办理：您已办理本版本的"+step+"，不能再办理其他步骤",
		"each review step of an edition needs a different person: you already took "+step).
		With("step", step)
}

// authorsOf lists who wrote or edited e: its recorded authors and its
// last editor (editions saved before authors were recorded have only
// the editor).
func authorsOf(e *Edition) []string {
	out := slices.Clone(e.Authors)
	if e.Editor != "" && !slices.Contains(out, e.Editor) {
		out = append(out, e.Editor)
	}
	return out
}

// addAuthor records user as an author of e (once).
func addAuthor(e *Edition, user string) {
	if !slices.Contains(e.Authors, user) {
		e.Authors = append(e.Authors, user)
	}
}

// distinctSteps is the channel's review.distinctSteps (default true; a
// channel that no longer exists keeps the default).
func (s *Service) distinctSteps(r *record) bool {
	if c, ok := s.channels.Get(r.Channel); ok {
		return c.DistinctSteps()
	}
	return true
}

// approvedOtherStep returns a step of the current pass, other than step,
// that user approved ("" if none).
func approvedOtherStep(e *Edition, user, step string) string {
	for _, rv := range e.Reviews {
		if rv.Round == e.Round && rv.Decision == DecisionApproved && rv.Reviewer == user && rv.Step != step {
			return rv.Step
		}
	}
	return ""
}

// checkSeparation refuses p taking step of r's working edition when p
// wrote, edited or submitted it, or (approving, on a channel with
// distinct steps) approved another step of this pass.
func (s *Service) checkSeparation(p *auth.Principal, r *record, step string, approving bool) error {
	e := r.Draft
	if e.SubmittedBy == p.UserID || slices.Contains(authorsOf(e), p.UserID) {
		return errSelfReview()
	}
	if approving && s.distinctSteps(r) {
		if other := approvedOtherStep(e, p.UserID, step); other != "" {
			return errSameReviewer(other)
		}
	}
	return nil
}

// barred lists who may not approve r's current step whatever their
// grants (the review queue leaves the document out for them).
func (s *Service) barred(r *record, step string) []string {
	e := r.Draft
	out := authorsOf(e)
	if e.SubmittedBy != "" && !slices.Contains(out, e.SubmittedBy) {
		out = append(out, e.SubmittedBy)
	}
	if s.distinctSteps(r) {
		for _, rv := range e.Reviews {
			if rv.Round == e.Round && rv.Decision == DecisionApproved && rv.Step != step && !slices.Contains(out, rv.Reviewer) {
				out = append(out, rv.Reviewer)
			}
		}
	}
	return out
}
