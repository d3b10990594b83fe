package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"zhengwu/shared/auth"
	"zhengwu/shared/backup"
	"zhengwu/shared/config"
	"zhengwu/shared/kek"
	"zhengwu/shared/store/sqlitestore"
)

// dbFile is the embedded store's file's name in an archive (on disk it is
// cfg.SQLitePath(): --sqlite-file, else in the data directory).
const dbFile = "zhengwu.db"

// backupCommand writes a consistent backup of a data directory, which a
// running server may be writing to: the store's snapshot (with its feed
// position), the media kept on disk (--media-dir), the master key if it
// lives in the data directory, and a checksum manifest. The indexes
// (<data>/index) are derived from the store and left out: serve rebuilds
// a missing index from the feed at start.
func backupCommand(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) string) error {
	out, rest, err := takeFlag(args, "out")
	if err != nil {
		return err
	}
	if out == "" {
		return errors.New("backup: --out FILE is required (FILE.tar, or FILE.tar.gz to compress)")
	}
	cfg, err := config.Parse(rest, env, stderr)
	if err != nil {
		return err
	}
	// The snapshot is written beside the archive (same file system, so no
	// second disk's worth of space elsewhere) in a directory only we read.
	tmp, err := os.MkdirTemp(filepath.Dir(out), ".zhengwu-backup-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	snap := filepath.Join(tmp, dbFile)
	engine := "sqlite"
	if cfg.MongoURI != "" {
		engine = "mongodb"
		if err := dumpMongo(ctx, cfg, snap, stderr); err != nil {
			return err
		}
	} else {
		db := cfg.SQLitePath()
		if _, err := os.Stat(db); err != nil {
			return fmt.Errorf("backup: no database in --data %s: %w", cfg.Data, err)
		}
		fmt.Fprintln(stderr, "backup: taking a snapshot of the store…")
		if err := sqlitestore.Snapshot(ctx, db, snap); err != nil {
			return err
		}
	}
	contents, err := sqlitestore.Inspect(ctx, snap)
	if err != nil {
		return err
	}
	m := backup.Manifest{CreatedAt: time.Now().UTC(), Version: version, Store: engine,
		FeedSeq: contents.FeedSeq, Collections: contents.Collections, MasterKey: "external", Media: "store"}
	sources := []backup.Source{{Name: dbFile, Path: snap}}
	// The master key decrypts the token signing keys in the store: kept in
	// the data directory, it must come along or the restore cannot start.
	if cfg.MasterKey.IsZero() && cfg.KeyFile == "" {
		if key := filepath.Join(cfg.Data, kek.DefaultFileName); fileExists(key) {
			sources = append(sources, backup.Source{Name: kek.DefaultFileName, Path: key})
			m.MasterKey = "included"
		}
	}
	// Media files are listed after the snapshot: every file it refers to
	// was stored before its document, so it is on disk now (files added
	// since are harmless extras). Names are content addresses: each file
	// is copied once, whatever refers to it.
	if cfg.MediaDir != "" {
		m.Media = "disk"
		media, err := mediaFiles(cfg.MediaDir)
		if err != nil {
			return err
		}
		sources = append(sources, media...)
	}
	m, err = backup.Write(ctx, out, m, sources, stderr)
	if err != nil {
		return err
	}
	var bytes int64
	for _, f := range m.Files {
		bytes += f.Size
	}
	fmt.Fprintf(stdout, "backup written to %s: %d files, %d bytes, feed position %d, %d documents in %d collections; master key %s\n",
		out, len(m.Files), bytes, m.FeedSeq, sum(m.Collections), len(m.Collections), m.MasterKey)
	return nil
}

// mediaFiles lists the blobs of a media directory (media.DiskBlobs:
// <dir>/<key[:2]>/<key>), skipping its temporary files.
func mediaFiles(dir string) ([]backup.Source, error) {
	var out []backup.Source
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") || !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		out = append(out, backup.Source{Name: "media/" + filepath.ToSlash(rel), Path: path, MayVanish: true})
		return nil
	})
	return out, err
}

