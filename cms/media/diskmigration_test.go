package media_test

import (
	"bytes"
	"context"
	"errors"
	"io"
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
