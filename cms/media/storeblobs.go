package media

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"zhengwu/shared/store"
)

// Collections used by StoreBlobs. A blob's manifest lives in the media
// collection under "blob/<key>", beside the media records (whose ids are
// bare SHA-256 hex strings, so the two never collide).
const (
	ChunksCollection = "media_chunks"
	ManifestPrefix   = "blob/"
	// ChunkSize is the number of blob bytes per chunk document (255 KiB,
	// GridFS's default, so a chunk document stays far below any database's
	// document size limit even after base64).
	ChunkSize = 255 << 10
)

// StoreBlobs keeps blobs as chunk documents in the document store:
// media_chunks/<key>/<index, 6 digits> each holds up to ChunkSize bytes in
// base64, and media/blob/<key> is the manifest (size, chunk size, chunk
// count). The manifest is written last and deleted first, so a reader that
// finds a manifest always finds every chunk it names.
type StoreBlobs struct {
	store store.Store
}

// NewStoreBlobs returns blobs kept in s.
func NewStoreBlobs(s store.Store) *StoreBlobs { return &StoreBlobs{store: s} }

type manifest struct {
	Key       string `json:"key"`
	Size      int64  `json:"size"`
	ChunkSize int64  `json:"chunkSize"`
	Chunks    int64  `json:"chunks"`
}

type chunkDoc struct {
	Data []byte `json:"data"` // encoding/json writes []byte as base64
}

func chunkID(key string, i int64) string { return fmt.Sprintf("%s/%06d", key, i) }

// Put implements Blobs.
func (b *StoreBlobs) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	if !validKey(key) {
		return 0, errBadKey
	}
	var prev *manifest
	if m, _, err := store.Load[manifest](ctx, b.store, MediaCollection, ManifestPrefix+key); err == nil {
		prev = &m
	} else if !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	buf := make([]byte, ChunkSize)
	var size, n int64
	for {
		k, err := io.ReadFull(r, buf)
		if k > 0 {
			data := encodeChunk(buf[:k])
			if _, perr := b.store.Put(ctx, ChunksCollection, chunkID(key, n), data, store.AnyVersion); perr != nil {
				return size, fmt.Errorf("media: put chunk %d of %s: %w", n, key, perr)
			}
			size += int64(k)
			n++
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return size, err
		}
	}
	if _, err := store.Save(ctx, b.store, MediaCollection, ManifestPrefix+key,
		manifest{Key: key, Size: size, ChunkSize: ChunkSize, Chunks: n}, store.AnyVersion); err != nil {
		return size, err
	}
	// A replaced blob that had more chunks leaves a tail: remove it.
	if prev != nil {
		for i := n; i < prev.Chunks; i++ {
			if _, err := b.store.Delete(ctx, ChunksCollection, chunkID(key, i), store.AnyVersion); err != nil && !errors.Is(err, store.ErrNotFound) {
				return size, err
			}
		}
	}
	return size, nil
}

// Open implements Blobs.
func (b *StoreBlobs) Open(ctx context.Context, key string) (Blob, error) {
	if !validKey(key) {
		return nil, ErrBlobNotFound
	}
	m, _, err := store.Load[manifest](ctx, b.store, MediaCollection, ManifestPrefix+key)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrBlobNotFound
	}
	if err != nil {
		return nil, err
	}
	if m.ChunkSize <= 0 {
		return nil, fmt.Errorf("media: manifest of %s has chunk size %d", key, m.ChunkSize)
	}
	return &storeBlob{ctx: ctx, b: b, m: m, cur: -1}, nil
}

// Delete implements Blobs.
func (b *StoreBlobs) Delete(ctx context.Context, key string) error {
	if !validKey(key) {
		return ErrBlobNotFound
	}
	m, _, err := store.Load[manifest](ctx, b.store, MediaCollection, ManifestPrefix+key)
	if errors.Is(err, store.ErrNotFound) {
		return ErrBlobNotFound
	}
	if err != nil {
		return err
	}
	if _, err := b.store.Delete(ctx, MediaCollection, ManifestPrefix+key, store.AnyVersion); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	for i := int64(0); i < m.Chunks; i++ {
		if _, err := b.store.Delete(ctx, ChunksCollection, chunkID(key, i), store.AnyVersion); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	return nil
}

// storeBlob reads one chunk at a time: memory stays at one chunk whatever
// the blob's size, and a Seek costs nothing until the next Read loads the
// chunk holding the new offset.
type storeBlob struct {
	ctx  context.Context
	b    *StoreBlobs
	m    manifest
	off  int64
	cur  int64 // index of the chunk in data, -1 for none
	data []byte
}

func (s *storeBlob) Size() int64 { return s.m.Size }

func (s *storeBlob) Read(p []byte) (int, error) {
	if s.off >= s.m.Size {
		return 0, io.EOF
	}
	idx := s.off / s.m.ChunkSize
	if idx != s.cur {
		doc, err := s.b.store.Get(s.ctx, ChunksCollection, chunkID(s.m.Key, idx))
		if err != nil {
			return 0, fmt.Errorf("media: chunk %d of %s: %w", idx, s.m.Key, err)
		}
		data, err := decodeChunk(doc.Data, s.data[:0])
		if err != nil {
			return 0, fmt.Errorf("media: chunk %d of %s: %w", idx, s.m.Key, err)
		}
		s.cur, s.data = idx, data
	}
	within := s.off - idx*s.m.ChunkSize
	if within >= int64(len(s.data)) {
		return 0, fmt.Errorf("media: chunk %d of %s is short", idx, s.m.Key)
	}
	n := copy(p, s.data[within:])
	s.off += int64(n)
	return n, nil
}

func (s *storeBlob) Seek(offset int64, whence int) (int64, error) {
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = s.off + offset
	case io.SeekEnd:
		abs = s.m.Size + offset
	default:
		return s.off, errors.New("media: bad whence")
	}
	if abs < 0 {
		return s.off, errors.New("media: negative offset")
	}
	s.off = abs
	return abs, nil
}

func (s *storeBlob) Close() error { s.data = nil; return nil }

const chunkPrefix, chunkSuffix = `{"data":"`, `"}`

// encodeChunk writes {"data":"<base64>"}: what encoding/json writes for a
// chunkDoc, without its extra pass over the bytes.
func encodeChunk(p []byte) []byte {
	n := base64.StdEncoding.EncodedLen(len(p))
	out := make([]byte, 0, len(chunkPrefix)+n+len(chunkSuffix))
	out = append(out, chunkPrefix...)
	out = base64.StdEncoding.AppendEncode(out, p)
	return append(out, chunkSuffix...)
}

// decodeChunk reads a chunk document into buf (reused between chunks).
// The fast path decodes the base64 in place when the document is laid out
// as encodeChunk writes it (the SQLite store keeps it verbatim); anything
// else (an adapter that reformats JSON) goes through encoding/json.
func decodeChunk(raw, buf []byte) ([]byte, error) {
	if b64, ok := bytes.CutPrefix(raw, []byte(chunkPrefix)); ok {
		if b64, ok = bytes.CutSuffix(b64, []byte(chunkSuffix)); ok {
			if out, err := base64.StdEncoding.AppendDecode(buf, b64); err == nil {
				return out, nil
			}
		}
	}
	var c chunkDoc
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, err
	}
	return c.Data, nil
}
