package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"zhengwu/cms/media"
	"zhengwu/search/reindex"
	"zhengwu/shared/config"
	"zhengwu/shared/store"
)

// mediaStore reads the media store, whichever process serves uploads: it
// opens the same store (or media directory) directly.
func mediaStore(st store.Store, cfg config.Config) (*media.Service, error) {
	var blobs media.Blobs
	if cfg.MediaDir != "" {
		b, err := media.NewDiskBlobs(cfg.MediaDir)
		if err != nil {
			return nil, err
		}
		blobs = b
	}
	// Uploads are received there: made here too, not only by the portal
	// (cms.New), since the office's archive stores its parts in a process
	// that may run without the portal.
	tmp := filepath.Join(cfg.Data, "tmp")
	if err := os.MkdirAll(tmp, 0o750); err != nil {
		return nil, err
	}
	return media.New(media.Deps{Store: st, Blobs: blobs, TempDir: tmp}), nil
}

// searchReindex rebuilds a search index from the store into a new
// directory while a running server keeps serving the old one, then points
// the server at the new one (it swaps within a few seconds).
func searchReindex(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) string) error {
	scope := "portal"
	var rest []string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--scope" || a == "-scope":
			if i+1 >= len(args) {
				return errors.New("--scope needs a value: portal or office")
			}
			scope, i = args[i+1], i+1
		case strings.HasPrefix(a, "--scope=") || strings.HasPrefix(a, "-scope="):
			_, scope, _ = strings.Cut(a, "=")
		default:
			rest = append(rest, a)
		}
	}
	if scope != "portal" && scope != "office" {
		return fmt.Errorf("--scope %q: want portal or office", scope)
	}
	cfg, err := config.Parse(rest, env, stderr)
	if err != nil {
		return err
	}
	rt, err := openRuntime(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer rt.Close()
	p, err := newParts(rt)
	if err != nil {
		return err
	}
	dir, err := reindex.RunWith(ctx, rt.store, cfg.Data, scope, reindex.ProgressBar(stderr, 40),
		reindex.Options{Projections: p.projections(), Logger: rt.log})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "search index %q rebuilt in %s; a running server switches to it within seconds\n", scope, dir)
	return nil
}
