package duty

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"zhengwu/officeapi/records"
	"zhengwu/search/index"
	"zhengwu/shared/auth"
	"zhengwu/shared/classification"
	"zhengwu/shared/problem"
)

// Entry states: open until the matter is done (办结); an open entry is
// handed over from shift to shift.
const (
	EntryOpen   = "open"
	EntryClosed = "closed"
)

// Escalation states of an important entry: sent to the 带班领导 on duty
// and waiting for their acknowledgement, acknowledged, or unassigned when
// the day's roster names no leader (值班室 then sees it).
const (
	EscalationPending      = "pending"
	EscalationAcknowledged = "acknowledged"
	EscalationUnassigned   = "unassigned"
)

// Kinds of entries.
var Kinds = []string{"来电", "来文", "突发事件", "信息报送", "请示报告", "其他"}

// Entry is one item of the duty log (值班记录).
type Entry struct {
	ID          string    `json:"id"`
	Shift       string    `json:"shift"` // the duty day it was recorded in
	Month       string    `json:"month"`
	ReceivedAt  time.Time `json:"receivedAt"` // time of the call or report
	Kind        string    `json:"kind"`
	CallerUnit  string    `json:"callerUnit"`
	CallerName  string    `json:"callerName,omitempty"`
	CallerPhone string    `json:"callerPhone,omitempty"` // personal data: see the package doc
	Title       string    `json:"title"`
	Content     string    `json:"content"`
	// Instruction is the leader's 批示, with who gave it and when.
	Instruction      string     `json:"instruction,omitempty"`
	InstructedBy     string     `json:"instructedBy,omitempty"`
	InstructedByName string     `json:"instructedByName,omitempty"`
	InstructedAt     *time.Time `json:"instructedAt,omitempty"`
	// Action is what was done (处理情况), one dated line per step.
	Action string `json:"action,omitempty"`
	// Department is the 处室 the matter was passed to (承办处室), if any.
	Department      string     `json:"department,omitempty"`
	Recorder        string     `json:"recorder"`
	RecorderName    string     `json:"recorderName"`
	Important       bool       `json:"important"`
	Escalation      string     `json:"escalation,omitempty"`
	EscalatedTo     string     `json:"escalatedTo,omitempty"`
	EscalatedToName string     `json:"escalatedToName,omitempty"`
	EscalatedAt     *time.Time `json:"escalatedAt,omitempty"`
	AcknowledgedAt  *time.Time `json:"acknowledgedAt,omitempty"`
	State           string     `json:"state"`
	// CarriedTo is the latest shift that took the open entry over at a
	// handover; Handovers how many times it was handed over.
	CarriedTo    string     `json:"carriedTo,omitempty"`
	Handovers    int        `json:"handovers"`
	ClosedAt     *time.Time `json:"closedAt,omitempty"`
	ClosedByName string     `json:"closedByName,omitempty"`
	CreatedAt    time.Time  `json:"createdAt"`
	UpdatedAt    time.Time  `json:"updatedAt"`
}

// EntryInput is a new entry.
type EntryInput struct {
	// ReceivedAt defaults to now; never in the future.
	ReceivedAt  string `json:"receivedAt" validate:"omitempty,datetime=2006-01-02T15:04:05Z07:00" doc:"来电（来文）时间，RFC 3339；默认为当前时间"`
	Kind        string `json:"kind" validate:"required,oneof=来电 来文 突发事件 信息报送 请示报告 其他" doc:"类别"`
	CallerUnit  string `json:"callerUnit" validate:"required,max=100,nocontrol" doc:"来电（来文）单位"`
	CallerName  string `json:"callerName" validate:"max=50,nocontrol" doc:"来电人"`
	CallerPhone string `json:"callerPhone" validate:"max=30,nocontrol" doc:"联系电话（手机、带区号的座机或特服号）"`
	Title       string `json:"title" validate:"required,max=100,nocontrol" doc:"事由摘要"`
	Content     string `json:"content" validate:"required,max=5000" doc:"内容"`
	Action      string `json:"action" validate:"max=2000" doc:"处理情况"`
	Department  string `json:"department" validate:"omitempty,orgid" doc:"承办处室"`
	Important   bool   `json:"important" doc:"重要事项：报带班领导阅示"`
}

// InstructionInput is a leader's 批示. A leader gives it as themselves; a
// duty officer who takes it down by phone names the leader.
type InstructionInput struct {
	Instruction string `json:"instruction" validate:"required,max=2000" doc:"批示内容"`
	Leader      string `json:"leader" validate:"max=64,nocontrol" doc:"批示领导的用户 id（值班员代记时填写）"`
}

