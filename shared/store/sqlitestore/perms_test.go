//go:build unix

package sqlitestore_test

import (
	"bytes"
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"zhengwu/shared/store"
	"zhengwu/shared/store/sqlitestore"
)

// withUmask runs the rest of the test under umask m. Not parallel: the
// umask is the process's.
func withUmask(t *testing.T, m int) {
	old := syscall.Umask(m)
	t.Cleanup(func() { syscall.Umask(old) })
}

func wantMode(t *testing.T, p string, want fs.FileMode) {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatalf("stat %s: %v", p, err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s has mode %#o, want %#o", filepath.Base(p), got, want)
	}
}

func openWithLog(t *testing.T, path string) (*sqlitestore.Store, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	s, err := sqlitestore.Open(path, sqlitestore.WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, &buf
}

// The database file and its -wal and -shm files are the owner's only,
// even under a umask that lets everyone read new files.
func TestNewDatabaseFilesArePrivate(t *testing.T) {
	withUmask(t, 0)
	path := filepath.Join(t.TempDir(), "zhengwu.db")
	s, log := openWithLog(t, path)
	if _, err := s.Put(context.Background(), "c", "a", []byte(`{"密级":"秘密"}`), store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		wantMode(t, p, 0o600)
	}
	if log.Len() != 0 {
		t.Errorf("a new database logged: %s", log)
	}
}

// Files an older version created readable by all are tightened when the
// store opens them, and each is logged.
func TestOpenTightensExistingDatabaseFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "zhengwu.db")
	first, _ := openWithLog(t, path)
	if _, err := first.Put(context.Background(), "c", "a", []byte(`{}`), store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	files := []string{path, path + "-wal", path + "-shm"}
	for _, p := range files {
		if err := os.Chmod(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	second, log := openWithLog(t, path)
	if _, err := second.Get(context.Background(), "c", "a"); err != nil {
		t.Fatalf("the reopened database: %v", err)
	}
	for _, p := range files {
		wantMode(t, p, 0o600)
		if !strings.Contains(log.String(), "path="+p+" ") {
			t.Errorf("tightening %s was not logged: %s", filepath.Base(p), log)
		}
	}
}

// PrivateDir creates the data directory 0700 whatever the umask, tightens
// an existing one, and refuses a directory shared with everyone.
func TestPrivateDir(t *testing.T) {
	withUmask(t, 0o277) // would leave a new directory unusable (0500)
	root := t.TempDir()
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))

	fresh := filepath.Join(root, "a", "data")
	if err := sqlitestore.PrivateDir(fresh, log); err != nil {
		t.Fatal(err)
	}
	wantMode(t, fresh, 0o700)

	old := filepath.Join(root, "old")
	if err := os.Mkdir(old, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(old, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := sqlitestore.PrivateDir(old, log); err != nil {
		t.Fatal(err)
	}
	wantMode(t, old, 0o700)
	if !strings.Contains(buf.String(), "path="+old+" ") {
		t.Errorf("tightening the data directory was not logged: %s", &buf)
	}

	shared := filepath.Join(root, "shared")
	if err := os.Mkdir(shared, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(shared, 0o777|fs.ModeSticky); err != nil {
		t.Fatal(err)
	}
	if err := sqlitestore.PrivateDir(shared, log); err == nil {
		t.Error("a directory everyone may write to was accepted as the data directory")
	}
	wantMode(t, shared, 0o777)
}
