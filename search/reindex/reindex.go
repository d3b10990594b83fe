// Package reindex rebuilds a search index from the store into a new
// directory while the running server keeps serving the old one, then
// switches by atomically replacing a pointer file that names the live
// directory. The search service watches the pointer and swaps (see
// searchapi.Service.Swap).
//
// Layout under <data>/index:
//
//	search-portal               the first index (no pointer file yet)
//	search-portal.1764100000    a rebuilt index
//	search-portal.current       pointer: the live directory's name
package reindex

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"zhengwu/search/feed"
	"zhengwu/search/index"
	"zhengwu/search/source"
	"zhengwu/shared/store"
)

// IndexDir is the folder of the search indexes under the data directory.
func IndexDir(dataDir string) string { return filepath.Join(dataDir, "index") }

// BaseName is the directory name of a scope's first index ("search-portal").
func BaseName(scope string) string { return "search-" + scope }

// PointerFile is the path of the scope's pointer file.
func PointerFile(dataDir, scope string) string {
	return filepath.Join(IndexDir(dataDir), BaseName(scope)+".current")
}

// Current is the directory the scope's live index is in: the one the
// pointer file names, or the base directory when there is no pointer.
func Current(dataDir, scope string) (string, error) {
	raw, err := os.ReadFile(PointerFile(dataDir, scope))
	if errors.Is(err, os.ErrNotExist) {
		return filepath.Join(IndexDir(dataDir), BaseName(scope)), nil
	}
	if err != nil {
		return "", err
	}
	name := strings.TrimSpace(string(raw))
	if !validName(scope, name) {
		return "", fmt.Errorf("reindex: pointer %s names %q, not an index of scope %s", PointerFile(dataDir, scope), name, scope)
	}
	return filepath.Join(IndexDir(dataDir), name), nil
}

func validName(scope, name string) bool {
	if name == BaseName(scope) {
		return true
	}
	ts, ok := strings.CutPrefix(name, BaseName(scope)+".")
	if !ok {
		return false
	}
	_, err := strconv.ParseInt(ts, 10, 64)
	return err == nil
}

