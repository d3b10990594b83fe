package video

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"

	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/records"
	"zhengwu/search/analysis"
	"zhengwu/search/feed"
	"zhengwu/shared/attachment"
	"zhengwu/shared/auth"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// File is a stored file as the media store describes it: its type and
// size are sniffed and measured there, never taken from the client.
type File struct {
	ID   string
	Name string
	Type string
	Size int64
}

// Files is the media store as the library uses it.
type Files interface {
	// Describe describes a stored file; ok=false when there is none.
	Describe(ctx context.Context, id string) (f File, ok bool, err error)
	// Open reads a stored file's bytes.
	Open(ctx context.Context, id string) (io.ReadCloser, error)
	// Add stores a file made here (a poster) as the actor's, returning its
	// id (the same content is stored once).
	Add(ctx context.Context, a records.Actor, name string, content io.Reader) (string, error)
}

// Deps is what the library needs from the process.
type Deps struct {
	records.Deps
	Files  Files
	Prober Prober
	// Notify tells the people a video is shown to by name that it is
	// there (nil sends nothing).
	Notify notify.Sender
}

// Service is the video library. Its list index's Start, Close and Notify
// are the module table's; the collection stays private.
type Service struct {
	*feed.ListIndex
	videos *records.Collection[Video]
	deps   Deps
	log    *slog.Logger
}

// New opens the collection and its list index; Start feeds it.
func New(d Deps) (*Service, error) {
	if d.Files == nil {
		return nil, errors.New("video: Files is required")
	}
	c, err := records.Open(records.Config[Video]{Deps: d.Deps, Collection: Collection,
		Noun: records.Noun{Zh: "视频", En: "video"}, Access: AccessOf,
		Mapping: records.MappingOf[Video]().FullText(fText, analysis.Analyzer, false), Project: project,
		Writes: func(v *Video) []store.Write { return attachment.Writes(Collection, v.ID, v.MediaIDs()...) }})
	if err != nil {
		return nil, err
	}
	log := d.Log
	if log == nil {
		log = slog.Default()
	}
	return &Service{ListIndex: c.ListIndex, videos: c, deps: d, log: log}, nil
}

// Get returns the video if p may see it; otherwise 404, whether or not it
// exists.
func (s *Service) Get(ctx context.Context, p *auth.Principal, id string) (View, error) {
	return records.ViewOf(s.videos.Get(ctx, p, id))
}

// checkDetails refuses what the validate tags cannot: a 密级 above the
// writer's clearance, a custom audience naming no one.
func checkDetails(p *auth.Principal, d *Details) error {
	d.Title, d.Speaker, d.Description = strings.TrimSpace(d.Title), strings.TrimSpace(d.Speaker), strings.TrimSpace(d.Description)
	switch {
	case d.Title == "":
		return problem.Invalid(problem.Field("title", "请填写标题", "title is required"))
	case !p.Clearance.Covers(d.Classification):
		return problem.Invalid(problem.Field("classification", "密级不得高于本人的涉密等级", "above your clearance"))
	case d.Audience == AudienceCustom && len(d.Departments)+len(d.People) == 0:
		return problem.Invalid(problem.Field("departments", "请选择可观看的处室或人员", "name the departments or people who may watch"))
	case d.Audience == AudienceOffice:
		d.Departments, d.People = nil, nil
	}
	d.Departments, d.People = compact(d.Departments), compact(d.People)
	return nil
}

