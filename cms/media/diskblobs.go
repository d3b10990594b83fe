package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// DiskBlobs keeps each blob in its own file, <dir>/<key[:2]>/<key>. A Put
// writes a temporary file in the same directory and renames it into place,
// so a reader never sees a half-written blob and a crash leaves at worst
// a stray temporary file.
type DiskBlobs struct {
	dir string
}

// NewDiskBlobs returns blobs kept under dir, creating it if needed.
func NewDiskBlobs(dir string) (*DiskBlobs, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("media: blob directory: %w", err)
	}
	return &DiskBlobs{dir: dir}, nil
}

func (d *DiskBlobs) path(key string) string {
	return filepath.Join(d.dir, key[:2], key)
}

// Put implements Blobs.
func (d *DiskBlobs) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	if !validKey(key) {
		return 0, errBadKey
	}
	final := d.path(key)
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(final), ".tmp-"+key+"-*")
	if err != nil {
		return 0, err
	}
	done := false
	defer func() {
		if !done {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	n, err := io.Copy(tmp, ctxReader{ctx, r})
	if err != nil {
		return n, err
	}
	if err := tmp.Sync(); err != nil {
		return n, err
	}
	if err := tmp.Close(); err != nil {
		return n, err
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return n, err
	}
	done = true
	return n, nil
}

// Open implements Blobs.
func (d *DiskBlobs) Open(_ context.Context, key string) (Blob, error) {
	if !validKey(key) {
		return nil, ErrBlobNotFound
	}
	f, err := os.Open(d.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrBlobNotFound
	}
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return &fileBlob{File: f, size: st.Size()}, nil
}

// Delete implements Blobs.
func (d *DiskBlobs) Delete(_ context.Context, key string) error {
	if !validKey(key) {
		return ErrBlobNotFound
	}
	err := os.Remove(d.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return ErrBlobNotFound
	}
	return err
}

type fileBlob struct {
	*os.File
	size int64
}

func (f *fileBlob) Size() int64 { return f.size }

// ctxReader stops a long copy when the context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
