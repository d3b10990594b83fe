package print

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"zhengwu/officeapi/layout"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/seal"
	"zhengwu/officeapi/workcal"
	"zhengwu/search/feed"
	"zhengwu/shared/attachment"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Documents is what the print room does to a 公文 through officialdoc's
// own service: its 印制 task's approval (done: PrintDone, which officialdoc
// keeps for the print room, refusing the approval through Act) and return
// (a failed proofread: Act). *officialdoc.Service is one.
type Documents interface {
	Act(ctx context.Context, a records.Actor, taskID string, in officialdoc.ActionInput) (officialdoc.View, error)
	PrintDone(ctx context.Context, a records.Actor, taskID, opinion string) (officialdoc.View, error)
}

// File is a stored file as the media store describes it, with its bytes.
type File struct {
	Name string
	Type string
	Size int64
	// UploadedBy is the user id of whoever stored it first.
	UploadedBy string
	Body       io.ReadCloser
}

// Files is the media store (the process wires cms/media's service): a
// document job's file is added to it, an ordinary job's was uploaded to it.
type Files interface {
	// Add stores data as name, uploaded by actor (a user id); it answers
	// the media id.
	Add(ctx context.Context, actor, name string, data []byte) (string, error)
	// Open is a stored file (a 404 problem when there is none).
	Open(ctx context.Context, id string) (File, error)
}

// Render makes the file the print room prints for a document: the GB/T
// 9704 layout, sealed once the seal is wired (seal.Seal around
// layout.RenderWith).
type Render func(ctx context.Context, documentID string) ([]byte, error)

// Verify checks a file's electronic seal: (*seal.Service).Verify, whose
// report the job's seal check keeps as it is.
type Verify func(ctx context.Context, pdf []byte) (seal.Report, error)

// Deps is what the print room needs from the process.
type Deps struct {
	records.Deps
	// Calendar counts a job's due time in working hours (nil: clock hours).
	Calendar workcal.Provider
	// Documents does the 印制 task of a document job. Required.
	Documents Documents
	// Files stores and opens the jobs' files. Required.
	Files Files
	// Render makes a document job's file; nil renders the document
	// unsealed with the system fonts (layout.Render).
	Render Render
	// Verify checks a file's seal. Required: without it no sealed
	// document could pass its seal check.
	Verify Verify
}

// Service is the print room. Its list index's Start, Close and Notify are
// the module table's (Start also starts the intake of documents at 印制);
// the collection stays private, so every write goes through the rules
// here.
type Service struct {
	*feed.ListIndex
	jobs   *records.Collection[Job]
	store  store.Store
	trail  *audit.Trail
	log    *slog.Logger
	cal    workcal.Provider
	docs   Documents
	files  Files
	render Render
	verify Verify

	intake *store.Follower
	stop   context.CancelFunc
	wg     sync.WaitGroup
}

// New opens the collection and its list index; Start feeds it and starts
// the intake.
func New(d Deps) (*Service, error) {
	if d.Documents == nil || d.Files == nil || d.Verify == nil {
		return nil, errors.New("print: Documents, Files and Verify are required")
	}
	c, err := records.Open(records.Config[Job]{Deps: d.Deps, Collection: Collection,
		Noun: records.Noun{Zh: "印制任务", En: "print job"}, Access: AccessOf,
		Mapping: records.MappingOf[Job]("proofread", "sealCheck", "documentReaders", "note", "returnNote", "fileError"),
		Project: project,
		Writes:  func(j *Job) []store.Write { return attachment.Writes(Collection, j.ID, j.files()...) }})
	if err != nil {
		return nil, err
	}
	s := &Service{ListIndex: c.ListIndex, jobs: c, store: d.Store, trail: d.Trail, log: d.Log, cal: d.Calendar,
		docs: d.Documents, files: d.Files, render: d.Render, verify: d.Verify}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.render == nil {
		fonts := layout.SystemFonts()
		s.render = func(ctx context.Context, id string) ([]byte, error) {
			doc, _, err := store.Load[officialdoc.Document](ctx, d.Store, officialdoc.Collection, id)
			if err != nil {
				return nil, err
			}
			return layout.Render(doc, fonts)
		}
	}
	s.intake = s.follower()
	return s, nil
}

// project is a job's fields in the list index, which a list answers: all
// but the checks' records and the document's readers (the job page shows
// those).
func project(j *Job) map[string]any {
	var m map[string]any
	data, err := json.Marshal(j)
	if err != nil || json.Unmarshal(data, &m) != nil {
		return nil
	}
	delete(m, "proofread")
	delete(m, "sealCheck")
	delete(m, "documentReaders")
	return m
}