// ProgressInput is a step of what was done; Close ends the matter.
type ProgressInput struct {
	Action string `json:"action" validate:"required,max=2000" doc:"处理情况"`
	Close  bool   `json:"close" doc:"办结"`
}

// LogQuery lists the log.
type LogQuery struct {
	Q              string `query:"q" validate:"max=100" doc:"全文检索（标题、内容、批示、处理情况、来电单位和来电人）"`
	Kind           string `query:"kind" validate:"omitempty,oneof=来电 来文 突发事件 信息报送 请示报告 其他" doc:"类别"`
	State          string `query:"state" validate:"omitempty,oneof=open closed" doc:"状态：open 未办结、closed 已办结"`
	Important      string `query:"important" validate:"omitempty,oneof=true false" doc:"仅重要事项（true）或仅一般事项（false）"`
	Escalation     string `query:"escalation" validate:"omitempty,oneof=pending acknowledged unassigned" doc:"报送状态"`
	Shift          string `query:"shift" validate:"omitempty,datetime=2006-01-02" doc:"值班日"`
	Month          string `query:"month" validate:"omitempty,datetime=2006-01" doc:"月份"`
	Size           int    `query:"size" validate:"omitempty,min=1,max=100" doc:"每页条数（1–100，默认 20）"`
	Cursor         string `query:"cursor" validate:"max=512" doc:"游标（上一页的 next）"`
	ConsistentWith string `query:"consistentWith" validate:"max=20" doc:"等待列表应用到该变更序号（读己之写）"`
}

// EntryView is an entry as the API answers it (schema DutyEntryView).
type EntryView = records.View[Entry]

// EntryPage is a page of the log (schema DutyEntryPage).
type EntryPage = records.Page[Entry]

// entryAccess: duty staff and leaders; an escalated entry also the leader
// it went to (who holds duty.lead anyway, unless it was taken away).
func entryAccess(e *Entry) auth.Access {
	readers := logReaders()
	if e.EscalatedTo != "" {
		readers = append(readers, auth.User(e.EscalatedTo))
	}
	return auth.Access{Classification: classification.Feimi, Readers: readers}
}

// The log's long text fields, searched as Chinese full text and returned
// with each listed entry; fText is all of them together with the caller,
// what ?q= matches.
var textFields = []string{"title", "content", "instruction", "action"}

const fText = "text"

// projectEntry is an entry's fields in the list index, with fText.
func projectEntry(e *Entry) map[string]any {
	var m map[string]any
	data, err := json.Marshal(e)
	if err != nil || json.Unmarshal(data, &m) != nil {
		return nil
	}
	m[fText] = strings.Join([]string{e.Title, e.Content, e.Instruction, e.Action, e.CallerUnit, e.CallerName}, "\n")
	return m
}

// phone is a Chinese phone number: a mobile, a landline with its area
// code (and extension), a 400/800 number or a short service number
// (110, 12345…).
var phone = regexp.MustCompile(`^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|[48]00-?\d{3}-?\d{4}|1\d{2,4})$`)

// multiline is a problem naming field if text holds control characters
// other than line breaks and tabs.
func multiline(field, text string) error {
	for _, r := range text {
		if (r < 0x20 && r != '\n' && r != '\r' && r != '\t') || r == 0x7f {
			return problem.Invalid(problem.Field(field, "不能包含控制字符", "must not contain control characters"))
		}
	}
	return nil
}

