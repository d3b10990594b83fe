package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"zhengwu/cms"
	"zhengwu/cms/item"
	"zhengwu/gateway"
	"zhengwu/gateway/gatewayhttp"
	"zhengwu/officeapi"
	"zhengwu/officeapi/archive"
	"zhengwu/officeapi/archive/archivehttp"
	"zhengwu/officeapi/assistant"
	"zhengwu/officeapi/assistant/assistanthttp"
	"zhengwu/officeapi/chat"
	"zhengwu/officeapi/chat/chathttp"
	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/desktop/desktophttp"
	"zhengwu/officeapi/duty"
	"zhengwu/officeapi/duty/dutyhttp"
	"zhengwu/officeapi/flowadmin"
	"zhengwu/officeapi/flowadmin/flowadminhttp"
	"zhengwu/officeapi/forum"
	"zhengwu/officeapi/forum/forumhttp"
	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/identity/identityhttp"
	"zhengwu/officeapi/info"
	"zhengwu/officeapi/info/infohttp"
	"zhengwu/officeapi/leave"
	"zhengwu/officeapi/leave/leavehttp"
	"zhengwu/officeapi/mail"
	"zhengwu/officeapi/mail/mailhttp"
	"zhengwu/officeapi/meeting"
	"zhengwu/officeapi/meeting/meetinghttp"
	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/notify/notifyhttp"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/officialdoc/officialdochttp"
	"zhengwu/officeapi/print"
	"zhengwu/officeapi/print/printhttp"
	"zhengwu/officeapi/records"
	"zhengwu/officeapi/reminder"
	"zhengwu/officeapi/schedule"
	"zhengwu/officeapi/schedule/schedulehttp"
	"zhengwu/officeapi/seal"
	"zhengwu/officeapi/seal/sealhttp"
	"zhengwu/officeapi/video"
	"zhengwu/officeapi/video/videohttp"
	"zhengwu/search/analytics"
	"zhengwu/search/searchapi"
	"zhengwu/search/searchapi/searchhttp"
	"zhengwu/search/source"
	"zhengwu/shared/attachment"
	"zhengwu/shared/auth"
	"zhengwu/shared/openapi"
	"zhengwu/shared/problem"
)

// The binary's HTTP APIs. Each module serves one (its routes go under the
// API's base and into its description); an API's description and docs
// page are served by the processes that run its target.
var apis = []httpAPI{
	{name: "office", target: "officeapi", base: officeapi.Base, describe: officeapi.API},
	{name: "portal", target: "cms", base: cms.Base, describe: cms.API},
	{name: "search", target: "search", base: searchhttp.Base, describe: searchhttp.API},
}

// httpAPI is one HTTP API: how its description is assembled from the
// routes mounted under its base.
type httpAPI struct {
	name, target, base string
	describe           func(routes []openapi.Route) openapi.API
}

