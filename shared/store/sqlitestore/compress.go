package sqlitestore

import (
	"bytes"
	"fmt"

	"github.com/klauspost/compress/zstd"
)

// Documents are stored compressed with zstd when that saves space (issue
// 16 item 7). A portal item of ~2.8 KB of JSON (its body twice, as HTML and
// as text) took ~4.7 KB in the database when docs was a WITHOUT ROWID
// table, which keeps at most ~1 KB of a row in its B-tree page and puts
// the rest on overflow pages of 4 KB each, mostly empty; compressed, it is
// ~0.9 KB, and in today's rowid table (see docsTable) four fit a page.
//
// A stored value is either the JSON object itself (it starts with "{" or
// whitespace) or a zstd frame (it starts with zstd's magic number, which no
// JSON text does), so a database written before this change is read as it
// is and documents are compressed as they are next written.

// compressMin is the smallest document worth compressing: below it the
// frame header and the CPU cost more than the bytes saved.
const compressMin = 256

var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// EncodeAll and DecodeAll are safe for concurrent use. Low-memory
// settings: documents are small, and a default encoder or decoder keeps
// megabytes of window per concurrent call.
var (
	encoder, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(2),
		zstd.WithLowerEncoderMem(true), zstd.WithZeroFrames(true), zstd.WithEncoderCRC(false))
	decoder, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(4), zstd.WithDecoderLowmem(true))
)

// pack is the stored form of a document's JSON.
func pack(data []byte) []byte {
	if len(data) < compressMin {
		return data
	}
	out := encoder.EncodeAll(data, make([]byte, 0, len(data)/2))
	if len(out) >= len(data) {
		return data
	}
	return out
}

// unpack is the JSON of a stored value (compressed or not).
func unpack(stored []byte) ([]byte, error) {
	if !bytes.HasPrefix(stored, zstdMagic) {
		return stored, nil
	}
	out, err := decoder.DecodeAll(stored, nil)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: stored document does not decompress: %w", err)
	}
	return out, nil
}
