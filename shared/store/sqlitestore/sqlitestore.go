// Package sqlitestore is the embedded default adapter of store.Store: one
// SQLite file in WAL mode through the pure-Go modernc.org/sqlite driver.
//
// Every write runs in one immediate transaction that updates the document
// and appends its feed entry, on a single writer connection (PutAll: all
// of its documents and their entries in one transaction). SQLite commits
// writers one at a time, so feed sequences commit in order and the feed
// has no gaps: a consumer that has seen seq N has seen everything before it.
package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"zhengwu/shared/store"
)

// docs is an ordinary rowid table with a unique index on (collection,
// id), not a WITHOUT ROWID table keyed by them: a WITHOUT ROWID table
// keeps whole rows in an index b-tree, whose cells hold at most ~1 KB on a
// 4 KB page, so a compressed portal item (~0.9 KB) often spilled a few
// bytes onto an overflow page of its own and its interior pages carried
// copies of whole rows. The 100k-item portal load's table took 193 MB, 85
// of them unused space on overflow pages; as a rowid table it takes 105.
// (migrateDocsTable converts a database made before.)
const docsTable = `(
	collection TEXT NOT NULL,
	id         TEXT NOT NULL,
	version    INTEGER NOT NULL,
	seq        INTEGER NOT NULL,
	data       BLOB NOT NULL,
	updated_at INTEGER NOT NULL,
	UNIQUE (collection, id)
)`

const schema = `
CREATE TABLE IF NOT EXISTS docs ` + docsTable + `;
CREATE TABLE IF NOT EXISTS feed (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	collection TEXT NOT NULL,
	id         TEXT NOT NULL,
	deleted    INTEGER NOT NULL,
	at         INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (
	name  TEXT PRIMARY KEY,
	value INTEGER NOT NULL
) WITHOUT ROWID;
` + dictSchema

// Store is the SQLite adapter. Reads use a pool of connections; writes use
// one connection so that they never wait on SQLITE_BUSY inside the process.
type Store struct {
	read  *sql.DB
	write *sql.DB
	now   func() time.Time
	// Statements are prepared once: parsing the SQL costs as much as
	// running it (a sixth of a bulk sync's CPU when the write statements
	// were parsed on every transaction).
	get *sql.Stmt
	w   writeStmts
	// codec compresses documents, with their collection's dictionary
	// once it has one (dict.go).
	codec *codec
}

// writeStmts are prepared on the write pool, whose one connection they
// stay on; a transaction binds them with Tx.StmtContext without parsing.
type writeStmts struct {
	version, feed, upsert, upsertAny, del, incr *sql.Stmt
}

func (w *writeStmts) prepare(db *sql.DB) error {
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = db.Prepare(q)
		return st
	}
	w.version = prep("SELECT version FROM docs WHERE collection = ? AND id = ?")
	w.feed = prep("INSERT INTO feed (collection, id, deleted, at) VALUES (?, ?, ?, ?) RETURNING seq")
	w.upsert = prep(`INSERT INTO docs (collection, id, version, seq, data, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (collection, id) DO UPDATE SET
			version = excluded.version, seq = excluded.seq, data = excluded.data, updated_at = excluded.updated_at`)
	// A write that expects no version (store.AnyVersion) needs no read
	// first: the upsert counts the version itself and returns it.
	w.upsertAny = prep(`INSERT INTO docs (collection, id, version, seq, data, updated_at)
		VALUES (?, ?, 1, ?, ?, ?)
		ON CONFLICT (collection, id) DO UPDATE SET
			version = docs.version + 1, seq = excluded.seq, data = excluded.data, updated_at = excluded.updated_at
		RETURNING version`)
	w.del = prep("DELETE FROM docs WHERE collection = ? AND id = ?")
	w.incr = prep(`INSERT INTO counters (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = value + excluded.value
		RETURNING value`)
	if err != nil {
		w.close()
	}
	return err
}