// The module table: every capability the binary can run, in the order
// they are built and started (stopped in reverse). A module names the
// --target that runs it and the modules it needs built first; --target
// picks modules, and their needs come along (the gateway needs the portal's
// content service, say, whatever the targets say). This is the pattern of
// Grafana Loki and Mimir's -target.
//
// Adding a capability is one entry here (docs/adding-a-capability.md).
var modules = []module{
	// First: official documents' 公文查询 runs on the office search index
	// (a module needs those before it in the table).
	{name: "search", target: "search", api: "search", build: func(ctx context.Context, p *parts) (running, error) {
		var scopes []string // both
		if !p.cfg.Runs("search") {
			// Built for 公文查询 alone: the office index, no portal items.
			scopes = []string{source.OfficeName}
		}
		s, err := searchapi.New(searchapi.Deps{Store: p.store, DataDir: p.cfg.Data,
			Logger: p.log, Projections: p.projections(), Scopes: scopes, ReconcileEvery: p.cfg.SearchReconcileInterval,
			ReleaseEvery: cmp.Or(p.cfg.SearchReleaseInterval, -1), // 0: never
			// A merge after a bulk catch-up leaves its garbage: give it back,
			// as serve does after the start's catch-up.
			Merged: debug.FreeOSMemory})
		if err != nil {
			return running{}, err
		}
		p.search = s
		p.store.Subscribe(s.Notify)
		start := func(ctx context.Context) error {
			// The PDF reader compiles once per machine (≈ 3.5 s, then
			// cached): prepare it beside the start, not at the first PDF.
			go func() {
				if err := source.StartPDFReader(ctx); err != nil && ctx.Err() == nil {
					p.log.Warn("the PDF reader did not start; attachments are indexed without their text", "err", err)
				}
			}()
			return s.Start(ctx)
		}
		p.queryLog = analytics.NewLog(p.store, p.log, p.now)
		return running{routes: searchhttp.LoggedRoutes(s, p.tokens, analytics.Searches{Log: p.queryLog}),
			collectors: append(append(s.Collectors(), source.ExtractCollectors()...), p.queryLog.Collectors()...),
			start:      start,
			stop:       func() error { return errors.Join(p.queryLog.Close(), s.Close()) }}, nil
	}},
	{name: "identity", target: "officeapi", api: "office", build: func(ctx context.Context, p *parts) (running, error) {
		p.identity = identity.New(p.store, p.trail, p.tokens, p.policy(), p.now)
		return running{routes: identityhttp.Routes(p.identity, p.tokens, p.trail)}, nil
	}},
	// The notification inbox (消息提醒): right after identity, so that the
	// modules that send notices are built after it (they take p.notices()
	// in their Deps) and --demo's seeding, in this table's order, fills the
	// demo inboxes through the writers' own calls. Its retention sweep
	// runs under a lease (--notification-retention).
	{name: "notify", target: "officeapi", api: "office", needs: []string{"identity"},
		build: func(ctx context.Context, p *parts) (running, error) {
			s, err := notify.New(notify.Deps{Deps: p.records("office-notify"), Recipients: notify.RecipientsOf(p.identity),
				Leases: p.leases(), Retention: p.cfg.NotificationRetention})
			if err != nil {
				return running{}, err
			}
			p.notify = s
			p.store.Subscribe(s.Notify)
			sweepStart, sweepStop := background(p, "notification retention sweep", s.Run)
			start := func(ctx context.Context) error {
				if err := s.Start(ctx); err != nil {
					return err
				}
				return sweepStart(ctx)
			}
			stop := func() error { err := sweepStop(); return errors.Join(err, s.Close()) }
			return running{routes: notifyhttp.Routes(s, p.tokens), start: start, stop: stop, desktop: s}, nil
		}},
	{name: "info", target: "officeapi", api: "office", needs: []string{"identity"},
		search: func(*parts) []source.Projection { return []source.Projection{info.SearchProjection()} },
		media: func(p *parts) map[string]attachment.Rule {
			return map[string]attachment.Rule{info.Collection: info.MediaRule(p.store)}
		},
		build: func(ctx context.Context, p *parts) (running, error) {
			s, err := info.New(info.Deps{Deps: p.records("office-info"), Media: p.infoMedia, Department: p.identity.DepartmentExists})
			if err != nil {
				return running{}, err
			}
			p.info = s
			p.store.Subscribe(s.Notify)
			return running{routes: infohttp.Routes(s, p.tokens), start: s.Start, stop: s.Close, desktop: s,
				demo: func(ctx context.Context) (int, error) { return s.SeedDemo(ctx, p.identity.PrincipalByUsername) }}, nil
		}},
	{name: "leave", target: "officeapi", api: "office", needs: []string{"identity"},
		build: func(ctx context.Context, p *parts) (running, error) {
			s, err := leave.New(p.records("office-leave"))
			if err != nil {
				return running{}, err
			}
			p.store.Subscribe(s.Notify)
			return running{routes: leavehttp.Routes(s, p.tokens), start: s.Start, stop: s.Close, desktop: s,
				demo: func(ctx context.Context) (int, error) { return s.SeedDemo(ctx, p.identity.PrincipalByUsername) }}, nil
		}},
	// Duty (值班): rosters, swaps, the log, handover, the monthly summary.
	{name: "duty", target: "officeapi", api: "office", needs: []string{"identity"},
		build: func(ctx context.Context, p *parts) (running, error) {
			s, err := duty.New(duty.Deps{Deps: p.records("office-duty"), Directory: p.identity})
			if err != nil {
				return running{}, err
			}
			p.store.Subscribe(s.Notify)
			return running{routes: dutyhttp.Routes(s, p.tokens), start: s.Start, stop: s.Close, desktop: s,
				demo: func(ctx context.Context) (int, error) { return s.SeedDemo(ctx, p.identity.PrincipalByUsername) }}, nil
		}},
	// The flow definitions and the working calendar, kept by the business
	// administrator; the calendar in force (edits included) is the one the
	// workflow engine counts on.
	{name: "flowadmin", target: "officeapi", api: "office",
		build: func(ctx context.Context, p *parts) (running, error) {
			deps := flowadmin.Deps{Store: p.store, Trail: p.trail, Now: p.now}
			flows, err := flowadmin.NewFlows(deps)
			if err != nil {
				return running{}, err
			}
			cal, err := flowadmin.NewCalendar(ctx, deps)
			if err != nil {
				return running{}, err
			}
			p.calendar = cal.Live()
			return running{routes: flowadminhttp.Routes(flows, cal, p.tokens), start: cal.Start}, nil
		}},
	{name: "officialdoc", target: "officeapi", api: "office", needs: []string{"identity", "search", "flowadmin"},
		search: func(p *parts) []source.Projection {
			return []source.Projection{officialdoc.SearchProjection(officialdoc.SearchDeps{Media: p.searchMedia(), Describe: p.searchFile, Logger: p.log})}
		},
		media: func(p *parts) map[string]attachment.Rule {
			return map[string]attachment.Rule{officialdoc.Collection: officialdoc.MediaRule(p.store)}
		},
		build: func(ctx context.Context, p *parts) (running, error) {
			s, err := officialdoc.New(officialdoc.Deps{Deps: p.records("office-officialdoc"), Calendar: p.calendar, Holders: p.identity.Holders,
				Account: p.identity.User, Departments: p.identity.Departments, Notify: p.notices()})
			if err != nil {
				return running{}, err
			}
			p.officialdoc = s
			p.store.Subscribe(s.Notify)
			// 公文查询 first: GET /documents/search before /documents/{id}.
			routes := append(officialdochttp.SearchRoutes(officialdoc.NewSearch(s, p.search), p.tokens), officialdochttp.Routes(s, p.tokens)...)
			// The printed form, in the office's fonts (--document-fonts) or the stand-ins.
			routes = append(routes, officialdochttp.PDFRoutes(s, p.tokens, p.fonts, p.documentFiles)...)
			return running{routes: routes, start: s.Start, stop: s.Close, desktop: s,
				demo: func(ctx context.Context) (int, error) { return s.SeedDemo(ctx, p.identity.PrincipalByUsername) }}, nil
		}},
	{name: "seal", target: "officeapi", api: "office", needs: []string{"identity"},
		build: func(ctx context.Context, p *parts) (running, error) {
			s, err := seal.New(seal.Deps{Store: p.store, Trail: p.trail, Master: p.master, Departments: p.identity.Departments,
				Font: p.fonts.Hei, Now: p.now, Log: p.log})
			if err != nil {
				return running{}, err
			}
			p.seal = s
			// GET /documents/{id}/pdf/verify checks the print job's sealed
			// file; the print room is built after the seal (it seals).
			sealed := func(ctx context.Context, pr *auth.Principal, id string) ([]byte, error) {
				if p.print == nil {
					return nil, problem.NotFound("该公文尚无印制文件", "the document has no print file yet")
				}
				return p.print.SealedFile(ctx, pr, id)
			}
			return running{routes: sealhttp.Routes(s, p.tokens, sealed),
				demo: func(ctx context.Context) (int, error) { return s.SeedDemo(ctx, p.identity.PrincipalByUsername) }}, nil
		}},
	// The print room: jobs for the documents at 印制 (its intake follows
	// the feed), the departments' ordinary jobs. After the seal: --demo
	// seeds in this table's order, so the units' demo keys exist before
	// the print room's demo seals the files of the documents at 印制.
	{name: "print", target: "officeapi", api: "office", needs: []string{"identity", "flowadmin", "officialdoc", "seal"},
		media: func(p *parts) map[string]attachment.Rule {
			return map[string]attachment.Rule{print.Collection: print.MediaRule(p.store)}
		},
		build: func(ctx context.Context, p *parts) (running, error) {
			// The media store receives files through its temporary
			// directory, which the portal makes where it runs (not with
			// --target officeapi alone).
			if err := os.MkdirAll(filepath.Join(p.cfg.Data, "tmp"), 0o750); err != nil {
				return running{}, err
			}
			s, err := print.New(print.Deps{Deps: p.records("office-print"), Calendar: p.calendar, Documents: p.officialdoc,
				Files: printFiles{p.files}, Render: printedFile(p), Verify: p.seal.Verify})
			if err != nil {
				return running{}, err
			}
			p.print = s
			p.store.Subscribe(s.Notify)
			return running{routes: printhttp.Routes(s, p.tokens), start: s.Start, stop: s.Close, desktop: s,
				demo: func(ctx context.Context) (int, error) { return s.SeedDemo(ctx, p.identity.PrincipalByUsername) }}, nil
		}},
	// The leaders' weekly schedule (领导活动): no search projection, so that
	// nothing of it reaches the office search (its readers are decided by
	// schedule.view, not by the index's reader tokens). Its Busy is the
	// meetings' conflict check of leaders' activities (wired there).
	{name: "schedule", target: "officeapi", api: "office", needs: []string{"identity"},
		build: func(ctx context.Context, p *parts) (running, error) {
			s, err := schedule.New(p.records("office-schedule"))
			if err != nil {
				return running{}, err
			}
			s.Fonts = p.fonts
			s.Notices = p.notices()
			p.schedule = s
			p.store.Subscribe(s.Notify)
			return running{routes: schedulehttp.Routes(s, p.tokens), start: s.Start, stop: s.Close, desktop: s,
				demo: func(ctx context.Context) (int, error) { return s.SeedDemo(ctx, p.identity.PrincipalByUsername) }}, nil
		}},
	// Meetings: minutes start 公文 (officialdoc); a key attendee's leader
	// schedule entries are booking conflicts (schedule's Busy).
	{name: "meeting", target: "officeapi", api: "office", needs: []string{"identity", "officialdoc", "schedule"},
		media: func(p *parts) map[string]attachment.Rule {
			return map[string]attachment.Rule{meeting.Collection: meeting.MediaRule(p.store)}
		},
		build: func(ctx context.Context, p *parts) (running, error) {
			s, err := meeting.New(meeting.Deps{Deps: p.records("office-meeting"), People: meeting.PeopleOf(p.identity),
				DepartmentName: meeting.DepartmentNamesOf(p.identity), Minutes: p.officialdoc.Create,
				Busy: leaderBusy(p.schedule), Notify: p.notices()})
			if err != nil {
				return running{}, err
			}
			p.meeting = s
			p.store.Subscribe(s.Notify)
			return running{routes: meetinghttp.Routes(s, p.tokens, p.fonts), start: s.Start, stop: s.Close, desktop: s,
				demo: func(ctx context.Context) (int, error) { return s.SeedDemo(ctx, p.identity.PrincipalByUsername) }}, nil
		}},
	// The archive: 归档 of finished 公文, the catalogue, appraisal, the
	// fixity check (scheduled under a lease, --fixity-interval) and the
	// export package. Parts are kept in the media store.
	{name: "archive", target: "officeapi", api: "office", needs: []string{"identity", "search", "officialdoc", "print"},
		search: func(*parts) []source.Projection { return []source.Projection{archive.SearchProjection()} },
		media: func(p *parts) map[string]attachment.Rule {
			return map[string]attachment.Rule{archive.Collection: archive.MediaRule(p.store)}
		},
		build: func(ctx context.Context, p *parts) (running, error) {
			pdf := archivedFile(p)
			s, err := archive.New(archive.Deps{Deps: p.records("office-archive"), Docs: p.officialdoc, Files: archiveFiles{p.files}, Search: p.search,
				PDF: pdf, Leases: p.leases(), Interval: p.cfg.FixityInterval})
			if err != nil {
				return running{}, err
			}
			p.store.Subscribe(s.Notify)
			runStart, runStop := background(p, "archive fixity check", s.Run)
			start := func(ctx context.Context) error {
				if err := s.Start(ctx); err != nil {
					return err
				}
				return runStart(ctx)
			}
			stop := func() error { err := runStop(); return errors.Join(err, s.Close()) }
			return running{routes: archivehttp.Routes(s, p.tokens), start: start, stop: stop,
				demo: func(ctx context.Context) (int, error) { return s.SeedDemo(ctx, p.identity) }}, nil
		}},
	// Video on demand: the library's files and posters are in the media
	// store (downloads with Range decided by video.MediaRule); posters and
	// durations come from ffmpeg (--ffmpeg) when the process has it.
	{name: "video", target: "officeapi", api: "office", needs: []string{"identity"},
		search: func(*parts) []source.Projection { return []source.Projection{video.SearchProjection()} },
		media: func(p *parts) map[string]attachment.Rule {
			return map[string]attachment.Rule{video.Collection: video.MediaRule(p.store)}
		},
		build: func(ctx context.Context, p *parts) (running, error) {
			prober, err := video.FindProber(p.cfg.FFmpeg)
			if err != nil {
				p.log.Warn("video posters are placeholders", "err", err)
			}
			s, err := video.New(video.Deps{Deps: p.records("office-video"), Files: videoFiles{p.files}, Prober: prober, Notify: p.notices()})
			if err != nil {
				return running{}, err
			}
			p.store.Subscribe(s.Notify)
			return running{routes: videohttp.Routes(s, p.tokens), start: s.Start, stop: s.Close, desktop: s,
				demo: func(ctx context.Context) (int, error) { return s.SeedDemo(ctx, p.identity.PrincipalByUsername) }}, nil
		}},
	// Instant messaging: chats over a WebSocket; each process follows the
	// feed and pushes new messages to the members connected to it.
	{name: "chat", target: "officeapi", api: "office", needs: []string{"identity"},
		media: func(p *parts) map[string]attachment.Rule {
			return map[string]attachment.Rule{chat.MessagesCollection: chat.MediaRule(p.store)}
		},
		build: func(ctx context.Context, p *parts) (running, error) {
			s, err := chat.New(chat.Deps{Deps: p.records("office-chat"), People: chat.PeopleOf(p.identity), Notify: p.notices(),
				Media: func(ctx context.Context, id string) (int64, bool, error) {
					a, ok, err := p.infoMedia(ctx, id)
					return a.Size, ok, err
				}})
			if err != nil {
				return running{}, err
			}
			hub := chat.NewHub(s)
			p.store.Subscribe(s.Notify)
			p.store.Subscribe(hub.Notify)
			runStart, runStop := background(p, "chat hub", hub.Run)
			start := func(ctx context.Context) error {
				if err := s.Start(ctx); err != nil {
					return err
				}
				if err := hub.Start(ctx); err != nil {
					return err
				}
				return runStart(ctx)
			}
			stop := func() error { err := runStop(); return errors.Join(err, s.Close()) }
			return running{routes: chathttp.Routes(s, hub, p.tokens), start: start, stop: stop,
				demo: func(ctx context.Context) (int, error) { return s.SeedDemo(ctx, p.identity.PrincipalByUsername) }}, nil
		}},
	// Internal mail (内部邮件): mailboxes, drafts, receipts, recall, groups;
	// the assistant makes to-dos from a mail through it (Describe).
	{name: "mail", target: "officeapi", api: "office", needs: []string{"identity"},
		search: func(*parts) []source.Projection { return []source.Projection{mail.SearchProjection()} },
		media: func(p *parts) map[string]attachment.Rule {
			return map[string]attachment.Rule{mail.Messages: mail.MediaRule(p.store)}
		},
		build: func(ctx context.Context, p *parts) (running, error) {
			s, err := mail.New(mail.Deps{Deps: p.records("office-mail"), Directory: p.identity, Media: p.mailMedia, Notify: p.notices(),
				MaxClassification: p.cfg.MailMaxClassification, Quota: p.cfg.MailQuota})
			if err != nil {
				return running{}, err
			}
			p.mail = s
			p.store.Subscribe(s.Notify)
			return running{routes: mailhttp.Routes(s, p.tokens), start: s.Start, stop: s.Close, desktop: s,
				demo: func(ctx context.Context) (int, error) {
					return s.SeedDemo(ctx, p.identity.PrincipalByUsername, p.mailDemoFile)
				}}, nil
		}},
	// The forum (论坛): office-wide and department boards, threads with
	// their replies, moderation, mentions; threads in office search.
	{name: "forum", target: "officeapi", api: "office", needs: []string{"identity"},
		search: func(*parts) []source.Projection { return []source.Projection{forum.SearchProjection()} },
		build: func(ctx context.Context, p *parts) (running, error) {
			// Notify: the inbox (officeapi/notify) once it is built; nil sends nothing.
			s, err := forum.New(forum.Deps{Deps: p.records("office-forum"), People: forum.PeopleOf(p.identity), Notify: p.notices()})
			if err != nil {
				return running{}, err
			}
			p.store.Subscribe(s.Notify)
			return running{routes: forumhttp.Routes(s, p.tokens), start: s.Start, stop: s.Close, desktop: s,
				demo: func(ctx context.Context) (int, error) {
					depts, err := p.identity.Departments(ctx)
					if err != nil {
						return 0, err
					}
					return s.SeedDemo(ctx, p.identity.PrincipalByUsername, depts)
				}}, nil
		}},
	// The personal assistant (个人助理): calendar with the person's meetings
	// and the published leaders' schedule laid over it, to-dos (also from a
	// 公文 task or a mail), notes, the contacts directory; its
	// reminders are swept under a lease.
	{name: "assistant", target: "officeapi", api: "office", needs: []string{"identity", "officialdoc", "meeting", "schedule", "mail"},
		build: func(ctx context.Context, p *parts) (running, error) {
			s, err := assistant.New(assistant.Deps{Deps: p.records("office-assistant"), Org: p.identity, Notify: p.notices(),
				Linkers:  map[string]assistant.Linker{"task": assistant.TaskLinker(p.officialdoc), "mail": p.mail.Describe},
				Overlays: map[string]assistant.Overlay{assistant.KindMeeting: assistant.MeetingOverlay(p.meeting), assistant.KindLeader: assistant.LeaderOverlay(p.schedule)},
				Leases:   p.leases()})
			if err != nil {
				return running{}, err
			}
			p.store.Subscribe(s.Notify)
			runStart, runStop := background(p, "assistant reminders", s.Run)
			start := func(ctx context.Context) error {
				if err := s.Start(ctx); err != nil {
					return err
				}
				return runStart(ctx)
			}
			stop := func() error { err := runStop(); return errors.Join(err, s.Close()) }
			return running{routes: assistanthttp.Routes(s, p.tokens), start: start, stop: stop, desktop: s,
				demo: func(ctx context.Context) (int, error) { return s.SeedDemo(ctx, p.identity.PrincipalByUsername) }}, nil
		}},
	// Search analytics (搜索分析): the weekly reports of the search log,
	// the click report, the editable synonym list (put in force in every
	// process within a poll) and the log's retention sweep.
	{name: "search-analytics", target: "search", api: "search", needs: []string{"search"}, build: searchAnalytics},
	{name: "reminder", target: "officeapi", api: "office", needs: []string{"identity"},
		build: func(ctx context.Context, p *parts) (running, error) {
			s := reminderScheduler(p)
			desk := reminder.NewDesk(p.store, officialdoc.Link)
			start, stop := background(p, "reminder scheduler", s.Run)
			return running{desktop: desk, start: start, stop: stop}, nil
		}},
	{name: "desktop", target: "officeapi", api: "office", needs: []string{"identity"},
		build: func(ctx context.Context, p *parts) (running, error) {
			p.desktop = desktop.Of(p.desktopSources)
			hub := &desktop.Hub{Store: p.store, Sources: p.desktopSources, Logger: p.log, Revoked: p.tokens.Revocations().Sync}
			p.store.Subscribe(hub.Notify)
			routes := append(desktophttp.Routes(p.desktop, p.tokens), desktophttp.Events(hub, p.tokens)...)
			return running{routes: routes, start: hub.Start,
				stop: func() error { hub.Stop(); return nil }}, nil
		}},
	{name: "portal", target: "cms", api: "portal",
		search: func(p *parts) []source.Projection {
			return []source.Projection{item.SearchProjection(item.SearchDeps{Store: p.store, Media: p.searchMedia(), Logger: p.log})}
		},
		build: func(ctx context.Context, p *parts) (running, error) {
			s, err := cms.New(ctx, cms.Deps{Store: p.store, Trail: p.trail, Tokens: p.tokens, DataDir: p.cfg.Data,
				Logger: p.log, MediaDir: p.cfg.MediaDir, UploadLimit: int64(p.cfg.UploadLimit), MediaRules: p.mediaRules(),
				Leases: p.leases()})
			if err != nil {
				return running{}, err
			}
			p.portal = s
			p.store.Subscribe(s.Content.Notify)
			p.store.Subscribe(s.Delivery.Notify)
			return running{
				// The portal's routes are mounted only where the cms target
				// runs; the gateway builds this module for its content
				// service alone.
				routes:     s.Routes(),
				collectors: s.Delivery.Collectors(),
				start:      s.Start, stop: s.Close, demo: s.SeedDemo,
			}, nil
		}},
	// The gateway is a singleton under a lease (--lease-ttl): with two
	// gateway processes one moves items and the other stands by; each
	// term begins with a reconciliation pass.
	{name: "gateway", target: "gateway", api: "office", needs: []string{"portal"},
		build: func(ctx context.Context, p *parts) (running, error) {
			g, err := gateway.New(gateway.Deps{Office: p.store, Portal: p.portal.Content, Trail: p.trail,
				Channels: p.portal.Channels, Logger: p.log, Leases: p.leases()})
			if err != nil {
				return running{}, err
			}
			start, stop := background(p, "gateway", g.Run)
			return running{routes: gatewayhttp.Routes(g, p.tokens), collectors: g.Collectors(), start: start, stop: stop}, nil
		}},
}

