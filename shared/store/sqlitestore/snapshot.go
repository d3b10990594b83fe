package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
)

// Snapshot writes a consistent copy of the database file at dbPath into
// outPath (which must not exist) while other connections, in this process
// or another, keep reading and writing it.
//
// It runs VACUUM INTO rather than SQLite's online backup API: VACUUM INTO
// reads the whole database in ONE read transaction, so under WAL it never
// blocks the writer and never restarts, whereas the backup API, stepped
// page by page, starts over whenever another connection writes between
// two steps (a busy server could keep it restarting; in one step it holds
// the same read transaction as VACUUM INTO anyway). The copy is also
// compacted, and modernc.org/sqlite exposes VACUUM INTO as plain SQL.
// sqlite_sequence is copied with the tables, so the restored feed goes on
// from the same sequence.
func Snapshot(ctx context.Context, dbPath, outPath string) error {
	if _, err := os.Stat(dbPath); err != nil {
		// sql.Open would create an empty database where there was none.
		return fmt.Errorf("snapshot %s: %w", dbPath, err)
	}
	if _, err := os.Stat(outPath); !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("snapshot into %s: the file exists", outPath)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := sql.Open("sqlite", "file:"+dbPath+"?"+q.Encode())
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", outPath); err != nil {
		_ = os.Remove(outPath)
		return fmt.Errorf("snapshot %s: %w", dbPath, err)
	}
	// VACUUM INTO creates the file with the process's umask: the copy
	// holds what the database holds, so it is as private as the database.
	return os.Chmod(outPath, 0o600)
}

// Contents is what a database file holds, read from the file itself: the
// feed position and the number of documents in each collection.
type Contents struct {
	FeedSeq     int64            `json:"feedSeq"`
	Collections map[string]int64 `json:"collections"`
}

// Inspect reads the feed position and the collections' sizes of the
// database file at path (a snapshot, or a restored file), read-only.
func Inspect(ctx context.Context, path string) (Contents, error) {
	if _, err := os.Stat(path); err != nil {
		return Contents{}, err
	}
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return Contents{}, err
	}
	defer db.Close()
	c := Contents{Collections: map[string]int64{}}
	var seq sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT MAX(seq) FROM feed").Scan(&seq); err != nil {
		return Contents{}, fmt.Errorf("inspect %s: %w", path, err)
	}
	c.FeedSeq = seq.Int64
	rows, err := db.QueryContext(ctx, "SELECT collection, COUNT(*) FROM docs GROUP BY collection")
	if err != nil {
		return Contents{}, fmt.Errorf("inspect %s: %w", path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			return Contents{}, err
		}
		c.Collections[name] = n
	}
	return c, rows.Err()
}