// Start starts the list index and the intake: documents at 印制 get
// their job before Start returns, later ones as they arrive.
func (s *Service) Start(ctx context.Context) error {
	if err := s.ListIndex.Start(ctx); err != nil {
		return err
	}
	if err := s.intake.CatchUp(ctx); err != nil {
		return err
	}
	ctx, s.stop = context.WithCancel(ctx)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.intake.Run(ctx)
	}()
	return nil
}

// Close stops the intake and the list index.
func (s *Service) Close() error {
	if s.stop != nil {
		s.stop()
		s.wg.Wait()
	}
	return s.ListIndex.Close()
}

// Notify tells the list index and the intake that the store changed.
func (s *Service) Notify() {
	s.ListIndex.Notify()
	s.intake.Notify()
}

// Get returns the job if p may read it; otherwise 404, whether or not it
// exists.
func (s *Service) Get(ctx context.Context, p *auth.Principal, id string) (View, error) {
	return records.ViewOf(s.jobs.Get(ctx, p, id))
}

// dueOf is a job's due time from now: its urgency's working hours on the
// calendar in force.
func (s *Service) dueOf(from time.Time, urgency string) time.Time {
	h := dueHours[urgency]
	if s.cal != nil {
		if t, err := s.cal.Current().AddWorkingHours(from, h); err == nil {
			return t.UTC()
		}
	}
	return from.Add(h)
}

// copyRange is the 份号 range of copies copies from first: none for a
// 非密 job.
func copyRange(j *Job, first int) {
	j.FirstCopy, j.LastCopy = "", ""
	if j.Classification.Classified() && j.Copies > 0 {
		j.FirstCopy, j.LastCopy = fmt.Sprintf("%06d", first), fmt.Sprintf("%06d", first+j.Copies-1)
	}
}

// Send files an ordinary job in the sender's department.
func (s *Service) Send(ctx context.Context, a records.Actor, in SendInput) (View, error) {
	dept, err := records.FilingDepartment(a.P, in.Department)
	if err != nil {
		return View{}, err
	}
	if !a.P.Can(auth.PermOfficeRead, dept) && !a.P.Can(auth.PermPrintOperate, auth.OfficeWide) {
		return View{}, s.jobs.Refused(ctx, a, "print.job.send", Collection+"/"+dept, problem.Forbidden())
	}
	level := in.Classification
	if level == "" {
		level = "非密"
	}
	if !a.P.MayRead(level) {
		return View{}, problem.Invalid(problem.Field("classification", "密级不能高于本人的涉密等级", "above your clearance"))
	}
	if strings.TrimSpace(in.Title) == "" {
		return View{}, problem.Invalid(problem.Field("title", "请填写文件名称", "a title is required"))
	}
	room, err := roomOf(in.Room, "room", level)
	if err != nil {
		return View{}, s.jobs.Refused(ctx, a, "print.job.send", Collection+"/"+dept, err)
	}
	f, err := s.files.Open(ctx, strings.ToLower(in.File))
	if pe := problem.As(err); pe != nil && pe.Status == 404 {
		return View{}, problem.Invalid(problem.Field("file", "文件不存在，请先上传", "no such file: upload it first"))
	}
	if err != nil {
		return View{}, err
	}
	f.Body.Close()
	// Only a file the sender uploaded: the job makes its file readable to
	// the sender, so a media id learnt elsewhere must not become a way to
	// read someone else's file.
	if f.UploadedBy != a.P.UserID {
		return View{}, s.jobs.Refused(ctx, a, "print.job.send", Collection+"/"+dept,
			problem.Invalid(problem.Field("file", "只能发送本人上传的文件，请先上传", "only a file you uploaded may be sent")))
	}
	urgency := in.Urgency
	if urgency == "" {
		urgency = Pingjian
	}
	now := s.jobs.Now()
	j := Job{Kind: KindOrdinary, Title: strings.TrimSpace(in.Title), Department: dept, Classification: level,
		Urgency: urgency, Due: s.dueOf(now, urgency), Copies: in.Copies, Room: room.ID, RoomName: room.Name,
		File: strings.ToLower(in.File), FileName: f.Name, Note: strings.TrimSpace(in.Note), State: StateQueued,
		Sender: a.P.UserID, SenderName: a.P.Name, CreatedAt: now, UpdatedAt: now}
	copyRange(&j, 1)
	return records.ViewOf(s.jobs.Create(ctx, a, "print.job.send", j, map[string]any{"department": dept,
		"classification": string(level), "copies": j.Copies, "room": j.Room, "file": j.File}))
}