// Record files a log entry (duty.log office-wide) in the shift of its
// time; an important one is escalated to that day's 带班领导.
func (s *Service) Record(ctx context.Context, a records.Actor, in EntryInput) (EntryView, error) {
	const action = "duty.log.create"
	if !a.P.Can(auth.PermDutyLog, auth.OfficeWide) {
		return EntryView{}, s.logs.Refused(ctx, a, action, LogCollection, problem.Forbidden())
	}
	now := s.logs.Now()
	at := now
	if in.ReceivedAt != "" {
		at, _ = time.Parse(time.RFC3339, in.ReceivedAt) // checked by its tag
		at = at.UTC()
	}
	tel := strings.NewReplacer(" ", "", "（", "", "）", "").Replace(in.CallerPhone)
	switch {
	case at.After(now.Add(5 * time.Minute)):
		return EntryView{}, problem.Invalid(problem.Field("receivedAt", "来电时间不能晚于当前时间", "receivedAt is in the future"))
	case at.Before(now.AddDate(0, -3, 0)):
		return EntryView{}, problem.Invalid(problem.Field("receivedAt", "只能补记三个月内的值班记录", "at most three months back"))
	case tel != "" && !phone.MatchString(tel):
		return EntryView{}, problem.Invalid(problem.Field("callerPhone", "电话号码格式不正确（手机号、带区号的座机号或特服号）", "not a phone number"))
	case strings.TrimSpace(in.Title) == "":
		return EntryView{}, problem.Invalid(problem.Field("title", "请填写事由摘要", "title is required"))
	case strings.TrimSpace(in.Content) == "":
		return EntryView{}, problem.Invalid(problem.Field("content", "请填写内容", "content is required"))
	}
	if err := multiline("content", in.Content); err != nil {
		return EntryView{}, err
	}
	if err := multiline("action", in.Action); err != nil {
		return EntryView{}, err
	}
	shift := s.ShiftOf(at)
	e := Entry{Shift: shift, Month: month(shift), ReceivedAt: at, Kind: in.Kind, CallerUnit: strings.TrimSpace(in.CallerUnit),
		CallerName: strings.TrimSpace(in.CallerName), CallerPhone: tel, Title: strings.TrimSpace(in.Title),
		Content: strings.TrimSpace(in.Content), Department: in.Department, Recorder: a.P.UserID, RecorderName: a.P.Name,
		State: EntryOpen, CreatedAt: now, UpdatedAt: now}
	if act := strings.TrimSpace(in.Action); act != "" {
		e.Action = s.line(a.P, act, now)
	}
	if in.Important {
		if err := s.escalate(ctx, &e, now); err != nil {
			return EntryView{}, err
		}
	}
	return records.ViewOf(s.logs.Create(ctx, a, action, e,
		map[string]any{"shift": e.Shift, "kind": e.Kind, "important": e.Important, "escalatedTo": e.EscalatedTo}))
}

// escalate flags e important and sends it to the 带班领导 of its shift.
func (s *Service) escalate(ctx context.Context, e *Entry, now time.Time) error {
	day, err := s.dayOf(ctx, e.Shift)
	if err != nil {
		return err
	}
	e.Important, e.EscalatedAt, e.AcknowledgedAt = true, &now, nil
	if day == nil || day.Leader.UserID == "" {
		e.Escalation, e.EscalatedTo, e.EscalatedToName = EscalationUnassigned, "", ""
		return nil
	}
	e.Escalation, e.EscalatedTo, e.EscalatedToName = EscalationPending, day.Leader.UserID, day.Leader.Name
	return nil
}

// line is one dated step of the 处理情况.
func (s *Service) line(p *auth.Principal, text string, at time.Time) string {
	return fmt.Sprintf("%s %s：%s", at.In(s.zone).Format("01-02 15:04"), p.Name, text)
}

// GetEntry returns an entry p may read; otherwise 404.
func (s *Service) GetEntry(ctx context.Context, p *auth.Principal, id string) (EntryView, error) {
	return records.ViewOf(s.logs.Get(ctx, p, id))
}

// Log lists the log p may read, newest call first: filters, and ?q= as
// Chinese full text.
func (s *Service) Log(ctx context.Context, p *auth.Principal, q LogQuery) (EntryPage, error) {
	if !readsLog(p) {
		return EntryPage{}, problem.Forbidden()
	}
	var f []index.Filter
	for field, v := range map[string]string{"kind": q.Kind, "state": q.State, "important": q.Important,
		"escalation": q.Escalation, "shift": q.Shift, "month": q.Month} {
		if v != "" {
			f = append(f, index.Term(field, v))
		}
	}
	if q.Q = strings.TrimSpace(q.Q); q.Q != "" {
		f = append(f, index.Match(fText, q.Q))
	}
	return s.logs.List(ctx, p, records.Query{Sort: "-receivedAt", Size: q.Size, Cursor: q.Cursor, ConsistentWith: q.ConsistentWith}, f...)
}

// readsLog reports whether p is duty staff or a leader, office-wide.
func readsLog(p *auth.Principal) bool {
	return p.Can(auth.PermDutyLog, auth.OfficeWide) || p.Can(auth.PermDutyManage, auth.OfficeWide) || p.Can(auth.PermDutyLead, auth.OfficeWide)
}

// entryStep is one change of an entry, committed with its audit entry.
func (s *Service) entryStep(ctx context.Context, a records.Actor, action, id string, change func(*Entry, time.Time) error) (EntryView, error) {
	return records.ViewOf(s.logs.Step(ctx, a, action, id, func(e *Entry) (map[string]any, error) {
		now := s.logs.Now()
		if err := change(e, now); err != nil {
			return nil, err
		}
		e.UpdatedAt = now
		return map[string]any{"state": e.State, "escalation": e.Escalation}, nil
	}))
}