func (w *writeStmts) close() error {
	var errs []error
	for _, st := range []*sql.Stmt{w.version, w.feed, w.upsert, w.upsertAny, w.del, w.incr} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}

var _ store.Store = (*Store)(nil)

// Option configures Open.
type Option func(*options)

type options struct{ log *slog.Logger }

// WithLogger sets where Open reports what it repaired (file permissions
// it tightened); default slog.Default().
func WithLogger(l *slog.Logger) Option {
	return func(o *options) {
		if l != nil {
			o.log = l
		}
	}
}

// Open opens (creating if needed) the database file at path. The file and
// its -wal and -shm files are readable and writable by the owner only
// (0600), whatever the umask; existing ones that others could read are
// tightened, and logged. Keep it in a directory of its own (PrivateDir).
func Open(path string, opts ...Option) (*Store, error) {
	o := options{log: slog.Default()}
	for _, opt := range opts {
		opt(&o)
	}
	if err := privateFiles(path, o.log); err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// The page size stays SQLite's 4 KB: 16 KB pages shrank the 100k-item
	// portal load's database from 202 to 128 MB (compressed documents over
	// ~1 KB spill onto overflow pages), but every commit then writes 16 KB
	// pages to the WAL, and a small Put took 2.0× as long (120 µs against
	// 60, BenchmarkPut, same run): writes are the hot path of every 公文
	// action, and disk is cheap (docs/benchmarks.md).
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "synchronous(NORMAL)", "foreign_keys(ON)",
		// Reads through a memory map skip a pread system call per page.
		"mmap_size(268435456)"} {
		q.Add("_pragma", p)
	}
	// WAL mode is set through the driver's _journal_mode key, which it runs
	// after the _pragma list (a page_size pragma, if ever set again, must
	// come first: WAL fixes a new file's page size).
	q.Set("_journal_mode", "WAL")
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()

	write, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	if _, err := write.Exec(schema); err != nil {
		write.Close()
		return nil, fmt.Errorf("create schema in %s: %w", path, err)
	}
	if err := migrateDocsTable(write, o.log); err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	read, err := sql.Open("sqlite", dsn)
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(8)
	// Keep every connection open: the default of two idle connections
	// closes and reopens the others under load.
	read.SetMaxIdleConns(8)
	s := &Store{read: read, write: write, now: time.Now}
	if err := s.w.prepare(write); err != nil {
		read.Close()
		write.Close()
		return nil, err
	}
	s.get, err = read.Prepare("SELECT version, seq, data, updated_at FROM docs WHERE collection = ? AND id = ?")
	if err != nil {
		s.w.close()
		read.Close()
		write.Close()
		return nil, err
	}
	s.codec = newCodec(s, o.log)
	if err := s.codec.open(); err != nil {
		s.codec.close()
		s.get.Close()
		s.w.close()
		read.Close()
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return s, nil
}

