package sqlitestore

import (
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// migrateDocsTable turns a docs table made as WITHOUT ROWID (databases
// written before issue 16 item 7) into the rowid table the schema makes
// now (see docsTable for why), in one transaction, then gives the freed
// pages back to the file system. It runs once: a converted table is left
// alone. It copies every row, so it takes about as long as a backup; it
// needs about twice the database's size free beside it (the copy, through
// the WAL) and the database's size again in the temporary directory (the
// VACUUM).
func migrateDocsTable(db *sql.DB, log *slog.Logger) error {
	var ddl string
	if err := db.QueryRow("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'docs'").Scan(&ddl); err != nil {
		return fmt.Errorf("read the docs table's schema: %w", err)
	}
	if !strings.Contains(strings.ToUpper(ddl), "WITHOUT ROWID") {
		return nil
	}
	start := time.Now()
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	var rows int64
	for _, q := range []string{
		"CREATE TABLE docs_rowid " + docsTable,
		"INSERT INTO docs_rowid (collection, id, version, seq, data, updated_at) SELECT collection, id, version, seq, data, updated_at FROM docs ORDER BY collection, id",
		"DROP TABLE docs",
		"ALTER TABLE docs_rowid RENAME TO docs",
	} {
		res, err := tx.Exec(q)
		if err != nil {
			return fmt.Errorf("convert the docs table: %w", err)
		}
		if strings.HasPrefix(q, "INSERT") {
			rows, _ = res.RowsAffected()
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("convert the docs table: %w", err)
	}
	// The old table's pages are free now but still in the file. A failed
	// VACUUM (a full disk, another process writing) loses nothing: the
	// free pages are reused by later writes, and the operator can run it.
	if _, err := db.Exec("VACUUM"); err != nil {
		log.Warn("converted the documents table but could not compact the database; its free pages will be reused, or run VACUUM while the server is stopped",
			"err", err)
	}
	log.Info("converted the documents table to a rowid table (once, on upgrade)", "documents", rows,
		"took", time.Since(start).Round(time.Millisecond))
	return nil
}
