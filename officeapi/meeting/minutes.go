package meeting

import (
	"context"
	"slices"
	"strings"

	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/shared/problem"
)

// StartMinutes starts the meeting's 纪要: an outgoing 公文 (DocType 纪要,
// not sealed) drafted by the organiser in the host department through
// officialdoc's own Create (the host department's, or the organiser's own), at the meeting's 密级, its attendees its
// knowers; the meeting keeps the document's id. A meeting has one 纪要.
func (s *Service) StartMinutes(ctx context.Context, a records.Actor, id string, in MinutesInput) (View, error) {
	if s.d.Minutes == nil {
		return View{}, problem.New(503, problem.CodeUnavailable, "公文服务未启用", "official documents are not running")
	}
	v, err := s.Get(ctx, a.P, id)
	if err != nil {
		return View{}, err
	}
	m := v.Document
	if !mayOrganise(a.P, &m) {
		return View{}, s.meetings.Refused(ctx, a, "meeting.minutes", Collection+"/"+id, problem.Forbidden())
	}
	if m.Minutes != "" {
		return View{}, problem.Conflict("本次会议已起草纪要", "the minutes exist already")
	}
	if m.State == StateCancelled {
		return View{}, problem.InvalidState(stateNames[m.State], m.State)
	}
	title := strings.TrimSpace(in.Title)
	if title == "" {
		title = m.Title + "纪要"
	}
	knowers := []string{}
	for _, at := range m.Attendees {
		if at.attending() {
			knowers = append(knowers, at.UserID)
		}
	}
	// Drafted in the host department when the organiser belongs to it,
	// else in the organiser's own (会务处 organising for another).
	dept := ""
	if slices.Contains(a.P.Departments, m.Department) {
		dept = m.Department
	}
	doc, err := s.d.Minutes(ctx, a, officialdoc.Input{Direction: "outgoing", DocType: "纪要", Title: title,
		Classification: m.Classification, Body: in.Body, Department: dept, Knowers: knowers,
		Issuer: in.Issuer, IssuerCode: in.IssuerCode,
		WrittenOn: m.StartAt.In(cst).Format("2006-01-02")})
	if err != nil {
		return View{}, err
	}
	return s.step(ctx, a, "meeting.minutes", id, func(m *Meeting) (map[string]any, error) {
		if m.Minutes != "" {
			return nil, problem.Conflict("本次会议已起草纪要", "the minutes exist already")
		}
		m.Minutes = doc.Document.ID
		return map[string]any{"document": m.Minutes}, nil
	})
}
