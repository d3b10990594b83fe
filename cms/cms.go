// Package cms is the government information portal's headless content
// service (政务信息网), mounted under /api/portal/v1. Its capabilities are
// folders: channel (the tree), content (documents, editions, review,
// scheduling; contenthttp: the management API), delivery (the public
// reads, answered from the query side; deliveryhttp), media (attachments
// and images; mediahttp) and demo (demo content). Each HTTP layer lists
// its routes with their descriptions; api.go assembles the portal API
// from them.
package cms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"zhengwu/cms/channel"
	"zhengwu/cms/content"
	"zhengwu/cms/delivery"
	"zhengwu/cms/item"
	"zhengwu/cms/media"
	"zhengwu/shared/attachment"
	"zhengwu/shared/audit"
	"zhengwu/shared/auth"
	"zhengwu/shared/lease"
	"zhengwu/shared/problem"
	"zhengwu/shared/store"
)

// Deps is what the portal (every service of cms) needs from the process.
type Deps struct {
	Store  store.Store
	Trail  *audit.Trail
	Tokens *auth.Tokens
	Now    func() time.Time
	// DataDir holds the service's indexes (DataDir/index/...); each node
	// keeps its own and rebuilds them from the store when missing.
	DataDir string
	Logger  *slog.Logger
	// MediaDir keeps uploaded files on disk; empty = in the store.
	MediaDir string
	// UploadLimit is the largest uploaded file in bytes.
	UploadLimit int64
	// SchedulerInterval is how often scheduled publications and
	// withdrawals are applied (default 1 s).
	SchedulerInterval time.Duration
	// Leases, if set, makes the scheduler a singleton among processes
	// (every cms and gateway process builds this service): it runs only
	// while this process holds SchedulerLease. Its changes are
	// compare-and-sets that two nodes would apply once anyway; the lease
	// saves the others' index scans and gives the scheduled changes one
	// actor at a time. Nil: it runs here at once.
	Leases *lease.Leases
	// MediaRules are other capabilities' rules for the files their
	// documents attach (info items', say), by collection; the portal's
	// own are added.
	MediaRules map[string]attachment.Rule
}

// Service is the portal content service.
type Service struct {
	Channels *channel.Tree
	Content  *content.Service
	Delivery *delivery.Service
	Media    *media.Service
	deps     Deps
	clock    *clock
	wg       sync.WaitGroup
}

// New seeds the standard channels (idempotent) and opens the indexes.
func New(ctx context.Context, d Deps) (*Service, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	clk := &clock{base: d.Now}
	d.Now = clk.Now
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.SchedulerInterval <= 0 {
		d.SchedulerInterval = time.Second
	}
	if err := os.MkdirAll(filepath.Join(d.DataDir, "tmp"), 0o750); err != nil {
		return nil, err
	}
	tree, err := channel.Seed(ctx, d.Store)
	if err != nil {
		return nil, fmt.Errorf("cms: seed channels: %w", err)
	}
	var blobs media.Blobs // nil: chunked documents in the store
	if d.MediaDir != "" {
		if blobs, err = media.NewDiskBlobs(d.MediaDir); err != nil {
			return nil, err
		}
	}
	rules := MediaRules(d.Store, tree)
	for c, r := range d.MediaRules {
		rules[c] = r
	}
	md := media.New(media.Deps{Store: d.Store, Blobs: blobs, Trail: d.Trail, Now: d.Now, MaxSize: d.UploadLimit,
		TempDir: filepath.Join(d.DataDir, "tmp"), Rules: rules})
	ct, err := content.New(content.Deps{Store: d.Store, Trail: d.Trail, Channels: tree, Now: d.Now,
		IndexDir: filepath.Join(d.DataDir, "index", "cms-documents"), Logger: d.Logger,
		MediaInfo: MediaInfo(md)})
	if err != nil {
		return nil, err
	}
	dl, err := delivery.New(delivery.Deps{Store: d.Store, Channels: tree, Now: d.Now,
		IndexDir: filepath.Join(d.DataDir, "index", "portal-items"), Logger: d.Logger})
	if err != nil {
		_ = ct.Close()
		return nil, err
	}
	return &Service{Channels: tree, Content: ct, Delivery: dl, Media: md, deps: d, clock: clk}, nil
}

// Start brings the indexes up to date with the store, then runs the feed
// consumers and the scheduler until ctx ends. It returns once the indexes
// have caught up, so lists are complete when the server starts serving.
func (s *Service) Start(ctx context.Context) error {
	if err := s.Content.CatchUp(ctx); err != nil {
		return fmt.Errorf("cms: catch up the documents index: %w", err)
	}
	if err := s.Delivery.CatchUp(ctx); err != nil {
		return fmt.Errorf("cms: catch up the items index: %w", err)
	}
	// Repairing scans every document: do it beside the server, not in
	// front of it; the consumers index whatever it rewrites.
	s.run(ctx, "repair of published items", func(ctx context.Context) error {
		n, err := s.Content.RepairItems(ctx)
		if n > 0 {
			s.deps.Logger.Warn("repaired published items left behind by an interrupted write", "count", n)
		}
		return err
	})
	s.run(ctx, "documents consumer", s.Content.Run)
	s.run(ctx, "items consumer", s.Delivery.Run)
	s.run(ctx, "scheduler", s.schedule)
	return nil
}

func (s *Service) run(ctx context.Context, name string, fn func(context.Context) error) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := fn(ctx); err != nil && !errors.Is(err, context.Canceled) {
			s.deps.Logger.Error("cms: background task stopped", "task", name, "err", err)
		}
	}()
}

// SchedulerLease is the scheduler's lease (Deps.Leases).
const SchedulerLease = "cms-scheduler"

// schedule applies due scheduled publications and withdrawals, under the
// scheduler's lease when there is one.
func (s *Service) schedule(ctx context.Context) error {
	if s.deps.Leases == nil {
		return s.scheduleLoop(ctx)
	}
	err := s.deps.Leases.Run(ctx, SchedulerLease, func(ctx context.Context, _ lease.Lease) error {
		return s.scheduleLoop(ctx)
	})
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// scheduleLoop applies what is due every SchedulerInterval until ctx ends.
func (s *Service) scheduleLoop(ctx context.Context) error {
	t := time.NewTicker(s.deps.SchedulerInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if n, err := s.Content.RunDue(ctx); err != nil && ctx.Err() == nil {
				s.deps.Logger.Error("cms: scheduled changes failed", "err", err)
			} else if n > 0 {
				s.deps.Logger.Info("cms: applied scheduled changes", "count", n)
			}
		}
	}
}

// Close waits for the background tasks (cancel Start's context first) and
// closes the indexes.
func (s *Service) Close() error {
	s.wg.Wait()
	return errors.Join(s.Content.Close(), s.Delivery.Close())
}

// UploadPaths are the routes that take file uploads (the larger body limit).
var UploadPaths = []string{Base + "/media"}

// MediaInfo lets content check that a cover or attachment exists and fill
// in its name, size and type.
func MediaInfo(md *media.Service) func(context.Context, string) (item.Attachment, bool, error) {
	return func(ctx context.Context, id string) (item.Attachment, bool, error) {
		rec, err := md.Get(ctx, id)
		if p := problem.As(err); p != nil && p.Status == 404 {
			return item.Attachment{}, false, nil
		}
		if err != nil {
			return item.Attachment{}, false, err
		}
		return item.Attachment{MediaID: rec.ID, Name: rec.Name, Size: rec.Size, Type: rec.Type}, true, nil
	}
}