// Instruct records a leader's 批示: a leader (duty.lead) as themselves, a
// duty officer (duty.log) naming the leader who gave it by phone.
func (s *Service) Instruct(ctx context.Context, a records.Actor, id string, in InstructionInput) (EntryView, error) {
	if err := multiline("instruction", in.Instruction); err != nil {
		return EntryView{}, err
	}
	text := strings.TrimSpace(in.Instruction)
	if text == "" {
		return EntryView{}, problem.Invalid(problem.Field("instruction", "请填写批示内容", "instruction is required"))
	}
	leader := a.P
	if in.Leader != "" && in.Leader != a.P.UserID {
		if !a.P.Can(auth.PermDutyLog, auth.OfficeWide) {
			return EntryView{}, s.logs.Refused(ctx, a, "duty.log.instruct", LogCollection+"/"+id, problem.Forbidden())
		}
		p, err := s.cachedPerson(ctx, map[string]*auth.Principal{}, in.Leader)
		if err != nil {
			return EntryView{}, err
		}
		if p == nil {
			return EntryView{}, problem.Invalid(problem.Field("leader", "查无此人", "no such user"))
		}
		if err := mustHold(p, auth.PermDutyLead, "leader", p.Name+" 不是领导，不能作出批示", "the leader must hold duty.lead"); err != nil {
			return EntryView{}, err
		}
		leader = p
	} else if !a.P.Can(auth.PermDutyLead, auth.OfficeWide) {
		if a.P.Can(auth.PermDutyLog, auth.OfficeWide) {
			return EntryView{}, problem.Invalid(problem.Field("leader", "代记批示须注明批示领导", "name the leader who gave it"))
		}
		return EntryView{}, s.logs.Refused(ctx, a, "duty.log.instruct", LogCollection+"/"+id, problem.Forbidden())
	}
	return s.entryStep(ctx, a, "duty.log.instruct", id, func(e *Entry, now time.Time) error {
		e.Instruction, e.InstructedBy, e.InstructedByName, e.InstructedAt = text, leader.UserID, leader.Name, &now
		if e.Escalation == EscalationPending && e.EscalatedTo == leader.UserID {
			e.Escalation, e.AcknowledgedAt = EscalationAcknowledged, &now // a 批示 is an acknowledgement
		}
		return nil
	})
}

// Acknowledge is the 带班领导 confirming they have read an escalated item.
func (s *Service) Acknowledge(ctx context.Context, a records.Actor, id string) (EntryView, error) {
	return s.entryStep(ctx, a, "duty.log.acknowledge", id, func(e *Entry, now time.Time) error {
		if e.EscalatedTo != a.P.UserID || !a.P.Can(auth.PermDutyLead, auth.OfficeWide) {
			return problem.Forbidden()
		}
		if e.Escalation != EscalationPending {
			return problem.InvalidState("已阅", e.Escalation)
		}
		e.Escalation, e.AcknowledgedAt = EscalationAcknowledged, &now
		return nil
	})
}

// Flag marks an entry important after the fact and escalates it.
func (s *Service) Flag(ctx context.Context, a records.Actor, id string) (EntryView, error) {
	if !a.P.Can(auth.PermDutyLog, auth.OfficeWide) {
		return EntryView{}, s.logs.Refused(ctx, a, "duty.log.flag", LogCollection+"/"+id, problem.Forbidden())
	}
	return s.entryStep(ctx, a, "duty.log.flag", id, func(e *Entry, now time.Time) error {
		if e.Important {
			return problem.InvalidState("已标记为重要事项", "important")
		}
		return s.escalate(ctx, e, now)
	})
}

// Progress adds a step to the 处理情况 and, with Close, ends the matter.
func (s *Service) Progress(ctx context.Context, a records.Actor, id string, in ProgressInput) (EntryView, error) {
	if !a.P.Can(auth.PermDutyLog, auth.OfficeWide) {
		return EntryView{}, s.logs.Refused(ctx, a, "duty.log.progress", LogCollection+"/"+id, problem.Forbidden())
	}
	if err := multiline("action", in.Action); err != nil {
		return EntryView{}, err
	}
	text := strings.TrimSpace(in.Action)
	if text == "" {
		return EntryView{}, problem.Invalid(problem.Field("action", "请填写处理情况", "action is required"))
	}
	return s.entryStep(ctx, a, "duty.log.progress", id, func(e *Entry, now time.Time) error {
		if e.State != EntryOpen {
			return problem.InvalidState("已办结", e.State)
		}
		if e.Action != "" {
			e.Action += "\n"
		}
		e.Action += s.line(a.P, text, now)
		if len([]rune(e.Action)) > 20000 {
			return problem.Invalid(problem.Field("action", "处理情况过长", "the action log is too long"))
		}
		if in.Close {
			e.State, e.ClosedAt, e.ClosedByName = EntryClosed, &now, a.P.Name
		}
		return nil
	})
}