// step is one change of a job by the print room (print.operate
// office-wide), committed with its audit entry; a refused step is
// audited too.
func (s *Service) step(ctx context.Context, a records.Actor, action, id string, change func(*Job) (map[string]any, error)) (View, error) {
	return records.ViewOf(s.jobs.Step(ctx, a, action, id, func(j *Job) (map[string]any, error) {
		if !a.P.Can(auth.PermPrintOperate, auth.OfficeWide) {
			return nil, problem.Forbidden()
		}
		details, err := change(j)
		if err != nil {
			return nil, err
		}
		j.UpdatedAt = s.jobs.Now()
		if details == nil {
			details = map[string]any{}
		}
		details["state"] = j.State
		return details, nil
	}))
}

func inState(j *Job, states ...string) error {
	for _, st := range states {
		if j.State == st {
			return nil
		}
	}
	return problem.InvalidState(stateNames[j.State], j.State)
}

// mine refuses a step on a job another operator has claimed, or no one.
func mine(a records.Actor, j *Job) error {
	if err := inState(j, StateClaimed, StatePrinting); err != nil {
		return err
	}
	if j.Operator != a.P.UserID {
		return problem.New(409, "print_claimed_by_other", fmt.Sprintf("该印制任务已由%s领取", j.OperatorName),
			"another operator has claimed the job")
	}
	return nil
}

// Plan sets a job's 份数, first 份号 and room before it is printed: the
// print room's choice, or, while a document's job waits in the queue, the
// registering clerk's (doc.register, who read the document at 登记编号).
func (s *Service) Plan(ctx context.Context, a records.Actor, id string, in PlanInput) (View, error) {
	const action = "print.job.plan"
	if !a.P.Can(auth.PermPrintOperate, auth.OfficeWide) && a.P.CanAnywhere(auth.PermDocRegister) {
		return records.ViewOf(s.jobs.Step(ctx, a, action, id, func(j *Job) (map[string]any, error) {
			if j.Kind != KindDocument {
				return nil, problem.Forbidden()
			}
			if err := inState(j, StateQueued); err != nil {
				return nil, err
			}
			j.UpdatedAt = s.jobs.Now()
			return plan(j, in)
		}))
	}
	return s.step(ctx, a, action, id, func(j *Job) (map[string]any, error) {
		if err := inState(j, StateQueued, StateClaimed); err != nil {
			return nil, err
		}
		if j.State == StateClaimed && j.Operator != a.P.UserID {
			return nil, mine(a, j)
		}
		return plan(j, in)
	})
}

// plan applies a PlanInput to a job: the room (its 密级 allowed), the 份数
// and the 份号 range.
func plan(j *Job, in PlanInput) (map[string]any, error) {
	if in.Room != "" {
		room, err := roomOf(in.Room, "room", j.Classification)
		if err != nil {
			return nil, err
		}
		j.Room, j.RoomName = room.ID, room.Name
	}
	if in.Copies > 0 {
		j.Copies = in.Copies
	}
	first := 1
	if in.FirstCopy > 0 {
		first = in.FirstCopy
	} else if n, err := strconv.Atoi(j.FirstCopy); err == nil && n > 0 {
		first = n
	}
	if j.Classification.Classified() && first+j.Copies-1 > 999999 {
		return nil, problem.Invalid(problem.Field("firstCopy", "份号超出六位数", "copy numbers beyond six digits"))
	}
	copyRange(j, first)
	return map[string]any{"state": j.State, "copies": j.Copies, "room": j.Room, "firstCopy": j.FirstCopy, "lastCopy": j.LastCopy}, nil
}

// Claim gives a queued job to the operator; a second claim is a 409.
func (s *Service) Claim(ctx context.Context, a records.Actor, id string) (View, error) {
	return s.step(ctx, a, "print.job.claim", id, func(j *Job) (map[string]any, error) {
		if j.State == StateClaimed || j.State == StatePrinting {
			return nil, problem.New(409, "print_claimed_by_other", fmt.Sprintf("该印制任务已由%s领取", j.OperatorName),
				"the job is claimed already")
		}
		if err := inState(j, StateQueued); err != nil {
			return nil, err
		}
		j.State, j.Operator, j.OperatorName = StateClaimed, a.P.UserID, a.P.Name
		return nil, nil
	})
}

// Release puts a claimed job back in the queue, its checks kept.
func (s *Service) Release(ctx context.Context, a records.Actor, id string) (View, error) {
	return s.step(ctx, a, "print.job.release", id, func(j *Job) (map[string]any, error) {
		if err := mine(a, j); err != nil {
			return nil, err
		}
		j.State, j.Operator, j.OperatorName = StateQueued, "", ""
		return nil, nil
	})
}
