package main

// Backup and restore of a MongoDB deployment, in the embedded backup's
// archive format: the database is dumped through the driver into an SQLite
// file of the embedded store's layout (shared/store/migrate: documents with
// their versions, the feed with its sequences, the counters), which then
// goes into the archive as an embedded snapshot would. So one archive
// format serves both engines, and either restores into either:
// `restore --data EMPTY` makes an embedded deployment of a MongoDB backup,
// `restore --mongodb-uri` copies an archive into an empty MongoDB database.
//
// Consistency: MongoDB gives no cross-collection snapshot without a
// transaction or readConcern "snapshot", and FerretDB (the tests) has
// neither. So the dump records the feed position before it reads, reads
// every collection, then re-reads every document the feed names after
// that position until the feed has nothing more (migrate's catch-up). The
// archive holds each document as it was at the final feed position, the
// manifest's feedSeq — exactly, when nothing was written during the last
// catch-up pass; a write still under way then (its feed entry not yet in)
// lands after feedSeq and is not in the archive, as with any backup taken
// at a point in time.

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"zhengwu/cms/media"
	"zhengwu/shared/backup"
	"zhengwu/shared/config"
	"zhengwu/shared/kek"
	"zhengwu/shared/store/migrate"
	"zhengwu/shared/store/mongostore"
	"zhengwu/shared/store/sqlitestore"
)

func openMongo(ctx context.Context, cfg config.Config) (*mongostore.Store, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return mongostore.Open(ctx, cfg.MongoURI, cfg.MongoDatabase)
}

// dumpMongo writes the MongoDB database into a new SQLite file at snap.
func dumpMongo(ctx context.Context, cfg config.Config, snap string, progress io.Writer) error {
	src, err := openMongo(ctx, cfg)
	if err != nil {
		return err
	}
	defer src.Close()
	// Written into a work file, then compacted into snap with the embedded
	// backup's own snapshot (one file, no -wal beside it).
	work := snap + ".dump"
	dst, err := sqlitestore.Open(work)
	if err != nil {
		return err
	}
	fmt.Fprintf(progress, "backup: reading MongoDB database %s…\n", cfg.MongoDatabase)
	_, err = migrate.Copy(ctx, src, dst, migrate.Options{Progress: progress, Verb: "backup"})
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return sqlitestore.Snapshot(ctx, work, snap)
}

// restoreMongo copies a verified archive into an empty MongoDB database
// (one holding an interrupted restore of the same archive is continued).
// Media files kept on disk go into the database (or into an empty
// --media-dir if one is given); the master key, if the archive holds it,
// into an empty --data.
func restoreMongo(ctx context.Context, in string, cfg config.Config, stdout, stderr io.Writer) error {
	m, err := backup.Verify(ctx, in, stderr)
	if err != nil {
		return err
	}
	if m.Store != "sqlite" && m.Store != "mongodb" {
		return fmt.Errorf("restore: the archive holds a %q store", m.Store)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(in), ".zhengwu-restore-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	hasMedia := false
	for _, f := range m.Files {
		hasMedia = hasMedia || strings.HasPrefix(f.Name, "media/")
	}
	// Media files of an embedded deployment's archive go into the
	// database, as the MongoDB services keep media (chunk documents, no
	// shared disk), unless --media-dir says the services keep them there.
	mediaDir, mediaIntoStore := cfg.MediaDir, false
	if hasMedia {
		if mediaDir == "" {
			mediaDir, mediaIntoStore = filepath.Join(tmp, "media"), true
		} else if err := mustBeEmpty("--media-dir", mediaDir); err != nil {
			return err
		}
	}
	keyDest := ""
	if m.MasterKey == "included" && cfg.Data != "" {
		if err := mustBeEmpty("--data", cfg.Data); err != nil {
			return err
		}
		keyDest = filepath.Join(cfg.Data, kek.DefaultFileName)
	}
	dest := func(name string) (string, error) {
		switch {
		case name == dbFile:
			return filepath.Join(tmp, dbFile), nil
		case name == kek.DefaultFileName:
			return keyDest, nil // "": skipped
		case strings.HasPrefix(name, "media/"):
			return filepath.Join(mediaDir, filepath.FromSlash(strings.TrimPrefix(name, "media/"))), nil
		}
		return "", fmt.Errorf("restore: the archive holds %q, which no backup writes", name)
	}
	if _, err := backup.Extract(ctx, in, m, dest, stderr); err != nil {
		return err
	}
	src, err := sqlitestore.Open(filepath.Join(tmp, dbFile))
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := openMongo(ctx, cfg)
	if err != nil {
		return err
	}
	defer dst.Close()
	opt := migrate.Options{Progress: stderr, Verb: "restore"}
	if mediaIntoStore {
		// A restore brings back what the backup holds: a media file
		// damaged before the backup was taken too, named in the progress.
		opt.Extra = media.DiskMigration{Dir: mediaDir, Source: src, KeepDamaged: true}
	}
	rep, err := migrate.Copy(ctx, src, dst, opt)
	if err != nil {
		return err
	}
	if mediaIntoStore {
		fmt.Fprintf(stdout, "media files of the archive: %d blobs, %d bytes, copied into the database and verified by SHA-256; run the services without --media-dir\n",
			rep.Extra.Count, rep.Extra.Bytes)
	}
	fmt.Fprintf(stdout, "restored into MongoDB database %s: feed position %d, %d documents in %d collections, verified (backup of %s by zhengwu %s)\n",
		cfg.MongoDatabase, rep.FeedSeq, sum(m.Collections), len(rep.Collections), m.CreatedAt.Format(time.RFC3339), m.Version)
	switch {
	case m.MasterKey == "included" && keyDest == "":
		fmt.Fprintln(stderr, "restore: warning: the archive holds the master key but no --data was given to receive it: the services need the key the backed-up server used (--key-file)")
	case m.MasterKey == "included":
		fmt.Fprintf(stdout, "the master key is restored to %s: give it to the services as --key-file\n", keyDest)
	}
	return nil
}
