package media

import (
	"context"
	"errors"
	"io"
	"strings"
)

// ErrBlobNotFound is returned by Blobs.Open and Blobs.Delete when no blob
// has that key.
var ErrBlobNotFound = errors.New("media: blob not found")

// errBadKey refuses keys that could escape a directory or a collection id.
var errBadKey = errors.New("media: invalid blob key")

// Blobs keeps the bytes of media, addressed by a key (the media's SHA-256,
// or a derived key for a thumbnail). Two implementations: StoreBlobs, the
// default, chunks blobs into documents of the document store (so a MongoDB
// deployment keeps its media in the database and backs them up with it);
// DiskBlobs keeps one file per blob on a local or shared disk.
//
// Implementations are safe for concurrent use. Putting a key that exists
// replaces its bytes; since keys are content addresses, that only ever
// writes the same bytes again.
type Blobs interface {
	// Put stores everything r yields under key and returns the size.
	Put(ctx context.Context, key string, r io.Reader) (int64, error)
	// Open returns a reader over the blob; the caller closes it.
	// ErrBlobNotFound if there is none.
	Open(ctx context.Context, key string) (Blob, error)
	// Delete removes the blob; ErrBlobNotFound if there is none.
	Delete(ctx context.Context, key string) error
}

// Blob is an open blob: seekable, so that a Range request reads only the
// bytes it asks for.
type Blob interface {
	io.ReadSeekCloser
	// Size is the blob's length in bytes.
	Size() int64
}

// validKey accepts lower-case letters, digits, '.', '-' and '_' only, at
// least three characters, not starting with a dot: safe as a file name and
// as part of a document id.
func validKey(key string) bool {
	if len(key) < 3 || len(key) > 200 || strings.HasPrefix(key, ".") {
		return false
	}
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
		default:
			return false
		}
	}
	return true
}