// Close stops a compression dictionary being made, then closes both
// connection pools.
func (s *Store) Close() error {
	s.codec.close()
	return errors.Join(s.get.Close(), s.w.close(), s.read.Close(), s.write.Close())
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Get returns the current document.
func (s *Store) Get(ctx context.Context, collection, id string) (store.Doc, error) {
	if err := store.Validate(collection, id, nil); err != nil {
		return store.Doc{}, err
	}
	d := store.Doc{Collection: collection, ID: id}
	var data []byte
	var at int64
	err := s.get.QueryRowContext(ctx, collection, id).Scan(&d.Version, &d.Seq, &data, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Doc{}, store.ErrNotFound
	}
	if err != nil {
		return store.Doc{}, err
	}
	if d.Data, err = s.codec.unpack(data); err != nil {
		return store.Doc{}, err
	}
	d.UpdatedAt = time.UnixMicro(at).UTC()
	return d, nil
}

// Put writes the next version of a document with compare-and-set.
func (s *Store) Put(ctx context.Context, collection, id string, data []byte, expect int64) (store.Doc, error) {
	if err := store.Validate(collection, id, data); err != nil {
		return store.Doc{}, err
	}
	var out store.Doc
	err := s.inTx(ctx, func(tx *txn) error {
		var err error
		out, err = s.put(ctx, tx, store.Write{Collection: collection, ID: id, Data: data, ExpectVersion: expect}, s.now().UTC())
		return err
	})
	return out, err
}

// PutAll writes every document or none, in one transaction: a conflict
// rolls back the writes before it, feed entries included.
func (s *Store) PutAll(ctx context.Context, writes []store.Write) ([]store.Doc, error) {
	if err := store.ValidateWrites(writes); err != nil || len(writes) == 0 {
		return nil, err
	}
	out := make([]store.Doc, len(writes))
	err := s.inTx(ctx, func(tx *txn) error {
		now := s.now().UTC()
		for i, w := range writes {
			var err error
			if out[i], err = s.put(ctx, tx, w, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// put is one document write inside tx: compare, append the feed entry,
// write the document with that entry's seq.
func (s *Store) put(ctx context.Context, tx *txn, w store.Write, now time.Time) (store.Doc, error) {
	if w.ExpectVersion == store.AnyVersion {
		return s.putAny(ctx, tx, w, now)
	}
	current, err := s.currentVersion(ctx, tx, w.Collection, w.ID)
	if err != nil {
		return store.Doc{}, err
	}
	if w.ExpectVersion != current {
		return store.Doc{}, store.ErrConflict
	}
	seq, err := s.appendFeed(ctx, tx, w.Collection, w.ID, false, now)
	if err != nil {
		return store.Doc{}, err
	}
	if _, err := tx.bind(&tx.upsert, s.w.upsert).ExecContext(ctx,
		w.Collection, w.ID, current+1, seq, s.codec.pack(w.Collection, w.Data), now.UnixMicro()); err != nil {
		return store.Doc{}, err
	}
	return written(w, current+1, seq, now), nil
}

// putAny writes without a compare: two statements, not three (a gateway
// import writes its editions, its portal item and its files' references
// so).
func (s *Store) putAny(ctx context.Context, tx *txn, w store.Write, now time.Time) (store.Doc, error) {
	seq, err := s.appendFeed(ctx, tx, w.Collection, w.ID, false, now)
	if err != nil {
		return store.Doc{}, err
	}
	var version int64
	if err := tx.bind(&tx.upsertAny, s.w.upsertAny).QueryRowContext(ctx,
		w.Collection, w.ID, seq, s.codec.pack(w.Collection, w.Data), now.UnixMicro()).Scan(&version); err != nil {
		return store.Doc{}, err
	}
	return written(w, version, seq, now), nil
}

// written is the document a write stored.
func written(w store.Write, version, seq int64, now time.Time) store.Doc {
	return store.Doc{Collection: w.Collection, ID: w.ID, Version: version, Seq: seq,
		Data: append([]byte(nil), w.Data...), UpdatedAt: now.Truncate(time.Microsecond)}
}

// Delete removes a document with compare-and-set.
func (s *Store) Delete(ctx context.Context, collection, id string, expect int64) (int64, error) {
	if err := store.Validate(collection, id, nil); err != nil {
		return 0, err
	}
	var seq int64
	err := s.inTx(ctx, func(tx *txn) error {
		current, err := s.currentVersion(ctx, tx, collection, id)
		if err != nil {
			return err
		}
		if current == 0 {
			return store.ErrNotFound
		}
		if expect != store.AnyVersion && expect != current {
			return store.ErrConflict
		}
		if seq, err = s.appendFeed(ctx, tx, collection, id, true, s.now().UTC()); err != nil {
			return err
		}
		_, err = tx.StmtContext(ctx, s.w.del).ExecContext(ctx, collection, id)
		return err
	})
	return seq, err
}

// Incr adds delta to a counter atomically.
func (s *Store) Incr(ctx context.Context, counter string, delta int64) (int64, error) {
	if counter == "" {
		return 0, store.ErrInvalid
	}
	var v int64
	err := s.inTx(ctx, func(tx *txn) error {
		return tx.StmtContext(ctx, s.w.incr).QueryRowContext(ctx, counter, delta).Scan(&v)
	})
	return v, err
}

// Scan lists documents of a collection in id order.
func (s *Store) Scan(ctx context.Context, collection, afterID string, limit int) ([]store.Doc, error) {
	if collection == "" || limit <= 0 {
		return nil, store.ErrInvalid
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, version, seq, data, updated_at FROM docs
		WHERE collection = ? AND id > ? ORDER BY id LIMIT ?`, collection, afterID, limit)
	if err != nil {
		return nil, err
	}
	return readRows(rows, func(d *store.Doc) error {
		var at int64
		var data []byte
		if err := rows.Scan(&d.ID, &d.Version, &d.Seq, &data, &at); err != nil {
			return err
		}
		d.Collection, d.UpdatedAt = collection, time.UnixMicro(at).UTC()
		var err error
		d.Data, err = s.codec.unpack(data)
		return err
	})
}

// Feed lists changes after a sequence.
func (s *Store) Feed(ctx context.Context, afterSeq int64, limit int) ([]store.Change, error) {
	if limit <= 0 {
		return nil, store.ErrInvalid
	}
	rows, err := s.read.QueryContext(ctx, `SELECT seq, collection, id, deleted, at FROM feed
		WHERE seq > ? ORDER BY seq LIMIT ?`, afterSeq, limit)
	if err != nil {
		return nil, err
	}
	return readRows(rows, func(c *store.Change) error {
		var at int64
		err := rows.Scan(&c.Seq, &c.Collection, &c.ID, &c.Deleted, &at)
		c.At = time.UnixMicro(at).UTC()
		return err
	})
}

// readRows reads every row with scan, each into a new element of the list
// (scanned in place: no copy per row), and closes rows.
func readRows[T any](rows *sql.Rows, scan func(*T) error) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		var zero T
		out = append(out, zero)
		if err := scan(&out[len(out)-1]); err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}

// LastSeq returns the newest committed feed sequence.
func (s *Store) LastSeq(ctx context.Context) (int64, error) {
	var seq sql.NullInt64
	err := s.read.QueryRowContext(ctx, "SELECT MAX(seq) FROM feed").Scan(&seq)
	return seq.Int64, err
}

func (s *Store) inTx(ctx context.Context, fn func(*txn) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(&txn{Tx: tx, ctx: ctx}); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// txn is one write transaction. It binds each write statement to itself
// once, on first use: Tx.StmtContext makes a new statement on every call,
// and a PutAll writes several documents with the same three.
type txn struct {
	*sql.Tx
	ctx                              context.Context
	version, feed, upsert, upsertAny *sql.Stmt
}

// bind is st bound to the transaction, kept in slot.
func (t *txn) bind(slot **sql.Stmt, st *sql.Stmt) *sql.Stmt {
	if *slot == nil {
		*slot = t.StmtContext(t.ctx, st)
	}
	return *slot
}

// currentVersion is the stored version, 0 when the document does not exist.
func (s *Store) currentVersion(ctx context.Context, tx *txn, collection, id string) (int64, error) {
	var v int64
	err := tx.bind(&tx.version, s.w.version).QueryRowContext(ctx, collection, id).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}

func (s *Store) appendFeed(ctx context.Context, tx *txn, collection, id string, deleted bool, at time.Time) (int64, error) {
	var seq int64
	err := tx.bind(&tx.feed, s.w.feed).QueryRowContext(ctx, collection, id, deleted, at.UnixMicro()).Scan(&seq)
	return seq, err
}
