package sqlitestore

// Whole-store access for migration and backup (shared/store/migrate):
// listing what the store holds beyond documents (collection names,
// counters) and writing documents and feed entries exactly as another
// store holds them — version, feed sequence and time kept, no new feed
// entry made. Only for a store no server is writing: these writes skip
// the compare-and-set and the feed on purpose.

import (
	"context"

	"zhengwu/shared/store"
)

// Collections lists the names of the collections holding documents, in
// byte order.
func (s *Store) Collections(ctx context.Context) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT DISTINCT collection FROM docs ORDER BY collection")
	if err != nil {
		return nil, err
	}
	return readRows(rows, func(name *string) error { return rows.Scan(name) })
}

// Counters returns every Incr counter and its value.
func (s *Store) Counters(ctx context.Context) (map[string]int64, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT name, value FROM counters")
	if err != nil {
		return nil, err
	}
	type counter struct {
		name  string
		value int64
	}
	list, err := readRows(rows, func(c *counter) error { return rows.Scan(&c.name, &c.value) })
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(list))
	for _, c := range list {
		out[c.name] = c.value
	}
	return out, nil
}

// LoadDocs writes documents as they are (version, seq and time kept;
// stored compressed, as Put stores them),
// replacing any stored under the same collection and id; a document with
// nil Data is removed instead. One transaction.
func (s *Store) LoadDocs(ctx context.Context, docs []store.Doc) error {
	return s.inTx(ctx, func(tx *txn) error {
		for _, d := range docs {
			if d.Data == nil {
				if _, err := tx.StmtContext(ctx, s.w.del).ExecContext(ctx, d.Collection, d.ID); err != nil {
					return err
				}
				continue
			}
			if err := store.Validate(d.Collection, d.ID, d.Data); err != nil {
				return err
			}
			if _, err := tx.bind(&tx.upsert, s.w.upsert).ExecContext(ctx,
				d.Collection, d.ID, d.Version, d.Seq, s.codec.pack(d.Collection, d.Data), d.UpdatedAt.UnixMicro()); err != nil {
				return err
			}
		}
		return nil
	})
}

// LoadFeed writes feed entries with their own sequences, replacing any
// stored under the same sequence; later writes continue after the highest
// (AUTOINCREMENT keeps sqlite_sequence at the largest seq inserted).
func (s *Store) LoadFeed(ctx context.Context, changes []store.Change) error {
	return s.inTx(ctx, func(tx *txn) error {
		for _, c := range changes {
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO feed (seq, collection, id, deleted, at)
				VALUES (?, ?, ?, ?, ?)`, c.Seq, c.Collection, c.ID, c.Deleted, c.At.UnixMicro()); err != nil {
				return err
			}
		}
		return nil
	})
}

// SetCounter sets an Incr counter to value.
func (s *Store) SetCounter(ctx context.Context, name string, value int64) error {
	return s.inTx(ctx, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES (?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value)
		return err
	})
}
