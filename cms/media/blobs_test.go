package media_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"zhengwu/cms/media"
	"zhengwu/shared/store/storetest"
)

// backends gives each test a fresh instance of every Blobs implementation.
func backends(t testing.TB) map[string]media.Blobs {
	disk, err := media.NewDiskBlobs(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	return map[string]media.Blobs{
		"store": media.NewStoreBlobs(storetest.NewSQLite(t)),
		"disk":  disk,
	}
}

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// TestBlobsConformance runs the same checks against every Blobs backend.
func TestBlobsConformance(t *testing.T) {
	t.Parallel()
	for name, b := range backends(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			sizes := []int{1, 1000, media.ChunkSize - 1, media.ChunkSize, media.ChunkSize + 1, 3*media.ChunkSize + 17}
			for i, size := range sizes {
				key := strings.Repeat("ab", 32) + ".s" + string(rune('a'+i))
				data := randomBytes(size, uint64(size))
				n, err := b.Put(ctx, key, bytes.NewReader(data))
				if err != nil || n != int64(size) {
					t.Fatalf("put %d: n=%d err=%v", size, n, err)
				}
				bl, err := b.Open(ctx, key)
				if err != nil {
					t.Fatal(err)
				}
				if bl.Size() != int64(size) {
					t.Fatalf("size %d, want %d", bl.Size(), size)
				}
				got, err := io.ReadAll(bl)
				if err != nil || !bytes.Equal(got, data) {
					t.Fatalf("read back %d bytes (err %v), want %d equal bytes", len(got), err, size)
				}
				// Seek to arbitrary offsets, including across chunk borders.
				for _, off := range []int64{0, int64(size) / 2, int64(size) - 1, media.ChunkSize - 3} {
					if off < 0 || off >= int64(size) {
						continue
					}
					if _, err := bl.Seek(off, io.SeekStart); err != nil {
						t.Fatal(err)
					}
					want := data[off:min(int(off)+10, size)]
					got := make([]byte, len(want))
					if _, err := io.ReadFull(bl, got); err != nil || !bytes.Equal(got, want) {
						t.Fatalf("size %d at %d: %v %x want %x", size, off, err, got, want)
					}
				}
				if pos, _ := bl.Seek(-5, io.SeekEnd); pos != int64(size)-5 && size >= 5 {
					t.Fatalf("seek end: %d", pos)
				}
				if _, err := bl.Seek(-1, io.SeekStart); err == nil {
					t.Fatal("negative seek accepted")
				}
				_ = bl.Close()
			}

			// Replacing a blob with a shorter one leaves no trace of the old.
			key := strings.Repeat("cd", 32)
			if _, err := b.Put(ctx, key, bytes.NewReader(randomBytes(3*media.ChunkSize, 1))); err != nil {
				t.Fatal(err)
			}
			short := []byte("short")
			if _, err := b.Put(ctx, key, bytes.NewReader(short)); err != nil {
				t.Fatal(err)
			}
			bl, err := b.Open(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(bl)
			_ = bl.Close()
			if !bytes.Equal(got, short) {
				t.Fatalf("after replace: %q", got)
			}

			// Delete, then not found.
			if err := b.Delete(ctx, key); err != nil {
				t.Fatal(err)
			}
			if _, err := b.Open(ctx, key); !errors.Is(err, media.ErrBlobNotFound) {
				t.Fatalf("open deleted: %v", err)
			}
			if err := b.Delete(ctx, key); !errors.Is(err, media.ErrBlobNotFound) {
				t.Fatalf("delete twice: %v", err)
			}

			// Keys that could escape are refused.
			for _, bad := range []string{"../../etc/passwd", "a/b", "..x", "", "AB", "x y"} {
				if _, err := b.Put(ctx, bad, strings.NewReader("x")); err == nil {
					t.Fatalf("key %q accepted", bad)
				}
				if _, err := b.Open(ctx, bad); !errors.Is(err, media.ErrBlobNotFound) {
					t.Fatalf("open %q: %v", bad, err)
				}
			}

			// Concurrent writers and readers of one key.
			ckey := strings.Repeat("ef", 32)
			data := randomBytes(2*media.ChunkSize+5, 7)
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					if _, err := b.Put(ctx, ckey, bytes.NewReader(data)); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			bl, err = b.Open(ctx, ckey)
			if err != nil {
				t.Fatal(err)
			}
			got, _ = io.ReadAll(bl)
			_ = bl.Close()
			if !bytes.Equal(got, data) {
				t.Fatal("concurrent puts corrupted the blob")
			}
		})
	}
}

// A failed Put on disk leaves neither the blob nor a temporary file.
func TestDiskBlobsFailedPutLeavesNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	b, err := media.NewDiskBlobs(dir)
	if err != nil {
		t.Fatal(err)
	}
	key := strings.Repeat("12", 32)
	_, err = b.Put(context.Background(), key, io.MultiReader(strings.NewReader("partial"), failingReader{}))
	if err == nil {
		t.Fatal("put of a failing reader succeeded")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "12"))
	if len(entries) != 0 {
		t.Fatalf("left behind: %v", entries)
	}
	if _, err := b.Open(context.Background(), key); !errors.Is(err, media.ErrBlobNotFound) {
		t.Fatalf("open: %v", err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }
