package sqlitestore

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
)

// The database holds every document of the office, the signing keys'
// store and the audit trail: only the account the server runs as may read
// it. The modes are set explicitly rather than left to the umask, which
// commonly lets the group and everyone read new files (0644).
const (
	fileMode fs.FileMode = 0o600
	dirMode  fs.FileMode = 0o700
)

// privateFiles creates the database file with mode 0600 if it does not
// exist yet, and tightens the database file and its -wal and -shm files to
// 0600 if the group or others may use them (files an older version or a
// restore created), logging each one it tightened. It runs before SQLite
// opens the file: SQLite creates the -wal and -shm files with the mode of
// the database file, so they are private too.
func privateFiles(path string, log *slog.Logger) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, fileMode)
	switch {
	case err == nil:
		err = errors.Join(f.Chmod(fileMode), f.Close()) // whatever the umask
		if err != nil {
			return fmt.Errorf("create %s: %w", path, err)
		}
	case !errors.Is(err, fs.ErrExist):
		return fmt.Errorf("create %s: %w", path, err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := tighten(p, fileMode, log); err != nil {
			return err
		}
	}
	return nil
}

// tighten takes the group's and others' permissions off p, if it exists
// and has any, and logs that it did.
func tighten(p string, want fs.FileMode, log *slog.Logger) error {
	fi, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	was := fi.Mode().Perm()
	if was&0o077 == 0 {
		return nil
	}
	if err := os.Chmod(p, was&want); err != nil {
		return fmt.Errorf("restrict permissions of %s: %w", p, err)
	}
	log.Warn("tightened the permissions of a data file that others could read",
		"path", p, "was", fmt.Sprintf("%#o", was), "now", fmt.Sprintf("%#o", was&want))
	return nil
}

// PrivateDir makes dir the data directory: created with mode 0700 (and
// its missing parents likewise), or tightened to 0700 if it exists and the
// group or others may use it, logged. Everything the server keeps there
// (the database, the search indexes) is then out of other accounts'
// reach. A directory everyone may write to (a shared one such as /tmp) is
// never changed: PrivateDir refuses it, since private data does not
// belong there.
func PrivateDir(dir string, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, dirMode); err != nil {
			return fmt.Errorf("create data directory: %w", err)
		}
		// MkdirAll's mode went through the umask, which can only have
		// narrowed it; set it exactly so the owner can use it.
		return os.Chmod(dir, dirMode)
	}
	if err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("data directory %s is not a directory", dir)
	}
	if fi.Mode().Perm()&0o002 != 0 || fi.Mode()&fs.ModeSticky != 0 {
		return fmt.Errorf("data directory %s is shared with every account (mode %#o): use a directory of its own",
			dir, fi.Mode().Perm())
	}
	return tighten(dir, dirMode, log)
}
