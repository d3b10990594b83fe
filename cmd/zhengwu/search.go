package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"zhengwu/cms/media"
	"zhengwu/search/reindex"
	"zhengwu/search/source"
	"zhengwu/shared/config"
	"zhengwu/shared/store"
)

// mediaReader gives search the bytes of portal attachments, whichever
// process holds the media service: it reads the same store (or media
// directory) directly.
func mediaReader(st store.Store, cfg config.Config) (source.Media, error) {
	var blobs media.Blobs
	if cfg.MediaDir != "" {
		b, err := media.NewDiskBlobs(cfg.MediaDir)
		if err != nil {
			return nil, err
		}
		blobs = b
	}
	md := media.New(media.Deps{Store: st, Blobs: blobs, TempDir: filepath.Join(cfg.Data, "tmp")})
	return source.MediaFunc(func(ctx context.Context, id string) (io.ReadCloser, error) {
		rec, err := md.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		return md.Open(ctx, rec)
	}), nil
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
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	m, err := mediaReader(st, cfg)
	if err != nil {
		return err
	}
	dir, err := reindex.RunWith(ctx, st, cfg.Data, scope, reindex.ProgressBar(stderr, 40),
		reindex.Options{Portal: source.PortalDeps{Media: m}})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "search index %q rebuilt in %s; a running server switches to it within seconds\n", scope, dir)
	return nil
}
