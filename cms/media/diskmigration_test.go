package media_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"zhengwu/cms/media"
	"zhengwu/shared/store"
	"zhengwu/shared/store/migrate"
	"zhengwu/shared/store/storetest"
)

// Blobs on disk and blobs the source's store keeps itself (a deployment
// that ran without --media-dir before) all end up in the target, read the
// same through StoreBlobs, and the verification catches a blob the target
// lacks. (Against MongoDB, with the command: cmd/zhengwu's
// TestMigrateMediaKeptOnDisk.)
func TestDiskMigrationIntoAStore(t *testing.T) {
	ctx := context.Background()
	src, dst := storetest.NewSQLite(t), storetest.NewSQLite(t)
	dir := filepath.Join(t.TempDir(), "media")
	disk, err := media.NewDiskBlobs(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{
		"aa-two-chunks": bytes.Repeat([]byte("公开"), media.ChunkSize/6+10),
		"bb-small":      []byte("通知"),
		"cc-in-store":   bytes.Repeat([]byte{7}, 1000),
	}
	for key, b := range want {
		var to media.Blobs = disk
		if strings.HasSuffix(key, "in-store") {
			to = media.NewStoreBlobs(src)
		}
		if _, err := to.Put(ctx, key, bytes.NewReader(b)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := disk.Put(ctx, "dd-stray", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	if err := disk.Delete(ctx, "dd-stray"); err != nil { // leaves the dd/ directory behind
		t.Fatal(err)
	}
	if _, err := src.Put(ctx, "cms_items", "1", []byte(`{"title":"一"}`), store.AnyVersion); err != nil {
		t.Fatal(err)
	}
	m := media.DiskMigration{Dir: dir, Source: src}
	rep, err := migrate.Copy(ctx, src, dst, migrate.Options{Extra: m})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Extra.Count != 3 || rep.ExtraCopied.Count != 2 {
		t.Fatalf("blobs verified %+v, copied %+v; want 3 verified, 2 copied from disk", rep.Extra, rep.ExtraCopied)
	}
	in := media.NewStoreBlobs(dst)
	for key, b := range want {
		blob, err := in.Open(ctx, key)
		if err != nil {
			t.Fatal(key, err)
		}
		got, err := io.ReadAll(blob)
		_ = blob.Close()
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("%s: %d bytes read, want %d (%v)", key, len(got), len(b), err)
		}
	}
	// A blob missing from the target is a mismatch, not a silent pass.
	if err := in.Delete(ctx, "bb-small"); err != nil {
		t.Fatal(err)
	}
	_, err = m.Verify(ctx, dst, func(string, ...any) {})
	var mm *migrate.MismatchError
	if !errors.As(err, &mm) || !strings.Contains(err.Error(), "bb-small is not in the target") {
		t.Fatalf("verify with a blob missing: %v", err)
	}
}

// A file in the media directory whose bytes no longer hash to its name (a
// disk error, a hand edit) is not carried into the database as if sound:
// the run copies the others, names every damaged file and fails, and
// writes nothing of it; a sound copy an earlier run made stays sound; once
// the file is restored, a rerun copies it and verifies. A restore
// (KeepDamaged) brings it back as its backup holds it.
func TestDiskMigrationRefusesADamagedFile(t *testing.T) {
	ctx := context.Background()
	src := storetest.NewSQLite(t)
	dir := filepath.Join(t.TempDir(), "media")
	disk, err := media.NewDiskBlobs(dir)
	if err != nil {
		t.Fatal(err)
	}
	key := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	sound := []byte("关于印发《政务公开工作要点》的通知")
	original := bytes.Repeat([]byte("安徽省人民政府办公厅文件。"), media.ChunkSize/30) // two chunks
	for _, b := range [][]byte{sound, original} {
		if _, err := disk.Put(ctx, key(b), bytes.NewReader(b)); err != nil {
			t.Fatal(err)
		}
	}
	// A thumbnail's key is derived, not its own hash: it is not damaged.
	if _, err := disk.Put(ctx, media.ThumbnailKey(key(original), 320), strings.NewReader("缩略图")); err != nil {
		t.Fatal(err)
	}
	k := key(original)
	path := filepath.Join(dir, k[:2], k)
	damaged := bytes.Clone(original)
	damaged[3] ^= 0x01 // one bit, the same length
	write := func(b []byte) {
		t.Helper()
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	read := func(dst store.Store, key string) ([]byte, error) {
		b, err := media.NewStoreBlobs(dst).Open(ctx, key)
		if err != nil {
			return nil, err
		}
		defer b.Close()
		return io.ReadAll(b)
	}
	chunks := func(dst store.Store, key string) (n int) {
		for d, err := range store.ScanAll(ctx, dst, media.ChunksCollection, key) {
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(d.ID, key+"/") {
				break
			}
			n++
		}
		return n
	}
	m := media.DiskMigration{Dir: dir, Source: src}

	t.Run("no earlier copy", func(t *testing.T) {
		dst := storetest.NewSQLite(t)
		write(damaged)
		_, err := migrate.Copy(ctx, src, dst, migrate.Options{Extra: m})
		if err == nil || !strings.Contains(err.Error(), path+" is damaged") || !strings.Contains(err.Error(), key(damaged)) {
			t.Fatalf("migrating a damaged file: %v", err)
		}
		if _, err := read(dst, k); !errors.Is(err, media.ErrBlobNotFound) || chunks(dst, k) != 0 {
			t.Fatalf("the damaged file reached the target: %v, %d chunks", err, chunks(dst, k))
		}
		for _, key := range []string{key(sound), media.ThumbnailKey(k, 320)} {
			if _, err := read(dst, key); err != nil {
				t.Fatalf("%s was not copied beside the damaged file: %v", key, err)
			}
		}
		write(original) // restored from a backup
		rep, err := migrate.Copy(ctx, src, dst, migrate.Options{Extra: m})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Extra.Count != 3 || rep.ExtraCopied.Count != 1 {
			t.Fatalf("after the repair: verified %+v, copied %+v; want 3 verified, 1 copied", rep.Extra, rep.ExtraCopied)
		}
		if got, err := read(dst, k); err != nil || !bytes.Equal(got, original) {
			t.Fatalf("the repaired file reads %d bytes (%v)", len(got), err)
		}
	})

	t.Run("a sound copy, then the file damaged", func(t *testing.T) {
		dst := storetest.NewSQLite(t)
		write(original)
		if _, err := migrate.Copy(ctx, src, dst, migrate.Options{Extra: m}); err != nil {
			t.Fatal(err)
		}
		write(original[:100]) // truncated: another size, so the rerun looks at it again
		_, err := migrate.Copy(ctx, src, dst, migrate.Options{Extra: m})
		if err == nil || !strings.Contains(err.Error(), path+" is damaged") {
			t.Fatalf("rerun over a truncated file: %v", err)
		}
		if got, err := read(dst, k); err != nil || !bytes.Equal(got, original) {
			t.Fatalf("the sound copy was overwritten: %d bytes (%v)", len(got), err)
		}
		write(damaged) // the same size: the copy is not looked at again, the verification names the file
		_, err = m.Verify(ctx, dst, func(string, ...any) {})
		var mm *migrate.MismatchError
		if !errors.As(err, &mm) || !strings.Contains(err.Error(), k+" is damaged in the source") {
			t.Fatalf("verify with a source file damaged: %v", err)
		}
	})

	t.Run("a restore keeps what the backup holds", func(t *testing.T) {
		dst := storetest.NewSQLite(t)
		write(damaged)
		var said bytes.Buffer
		keep := m
		keep.KeepDamaged = true
		rep, err := migrate.Copy(ctx, src, dst, migrate.Options{Extra: keep, Progress: &said})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Extra.Count != 3 {
			t.Fatalf("verified %+v, want 3", rep.Extra)
		}
		if got, err := read(dst, k); err != nil || !bytes.Equal(got, damaged) {
			t.Fatalf("the damaged file restored as %d bytes (%v)", len(got), err)
		}
		if !strings.Contains(said.String(), path+" is damaged") {
			t.Fatalf("the progress does not name the damaged file:\n%s", said.String())
		}
	})
}