// SetCurrent atomically makes dir (a directory under IndexDir) the live
// index of the scope: it writes the pointer to a temporary file, syncs it
// and renames it over the pointer.
func SetCurrent(dataDir, scope, dir string) error {
	name := filepath.Base(dir)
	if !validName(scope, name) || filepath.Dir(filepath.Clean(dir)) != filepath.Clean(IndexDir(dataDir)) {
		return fmt.Errorf("reindex: %s is not an index directory of scope %s", dir, scope)
	}
	ptr := PointerFile(dataDir, scope)
	tmp, err := os.CreateTemp(filepath.Dir(ptr), filepath.Base(ptr)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(name + "\n"); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), ptr); err != nil {
		return err
	}
	// Make the rename itself durable.
	if d, err := os.Open(filepath.Dir(ptr)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// Stale lists the scope's index directories older than the live one dir
// (the base directory, and rebuilt ones with an earlier timestamp): left
// over from a swap that no server finished. A rebuild in progress is
// newer than the live index, so it is never listed.
func Stale(dataDir, scope, dir string) ([]string, error) {
	live := filepath.Base(dir)
	liveTS := timestamp(scope, live)
	entries, err := os.ReadDir(IndexDir(dataDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() || n == live || !validName(scope, n) {
			continue
		}
		if ts := timestamp(scope, n); ts < liveTS {
			out = append(out, filepath.Join(IndexDir(dataDir), n))
		}
	}
	return out, nil
}

// timestamp of an index directory name; the base directory is 0.
func timestamp(scope, name string) int64 {
	ts, _ := strconv.ParseInt(strings.TrimPrefix(name, BaseName(scope)+"."), 10, 64)
	return ts
}

// Options of RunWith.
type Options struct {
	// Projections are what the indexes hold (the search service's); the
	// scope's own make the rebuilt index.
	Projections []source.Projection
	Logger      *slog.Logger
	// Now names the new directory (unix seconds); default time.Now.
	Now func() time.Time
}

// RunWith is Run with options; it returns the new live directory.
//
// The new index records as its checkpoint the store's last feed sequence
// from before the scan began, then catches up with the feed after it, so
// that no write made during the rebuild is missed; the serving process's
// consumer continues from there after the swap.
func RunWith(ctx context.Context, st store.Store, dataDir, scope string, progress func(done, total int), opt Options) (string, error) {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	if scope != source.PortalName && scope != source.OfficeName {
		return "", fmt.Errorf("reindex: unknown scope %q (portal or office)", scope)
	}
	src, err := source.New(scope, opt.Logger, opt.Projections...)
	if err != nil {
		return "", err
	}
	live, err := Current(dataDir, scope)
	if err != nil {
		return "", err
	}
	ts := opt.Now().Unix()
	if lt := timestamp(scope, filepath.Base(live)); ts <= lt {
		ts = lt + 1 // always newer than the live one, so Stale never lists it
	}
	dir := filepath.Join(IndexDir(dataDir), BaseName(scope)+"."+strconv.FormatInt(ts, 10))
	if _, err := os.Stat(dir); err == nil {
		return "", fmt.Errorf("reindex: %s exists already", dir)
	}
	if err := build(ctx, st, src, dir, progress); err != nil {
		_ = os.RemoveAll(dir)
		return "", err
	}
	if err := SetCurrent(dataDir, scope, dir); err != nil {
		_ = os.RemoveAll(dir)
		return "", err
	}
	opt.Logger.Info("search index rebuilt and made live", "scope", scope, "dir", dir)
	return dir, nil
}

// scanPage is the documents a rebuild reads and indexes at a time, as a
// feed step does (feed.DefaultBatchSize).
const scanPage = feed.DefaultBatchSize

func build(ctx context.Context, st store.Store, src *source.Source, dir string, progress func(done, total int)) (err error) {
	ix, err := index.Open(dir, source.Mapping())
	if err != nil {
		return err
	}
	defer func() {
		// Close waits until the index is on disk before it goes live.
		if cerr := ix.Close(); err == nil {
			err = cerr
		}
	}()
	start, err := st.LastSeq(ctx)
	if err != nil {
		return err
	}
	total := 0
	for _, coll := range src.Collections() {
		n, err := count(ctx, st, coll)
		if err != nil {
			return err
		}
		total += n
	}
	// The server's consumer makes the documents, so that they carry the
	// ids it would give them, and then catches up with the feed.
	c := src.Consumer(st, ix)
	done := 0
	progress(done, total)
	for _, coll := range src.Collections() {
		after := ""
		for {
			docs, err := st.Scan(ctx, coll, after, scanPage)
			if err != nil {
				return fmt.Errorf("reindex: scan %s: %w", coll, err)
			}
			var b index.Batch
			for _, d := range docs {
				if u, ok := c.Upsert(d); ok {
					b.Upserts = append(b.Upserts, u)
				}
			}
			b.Checkpoint = start
			if err := ix.Apply(b); err != nil {
				return err
			}
			done += len(docs)
			progress(min(done, max(total, done)), max(total, done))
			if len(docs) < scanPage {
				break
			}
			after = docs[len(docs)-1].ID
		}
	}
	if err := ix.Apply(index.Batch{Checkpoint: start}); err != nil {
		return err
	}
	// Writes made during the scan: from the feed, as the server would.
	if err := c.CatchUp(ctx); err != nil {
		return err
	}
	// One segment before it goes live (index.ForceMerge): the server
	// serves the old index meanwhile, so the rebuild merges at its leisure.
	return ix.ForceMerge(ctx)
}

func count(ctx context.Context, st store.Store, coll string) (int, error) {
	n, after := 0, ""
	for {
		docs, err := st.Scan(ctx, coll, after, 1000)
		if err != nil {
			return 0, fmt.Errorf("reindex: count %s: %w", coll, err)
		}
		n += len(docs)
		if len(docs) < 1000 {
			return n, nil
		}
		after = docs[len(docs)-1].ID
	}
}

// ProgressBar returns a progress callback that draws a one-line text bar
// on w ("\r[#####.....]  52% 1040/2000"), redrawn when the percentage
// changes, and ends the line when done reaches total.
func ProgressBar(w io.Writer, width int) func(done, total int) {
	if width <= 0 {
		width = 40
	}
	last := -1
	return func(done, total int) {
		pct := 100
		if total > 0 {
			pct = done * 100 / total
		}
		if pct == last {
			return
		}
		last = pct
		filled := width * pct / 100
		fmt.Fprintf(w, "\r[%s%s] %3d%% %d/%d", strings.Repeat("#", filled), strings.Repeat(".", width-filled), pct, done, total)
		if done >= total {
			fmt.Fprintln(w)
		}
	}
}
