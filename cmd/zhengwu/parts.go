package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"time"

	"zhengwu/cms"
	"zhengwu/cms/media"
	"zhengwu/officeapi/desktop"
	"zhengwu/officeapi/identity"
	"zhengwu/officeapi/info"
	"zhengwu/officeapi/layout"
	"zhengwu/officeapi/mail"
	"zhengwu/officeapi/meeting"
	"zhengwu/officeapi/notify"
	"zhengwu/officeapi/officialdoc"
	"zhengwu/officeapi/print"
	"zhengwu/officeapi/reminder"
	"zhengwu/officeapi/schedule"
	"zhengwu/officeapi/seal"
	"zhengwu/officeapi/workcal"
	"zhengwu/search/analytics"
	"zhengwu/search/searchapi"
	"zhengwu/search/source"
	"zhengwu/shared/attachment"
	"zhengwu/shared/lease"
	"zhengwu/shared/problem"
)

// parts are what a process builds: the runtime's shared pieces and, as
// the modules are built, their services, for the modules that need them.
type parts struct {
	*runtime
	now func() time.Time

	identity *identity.Service
	info     *info.Service
	// officialdoc is official documents (the print room acts on their 印制
	// task, meetings start their minutes, 纪要, as outgoing documents, the
	// archive takes in the finished ones).
	officialdoc *officialdoc.Service
	desktop     *desktop.Service
	portal      *cms.Service
	search      *searchapi.Service
	// queryLog is the search log the search API writes (search analytics).
	queryLog *analytics.Log
	// seal signs printed documents (the print room's file).
	seal *seal.Service
	// schedule is the leaders' weekly schedule (meetings check its Busy).
	schedule *schedule.Service
	// meeting and mail are read by the personal assistant (its calendar's
	// overlay, its to-dos made from a mail).
	meeting *meeting.Service
	mail    *mail.Service
	// print is the print room (the seal's verification reads its files).
	print *print.Service
	// calendar is the working calendar in force, edits included
	// (flowadmin): what the workflow engine counts deadlines on.
	calendar *workcal.Live

	// table is the module table (modules), for the contributions asked
	// of every module; built are the modules built so far, in order.
	table []module
	built []running
	// files reads the media store (whichever process serves uploads).
	files *media.Service
	// fonts are the printed documents' typefaces: the office's own
	// (--document-fonts) over the Debian stand-ins, read once for every
	// module that lays out or seals a document.
	fonts layout.Fonts

	// notify is the notification inbox (nil when not built: notices()).
	notify *notify.Service

	// holder names this process in every lease it contends for;
	// leaseMetrics are those leases' gauges and counters (leases()).
	holder       string
	leaseMetrics *lease.Metrics
}

func newParts(rt *runtime) (*parts, error) {
	files, err := mediaStore(rt.store, rt.cfg)
	if err != nil {
		return nil, err
	}
	fonts, err := layout.SystemFonts().With(rt.cfg.DocumentFonts)
	if err != nil {
		return nil, err
	}
	return &parts{runtime: rt, now: time.Now, files: files, fonts: fonts, table: modules,
		holder: processName(), leaseMetrics: lease.NewMetrics()}, nil
}

// leases is how a singleton of this process contends for its lease: the
// process's holder name, --lease-ttl, the process's lease metrics.
func (p *parts) leases() *lease.Leases {
	return &lease.Leases{Store: p.store, Holder: p.holder, TTL: p.cfg.LeaseTTL, Metrics: p.leaseMetrics, Logger: p.log}
}

// notices is the inbox as the writers' Sender: nil, not a nil
// *notify.Service in an interface, when the inbox is not built.
func (p *parts) notices() notify.Sender {
	if p.notify == nil {
		return nil
	}
	return p.notify
}

func (p *parts) policy() identity.Policy {
	return p.cfg.Policy
}

// desktopSources are the built modules that contribute to desktops.
func (p *parts) desktopSources() []desktop.Source {
	var out []desktop.Source
	for _, r := range p.built {
		if r.desktop != nil {
			out = append(out, r.desktop)
		}
	}
	return out
}

// projections are every module's search projections, built here or not.
func (p *parts) projections() []source.Projection {
	var out []source.Projection
	for _, m := range p.table {
		if m.search != nil {
			out = append(out, m.search(p)...)
		}
	}
	return out
}

// mediaRules are every module's rules for its files, built here or not
// (the portal adds its own).
func (p *parts) mediaRules() map[string]attachment.Rule {
	out := map[string]attachment.Rule{}
	for _, m := range p.table {
		if m.media != nil {
			for c, r := range m.media(p) {
				out[c] = r
			}
		}
	}
	return out
}

// infoMedia describes a stored file for an information item's attachment.
func (p *parts) infoMedia(ctx context.Context, id string) (info.Attachment, bool, error) {
	rec, err := p.files.Get(ctx, id)
	if pe := problem.As(err); pe != nil && pe.Status == 404 {
		return info.Attachment{}, false, nil
	}
	if err != nil {
		return info.Attachment{}, false, err
	}
	return info.Attachment{MediaID: rec.ID, Name: rec.Name, Size: rec.Size, Type: rec.Type}, true, nil
}

// searchMedia gives search the bytes of attachments.
func (p *parts) searchMedia() source.Media {
	return source.MediaFunc(func(ctx context.Context, id string) (io.ReadCloser, error) {
		rec, err := p.files.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		return p.files.Open(ctx, rec)
	})
}

// searchFile names an attachment for search (its name and type), so that
// a hit can say which file matched.
func (p *parts) searchFile(ctx context.Context, id string) (source.File, error) {
	rec, err := p.files.Get(ctx, id)
	if err != nil {
		return source.File{}, err
	}
	return source.File{MediaID: rec.ID, Name: rec.Name, Type: rec.Type}, nil
}

// background runs fn beside the server from the module's start until the
// background context ends; stop waits for it to return (a failure other
// than the end is logged).
func background(p *parts, name string, fn func(ctx context.Context) error) (start func(ctx context.Context) error, stop func() error) {
	done := make(chan struct{})
	started := false
	start = func(ctx context.Context) error {
		started = true
		go func() {
			defer close(done)
			if err := fn(ctx); err != nil && ctx.Err() == nil {
				p.log.Error(name+" stopped", "err", err)
			}
		}()
		return nil
	}
	stop = func() error {
		if started {
			<-done
		}
		return nil
	}
	return start, stop
}

// processName names this process among others on one store (a lease's
// holder): host, process id and a random suffix, so a restarted process
// is a new contender.
func processName() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s/%d/%x", host, os.Getpid(), b)
}

// reminderScheduler is the process's reminder scheduler: the lease's
// contender named by the process, the leader from the organisation.
func reminderScheduler(p *parts) *reminder.Scheduler {
	now := p.now
	if reminderClock != nil {
		now = reminderClock
	}
	return &reminder.Scheduler{Store: p.store, Trail: p.trail, Tasks: &reminder.DueIndex{Store: p.store},
		Leader: reminder.Leaders(p.identity), Interval: p.cfg.ReminderInterval, Now: now, Logger: p.log,
		Leases: p.leases(), Notify: p.notices(), Link: officialdoc.Link}
}

// reminderClock, when set (by a test, before newServer), is the reminder
// scheduler's clock: the demo's tasks fall due by moving it on, while the
// documents keep the real time.
var reminderClock func() time.Time
