package bulkimport

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"zhengwu/cms"
	"zhengwu/cms/channel"
	"zhengwu/cms/content"
	"zhengwu/cms/media"
	"zhengwu/shared/audit"
	"zhengwu/shared/store"
)

// Deps are what an import's services are built on: the deployment's
// store, as `zhengwu serve` opens it.
type Deps struct {
	Store       store.Store
	Trail       *audit.Trail
	DataDir     string // the deployment's --data (a scratch folder is made under tmp/)
	MediaDir    string // the deployment's --media-dir ("" = files in the store)
	UploadLimit int64  // the deployment's --upload-limit (0 = media's default)
	Logger      *slog.Logger
	// DryRun takes the standard channels missing from the store without
	// writing them (channel.Seeded).
	DryRun bool
}

// Services are the portal's services as an import uses them, beside a
// server that may be running on the same store.
type Services struct {
	Portal   *content.Service
	Media    *media.Service
	Channels *channel.Tree
	scratch  string
}

// Open builds the content and media services on d.Store. The content
// service's management index goes to a scratch folder, removed by Close:
// an import only writes, and a running server's own index (which the
// server holds locked) follows those writes through the store's feed.
func Open(ctx context.Context, d Deps) (*Services, error) {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	tmp := filepath.Join(d.DataDir, "tmp")
	if err := os.MkdirAll(tmp, 0o750); err != nil {
		return nil, err
	}
	scratch, err := os.MkdirTemp(tmp, "import-")
	if err != nil {
		return nil, err
	}
	load := channel.Seed // as the portal does when it starts
	if d.DryRun {
		load = channel.Seeded
	}
	tree, err := load(ctx, d.Store)
	if err != nil {
		os.RemoveAll(scratch)
		return nil, fmt.Errorf("channels: %w", err)
	}
	var blobs media.Blobs
	if d.MediaDir != "" {
		if blobs, err = media.NewDiskBlobs(d.MediaDir); err != nil {
			os.RemoveAll(scratch)
			return nil, err
		}
	}
	md := media.New(media.Deps{Store: d.Store, Blobs: blobs, Trail: d.Trail, Now: time.Now, MaxSize: d.UploadLimit, TempDir: scratch})
	ct, err := content.New(content.Deps{Store: d.Store, Trail: d.Trail, Channels: tree, Now: time.Now,
		IndexDir: filepath.Join(scratch, "index"), Logger: d.Logger, MediaInfo: cms.MediaInfo(md)})
	if err != nil {
		os.RemoveAll(scratch)
		return nil, err
	}
	return &Services{Portal: ct, Media: md, Channels: tree, scratch: scratch}, nil
}

// Close closes the scratch index and removes it.
func (s *Services) Close() error {
	err := s.Portal.Close()
	if rmErr := os.RemoveAll(s.scratch); err == nil {
		err = rmErr
	}
	return err
}