// restoreCommand brings a backup back into an empty data directory (and
// an empty --media-dir when the backup holds media files), after checking
// every checksum; `zhengwu serve --data DIR` then rebuilds the indexes.
func restoreCommand(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) string) (err error) {
	in, rest, err := takeFlag(args, "in")
	if err != nil {
		return err
	}
	if in == "" {
		return errors.New("restore: --in FILE is required (an archive `zhengwu backup` wrote)")
	}
	cfg, err := config.Parse(rest, env, stderr)
	if err != nil {
		return err
	}
	if cfg.MongoURI != "" {
		return restoreMongo(ctx, in, cfg, stdout, stderr)
	}
	if err := mustBeEmpty("--data", cfg.Data); err != nil {
		return err
	}
	if _, err := os.Stat(cfg.SQLitePath()); err == nil {
		return fmt.Errorf("restore: --sqlite-file %s exists: restore writes a new store, never over one", cfg.SQLitePath())
	}
	m, err := backup.Verify(ctx, in, stderr)
	if err != nil {
		return err
	}
	if m.Store != "sqlite" && m.Store != "mongodb" { // both archive an SQLite file (backupmongo.go)
		return fmt.Errorf("restore: the archive holds a %q store; this restores sqlite and mongodb backups", m.Store)
	}
	hasMedia := false
	for _, f := range m.Files {
		hasMedia = hasMedia || strings.HasPrefix(f.Name, "media/")
	}
	if hasMedia {
		if cfg.MediaDir == "" {
			return errors.New("restore: the backup holds media files kept on disk: give --media-dir (an empty directory) as the server runs with")
		}
		if err := mustBeEmpty("--media-dir", cfg.MediaDir); err != nil {
			return err
		}
	}
	dest := func(name string) (string, error) {
		switch {
		case name == dbFile:
			return cfg.SQLitePath(), nil // --sqlite-file, else in --data
		case name == kek.DefaultFileName:
			return filepath.Join(cfg.Data, name), nil
		case strings.HasPrefix(name, "media/"):
			return filepath.Join(cfg.MediaDir, filepath.FromSlash(strings.TrimPrefix(name, "media/"))), nil
		}
		return "", fmt.Errorf("restore: the archive holds %q, which no backup writes", name)
	}
	if err := os.MkdirAll(cfg.Data, 0o700); err != nil {
		return err
	}
	written, err := backup.Extract(ctx, in, m, dest, stderr)
	defer func() {
		if err != nil { // leave the directories empty again, as found
			for _, p := range written {
				_ = os.Remove(p)
			}
		}
	}()
	if err != nil {
		return err
	}
	got, err := sqlitestore.Inspect(ctx, cfg.SQLitePath())
	if err != nil {
		return err
	}
	if got.FeedSeq != m.FeedSeq || sum(got.Collections) != sum(m.Collections) {
		return fmt.Errorf("restore: the restored store holds feed position %d and %d documents; the manifest says %d and %d",
			got.FeedSeq, sum(got.Collections), m.FeedSeq, sum(m.Collections))
	}
	fmt.Fprintf(stdout, "restored %d files into %s: feed position %d, %d documents in %d collections (backup of %s by zhengwu %s)\n",
		len(m.Files), cfg.Data, m.FeedSeq, sum(m.Collections), len(m.Collections), m.CreatedAt.Format(time.RFC3339), m.Version)
	if err := checkMasterKey(ctx, cfg, m); err != nil {
		// The files are sound; the key is the operator's to bring.
		fmt.Fprintln(stderr, "restore: warning:", err)
	}
	fmt.Fprintln(stdout, "the search and list indexes are rebuilt from the store when `zhengwu serve` starts on this directory")
	return nil
}

// checkMasterKey opens the restored signing keys with the master key serve
// will use, so that a missing or wrong key shows now, not at the first
// start. A backup whose key was external and no key given: nothing to try
// (kek.Resolve would make a new key in the data directory).
func checkMasterKey(ctx context.Context, cfg config.Config, m backup.Manifest) error {
	if m.MasterKey != "included" && cfg.MasterKey.IsZero() && cfg.KeyFile == "" {
		return errors.New("the master key was kept outside the data directory at backup: " +
			"start serve with the same --key-file or ZHENGWU_MASTER_KEY, or it cannot read the token signing keys")
	}
	if m.Collections["system"] == 0 {
		// No signing keys stored (auth keeps them in "system"): LoadKeys
		// would make some, writing into the restored store.
		return nil
	}
	key, _, err := kek.Resolve(cfg.MasterKey, cfg.KeyFile, cfg.Data)
	if err != nil {
		return err
	}
	st, err := sqlitestore.Open(cfg.SQLitePath())
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := auth.LoadKeys(ctx, st, key); err != nil {
		return fmt.Errorf("the master key %s does not open the signing keys of this backup (%v): start serve with the key the backed-up server used", key.ID(), err)
	}
	return nil
}

// mustBeEmpty refuses a directory that holds anything (a missing one is
// empty): a restore never mixes with data already there.
func mustBeEmpty(flag, dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("restore: %s %s: %w", flag, dir, err)
	}
	if len(entries) > 0 {
		names := make([]string, 0, 3)
		for _, e := range entries[:min(3, len(entries))] {
			names = append(names, e.Name())
		}
		sort.Strings(names)
		return fmt.Errorf("restore: %s %s is not empty (it holds %s…): restore only into an empty directory",
			flag, dir, strings.Join(names, ", "))
	}
	return nil
}

// takeFlag removes --name VALUE (or --name=VALUE, or one dash) from args:
// the command's own flag, before the rest go to config.Parse.
func takeFlag(args []string, name string) (value string, rest []string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--"+name || a == "-"+name:
			if i+1 >= len(args) {
				return "", nil, fmt.Errorf("--%s needs a value", name)
			}
			value, i = args[i+1], i+1
		case strings.HasPrefix(a, "--"+name+"=") || strings.HasPrefix(a, "-"+name+"="):
			_, value, _ = strings.Cut(a, "=")
		default:
			rest = append(rest, a)
		}
	}
	return value, rest, nil
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

func sum(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}