// module is one entry of the table.
type module struct {
	name   string
	target string
	// api is the name of the API (apis) whose routes the module serves.
	api   string
	needs []string
	// build makes the capability's service from the parts built so far
	// and records it in p for the modules that need it.
	build func(ctx context.Context, p *parts) (running, error)
	// search gives the capability's search projections. It is asked of
	// every module in the table, built here or not: a search process
	// indexes every capability's documents.
	search func(p *parts) []source.Projection
	// media gives the capability's rules for the files its documents
	// attach, by collection; asked of every module, like search: the
	// process that serves downloads decides them all.
	media func(p *parts) map[string]attachment.Rule
}

// running is a built module: what it mounts and what runs in the
// background.
type running struct {
	// routes go under the module's API's base and into its description.
	routes     []openapi.Route
	collectors []prometheus.Collector
	// desktop is set when the capability puts things on desktops.
	desktop desktop.Source
	// demo seeds the module's demo data through its own service calls
	// (--demo), before start; it returns how much it added, and adds
	// nothing a second time.
	demo func(ctx context.Context) (int, error)
	// start runs the background work until ctx ends; it returns once the
	// module can serve (its indexes caught up).
	start func(ctx context.Context) error
	stop  func() error
}

// selected are the modules a configuration runs, with their needs, in
// table order.
func selected(runs func(target string) bool) ([]module, error) {
	want := map[string]bool{}
	byName := map[string]module{}
	for _, m := range modules {
		byName[m.name] = m
	}
	var add func(name string, depth int) error
	add = func(name string, depth int) error {
		m, ok := byName[name]
		if !ok {
			return fmt.Errorf("module %q is needed but not in the table", name)
		}
		if depth > len(modules) {
			return fmt.Errorf("module %q needs itself", name)
		}
		want[name] = true
		for _, n := range m.needs {
			if err := add(n, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	for _, m := range modules {
		if runs(m.target) {
			if err := add(m.name, 0); err != nil {
				return nil, err
			}
		}
	}
	var out []module
	for i, m := range modules {
		if !want[m.name] {
			continue
		}
		for _, n := range m.needs {
			if slices.IndexFunc(modules[:i], func(x module) bool { return x.name == n }) < 0 {
				return nil, fmt.Errorf("module %s needs %s, which comes after it in the table", m.name, n)
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// indexDir is where a capability's list index lives.
func (p *parts) indexDir(name string) string { return filepath.Join(p.cfg.Data, "index", name) }

// records is what an office capability's records.Collection needs, its
// list index in the index directory's folder name.
func (p *parts) records(index string) records.Deps {
	return records.Deps{Store: p.store, Trail: p.trail, Now: p.now, Log: p.log, IndexDir: p.indexDir(index)}
}

// leaderBusy is the leader schedule's engagements as a meeting booking's
// conflicts. The title says only that the leader is engaged: whoever books
// a meeting need not hold schedule.view, so what the activity is stays in
// the schedule.
func leaderBusy(s *schedule.Service) meeting.Busy {
	return func(ctx context.Context, userIDs []string, from, to time.Time) ([]meeting.Conflict, error) {
		es, err := s.Busy(ctx, userIDs, from, to)
		out := make([]meeting.Conflict, len(es))
		for i, e := range es {
			out[i] = meeting.Conflict{Kind: "schedule", UserID: e.UserID, Name: e.LeaderName, Title: "已有领导活动安排",
				StartAt: e.Start, EndAt: e.End, ID: e.EntryID}
		}
		return out, err
	}
}