func compact(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// Add puts an uploaded file in the library: the file must be an MP4 or
// WebM video in the media store. Its poster and duration are made here
// (ffmpeg), or a placeholder and "unknown" with the reason.
func (s *Service) Add(ctx context.Context, a records.Actor, in Input) (View, error) {
	dept, err := records.FilingDepartment(a.P, in.Department)
	if err != nil {
		return View{}, err
	}
	if !a.P.Can(auth.PermVideoManage, dept) {
		return View{}, s.videos.Refused(ctx, a, "video.create", Collection+"/"+dept, problem.Forbidden())
	}
	if err := checkDetails(a.P, &in.Details); err != nil {
		return View{}, err
	}
	f, ok, err := s.deps.Files.Describe(ctx, in.MediaID)
	switch {
	case err != nil:
		return View{}, err
	case !ok:
		return View{}, problem.Invalid(problem.Field("mediaId", "视频文件不存在，请先上传", "no such uploaded file"))
	case f.Type != TypeMP4 && f.Type != TypeWebM:
		return View{}, s.videos.Refused(ctx, a, "video.create", Collection+"/"+dept,
			problem.Invalid(problem.Field("mediaId", "只能上传 MP4 或 WebM 格式的视频（按文件内容识别）", "only MP4 or WebM video (detected from the content)")))
	}
	duration, posterID, note, err := s.poster(ctx, a, f)
	if err != nil {
		return View{}, err
	}
	now := s.videos.Now()
	v := Video{Details: in.Details, Department: dept, MediaID: f.ID, Type: f.Type, Size: f.Size,
		PosterID: posterID, Duration: duration, PosterNote: note, State: StatePublished,
		Uploader: a.P.UserID, UploaderName: a.P.Name, CreatedAt: now, UpdatedAt: now}
	v, doc, err := s.videos.Create(ctx, a, "video.create", v, map[string]any{"title": v.Title, "media": f.ID,
		"classification": v.Classification, "audience": v.Audience, "departments": v.Departments, "people": v.People})
	if err == nil {
		s.tell(ctx, a, v)
	}
	return View{Document: v, Version: doc.Version, Seq: doc.Seq}, err
}

// poster probes the file: its duration and a poster frame stored in the
// media store, or the placeholder and why.
func (s *Service) poster(ctx context.Context, a records.Actor, f File) (float64, string, string, error) {
	duration, png, note := 0.0, []byte(nil), NoFFmpegNote
	if s.deps.Prober.Available() {
		r, err := s.deps.Files.Open(ctx, f.ID)
		if err != nil {
			return 0, "", "", err
		}
		duration, png, err = s.deps.Prober.Probe(ctx, r)
		_ = r.Close()
		if err != nil {
			s.log.Warn("video: ffmpeg could not probe the file; a placeholder poster", "media", f.ID, "err", err)
			duration, png, note = 0, nil, ProbeFailedNote
		} else {
			note = ""
		}
	}
	name := "封面.png"
	if png == nil {
		png, name = PlaceholderPoster(), "占位封面.png"
	}
	id, err := s.deps.Files.Add(ctx, a, name, bytes.NewReader(png))
	return duration, id, note, err
}

// tell notifies the people the video is shown to by name.
func (s *Service) tell(ctx context.Context, a records.Actor, v Video) {
	if s.deps.Notify == nil || v.Audience != AudienceCustom || len(v.People) == 0 {
		return
	}
	err := s.deps.Notify.Send(ctx, notify.Notice{Recipients: v.People, Kind: notify.KindSystem,
		Title: "新视频可观看：" + v.Title, Body: v.Category, Link: Link(v.ID), Key: "video:" + v.ID,
		Classification: v.Classification, Actor: a.P.UserID})
	if err != nil {
		s.log.Error("video: notice not sent", "video", v.ID, "err", err)
	}
}

// Link is the SPA path of a video's player.
func Link(id string) string { return "/office/videos/" + id }

// Edit changes a video's details at the version the manager read.
func (s *Service) Edit(ctx context.Context, a records.Actor, id string, in Update) (View, error) {
	v, _, err := s.videos.Get(ctx, a.P, id)
	if err != nil {
		return View{}, err
	}
	if !a.P.Can(auth.PermVideoManage, v.Department) {
		return View{}, s.videos.Refused(ctx, a, "video.update", Collection+"/"+id, problem.Forbidden())
	}
	if err := checkDetails(a.P, &in.Details); err != nil {
		return View{}, err
	}
	v.Details, v.UpdatedAt = in.Details, s.videos.Now()
	return records.ViewOf(s.videos.Put(ctx, a, "video.update", v, in.Version, map[string]any{"title": v.Title,
		"classification": v.Classification, "audience": v.Audience, "departments": v.Departments, "people": v.People}))
}

// Withdraw takes a video off the library (下架): only its managers see it
// after; Restore puts it back.
func (s *Service) Withdraw(ctx context.Context, a records.Actor, id string) (View, error) {
	return s.setState(ctx, a, "video.withdraw", id, StatePublished, StateWithdrawn)
}

// Restore puts a withdrawn video back (重新上架).
func (s *Service) Restore(ctx context.Context, a records.Actor, id string) (View, error) {
	return s.setState(ctx, a, "video.restore", id, StateWithdrawn, StatePublished)
}

func (s *Service) setState(ctx context.Context, a records.Actor, action, id, from, to string) (View, error) {
	return records.ViewOf(s.videos.Step(ctx, a, action, id, func(v *Video) (map[string]any, error) {
		if !a.P.Can(auth.PermVideoManage, v.Department) {
			return nil, problem.Forbidden()
		}
		if v.State != from {
			return nil, problem.InvalidState(stateNames[v.State], v.State)
		}
		v.State, v.UpdatedAt = to, s.videos.Now()
		return map[string]any{"state": to}, nil
	}))
}

var stateNames = map[string]string{StatePublished: "已上架", StateWithdrawn: "已下架"}
