package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"zhengwu/cms/media"
	"zhengwu/shared/store"
	"zhengwu/shared/store/migrate"
	"zhengwu/shared/store/mongostore"
	"zhengwu/shared/store/mongostore/mongotest"
	"zhengwu/shared/store/sqlitestore"
)

// smallPNG is a real image (thumbnails are made of it); fakePDF passes the
// upload's type check and fills chunks with incompressible bytes without
// costing an image codec under the race detector.
func smallPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 48, 48))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	img.Set(0, 0, color.RGBA{A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func fakePDF(size int) []byte {
	b := make([]byte, size)
	_, _ = rand.Read(b)
	copy(b, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	return b
}

// A deployment keeping its media on disk (--media-dir) migrates into
// MongoDB with its files: an interrupted run resumes at the file it stopped
// in, every file then reads byte for byte the same through the MongoDB
// deployment's media service (chunk documents), a rerun copies nothing, a
// file removed meanwhile is removed, a damaged copy fails the
// verification, and a backup of the embedded deployment restores into
// MongoDB with its files in the database too.
func TestMigrateMediaKeptOnDisk(t *testing.T) {
	uri, _, stop, err := mongotest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	ctx := context.Background()
	data, mediaDir := t.TempDir(), t.TempDir()
	src, err := sqlitestore.Open(filepath.Join(data, dbFile))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	disk, err := media.NewDiskBlobs(mediaDir)
	if err != nil {
		t.Fatal(err)
	}
	svc := media.New(media.Deps{Store: src, Blobs: disk, TempDir: t.TempDir()})
	var recs []media.Record
	for i, content := range [][]byte{smallPNG(t), fakePDF(media.ChunkSize + 100), fakePDF(30 << 10), []byte("关于印发《政务公开工作要点》的通知\n")} {
		rec, _, err := svc.Add(ctx, media.Upload{Name: fmt.Sprintf("附件%d", i), Content: bytes.NewReader(content), Actor: "u1"})
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, rec)
	}
	thumb, err := svc.Thumbnail(ctx, recs[0], 160) // a derived blob beside the originals
	if err != nil {
		t.Fatal(err)
	}
	_ = thumb.Close()
	// A blob exactly ChunkSize long: the copy must not add an empty chunk.
	exact := bytes.Repeat([]byte("政"), media.ChunkSize/3)
	if _, err := disk.Put(ctx, "exact-size.bin", bytes.NewReader(exact)); err != nil {
		t.Fatal(err)
	}
	keys, err := media.DiskKeys(mediaDir)
	if err != nil || len(keys) != 6 {
		t.Fatalf("blobs on disk: %v %v", keys, err)
	}

	db := fmt.Sprintf("zwmedia_%d_%d", os.Getpid(), time.Now().UnixNano())
	dst, err := mongostore.Open(ctx, uri, db)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = dst.Drop(context.Background()); _ = dst.Close() }()

	// Interrupted after the second blob.
	runCtx, cancel := context.WithCancel(ctx)
	stopAt := progressFunc(func(line string) {
		if strings.Contains(line, "migrate: media 2/") {
			cancel()
		}
	})
	_, err = migrate.Copy(runCtx, src, dst, migrate.Options{Progress: stopAt, Extra: media.DiskMigration{Dir: mediaDir, Source: src}})
	cancel()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted copy: %v", err)
	}
	if n := manifestsIn(t, dst); n != 2 {
		t.Fatalf("after the interruption the target holds %d blobs, want 2", n)
	}

	code, out, errOut := runCmd(t, "", nil, "migrate", "--data", data, "--to", uri, "--mongodb-database", db, "--media-dir", mediaDir)
	if code != 0 || !strings.Contains(out, "migration resumed and finished") ||
		!strings.Contains(out, "media: 6 blobs") || !strings.Contains(out, "(4 blobs, ") {
		t.Fatalf("resumed migrate: %d %q %q", code, out, errOut)
	}
	// Every file reads the same through the MongoDB deployment's media
	// service, which keeps media in the store (no --media-dir).
	onMongo := media.New(media.Deps{Store: dst, TempDir: t.TempDir()})
	for _, rec := range recs {
		sameBlob(t, filepath.Join(mediaDir, rec.ID[:2], rec.ID))(onMongo.Open(ctx, rec))
	}
	sameBlob(t, filepath.Join(mediaDir, recs[0].ID[:2], media.ThumbnailKey(recs[0].ID, 160)))(onMongo.Thumbnail(ctx, recs[0], 160))
	sameBlob(t, filepath.Join(mediaDir, "ex", "exact-size.bin"))(media.NewStoreBlobs(dst).Open(ctx, "exact-size.bin"))
	if after, err := dst.Scan(ctx, media.ChunksCollection, "exact-size.bin/000000", 1); err != nil || len(after) == 1 && strings.HasPrefix(after[0].ID, "exact-size.bin/") {
		t.Fatalf("a chunk after the last of an exact-size blob: %v %v", after, err)
	}
	if seq, _ := dst.LastSeq(ctx); seq != mustLastSeq(t, src) {
		t.Fatalf("the target's feed position %d moved off the source's", seq)
	}

	// A rerun copies nothing and still verifies every blob.
	code, out, errOut = runCmd(t, "", nil, "migrate", "--data", data, "--to", uri, "--mongodb-database", db, "--media-dir", mediaDir)
	if code != 0 || !strings.Contains(out, "(0 written in this run") || !strings.Contains(out, "media: 6 blobs") || !strings.Contains(out, "(0 blobs, 0 bytes copied") {
		t.Fatalf("migrate again: %d %q %q", code, out, errOut)
	}

	// A file removed from the disk since is removed from the target; a
	// damaged copy (one byte of a chunk changed, same size) fails.
	if err := disk.Delete(ctx, "exact-size.bin"); err != nil {
		t.Fatal(err)
	}
	chunk, err := dst.Get(ctx, media.ChunksCollection, recs[1].ID+"/000000")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Data []byte `json:"data"`
	}
	if err := json.Unmarshal(chunk.Data, &c); err != nil {
		t.Fatal(err)
	}
	c.Data[100] ^= 0xff
	if chunk.Data, err = json.Marshal(c); err != nil {
		t.Fatal(err)
	}
	if err := dst.LoadDocs(ctx, []store.Doc{chunk}); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCmd(t, "", nil, "migrate", "--data", data, "--to", uri, "--mongodb-database", db, "--media-dir", mediaDir)
	if code == 0 || !strings.Contains(errOut, "removed exact-size.bin") || !strings.Contains(errOut, "blob "+recs[1].ID+" differs") ||
		strings.Contains(errOut, "blob "+recs[2].ID) {
		t.Fatalf("migrate after a removal, onto a damaged copy: %d %q", code, errOut)
	}
	if n := manifestsIn(t, dst); n != 4 {
		t.Fatalf("the target holds %d blobs after the removal and the damage, want 4", n)
	}
	// The next run copies the damaged blob anew.
	code, out, errOut = runCmd(t, "", nil, "migrate", "--data", data, "--to", uri, "--mongodb-database", db, "--media-dir", mediaDir)
	if code != 0 || !strings.Contains(out, "media: 5 blobs") || !strings.Contains(out, "(1 blobs, ") {
		t.Fatalf("migrate after the damage: %d %q %q", code, out, errOut)
	}
	sameBlob(t, filepath.Join(mediaDir, recs[1].ID[:2], recs[1].ID))(onMongo.Open(ctx, recs[1]))

	// An embedded backup holding media files restores into MongoDB with
	// its files in the database.
	archive := filepath.Join(t.TempDir(), "embedded.tar")
	code, out, errOut = runCmd(t, "", nil, "backup", "--data", data, "--media-dir", mediaDir, "--out", archive, "--log-level", "error")
	if code != 0 {
		t.Fatalf("backup: %d %q %q", code, out, errOut)
	}
	code, out, errOut = runCmd(t, "", nil, "restore", "--mongodb-uri", uri, "--mongodb-database", db+"_r", "--in", archive, "--log-level", "error")
	if code != 0 || !strings.Contains(out, "media files of the archive: 5 blobs") {
		t.Fatalf("restore into MongoDB: %d %q %q", code, out, errOut)
	}
	restored, err := mongostore.Open(ctx, uri, db+"_r")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = restored.Drop(context.Background()); _ = restored.Close() }()
	back := media.New(media.Deps{Store: restored, TempDir: t.TempDir()})
	for _, rec := range recs {
		sameBlob(t, filepath.Join(mediaDir, rec.ID[:2], rec.ID))(back.Open(ctx, rec))
	}
}

type progressFunc func(line string)

func (f progressFunc) Write(p []byte) (int, error) { f(string(p)); return len(p), nil }

func manifestsIn(t *testing.T, s store.Store) int {
	t.Helper()
	page, err := s.Scan(context.Background(), media.MediaCollection, media.ManifestPrefix, 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range page {
		if strings.HasPrefix(d.ID, media.ManifestPrefix) {
			n++
		}
	}
	return n
}

func mustLastSeq(t *testing.T, s store.Store) int64 {
	t.Helper()
	n, err := s.LastSeq(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// sameBlob reads an opened blob whole and compares it with a file.
func sameBlob(t *testing.T, path string) func(media.Blob, error) {
	return func(b media.Blob, err error) { sameAsFile(t, path, b, err) }
}

func sameAsFile(t *testing.T, path string, b media.Blob, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("open %s: %v", filepath.Base(path), err)
	}
	defer b.Close()
	got, err := io.ReadAll(b)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) || b.Size() != int64(len(want)) {
		t.Fatalf("%s: %d bytes read from MongoDB, %d on disk, equal %v", filepath.Base(path), len(got), len(want), bytes.Equal(got, want))
	}
}
