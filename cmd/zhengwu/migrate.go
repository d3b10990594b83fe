package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"zhengwu/cms/media"
	"zhengwu/shared/kek"
	"zhengwu/shared/store/migrate"
	"zhengwu/shared/store/mongostore"
	"zhengwu/shared/store/sqlitestore"
)

const migrateUsage = `zhengwu migrate — copy an embedded deployment into MongoDB

Usage:
  zhengwu migrate --data DIR --to mongodb://… [--mongodb-database zhengwu] [--resume] [--media-dir DIR]

Copies every document (with its version), the change feed (same sequence
numbers, so the gateway's checkpoint stays valid and new indexes rebuild
from it) and the counters of DIR's store into the MongoDB database, then
verifies both sides by counts and per-collection checksums. Progress goes
to stderr. Interrupted, it resumes where it stopped when run again (its
checkpoints are kept in the target); run again after completion, it copies
only what changed in DIR since, so a last run with the server stopped
makes the switch-over short. A target that holds other data is refused.

With --media-dir (the deployment keeps uploaded files on disk), every file
is copied into the database as the MongoDB services keep media (chunk
documents, no shared disk), then every blob is compared by SHA-256 on both
sides; a rerun copies only the files the database lacks. A file whose
bytes no longer hash to its name (its SHA-256) is damaged: it is not
copied, and the run names every such file and fails, for them to be
restored from a backup before a rerun.

Flags:
`

// migrateCommand is `zhengwu migrate`: an embedded store into MongoDB
// (shared/store/migrate does the copying).
func migrateCommand(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), migrateUsage)
		fs.PrintDefaults()
	}
	data := fs.String("data", "", "the embedded deployment's data directory (holding zhengwu.db)")
	to := fs.String("to", "", "the target MongoDB URI, mongodb://… (default: $ZHENGWU_MONGODB_URI, which keeps a password off the command line)")
	database := fs.String("mongodb-database", "zhengwu", "the target database")
	resume := fs.Bool("resume", false, "copy into a target that holds data without this deployment's migration state (the verification still fails if foreign data stays)")
	mediaDir := fs.String("media-dir", "", "the deployment's --media-dir, if it keeps uploaded files on disk: they are copied into the database and verified; the MongoDB services then run without --media-dir")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return nil
		}
		return err
	}
	if *to == "" {
		*to = env("ZHENGWU_MONGODB_URI")
	}
	switch {
	case *data == "":
		return errors.New("migrate: --data DIR is required")
	case !strings.HasPrefix(*to, "mongodb://") && !strings.HasPrefix(*to, "mongodb+srv://"):
		return errors.New("migrate: --to mongodb://… is required")
	case fs.NArg() > 0:
		return fmt.Errorf("migrate: unexpected argument %q", fs.Arg(0))
	}
	db := filepath.Join(*data, dbFile)
	if _, err := os.Stat(db); err != nil {
		// sqlitestore.Open would make an empty store there.
		return fmt.Errorf("migrate: no database in --data %s: %w", *data, err)
	}
	src, err := sqlitestore.Open(db)
	if err != nil {
		return err
	}
	defer src.Close()
	openCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	dst, err := mongostore.Open(openCtx, *to, *database)
	cancel()
	if err != nil {
		return err
	}
	defer dst.Close()

	opt := migrate.Options{Resume: *resume, Progress: stderr, Verb: "migrate"}
	if *mediaDir != "" {
		if st, err := os.Stat(*mediaDir); err != nil || !st.IsDir() {
			return fmt.Errorf("migrate: --media-dir %s is not a directory", *mediaDir)
		}
		opt.Extra = media.DiskMigration{Dir: *mediaDir, Source: src}
	}
	start := time.Now()
	rep, err := migrate.Copy(ctx, src, dst, opt)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return errors.New("migrate: interrupted; run the same command again to continue where it stopped")
		}
		return err
	}
	var docs int64
	for _, s := range rep.Collections {
		docs += s.Count
	}
	verb := "migrated"
	if rep.Resumed {
		verb = "migration resumed and finished:"
	}
	fmt.Fprintf(stdout, "%s %d documents in %d collections, %d counters, feed position %d, into %s (%d written in this run, %s); counts and checksums verified\n",
		verb, docs, len(rep.Collections), rep.Counters, rep.FeedSeq, *database, rep.Written, time.Since(start).Round(time.Millisecond))
	if *mediaDir != "" {
		fmt.Fprintf(stdout, "media: %d blobs, %d bytes in the database, SHA-256 verified one by one (%d blobs, %d bytes copied in this run from %s); run the MongoDB services without --media-dir\n",
			rep.Extra.Count, rep.Extra.Bytes, rep.ExtraCopied.Count, rep.ExtraCopied.Bytes, *mediaDir)
	}
	if fileExists(filepath.Join(*data, kek.DefaultFileName)) {
		fmt.Fprintf(stdout, "the master key is %s: give it to the MongoDB services as --key-file (a secret file), or they cannot read the token signing keys\n",
			filepath.Join(*data, kek.DefaultFileName))
	}
	return nil
}
